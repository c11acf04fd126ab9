"""The answer of a SPARQL query, whatever backend gave it, and SPARQL's order of terms.

Every backend returns a :class:`QueryResult` of rdflib terms, so callers never see which one
answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import compress, islice
from operator import eq, itemgetter
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from policykg.core.namespaces import XSD, XSD_INTEGER_DERIVED
from policykg.rdf.graphio import refuse_xml_entities
from policykg.rdf.terms import curie, from_oxigraph
from policykg.sparql.sparqltext import OrderKey

__all__ = [
    "QueryResult",
    "order_key",
    "order_rows",
    "parse_graph",
    "parse_results_json",
    "result_from_oxigraph",
]


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

    def to_pandas(self, *, native: bool = True) -> Any:
        """Return the answer as a ``pandas.DataFrame`` (needs ``pip install 'policykg[pandas]'``).

        A SELECT gives one column per variable; a CONSTRUCT/DESCRIBE the columns ``subject``,
        ``predicate``, ``object``; an ASK one column ``boolean``.

        Args:
            native: literals become Python values (numbers, dates, strings) and IRIs strings;
                with ``False`` every cell keeps its rdflib term. Unbound values are
                missing
                (``None`` or ``NaN``, as pandas stores them).

        Raises:
            ImportError: pandas is not installed (the message says how to install it).
        """
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]
        except ImportError as exc:
            raise ImportError(
                "QueryResult.to_pandas() needs pandas: pip install 'policykg[pandas]'"
            ) from exc

        def cell(term: Node | None) -> Any:
            if term is None or not native:
                return term
            if isinstance(term, Literal):
                value = term.toPython()
                return str(term) if isinstance(value, Literal) else value
            return str(term)

        if self.kind == "ask":
            return pd.DataFrame({"boolean": [self.boolean]})
        if self.kind == "graph":
            columns = ["subject", "predicate", "object"]
            data = [[cell(t) for t in triple] for triple in self.triples]
        else:
            columns = list(self.vars)
            data = [[cell(t) for t in row] for row in self.rows]
        return pd.DataFrame(data, columns=columns)

    def _repr_html_(self, max_rows: int = 50) -> str:
        """An HTML table for notebooks: IRIs as CURIEs, every text escaped."""
        from html import escape

        def text(term: Node | None) -> str:
            if term is None:
                return ""
            if isinstance(term, URIRef):
                return escape(curie(str(term)))
            if isinstance(term, Literal) and term.language:
                return f'{escape(str(term))} <small>@{escape(term.language)}</small>'
            return escape(str(term))

        if self.kind == "ask":
            answer = "true" if self.boolean else "false"
            return f"<p><code>ASK</code>: <strong>{answer}</strong></p>"
        if self.kind == "graph":
            head = ["subject", "predicate", "object"]
            rows: list[tuple[Node | None, ...]] = list(self.triples)
        else:
            head, rows = list(self.vars), self.rows
        parts = ["<table class=\"policykg-result\"><thead><tr>"]
        parts += [f"<th>{escape(h)}</th>" for h in head]
        parts.append("</tr></thead><tbody>")
        for row in rows[:max_rows]:
            parts.append("<tr>" + "".join(f"<td>{text(t)}</td>" for t in row) + "</tr>")
        parts.append("</tbody></table>")
        more = len(rows) - max_rows
        count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
        parts.append(f"<p><small>{count}" + (f", first {max_rows} shown" if more > 0 else "")
                     + "</small></p>")
        return "".join(parts)


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
    if fmt == ox.RdfFormat.RDF_XML:
        refuse_xml_entities(data, "the RDF/XML answer")  # issue 25 N10: before it is parsed
    triples = []
    for t in ox.parse(data, format=fmt):
        s, p, o = from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)
        assert s is not None and p is not None and o is not None
        triples.append((s, p, o))
    return QueryResult(kind="graph", triples=triples)




class _Terms(dict[Any, Node | None]):
    """pyoxigraph term -> the equal rdflib term, made on first sight (terms are immutable).

    Every term it made is also kept by ``id`` (:attr:`made`), so no id it has seen is reused
    while it lives, and :attr:`order_keys` can hold each made term's order key by that id: looking a
    row's keys up then costs an ``id`` and an integer lookup per term, all in C.
    """

    def __init__(self) -> None:
        super().__init__()
        self.made: dict[int, Node | None] = {}
        self.order_keys = _KeysById(self.made)

    def __missing__(self, term: Any) -> Node | None:
        self[term] = node = from_oxigraph(term)
        self.made[id(node)] = node
        return node


class _KeysById(dict[int, tuple[Any, ...]]):
    """``id`` of a term a :class:`_Terms` made -> its :func:`order_key`, computed on first use."""

    def __init__(self, made: dict[int, Node | None]) -> None:
        super().__init__()
        self.made = made

    def __missing__(self, ident: int) -> tuple[Any, ...]:
        self[ident] = key = order_key(self.made[ident])
        return key


#: The terms converted so far, shared by every answer: rows repeat terms (classes, labels,
#: predicates), and so do the answers of a query run again. Replaced (never cleared, so an answer
#: being converted keeps a consistent one) when it grows past :data:`_CONVERTED_MAX`.
_CONVERTED = _Terms()
_CONVERTED_MAX = 200_000


def result_from_oxigraph(
    res: Any, *, limit: int = 0, order: Sequence[OrderKey] = ()
) -> QueryResult:
    """Convert a pyoxigraph query answer (solutions, boolean or triples) to a QueryResult.

    Args:
        res: the answer of ``Store.query``.
        limit: read at most this many rows (or triples); 0 = all.
        order: ``ORDER BY`` keys to sort the rows by, as :func:`order_rows` does; an answer cut
            at ``limit`` is left as read (its caller reports the cut rather than sort it).
    """
    import pyoxigraph as ox

    if isinstance(res, ox.QuerySolutions):
        global _CONVERTED
        memo = _CONVERTED
        if len(memo) > _CONVERTED_MAX:
            memo = _CONVERTED = _Terms()
        names = [v.value for v in res.variables]
        convert = memo.__getitem__  # a hit costs one lookup in C; a miss converts the term
        rows = [tuple(map(convert, sol)) for sol in (islice(res, limit) if limit else res)]
        if order and len(rows) > 1 and not (limit and len(rows) >= limit):
            rows = _sorted_rows(rows, names, order, memo.order_keys.__getitem__, by_id=True)
        return QueryResult(kind="select", vars=names, rows=rows)
    if isinstance(res, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(res))
    triples = []
    for t in islice(res, limit) if limit else res:
        s, p, o = from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)
        assert s is not None and p is not None and o is not None
        triples.append((s, p, o))
    return QueryResult(kind="graph", triples=triples)


_NUMERIC_TYPES = frozenset(
    str(t) for t in {XSD.integer, XSD.decimal, XSD.double, XSD.float} | XSD_INTEGER_DERIVED
)


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
            number: Decimal | float | int = (
                float(lexical)
                if datatype in (str(XSD.double), str(XSD.float))
                else Decimal(lexical)
            )
        except (ArithmeticError, ValueError):
            number = float("nan")
        if number == number:  # NaN and ill-typed values sort with the other literals
            if isinstance(number, Decimal) and number.adjusted() < 18 and number.is_finite() and (
                number == number.to_integral_value()
            ):
                number = int(number)  # the same value: an int compares several times faster
            return (3, number, lexical)
    return (4, str(term), term.language or "", datatype)


def order_rows(result: QueryResult, keys: Sequence[OrderKey]) -> None:
    """Sort a SELECT answer in place by ``keys``, as ``ORDER BY`` would.

    Rows equal on every key are ordered by all their values, so the order is the same on every
    backend (SPARQL leaves ties to the store).
    """
    if len(result.rows) > 1:
        result.rows[:] = _sorted_rows(result.rows, result.vars, keys, order_key, by_id=False)


_Row = tuple[Node | None, ...]
#: id(ORDER BY keys) -> (the keys, the variables, the plan): which columns, which descending.
_PLANS: dict[int, tuple[Sequence[OrderKey], list[str], tuple[Any, ...]]] = {}


def _plan(keys: Sequence[OrderKey], names: list[str]) -> tuple[Any, ...]:
    """The columns ``keys`` sort by and which descend (one query's keys are one object)."""
    found = _PLANS.get(id(keys))
    if found is not None and found[0] is keys and found[1] == names:
        return found[2]
    columns = [names.index(k.var) for k in keys if k.var in names]
    descending = [k.descending for k in keys if k.var in names]
    pick = itemgetter(*columns) if len(columns) > 1 else None
    plan = (columns, descending, any(descending), pick)
    if len(_PLANS) > 256:
        _PLANS.clear()
    _PLANS[id(keys)] = (keys, list(names), plan)  # the entry keeps the keys: their id stays theirs
    return plan


def _sorted_rows(
    rows: list[_Row],
    names: list[str],
    keys: Sequence[OrderKey],
    key_of: Callable[[Any], tuple[Any, ...]],
    *,
    by_id: bool,
) -> list[_Row]:
    """The rows in ``ORDER BY keys`` order, ties broken by the whole row (see :func:`order_rows`).

    ``key_of`` gives a term's order key (``by_id``: of the term's ``id``). The whole row's keys are
    only looked up when two rows tie on the ``ORDER BY`` keys, which in most answers none do.
    """
    n = len(rows)
    columns, descending, descends, pick = _plan(keys, names)

    def keys_of(terms: Iterable[Node | None]) -> Iterator[tuple[Any, ...]]:
        return map(key_of, map(id, terms)) if by_id else map(key_of, terms)

    picked: list[tuple[Any, ...]]
    if not columns:
        picked = [()] * n
    elif pick is None or n > 8:  # column by column: no Python code per row
        picked = list(zip(*[keys_of(map(itemgetter(i), rows)) for i in columns], strict=True))
    else:  # a few rows: row by row
        picked = [tuple(keys_of(pick(row))) for row in rows]
    if not descends:
        order = sorted(range(n), key=picked.__getitem__)
    else:  # stable sorts by the keys, last key first (a reversed sort keeps ties in order too)
        order = list(range(n))
        for at in reversed(range(len(columns))):
            column = [k[at] for k in picked]
            order.sort(key=column.__getitem__, reverse=descending[at])
    # Rows that tie on the keys (next to each other now) go by their whole row: only theirs is
    # looked up, and rows equal on everything keep their order.
    ordered = list(map(picked.__getitem__, order))
    ties = list(compress(range(n - 1), map(eq, ordered, islice(ordered, 1, None))))
    while ties:
        first = last = ties.pop(0)
        while ties and ties[0] == last + 1:
            last = ties.pop(0)
        order[first : last + 2] = sorted(
            order[first : last + 2], key=lambda j: tuple(keys_of(rows[j])))
    return list(map(rows.__getitem__, order))
