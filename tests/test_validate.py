"""``policykg validate``: SHACL, verbatim evidence and HermiT, one readable line per problem."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from fixtures.extensions.helpers import (
    FIXTURES,
    cli_env,
    clone,
    need_java,
    tree_hash,
)
from policykg.checks.validate import (
    Problem,
    Report,
    check_evidence,
    disjointness_clashes,
    project_parts,
    validate,
    validate_parts,
)
from policykg.core.namespaces import KG, OWL, PKG, RDF, RDFS, SKOS
from policykg.errors import ParseError, ReasonerError

# -- the real graph ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_parts():
    return project_parts()


@pytest.fixture(scope="module")
def real_report(real_parts) -> Report:
    return validate_parts(real_parts, owl=False)


def test_real_graph_has_zero_shacl_violations_and_verbatim_quotes(real_report):
    assert real_report.passages > 0
    assert real_report.violations == [], "\n".join(map(str, real_report.violations))


@pytest.mark.java
def test_real_graph_is_consistent_for_hermit(real_parts):
    need_java()
    report = validate_parts(real_parts, shacl=False, evidence=False, owl=True)
    assert report.consistent is True
    assert report.violations == []


def test_every_quote_of_the_real_graph_is_exactly_its_text_span(kg, root):
    """Independent of validate.py: read the texts and compare every quote with its offsets."""
    rows = kg.query(
        """SELECT ?p ?quote ?start ?end ?file WHERE {
             ?p a pkg:Passage ; pkg:quote ?quote ; pkg:startOffset ?start ; pkg:endOffset ?end ;
                pkg:inDocument ?doc . ?doc pkg:textFile ?file }"""
    ).rows
    assert rows
    texts: dict[str, str] = {}
    for p, quote, start, end, file in rows:
        text = texts.setdefault(
            str(file), (root / "graphs" / str(file)).read_text(encoding="utf-8")
        )
        assert text[int(str(start)) : int(str(end))] == str(quote), p


# -- broken fixtures: one readable line each --------------------------------------------------


BROKEN = [
    (
        "broken-unknown-class.ttl",
        '"green hydrogen" (kg:green-hydrogen): [vocabulary use: no unknown pkg: term] '
        "pkg:TechnologyFeild is used as a property or class but the ontology does not declare it",
    ),
    (
        "broken-missing-label.ttl",
        "kg:green-hydrogen: [entity: one English preferred label] every entity needs exactly one "
        "English preferred label",
    ),
    (
        "broken-no-evidence.ttl",
        '"green hydrogen" (kg:green-hydrogen): [entity: has evidence] every entity needs evidence',
    ),
    (
        "broken-fact-outside-passage.ttl",
        '"green hydrogen" (kg:green-hydrogen): [fact without evidence] '
        "'kg:green-hydrogen pkg:enables kg:new-quality-productive-forces' is not stated by any "
        "passage",
    ),
    (
        "broken-quote.trig",
        "kg:fixture-brief-x9: [quote verbatim] the quote 'Green hydrogen creates new quality "
        "productive forces.' is not the text at 246:299 of graphs/sources/fixture-brief.txt "
        "(which reads 'Green hydrogen enables new quality productive forces.'); the quote does "
        "not occur anywhere in the text",
    ),
]


@pytest.mark.parametrize(("name", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_extension_fails_with_its_one_line_message(project, name, expected):
    path = FIXTURES / name
    report = validate([path], owl=False)
    assert not report.ok
    lines = report.lines()
    assert all("\n" not in line for line in lines)
    assert any(
        line == f"{path}: {expected}" or line.startswith(f"{path}: {expected}") for line in lines
    ), "\n".join(lines)


@pytest.mark.java
def test_inconsistent_extension_names_the_individual_and_the_disjoint_classes(project):
    need_java()
    path = FIXTURES / "broken-inconsistent.ttl"
    report = validate([path])
    assert report.consistent is False
    assert report.lines() == [
        f'{path}: "Acme Motors" (kg:acme-motors): [OWL consistency] HermiT: the ontology and data '
        "are inconsistent: kg:acme-motors is a pkg:PrivateEnterprise (asserted) and a "
        "pkg:StateOwnedEnterprise (asserted), and the ontology declares pkg:PrivateEnterprise and "
        "pkg:StateOwnedEnterprise disjoint"
    ]


def test_syntax_error_names_file_and_line(project):
    path = FIXTURES / "broken-syntax.ttl"
    with pytest.raises(ParseError) as err:
        validate([path], owl=False)
    assert str(err.value).startswith(f"{path}:11: syntax error:")
    assert "\n" not in str(err.value)


def test_valid_extension_passes_without_hermit(project):
    report = validate([FIXTURES / "valid-green-hydrogen.trig"], owl=False)
    assert report.problems == []
    assert report.passages == 5


def test_extension_in_the_extensions_folder_is_checked_without_being_named(project):
    (project / "graphs" / "extensions" / "bad.ttl").write_bytes(
        (FIXTURES / "broken-no-evidence.ttl").read_bytes()
    )
    report = validate(owl=False)
    assert [p.file for p in report.violations] == ["graphs/extensions/bad.ttl"]


def test_changed_stored_text_is_reported(project):
    text = project / "graphs" / "sources" / "fixture-brief.txt"
    text.write_text(
        text.read_text(encoding="utf-8").replace("Fixture", "Fixtures"), encoding="utf-8"
    )
    report = validate(owl=False)
    rules = {p.rule for p in report.violations}
    assert "stored text unchanged" in rules
    assert "quote verbatim" in rules  # every offset moved by one character


def test_undeclared_linked_entity_suggests_the_nearest(project):
    ttl = project / "graphs" / "extensions" / "typo.trig"
    ttl.write_text(
        (FIXTURES / "valid-green-hydrogen.trig")
        .read_text(encoding="utf-8")
        .replace(
            "kg:green-hydrogen pkg:enables kg:new-quality-productive-forces .",
            "kg:green-hydrogen pkg:enables kg:new-quality-productive-force .",
        ),
        encoding="utf-8",
    )
    report = validate(owl=False)
    assert any(
        p.rule == "linked entity declared"
        and "kg:new-quality-productive-force, which no graph declares" in p.message
        and "did you mean kg:new-quality-productive-forces?" in p.message
        for p in report.violations
    ), report.lines()


# -- the command line --------------------------------------------------------------------------


@pytest.mark.java
def test_cli_exit_statuses(base, tmp_path, run_cli):
    need_java()
    root = clone(base, tmp_path / "proj")
    before = tree_hash(root)
    ok = run_cli(["validate", str(FIXTURES / "valid-green-hydrogen.trig")], env=cli_env(root))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout == ""
    assert "0 violations" in ok.stderr and "HermiT: consistent" in ok.stderr

    bad = run_cli(["validate", "--no-owl", str(FIXTURES / "broken-quote.trig")], env=cli_env(root))
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0].startswith(
        f"{FIXTURES / 'broken-quote.trig'}: kg:fixture-brief-x9: [quote verbatim]"
    )

    syntax = run_cli(["validate", str(FIXTURES / "broken-syntax.ttl")], env=cli_env(root))
    assert syntax.returncode == 2
    assert syntax.stderr.strip().splitlines() == [
        f"policykg: error: {FIXTURES / 'broken-syntax.ttl'}:11: syntax error: expected '.' or '}}' "
        "or ']' at end of statement"
    ]
    assert "Traceback" not in syntax.stderr
    assert tree_hash(root) == before


def test_cli_says_java_is_missing_not_inconsistent(base, tmp_path, run_cli):
    root = clone(base, tmp_path / "proj")
    # nothing remembered: a consistent verdict for the same inputs would need no Java at all
    done = run_cli(["validate"], env=cli_env(root, POLICYKG_JAVA="/nonexistent/java",
                                             POLICYKG_CACHE=str(tmp_path / "cache")))
    assert done.returncode == 2
    assert done.stderr.startswith("policykg: error: Java is not installed")
    assert "inconsistent" not in done.stderr
    skipped = run_cli(
        ["validate", "--no-owl"], env=cli_env(root, POLICYKG_JAVA="/nonexistent/java")
    )
    assert skipped.returncode == 0, skipped.stderr


def test_reasoner_error_when_java_is_missing(project, monkeypatch):
    from policykg.checks.reason import is_consistent

    monkeypatch.setenv("POLICYKG_JAVA", "/nonexistent/java")
    with pytest.raises(ReasonerError, match=r"^Java is not installed"):
        is_consistent(Graph())


# -- the disjointness explanation (no Java needed) ---------------------------------------------


def test_clash_through_a_property_range_is_explained(root):
    g = Graph().parse(root / "ontology" / "policykg.ttl")
    soe, person = KG["soe"], KG["someone"]
    g.add((soe, RDF.type, PKG.StateOwnedEnterprise))
    g.add((person, RDF.type, PKG.Person))
    g.add((soe, PKG.shouldFocusOn, person))
    assert disjointness_clashes(g) == [
        (
            person,
            (PKG.Person, "asserted"),
            (PKG.Function, "value of pkg:shouldFocusOn"),
            (PKG.Actor, PKG.Concept),
        )
    ]


def test_problem_is_one_line():
    p = Problem("graphs/x.ttl", '"x" (kg:x)', "rule", "message", "warning")
    assert str(p) == 'graphs/x.ttl: "x" (kg:x): [rule] message (warning)'


def test_fact_in_a_non_passage_graph_of_the_dataset_is_flagged():
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    x = KG["x"]
    g = ds.graph(URIRef("https://example.org/g"))
    g.add((x, RDF.type, PKG.Concept))
    g.add((x, SKOS.prefLabel, Literal("x", lang="en")))
    g.add((x, RDFS.label, Literal("x", lang="en")))
    g.add((x, PKG.drives, KG["y"]))
    ds.graph(URIRef("https://w3id.org/policykg/ontology")).add(
        (PKG.drives, RDF.type, OWL.ObjectProperty)
    )
    union = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        union.add((s, p, o))
    problems = check_evidence(ds, union)
    assert {p.rule for p in problems} == {"fact without evidence", "linked entity declared"}


def test_cli_json_report_and_no_progress_when_stderr_is_not_a_terminal(base, tmp_path, run_cli):
    import json

    root = clone(base, tmp_path / "proj")
    bad = run_cli(
        ["validate", "--no-owl", "--format", "json", str(FIXTURES / "broken-quote.trig")],
        env=cli_env(root),
    )
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["ok"] is False and report["violations"] == len(
        [p for p in report["problems"] if p["severity"] == "violation"]
    )
    assert report["shacl_engine"] == "pyshacl-turbo" and report["owl_check"] is None
    assert any(p["rule"] == "quote verbatim" for p in report["problems"])
    # stderr is a pipe here: the summary line only, no progress bar
    assert bad.stderr.strip().splitlines() == [bad.stderr.strip()]
    assert bad.stderr.startswith(f"{report['violations']} violations")
    ref = run_cli(
        [
            "validate",
            "--no-owl",
            "--shacl-engine",
            "pyshacl",
            "--format",
            "json",
            str(FIXTURES / "broken-quote.trig"),
        ],
        env=cli_env(root),
    )
    assert ref.returncode == 1
    assert json.loads(ref.stdout)["problems"] == report["problems"]


def test_violation_queries_run_as_part_of_validation(project):
    report = validate([FIXTURES / "broken-unknown-class.ttl"], owl=False)
    rules = {p.rule for p in report.violations}
    assert "undeclared-term-violation" in rules
    quiet = validate([FIXTURES / "broken-unknown-class.ttl"], owl=False, queries=False)
    assert "undeclared-term-violation" not in {p.rule for p in quiet.violations}


def test_messages_name_an_entity_by_its_english_else_its_chinese_label():
    """Regression: a draft named in Chinese only was named by its CURIE alone in messages."""
    from rdflib import Graph, Literal
    from rdflib.namespace import SKOS

    from policykg.checks.data import graph_data
    from policykg.core.namespaces import KG

    g = Graph()
    g.add((KG["zh-only"], SKOS.prefLabel, Literal("结构性改革", lang="zh")))
    g.add((KG["both"], SKOS.prefLabel, Literal("结构性改革", lang="zh")))
    g.add((KG["both"], SKOS.prefLabel, Literal("structural reform", lang="en")))
    data = graph_data(g)
    try:
        assert data.label(KG["zh-only"]) == '"结构性改革" (kg:zh-only)'
        assert data.label(KG["both"]) == '"structural reform" (kg:both)'
        assert data.label(KG["none"]) == "kg:none"
    finally:
        data.close()
