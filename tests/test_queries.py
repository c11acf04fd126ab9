"""Every named query: it parses, runs, and returns what it must.

One test is parametrised over every ``.rq`` file shipped in ``policykg/queries``:
competency questions (``cq-*``) return exactly their expected rows (kept next to the query in
``queries/expected/<name>.json``), ``*-violation`` checks return nothing on the real graph, and the
other queries return at least one row with their example parameters.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from rdflib import Literal, Namespace, URIRef

from policykg.errors import ParseError, QueryError, UnknownQueryError
from policykg.rdf.terms import curie
from policykg.sparql.catalogue import (
    get_query,
    load_query_file,
    named_queries,
    parse_header,
    query_names,
    suggest_names,
)
from policykg.sparql.syntax import query_form, refuse_updates

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "src" / "policykg" / "sparql" / "queries"
QUERY_FILES = sorted(QUERY_DIR.glob("*.rq"))
EXPECTED_DIR = QUERY_DIR / "expected"
BROKEN = ROOT / "tests" / "fixtures" / "queries" / "broken.trig"
KG_NS = Namespace("https://w3id.org/policykg/id/")
NUMERIC = {"decimal", "integer", "double", "float", "int", "long", "nonNegativeInteger"}


def norm(term):
    """A comparable spelling: CURIE for IRIs, normalized numbers, lexical form otherwise."""
    if term is None:
        return None
    if isinstance(term, URIRef):
        return curie(str(term))
    numeric = isinstance(term, Literal) and str(term.datatype).rsplit("#", 1)[-1] in NUMERIC
    if numeric:
        try:
            return format(Decimal(str(term)).normalize(), "f")
        except InvalidOperation:
            return str(term)
    return str(term)


def test_the_package_ships_every_query_file():
    assert QUERY_FILES, "no .rq files found"
    assert query_names() == sorted(p.stem for p in QUERY_FILES)


def test_the_competency_questions_have_expected_answers():
    cqs = [n for n in query_names() if n.startswith("cq-")]
    assert [n.split("-")[1] for n in cqs] == [str(i) for i in range(1, 10)]
    assert sorted(p.stem for p in EXPECTED_DIR.glob("*.json")) == cqs


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_named_query(kg, article_text, path):
    q = get_query(path.stem)
    assert q.title and q.description, "every query needs a title and a description"
    assert query_form(q.text) in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    result = q.run(kg, **q.examples)
    rows = result.dicts()
    if q.role == "competency":
        expected = json.loads((EXPECTED_DIR / f"{q.name}.json").read_text(encoding="utf-8"))
        cols = expected["columns"]
        got = sorted({tuple(norm(r[c]) for c in cols) for r in rows}, key=str)
        want = sorted({tuple(row) for row in expected["rows"]}, key=str)
        assert got == want
        if "quote_contains" in expected:
            for r in rows:
                assert expected["quote_contains"] in str(r["quote"])
                assert article_text[int(r["start"]) : int(r["end"])] == str(r["quote"])
    elif q.role == "violation":
        assert rows == [], f"{q.name}: {[{k: norm(v) for k, v in r.items()} for r in rows][:5]}"
    else:
        assert len(result) >= 1, f"{q.name} returned nothing with {dict(q.examples)}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_labels_beside_iris(kg, path):
    """A column holding labelled kg: entities comes with a <column>Label column."""
    q = get_query(path.stem)
    result = q.run(kg, **q.examples)
    labelled = {
        str(s)
        for (s,) in kg.query(
            'SELECT DISTINCT ?e WHERE { ?e skos:prefLabel ?l FILTER(LANG(?l) = "en") }'
        ).rows
    }
    for i, var in enumerate(result.vars):
        if var.endswith("Label"):
            continue
        values = {str(r[i]) for r in result.rows if isinstance(r[i], URIRef)}
        if values & labelled:
            assert f"{var}Label" in result.vars, f"{q.name}: ?{var} has no ?{var}Label column"


@pytest.fixture(scope="module")
def broken_kg():
    """The ontology plus a deliberately broken graph (and nothing else)."""
    from policykg.core.namespaces import ONTOLOGY_IRI
    from policykg.core.paths import ontology_file
    from policykg.graph.kg import PolicyKG
    from policykg.rdf.graphio import GraphFile
    from policykg.store.backends import open_backend

    files = [GraphFile(ontology_file(), URIRef(ONTOLOGY_IRI)), GraphFile(BROKEN, None)]
    graph = PolicyKG(files, open_backend(files))
    yield graph
    graph.close()


VIOLATIONS = {
    "passage-offset-violation": {"kg:broken-p1"},
    "fact-without-evidence-violation": {"kg:not-a-passage", "kg:unmentioned"},
    "unlabelled-entity-violation": {"kg:nameless", "kg:twice"},
    "undeclared-term-violation": {"pkg:Gizmo", "pkg:frobnicates"},
    "observation-violation": {"kg:obs"},
    "plain-fact-violation": {"kg:focuser", "kg:asked", "kg:urged"},
}


def test_every_violation_query_is_checked_on_the_broken_graph():
    assert set(VIOLATIONS) == {n for n, q in named_queries().items() if q.role == "violation"}


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_violation_queries_find_the_planted_problems(broken_kg, name):
    result = get_query(name).run(broken_kg)
    found = {norm(r[0]) for r in result.rows}
    assert found == VIOLATIONS[name]


# -- the query library itself ----------------------------------------------------------------------


def test_unknown_name_suggests_the_nearest_and_lists_all():
    with pytest.raises(UnknownQueryError) as err:
        get_query("cq-2-soe-function")
    msg = str(err.value)
    assert "did you mean cq-2-soe-functions" in msg
    assert "search-labels" in msg and "\n" not in msg
    assert suggest_names("goal") == ["goals"]


def test_unknown_name_without_a_near_one_just_lists_all():
    """Regression: the message read "unknown query 'zzz'; (named queries: ...)"."""
    with pytest.raises(UnknownQueryError) as err:
        get_query("zzz")
    assert str(err.value).startswith("unknown query 'zzz' (named queries: actors-by-kind, ")


def test_header_is_parsed():
    q = get_query("cq-7-fact-evidence")
    assert [p.name for p in q.params] == ["subject", "predicate", "object"]
    assert all(p.kind == "entity" for p in q.params)
    assert q.examples["subject"] == "kg:state-owned-enterprises"
    assert q.description.startswith("Competency question 7.")
    search = get_query("search-labels")
    assert [(p.name, p.kind) for p in search.params] == [("text", "text"), ("lang", "text")]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "title"),
        ("# title: t\n# param: x (entity) — x\nSELECT * WHERE { ?s ?p ?o }", "not a variable"),
        ("# title: t\n# param: s (colour) — x\nSELECT * WHERE { ?s ?p ?o }", "param"),
        ("# title: t\n# example: s\nSELECT * WHERE { ?s ?p ?o }", "example"),
        ("# title: t\n# example: o=1\nSELECT * WHERE { ?s ?p ?o }", "undeclared"),
    ],
)
def test_malformed_headers_are_refused(text, problem):
    with pytest.raises(ParseError, match=problem):
        parse_header(text, name="q")


def test_query_file_with_and_without_header(tmp_path):
    plain = tmp_path / "plain.rq"
    plain.write_text("SELECT ?s WHERE { ?s a pkg:Goal }", encoding="utf-8")
    assert load_query_file(plain).params == ()
    with_header = tmp_path / "goal.rq"
    with_header.write_text(
        "# title: goals\n# param: s (entity) — a goal\nSELECT ?s WHERE { ?s a pkg:Goal }\n",
        encoding="utf-8",
    )
    q = load_query_file(with_header)
    assert q.name == "goal" and q.params[0].kind == "entity" and q.path == with_header
    with pytest.raises(ParseError, match="no such file"):
        load_query_file(tmp_path / "missing.rq")


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "insert data { <http://a> <http://b> <http://c> }",
        "PREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }",
        "# a comment\nDROP ALL",
        "LOAD <http://example.org/x.ttl>",
        "CLEAR GRAPH <http://example.org/g>",
        "CREATE GRAPH <http://example.org/g>",
        "ADD <http://a> TO <http://b>",
        "MOVE DEFAULT TO <http://b>",
        "COPY <http://a> TO <http://b>",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused(text):
    with pytest.raises(QueryError, match="refused"):
        refuse_updates(text)


@pytest.mark.parametrize(
    "text",
    [
        'SELECT ?s WHERE { ?s rdfs:label "DELETE everything" }',
        "# INSERT DATA { }\nSELECT * WHERE { ?s ?p ?o }",
        "PREFIX drop: <http://example.org/drop/>\nSELECT * WHERE { ?s drop:insert ?o }",
        "SELECT * WHERE { ?s <http://example.org/INSERT> ?o }",
        "ASK { ?s ?p '''\nDROP ALL\n''' }",
    ],
)
def test_update_words_inside_queries_are_not_refused(text):
    refuse_updates(text)


# Every way an entity's labels can be right or wrong, with the counts the check must report
# (None: the entity passes). Regression for the label-count rewrite of
# unlabelled-entity-violation: its group-by must match the former pairwise definition.
LABEL_CASES = {
    "one-en": ('"a"@en', None),
    "en-and-zh": ('"a"@en, "甲"@zh', None),
    "en-gb": ('"a"@en-GB', None),
    "zh-hant-and-en": ('"a"@en, "甲"@zh-Hant', None),
    "en-in-two-graphs": ('"a"@en', None),
    "zh-only": ('"甲"@zh', (0, 1)),
    "two-zh": ('"a"@en, "甲"@zh, "乙"@zh-Hans', (1, 2)),
    "two-en": ('"a"@en, "b"@en-US', (2, 0)),
    "plain": ('"a"', (0, 0)),
    "fr-only": ('"a"@fr', (0, 0)),
}


@pytest.fixture(scope="module")
def label_cases_file(tmp_path_factory):
    lines = [
        "@prefix pkg: <https://w3id.org/policykg/ontology#> .",
        "@prefix kg: <https://w3id.org/policykg/id/> .",
        "@prefix kgg: <https://w3id.org/policykg/graph/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "kgg:cases {",
        '  kg:cases a pkg:Article ; pkg:title "Cases"@en ; pkg:textFile "sources/cases.txt" .',
        '  kg:cases-p1 a pkg:Passage ; pkg:quote "q" ; pkg:startOffset 0 ; pkg:endOffset 1 .',
    ]
    lines += [
        f"  kg:{name} a pkg:Concept ; skos:prefLabel {labels} ."
        for name, (labels, _) in LABEL_CASES.items()
    ]
    lines += [
        "}",
        'kgg:again { kg:en-in-two-graphs skos:prefLabel "a"@en . }',
        # Named only in a passage's facts, never declared: still checked.
        "kg:cases-p1 { kg:one-en pkg:relatedTo kg:undeclared . }",
        "kgg:mentions { kg:one-en pkg:mentionedIn kg:cases-p1 . "
        "kg:zh-only pkg:mentionedIn kg:cases-p1 . kg:two-en pkg:mentionedIn kg:cases-p1 . }",
    ]
    path = tmp_path_factory.mktemp("labels") / "cases.trig"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def label_cases(label_cases_file):
    """The label cases on Oxigraph (the package's backend) and in rdflib's own engine."""
    from rdflib import Dataset

    from policykg.rdf.graphio import GraphFile
    from policykg.store.backends import open_backend

    backend = open_backend([GraphFile(label_cases_file, None)])
    ds = Dataset(default_union=True)
    ds.parse(label_cases_file, format="trig")
    yield backend, ds
    backend.close()


def test_unlabelled_entity_check_counts_labels_by_language(label_cases):
    from policykg.core.namespaces import PREFIXES

    backend, ds = label_cases
    expected = {f"kg:{name}": counts for name, (_, counts) in LABEL_CASES.items() if counts}
    expected["kg:undeclared"] = (0, 0)
    text = get_query("unlabelled-entity-violation").text
    got = {norm(r[0]): (int(r[1]), int(r[2])) for r in backend.query(text).rows}
    assert got == expected
    # rdflib's own SPARQL engine reads the query the same way.
    by_rdflib = {norm(r[0]): (int(r[1]), int(r[2])) for r in ds.query(text, initNs=PREFIXES)}
    assert by_rdflib == expected


@pytest.mark.parametrize(
    ("entity", "labels"),
    # two-en: "a"@en and "b"@en-US; the query asks for LANG = "en" exactly
    [("one-en", ["a"]), ("zh-only", [None]), ("two-en", ["a"]), ("fr-only", [])],
)
def test_evidence_gives_each_english_label_or_none(label_cases, entity, labels):
    """The evidence query's label sub-select keeps OPTIONAL's meaning (one row per English
    label, an unbound label when there is none), on Oxigraph and on rdflib's engine."""
    from policykg.core.namespaces import PREFIXES
    from policykg.sparql.syntax import bind_values

    backend, ds = label_cases
    text = get_query("evidence").text
    bindings = {"entity": KG_NS[entity]}
    rows = backend.query(text, bindings).dicts()
    assert [norm(r["entityLabel"]) for r in rows] == labels
    assert all(norm(r["passage"]) == "kg:cases-p1" and str(r["quote"]) == "q" for r in rows)
    by_rdflib = ds.query(bind_values(text, bindings), initNs=PREFIXES)
    assert sorted(norm(r.entityLabel) or "" for r in by_rdflib) == sorted(x or "" for x in labels)
