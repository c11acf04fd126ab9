r"""Result formats: table, CSV, TSV, JSON, XML, Markdown — the one result-writer stack.

``csv``, ``tsv``, ``json`` and ``xml`` are the W3C SPARQL 1.1 Query Results formats
(https://www.w3.org/TR/sparql11-results-csv-tsv/, https://www.w3.org/TR/sparql11-results-json/,
https://www.w3.org/TR/rdf-sparql-XMLres/), so their output can be read by any SPARQL tool; both
``policykg query`` and the SPARQL endpoint (``policykg serve``, :func:`serialize`) write them here.
``table`` and ``md`` are for people: IRIs are abbreviated to CURIEs and shown with their English
label beside them (unless the query already returns a ``<var>Label`` column for that variable),
and control characters in values are shown as escapes (``\x1b``), so a label cannot drive the
terminal.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from policykg.core.choices import RESULT_FORMATS
from policykg.core.errors import QueryError
from policykg.core.namespaces import XSD
from policykg.core.text import escape_controls, spreadsheet_safe
from policykg.rdf.terms import curie, format_term

if TYPE_CHECKING:
    from policykg.sparql.results import QueryResult

__all__ = [
    "RESULT_FORMATS",
    "W3C_FORMATS",
    "LabelFn",
    "nt_term",
    "render",
    "serialize",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_table",
    "to_tsv",
    "to_xml",
]


#: The W3C SPARQL 1.1 Query Results formats, by :func:`serialize` name.
W3C_FORMATS: tuple[str, ...] = ("json", "xml", "csv", "tsv")

#: Looks up a readable label for an IRI (``None`` when it has none).
LabelFn = Callable[[URIRef], "str | None"]

_TRIPLE_VARS = ["subject", "predicate", "object"]


def _rows(result: QueryResult) -> tuple[list[str], list[tuple[Node | None, ...]]]:
    """Return (variables, rows); CONSTRUCT/DESCRIBE results become subject/predicate/object rows."""
    if result.kind == "graph":
        triples = sorted(result.triples, key=lambda t: tuple(nt_term(x) for x in t))
        return list(_TRIPLE_VARS), [tuple(t) for t in triples]
    return list(result.vars), list(result.rows)


# -- W3C formats ----------------------------------------------------------------------------------


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def to_json(result: QueryResult) -> str:
    """Return the SPARQL 1.1 Query Results JSON document (``boolean`` for ASK)."""
    if result.kind == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        names, rows = _rows(result)
        bindings = [
            {v: _json_term(t) for v, t in zip(names, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def to_csv(result: QueryResult, *, csv_safe: bool = False) -> str:
    """Return SPARQL 1.1 Query Results CSV: lexical forms only, CRLF line ends.

    Args:
        result: the query result.
        csv_safe: for spreadsheets: quote cells a spreadsheet would run as formulas (``=``,
            ``+``, ``-``, ``@``; see :func:`policykg.core.text.spreadsheet_safe`). The output is
            then no longer the exact W3C format (values change), which is why it is not the
            default.
    """
    if result.kind == "ask":
        return f"boolean\r\n{str(bool(result.boolean)).lower()}\r\n"
    names, rows = _rows(result)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        cells = ["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row]
        writer.writerow([spreadsheet_safe(c) for c in cells] if csv_safe else cells)
    return buf.getvalue()


def nt_term(term: Node | None) -> str:
    """Return a term in N-Triples / SPARQL syntax (``rdf.terms.format_term``); ``""`` if None."""
    return "" if term is None else format_term(term)


def to_tsv(result: QueryResult) -> str:
    """Return SPARQL 1.1 Query Results TSV: ``?var`` header, terms in SPARQL syntax."""
    if result.kind == "ask":
        return f"?boolean\n{str(bool(result.boolean)).lower()}\n"
    names, rows = _rows(result)
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join(nt_term(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
        if term.datatype is not None and term.datatype != XSD.string:
            dt = quoteattr(str(term.datatype))
            return f"<literal datatype={dt}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(result: QueryResult) -> str:
    """Return the SPARQL Query Results XML document (``<boolean>`` for ASK)."""
    head = '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
    if result.kind == "ask":
        word = "true" if result.boolean else "false"
        return f"{head}<head/><boolean>{word}</boolean></sparql>\n"
    names, rows = _rows(result)
    parts = [head, "<head>", *(f"<variable name={quoteattr(n)}/>" for n in names)]
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        parts += [
            f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
            for n, t in zip(names, row, strict=True)
            if t is not None
        ]
        parts.append("</result>")
    parts.append("</results></sparql>\n")
    return "".join(parts)


def serialize(result: QueryResult, fmt: str) -> bytes:
    """Write a result in one of the W3C formats (:data:`W3C_FORMATS`) as UTF-8 bytes.

    Raises:
        QueryError: an unknown format.
    """
    writers: dict[str, Callable[[QueryResult], str]] = {
        "json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv,
    }  # fmt: skip
    if fmt not in writers:
        raise QueryError(f"unknown result format '{fmt}' (use {', '.join(W3C_FORMATS)})")
    return writers[fmt](result).encode("utf-8")


# -- for people -----------------------------------------------------------------------------------


def _cell(term: Node | None, var: str, names: list[str], labels: LabelFn | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        short = escape_controls(curie(str(term)))
        if labels is not None and f"{var}Label" not in names:
            label = labels(term)
            if label and label != short:
                return f"{short} ({escape_controls(' '.join(label.split()))})"
        return short
    if isinstance(term, BNode):
        return f"_:{term}"
    return escape_controls(" ".join(str(term).split()))


def _width(text: str) -> int:
    if text.isascii():  # the common case, and the per-character lookup is slow
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out, used = [], 0
    for c in text:
        w = _width(c)
        if used + w > limit - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def to_table(result: QueryResult, *, labels: LabelFn | None = None, max_width: int = 60) -> str:
    """Return an aligned text table, IRIs as CURIEs with their labels beside them.

    Args:
        result: the query result.
        labels: label lookup for IRIs (omit to show CURIEs only).
        max_width: cells wider than this are cut with an ellipsis (0 = never).

    Raises:
        QueryError: ``max_width`` is negative.
    """
    if max_width < 0:
        raise QueryError(f"the maximum cell width must be 0 or more, not {max_width}")
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"
    names, rows = _rows(result)
    cells = [[_cell(t, v, names, labels) for v, t in zip(names, row, strict=True)] for row in rows]
    if max_width:
        cells = [[_clip(c, max_width) for c in row] for row in cells]
    widths = [max([_width(n)] + [_width(r[i]) for r in cells]) for i, n in enumerate(names)]
    lines = ["  ".join(_pad(n, w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


def to_markdown(result: QueryResult, *, labels: LabelFn | None = None) -> str:
    """Return a Markdown table (GitHub style), IRIs as CURIEs with their labels."""
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"
    names, rows = _rows(result)

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(names) + " |", "|" + "|".join("---" for _ in names) + "|"]
    for row in rows:
        cells = [esc(_cell(t, v, names, labels)) for v, t in zip(names, row, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render(
    result: QueryResult,
    fmt: str,
    *,
    labels: LabelFn | None = None,
    max_width: int = 60,
    csv_safe: bool = False,
) -> str:
    """Render a query result in one of :data:`RESULT_FORMATS`.

    ``csv_safe`` quotes formula-like cells of the ``csv`` format (see :func:`to_csv`).

    Raises:
        QueryError: an unknown format, or a negative ``max_width``.
    """
    if fmt == "table":
        return to_table(result, labels=labels, max_width=max_width)
    if fmt in ("md", "markdown"):
        return to_markdown(result, labels=labels)
    if fmt == "csv":
        return to_csv(result, csv_safe=csv_safe)
    if fmt == "tsv":
        return to_tsv(result)
    if fmt == "json":
        return to_json(result)
    raise QueryError(f"unknown result format '{fmt}' (use {', '.join(RESULT_FORMATS)})")
