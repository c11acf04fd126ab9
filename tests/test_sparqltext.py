"""The one SPARQL tokenizer, and ORDER BY applied to the answer instead of inside Oxigraph."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

import policykg
from policykg.core.namespaces import PREFIXES
from policykg.sparql.catalogue import named_queries
from policykg.sparql.results import QueryResult, order_key, order_rows
from policykg.sparql.sparqltext import OrderKey, first_keyword, split_order_by, tokens


def test_tokens_skip_comments_and_keep_strings_whole() -> None:
    toks = tokens('SELECT ?x # ORDER BY ?y\nWHERE { ?x rdfs:label "ORDER BY ?z" . }')
    assert [t.kind for t in toks] == [
        "word", "var", "word", "other", "var", "pname", "string", "other", "other",
    ]
    assert toks[5].text == "rdfs:label"
    # A prefixed name never ends with the dot that ends a triple.
    assert tokens("{ ?s a ex:C. }")[3].text == "ex:C"


def test_first_keyword_skips_the_prologue() -> None:
    assert first_keyword("PREFIX a: <x:> BASE <y:> # c\n select * {}") == "SELECT"
    assert first_keyword("  ") is None
    assert first_keyword('"SELECT"') is None


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY ?b ?a", [OrderKey("b"), OrderKey("a")]),
        ("SELECT ?a ?b { ?a ?p ?b } order by desc(?b) ASC(?a)",
         [OrderKey("b", descending=True), OrderKey("a")]),
        ("SELECT * WHERE { ?a ?p ?b } ORDER BY ?p", [OrderKey("p")]),
        ("SELECT (COUNT(?a) AS ?n) ?p WHERE { ?a ?p ?b } GROUP BY ?p ORDER BY DESC(?n)",
         [OrderKey("n", descending=True)]),
        ("SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a VALUES ?p { <x:p> }", [OrderKey("a")]),
    ],
)
def test_split_order_by(query: str, keys: list[OrderKey]) -> None:
    split = split_order_by(query)
    assert split is not None
    body, found = split
    assert found == keys
    assert "ORDER" not in body.upper().replace("BORDER", "")
    assert len(body) == len(query)  # error positions stay true


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY STRLEN(?a)",  # an expression
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 10",  # LIMIT needs the order first
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a OFFSET 3",
        "SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?b",  # not projected
        "SELECT ?a WHERE { { SELECT ?a WHERE { ?a ?p ?b } ORDER BY ?a LIMIT 1 } }",  # inner
        "CONSTRUCT { ?a ?p ?b } WHERE { ?a ?p ?b } ORDER BY ?a",
        'SELECT ?a WHERE { ?a ?p "ORDER BY ?a" }',
        "SELECT ?a WHERE { ?a ?p ?b } # ORDER BY ?a",
    ],
)
def test_split_order_by_leaves_the_rest_to_the_store(query: str) -> None:
    assert split_order_by(query) is None


def test_split_order_by_keeps_lines() -> None:
    query = "SELECT ?a WHERE { ?a ?p ?b }\nORDER BY\n  ?a\n"
    split = split_order_by(query)
    assert split is not None
    assert split[0].count("\n") == query.count("\n")


def test_order_key_follows_sparql() -> None:
    terms = [
        Literal("b", lang="en"),
        Literal("10", datatype=XSD.integer),
        URIRef("http://x/b"),
        None,
        Literal("9.5", datatype=XSD.decimal),
        BNode("n1"),
        Literal("a"),
        URIRef("http://x/a"),
        Literal("1e1", datatype=XSD.double),
    ]
    ordered = sorted(terms, key=order_key)
    assert ordered[:4] == [None, BNode("n1"), URIRef("http://x/a"), URIRef("http://x/b")]
    # Numbers by value (9.5 < 10 = 1e1), then the other literals by their text.
    assert ordered[4] == Literal("9.5", datatype=XSD.decimal)
    assert {ordered[5], ordered[6]} == {
        Literal("10", datatype=XSD.integer), Literal("1e1", datatype=XSD.double),
    }
    assert ordered[7:] == [Literal("a"), Literal("b", lang="en")]


def test_order_rows_sorts_descending_and_breaks_ties_by_the_whole_row() -> None:
    a, b, c = (Literal(x) for x in "abc")
    result = QueryResult(kind="select", vars=["x", "y"],
                         rows=[(a, c), (b, a), (a, b), (b, None)])
    order_rows(result, [OrderKey("x", descending=True)])
    assert result.rows == [(b, None), (b, a), (a, b), (a, c)]
    order_rows(result, [OrderKey("y")])
    assert result.rows == [(b, None), (b, a), (a, b), (a, c)]


def _ordered_queries() -> list[str]:
    return [name for name, q in named_queries().items() if split_order_by(q.text)]


@pytest.mark.parametrize("name", _ordered_queries())
def test_answer_order_matches_oxigraphs_own(kg: policykg.PolicyKG, name: str) -> None:
    """On the article, ordering the answer gives the order Oxigraph's ORDER BY gives."""
    text = named_queries()[name].text
    split = split_order_by(text)
    assert split is not None
    ours = kg.backend.query(text)
    store = kg.backend.store  # type: ignore[attr-defined]
    theirs = list(store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True))
    assert len(ours.rows) == len(theirs)
    keys = [k.var for k in split[1]]
    columns = [ours.vars.index(k) for k in keys]
    mine = [tuple(None if row[i] is None else str(row[i]) for i in columns) for row in ours.rows]
    own = [tuple(None if sol[k] is None else sol[k].value for k in keys) for sol in theirs]
    assert mine == own


def test_a_group_gets_the_values_of_the_variables_it_mentions():
    """Regression (compare on a 600,000-quad store: 3.6 s): every group pattern got a VALUES
    block for every bound variable, and Oxigraph then evaluated groups that do not use the
    variable over every document; in a MINUS the block even made a variable shared."""
    from rdflib import URIRef

    from policykg.sparql.syntax import bind_values

    q = ("SELECT ?p WHERE { ?p pkg:inDocument ?doc . "
         "{ ?p a pkg:Provision } UNION { ?p pkg:quote ?q } "
         "MINUS { ?p pkg:reviewStatus pkg:Unreviewed } }")
    out = bind_values(q, {"doc": URIRef("https://w3id.org/policykg/id/gwr-2024")})
    assert out.count("VALUES") == 1  # the top group only: no other group mentions ?doc
    assert out.index("VALUES") < out.index("pkg:inDocument")
    both = bind_values("SELECT * WHERE { ?a ?p ?b { ?b ?q ?c } }",
                       {"a": URIRef("urn:x:a"), "c": URIRef("urn:x:c")})
    assert both.count("VALUES (?a ?c)") == 1 and both.count("VALUES (?c)") == 1
