"""``policykg serve``: a read-only SPARQL 1.1 Protocol endpoint over the graph, and its HTML page.

The web side is a Werkzeug WSGI application served by Waitress (both maintained libraries);
queries run in a small pool of worker processes that each hold the graph (the project's files
loaded into memory, or a persistent store opened read-only). A query that outlives the timeout
has its worker killed and replaced, so a runaway query never keeps burning CPU, and the client
gets ``503``. Routes:

- ``GET /``: the interactive graph ``graphs/policykg.html`` (or a page saying how to make it);
- ``GET|POST /sparql``: the SPARQL 1.1 Protocol (``query`` as URL or form parameter, or a
  ``application/sparql-query`` body; ``default-graph-uri``/``named-graph-uri`` honoured; without
  them the default graph is the union of all named graphs). Results as SPARQL JSON, XML, CSV or
  TSV, graphs as Turtle, N-Triples, RDF/XML or JSON-LD, chosen by the ``Accept`` header or a
  ``format``/``output`` parameter. Updates are refused (``403``); there is no update endpoint.
- ``/api/...``: the workbench's lists and named queries (``apps/workbench_api.py``), and the
  compare view (``/api/compare``, ``/api/timeline``, ``/compare``, ``/timeline``:
  ``apps/compare_api.py``).

The workers' side (running a request, serializing its answer) is ``apps/worker.py``; the pool of
workers, with its fast and slow lanes, ``apps/lanes.py``.

Statuses: ``400`` malformed query (the parse error, with line and column), ``403`` update,
``404`` unknown route, ``405`` wrong method, ``406`` no acceptable format, ``413`` request too
large, ``415`` unsupported body, ``500`` evaluation error, ``503`` timeout or every worker busy.
"""

from __future__ import annotations

import html
import json
import logging
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykg.apps import protocol, scope
from policykg.apps.answer import Answer
from policykg.apps.answer import error as _error
from policykg.apps.compare_api import VIEW_ROUTES, view_job
from policykg.apps.guards import (
    allowed_host_names,
    check_host,
    check_origin,
    content_security_policy,
    security_headers,
)
from policykg.apps.lanes import DEFAULT_FAST_BUDGET, LanePool
from policykg.apps.limits import DEFAULT_QUERY_MEMORY_MB, check_fetch_site
from policykg.apps.workbench_api import VOCAB_QUERY as _VOCAB_QUERY
from policykg.apps.workbench_api import catalogue_json as _catalogue_json
from policykg.apps.workbench_api import static as _static
from policykg.apps.workbench_api import vocab_json as _vocab_json
from policykg.apps.worker import GRAPH_TYPES as GRAPH_TYPES
from policykg.apps.worker import RESULT_TYPES as RESULT_TYPES
from policykg.apps.worker import _open_source as _open_source
from policykg.apps.worker import _pool_error, _service_refusal, _worker_main
from policykg.apps.worker import execute as execute
from policykg.apps.worker import serialize_triples as serialize_triples
from policykg.core.errors import BackendError, QueryError
from policykg.core.namespaces import PREFIXES
from policykg.outputs.viz.html import served_page
from policykg.rdf.graphio import GraphFile
from policykg.rdf.terms import _IRI_FORBIDDEN
from policykg.store.backends import printable

__all__ = ["Answer", "QueryPool", "ServeConfig", "allowed_host_names", "check_host",
           "check_origin", "content_security_policy", "make_app", "security_headers", "serve"]

log = logging.getLogger("policykg.serve")

MAX_REQUEST_BYTES = 1 << 20


