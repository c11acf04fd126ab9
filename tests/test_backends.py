"""Backends: VALUES binding, term writing, result parsing, the persistent store, open_backend."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

import policykg
from policykg.errors import BackendError, QueryError
from policykg.rdf.terms import ntriples_term
from policykg.sparql.results import QueryResult, parse_graph, parse_results_json
from policykg.sparql.syntax import bind_each, bind_values, query_form, update_keyword
from policykg.store.backends import (
    EndpointBackend,
    MemoryBackend,
    StoreBackend,
    open_backend,
    split_credentials,
)

EX = "http://example.org/"


def normalise(result: QueryResult) -> object:
    """Rows as a sorted multiset; GROUP_CONCAT parts sorted (their order is undefined in SPARQL)."""
    def cell(term: object) -> tuple[str, ...]:
        if term is None:
            return ("",)
        if isinstance(term, Literal):
            value = ", ".join(sorted(str(term).split(", ")))
            return ("literal", value, term.language or "", str(term.datatype or ""))
        return (type(term).__name__, str(term))

    if result.kind == "select":
        return result.vars, sorted(tuple(cell(t) for t in row) for row in result.rows)
    if result.kind == "ask":
        return result.boolean
    return sorted(tuple(map(str, t)) for t in result.triples)


@pytest.fixture(scope="module")
def small() -> MemoryBackend:
    backend = MemoryBackend()
    data = f"""
    <{EX}g1> {{ <{EX}a> <{EX}p> "x"@en , "y"@zh , <{EX}b> . <{EX}b> <{EX}p> "z" . }}
    <{EX}g2> {{ <{EX}b> <{EX}q> <{EX}c> . <{EX}c> <{EX}p> "say \\"hi\\"\\n"@en . }}
    """
    backend.store.load(data.encode(), format=ox.RdfFormat.TRIG)
    return backend


# -- bind_each ---------------------------------------------------------------------------------------


def test_bind_each_restricts_a_variable_to_many_terms(small: MemoryBackend) -> None:
    text = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o FILTER(isLiteral(?o)) }} ORDER BY ?o"
    bound = bind_each(text, "s", [URIRef(f"{EX}a"), URIRef(f"{EX}c"), URIRef(f"{EX}none")])
    assert bound.startswith(f"SELECT ?s ?o WHERE {{ VALUES ?s {{ <{EX}a> <{EX}c> <{EX}none> }} ")
    rows = small.query(bound).rows
    assert [(str(s), str(o)) for s, o in rows] == [
        (f"{EX}c", 'say "hi"\n'), (f"{EX}a", "x"), (f"{EX}a", "y"),
    ]
    with pytest.raises(QueryError):
        bind_each(text, "s", [BNode("b")])  # a blank node cannot be named in a query
    with pytest.raises(QueryError, match="WHERE group"):
        bind_each("DESCRIBE ?s", "s", [URIRef(f"{EX}a")])


def test_run_each_asks_in_batches(kg: policykg.PolicyKG) -> None:
    from policykg.store.execute import run_each

    entities = [URIRef(f"https://w3id.org/policykg/id/{slug}") for slug in (
        "high-end-chips", "state-owned-enterprises", "new-quality-productive-forces")]
    query = "SELECT ?e ?l WHERE { ?e skos:prefLabel ?l FILTER(LANG(?l) = 'en') }"
    rows = run_each(kg, query, "e", entities, batch=2)
    assert sorted(str(e) for e, _ in rows) == sorted(str(e) for e in entities)
    assert run_each(kg, query, "e", []) == []


# -- bind_values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "bindings", "expected"),
    [
        # a variable used only in a FILTER (Oxigraph's own substitutions refuse this one)
        (f"SELECT ?o WHERE {{ ?s <{EX}p> ?o FILTER(LANG(?o) = ?lang) }} ORDER BY ?o",
         {"lang": Literal("zh")}, [("y",)]),
        # the bound variable is projected and keeps its value
        (f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?o", {"s": URIRef(EX + "b")},
         [(EX + "b", "z")]),
        # inside OPTIONAL, UNION and GRAPH groups
        (f"SELECT ?x WHERE {{ {{ GRAPH ?g {{ ?s <{EX}q> ?x }} }} UNION {{ ?s <{EX}p> ?x }} "
         f"OPTIONAL {{ ?x <{EX}p> ?l FILTER(?l != ?s) }} }} ORDER BY ?x",
         {"s": URIRef(EX + "b")}, [(EX + "c",), ("z",)]),
        # a sub-select that does not project the bound variable
        (f"SELECT ?n WHERE {{ {{ SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{EX}p> ?o }} }} }}",
         {"s": URIRef(EX + "a")}, [("3",)]),
        # a literal with quotes and a newline, compared in a FILTER
        (f"SELECT ?s WHERE {{ ?s <{EX}p> ?o FILTER(STR(?o) = ?text) }}",
         {"text": Literal('say "hi"\n')}, [(EX + "c",)]),
        # a variable the query does not mention is ignored
        (f"SELECT ?o WHERE {{ <{EX}b> <{EX}p> ?o }}", {"nothing": URIRef(EX + "a")}, [("z",)]),
        # strings, IRIs and comments holding braces or the word VALUES are left alone
        (f'SELECT ?o WHERE {{ ?s <{EX}p> ?o # {{ VALUES\n FILTER(?o != "{{VALUES}}") '
         f"FILTER(?s = ?who) }} ORDER BY ?o", {"who": URIRef(EX + "b")}, [("z",)]),
    ],
)
def test_bind_values_matches_substitution(small: MemoryBackend, query: str, bindings: dict,
                                          expected: list[tuple[str, ...]]) -> None:
    res = small.query(query, bindings)
    assert [tuple(str(t) for t in row) for row in res.rows] == expected


def test_bind_values_agrees_with_oxigraph_substitutions(small: MemoryBackend) -> None:
    query = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s ?o"
    mine = small.query(query, {"s": URIRef(EX + "a")})
    theirs = small.store.query(query, use_default_graph_as_union=True,
                               substitutions={ox.Variable("s"): ox.NamedNode(EX + "a")})
    assert [tuple(str(t.value) for t in sol) for sol in theirs] == [
        tuple(str(t) for t in row) for row in mine.rows
    ]


def test_bind_values_on_every_query_form(small: MemoryBackend) -> None:
    a = {"s": URIRef(EX + "a")}
    assert small.query(f"ASK {{ ?s <{EX}p> <{EX}b> }}", a).boolean is True
    assert small.query(f"ASK {{ ?s <{EX}p> <{EX}b> }}", {"s": URIRef(EX + "b")}).boolean is False
    built = small.query(f"CONSTRUCT {{ ?s <{EX}r> ?o }} WHERE {{ ?s <{EX}p> ?o }}", a)
    assert len(built.triples) == 3 and {t[0] for t in built.triples} == {URIRef(EX + "a")}
    short = small.query(f"CONSTRUCT WHERE {{ ?s <{EX}p> ?o }}", a)
    assert len(short.triples) == 3
    described = small.query("DESCRIBE ?s", a)
    assert {t[0] for t in described.triples} == {URIRef(EX + "a")}


def test_bind_values_text() -> None:
    query = "SELECT ?x WHERE { ?x ?p ?y }"
    assert bind_values(query, None) == query
    assert bind_values(query, {"z": URIRef(EX)}) == query
    bound = bind_values(query, {"y": Literal("a", lang="en"), "p": URIRef(EX + "p")})
    assert 'VALUES (?y ?p) { ("a"@en <http://example.org/p>) }' in bound
    sub = bind_values("SELECT * { { SELECT ?x WHERE { ?x ?p ?y } } }", {"y": Literal(1)})
    assert "{ SELECT" in sub.replace("  ", " ") and sub.count("VALUES") == 2
    data = bind_values("SELECT * WHERE { VALUES ?y { 1 2 } ?x ?p ?y }", {"x": URIRef(EX)})
    assert data.count("VALUES") == 2 and "VALUES ?y { 1 2 }" in data


def test_bind_values_never_ends_a_construct_or_describe_with_values() -> None:
    # Virtuoso 7 refuses a VALUES clause after CONSTRUCT/DESCRIBE ("BINDINGS is not supported
    # at top level for queries other than SELECT"); the same queries in their long form.
    x = {"x": URIRef(EX + "a")}
    short = bind_values(f"CONSTRUCT WHERE {{ ?x <{EX}p> ?o }} LIMIT 5", x)
    assert short == (f"CONSTRUCT {{ ?x <{EX}p> ?o }} WHERE {{ VALUES (?x) {{ (<{EX}a>) }}  "
                     f"?x <{EX}p> ?o }} LIMIT 5")
    described = bind_values("DESCRIBE ?x LIMIT 2", x)
    assert described.split() == ["DESCRIBE", "?x", "WHERE", "{", "VALUES", "(?x)", "{",
                                 f"(<{EX}a>)", "}", "}", "LIMIT", "2"]


def test_bind_values_leaves_exists_and_optional_groups_to_their_group(
    small: MemoryBackend,
) -> None:
    # The enclosing group's block binds the variable for EXISTS and OPTIONAL too; a second block
    # inside them made Virtuoso 7 find nothing (EXISTS) or drop the optional part (OPTIONAL).
    optional = (f"SELECT ?s ?o ?x WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?o <{EX}p> ?x "
                f"FILTER(?s = <{EX}a>) {{ ?o ?any ?x FILTER(BOUND(?s)) }} }} }} ORDER BY ?o ?x")
    bound = bind_values(optional, {"s": URIRef(EX + "a")})
    assert bound.count("VALUES") == 2  # the outer group and the group nested in the OPTIONAL
    for who in ("a", "b"):
        mine = small.query(optional, {"s": URIRef(EX + who)})
        theirs = small.store.query(optional, use_default_graph_as_union=True,
                                   substitutions={ox.Variable("s"): ox.NamedNode(EX + who)})
        assert [tuple(str(t) for t in row) for row in mine.rows] == [
            tuple("None" if t is None else str(t.value) for t in sol) for sol in theirs]
    query = (f"SELECT ?o WHERE {{ ?s <{EX}p> ?o FILTER EXISTS {{ ?s <{EX}p> ?x "
             f"OPTIONAL {{ ?x <{EX}q> ?s }} }} FILTER NOT EXISTS {{ {{ ?s <{EX}q> ?o }} }} }}")
    bound = bind_values(query, {"s": URIRef(EX + "b")})
    assert bound.count("VALUES") == 1 and bound.index("VALUES") < bound.index("FILTER")
    assert [str(r[0]) for r in small.query(query, {"s": URIRef(EX + "b")}).rows] == ["z"]
    rows = small.query(query, {"s": URIRef(EX + "a")}).rows
    assert sorted(str(r[0]) for r in rows) == sorted(["x", "y", EX + "b"])


@pytest.mark.parametrize(
    ("term", "text"),
    [
        (URIRef(EX + "a"), f"<{EX}a>"),
        (Literal("plain"), '"plain"'),
        (Literal("s", datatype=XSD.string), '"s"'),
        (Literal('tab\tquote" back\\slash\r\n'), '"tab\\tquote\\" back\\\\slash\\r\\n"'),
        (Literal("新质生产力", lang="zh"), '"新质生产力"@zh'),
        (Literal("12", datatype=XSD.integer), f'"12"^^<{XSD.integer}>'),
    ],
)
def test_ntriples_term(term: object, text: str) -> None:
    assert ntriples_term(term) == text  # type: ignore[arg-type]


@pytest.mark.parametrize("term", [URIRef("http://x/a b"), URIRef("http://x/>"), BNode("b0")])
def test_ntriples_term_refuses_what_sparql_cannot_hold(term: object) -> None:
    with pytest.raises(QueryError):
        ntriples_term(term)  # type: ignore[arg-type]


def test_injection_is_impossible(small: MemoryBackend) -> None:
    evil = Literal('x" } } ; DROP ALL ; SELECT * { "')
    res = small.query(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o FILTER(STR(?o) = ?t) }}", {"t": evil})
    assert res.rows == []


def test_query_form_and_update_keyword() -> None:
    assert query_form("PREFIX a: <x:> BASE <x:y> # c\n select * {}") == "SELECT"
    assert query_form("ASK {}") == "ASK"
    assert query_form('INSERT DATA { <a> <b> "SELECT" }') is None
    assert update_keyword('PREFIX x: <http://x/> insert data { <a> <b> "c" }') == "INSERT"
    assert update_keyword("DROP ALL") == "DROP"
    assert update_keyword('SELECT * WHERE { ?s ?p "DELETE" }') is None


def test_updates_are_refused(small: MemoryBackend) -> None:
    with pytest.raises(QueryError, match="DELETE"):
        small.query("DELETE WHERE { ?s ?p ?o }")
    assert small.query("ASK { ?s ?p ?o }").boolean is True


# -- parsing endpoint answers ----------------------------------------------------------------------


def test_parse_results_json() -> None:
    doc = {
        "head": {"vars": ["a", "b", "c"]},
        "results": {"bindings": [
            {"a": {"type": "uri", "value": EX}, "b": {"type": "literal", "value": "x",
                                                       "xml:lang": "en"}},
            {"a": {"type": "bnode", "value": "b1"},
             "b": {"type": "typed-literal", "value": "1", "datatype": str(XSD.integer)},
             "c": {"type": "literal", "value": "s", "datatype": str(XSD.string)}},
        ]},
    }
    res = parse_results_json(json.dumps(doc).encode())
    assert res.kind == "select" and res.vars == ["a", "b", "c"]
    assert res.rows[0] == (URIRef(EX), Literal("x", lang="en"), None)
    assert res.rows[1] == (BNode("b1"), Literal("1", datatype=XSD.integer), Literal("s"))
    assert parse_results_json(b'{"head": {}, "boolean": false}').boolean is False
    with pytest.raises(ValueError):
        parse_results_json(b"[1, 2]")


def test_parse_graph() -> None:
    nt = f'<{EX}a> <{EX}p> "x"@en .\n'.encode()
    assert parse_graph(nt, "application/n-triples").triples == [
        (URIRef(EX + "a"), URIRef(EX + "p"), Literal("x", lang="en"))
    ]
    assert len(parse_graph(nt, "text/plain").triples) == 1
    ttl = f'@prefix e: <{EX}> . e:a e:p e:b , e:c .'.encode()
    assert len(parse_graph(ttl, "text/turtle; charset=utf-8").triples) == 2


def test_split_credentials() -> None:
    url, headers = split_credentials("http://me:s%40cret@localhost:7878/query")
    assert url == "http://localhost:7878/query"
    assert headers["Authorization"] == "Basic bWU6c0BjcmV0"
    assert split_credentials("https://h/sparql") == ("https://h/sparql", {})
    with pytest.raises(BackendError, match="not an http"):
        split_credentials("ftp://h/x")


def test_unreachable_endpoint_is_a_backend_error() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    backend = EndpointBackend(f"http://127.0.0.1:{port}/query", timeout=5)
    with pytest.raises(BackendError, match="cannot reach"):
        backend.query("ASK { ?s ?p ?o }")
    with pytest.raises(QueryError, match="line 1, column"):  # checked locally, never sent
        backend.query("SELECT * WHERE { ?s ?p }")


# -- the persistent store and open_backend ---------------------------------------------------------


def test_open_backend_choices(tmp_path: Path) -> None:
    with pytest.raises(BackendError, match="either"):
        open_backend([], store=tmp_path, endpoint="http://localhost/query")
    with pytest.raises(BackendError, match="policykg load --store"):
        open_backend([], store=tmp_path / "missing")
    (tmp_path / "junk").mkdir()
    with pytest.raises(BackendError, match="no Oxigraph store"):
        StoreBackend(tmp_path / "junk")
    assert isinstance(open_backend([], endpoint="http://localhost:1/query"), EndpointBackend)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from policykg.rdf.graphio import graph_files
    from policykg.store.bulk import load_store

    target = tmp_path_factory.mktemp("store") / "kg.oxigraph"
    load_store(graph_files(), target)
    return target


def test_store_backend_is_read_only_and_complete(kg: policykg.PolicyKG, store_dir: Path) -> None:
    with policykg.load(store=store_dir) as on_disk:
        assert on_disk.backend.name == "store"
        def named(quads: object) -> list[tuple[object, ...]]:  # blank node ids differ per load
            return sorted(q for q in quads if not any(isinstance(t, BNode) for t in q))  # type: ignore[attr-defined]

        assert named(on_disk.backend.quads()) == named(kg.backend.quads())
        assert len(list(on_disk.backend.quads())) == len(list(kg.backend.quads()))
        with pytest.raises(BackendError, match="read-only"):
            on_disk.backend.load_files([])  # type: ignore[attr-defined]
        with pytest.raises(QueryError, match="INSERT"):
            on_disk.query("INSERT DATA { kg:a kg:b kg:c }")


def test_named_queries_agree_on_memory_and_store(kg: policykg.PolicyKG, store_dir: Path) -> None:
    from policykg.sparql.catalogue import named_queries

    with policykg.load(store=store_dir) as on_disk:
        for name, q in named_queries().items():
            assert normalise(q.run(on_disk, **q.examples)) == normalise(
                q.run(kg, **q.examples)
            ), name


def test_label_binds_a_filter_variable(kg: policykg.PolicyKG) -> None:
    # kg.label binds ?e and ?lang, neither projected: Oxigraph's substitutions refuse that.
    assert kg.label("https://w3id.org/policykg/ontology#Concept", lang="en")
    assert kg.label("https://w3id.org/policykg/id/nothing-here") == "nothing-here"


def test_environment_selects_the_store(store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKG_STORE", str(store_dir))
    with policykg.load() as graph:
        assert graph.backend.name == "store"
