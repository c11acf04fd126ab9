"""The workbench's compare view, without a browser (issue 22 point 4): its routes on the reviewed
corpus, through the server's app and its worker request (``server.execute``)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from policykg.apps.server import ServeConfig, _open_source, execute, make_app
from policykg.graph.kg import PolicyKG
from policykg.rdf.graphio import graph_files

KG = "https://w3id.org/policykg/id/"


@pytest.fixture(scope="module")
def client():
    from werkzeug.test import Client

    files = [(str(f.path), str(f.graph) if f.graph else None) for f in graph_files()]
    backend = _open_source({"files": files})
    kg = PolicyKG([], backend)
    lock = threading.Lock()
    cache: dict[str, Any] = {}
    jobs: list[dict[str, Any]] = []

    def run(job: dict[str, Any], timeout: float):
        jobs.append(job)
        with lock:
            return execute(backend.store, job, kg=kg, cache=cache)

    c = Client(make_app(ServeConfig(max_rows=1000), run))
    c.jobs = jobs  # type: ignore[attr-defined]
    yield c
    kg.close()


def get_json(client, url: str) -> dict[str, Any]:
    r = client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["Content-Type"] == "application/json"
    assert "sandbox" in r.headers["Content-Security-Policy"]
    return json.loads(r.get_data(as_text=True))


def test_compare_2023_2024_target_and_quotes(client):
    data = get_json(client, "/api/compare?a=kg:gwr-2023&b=kg:gwr-2024")
    assert data["documents"]["a"]["id"] == "kg:gwr-2023"
    assert data["documents"]["b"]["id"] == "kg:gwr-2024"
    jobs = [t for t in data["targets"] if t["measure"] == "new urban jobs"]
    assert len(jobs) == 1
    t = jobs[0]
    assert t["kind"] == "target changed"
    assert (t["a"]["value"], t["a"]["qualifier"]) == ("1200", "about")
    assert (t["b"]["value"], t["b"]["qualifier"]) == ("1200", "over")
    assert "城镇新增就业1200万人左右" in t["a"]["quote"]
    assert "城镇新增就业1200万人以上" in t["b"]["quote"]
    assert t["a"]["passage_id"] == "kg:gwr-2023-p77-1" and t["b"]["passage_id"] == "kg:gwr-2024-p30-1"
    # every change has its kind's colour, both quotes when matched, passage links, no drafts
    assert set(data["colours"]) >= {c["kind"] for c in data["changes"]}
    matched = [c for c in data["changes"] if c["a"] and c["b"]]
    assert matched and all(c["a"]["quote"] and c["b"]["quote"] for c in matched)
    assert all(s["passage_id"].startswith("kg:gwr-202") and s["draft"] is False
               for c in data["changes"] for s in (c["a"], c["b"]) if s)
    assert sum(data["counts"].values()) == len(data["changes"])
    assert data["counts"]["new"] > 0 and data["counts"]["dropped"] > 0


def test_compare_about_keeps_only_that_entity(client):
    data = get_json(client, "/api/compare?a=kg:gwr-2023&b=kg:gwr-2024"
                            "&about=kg:new-quality-productive-forces")
    assert data["about_label"] == "new quality productive forces"
    assert data["targets"] == []
    assert data["changes"], "2024 names new quality productive forces"
    assert all("新质生产力" in (c["b"] or {}).get("quote", "") for c in data["changes"]
               if c["kind"] == "new")


def test_timeline_of_new_quality_productive_forces_starts_in_2024(client):
    data = get_json(client, "/api/timeline?entity=" + "新质生产力")
    assert data["id"] == "kg:new-quality-productive-forces"
    assert data["first"] == 2024
    first = data["rows"][0]
    assert first["document_id"] == "kg:gwr-2024" and first["year"] == 2024
    assert "新质生产力" in first["first_quote"]
    assert first["first_passage"].startswith("kg:gwr-2024-p")
    years = [r["year"] for r in data["rows"]]
    assert years == sorted(years)


def test_timeline_of_a_measure_has_values(client):
    data = get_json(client, "/api/timeline?entity=kg:new-urban-jobs")
    by_year = {r["year"]: r["values"] for r in data["rows"]}
    assert {"value": "1200", "qualifier": "over"}.items() <= by_year[2024][0].items()
    assert {"value": "1200", "qualifier": "about"}.items() <= by_year[2023][0].items()


def test_html_pages_are_self_contained(client):
    r = client.get("/compare?a=kg:gwr-2023&b=kg:gwr-2024")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    page = r.get_data(as_text=True)
    assert "<script" not in page and "城镇新增就业1200万人以上" in page
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    r = client.get("/timeline?entity=kg:new-quality-productive-forces")
    assert r.status_code == 200 and "<svg" in r.get_data(as_text=True)


@pytest.mark.parametrize(("url", "needle"), [
    ("/api/compare?a=kg:gwr-2023", "missing: b"),
    ("/api/compare?a=kg:gwr-2023&b=kg:gwr-2023", "two different documents"),
    ("/api/compare?a=kg:gwr-2023&b=kg:no-such-document", "no-such-document"),
    ("/api/compare?a=kg:gwr-2023&b=kg:gwr-2024&a=kg:gwr-2022", "at most one 'a'"),
    ("/api/compare?a=kg:gwr-2023&b=kg:gwr-2024&drafts=maybe", "drafts="),
    ("/api/timeline", "needs 'entity'"),
    ("/api/timeline?entity=%3Cimg%20src=x%3E-nothing", "img"),
    ("/api/timeline?entity=%3Cimg%20src=x%3E", "'entity' is not an IRI: <img src=x>"),
    ("/timeline?entity=a%0Ab", "control character"),
    ("/api/timeline?entity=" + "x" * 400, "longer than"),
])
def test_bad_input_is_one_line_400(client, url, needle):
    r = client.get(url)
    text = r.get_data(as_text=True)
    assert r.status_code == 400, text
    assert needle in text and text.count("\n") == 1 and "Traceback" not in text
    assert r.headers["Content-Type"].startswith("text/plain")


def test_read_only_and_guarded(client):
    assert client.post("/api/compare?a=kg:gwr-2023&b=kg:gwr-2024").status_code == 405
    r = client.get("/api/compare?a=kg:gwr-2023&b=kg:gwr-2024",
                   headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = client.get("/api/timeline?entity=kg:new-urban-jobs", headers={"Host": "evil.example"})
    assert r.status_code == 421


def test_the_view_runs_in_a_worker_request(client):
    client.jobs.clear()
    get_json(client, "/api/timeline?entity=kg:new-urban-jobs")
    (job,) = client.jobs
    assert job["view"] == "timeline" and job["params"] == {"entity": "kg:new-urban-jobs"}
    assert job["query"].startswith("view timeline")


DRAFT = """
@prefix pkg: <https://w3id.org/policykg/ontology#> .
@prefix kg: <https://w3id.org/policykg/id/> .
@prefix kgg: <https://w3id.org/policykg/graph/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
kgg:gwr-2024 {
  kg:gwr-2024-s9999 a pkg:Passage ; pkg:inDocument kg:gwr-2024 ; pkg:quote "DRAFT-QUOTE" ;
      pkg:startOffset 1 ; pkg:endOffset 12 ; pkg:reviewStatus pkg:Unreviewed ;
      prov:wasGeneratedBy kg:test-run .
  kg:gwr-2024-s9999-v1 a pkg:Provision ; pkg:reviewStatus pkg:Unreviewed .
}
kg:gwr-2024-s9999 {
  kg:gwr-2024-s9999-v1 pkg:modality pkg:obligation ; pkg:action kg:new-urban-jobs ;
      pkg:about kg:new-urban-jobs .
}
"""


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """The reviewed graph plus one draft passage of gwr-2024 with a draft provision."""
    from werkzeug.test import Client

    extra = tmp_path_factory.mktemp("draft") / "draft.trig"
    extra.write_text(DRAFT, encoding="utf-8")
    files = [(str(f.path), str(f.graph) if f.graph else None) for f in graph_files()]
    backend = _open_source({"files": [*files, (str(extra), None)]})
    kg = PolicyKG([], backend)
    cache: dict[str, Any] = {}
    yield Client(make_app(ServeConfig(), lambda job, t: execute(backend.store, job, kg=kg,
                                                                 cache=cache)))
    kg.close()


def test_drafts_only_when_asked_and_marked(drafted):
    url = "/api/compare?a=kg:gwr-2023&b=kg:gwr-2024&about=kg:new-urban-jobs"
    hidden = get_json(drafted, url)
    assert "DRAFT-QUOTE" not in json.dumps(hidden, ensure_ascii=False)
    shown = get_json(drafted, url + "&drafts=1")
    (change,) = [c for c in shown["changes"] if c["b"] and c["b"]["quote"] == "DRAFT-QUOTE"]
    assert change["kind"] == "new" and change["b"]["draft"] is True
    assert shown["drafts"] is True and shown["counts"]["new"] == hidden["counts"]["new"] + 1
    rows = get_json(drafted, "/api/timeline?entity=kg:new-urban-jobs")["rows"]
    assert not any(r["draft"] for r in rows)
    rows = get_json(drafted, "/api/timeline?entity=kg:new-urban-jobs&drafts=1")["rows"]
    assert [r["year"] for r in rows if r["draft"]] == [2024]