@dataclass(frozen=True)
class ServeConfig:
    """How ``policykg serve`` runs.

    Attributes:
        host: address to bind (loopback unless told otherwise).
        port: TCP port (0 = any free port).
        timeout: seconds a query may run before it is stopped with ``503``.
        max_rows: most result rows (or triples) returned; 0 = no cap.
        workers: query worker processes (queries that can run at once).
        queue: queries that may wait for a free worker; more get ``503`` at once (with
            ``Retry-After``), so a flood of slow queries cannot hold every HTTP thread and the
            page and refusals stay immediate.
        store: a persistent Oxigraph store to serve instead of the project's files.
        files: the files to load when no store is given.
        html: the page served at ``/``.
        cors: allow cross-origin requests (``Access-Control-Allow-Origin: *``).
        allow_service: run ``SERVICE`` clauses (federated queries make this machine send
            requests to any host and port a client names, so they are refused by default).
        allowed_hosts: host names the ``Host`` header may carry besides the bound address (and,
            on loopback, ``localhost``); other names are refused with ``421`` (DNS rebinding).
        slow_workers: queries measured slow that may run at once beside the fast lane
            (:mod:`policykg.apps.lanes`); 0 = no slow lane.
        query_memory: MB a query may take in its worker beyond the graph (0 = no limit).
        idle_timeout: seconds a connection may stay idle or unfinished (half-sent headers)
            before it is closed.
        fast_budget: seconds a query may run before it counts as slow.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 2
    queue: int = 8
    store: Path | None = None
    files: tuple[GraphFile, ...] = ()
    html: Path | None = None
    cors: bool = False
    allow_service: bool = False
    allowed_hosts: tuple[str, ...] = ()
    slow_workers: int = 1
    query_memory: int = DEFAULT_QUERY_MEMORY_MB
    idle_timeout: float = 10.0
    fast_budget: float = DEFAULT_FAST_BUDGET


class QueryPool(LanePool):
    """Worker processes that run queries with a hard timeout (the worker is killed on expiry).

    The pool of the first servers, kept for its callers: now the fast lane of
    :class:`~policykg.apps.lanes.LanePool` without a slow lane (a slow query keeps its worker
    until it ends or times out), whose workers run ``apps/worker.py``.

    Args:
        source: ``{"store": DIR}`` or ``{"files": [(path, graph IRI or None), ...]}``.
        size: number of workers.
        start_timeout: seconds a worker may take to open the graph.
        waiting: requests that may wait for a free worker; :meth:`run` refuses more at once.
    """

    def __init__(self, source: dict[str, Any], size: int = 2, *, start_timeout: float = 300.0,
                 waiting: int = 8):
        super().__init__(_worker_main, source, error=_pool_error, fast=size, slow=0,
                         waiting=waiting, start_timeout=start_timeout)


# -- the WSGI application -------------------------------------------------------------------------


_HOME_MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>policykg</title></head>
<body>
<h1>policykg</h1>
<p>The interactive graph has not been generated yet: run <code>policykg viz</code>, then reload.</p>
<p>The SPARQL endpoint is at <a href="sparql">/sparql</a>, for example
<code>curl '{base}sparql?query=SELECT+*+WHERE+%7B%3Fs+%3Fp+%3Fo%7D+LIMIT+5'</code>.</p>
</body></html>
"""

