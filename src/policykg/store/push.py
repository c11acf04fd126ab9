"""Push a store's graphs to a SPARQL server: the SPARQL 1.1 Graph Store HTTP Protocol.

:func:`push_graphs` sends every named graph (``PUT <graph-store>?graph=<iri>``), so the named
graphs (one per passage) survive, or POSTs the quads as N-Quads in batches; :func:`graph_store_url`
guesses the Graph Store URL that goes with a SPARQL query URL. (Moved out of
:mod:`policykg.store.bulk`, which re-exports these names.)
"""

from __future__ import annotations

import http.client
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from policykg.core.errors import BackendError
from policykg.store.backends import (
    MAX_ENDPOINT_TIMEOUT,
    _Deadline,
    _first_line,
    printable,
    redact,
    split_credentials,
)

__all__ = ["PushProgress", "PushReport", "graph_store_url", "push_graphs"]


@dataclass(frozen=True)
class PushProgress:
    """How far a push has got: graphs and triples sent, of how many graphs, since when."""

    graphs: int
    total: int
    triples: int
    elapsed: float


@dataclass(frozen=True)
class PushReport:
    """What a push sent: the Graph Store URL, graphs and triples, and the wall time."""

    url: str
    graphs: int
    triples: int
    seconds: float


def graph_store_url(endpoint: str) -> str:
    """Guess the Graph Store Protocol URL that goes with a SPARQL query URL.

    Oxigraph serves queries at ``/query`` and graphs at ``/store``; Fuseki serves
    ``/<dataset>/sparql`` (or ``/query``) and ``/<dataset>/data``; Virtuoso serves ``/sparql``
    and ``/sparql-graph-crud`` (``/sparql-graph-crud-auth`` with digest authentication).

    Raises:
        BackendError: no rule applies; the user must give the Graph Store URL.
    """
    parts = urlsplit(endpoint)
    segments = parts.path.rstrip("/").split("/")
    last = segments[-1] if segments else ""
    if parts.path.rstrip("/") == "/query":
        path = "/store"
    elif parts.path.rstrip("/") == "/sparql":
        path = "/sparql-graph-crud"
    elif last in ("sparql", "query") and len(segments) > 2:
        path = "/".join([*segments[:-1], "data"])
    else:
        raise BackendError(
            f"cannot guess the Graph Store URL of {redact(endpoint)}; "
            "give it with --graph-store URL"
        )
    return urlunsplit(parts._replace(path=path, query="", fragment=""))


