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
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from typing import Literal as TypingLiteral
from urllib.parse import urlencode, urlsplit, urlunsplit

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import BackendError, ParseError, QueryError
from .namespaces import PREFIXES, XSD, sparql_prologue
from .sparqltext import (
    QUERY_FORMS,
    UPDATE_KEYWORDS,
    OrderKey,
    first_keyword,
    group_openings,
    split_order_by,
    tokens,
)

if TYPE_CHECKING:
    from .graphio import GraphFile

__all__ = [
    "DEFAULT_ENDPOINT_TIMEOUT",
    "Backend",
    "EndpointBackend",
    "MemoryBackend",
    "QueryResult",
    "StoreBackend",
    "bind_each",
    "bind_values",
    "from_oxigraph",
    "is_oxigraph_store",
    "ntriples_term",
    "open_backend",
    "order_key",
    "order_rows",
    "query_form",
    "to_oxigraph",
    "update_keyword",
]

Quad = tuple[Node, Node, Node, Node | None]

#: Seconds an :class:`EndpointBackend` waits for an answer by default.
DEFAULT_ENDPOINT_TIMEOUT = 60.0


@dataclass
class QueryResult:
    """The answer of one SPARQL query.

    Attributes:
        kind: ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT/DESCRIBE).
        vars: the projected variable names of a SELECT, in order.
        rows: SELECT solutions, one tuple per row aligned with ``vars`` (``None`` = unbound).
        boolean: the answer of an ASK.
        triples: the triples of a CONSTRUCT/DESCRIBE.
    """

    kind: TypingLiteral["select", "ask", "graph"]
    vars: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Node, Node, Node]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Node | None]]:
        """Return SELECT rows as dictionaries keyed by variable name."""
        return [dict(zip(self.vars, row, strict=True)) for row in self.rows]

    def column(self, var: str) -> list[Node | None]:
        """Return one variable's values, row by row."""
        i = self.vars.index(var)
        return [row[i] for row in self.rows]


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


# -- term conversion ---------------------------------------------------------------------------


_XSD_STRING = str(XSD.string)
_DATATYPES: dict[str, URIRef] = {}  # datatype IRIs are few: build each URIRef once


