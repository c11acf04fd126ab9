"""The workbench's document, year and drafts filter (issue 23 point 3), without a browser.

The graph is the article (reviewed) plus a stand-in of the Government Work Report corpus import
built to the shared contract from the real corpus (``benchmarks/gwr_fixture.py``): every
imported passage a draft (``pkg:reviewStatus pkg:Unreviewed``).
"""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from policykg.apps.scope import Scope, parse_scope
from policykg.apps.server import ServeConfig, _open_source, execute, make_app
from policykg.core.errors import QueryError
from policykg.graph.kg import PolicyKG
from policykg.rdf.graphio import graph_files

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from gwr_fixture import build_fixture, document_id

DOCS, PASSAGES = 4, 20
#: statements in draft passages' own graphs (their records in the document graphs stay visible)
DRAFT_FACTS = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?g prov:wasGeneratedBy ?run } "
               "FILTER(STRENDS(STR(?run), \"-fixture-run\")) }")
ARTICLE_FACTS = ("SELECT (COUNT(*) AS ?n) WHERE { ?g pkg:inDocument kg:ncpf-2025 . "
                 "GRAPH ?g { ?s ?p ?o } }")


SIZES: dict[str, int] = {}


@pytest.fixture(scope="module")
def client(tmp_path_factory, corpus_file):
    from werkzeug.test import Client

    out = tmp_path_factory.mktemp("gwr")
    corpus = build_fixture(corpus_file, out, documents=DOCS, passages=PASSAGES)
    for p in corpus:
        SIZES[p.stem] = p.read_text(encoding="utf-8").count(" a pkg:Passage ;")
    files = [(str(f.path), str(f.graph) if f.graph else None) for f in graph_files()]
    backend = _open_source({"files": files + [(str(p), None) for p in corpus]})
    kg = PolicyKG([], backend)
    lock = threading.Lock()
    cache: dict[str, Any] = {}

    def run(job: dict[str, Any], timeout: float):
        with lock:
            return execute(backend.store, job, kg=kg, cache=cache)

    yield Client(make_app(ServeConfig(max_rows=1000), run))
    kg.close()


def count(client, query: str, **params: str) -> int:
    res = client.get("/sparql", query_string={"query": query, "format": "json", **params})
    assert res.status_code == 200, res.get_data(as_text=True)
    return int(json.loads(res.data)["results"]["bindings"][0]["n"]["value"])


def test_the_fixture_follows_the_shared_contract(corpus_file, tmp_path):
    records = [json.loads(x) for x in corpus_file.read_text(encoding="utf-8").splitlines()]
    ids = sorted(document_id(r)[0] for r in records)
    assert "gwr-2024" in ids and "gwr-2020-resolution" in ids and "gwr-2020" not in ids
    assert len(ids) == len(set(ids)) == 21
    from policykg.authoring.corpus.furniture import drop_furniture

    path = build_fixture(corpus_file, tmp_path, documents=1, passages=3)[0]
    text = (tmp_path / (path.stem + ".txt")).read_text(encoding="utf-8")
    record = next(r for r in records if document_id(r)[0] == path.stem)
    assert text == drop_furniture(record["content"]).text
    assert f"kg:{path.stem}-s0003 a pkg:Passage" in path.read_text(encoding="utf-8")


def test_drafts_are_hidden_unless_asked(client):
    assert count(client, DRAFT_FACTS) == 0
    assert count(client, DRAFT_FACTS, drafts="1") == sum(SIZES.values()) > 40
    assert count(client, DRAFT_FACTS, drafts="0") == 0
    # reviewed knowledge is there either way
    assert count(client, ARTICLE_FACTS) == count(client, ARTICLE_FACTS, drafts="1") > 100


def test_a_document_and_a_year(client):
    assert count(client, DRAFT_FACTS, doc="kg:gwr-2014", drafts="1") == PASSAGES
    resolution = SIZES["gwr-2014-resolution"]
    assert count(client, DRAFT_FACTS, doc="gwr-2014-resolution", drafts="1") == resolution
    assert count(client, DRAFT_FACTS, year="2014", drafts="1") == PASSAGES + resolution
    assert count(client, DRAFT_FACTS, year="2014", doc="kg:gwr-2015", drafts="1") == 0
    assert count(client, ARTICLE_FACTS, doc="kg:gwr-2014") == 0
    assert count(client, ARTICLE_FACTS, year="2025") > 100
    # the other document's own graph is out of scope too; the ontology stays in
    assert count(client, "SELECT (COUNT(*) AS ?n) WHERE { kg:gwr-2015 ?p ?o }",
                 doc="kg:gwr-2014") == 0
    assert count(client, "SELECT (COUNT(*) AS ?n) WHERE { pkg:Passage ?p ?o }",
                 doc="kg:gwr-2014") > 0


def test_a_named_query_runs_in_scope(client):
    res = client.get("/api/queries/class-hierarchy", query_string={"format": "json",
                                                                   "doc": "kg:gwr-2014"})
    assert res.status_code == 200


@pytest.mark.parametrize(("params", "words"), [
    ({"doc": "kg:nothing"}, "doc='kg:nothing' is not a document of this graph"),
    ({"year": "twenty"}, "year='twenty' is not a year"),
    ({"drafts": "maybe"}, "drafts='maybe'"),
])
def test_bad_filters_are_one_line(client, params, words):
    res = client.get("/sparql", query_string={"query": "ASK {}", **params})
    body = res.get_data(as_text=True)
    assert res.status_code == 400 and words in body and body.count("\n") == 1


def test_the_filter_choices_and_the_drafts(client):
    info = json.loads(client.get("/api/documents").data)
    ids = [d["id"] for d in info["documents"]]  # by year, then id (the project may hold more)
    assert ids[:4] == ["kg:gwr-2014", "kg:gwr-2014-resolution", "kg:gwr-2015",
                       "kg:gwr-2015-resolution"] and "kg:ncpf-2025" in ids
    assert info["years"][:2] == [2014, 2015] and 2025 in info["years"]
    assert info["years"] == sorted(set(info["years"]))
    report = info["documents"][0]
    assert report["types"] == ["pkg:GovernmentWorkReport"] and report["year"] == "2014"
    assert "2014" in report["label"]  # the reviewed gwr-2014 (its English title) or the stand-in
    drafts = json.loads(client.get("/api/drafts").data)
    assert len(drafts) == sum(SIZES.values())
    assert "https://w3id.org/policykg/id/gwr-2014-s0001" in drafts


def test_parse_scope():
    assert parse_scope({}) == Scope()
    scope = parse_scope({"doc": ["kg:a", "b", "kg:a"], "year": ["2024", ""], "drafts": ["1"]})
    assert scope.docs == ("https://w3id.org/policykg/id/a", "https://w3id.org/policykg/id/b")
    assert scope.years == (2024,) and scope.drafts is True
    with pytest.raises(QueryError):
        parse_scope({"year": ["12345"]})
