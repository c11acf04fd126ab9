"""``policykg serve`` against a hostile client: federated queries, DNS rebinding, other origins,
log injection, security headers, a flood of slow queries. Everything talks to loopback only."""

from __future__ import annotations

import base64
import hashlib
import logging
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from conftest import watch_page
from test_serve import Served, get, http

pytestmark = pytest.mark.server


class Listener:
    """A plain HTTP server on a free loopback port that records every request it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        seen = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                seen.append(f"{self.command} {self.path}")
                body = b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    server = Served("--timeout", "5", "--workers", "1")
    yield server
    server.stop()


def service_query(url: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"


# -- 1. SERVICE, Host and Origin -------------------------------------------------------------------


def test_service_query_is_refused_and_reaches_no_one(served: Served, listener: Listener) -> None:
    answers = []
    for send in (
        lambda: get(served, service_query(listener.url)),
        lambda: http(
            served.sparql,
            data=service_query(listener.url).encode(),
            headers={"Content-Type": "application/sparql-query"},
        ),
        lambda: get(
            served,
            "SELECT * WHERE { ?s ?p ?o . service silent <"
            + listener.url
            + "> { ?s ?p ?o } } LIMIT 1",
        ),
    ):
        answers.append(send())
    time.sleep(0.3)
    assert listener.requests == []  # before the fix the served query reached the listener
    for status, _, body in answers:
        assert status == 400 and b"SERVICE clauses are refused" in body
        assert b"--allow-service" in body


def test_service_in_strings_iris_and_comments_is_not_a_clause(served: Served) -> None:
    text = (
        'SELECT ?service WHERE { ?service ?p "SERVICE <http://127.0.0.1:9/> {}" '
        "# SERVICE <http://127.0.0.1:9/>\n"
        " FILTER(?p != <http://127.0.0.1:9/SERVICE>) } LIMIT 1"
    )
    status, _, _ = get(served, text)
    assert status == 200


def test_allow_service_opts_in(listener: Listener) -> None:
    server = Served("--workers", "1", "--timeout", "5", "--allow-service")
    try:
        status, _, _ = get(server, service_query(listener.url))
    finally:
        server.stop()
    assert status == 200 and listener.requests  # the operator asked for federated queries


def test_cli_query_refuses_service(run_cli, listener: Listener) -> None:
    done = run_cli(["query", service_query(listener.url)])
    assert done.returncode == 2 and "SERVICE clause refused" in done.stderr
    assert "--allow-service" in done.stderr and "Traceback" not in done.stderr
    assert listener.requests == []
    allowed = run_cli(["query", service_query(listener.url), "--allow-service"])
    assert allowed.returncode == 0, allowed.stderr
    assert listener.requests


def raw_request(served: Served, head: str) -> tuple[int, dict[str, str], bytes]:
    """Send a request as written (its own Host header) and read the answer."""
    parts = urllib.parse.urlsplit(served.base)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head.encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head_bytes, _, body = data.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def test_foreign_host_header_is_refused(served: Served) -> None:
    query = urllib.parse.quote("ASK {}")
    port = urllib.parse.urlsplit(served.base).port
    for host in ("attacker.example", f"attacker.example:{port}", f"127.0.0.1.nip.io:{port}"):
        for path in (f"/sparql?query={query}", "/"):
            status, _, body = raw_request(
                served, f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            )
            assert status == 421 and b"--allowed-host" in body, (host, path)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        status, _, _ = raw_request(
            served,
            f"GET /sparql?query={query} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        )
        assert status == 200, host


def test_cross_origin_requests_are_refused(served: Served) -> None:
    form = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    form_type = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = http(
        served.sparql, data=form, headers={**form_type, "Origin": "http://attacker.example"}
    )
    assert status == 403 and b"cross-origin" in body
    status, _, _ = http(served.sparql, data=form, headers={**form_type, "Origin": "null"})
    assert status == 403
    own = served.base.rstrip("/")
    status, _, _ = http(served.sparql, data=form, headers={**form_type, "Origin": own})
    assert status == 200
    status, _, _ = get(served, "ASK {}")  # no Origin: a command-line client
    assert status == 200


def test_checking_a_query_never_runs_its_service_clause(listener: Listener) -> None:
    from policykg.core.errors import QueryError
    from policykg.sparql.syntax import check_syntax, refuse_service

    check_syntax(service_query(listener.url))  # parses; the check runs on an empty store
    check_syntax(f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}")
    with pytest.raises(QueryError, match="line 2, column"):
        check_syntax(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{\n ?s ?p }} }}")
    with pytest.raises(QueryError, match=r"SERVICE clause refused \(line 1, column 18\)"):
        refuse_service(service_query(listener.url))
    refuse_service('SELECT ?service WHERE { ?service ?p "SERVICE" }  # SERVICE')
    assert listener.requests == []


# -- 7. log injection ------------------------------------------------------------------------------


def test_log_lines_escape_control_characters(caplog: pytest.LogCaptureFixture) -> None:
    from werkzeug.test import Client

    from policykg.apps.server import Answer, ServeConfig, make_app

    app = make_app(ServeConfig(), lambda job, timeout: Answer(200, "text/plain", b""))
    forged = '/%1b[31mred%0a127.0.0.1 "GET /sparql" 200 1 ms%0d'
    with caplog.at_level(logging.INFO, logger="policykg.serve"):
        Client(app).get(forged)
    lines = [r.getMessage() for r in caplog.records if r.name == "policykg.serve"]
    assert len(lines) == 1
    assert not any(c in lines[0] for c in "\x1b\n\r")
    assert "/\\x1b[31mred\\x0a127.0.0.1" in lines[0] and lines[0].endswith("ms")


# -- 13. security headers --------------------------------------------------------------------------


def test_security_headers_on_every_answer(served: Served) -> None:
    for status_expected, answer in (
        (200, http(served.base)),
        (200, get(served, "ASK {}")),
        (400, get(served, "ASK {")),
        (404, http(f"{served.base}nothing")),
    ):
        status, headers, _ = answer
        assert status == status_expected
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        csp = headers["Content-Security-Policy"]
        script_src = next(
            (d for d in csp.split(";") if d.strip().startswith("script-src")), "default"
        )
        assert "unsafe-inline" not in script_src and "unsafe-eval" not in csp
        # the graph page may be framed by the workbench on this server only; nothing else
        framing = (
            ("frame-ancestors 'self'", "SAMEORIGIN")
            if "'self'" in csp.split("frame-ancestors")[-1]
            else ("frame-ancestors 'none'", "DENY")
        )
        assert framing[0] in csp and headers["X-Frame-Options"] == framing[1]
    _, headers, _ = get(served, "ASK {}")
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert headers["X-Frame-Options"] == "DENY"


def test_page_csp_allows_only_its_own_scripts() -> None:
    from policykg.apps.server import content_security_policy

    page = (
        b"<html><script>ok()</script><script type='application/json'>{}</script>"
        b'<script src="app.js"></script><style>p{}</style></html>'
    )
    csp = content_security_policy(page)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    digest = "'sha256-" + base64.b64encode(hashlib.sha256(b"ok()").digest()).decode() + "'"
    assert directives["script-src"] == f"'self' {digest}"
    assert "unsafe-inline" not in directives["script-src"]
    assert "unsafe-eval" not in csp
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"


@pytest.mark.browser
def test_the_served_graph_page_works_under_its_csp(served: Served, chromium: Any) -> None:
    from pathlib import Path

    page_file = Path(__file__).resolve().parent.parent / "graphs" / "policykg.html"
    if not page_file.is_file():
        pytest.skip("graphs/policykg.html is not built")
    page = chromium.new_page()  # the run's Chromium (conftest.py), a context of its own
    try:
        errors: list[str] = []
        outside: list[str] = []
        watch_page(page, served.base, errors, outside.append)
        page.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', "
            "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        response = page.goto(served.base)
        assert response is not None
        # the served page has no inline script at all (issue 16: its scripts are files under
        # /static/, its data a JSON block), so its scripts may come only from this server
        csp = response.headers["content-security-policy"]
        assert (
            "script-src 'self';" in csp
            and "unsafe-inline'; img" not in csp.split("script-src", 1)[1].split(";", 1)[0]
        )
        page.wait_for_function(
            "() => window.policykg && window.policykg.ready === true", timeout=30_000
        )
        assert page.evaluate("window.__csp") == []
        assert errors == [] and outside == []
    finally:
        page.close()


# -- 12. one-line errors ---------------------------------------------------------------------------


def test_bad_host_and_timeout_are_one_line_errors(run_cli) -> None:
    for args, words in (
        (["serve", "--host", "no such host!", "--port", "0"], "cannot listen on 'no such host!'"),
        (["push", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "-1"], "--timeout"),
        (["push", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "0"], "--timeout"),
    ):
        done = run_cli(args, timeout=60)
        assert done.returncode == 2, (args, done.stderr)
        assert "Traceback" not in done.stderr and words in done.stderr
        assert done.stderr.startswith("policykg: error: ") and done.stderr.count("\n") == 1


# -- 3. a flood of slow queries --------------------------------------------------------------------

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_slow_queries_cannot_block_the_page_or_cheap_answers() -> None:
    server = Served("--workers", "1", "--queue", "1", "--timeout", "3")
    try:
        assert http(server.base)[0] == 200  # warm: the first page read imports and reads files
        slow: list[tuple[float, int, str | None]] = []

        def send_slow() -> None:
            started = time.monotonic()
            status, headers, _ = get(server, SLOW)
            slow.append((time.monotonic() - started, status, headers.get("Retry-After")))

        threads = [threading.Thread(target=send_slow) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(0.5)  # the flood is in: one query running, one waiting, six refused
        started = time.monotonic()
        status, _, _ = http(server.base)
        page_seconds = time.monotonic() - started
        started = time.monotonic()
        ask_status, _, _ = get(server, "ASK {}")
        ask_seconds = time.monotonic() - started
        for t in threads:
            t.join(timeout=30)
    finally:
        server.stop()
    # the slow lane runs a second CPU-bound query beside the fast lane's, and a killed worker's
    # replacement starts: on a loaded 2-core machine the page took 1.09 s once
    assert status == 200 and page_seconds < 2.0, page_seconds
    # issue 25 N7: a cheap query is answered at once while slow ones run (the slow lane)
    assert ask_seconds < 1.0 and ask_status == 200, (ask_status, ask_seconds)
    refused = [s for s in slow if s[1] == 503 and s[0] < 1.5]
    assert len(refused) >= 5 and all(r[2] for r in refused), slow
    assert all(s[1] == 503 for s in slow)  # the admitted ones timed out


def test_deeply_nested_queries_are_refused_and_the_worker_survives(served: Served) -> None:
    """Regression: 5,000 nested braces reached Oxigraph's parser in the worker (a crash there)."""
    deep = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000
    status, _, body = get(served, deep)
    assert status == 400 and b"nested too deeply" in body
    status, _, _ = get(served, "ASK { ?s ?p ?o }")
    assert status == 200