def from_oxigraph(term: Any) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        # Oxigraph only holds valid IRIs: skip URIRef's own check, which costs more than the rest.
        return str.__new__(URIRef, term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        try:
            iri = _DATATYPES[datatype]
        except KeyError:
            iri = _DATATYPES[datatype] = URIRef(datatype)
        return Literal(term.value, datatype=iri)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> Any:
    """Convert an rdflib term (or a plain Python value) to a pyoxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return to_oxigraph(Literal(term))


_IRI_FORBIDDEN = re.compile(r'[<>"{}|^`\\\x00-\x20]')
_LANG_TAG = re.compile(r"[A-Za-z]+(-[A-Za-z0-9]+)*")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def ntriples_term(term: Node) -> str:
    """Write an IRI or literal as an N-Triples term that is also valid SPARQL.

    Raises:
        QueryError: the term is a blank node, or an IRI or language tag that cannot be written.
    """
    if isinstance(term, URIRef):
        iri = str(term)
        if _IRI_FORBIDDEN.search(iri):
            raise QueryError(f"cannot bind the IRI <{iri}>: it contains a character IRIs forbid")
        return f"<{iri}>"
    if isinstance(term, Literal):
        text = "".join(_ECHAR.get(c, c) for c in str(term))
        if term.language:
            if not _LANG_TAG.fullmatch(term.language):
                raise QueryError(f"cannot bind a literal with language tag '{term.language}'")
            return f'"{text}"@{term.language}'
        if term.datatype is not None and str(term.datatype) != str(XSD.string):
            return f'"{text}"^^{ntriples_term(URIRef(str(term.datatype)))}'
        return f'"{text}"'
    if isinstance(term, BNode):
        raise QueryError("cannot bind a blank node: name the node by its IRI")
    raise QueryError(f"cannot bind {term!r}: not an IRI or a literal")


def query_form(sparql: str) -> str | None:
    """Return ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK`` for a query, else ``None``."""
    word = first_keyword(sparql)
    return word if word in QUERY_FORMS else None


def update_keyword(sparql: str) -> str | None:
    """Return the operation keyword (``INSERT``, ``DROP``, ...) if the text is a SPARQL update."""
    word = first_keyword(sparql)
    return word if word in UPDATE_KEYWORDS else None


def bind_values(sparql: str, bindings: Mapping[str, Node] | None) -> str:
    """Pre-bind variables by adding a one-row ``VALUES`` block to every group pattern.

    Every solution then has each bound variable equal to its value at every level of the query,
    as if the variable had been replaced by the value; the values are written as escaped
    N-Triples terms, never spliced in as text. Variables the query does not mention are ignored.
    A query without a group pattern (``DESCRIBE ?x``) or a short-form ``CONSTRUCT WHERE`` gets a
    trailing ``VALUES`` clause instead.

    Args:
        sparql: the query text.
        bindings: variable name (without ``?``) -> IRI or literal.

    Returns:
        The query text with the VALUES blocks (unchanged when nothing is bound).

    Raises:
        QueryError: a value cannot be written in SPARQL (a blank node, a malformed IRI).
    """
    if not bindings:
        return sparql
    toks = tokens(sparql)
    used = {t.text[1:] for t in toks if t.kind == "var"}
    names = [name for name in bindings if name.lstrip("?$") in used]
    if not names:
        return sparql
    heads = " ".join(f"?{name.lstrip('?$')}" for name in names)
    row = " ".join(ntriples_term(bindings[name]) for name in names)
    block = f" VALUES ({heads}) {{ ({row}) }} "
    positions, short_construct = group_openings(toks)
    if short_construct or not positions:
        return f"{sparql.rstrip()}\n{block.strip()}\n"
    out = sparql
    for pos in reversed(positions):
        out = out[:pos] + block + out[pos:]
    return out


def bind_each(sparql: str, var: str, terms: Sequence[Node]) -> str:
    """Restrict ``?var`` to each of ``terms``: one ``VALUES`` block opening the WHERE clause.

    The multi-row sibling of :func:`bind_values`, for asking the same question of many terms at
    once (their labels, their edges); the terms are written as escaped N-Triples terms.

    Raises:
        QueryError: the query has no group pattern, or a term cannot be written in SPARQL.
    """
    positions, short_construct = group_openings(tokens(sparql))
    if short_construct or not positions:
        raise QueryError("bind_each needs a query with a WHERE group")
    block = f" VALUES ?{var.lstrip('?$')} {{ {' '.join(ntriples_term(t) for t in terms)} }} "
    return sparql[: positions[0]] + block + sparql[positions[0] :]


# -- errors --------------------------------------------------------------------------------------

_LOCATION = re.compile(r"(?:error )?at (\d+):(\d+)(?:-\d+:\d+)?:?\s*")


def query_error_message(exc: Exception, sparql: str) -> str:
    """Return one line saying where and why a query failed to parse.

    The wording is that of :func:`policykg.query.check_syntax`, so every backend and the server
    describe a mistake the same way.
    """
    try:
        from .query import check_syntax as _check
    except ImportError:  # pragma: no cover - the query helpers are part of the package
        pass
    else:
        try:
            _check(sparql)
        except QueryError as err:
            return str(err)
    keyword = update_keyword(sparql)
    if keyword is not None:
        return f"SPARQL updates are refused ({keyword}): policykg only reads the graph"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    found = _LOCATION.search(text)
    if found:
        # Prefixes are passed to Oxigraph separately, so its positions are the user's own.
        line = int(found.group(1))
        rest = _LOCATION.sub("", text, count=1).strip(" ,:-") or "invalid query"
        return f"SPARQL syntax error at line {max(line, 1)}, column {found.group(2)}: {rest}"
    return f"SPARQL syntax error: {text}"


def _first_line(exc: BaseException | str) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- in-memory and on-disk Oxigraph --------------------------------------------------------------

_NOT_PROJECTED = re.compile(r"does not contains? variable \?(\S+) in its SELECT projection")


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
        import pyoxigraph as ox

        # Oxigraph reads both terms' text at every comparison of a sort, which on disk costs
        # seconds for a few thousand rows; sorting the converted answer costs milliseconds.
        split = split_order_by(sparql)
        body = split[0] if split else sparql
        subs = dict(bindings or {})
        values: dict[str, Node] = {}
        while True:
            text = bind_values(body, values)
            try:
                given = {ox.Variable(k): to_oxigraph(v) for k, v in subs.items()}
                res = self.store.query(
                    text,
                    prefixes=PREFIXES,
                    use_default_graph_as_union=True,
                    substitutions=given or None,
                )
                result = _result(res)
                if split:
                    order_rows(result, split[1])
                return result
            except SyntaxError as exc:
                raise QueryError(query_error_message(exc, sparql)) from None
            except RuntimeError as exc:
                refused = _NOT_PROJECTED.search(str(exc))
                if refused and refused.group(1) in subs:
                    values[refused.group(1)] = subs.pop(refused.group(1))
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

    Fill it with ``policykg load --store DIR`` (or :func:`policykg.store.load_store`). Several
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


def _json_term(value: Mapping[str, Any]) -> Node:
    kind = value.get("type")
    text = str(value.get("value", ""))
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang") or value.get("lang")
        if lang:
            return Literal(text, lang=str(lang))
        datatype = value.get("datatype")
        if datatype and datatype != str(XSD.string):
            return Literal(text, datatype=URIRef(str(datatype)))
        return Literal(text)
    raise ValueError(f"unsupported term type '{kind}'")


def parse_results_json(data: bytes) -> QueryResult:
    """Parse SPARQL 1.1 Query Results JSON into a :class:`QueryResult`.

    Raises:
        ValueError: the data is not SPARQL JSON results.
    """
    doc = json.loads(data.decode("utf-8"))
    if not isinstance(doc, dict):
        raise ValueError("not a JSON object")
    if "boolean" in doc:
        return QueryResult(kind="ask", boolean=bool(doc["boolean"]))
    names = [str(v) for v in doc.get("head", {}).get("vars", [])]
    rows: list[tuple[Node | None, ...]] = []
    for binding in doc["results"]["bindings"]:
        rows.append(tuple(_json_term(binding[n]) if n in binding else None for n in names))
    return QueryResult(kind="select", vars=names, rows=rows)


def parse_graph(data: bytes, content_type: str) -> QueryResult:
    """Parse a CONSTRUCT/DESCRIBE answer (N-Triples, Turtle, RDF/XML, ...) into a QueryResult.

    Raises:
        SyntaxError: the data does not parse in its format.
    """
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_media_type(content_type) if content_type else None
    if fmt is None or fmt.supports_datasets:
        fmt = ox.RdfFormat.TURTLE  # N-Triples is Turtle; text/plain answers are N-Triples
    triples = []
    for t in ox.parse(data, format=fmt):
        s, p, o = from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)
        assert s is not None and p is not None and o is not None
        triples.append((s, p, o))
    return QueryResult(kind="graph", triples=triples)


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

    def __init__(self, url: str, *, timeout: float = DEFAULT_ENDPOINT_TIMEOUT) -> None:
        self.url, self._auth = split_credentials(url)
        self.display_url = redact(url)
        self.timeout = timeout

    # The HTTP exchange -------------------------------------------------------------------------

    def _post(self, text: str, accept: str) -> tuple[bytes, str]:
        import urllib.error
        import urllib.request

        body = urlencode({"query": text}).encode("utf-8")
        headers = {
            "Accept": accept,
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "User-Agent": "policykg",
            **self._auth,
        }
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        where_ = self.display_url
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            detail = _first_line(exc.read().decode("utf-8", "replace")) if exc.fp else ""
            where = self.display_url
            if exc.code in (400, 422):
                raise QueryError(f"the endpoint {where} refused the query: {detail}") from None
            if exc.code in (401, 403):
                raise BackendError(f"{where}: access denied (HTTP {exc.code}): {detail}") from None
            if exc.code == 404:
                raise BackendError(f"{where}: no SPARQL endpoint at this URL (HTTP 404)") from None
            if exc.code in (503, 504) and not detail:
                detail = "the endpoint timed out or is overloaded"
            raise BackendError(f"{where}: HTTP {exc.code}: {detail or exc.reason}") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise BackendError(f"{where_}: no answer within {self.timeout:g} s") from None
            raise BackendError(f"cannot reach the SPARQL endpoint {where_}: {exc.reason}") from None
        except TimeoutError:
            raise BackendError(f"{where_}: no answer within {self.timeout:g} s") from None
        except OSError as exc:
            raise BackendError(f"{self.display_url}: {_first_line(exc)}") from None

    # Backend protocol --------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
        """Run a query on the endpoint.

        Raises:
            QueryError: the query is malformed, an update, or the endpoint refused it.
            BackendError: the endpoint cannot be reached or answered with an error.
        """
        from .query import check_syntax

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


# -- results of pyoxigraph ----------------------------------------------------------------------


def _result(res: Any) -> QueryResult:
    import pyoxigraph as ox

    if isinstance(res, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        # Rows repeat terms (classes, labels, predicates): convert each distinct term once.
        memo: dict[Any, Node | None] = {None: None}

        def convert(term: Any) -> Node | None:
            try:
                return memo[term]
            except KeyError:
                memo[term] = node = from_oxigraph(term)
                return node

        rows = [tuple([convert(term) for term in sol]) for sol in res]
        return QueryResult(kind="select", vars=names, rows=rows)
    triples = []
    for t in res:
        s, p, o = from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)
        assert s is not None and p is not None and o is not None
        triples.append((s, p, o))
    return QueryResult(kind="graph", triples=triples)


_NUMERIC_TYPES = frozenset(
    str(XSD[name])
    for name in (
        "integer", "decimal", "double", "float", "long", "int", "short", "byte",
        "nonNegativeInteger", "positiveInteger", "nonPositiveInteger", "negativeInteger",
        "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
)  # fmt: skip


def order_key(term: Node | None) -> tuple[Any, ...]:
    """Sort key giving SPARQL's ``ORDER BY`` order of terms.

    Unbound first, then blank nodes, IRIs and literals (SPARQL 1.1, section 15.1); numeric
    literals by value, before other literals, which go by lexical form, language and datatype.
    """
    if term is None:
        return (0,)
    if isinstance(term, BNode):
        return (1, str(term))
    if isinstance(term, URIRef):
        return (2, str(term))
    assert isinstance(term, Literal)
    datatype = str(term.datatype or "")
    if datatype in _NUMERIC_TYPES:
        lexical = str(term).strip()
        try:
            number: Decimal | float = (
                float(lexical)
                if datatype in (str(XSD.double), str(XSD.float))
                else Decimal(lexical)
            )
        except (ArithmeticError, ValueError):
            number = float("nan")
        if number == number:  # NaN and ill-typed values sort with the other literals
            return (3, number, lexical)
    return (4, str(term), term.language or "", datatype)


def order_rows(result: QueryResult, keys: Sequence[OrderKey]) -> None:
    """Sort a SELECT answer in place by ``keys``, as ``ORDER BY`` would.

    Rows equal on every key are ordered by all their values, so the order is the same on every
    backend (SPARQL leaves ties to the store).
    """
    rows = result.rows
    if len(rows) < 2:
        return
    cache: dict[int, tuple[Any, ...]] = {}  # by identity: rows share their term objects

    def key(term: Node | None) -> tuple[Any, ...]:
        try:
            return cache[id(term)]
        except KeyError:
            cache[id(term)] = k = order_key(term)
            return k

    def whole(row: tuple[Node | None, ...]) -> tuple[tuple[Any, ...], ...]:
        return tuple(key(t) for t in row)

    columns = [(result.vars.index(k.var), k.descending) for k in keys if k.var in result.vars]
    for i, descending in reversed(columns):  # stable sorts, last key first
        rows.sort(key=lambda row: key(row[i]), reverse=descending)
    # Ties: runs of rows equal on every key, ordered by their whole row.
    start = 0
    for end in range(1, len(rows) + 1):
        if end == len(rows) or any(
            key(rows[end][i]) != key(rows[start][i]) for i, _ in columns
        ):
            if end - start > 1:
                rows[start:end] = sorted(rows[start:end], key=whole)
            start = end


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
