"""Where SPARQL is evaluated.

rdflib stays the library for modelling and file I/O, but its SPARQL evaluator can choose
disastrous join orders, so queries run on Oxigraph (pyoxigraph): in memory by default
(:class:`MemoryBackend`), on a persistent store loaded beforehand with ``policykg load``
(:class:`StoreBackend`), or on any SPARQL 1.1 endpoint over HTTP (:class:`EndpointBackend`).
Every backend returns the same :class:`QueryResult` of rdflib terms, so callers never see which
one answered.

Variables are pre-bound the same way on every backend: :func:`bind_values` adds a one-row
``VALUES`` block, built from escaped N-Triples terms, at the start of every group pattern of the
query. (Oxigraph's own substitutions only accept projected variables, and remote endpoints know
none.) Queries read the default graph as the union of all named graphs: the embedded backends ask
Oxigraph for that, a remote endpoint must be configured for it (see ``docs/scale.md``).
"""

from __future__ import annotations

import base64
import contextlib
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol
from urllib.parse import SplitResult, urlencode, urlsplit, urlunsplit

from rdflib.term import Node

from policykg.core.errors import BackendError, ParseError, QueryError
from policykg.core.namespaces import sparql_prologue
from policykg.core.text import escape_controls
from policykg.rdf.terms import from_oxigraph
from policykg.sparql.results import (
    QueryResult,
    order_rows,
    parse_graph,
    parse_results_json,
    result_from_oxigraph,
)
from policykg.sparql.sparqltext import parse, split_order_by
from policykg.sparql.syntax import bind_values, check_syntax, query_error_message, query_form
from policykg.store.oxiargs import not_projected, prefixes_for, refuse, refused, substitutions

if TYPE_CHECKING:
    from http.client import HTTPMessage

    from policykg.rdf.graphio import GraphFile

__all__ = [
    "DEFAULT_ENDPOINT_TIMEOUT",
    "ROW_CAP",
    "Backend",
    "EndpointBackend",
    "MemoryBackend",
    "StoreBackend",
    "is_oxigraph_store",
    "open_backend",
    "printable",
    "redact",
    "same_origin",
    "split_credentials",
]

Quad = tuple[Node, Node, Node, Node | None]

#: The most rows (or triples) an embedded query reads, plus one to tell a cut (0: no cap). Set
#: by ``policykg query --max-rows`` around one query (issue 25 N14: 10M rows took 5.8 GB).
ROW_CAP: ContextVar[int] = ContextVar("policykg_row_cap", default=0)

#: Seconds an :class:`EndpointBackend` waits for an answer by default.
DEFAULT_ENDPOINT_TIMEOUT = 60.0
#: The largest answer the endpoint client reads (bytes); a larger one is refused (issue 25 N15).
MAX_ENDPOINT_ANSWER = 64 * 1024 * 1024
#: The longest endpoint timeout (seconds): a day.
MAX_ENDPOINT_TIMEOUT = 86_400.0


