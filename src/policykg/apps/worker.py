"""The query workers of ``policykg serve``: each a process holding the graph, answering requests.

A worker opens the graph (the project's files loaded into memory, or a persistent store opened
read-only), then answers each request the pool sends it (:func:`execute`): a SPARQL query or a
named query, serialized as the client asked, or a view of the compare page
(:mod:`policykg.apps.compare_api`). The pool (:mod:`policykg.apps.lanes`) kills a worker whose
query outlives the timeout and starts another; this module is the workers' side only.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policykg.apps import protocol, scope
from policykg.apps.answer import Answer
from policykg.apps.answer import error as _error
from policykg.apps.compare_api import answer_view
from policykg.apps.limits import has_dataset_clause, limit_query_memory
from policykg.core.errors import PolicyKGError, QueryError, UnknownQueryError
from policykg.core.namespaces import PREFIXES
from policykg.graph.kg import PolicyKG
from policykg.graph.named import convert_value
from policykg.rdf.graphio import GraphFile
from policykg.sparql import formats
from policykg.sparql.catalogue import get_query
from policykg.sparql.results import result_from_oxigraph
from policykg.sparql.syntax import (
    bind_values,
    check_nesting,
    query_error_message,
    service_position,
    update_keyword,
)
from policykg.store.backends import MemoryBackend, StoreBackend

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "execute", "serialize_triples"]

# The media-type tables are the protocol's (one copy): what the endpoint negotiates, the worker
# names when nothing fits and answers with (re-exported for the server's callers).
RESULT_TYPES = protocol.RESULT_TYPES
GRAPH_TYPES = protocol.GRAPH_TYPES


# -- serializers: results are written by sparql.formats (the one result-writer stack) ------------


def serialize_triples(triples: list[Any], fmt: str) -> bytes:
    """Write CONSTRUCT/DESCRIBE triples (pyoxigraph) as Turtle, N-Triples, RDF/XML or JSON-LD."""
    import pyoxigraph as ox

    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
        "n3": ox.RdfFormat.N3,
    }
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml", "n3") else None
    data = ox.serialize(triples, format=formats[fmt], prefixes=prefixes)
    return data or b""


# -- the worker processes -------------------------------------------------------------------------


def _open_source(source: dict[str, Any]) -> Any:
    """Open the graph a worker serves: the backend (its pyoxigraph store is ``.store``)."""
    from rdflib import URIRef

    if source.get("store"):
        return StoreBackend(Path(source["store"]))
    backend = MemoryBackend()
    backend.load_files(
        [GraphFile(Path(p), URIRef(g) if g else None) for p, g in source.get("files", [])]
    )
    return backend


def _named_text(request: dict[str, Any], kg: Any) -> str | Answer:
    """The text of a named query with its parameters bound, or the error answer."""
    try:
        q = get_query(str(request["named"]))
        values = {k: v for k, v in (request.get("params") or {}).items() if str(v).strip()}
        if values and kg is None:
            return _error(500, "this worker cannot bind parameters")
        bindings = {k: convert_value(kg, q.param(k).kind, str(v).strip())
                    for k, v in sorted(values.items())}
        return bind_values(q.text, bindings)
    except UnknownQueryError as exc:
        return _error(404, str(exc))
    except PolicyKGError as exc:
        return _error(400, str(exc))


def execute(store: Any, request: dict[str, Any], *, kg: Any = None,
            cache: dict[str, Any] | None = None) -> Answer:
    """Run one protocol request on a pyoxigraph store and serialize the answer.

    Args:
        store: the pyoxigraph ``Store``.
        request: ``query`` (or ``named`` and ``params``: a named query and its parameter
            values), ``results`` / ``graph`` (the serializers the client accepts, or ``None``),
            ``default_graphs`` / ``named_graphs`` (IRIs) and ``max_rows``.
        kg: a ``PolicyKG`` over the same store, to resolve entity parameters by label.
        cache: what the worker keeps between queries (the scope index of ``apps/scope.py``).
    """
    import pyoxigraph as ox

    if request.get("view"):  # the compare view (apps/compare_api.py)
        if kg is None:
            return _error(500, "this worker cannot answer views")
        return answer_view(kg, request, cache)
    if request.get("named"):
        named_text = _named_text(request, kg)
        if isinstance(named_text, Answer):
            return named_text
        request = {**request, "query": named_text}
    text: str = request["query"]
    cap: int = request.get("max_rows") or 0
    try:
        check_nesting(text)  # Oxigraph's parser crashes the worker past a few thousand levels
    except QueryError as exc:
        return _error(400, str(exc))
    if not request.get("allow_service"):
        refused = _service_refusal(text)
        if refused is not None:
            return refused
    options: dict[str, Any] = {"prefixes": PREFIXES}
    dataset: list[str] | None = None
    if request.get("scope") is not None and not (request.get("default_graphs")
                                                  or request.get("named_graphs")
                                                  or has_dataset_clause(text)):
        try:  # the workbench's document, year and drafts filter (apps/scope.py)
            dataset = scope.scoped_graphs(store, request["scope"], cache)
        except QueryError as exc:
            return _error(400, str(exc))
    if request.get("default_graphs"):
        options["default_graph"] = [ox.NamedNode(g) for g in request["default_graphs"]]
    elif has_dataset_clause(text):  # FROM / FROM NAMED: the query names its dataset (N17)
        pass
    elif dataset is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in dataset]
        options["named_graphs"] = [ox.NamedNode(g) for g in dataset]
    else:
        options["use_default_graph_as_union"] = True
    if request.get("named_graphs"):
        options["named_graphs"] = [ox.NamedNode(g) for g in request["named_graphs"]]
    headers: dict[str, str] = {}
    try:
        res = store.query(text, **options)
        if isinstance(res, ox.QueryBoolean | ox.QuerySolutions):
            fmt = request.get("results")
            if fmt is None:
                what = "ASK results" if isinstance(res, ox.QueryBoolean) else "SELECT results"
                return _not_acceptable(what)
            result = result_from_oxigraph(res, limit=cap + 1 if cap else 0)
            if cap and len(result.rows) > cap:
                del result.rows[cap:]
                headers["X-PolicyKG-Truncated"] = f"results cut at {cap} rows (--max-rows)"
            body = formats.serialize(result, fmt)
            if headers:  # said in the body too (protocol.mark_truncated)
                body = protocol.mark_truncated(body, fmt, cap, "rows")
            return Answer(200, protocol.CONTENT_TYPES[fmt], body, headers)
        gfmt = request.get("graph")
        if gfmt is None:
            return _not_acceptable("CONSTRUCT/DESCRIBE graphs")
        triples = list(islice(res, cap + 1)) if cap else list(res)
        if cap and len(triples) > cap:
            triples = triples[:cap]
            headers["X-PolicyKG-Truncated"] = f"graph cut at {cap} triples (--max-rows)"
        body = serialize_triples(triples, gfmt)
        if headers:
            body = protocol.mark_truncated(body, gfmt, cap, "triples")
        return Answer(200, protocol.CONTENT_TYPES[gfmt], body, headers)
    except SyntaxError as exc:
        keyword = update_keyword(text)
        if keyword is not None:
            why = f"SPARQL updates are refused ({keyword}): this endpoint is read-only"
            return _error(403, why)
        return _error(400, query_error_message(exc, text))
    except (OSError, ValueError, RuntimeError, TypeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return _error(500, f"SPARQL evaluation failed: {first}")


def _service_refusal(text: str) -> Answer | None:
    """``400`` for a query with a ``SERVICE`` clause (found by the tokenizer), else ``None``."""
    where = service_position(text)
    if where is None:
        return None
    return _error(400, f"SERVICE clauses are refused (line {where[0]}, column {where[1]}): this "
                       "endpoint does not send queries to other servers (start it with "
                       "'policykg serve --allow-service' to allow federated queries)")


def _pool_error(status: int, message: str, retry: bool) -> Answer:
    """An error answer of the query lanes (``Retry-After`` when trying again may help)."""
    return _busy(message) if retry else _error(status, message)


def _busy(message: str) -> Answer:
    answer = _error(503, message)
    answer.headers["Retry-After"] = "2"
    return answer


def _not_acceptable(what: str) -> Answer:
    kinds = RESULT_TYPES if "results" in what else GRAPH_TYPES
    return _error(406, f"none of the Accept types fits {what}; ask for one of: {', '.join(kinds)}")


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def _worker_main(conn: Connection, source: dict[str, Any], parent: int) -> None:
    """Entry point of a worker process: open the graph, then answer requests until EOF."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server handles Ctrl-C and stops us
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    try:
        backend = _open_source(source)
        store = backend.store
        kg = PolicyKG([], backend)
    except PolicyKGError as exc:
        conn.send(("error", type(exc).__name__, str(exc)))
        return
    limit_query_memory(int(source.get("query_memory_mb") or 0))  # issue 25 N8
    conn.send(("ready", "", ""))
    cache: dict[str, Any] = {}  # this worker's graph does not change while it runs
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        answer = execute(store, request, kg=kg, cache=cache)
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return
