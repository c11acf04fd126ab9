"""Work ``validate`` does not need to do (issue 24's measured regressions).

- the label check computes one skeleton per distinct label text and makes no rdflib term per
  label row (6.5 CPU s at 1M triples, most of it in these);
- small Turtle/TriG files are parsed by Oxigraph, with the terms rdflib's parser gave (the
  article's validate spent half its Python time in rdflib's parser);
- the violation queries are read without tokenising the other shipped queries.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from policykg.checks import data as data_mod
from policykg.checks import labels as labels_mod
from policykg.checks.data import CheckData, Source, load_sources, part_source, read_part
from policykg.rdf.graphio import GraphFile

HEAD = (
    "@prefix kg: <https://w3id.org/policykg/id/> . "
    "@prefix skos: <http://www.w3.org/2004/02/skos/core#> . "
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)


def _data(ttl: str) -> CheckData:
    import pyoxigraph as ox

    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:g"))
        for t in ox.parse((HEAD + ttl).encode(), format=ox.RdfFormat.TURTLE)
    ]
    return CheckData.load([Source("x.ttl", lambda: quads)], texts_dir=None)


def test_label_check_computes_one_skeleton_per_distinct_text(monkeypatch) -> None:
    calls: list[str] = []
    real = labels_mod.skeleton
    monkeypatch.setattr(labels_mod, "skeleton", lambda text: calls.append(text) or real(text))
    made: list[object] = []
    real_from = labels_mod.from_oxigraph
    monkeypatch.setattr(labels_mod, "from_oxigraph", lambda t: made.append(t) or real_from(t))
    ttl = "".join(f'kg:e{i} skos:prefLabel "twin"@en, "e{i % 5}"@en .\n' for i in range(60))
    data = _data(ttl)
    try:
        problems = labels_mod.check_labels(data)
    finally:
        data.close()
    assert len(calls) == 6  # "twin" and e0..e4 (the old loop: 120, one per entity and label)
    assert made == []  # no rdflib term per row (the compiler-named nodes: none here)
    assert sum(p.rule == "shared label" for p in problems) == 120  # each entity, twice


@pytest.mark.parametrize(
    "literal",
    [
        '"01"^^xsd:integer',
        "007",
        "1e3",
        "1.50",
        '"  5 "^^xsd:int',
        '"+5"^^xsd:nonNegativeInteger',
        '"TRUE"^^xsd:boolean',
        '"1"^^xsd:boolean',
        '"x"@en-US',
        '"2020-1-1"^^xsd:date',
        '"-0"^^xsd:int',
        '"12"^^xsd:positiveInteger',
        '"abc"^^xsd:integer',
        '"x"^^<http://example.org/dt>',
        '"a\\u00e9"',
    ],
)
def test_a_small_file_parsed_by_oxigraph_reads_as_rdflib_read_it(literal: str, tmp_path) -> None:
    path = tmp_path / "x.ttl"
    path.write_text(HEAD + f"kg:a kg:p {literal} ; kg:q [ kg:r _:b0 ] .\n", encoding="utf-8")
    graph = URIRef("urn:g")
    fast = data_mod._ox_as_rdflib_reads(path, graph)
    assert fast is not None
    old = part_source("x", data_mod._rdflib_quads(GraphFile(path, graph)), False).quads()

    def plain(quads):  # blank nodes aside (their labels are fresh in both)
        return sorted(
            str(q)
            for q in quads
            if not any(type(t).__name__ == "BlankNode" for t in (q.subject, q.object))
        )

    assert plain(fast) == plain(old) and len(list(fast)) == len(list(old))


def _without_blank_labels(quads) -> tuple[int, list[str]]:
    """How many quads, and those without blank nodes, as text (blank labels are fresh; rdflib
    names a graph named by a blank node with a fresh IRI)."""
    plain = sorted(
        repr(q[:3] if q[3] is not None and ":" not in q[3] else q)
        for q in quads
        if not any(type(t).__name__ == "BNode" for t in q)
    )
    return len(quads), plain


@pytest.mark.parametrize(
    ("name", "text", "by_oxigraph"),
    [
        (
            "literals.ttl",
            HEAD + 'kg:a kg:p "01"^^xsd:integer, 1e3, 1.50, "x"@en-us, "TRUE"^^xsd:boolean,'
            ' "abc"^^xsd:integer, "y", true ; kg:q [ kg:r _:b0 ], ( 1 2 ) .\n',
            True,
        ),
        ("twice.ttl", HEAD + 'kg:a kg:p kg:b .\nkg:a kg:p kg:b .\n_:x kg:p "z" .\n', True),
        (
            "graphs.trig",
            HEAD + "kg:g1 { kg:a kg:p kg:b . kg:a kg:p kg:b . }\nkg:c kg:p kg:d .\n"
            'kg:g2 { kg:a kg:p "v"@zh }\n',
            True,
        ),
        # what Oxigraph cannot tell apart, or rdflib names otherwise: rdflib reads these
        ("string.ttl", HEAD + 'kg:a kg:p "x"^^xsd:string, "x" .\n', False),
        ("lang.ttl", HEAD + 'kg:a kg:p "x"@en-US .\n', False),
        ("blank-graph.trig", HEAD + "_:g { kg:a kg:p kg:b }\n", False),
        ("deep.ttl", HEAD + "kg:a kg:p " + "[ kg:p " * 600 + "kg:b" + " ]" * 600 + " .\n", False),
    ],
)
def test_read_part_gives_the_quads_rdflib_reads(name, text, by_oxigraph, tmp_path) -> None:
    """read_part parses with Oxigraph what it reads as rdflib does (canonical literals, a quad
    stated twice kept once, the default graph as None), and leaves the rest to rdflib."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    for graph in [None] if name.endswith(".trig") else [URIRef("urn:g")]:
        file = GraphFile(path, graph)
        assert (data_mod._ox_part_quads(file) is not None) is by_oxigraph
        try:
            reference = _without_blank_labels(data_mod._rdflib_quads(file))
        except Exception as exc:
            with pytest.raises(type(exc)):
                read_part(file)
            continue
        assert _without_blank_labels(read_part(file).quads) == reference