class Backend(Protocol):
    """What every store offers: SPARQL queries and a dump of its quads."""

    name: str

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all graphs, with variables pre-bound."""
        ...

    def quads(self) -> Iterator[Quad]:
        """Yield every quad of the store."""
        ...

    def close(self) -> None:
        """Release the store."""
        ...


def printable(text: str, limit: int = 500) -> str:
    r"""Return text fit to show: controls as escapes (``\x1b``), at most ``limit`` characters.

    A remote error body or a request path with an ANSI/OSC sequence or a line end then cannot
    drive the terminal that shows it, or forge a line of a log.
    """
    cut = text if len(text) <= limit else text[:limit] + "..."
    return escape_controls(cut, named=False)


def _first_line(exc: BaseException | str) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- in-memory and on-disk Oxigraph --------------------------------------------------------------

class MemoryBackend:
    """An Oxigraph store (in memory, or read-write on disk at ``path``), union default graph."""

    name = "memory"

    def __init__(self, path: Path | None = None) -> None:
        import pyoxigraph as ox

        try:
            self.store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as exc:
            raise BackendError(f"{path}: cannot open the Oxigraph store: {exc}") from None
        if path is not None:
            self.name = "store"

    def load_files(self, files: Sequence[GraphFile]) -> None:
        """Load RDF files into the store (each Turtle file into its named graph)."""
        import pyoxigraph as ox

        for f in files:
            try:
                if f.graph is None:
                    self.store.load(path=str(f.path))
                else:
                    self.store.load(path=str(f.path), to_graph=ox.NamedNode(str(f.graph)))
            except FileNotFoundError:
                raise ParseError(f"{f.path}: no such file") from None
            except SyntaxError as exc:
                raise ParseError(f"{f.path}: syntax error: {_first_line(exc)}") from None
            except (OSError, ValueError) as exc:
                raise ParseError(f"{f.path}: cannot load: {_first_line(exc)}") from None

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a query over the union of all graphs, with variables pre-bound.

        A bound variable is handed to Oxigraph as a substitution when Oxigraph accepts it (it
        only accepts variables a SELECT projects; its optimizer then treats the value as a
        constant), otherwise it is bound with :func:`bind_values`. Both give the same answers.
        """
        parsed = parse(sparql)
        # Oxigraph reads both terms' text at every comparison of a sort, which on disk costs
        # seconds for a few thousand rows; sorting the converted answer costs milliseconds.
        split = parsed.order_split
        body = split[0].text if split else sparql
        prefixes = prefixes_for(parsed)
        subs = dict(bindings or {})
        values: dict[str, Node] = {}
        refusals = refused(body)
        for name in [n for n in subs if n in refusals]:  # known already: no failed attempt
            values[name] = subs.pop(name)
        while True:
            text = bind_values(body, values)
            try:
                res = self.store.query(text, prefixes=prefixes, use_default_graph_as_union=True,
                                       substitutions=substitutions(subs))
                cap = ROW_CAP.get()
                result = result_from_oxigraph(
                    res, limit=cap + 1 if cap else 0, order=split[1] if split else ())
                if split and cap and len(result.rows) > cap:  # read, not sorted
                    raise QueryError(
                        f"the query gives more than {cap} rows, too many to sort here; add "
                        "LIMIT, or give --max-rows 0 (no cap)")
                return result
            except SyntaxError as exc:
                raise QueryError(query_error_message(exc, sparql)) from None
            except RuntimeError as exc:
                refusal = not_projected(exc)
                if refusal is not None and refusal in subs:
                    values[refusal] = subs.pop(refusal)
                    refuse(body, refusal)
                    continue
                raise QueryError(f"SPARQL evaluation failed: {_first_line(exc)}") from None
            except (OSError, ValueError) as exc:
                raise QueryError(f"SPARQL evaluation failed: {_first_line(exc)}") from None

    def quads(self) -> Iterator[Quad]:
        """Yield every quad."""
        for q in self.store:
            s, p, o = from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)
            assert s is not None and p is not None and o is not None
            yield s, p, o, from_oxigraph(q.graph_name)

    def close(self) -> None:
        """Flush and release the store."""
        if hasattr(self, "store"):
            del self.store


def is_oxigraph_store(path: Path) -> bool:
    """Tell whether a folder holds an Oxigraph (RocksDB) store."""
    return path.is_dir() and (path / "CURRENT").is_file() and (path / "IDENTITY").is_file()


class StoreBackend(MemoryBackend):
    """A persistent Oxigraph store on disk, opened read-only (reopening takes milliseconds).

    Fill it with ``policykg load --store DIR`` (or :func:`policykg.store.bulk.load_store`). Several
    processes may read the same store at once; nothing may write to it meanwhile.
    """

    name = "store"

    def __init__(self, path: Path) -> None:
        """Open the store at ``path`` read-only.

        Raises:
            BackendError: no Oxigraph store at ``path``, or it cannot be opened.
        """
        import pyoxigraph as ox

        self.path = Path(path)
        if not is_oxigraph_store(self.path):
            raise BackendError(
                f"{self.path}: no Oxigraph store here; "
                f"create it with 'policykg load --store {self.path}'"
            )
        try:
            self.store = ox.Store.read_only(str(self.path))
        except OSError as exc:
            why = _first_line(exc)
            raise BackendError(f"{self.path}: cannot open the Oxigraph store: {why}") from None

    def load_files(self, files: Sequence[GraphFile]) -> None:
        """Refuse: the store is opened read-only (load it with ``policykg load --store``)."""
        raise BackendError(f"{self.path}: the store is open read-only; use 'policykg load --store'")


# -- a remote SPARQL 1.1 endpoint ---------------------------------------------------------------

_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


def same_origin(a: str, b: str) -> bool:
    """Tell whether two URLs share scheme, host and port (the default port when none is given)."""
    pa, pb = urlsplit(a), urlsplit(b)
    defaults = {"http": 80, "https": 443}

    def key(p: SplitResult) -> tuple[str, str, int | None]:
        return p.scheme.lower(), (p.hostname or "").lower(), p.port or defaults.get(p.scheme)

    return key(pa) == key(pb)


