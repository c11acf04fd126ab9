"""Naming the file of a problem reads no input again (issue 24: at 1M triples 5-8 CPU s went
into an index of every quad of every input, with a second parse of the 1M file, to name the file
of 8 label warnings).

The store says which graphs hold the answer and each input's graphs (recorded while loading) say
who wrote them; an input is read again only when it shares such a graph with another input. The
answers are those of the index over every quad (:class:`Reference`, the old code).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.checks.data import CheckData, Source
from policykg.rdf.terms import to_oxigraph

KG = "https://w3id.org/policykg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"


class Reference:
    """The index over every quad of every input that ``file_of`` used before."""

    def __init__(self, sources: list[Source]) -> None:
        self.subject: dict[str, list[str]] = {}
        self.triple: dict[tuple[str, ...], list[str]] = {}
        self.term: dict[str, list[str]] = {}
        self.ontology = {s.name for s in sources if s.ontology}
        for source in sources:
            for q in source.quads():
                s, p, o = str(q.subject), str(q.predicate), str(q.object)
                pairs: list[tuple[dict[Any, list[str]], Any]] = [
                    (self.subject, s), (self.triple, (s, p, o)), (self.term, p), (self.term, o)]
                for table, key in pairs:
                    found = table.setdefault(key, [])
                    if source.name not in found:
                        found.append(source.name)

    def file_of(self, node: Node, triple: tuple[Node, Node, Node] | None = None) -> str:
        key = str(to_oxigraph(node))
        tkey = tuple(str(to_oxigraph(t)) for t in triple) if triple else None
        for candidates in (self.triple.get(tkey, []) if tkey else [],
                           self.subject.get(key, []), self.term.get(key, [])):
            user = [c for c in candidates if c not in self.ontology]
            if user:
                return user[-1]
            if candidates:
                return candidates[-1]
        return sorted(self.ontology)[0] if self.ontology else "(graph)"


def _quads(ttl: str, graph: str | None) -> list[Any]:
    head = f"@prefix kg: <{KG}> . @prefix xsd: <{XSD}> .\n"
    to = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    return [ox.Quad(t.subject, t.predicate, t.object, to)
            for t in ox.parse((head + ttl).encode(), format=ox.RdfFormat.TURTLE)]


class Counted:
    """A source's quads, counting how often they are read."""

    def __init__(self, quads: list[Any]) -> None:
        self.quads, self.reads = quads, 0

    def __call__(self) -> list[Any]:
        self.reads += 1
        return self.quads


ONTO = 'kg:Goal kg:label "goal" . kg:shared kg:label "o" .'
BIG = ('kg:a kg:p kg:b ; kg:n "5"^^xsd:integer ; kg:q "quote" ; kg:l "x"@en . '
       'kg:b kg:p kg:Goal . kg:shared kg:p kg:a .')
SMALL = 'kg:c kg:p kg:a ; kg:n "05"^^xsd:integer . kg:shared kg:p kg:a . kg:a kg:p kg:b .'


def _sources() -> tuple[list[Source], Counted]:
    big = Counted(_quads(BIG, "urn:g:big"))
    return [
        Source("onto.ttl", Counted(_quads(ONTO, "urn:g:onto")), ontology=True),
        Source("big.nq", big),
        Source("other.ttl", Counted(_quads(SMALL, "urn:g:other"))),
        Source("same-graph.ttl", Counted(_quads("kg:d kg:p kg:a .", "urn:g:other"))),
    ], big


def test_a_problem_in_a_large_input_does_not_read_it_again() -> None:
    sources, big = _sources()
    data = CheckData.load(sources, texts_dir=None)
    assert big.reads == 1
    a = URIRef(KG + "a")
    assert data.file_of(a, (a, URIRef(KG + "q"), Literal("quote"))) == "big.nq"
    assert data.file_of(URIRef(KG + "b")) == "big.nq"
    assert data.file_of(a) == "other.ttl"  # the last user file (it shares a graph: read again)
    assert big.reads == 1  # before: every input read again, the large one parsed twice


NODES = [KG + n for n in ("a", "b", "c", "d", "Goal", "shared", "p", "nowhere")]


@pytest.mark.parametrize("node", NODES)
def test_file_of_answers_as_the_index_over_every_quad(node: str) -> None:
    sources, _ = _sources()
    data = CheckData.load(sources, texts_dir=None)
    ref = Reference(sources)
    s, p, n = URIRef(node), URIRef(KG + "p"), URIRef(KG + "n")
    asked: list[tuple[Node, Node, Node] | None] = [
        None,
        (s, p, URIRef(KG + "a")),
        (s, p, URIRef(KG + "b")),
        (s, n, Literal("5", datatype=URIRef(XSD + "integer"))),
        (s, n, Literal("05", datatype=URIRef(XSD + "integer"))),
        (s, URIRef(KG + "l"), Literal("x", lang="en")),
        (s, URIRef(KG + "label"), Literal("o")),
    ]
    for triple in asked:
        assert data.file_of(s, triple) == ref.file_of(s, triple), triple
    literal = Literal("5", datatype=URIRef(XSD + "integer"))
    assert data.file_of(literal) == ref.file_of(literal)
