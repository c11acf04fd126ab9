"""One pass through a query: its text tokenised once, an entity parameter resolved in one round."""

from __future__ import annotations

from collections import OrderedDict

import pytest

import policykg
from policykg.sparql import sparqltext
from policykg.sparql.catalogue import get_query


@pytest.fixture
def counted(monkeypatch):
    """A fresh graph whose tokenisations and backend queries are recorded."""
    monkeypatch.setattr(sparqltext, "_PARSED", OrderedDict())  # nothing read before counts
    texts: list[str] = []
    real = sparqltext._tokenise

    def tokenise(sparql):
        texts.append(sparql)
        return real(sparql)

    monkeypatch.setattr(sparqltext, "_tokenise", tokenise)
    kg = policykg.load()
    sent: list[str] = []
    query = kg.backend.query

    def counting(sparql, bindings=None):
        sent.append(sparql)
        return query(sparql, bindings)

    monkeypatch.setattr(kg.backend, "query", counting)
    yield kg, texts, sent
    kg.close()


@pytest.mark.parametrize(
    ("actor", "lookups"),
    [("国有企业", 1), ("state-owned enterprises", 1), ("kg:state-owned-enterprises", 1)],
)
def test_named_query_is_tokenised_once_and_resolves_in_one_round(counted, actor, lookups):
    kg, texts, sent = counted
    q = get_query("asked-of")
    res = kg.named("asked-of", actor=actor)
    assert len(res) >= 1
    assert texts.count(q.text) == 1  # header parse, update refusal, nesting, ORDER BY, VALUES
    assert len(sent) == lookups + 1  # one round to resolve the label or CURIE, then the query
    assert sent[-1] == q.text
    before, asked = len(texts), len(sent)
    kg.named("asked-of", actor=actor)  # warm: nothing tokenised again, the name known already
    assert texts[before:].count(q.text) == 0
    assert sent[asked:] == [q.text]


def test_every_step_reads_the_same_parsed_query(monkeypatch):
    # the parse cache as in a fresh process: it keeps the last 256 texts, so queries parsed by
    # earlier tests in the same worker may have pushed out the ones this test reads (CI saw it)
    monkeypatch.setattr(sparqltext, "_PARSED", OrderedDict())
    q = get_query("cq-2-soe-functions")
    assert q.parsed is q.parsed and sparqltext.parse(q.parsed) is q.parsed  # read once, reused
    parsed = sparqltext.parse(q.text)
    assert sparqltext.parse(q.text) is parsed  # a text read recently is not tokenised again
    assert parsed.form == "SELECT" and parsed.update is None and parsed.service is None
    split = parsed.order_split
    assert split is not None
    body, keys = split
    assert keys and sparqltext.parse(body.text) is body  # the body is not tokenised again
    assert len(body.text) == len(q.text)  # positions in messages stay true


def test_update_refusal_and_syntax_message_read_the_parsed_query(counted):
    from policykg.core.errors import QueryError

    kg, texts, _ = counted
    with pytest.raises(QueryError, match="refused"):
        kg.query("DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="line 1, column"):
        kg.query("SELECT ?s WHERE { ?s ?p }")
    assert texts.count("SELECT ?s WHERE { ?s ?p }") == 1


def test_a_warm_query_asks_oxigraph_once():
    """Regression: a parameter Oxigraph refuses as a substitution (not projected) cost a failed
    attempt on every run before it was bound with VALUES."""
    kg = policykg.load()
    store = kg.backend.store
    calls: list[str] = []

    class Counting:
        def query(self, *args, **kwargs):
            calls.append(args[0])
            return store.query(*args, **kwargs)

    kg.backend.store = Counting()
    try:
        first = kg.named("asked-of", actor="kg:state-owned-enterprises")
        calls.clear()
        again = kg.named("asked-of", actor="kg:state-owned-enterprises")
        assert len(calls) == 1
        assert again.rows == first.rows
    finally:
        kg.backend.store = store
        kg.close()