_FORM = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>policykg SPARQL</title></head>
<body>
<h1>policykg SPARQL endpoint</h1>
<p>Read-only. The project's prefixes (pkg:, kg:, kgg:, skos:, ...) are predeclared; the default
graph is the union of all named graphs.</p>
<form method="post" action="sparql">
<textarea name="query" rows="12" cols="100">SELECT ?class (COUNT(?s) AS ?n) WHERE {{ ?s a ?class }}
GROUP BY ?class ORDER BY DESC(?n)</textarea><br>
<select name="format">{options}</select>
<button type="submit">Run</button>
</form>
</body></html>
"""


def _negotiate(request: Any) -> tuple[str | None, str | None, str | None]:
    """Return (results serializer, graph serializer, error) for a request (``protocol``)."""
    values = {p: request.values.getlist(p) for p in protocol.FORMAT_PARAMS}
    return protocol.negotiate(values, request.accept_mimetypes, request.headers.get("Accept"))


def _valid_iris(values: list[str]) -> str | None:
    for v in values:
        if not v or _IRI_FORBIDDEN.search(v) or ":" not in v:
            return v
    return None


def _printable(text: str, limit: int = 200) -> str:
    r"""Show control characters as escapes (``\x1b``, ``\x0a``) and cut long text.

    For the log and messages: ``%1b`` or ``%0a`` in a request path could otherwise recolour a
    terminal showing the log, or forge a line of it.
    """
    return printable(text, limit)


def make_app(config: ServeConfig, run: Callable[[dict[str, Any], float], Answer]) -> Any:
    """Build the WSGI application.

    Args:
        config: the server's settings (timeout, row cap, HTML page, CORS).
        run: executes a protocol request within a timeout (``QueryPool.run``).
    """
    from werkzeug.exceptions import RequestEntityTooLarge
    from werkzeug.wrappers import Request, Response

    def respond(answer: Answer, environ: dict[str, Any], start: Any) -> Iterable[bytes]:
        response = Response(answer.body, status=answer.status, content_type=answer.content_type)
        for k, v in answer.headers.items():
            response.headers[k] = v
        if config.cors:
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = "X-PolicyKG-Truncated"
        for k, v in security_headers(answer).items():
            response.headers[k] = v
        result: Iterable[bytes] = response(environ, start)
        return result

    def home(request: Any) -> Answer:
        page = config.html
        if page is not None and page.is_file():
            try:
                served = served_page(page.read_text(encoding="utf-8")).encode("utf-8")
            except ValueError:  # not a page policykg wrote: send it as it is
                served = page.read_bytes()
            # security_headers() gives it a CSP of 'self' only: the served page has no inline
            # script (its scripts are files under /static/; its data block is not code)
            answer = Answer(200, "text/html; charset=utf-8", served)
        else:
            missing = _HOME_MISSING.format(base=html.escape(request.host_url))
            answer = Answer(200, "text/html; charset=utf-8", missing.encode("utf-8"))
        answer.headers["Cache-Control"] = "no-cache"
        return answer

    def sparql(request: Any) -> Answer:
        if request.method == "OPTIONS":
            answer = Answer(204, "text/plain", b"")
            answer.headers["Allow"] = "GET, POST, OPTIONS"
            if config.cors:
                answer.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                answer.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
            return answer
        if request.method not in ("GET", "POST"):
            answer = _error(405, f"{request.method} is not allowed on /sparql (use GET or POST)")
            answer.headers["Allow"] = "GET, POST, OPTIONS"
            return answer
        mimetype = request.mimetype if request.method == "POST" else ""
        if mimetype == "application/sparql-update" or "update" in request.values:
            return _error(403, "SPARQL updates are refused: this endpoint is read-only")
        if request.method == "POST" and mimetype == "application/sparql-query":
            text = request.get_data(as_text=True)
            queries = [text]
        elif request.method == "POST" and mimetype not in (
            "application/x-www-form-urlencoded", "multipart/form-data", ""
        ):
            return _error(415, f"unsupported request body {mimetype}: send "
                               "application/sparql-query or an urlencoded form")
        else:
            queries = request.values.getlist("query")
        if not queries:
            if request.method == "GET" and request.accept_mimetypes.best == "text/html":
                options = "".join(f"<option>{f}</option>" for f in ("json", "csv", "tsv",
                                                                      "xml", "turtle", "nt"))
                return Answer(200, "text/html; charset=utf-8",
                              _FORM.format(options=options).encode("utf-8"))
            if request.method == "GET" and not request.values:
                return _service_description(request)
            return _error(400, "missing the 'query' parameter (SPARQL 1.1 Protocol)")
        if len(queries) > 1:
            return _error(400, "give exactly one 'query' parameter")
        defaults = request.values.getlist("default-graph-uri")
        named = request.values.getlist("named-graph-uri")
        bad = _valid_iris(defaults + named)
        if bad is not None:
            return _error(400, f"not an absolute IRI: '{bad}'")
        results, graph, problem = _negotiate(request)
        if problem is not None:
            return _error(406, problem)
        try:
            scoped = scope.parse_scope({k: request.values.getlist(k)
                                        for k in ("doc", "year", "drafts")})
        except QueryError as exc:
            return _error(400, str(exc))
        job = {
            "query": queries[0],
            "results": results,
            "graph": graph,
            "default_graphs": defaults,
            "named_graphs": named,
            "max_rows": config.max_rows,
            "allow_service": config.allow_service,
            "scope": scoped.as_job(),
        }
        if not config.allow_service:
            refused = _service_refusal(queries[0])
            if refused is not None:
                return refused
        return run(job, config.timeout)

    def _service_description(request: Any) -> Answer:
        """The endpoint's SPARQL 1.1 Service Description, in the RDF format asked for."""
        import pyoxigraph as ox

        _results, graph, problem = _negotiate(request)
        if problem is not None or graph is None:
            graph = "turtle"
        text = protocol.service_description(request.base_url, max_rows=config.max_rows,
                                            allow_service=config.allow_service)
        body = text.encode("utf-8") if graph == "turtle" else serialize_triples(
            list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)), graph)
        return Answer(200, protocol.CONTENT_TYPES[graph], body)

    vocab_cache: list[bytes] = []

    def vocab(request: Any) -> Answer:
        if not vocab_cache:
            answer = run({"query": _VOCAB_QUERY, "results": "json", "graph": None,
                          "default_graphs": [], "named_graphs": [], "max_rows": 0},
                         config.timeout)
            if answer.status != 200:
                return answer
            vocab_cache.append(_vocab_json(answer.body))
        return Answer(200, "application/json", vocab_cache[0],
                      {"Cache-Control": "no-cache"})

    def listing(query: str, shape: Callable[[list[dict[str, Any]]], Any]) -> Answer:
        """A JSON list the workbench reads (documents, drafts), from an unscoped query."""
        answer = run({"query": query, "results": "json", "graph": None, "default_graphs": [],
                      "named_graphs": [], "max_rows": 0}, config.timeout)
        if answer.status != 200:
            return answer
        body = json.dumps(shape(json.loads(answer.body)["results"]["bindings"]),
                          ensure_ascii=False, sort_keys=True).encode("utf-8")
        return Answer(200, "application/json", body, {"Cache-Control": "no-cache"})

    def named_run(request: Any, name: str) -> Answer:
        if request.method not in ("GET", "POST"):
            return _error(405, f"{request.method} is not allowed here (use GET or POST)")
        results, _graph, problem = _negotiate(request)
        if problem is not None or results is None:
            return _error(406, problem or "named queries answer in a SPARQL results format")
        params = {k: v for k, v in request.values.items()
                  if k not in ("format", "output", "doc", "year", "drafts")}
        try:
            scoped = scope.parse_scope({k: request.values.getlist(k)
                                        for k in ("doc", "year", "drafts")})
        except QueryError as exc:
            return _error(400, str(exc))
        job = {"named": name, "params": params, "query": "", "results": results,
               "graph": "turtle", "default_graphs": [], "named_graphs": [],
               "max_rows": config.max_rows, "scope": scoped.as_job()}
        answer = run(job, config.timeout)
        if results == "csv" and answer.status == 200:
            answer.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return answer

    def app(environ: dict[str, Any], start: Any) -> Iterable[bytes]:
        started = time.perf_counter()
        request = Request(environ)
        request.max_content_length = MAX_REQUEST_BYTES
        request.max_form_memory_size = MAX_REQUEST_BYTES
        path = request.path
        try:
            guard = check_host(environ, config) or check_origin(environ, config)
            cross_site = check_fetch_site(environ, config.cors)  # issue 25 N11
            if guard is None and cross_site is not None and (
                path in ("/sparql", "/sparql/", "/query") or path.startswith("/api/")
            ):
                guard = _error(403, cross_site)
            if guard is not None:
                answer = guard
            elif path in ("/", "/index.html", "/policykg.html"):
                answer = home(request) if request.method in ("GET", "HEAD") else _error(
                    405, f"{request.method} is not allowed on {path}")
            elif path in ("/sparql", "/sparql/", "/query"):
                answer = sparql(request)
            elif path.startswith("/static/"):
                answer = _static(path[len("/static/"):]) if request.method in ("GET", "HEAD") \
                    else _error(405, f"{request.method} is not allowed on {path}")
            elif path == "/api/vocab":
                answer = vocab(request)
            elif path == "/api/prefixes":
                answer = Answer(200, "application/json",
                                json.dumps(PREFIXES, sort_keys=True).encode("utf-8"))
            elif path == "/api/documents":
                answer = listing(scope.DOCUMENTS_QUERY, scope.documents_json)
            elif path == "/api/drafts":
                answer = listing(scope.DRAFTS_QUERY, lambda b: [x["x"]["value"] for x in b])
            elif path == "/api/queries":
                answer = Answer(200, "application/json", _catalogue_json())
            elif path.startswith("/api/queries/"):
                answer = named_run(request, path[len("/api/queries/"):])
            elif path in VIEW_ROUTES:  # the compare view: answered by a query worker
                job = view_job(path, request.method, request.values)
                answer = job if isinstance(job, Answer) else run(job, config.timeout)
            elif path in ("/update", "/store", "/data"):
                answer = _error(404, f"no such route: {path} (this server is read-only; "
                                     "SPARQL queries go to /sparql)")
            else:
                answer = _error(404, f"no such route: {path} (try / or /sparql)")
        except RequestEntityTooLarge:
            answer = _error(413, f"request larger than {MAX_REQUEST_BYTES} bytes")
        except UnicodeDecodeError:
            answer = _error(400, "the request is not valid UTF-8")
        log.info('%s "%s %s" %d %d ms', _printable(request.remote_addr or "-"),
                 _printable(request.method), _printable(path, 1000), answer.status,
                 (time.perf_counter() - started) * 1000)
        return respond(answer, environ, start)

    return app


