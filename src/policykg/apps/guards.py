"""What every request and answer of ``policykg serve`` passes.

The ``Host`` and ``Origin`` checks (DNS rebinding, cross-origin pages) and the security headers
(a Content-Security-Policy that allows only this server's scripts, no sniffing, no framing, no
referrer).
"""

from __future__ import annotations

import re
from typing import Any, Protocol

from policykg.apps.answer import Answer, error
from policykg.store.backends import printable

__all__ = ["HostConfig", "allowed_host_names", "check_host", "check_origin",
           "content_security_policy", "security_headers"]


class HostConfig(Protocol):
    """The settings the checks read (``ServeConfig`` has them)."""

    @property
    def host(self) -> str: ...  # noqa: D102

    @property
    def allowed_hosts(self) -> tuple[str, ...]: ...  # noqa: D102

    @property
    def cors(self) -> bool: ...  # noqa: D102


_LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})


def _is_ip(name: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def allowed_host_names(config: HostConfig) -> frozenset[str]:
    """The host names a request's ``Host`` header may name.

    The bound address, the names given with ``--allowed-host``, and on loopback ``localhost``;
    a server bound to every address (``0.0.0.0``, ``::``) also accepts any IP address and this
    machine's own names. A web page on another site can make a browser resolve its own name to
    this machine (DNS rebinding); the ``Host`` header still carries that other name.
    """
    import ipaddress
    import socket

    names = {h.strip().lower().strip("[]") for h in config.allowed_hosts if h.strip()}
    bound = config.host.strip().lower().strip("[]")
    names.add(bound)
    if bound in _LOOPBACK_NAMES or (_is_ip(bound) and ipaddress.ip_address(bound).is_loopback):
        names |= _LOOPBACK_NAMES
    if bound in _ANY_ADDRESS:
        names |= _LOOPBACK_NAMES | {socket.gethostname().lower(), socket.getfqdn().lower()}
    return frozenset(names)


def _host_of(value: str) -> str:
    """The host name of a ``Host`` header value or an origin's authority, lower-case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def check_host(environ: dict[str, Any], config: HostConfig) -> Answer | None:
    """Refuse a request whose ``Host`` header names another host (``421``), else ``None``."""
    value = environ.get("HTTP_HOST")
    if value is None:
        return None  # HTTP/1.0 clients; browsers always send Host
    host = _host_of(value)
    wildcard = config.host.strip("[]") in _ANY_ADDRESS
    if host in allowed_host_names(config) or (wildcard and _is_ip(host)):
        return None
    return error(421, f"this server does not answer for the host {printable(value)!r}; "
                       "start it with 'policykg serve --allowed-host NAME' to allow that name")


def check_origin(environ: dict[str, Any], config: HostConfig) -> Answer | None:
    """Refuse a request that a web page of another origin sent (``403``), unless ``--cors``.

    Browsers send ``Origin`` with every cross-origin request (and with same-origin ``POST``);
    it must name this very server (the ``Host`` the request was sent to).
    """
    origin = environ.get("HTTP_ORIGIN")
    if origin is None or config.cors:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(origin.strip())
    host = environ.get("HTTP_HOST", "").strip().lower()
    if parts.scheme in ("http", "https") and host and parts.netloc.lower() == host:
        return None
    return error(403, f"cross-origin request from {printable(origin)!r} refused (start the "
                       "server with --cors to allow web pages of other sites)")


_INLINE_SCRIPT = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SCRIPT_TYPE = re.compile(rb"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SCRIPT_SRC = re.compile(rb"\bsrc\s*=", re.IGNORECASE)
_JS_TYPES = {b"", b"text/javascript", b"application/javascript", b"module"}


def content_security_policy(page: bytes) -> str:
    """The Content-Security-Policy of an HTML page served here: only this server, no framing.

    Scripts run only from this server or inline with the exact text the page holds (each inline
    script is allowed by its SHA-256 hash, so nothing injected into the page can run); styles may
    be inline (the graph page sets them; they cannot run code); images and fonts may also be
    ``data:`` URLs (the graph page inlines its icons).
    """
    import base64
    import hashlib

    hashes = []
    for match in _INLINE_SCRIPT.finditer(page):
        attrs, body = match.group(1), match.group(2)
        kind = _SCRIPT_TYPE.search(attrs)
        if _SCRIPT_SRC.search(attrs) or (
            kind is not None and kind.group(1).lower() not in _JS_TYPES
        ):
            continue  # an external script ('self') or a data block (application/json)
        digest = base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    scripts = " ".join(["'self'", *dict.fromkeys(hashes)])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def security_headers(answer: Answer) -> dict[str, str]:
    """The headers every answer carries: a CSP, no MIME sniffing, no framing, no referrer.

    An answer that sets its own CSP keeps it (the graph page allows framing by this server's
    own pages, ``frame-ancestors 'self'``; ``X-Frame-Options`` then says ``SAMEORIGIN``).
    """
    csp = answer.headers.get("Content-Security-Policy")
    if csp is None and answer.content_type.startswith("text/html"):
        csp = content_security_policy(answer.body)
    elif csp is None:  # results and messages are data: nothing in them may run in a browser
        csp = "default-src 'none'; frame-ancestors 'none'; sandbox"
    ancestors = csp.split("frame-ancestors", 1)[1].split(";")[0] if "frame-ancestors" in csp \
        else ""
    if "frame-ancestors" not in csp:
        csp += "; frame-ancestors 'none'"
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "SAMEORIGIN" if ancestors.strip() == "'self'" else "DENY",
        "Referrer-Policy": "no-referrer",
    }