class _Connection:
    """One persistent HTTP connection to a Graph Store, reopened when the server drops it."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url, self.headers = split_credentials(url)
        parts = urlsplit(self.url)
        self.parts = parts
        self.timeout = timeout
        self.display = redact(url)
        self._conn: http.client.HTTPConnection | None = None

    def _open(self) -> http.client.HTTPConnection:
        host, port = self.parts.hostname or "", self.parts.port
        if self.parts.scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self.timeout)
        return http.client.HTTPConnection(host, port, timeout=self.timeout)

    def send(self, method: str, query: str, body: bytes, content_type: str) -> None:
        target = self.parts.path or "/"
        params = "&".join(p for p in (self.parts.query, query) if p)
        if params:
            target += "?" + params
        headers = {"Content-Type": content_type, "User-Agent": "policykg", **self.headers}
        late = f"{self.display}: no answer within {self.timeout:g} s"
        for attempt in (1, 2):
            if self._conn is None:
                self._conn = self._open()
            # issue 25 N18: one deadline for the whole request (upload included), not per read
            deadline = _Deadline(self.timeout)
            try:
                with deadline:
                    if self._conn.sock is None:
                        self._conn.connect()
                    deadline.watch(self._conn.sock)
                    self._conn.request(method, target, body=body, headers=headers)
                    response = self._conn.getresponse()
                    detail = response.read().decode("utf-8", "replace")
                if deadline.expired:
                    raise TimeoutError
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                    http.client.IncompleteRead):
                self.close()
                if deadline.expired:
                    raise BackendError(late) from None
                if attempt == 2:
                    why = "the server closed the connection"
                    raise BackendError(f"{self.display}: {why}") from None
            except TimeoutError:
                self.close()
                raise BackendError(late) from None
            except OSError as exc:
                self.close()
                if deadline.expired:
                    raise BackendError(late) from None
                raise BackendError(f"cannot reach {self.display}: {_first_line(exc)}") from None
        if response.status >= 300:
            first = detail.strip().splitlines()[0] if detail.strip() else response.reason
            first = printable(first)  # a server's text must not drive the terminal
            raise BackendError(
                f"{self.display}: {method} ?{query} failed with HTTP {response.status}: {first}"
            )
        if response.getheader("Connection", "").lower() == "close":
            self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _graph_triples(store: Any, graph: Any) -> Iterator[Any]:
    for q in store.quads_for_pattern(None, None, None, graph):
        yield q.triple


def push_graphs(
    store: Any,
    url: str,
    *,
    method: str = "graphs",
    batch: int = 100_000,
    timeout: float = 300.0,
    progress: Callable[[PushProgress], None] | None = None,
) -> PushReport:
    """Send the content of a pyoxigraph store to a Graph Store HTTP Protocol service.

    Args:
        store: the pyoxigraph ``Store`` to send (``MemoryBackend.store`` / ``StoreBackend.store``).
        url: the Graph Store URL (``http://localhost:7878/store``; see :func:`graph_store_url`).
        method: ``"graphs"`` (standard: ``PUT ?graph=<iri>`` per named graph, replacing it, and
            ``PUT ?default`` for default-graph triples) or ``"dataset"`` (``POST`` the quads as
            N-Quads to the service itself, in batches: fast, supported by Oxigraph and Fuseki,
            adds to what is there).
        batch: quads per request with ``method="dataset"``.
        timeout: seconds to wait for each answer.
        progress: called after each request.

    Returns:
        A :class:`PushReport`.

    Raises:
        BackendError: the server cannot be reached or refused a request.
    """
    import pyoxigraph as ox

    if method not in ("graphs", "dataset"):
        raise BackendError(f"unknown push method '{method}' (use graphs or dataset)")
    if not 0 < timeout <= MAX_ENDPOINT_TIMEOUT:  # issue 25 N20: not nan, inf or 1e20
        raise BackendError(f"the timeout must be more than 0 and at most "
                           f"{MAX_ENDPOINT_TIMEOUT:g} seconds, not {timeout:g}")
    conn = _Connection(url, timeout)
    started = time.perf_counter()
    triples = 0
    graphs = sorted(store.named_graphs(), key=lambda g: g.value)
    default = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    total = len(graphs) + (default is not None)
    sent = 0
    try:
        if method == "dataset":
            chunk: list[Any] = []

            def flush() -> None:
                nonlocal triples
                if chunk:
                    data = ox.serialize(chunk, format=ox.RdfFormat.N_QUADS) or b""
                    conn.send("POST", "", data, "application/n-quads")
                    triples += len(chunk)
                    chunk.clear()
                    if progress is not None:
                        progress(PushProgress(0, total, triples, time.perf_counter() - started))

            for q in store:
                chunk.append(q)
                if len(chunk) >= batch:
                    flush()
            flush()
            sent = total
        else:
            targets: list[tuple[str, Any]] = [
                (f"graph={quote(g.value, safe='')}", g) for g in graphs
            ]
            if default is not None:
                targets.append(("default", ox.DefaultGraph()))
            for query, graph in targets:
                items = list(_graph_triples(store, graph))
                data = ox.serialize(items, format=ox.RdfFormat.N_TRIPLES) or b""
                conn.send("PUT", query, data, "application/n-triples")
                triples += len(items)
                sent += 1
                if progress is not None:
                    progress(PushProgress(sent, total, triples, time.perf_counter() - started))
    finally:
        conn.close()
    return PushReport(redact(url), sent, triples, time.perf_counter() - started)