def split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """Remove ``user:password@`` from a URL; return the clean URL and its Authorization header.

    Raises:
        BackendError: the URL is not an http(s) URL.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BackendError(f"'{url}' is not an http:// or https:// URL")
    headers: dict[str, str] = {}
    if parts.username is not None:
        from urllib.parse import unquote

        user = unquote(parts.username)
        password = unquote(parts.password or "")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        if parts.port is not None:
            netloc += f":{parts.port}"
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts), headers


def redact(url: str) -> str:
    """Return a URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{netloc}"))


class _CredentialsStayHome(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but send ``Authorization`` only to the URL's own scheme, host and port."""

    def redirect_request(self, req: urllib.request.Request, fp: IO[bytes], code: int, msg: str,
                         headers: HTTPMessage, newurl: str) -> urllib.request.Request | None:
        from urllib.parse import urljoin

        scheme = urlsplit(urljoin(req.full_url, newurl)).scheme.lower()
        if scheme not in ("http", "https"):  # issue 25 N22: never ftp:, file:, ...
            raise BackendError(f"{redact(req.full_url)}: redirected (HTTP {code}) to a "
                               f"{printable(scheme, 20) or 'relative'}: URL, which is refused "
                               "(only http and https redirects are followed)")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and not same_origin(req.full_url, new.full_url):
            for name in list(new.headers):
                if name.lower() in ("authorization", "cookie"):
                    del new.headers[name]
            new.unredirected_hdrs.pop("Authorization", None)
        return new


class _Deadline:
    """One deadline for a whole HTTP exchange (connect, redirects, headers and body).

    A socket timeout bounds each read, so a server that sends a byte a second would never time
    out; at the deadline a timer shuts every socket of the exchange down instead, which ends any
    read at once.
    """

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        """Seconds left (a little more than zero when none are)."""
        return max(0.001, self.at - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline (at once when it has passed)."""
        with self._lock:
            self._sockets.append(sock)
            if not self.expired:
                return
        self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def opener(self) -> urllib.request.OpenerDirector:
        """A urllib opener whose connections obey this deadline (and keep credentials home)."""
        import http.client

        deadline = self

        class Connection(http.client.HTTPConnection):
            def connect(self) -> None:
                self.timeout = deadline.remaining()
                super().connect()
                deadline.watch(self.sock)

        class SecureConnection(http.client.HTTPSConnection):
            def connect(self) -> None:
                self.timeout = deadline.remaining()
                super().connect()
                deadline.watch(self.sock)

        class Handler(urllib.request.HTTPHandler):
            def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(Connection, req)

        class SecureHandler(urllib.request.HTTPSHandler):
            def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
                return self.do_open(SecureConnection, req, context=getattr(self, "_context", None))

        return urllib.request.build_opener(Handler, SecureHandler, _CredentialsStayHome)


class EndpointBackend:
    """Any SPARQL 1.1 endpoint reached over HTTP (Oxigraph, Fuseki, GraphDB, Virtuoso, Neptune).

    Queries are checked locally first (so syntax errors read the same as on the embedded
    backends), sent with the project's prefixes prepended and variables bound by a VALUES block
    (:func:`bind_values`), as a form POST of the SPARQL 1.1 Protocol. The endpoint must treat
    its default graph as the union of its named graphs (``oxigraph serve --union-default-graph``,
    Fuseki ``tdb2:unionDefaultGraph true``, GraphDB by default); :meth:`default_graph_is_union`
    checks it.

    Args:
        url: the query URL (``http://localhost:7878/query``); ``user:password@`` in it is sent
            as HTTP Basic authentication.
        timeout: seconds to wait for an answer.
    """

    name = "endpoint"

    def __init__(self, url: str, *, timeout: float = DEFAULT_ENDPOINT_TIMEOUT,
                 max_answer: int = MAX_ENDPOINT_ANSWER) -> None:
        if not 0 < timeout <= MAX_ENDPOINT_TIMEOUT:  # issue 25 N20: not nan, inf or 1e20
            raise BackendError(f"the endpoint timeout must be more than 0 and at most "
                               f"{MAX_ENDPOINT_TIMEOUT:g} seconds, not {timeout:g}")
        self.max_answer = max_answer
        self.url, self._auth = split_credentials(url)
        self.display_url = redact(url)
        self.timeout = timeout

    # The HTTP exchange -------------------------------------------------------------------------

    def _post(self, text: str, accept: str) -> tuple[bytes, str]:
        import http.client
        import urllib.error

        body = urlencode({"query": text}).encode("utf-8")
        headers = {
            "Accept": accept,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": "policykg",
            **self._auth,
        }
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        where = self.display_url
        late = f"{where}: no answer within {self.timeout:g} s"
        deadline = _Deadline(self.timeout)
        try:
            with deadline:
                try:
                    with deadline.opener().open(request, timeout=self.timeout) as response:
                        data: bytes = response.read(self.max_answer + 1)
                        if len(data) > self.max_answer:  # issue 25 N15
                            raise BackendError(
                                f"{where}: the answer is larger than {self.max_answer} bytes "
                                "(the endpoint client's limit); ask for less (LIMIT)")
                        if deadline.expired:
                            raise TimeoutError
                        return data, response.headers.get("Content-Type", "")
                except urllib.error.HTTPError as exc:
                    error = exc
                    detail = _first_line(exc.read().decode("utf-8", "replace")) if exc.fp else ""
                    detail = printable(detail)
                    if deadline.expired:
                        raise TimeoutError from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError) or deadline.expired:
                raise BackendError(late) from None
            raise BackendError(f"cannot reach the SPARQL endpoint {where}: {exc.reason}") from None
        except TimeoutError:
            raise BackendError(late) from None
        except (OSError, http.client.HTTPException) as exc:
            if deadline.expired:
                raise BackendError(late) from None
            raise BackendError(f"{where}: {_first_line(exc) or type(exc).__name__}") from None
        if error.code in (400, 422):
            raise QueryError(f"the endpoint {where} refused the query: {detail}")
        if error.code in (401, 403):
            raise BackendError(f"{where}: access denied (HTTP {error.code}): {detail}")
        if error.code == 404:
            raise BackendError(f"{where}: no SPARQL endpoint at this URL (HTTP 404)")
        if 300 <= error.code < 400:
            detail = "a redirect that was not followed (too many, or to a refused place)"
        if error.code in (503, 504) and not detail:
            detail = "the endpoint timed out or is overloaded"
        raise BackendError(f"{where}: HTTP {error.code}: {detail or printable(str(error.reason))}")

    # Backend protocol --------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a query on the endpoint.

        Raises:
            QueryError: the query is malformed, an update, or the endpoint refused it.
            BackendError: the endpoint cannot be reached or answered with an error.
        """
        check_syntax(sparql)  # the same one-line messages as the embedded graph, before any I/O
        form = query_form(sparql)
        split = split_order_by(sparql)  # ordered here, as on the embedded backends
        text = sparql_prologue() + bind_values(split[0] if split else sparql, bindings)
        if form in ("CONSTRUCT", "DESCRIBE"):
            data, content_type = self._post(text, _GRAPH_ACCEPT)
            try:
                return parse_graph(data, content_type)
            except (SyntaxError, ValueError) as exc:
                why = _first_line(exc)
                raise BackendError(
                    f"{self.display_url}: unreadable {content_type or 'RDF'} answer: {why}"
                ) from None
        data, content_type = self._post(text, f"{_RESULTS_JSON}, application/json;q=0.9")
        try:
            result = parse_results_json(data)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackendError(
                f"{self.display_url}: the answer is not SPARQL JSON results ({content_type}): "
                f"{_first_line(str(exc))}"
            ) from None
        if split and result.kind == "select":
            order_rows(result, split[1])
        return result

    def quads(self) -> Iterator[Quad]:
        """Yield every quad of the endpoint's named graphs."""
        res = self.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        for s, p, o, g in res.rows:
            assert s is not None and p is not None and o is not None
            yield s, p, o, g

    def default_graph_is_union(self) -> bool | None:
        """Check that a triple of a named graph is visible in the default graph.

        Returns:
            ``True``/``False``, or ``None`` when the endpoint holds no named graph.
        """
        res = self.query(
            "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && !isBlank(?o)) } "
            "LIMIT 1"
        )
        if not res.rows:
            return None
        s, p, o = res.rows[0]
        assert s is not None and p is not None and o is not None
        ask = self.query("ASK { ?s ?p ?o }", {"s": s, "p": p, "o": o})
        return bool(ask.boolean)

    def close(self) -> None:
        """Nothing to release (every query is one HTTP request)."""


def open_backend(
    files: Sequence[GraphFile],
    *,
    store: Path | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_ENDPOINT_TIMEOUT,
) -> Backend:
    """Open the backend a user asked for.

    Args:
        files: the project's RDF files (loaded into the default in-memory store).
        store: a persistent Oxigraph store folder, loaded beforehand with ``policykg load``.
        endpoint: the URL of a SPARQL 1.1 query endpoint.
        timeout: seconds to wait for an endpoint's answer.

    Raises:
        BackendError: both or an unusable store/endpoint were given.
        ParseError: a file of the default backend is missing or malformed.
    """
    if store is not None and endpoint is not None:
        raise BackendError("give either --store or --endpoint, not both")
    if store is not None:
        return StoreBackend(store)
    if endpoint is not None:
        return EndpointBackend(endpoint, timeout=timeout)
    backend = MemoryBackend()
    backend.load_files(files)
    return backend