def test_small_files_are_not_parsed_by_rdflib_and_blank_nodes_stay_apart(
    monkeypatch, tmp_path: Path
) -> None:
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    for f in (a, b):
        f.write_text(HEAD + "_:b0 kg:p kg:x .\n", encoding="utf-8")
    monkeypatch.setattr(data_mod, "read_part", lambda f: pytest.fail("rdflib parsed it"))
    files = [GraphFile(a, URIRef("urn:a")), GraphFile(b, URIRef("urn:b"))]
    sources = load_sources(files, ["a", "b"], [False, False])
    subjects = {q.subject for s in sources for q in s.quads()}
    assert len(subjects) == 2  # "_:b0" of a and of b are two nodes, as rdflib read them


def test_a_file_oxigraph_refuses_is_read_by_rdflib_for_its_message(tmp_path: Path) -> None:
    from policykg.core.errors import ParseError

    bad = tmp_path / "bad.ttl"
    bad.write_text(HEAD + "kg:a kg:p <not an iri> .\n", encoding="utf-8")
    with pytest.raises(ParseError) as caught:
        load_sources([GraphFile(bad, URIRef("urn:g"))], ["bad"], [False])
    old = None
    try:
        read_part(GraphFile(bad, URIRef("urn:g")))
    except ParseError as exc:
        old = str(exc)
    assert str(caught.value) == old


def test_violation_queries_tokenise_no_other_query(monkeypatch) -> None:
    from policykg.checks import violations
    from policykg.sparql import catalogue

    catalogue._shipped.cache_clear()
    seen: list[str] = []
    real = catalogue.variables
    monkeypatch.setattr(catalogue, "variables", lambda text: seen.append(text) or real(text))
    try:
        found = violations.violation_queries()
    finally:
        catalogue._shipped.cache_clear()
    assert found and all(q.name.endswith("-violation") for q in found)
    assert seen == []  # no violation query declares a parameter (37 tokenised before)
