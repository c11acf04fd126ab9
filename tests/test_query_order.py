"""ORDER BY applied to the answer: the same order however the rows were converted and keyed.

The backend converts an answer's terms through a memo and sorts by order keys looked up in C,
tied rows alone by their whole row (issue 24); the order must stay the one of the plain
algorithm below: the whole-row order first, then stable sorts by the keys, last key first.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from policykg.rdf.terms import ntriples_term
from policykg.sparql import results
from policykg.sparql.results import QueryResult, order_key, order_rows, result_from_oxigraph
from policykg.sparql.sparqltext import OrderKey, parse

Row = tuple[Node | None, ...]

_TERMS: list[Node | None] = [
    None,
    URIRef("http://x/a"),
    URIRef("http://x/b"),
    Literal("a"),
    Literal("b", lang="en"),
    Literal("b", lang="zh"),
    Literal("10", datatype=XSD.integer),
    Literal("010", datatype=XSD.integer),
    Literal("10.0", datatype=XSD.decimal),
    Literal("9.5", datatype=XSD.decimal),
    Literal("1e1", datatype=XSD.double),
    Literal("-0", datatype=XSD.integer),
    Literal("12345678901234567890123", datatype=XSD.integer),
    Literal("1E+30", datatype=XSD.decimal),
    Literal("abc", datatype=XSD.integer),  # ill-typed: with the other literals
    Literal("2024-01-01", datatype=XSD.date),
]


def _reference(rows: list[Row], names: list[str], keys: list[OrderKey]) -> list[Row]:
    """The order as it was computed before issue 24 (one key tuple per term, every row)."""
    keyed = sorted(((tuple(order_key(t) for t in row), row) for row in rows), key=_first)
    for k in reversed([k for k in keys if k.var in names]):
        at = names.index(k.var)
        keyed.sort(key=lambda pair: pair[0][at], reverse=k.descending)
    return [row for _, row in keyed]


def _first(pair: tuple[Any, Row]) -> Any:
    return pair[0]


def _answers(seed: int, terms: list[Node | None]) -> list[tuple[list[Row], list[OrderKey]]]:
    rng = random.Random(seed)
    names = ["a", "b", "c"]
    out = []
    for _ in range(200):
        pool = rng.sample(terms, rng.randint(1, 5))  # few values: many ties
        rows = [tuple(rng.choice(pool) for _ in names) for _ in range(rng.randint(0, 12))]
        keys = [OrderKey(v, descending=rng.random() < 0.3)
                for v in rng.sample([*names, "absent"], rng.randint(0, 3))]
        out.append((rows, keys))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_order_rows_keeps_the_plain_order(seed: int) -> None:
    names = ["a", "b", "c"]
    for rows, keys in _answers(seed, [*_TERMS, BNode("n1"), BNode("n2")]):
        result = QueryResult(kind="select", vars=list(names), rows=list(rows))
        order_rows(result, keys)
        assert result.rows == _reference(rows, names, keys), (rows, keys)


def _solutions(rows: list[Row]) -> Any:
    """The rows as pyoxigraph's answer to a query (a VALUES block keeps their order)."""
    import pyoxigraph as ox

    data = " ".join(
        "(" + " ".join("UNDEF" if t is None else ntriples_term(t) for t in row) + ")"
        for row in rows
    )
    return ox.Store().query(f"SELECT ?a ?b ?c WHERE {{ VALUES (?a ?b ?c) {{ {data} }} }}")


@pytest.mark.parametrize("seed", range(3))
def test_a_converted_answer_keeps_the_plain_order(seed: int, monkeypatch: Any) -> None:
    names = ["a", "b", "c"]
    monkeypatch.setattr(results, "_CONVERTED_MAX", 10)  # the memo is replaced along the way
    for rows, keys in _answers(seed, _TERMS):
        if not keys:
            continue  # no ORDER BY: the rows as read
        # as read (Oxigraph writes some literals of a query in canonical form: 10.0 -> 10)
        converted = result_from_oxigraph(_solutions(rows)).rows
        for _ in range(2):  # a warm answer (terms and keys known) alike
            ordered = result_from_oxigraph(_solutions(rows), order=keys)
            assert ordered.rows == _reference(converted, names, keys), (rows, keys)


def test_an_answer_cut_at_the_limit_is_left_as_read() -> None:
    rows: list[Row] = [(Literal(str(i)), None, None) for i in (3, 1, 2)]
    cut = result_from_oxigraph(_solutions(rows), limit=2, order=[OrderKey("a")])
    assert cut.rows == rows[:2]
    whole = result_from_oxigraph(_solutions(rows), limit=4, order=[OrderKey("a")])
    assert [r[0] for r in whole.rows] == [Literal("1"), Literal("2"), Literal("3")]


def test_numbers_keep_their_value_order_and_their_ties() -> None:
    terms = [
        Literal("10", datatype=XSD.integer),
        Literal("1e1", datatype=XSD.double),
        Literal("10.0", datatype=XSD.decimal),
        Literal("9.5", datatype=XSD.decimal),
        Literal("1E+30", datatype=XSD.decimal),
        Literal("12345678901234567890123", datatype=XSD.integer),
    ]
    ordered = sorted(terms, key=order_key)
    assert ordered[0] == Literal("9.5", datatype=XSD.decimal)
    assert ordered[-2:] == [Literal("12345678901234567890123", datatype=XSD.integer),
                            Literal("1E+30", datatype=XSD.decimal)]
    # 10, 10.0 and 1e1 are one value: their keys differ only by the lexical form
    ten = [order_key(t) for t in terms[:3]]
    assert all(k[1] == ten[0][1] for k in ten)


def test_prefix_names_are_the_prefixed_names_the_query_writes() -> None:
    parsed = parse('PREFIX ex: <http://e/> SELECT ?x WHERE { ?x skos:prefLabel "pkg:no" ; '
                   "<http://kg:no> ?y . # owl:no\n ?y a ex:C, :D }")
    assert parsed.prefix_names == {"ex", "skos", ""}
