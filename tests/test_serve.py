"""``policykg serve``: the SPARQL 1.1 Protocol over HTTP, tested with a plain HTTP client."""

from __future__ import annotations

import json
import select
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pyoxigraph as ox
import pytest

import policykg
from policykg.sparql.catalogue import named_queries
from test_backends import normalise

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MAX_ROWS = 1000


class Served:
    """``policykg serve --port 0`` in a subprocess; the URL is read from its first line."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "policykg", "serve", "--port", "0", *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline and self.process.poll() is None:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                line = self.process.stdout.readline()
                break
        if "serving http://" not in line:
            self.stop()
            raise RuntimeError(f"policykg serve did not start: {line!r}")
        self.base = line.split("serving ", 1)[1].split(" ", 1)[0]
        self.sparql = f"{self.base}sparql"

    def stop(self) -> str:
        self.process.terminate()
        try:
            _, err = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate(timeout=10)
        return err


@pytest.fixture(scope="module")
def server() -> Iterator[Served]:
    served = Served("--timeout", "2", "--max-rows", str(MAX_ROWS), "--workers", "2")
    yield served
    served.stop()


def http(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None,
         method: str | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def get(server: Served, query: str, accept: str | None = None, **params: str):
    url = f"{server.sparql}?{urllib.parse.urlencode({'query': query, **params})}"
    return http(url, headers={"Accept": accept} if accept else {})


def test_binds_loopback_only(server: Served) -> None:
    assert server.base.startswith("http://127.0.0.1:")


def test_get_json(server: Served, kg: policykg.PolicyKG) -> None:
    status, headers, body = get(server, COUNT_ALL)
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    doc = json.loads(body)
    assert doc["head"]["vars"] == ["n"]
    assert doc["results"]["bindings"][0]["n"]["value"] == str(kg.query(COUNT_ALL).rows[0][0])
    assert "Access-Control-Allow-Origin" not in headers


def test_post_form_csv(server: Served) -> None:
    form = urllib.parse.urlencode({"query": "SELECT ?g ?l WHERE { ?g a pkg:Goal ; "
                                            "skos:prefLabel ?l FILTER(LANG(?l) = 'en') } ORDER BY ?g"})
    status, headers, body = http(server.sparql, data=form.encode(),
                                 headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    lines = body.decode().split("\r\n")
    assert lines[0] == "g,l" and lines[1].startswith("https://w3id.org/policykg/id/")


def test_post_sparql_query_tsv(server: Served) -> None:
    status, headers, body = http(
        server.sparql, data=b"SELECT ?g WHERE { ?g a pkg:Goal } ORDER BY ?g LIMIT 2",
        headers={"Content-Type": "application/sparql-query",
                 "Accept": "text/tab-separated-values"},
    )
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode().splitlines()
    assert lines[0] == "?g" and len(lines) == 3 and lines[1].startswith("<https://w3id.org/")


def test_xml_results(server: Served) -> None:
    status, headers, body = get(server, "SELECT ?g WHERE { ?g a pkg:Goal } LIMIT 3",
                                "application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert len(ET.fromstring(body).findall("r:results/r:result", ns)) == 3


def test_ask(server: Served) -> None:
    status, _, body = get(server, "ASK { ?s a pkg:Goal }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


def test_ask_in_csv_and_tsv_is_headed_as_policykg_query_heads_it(server: Served) -> None:
    """One result-writer stack (sparql.formats): the endpoint and the CLI write ASK alike."""
    from policykg.sparql import formats
    from policykg.sparql.results import QueryResult

    ask = QueryResult(kind="ask", boolean=True)
    for accept, fmt in (("text/csv", "csv"), ("text/tab-separated-values", "tsv")):
        status, _, body = get(server, "ASK { ?s a pkg:Goal }", accept)
        assert status == 200 and body == formats.serialize(ask, fmt)
    assert formats.serialize(ask, "csv") == b"boolean\r\ntrue\r\n"


@pytest.mark.parametrize(
    ("accept", "params", "content_type", "fmt"),
    [
        ("text/turtle", {}, "text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", {}, "application/n-triples", ox.RdfFormat.N_TRIPLES),
        (None, {}, "text/turtle", ox.RdfFormat.TURTLE),
        ("text/csv", {"format": "nt"}, "application/n-triples", ox.RdfFormat.N_TRIPLES),
    ],
)
def test_construct_formats(server: Served, kg: policykg.PolicyKG, accept: str | None,
                           params: dict[str, str], content_type: str, fmt: ox.RdfFormat) -> None:
    query = "CONSTRUCT WHERE { ?g a pkg:Goal }"
    status, headers, body = get(server, query, accept, **params)
    assert status == 200 and headers["Content-Type"].startswith(content_type)
    assert len(list(ox.parse(body, format=fmt))) == len(kg.query(query).triples)


def test_named_queries_through_the_server(server: Served, kg: policykg.PolicyKG) -> None:
    with policykg.load(endpoint=server.sparql) as remote:
        for name, q in named_queries().items():
            assert normalise(q.run(remote, **q.examples)) == normalise(
                q.run(kg, **q.examples)), name


def test_default_graph_uri(server: Served, kg: policykg.PolicyKG) -> None:
    ontology = "https://w3id.org/policykg/ontology"
    status, _, body = get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                          **{"default-graph-uri": ontology})
    expected = kg.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ontology}> {{ ?s ?p ?o }} }}")
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(expected.rows[0][0])


def test_row_cap(server: Served) -> None:
    status, headers, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200 and "X-PolicyKG-Truncated" in headers
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    status, headers, _ = get(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert "X-PolicyKG-Truncated" not in headers


def test_parse_error_is_400(server: Served) -> None:
    status, headers, body = get(server, "SELECT * WHERE {\n  ?s ?p }")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert body.decode().startswith("SPARQL syntax error at line 2, column")


@pytest.mark.parametrize(
    ("data", "headers", "params"),
    [
        (None, {}, {"query": "DROP ALL"}),
        (None, {}, {"query": "PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }"}),
        (b"update=DROP+ALL", {"Content-Type": "application/x-www-form-urlencoded"}, {}),
        (b"CLEAR DEFAULT", {"Content-Type": "application/sparql-update"}, {}),
    ],
)
def test_updates_are_refused(server: Served, data: bytes | None, headers: dict[str, str],
                             params: dict[str, str]) -> None:
    url = f"{server.sparql}?{urllib.parse.urlencode(params)}" if params else server.sparql
    status, _, body = http(url, data=data, headers=headers)
    assert status == 403 and b"read-only" in body
    assert get(server, COUNT_ALL)[0] == 200  # nothing was dropped


def test_http_errors(server: Served) -> None:
    assert http(f"{server.base}nothing")[0] == 404
    status, _, body = http(f"{server.base}update", data=b"update=DROP+ALL")
    assert status == 404 and b"read-only" in body
    status, headers, _ = http(server.sparql, data=b"x", method="PUT")
    assert status == 405 and "GET" in headers["Allow"]
    assert get(server, "ASK {}", "image/png")[0] == 406
    assert get(server, "SELECT * {}", "text/turtle")[0] == 406  # SELECT has no graph format
    assert get(server, "ASK {}", format="yaml")[0] == 406
    status, _, body = http(server.sparql, data=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert status == 415
    assert http(server.sparql, data=b"")[0] == 400  # no query (a GET gets the description)
    assert http(server.sparql + "?default-graph-uri=x:y")[0] == 400
    big = urllib.parse.urlencode({"query": "ASK {}" + " " * (1 << 21)}).encode()
    status, _, _ = http(server.sparql, data=big,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413


def test_timeout_is_503_and_the_server_recovers(server: Served) -> None:
    started = time.monotonic()
    status, _, body = get(server, SLOW)
    assert status == 503 and b"timed out" in body
    assert time.monotonic() - started < 15
    for _ in range(4):  # the other worker answers now; the killed one is replaced
        assert get(server, COUNT_ALL)[0] == 200


def test_home_page(server: Served) -> None:
    status, headers, body = http(server.base)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = ROOT / "graphs" / "policykg.html"
    if page.is_file():  # the offline page's data, its scripts as files (issue 16)
        from policykg.outputs.viz.html import served_page

        assert body == served_page(page.read_text(encoding="utf-8")).encode("utf-8")
        assert b'<script src="static/workbench.js">' in body
    else:
        assert b"policykg viz" in body and b"sparql" in body


def test_serve_a_store_with_cors(tmp_path: Path, run_cli) -> None:
    target = tmp_path / "kg.oxigraph"
    assert run_cli(["load", "--store", str(target), "-q"]).returncode == 0
    served = Served("--store", str(target), "--workers", "1", "--cors")
    try:
        status, headers, body = get(served, "ASK { ?s a pkg:Passage }")
        assert status == 200 and json.loads(body)["boolean"] is True
        assert headers["Access-Control-Allow-Origin"] == "*"
    finally:
        log = served.stop()
    assert '"GET /sparql" 200' in log


def test_serve_errors(run_cli, tmp_path: Path) -> None:
    missing = run_cli(["serve", "--store", str(tmp_path / "none")])
    assert missing.returncode == 2 and "policykg load --store" in missing.stderr
    assert "Traceback" not in missing.stderr
    bad = run_cli(["serve", "--timeout", "0"])
    assert bad.returncode == 2 and "--timeout" in bad.stderr
