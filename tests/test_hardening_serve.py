"""Issue 25, the server: N8, N9, N11, N17, N20, N21, N24, N27 (N7 in test_serve_security.py)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_serve import ROOT, Served, get, http


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    server = Served("--timeout", "10", "--workers", "1", "--query-memory", "200",
                    "--idle-timeout", "2")
    yield server
    server.stop()


def _count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_cross_site_gets_are_refused_and_other_clients_answered(served: Served) -> None:
    """N11: ``<img src=…/sparql?query=…>`` on another site sends Sec-Fetch-Site: cross-site."""
    url = f"{served.sparql}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    for site in ("cross-site", "same-site"):
        status, _, body = http(url, headers={"Sec-Fetch-Site": site})
        assert status == 403 and b"cross-site request refused" in body
    assert http(url, headers={"Sec-Fetch-Site": "same-origin"})[0] == 200
    assert http(url, headers={"Sec-Fetch-Site": "none"})[0] == 200
    assert http(url)[0] == 200  # curl, libraries: no fetch metadata
    # the page itself may still be opened from a link on another site
    assert http(served.base, headers={"Sec-Fetch-Site": "cross-site"})[0] == 200


def test_from_and_from_named_are_honoured(served: Served) -> None:
    """N17: the union default graph no longer overrides the query's own dataset."""
    status, _, body = get(served, "SELECT (COUNT(*) AS ?n) FROM <http://nothing/> "
                                  "WHERE { ?s ?p ?o }")
    assert status == 200 and _count(body) == 0
    status, _, body = get(served, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200 and _count(body) > 1000
    status, _, body = get(served, "SELECT (COUNT(*) AS ?n) FROM NAMED <http://nothing/> "
                                  "WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert status == 200 and _count(body) == 0


def test_a_406_does_not_echo_a_huge_accept_header(served: Served) -> None:
    """N27: a 69 KB Accept header was echoed whole."""
    status, _, body = get(served, "ASK {}", accept="x/" + "y" * 69_000)
    assert status == 406 and len(body) < 1000


def test_half_sent_headers_cannot_stop_the_server_accepting(served: Served) -> None:
    """N9: 101 connections that never finish their headers stopped ``serve`` accepting."""
    host, port = urllib.parse.urlsplit(served.base).netloc.rsplit(":", 1)
    held = []
    try:
        for _ in range(150):
            sock = socket.create_connection((host, int(port)), timeout=5)
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            held.append(sock)
        started = time.monotonic()
        status, _, _ = get(served, "ASK {}")
        assert status == 200 and time.monotonic() - started < 2.0
        # and they are closed once idle for the idle timeout (--idle-timeout 2 here; default
        # 10 s), checked every second
        held[0].settimeout(20)
        assert held[0].recv(100) == b""
    finally:
        for sock in held:
            sock.close()


def test_a_query_over_the_memory_limit_fails_alone(served: Served) -> None:
    """N8: an ORDER BY over a cartesian product reached 2.7 GB; with --query-memory 200 it stops."""
    hog = ("SELECT ?a ?b ?c ?d WHERE { ?a ?p ?b . ?c ?q ?d } "
           "ORDER BY ?d ?c ?b ?a LIMIT 1")
    started = time.monotonic()
    status, _, body = get(served, hog)
    assert status in (500, 503), body
    if status == 500:
        assert b"memory limit of 200 MB" in body
    assert time.monotonic() - started < 15
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the worker is replaced
        status, _, _ = get(served, "ASK {}")
        if status == 200:
            break
        time.sleep(0.5)
    assert status == 200


def _serve_refusal(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "policykg", "serve", "--port", "0", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(("args", "words"), [
    (["--workers", "100000"], "--workers 100000 is out of range"),
    (["--timeout", "inf"], "--timeout inf"),
    (["--timeout", "nan"], "--timeout nan"),
    (["--timeout", "1e20"], "--timeout 1e+20"),
    (["--queue", "100000"], "--queue in 0..1024"),
    (["--idle-timeout", "nan"], "--idle-timeout in (0, 3600]"),
    (["--idle-timeout", "0"], "--idle-timeout in (0, 3600]"),
])
def test_serve_refuses_absurd_settings_in_one_line(args: list[str], words: str) -> None:
    """N20/N21: --workers 100000 was accepted (never ready); --timeout inf/nan gave tracebacks."""
    done = _serve_refusal(*args)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and words in done.stderr
    assert done.stderr.count("\n") == 1


def test_a_replaced_store_is_noticed(tmp_path: Path) -> None:
    """N24: ``serve --store DIR`` kept serving the deleted store after ``load`` replaced it."""
    store = tmp_path / "kg.oxigraph"
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n",
                     encoding="utf-8")

    def load(*files: str) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "policykg", "load", "--quiet", "--store", str(store), *files],
            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr

    load(str(extra))
    server = Served("--store", str(store), "--workers", "1")
    try:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert _count(get(server, query)[2]) == 1
        second = tmp_path / "second.ttl"
        second.write_text("<http://example.org/x> <http://example.org/y> 1 .\n", encoding="utf-8")
        load(str(extra), str(second))
        deadline = time.monotonic() + 30
        n = 1
        while time.monotonic() < deadline:
            status, _, body = get(server, query)
            if status == 200:
                n = _count(body)
                if n == 2:
                    break
            time.sleep(0.5)
        assert n == 2
    finally:
        server.stop()
