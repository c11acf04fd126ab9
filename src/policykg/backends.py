"""Where SPARQL is evaluated.

rdflib stays the library for modelling and file I/O, but its SPARQL evaluator can choose
disastrous join orders, so queries run on Oxigraph (pyoxigraph): in memory by default, on a
persistent store, or on a remote SPARQL 1.1 endpoint. Every backend returns the same
:class:`QueryResult` of rdflib terms, so callers never see which one answered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal as TypingLiteral, Protocol

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .errors import BackendError, ParseError, QueryError
from .namespaces import PREFIXES, XSD

if TYPE_CHECKING:
    from .graphio import GraphFile

__all__ = [
    "Backend",
    "MemoryBackend",
    "QueryResult",
    "from_oxigraph",
    "open_backend",
    "to_oxigraph",
]

Quad = tuple[Node, Node, Node, Node | None]


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


def from_oxigraph(term: Any) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term."""
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
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


_LOCATION = re.compile(r"(\d+):(\d+)")


def query_error_message(exc: Exception, sparql: str) -> str:
    """Return one line saying where and why a query failed to parse."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    found = _LOCATION.search(text)
    if found:
        # Prefixes are passed to Oxigraph separately, so its positions are the user's own.
        line = int(found.group(1))
        rest = _LOCATION.sub("", text, count=1).strip(" ,:-")
        return f"SPARQL syntax error at line {max(line, 1)}, column {found.group(2)}: {rest}"
    return f"SPARQL syntax error: {text}"


# -- in-memory and on-disk Oxigraph --------------------------------------------------------------


class MemoryBackend:
    """Oxigraph store (in memory, or on disk when ``path`` is given) queried with union default graph."""

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
        """Run a query over the union of all graphs."""
        import pyoxigraph as ox

        subs = {ox.Variable(k): to_oxigraph(v) for k, v in (bindings or {}).items()}
        try:
            res = self.store.query(
                sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs or None
            )
        except SyntaxError as exc:
            raise QueryError(query_error_message(exc, sparql)) from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"SPARQL evaluation failed: {_first_line(exc)}") from None
        return _result(res)

    def quads(self) -> Iterator[Quad]:
        """Yield every quad."""
        for q in self.store:
            s, p, o = from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)
            assert s is not None and p is not None and o is not None
            yield s, p, o, from_oxigraph(q.graph_name)

    def close(self) -> None:
        """Flush and release the store."""
        del self.store


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _result(res: Any) -> QueryResult:
    import pyoxigraph as ox

    if isinstance(res, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(res))
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = [tuple(from_oxigraph(sol[i]) for i in range(len(names))) for sol in res]
        return QueryResult(kind="select", vars=names, rows=rows)
    triples = []
    for t in res:
        s, p, o = from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)
        assert s is not None and p is not None and o is not None
        triples.append((s, p, o))
    return QueryResult(kind="graph", triples=triples)


def open_backend(
    files: Sequence[GraphFile], *, store: Path | None = None, endpoint: str | None = None
) -> Backend:
    """Open the backend a user asked for.

    Args:
        files: the project's RDF files (loaded into the default in-memory store).
        store: a persistent Oxigraph store folder, loaded beforehand with ``policykg load``.
        endpoint: the URL of a SPARQL 1.1 query endpoint.
    """
    if store is not None and endpoint is not None:
        raise BackendError("give either --store or --endpoint, not both")
    if store is not None:
        return MemoryBackend(store)
    if endpoint is not None:
        raise BackendError("SPARQL endpoints are not supported yet")
    backend = MemoryBackend()
    backend.load_files(files)
    return backend
