"""Extending the graph: extension files, Python helpers, owlready2 and ``policykg add``.

Every way in checks what it is given before writing and writes atomically: a rejected extension
leaves every file of the project byte-identical (the tests hash the whole tree before and after).
"""

from __future__ import annotations

import shutil

import pytest
import yaml
from rdflib import Literal

from fixtures.extensions.helpers import (
    ADD,
    FIXTURES,
    cli_env,
    clone,
    need_java,
    tree_hash,
    use_project,
)
from policykg.apps.cli import main
from policykg.checks.validate import ValidationFailed
from policykg.core.namespaces import KG, PKG, XSD
from policykg.errors import AuthoringError


def add(path, capsys) -> tuple[int, str, str]:
    code = main(["add", str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err


# -- a valid extension file: added, then in queries and in the HTML graph ------------------------


@pytest.mark.java
def test_valid_extension_is_added_and_shows_up_in_queries_and_the_graph_view(
    base, tmp_path, run_cli
):
    need_java()
    root = clone(base, tmp_path / "proj")
    src = FIXTURES / "valid-green-hydrogen.trig"
    done = run_cli(["add", str(src)], env=cli_env(root))
    assert done.returncode == 0, done.stderr
    assert "wrote graphs/extensions/valid-green-hydrogen.trig" in done.stdout
    assert (root / "graphs/extensions/valid-green-hydrogen.trig").read_bytes() == src.read_bytes()

    with use_project(root):
        import policykg

        kg = policykg.load()
        rows = kg.query(
            """SELECT ?label ?quote WHERE {
                 GRAPH ?passage { ?s pkg:enables kg:new-quality-productive-forces }
                 ?s skos:prefLabel ?label . FILTER(LANG(?label) = "zh")
                 ?passage pkg:quote ?quote }"""
        ).rows
        assert [(str(a), str(b)) for a, b in rows] == [
            ("绿氢", "Green hydrogen enables new quality productive forces.")
        ]
        viz = pytest.importorskip("policykg.outputs.viz")
        ids = {node["id"] for node in viz.build_network(kg).nodes}
        assert "kg:green-hydrogen" in ids
        kg.close()


# -- broken extension files: the expected one-line message, nothing written ----------------------

BROKEN = [
    ("broken-syntax.ttl", 2, "broken-syntax.ttl:11: syntax error: expected '.'"),
    (
        "broken-unknown-class.ttl",
        1,
        'graphs/extensions/broken-unknown-class.ttl: "green hydrogen" (kg:green-hydrogen): '
        "[vocabulary use: no unknown pkg: term] pkg:TechnologyFeild is used as a property or class",
    ),
    (
        "broken-missing-label.ttl",
        1,
        "graphs/extensions/broken-missing-label.ttl: kg:green-hydrogen: [entity: has a label] "
        "every entity needs at least one rdfs:label",
    ),
    (
        "broken-no-evidence.ttl",
        1,
        'graphs/extensions/broken-no-evidence.ttl: "green hydrogen" (kg:green-hydrogen): '
        "[entity: has evidence] every entity needs evidence",
    ),
    (
        "broken-fact-outside-passage.ttl",
        1,
        'graphs/extensions/broken-fact-outside-passage.ttl: "green hydrogen" '
        "(kg:green-hydrogen): [fact without evidence] 'kg:green-hydrogen pkg:enables "
        "kg:new-quality-productive-forces' is not stated by any passage",
    ),
    (
        "broken-quote.trig",
        1,
        "graphs/extensions/broken-quote.trig: kg:fixture-brief-x9: [quote verbatim] the quote "
        "'Green hydrogen creates new quality productive forces.' is not the text at 246:299",
    ),
    pytest.param(
        "broken-inconsistent.ttl",
        1,
        'graphs/extensions/broken-inconsistent.ttl: "Acme Motors" (kg:acme-motors): '
        "[OWL consistency] HermiT: the ontology and data are inconsistent: kg:acme-motors is a "
        "pkg:PrivateEnterprise (asserted) and a pkg:StateOwnedEnterprise (asserted)",
        marks=pytest.mark.java,
        id="broken-inconsistent.ttl",
    ),
]


@pytest.mark.parametrize(("name", "status", "expected"), BROKEN)
def test_broken_extension_is_refused_and_nothing_changes(project, capsys, name, status, expected):
    if "inconsistent" in name:
        need_java()
    before = tree_hash(project)
    code, out, err = add(FIXTURES / name, capsys)
    assert code == status
    assert any(expected in line for line in err.splitlines()), err
    assert all(line.startswith(("policykg: error: ", "graphs/")) for line in err.splitlines())
    assert "Traceback" not in err
    assert out == ""
    assert tree_hash(project) == before


# -- Python helpers over rdflib ------------------------------------------------------------------


@pytest.mark.java
def test_extension_helpers_write_a_checked_trig_file(project):
    need_java()
    from policykg.authoring.extend import Extension
    from policykg.checks.validate import validate

    ext = Extension("green-hydrogen")
    passage = ext.add_passage(
        "x9",
        document="fixture-brief",
        quote="Green hydrogen enables new quality productive forces.",
    )
    ext.add_entity("green-hydrogen", type="TechnologyField", label="green hydrogen", zh="绿氢")
    ext.add_fact("green-hydrogen", "enables", "new-quality-productive-forces", passage=passage)
    path = ext.save()
    assert path == project / "graphs/extensions/green-hydrogen.trig"
    text = path.read_text(encoding="utf-8")
    assert 'pkg:startOffset "246"^^xsd:nonNegativeInteger' in text
    assert "kg:fixture-brief-x9 {\n    kg:green-hydrogen pkg:enables" in text
    assert "kg:new-quality-productive-forces pkg:mentionedIn kg:fixture-brief-x9 ." in text
    assert validate(owl=False).problems == []
    # queries see the fact in its passage's graph, with the passage's quote (docs/extending.md
    # runs the same steps on a copy of the real project: tests/test_docs_examples.py)
    import policykg

    kg = policykg.load()
    rows = kg.query(
        """SELECT ?s ?p ?o ?quote WHERE {
             GRAPH ?g { ?s ?p ?o } ?g pkg:inDocument kg:fixture-brief ; pkg:quote ?quote }"""
    ).rows
    kg.close()
    assert (
        str(KG["green-hydrogen"]),
        str(PKG.enables),
        str(KG["new-quality-productive-forces"]),
        "Green hydrogen enables new quality productive forces.",
    ) in {tuple(str(x) for x in row) for row in rows}
    # the same content again is deterministic
    again = Extension("green-hydrogen")
    p2 = again.add_passage(
        "x9",
        document="fixture-brief",
        quote="Green hydrogen enables new quality productive forces.",
    )
    again.add_entity("green-hydrogen", type="TechnologyField", label="green hydrogen", zh="绿氢")
    again.add_fact("green-hydrogen", "enables", "new-quality-productive-forces", passage=p2)
    assert again.trig() == text


@pytest.mark.java
def test_extension_helpers_refuse_an_inconsistent_extension(project):
    need_java()
    from policykg.authoring.extend import Extension

    before = tree_hash(project)
    ext = Extension("acme")
    ext.add_entity(
        "acme-motors",
        type=["StateOwnedEnterprise", "PrivateEnterprise"],
        label="Acme Motors",
        mentioned_in=["fixture-brief-p3"],
    )
    with pytest.raises(ValidationFailed) as err:
        ext.save()
    assert str(err.value).startswith(
        'extension acme was not saved: graphs/extensions/acme.trig: "Acme Motors" '
        "(kg:acme-motors): [OWL consistency]"
    )
    assert tree_hash(project) == before


def test_extension_helpers_check_names_and_quotes_as_they_go(project):
    from policykg.authoring.extend import Extension

    ext = Extension("typos")
    with pytest.raises(AuthoringError, match="unknown class 'TechnologyFeild'; did you mean"):
        ext.add_entity("x", type="TechnologyFeild", label="x")
    with pytest.raises(AuthoringError, match="quote not found verbatim"):
        ext.add_passage("x1", document="fixture-brief", quote="Green hydrogen is everywhere.")
    with pytest.raises(AuthoringError, match="unknown passage 'fixture-brief-p99'"):
        ext.add_fact(
            "china", "drives", "new-quality-productive-forces", passage="fixture-brief-p99"
        )
    with pytest.raises(AuthoringError, match="unknown entity 'chna'; did you mean 'china'"):
        ext.add_fact("chna", "drives", "new-quality-productive-forces", passage="fixture-brief-p7")
    with pytest.raises(AuthoringError, match="unknown property 'drivs'"):
        ext.add_fact("china", "drivs", "new-quality-productive-forces", passage="fixture-brief-p7")


def test_extension_helpers_refuse_a_fact_without_evidence_before_writing(project):
    from policykg.authoring.extend import Extension

    before = tree_hash(project)
    ext = Extension("no-evidence")
    ext.add_entity("green-hydrogen", type="TechnologyField", label="green hydrogen")
    with pytest.raises(ValidationFailed, match=r"\[entity: has evidence\]"):
        ext.save()
    assert tree_hash(project) == before


# -- owlready2 -----------------------------------------------------------------------------------


def _owlready_extension(project, *, zh: bool):
    import owlready2

    world = owlready2.World()
    pkg = world.get_ontology((project / "ontology" / "policykg.owl").as_uri()).load()
    ext = world.get_ontology("https://w3id.org/policykg/extension/green-tech")
    with ext.get_namespace("https://w3id.org/policykg/ontology#"):

        class GreenTechnology(pkg.TechnologyField):
            pass

    labels = [owlready2.locstr("green technology", lang="en")]
    if zh:
        labels.append(owlready2.locstr("绿色技术", lang="zh"))
    GreenTechnology.label = labels
    GreenTechnology.definition = [
        owlready2.locstr("A technology that reduces greenhouse gas emissions.", lang="en")
    ]
    return ext


@pytest.mark.java
def test_owlready2_extension_is_checked_and_saved_as_turtle(project):
    need_java()
    from policykg.authoring.extend import save_owlready

    if not (project / "ontology" / "policykg.owl").exists():
        pytest.skip("ontology/policykg.owl not generated yet (run policykg docs)")
    path = save_owlready(_owlready_extension(project, zh=True), "green-tech")
    text = path.read_text(encoding="utf-8")
    assert "pkg:GreenTechnology a owl:Class ;" in text
    assert "rdfs:subClassOf pkg:TechnologyField" in text
    with use_project(project):
        import policykg

        kg = policykg.load()
        rows = kg.query("SELECT ?l WHERE { pkg:GreenTechnology rdfs:label ?l }").rows
        assert {str(r[0]) for r in rows} == {"green technology", "绿色技术"}
        kg.close()


def test_owlready2_extension_without_chinese_label_is_refused(project):
    from policykg.authoring.extend import save_owlready

    if not (project / "ontology" / "policykg.owl").exists():
        pytest.skip("ontology/policykg.owl not generated yet (run policykg docs)")
    before = tree_hash(project)
    with pytest.raises(ValidationFailed, match="pkg:GreenTechnology has no Chinese label"):
        save_owlready(_owlready_extension(project, zh=False), "green-tech")
    assert tree_hash(project) == before


# -- policykg add: a new document from YAML or CSV -------------------------------------------------


@pytest.mark.java
def test_add_yaml_registers_the_document_and_build_reproduces_it(project, capsys):
    need_java()
    from policykg.authoring.build import build_graphs

    code, out, err = add(ADD / "solar-brief.yaml", capsys)
    assert code == 0, err
    assert out.splitlines() == [
        "solar-brief: 1 entities, 2 passages: valid",
        "wrote graphs/sources/solar-brief.yaml",
        "wrote graphs/sources/solar-brief.txt",
        "wrote graphs/solar-brief.trig",
    ]
    assert (project / "graphs/sources/solar-brief.yaml").read_bytes() == (
        ADD / "solar-brief.yaml"
    ).read_bytes()
    assert build_graphs(check=True).written == []  # `policykg build` gives the same bytes
    trig = (project / "graphs/solar-brief.trig").read_text(encoding="utf-8")
    assert 'pkg:textFile "sources/solar-brief.txt"' in trig
    assert "kg:solar-power pkg:drives kg:new-quality-productive-forces ." in trig
    # adding it twice is refused
    before = tree_hash(project)
    code, _, err = add(ADD / "solar-brief.yaml", capsys)
    assert code == 2
    assert "document 'solar-brief' already exists (graphs/sources/solar-brief.yaml)" in err
    assert tree_hash(project) == before


@pytest.mark.java
def test_add_csv_converts_to_the_yaml_format(project, capsys):
    need_java()
    from policykg.authoring.build import build_graphs

    code, out, err = add(ADD / "chips-brief.csv", capsys)
    assert code == 0, err
    assert "wrote graphs/sources/chips-brief.yaml" in out
    data = yaml.safe_load((project / "graphs/sources/chips-brief.yaml").read_text("utf-8"))
    assert data == {
        "document": {
            "id": "chips-brief",
            "type": "Report",
            "text": "chips-brief.txt",
            "title": "Chips brief",
            "year": 2025,
        },
        "entities": {
            "lithography-machines": {
                "type": "TechnologyField",
                "label": "lithography machines",
                "zh": "光刻机",
                "alt": ["lithography tools", "steppers"],
            },
            "chips-programme": {
                "type": "Initiative",
                "label": "chips programme",
                "mentioned_in": ["p5"],
            },
        },
        "passages": {
            "p3": {
                "quote": "Lithography machines underpin high-end chips.",
                "facts": [["lithography-machines", "underpins", "high-end-chips"]],
            },
            "p5": {
                "quote": "The chips programme was launched on 2025-03-05.",
                "facts": [["chips-programme", "skos:definition", "a programme for chips"]],
            },
        },
    }
    assert build_graphs(check=True).written == []
    with use_project(project):
        import policykg

        kg = policykg.load()
        year = kg.query("SELECT ?y WHERE { kg:chips-brief pkg:publicationYear ?y }").rows
        assert year == [(Literal("2025", datatype=XSD.integer),)]
        kg.close()


def test_add_yaml_with_a_quote_not_in_its_text_is_refused(project, capsys):
    before = tree_hash(project)
    code, _out, err = add(ADD / "broken-quote.yaml", capsys)
    assert code == 2
    assert err.strip() == (
        f"policykg: error: {ADD / 'broken-quote.yaml'}: passage p3: quote not found verbatim in "
        "the document's text: 'Solar power powers new quality productive forces.'"
    )
    assert tree_hash(project) == before


@pytest.mark.java
def test_add_yaml_that_makes_the_graph_inconsistent_is_refused(project, capsys):
    need_java()
    before = tree_hash(project)
    code, _out, err = add(ADD / "broken-inconsistent.yaml", capsys)
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith(
        'graphs/inconsistent-brief.trig: "Acme Solar" (kg:acme-solar): [OWL consistency]'
    )
    assert lines[-1].endswith("was not added: 1 problem(s); no file was changed")
    assert tree_hash(project) == before


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("kind,id,colour\n", "chips.csv:1: unknown column(s) colour"),
        ("id,label\n", "chips.csv:1: the header needs at least the columns 'kind' and 'id'"),
        (
            "kind,id,type,label,text\nentity,x,Concept,x,\n",
            "chips.csv: needs one 'document' row",
        ),
        (
            "kind,id,type,label,text,predicate,object\n"
            "document,chips-brief,Report,Chips brief,chips-brief.txt,,\n"
            "fact,lithography-machines,,,,underpins,high-end-chips\n",
            "chips.csv:3: fact [lithography-machines, underpins, high-end-chips] needs the passage "
            "that states it",
        ),
        (
            "kind,id,type,label,text\ndocument,chips-brief,Report,Chips brief,chips-brief.txt\n"
            "widget,x,,,\n",
            "chips.csv:3: unknown kind 'widget'",
        ),
    ],
)
def test_add_csv_mistakes_are_one_line_and_change_nothing(
    project, tmp_path, capsys, csv_text, message
):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ADD / "chips-brief.txt", folder / "chips-brief.txt")
    (folder / "chips.csv").write_text(csv_text, encoding="utf-8")
    before = tree_hash(project)
    code, _, err = add(folder / "chips.csv", capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert message in err
    assert tree_hash(project) == before


def test_add_refuses_unknown_file_types(project, tmp_path, capsys):
    path = tmp_path / "notes.docx"
    path.write_text("x", encoding="utf-8")
    code, _, err = add(path, capsys)
    assert code == 2
    assert "cannot add a '.docx' file" in err
