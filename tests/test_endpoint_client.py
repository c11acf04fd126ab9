"""The endpoint client (``EndpointBackend``) against misbehaving servers, all on loopback."""

from __future__ import annotations

import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from loopback import LoopbackServer, Seen, reply
from policykg.core.errors import BackendError, QueryError
from policykg.store.backends import EndpointBackend


@pytest.fixture
def target() -> Iterator[LoopbackServer]:
    server = LoopbackServer(lambda h, seen: reply(h, 200))
    yield server
    server.close()


def redirector(location: str) -> LoopbackServer:
    def handle(h: BaseHTTPRequestHandler, seen: Seen) -> None:
        if seen.path.startswith("/moved"):
            reply(h, 302, b"", "text/plain", {"Location": location})
        else:
            reply(h, 200)

    return LoopbackServer(handle)


def test_credentials_are_not_sent_to_another_host_on_redirect(target: LoopbackServer) -> None:
    first = redirector(f"{target.base}/sparql")  # another port: another origin
    try:
        backend = EndpointBackend(f"http://user:secret@127.0.0.1:{first.port}/moved")
        assert backend.query("ASK {}").boolean is True
    finally:
        first.close()
    assert first.seen[0].headers.get("authorization", "").startswith("Basic ")
    assert target.seen, "the redirect was not followed"
    assert all("authorization" not in s.headers for s in target.seen)


def test_credentials_follow_a_redirect_on_the_same_origin() -> None:
    server = redirector("/sparql")
    try:
        backend = EndpointBackend(f"http://user:secret@127.0.0.1:{server.port}/moved")
        assert backend.query("ASK {}").boolean is True
    finally:
        server.close()
    assert len(server.seen) == 2
    assert all(s.headers.get("authorization", "").startswith("Basic ") for s in server.seen)


def test_same_origin() -> None:
    from policykg.store.backends import same_origin

    assert same_origin("http://a:80/x", "http://A/y")
    assert same_origin("https://a/x", "https://a:443/")
    assert not same_origin("http://a/x", "https://a/x")
    assert not same_origin("http://a:1/x", "http://a:2/x")
    assert not same_origin("http://a/x", "http://b/x")


def dripping(h: BaseHTTPRequestHandler, seen: Seen) -> None:
    """Answer slowly: the status and headers at once, then a byte of the body every 0.2 s."""
    body = b" " * 200 + b'{"head": {}, "boolean": true}'
    h.send_response(200)
    h.send_header("Content-Type", "application/sparql-results+json")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.flush()
    try:
        for i in range(len(body)):
            h.wfile.write(body[i : i + 1])
            h.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass  # the client gave up


def test_one_deadline_for_the_whole_answer() -> None:
    server = LoopbackServer(dripping)  # every read gets a byte well within the timeout
    try:
        backend = EndpointBackend(f"{server.base}/sparql", timeout=1.5)
        started = time.monotonic()
        with pytest.raises(BackendError, match=r"no answer within 1\.5 s"):
            backend.query("ASK {}")
        assert time.monotonic() - started < 3
    finally:
        server.close()


def test_slow_headers_hit_the_deadline_too() -> None:
    def handle(h: BaseHTTPRequestHandler, seen: Seen) -> None:
        try:
            for char in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
                h.wfile.write(bytes([char]))
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    server = LoopbackServer(handle)
    try:
        started = time.monotonic()
        with pytest.raises(BackendError, match="no answer within 1 s"):
            EndpointBackend(f"{server.base}/sparql", timeout=1).query("ASK {}")
        assert time.monotonic() - started < 2.5
    finally:
        server.close()


def test_remote_error_bodies_are_escaped() -> None:
    hostile = b"bad query\x1b]0;owned\x07\x1b[2J here"
    server = LoopbackServer(lambda h, seen: reply(h, 400, hostile, "text/plain"))
    try:
        with pytest.raises(QueryError) as err:
            EndpointBackend(f"{server.base}/sparql").query("ASK {}")
    finally:
        server.close()
    assert "\x1b" not in str(err.value) and "\x07" not in str(err.value)
    assert "bad query\\x1b]0;owned\\x07\\x1b[2J here" in str(err.value)


def test_graph_store_error_bodies_are_escaped() -> None:
    import pyoxigraph as ox

    from policykg.store.bulk import push_graphs

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"),
                      ox.Literal("o"), ox.NamedNode("http://e/g")))
    server = LoopbackServer(lambda h, seen: reply(h, 500, b"\x1b[2Jno\x1b]0;x\x07", "text/plain"))
    try:
        with pytest.raises(BackendError) as err:
            push_graphs(store, f"{server.base}/store", timeout=5)
    finally:
        server.close()
    assert "\x1b" not in str(err.value) and "\\x1b[2Jno" in str(err.value)
