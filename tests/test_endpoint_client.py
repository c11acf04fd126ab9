"""The endpoint client (``EndpointBackend``) against misbehaving servers, all on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from loopback import LoopbackServer, Seen, reply
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