def check_address(host: str, port: int) -> None:
    """Check that ``host`` is an address or a host name this machine can bind.

    Raises:
        BackendError: it is neither (``'no such host!'``), or the port is out of range.
    """
    import socket

    if not 0 <= port < 65536:
        raise BackendError(f"port {port} is out of range (0..65535)")
    try:
        socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM,
                           flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, socket.gaierror) and exc.strerror else str(exc)
        raise BackendError(f"cannot listen on {_printable(host)!r}: not an address or host "
                           f"name ({why}); give --host 127.0.0.1 or another address") from None


def serve(config: ServeConfig, *, ready: Callable[[str], None] | None = None) -> None:
    """Run the server until interrupted (Ctrl-C or SIGTERM).

    Args:
        config: the settings.
        ready: called with the base URL once the port is bound and the workers hold the graph.

    Raises:
        PolicyKGError: the graph cannot be opened.
        BackendError: the address cannot be bound.
    """
    from waitress import create_server  # type: ignore[import-untyped]

    check_address(config.host, config.port)  # before the workers load the graph
    if config.store is not None:
        source: dict[str, Any] = {"store": str(config.store)}
    else:
        source = {"files": [(str(f.path), str(f.graph) if f.graph else None)
                            for f in config.files]}
    source["query_memory_mb"] = config.query_memory
    pool = LanePool(_worker_main, source, error=_pool_error, fast=config.workers,
                    slow=config.slow_workers, waiting=config.queue,
                    fast_budget=config.fast_budget)
    pool.start()
    try:
        app = make_app(config, pool.run)
        try:
            server: Any = create_server(
                # Every query that may be running or waiting holds a thread; four more stay
                # free for the page, refusals and 503s, which never wait for a worker.
                app, host=config.host, port=config.port,
                threads=config.workers + config.slow_workers + config.queue + 4,
                ident="policykg",
                # issue 25 N9: idle and half-sent connections are closed after idle_timeout
                # (checked every second), and many more may be open than threads run
                channel_timeout=config.idle_timeout, cleanup_interval=1,
                connection_limit=max(500, 4 * (config.workers + config.queue)),
            )
        except OSError as exc:
            raise BackendError(f"cannot listen on {config.host}:{config.port}: {exc.strerror}") \
                from None
        except ValueError as exc:
            raise BackendError(f"cannot listen on {config.host!r}: {exc}") from None
        host = config.host if ":" not in config.host else f"[{config.host}]"
        base = f"http://{host}:{server.effective_port}/"

        def stop(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            if ready is not None:
                ready(base)
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            server.close()
    finally:
        pool.close()
