"""SPARQL text tools: which form a query has, refusing updates, syntax errors, binding values.

Values are never formatted into a query by hand: :func:`bind_values` adds a one-row ``VALUES``
block (escaped N-Triples terms) to every group pattern, :func:`bind_each` a multi-row one.
Update detection looks at the first keyword after the prologue, with comments, strings and IRIs
tokenized away, so ``"delete"`` in a literal or an IRI never triggers it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from rdflib.term import Node

from policykg.core.errors import QueryError
from policykg.core.namespaces import PREFIXES
from policykg.rdf.terms import ntriples_term
from policykg.sparql.sparqltext import (
    QUERY_FORMS,
    ParsedQuery,
    Tok,
    body_start,
    parse,
)

__all__ = [
    "MAX_NESTING",
    "bind_each",
    "bind_values",
    "check_nesting",
    "check_syntax",
    "query_error_message",
    "query_form",
    "refuse_service",
    "refuse_updates",
    "service_position",
    "update_keyword",
    "variables",
]


def query_form(sparql: str | ParsedQuery) -> str | None:
    """Return ``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK`` for a query, else ``None``."""
    return parse(sparql).form


def update_keyword(sparql: str | ParsedQuery) -> str | None:
    """Return the operation keyword (``INSERT``, ``DROP``, ...) if the text is a SPARQL update."""
    return parse(sparql).update


def bind_values(sparql: str | ParsedQuery, bindings: Mapping[str, Node] | None) -> str:
    """Pre-bind variables by adding a one-row ``VALUES`` block to every group pattern.

    Every solution then has each bound variable equal to its value at every level of the query,
    as if the variable had been replaced by the value; the values are written as escaped
    N-Triples terms, never spliced in as text. Variables the query does not mention are ignored.
    A short-form ``CONSTRUCT WHERE { P }`` is written ``CONSTRUCT { P } WHERE { VALUES ... P }``
    (the same query), and a ``DESCRIBE`` without a group pattern (``DESCRIBE ?x``) gets
    ``WHERE { VALUES ... }``: a trailing ``VALUES`` clause would do on Oxigraph, but Virtuoso 7
    accepts one only after a ``SELECT``.

    Args:
        sparql: the query text.
        bindings: variable name (without ``?``) -> IRI or literal.

    Returns:
        The query text with the VALUES blocks (unchanged when nothing is bound).

    Raises:
        QueryError: a value cannot be written in SPARQL (a blank node, a malformed IRI).
    """
    text = sparql.text if isinstance(sparql, ParsedQuery) else sparql
    return _bound(text, tuple(bindings.items())) if bindings else text


@lru_cache(maxsize=512)
def _bound(sparql: str, items: tuple[tuple[str, Node], ...]) -> str:
    """:func:`bind_values` for one text and values (kept: a warm query binds the same again)."""
    bindings = dict(items)
    parsed = parse(sparql)
    toks = parsed.toks
    used = parsed.variables
    names = [name for name in bindings if name.lstrip("?$") in used]
    if not names:
        return sparql

    def block_of(chosen: list[str]) -> str:
        heads = " ".join(f"?{name.lstrip('?$')}" for name in chosen)
        row = " ".join(ntriples_term(bindings[name]) for name in chosen)
        return f" VALUES ({heads}) {{ ({row}) }} "

    block = block_of(names)
    positions, short_construct = parsed.groups
    if short_construct:
        return _long_construct(sparql, toks, block)
    if not positions:
        return _describe_where(sparql, toks, block)
    out = sparql
    mentioned = _group_variables(toks)
    for pos in reversed(positions):
        # A group gets the values of the variables it mentions (itself or in a group inside
        # it): as if each were replaced by its value. A block binding a variable the group does
        # not mention changes nothing but the plan (on a 600,000-quad store, a query's nested
        # groups each evaluated over every document: 1.4 s instead of 0.26 s), or, in a MINUS,
        # the answer (a shared variable where the text shares none).
        inside = mentioned.get(pos, set())
        chosen = [name for name in names if name.lstrip("?$") in inside]
        if chosen:
            out = out[:pos] + block_of(chosen) + out[pos:]
    return out


def _group_variables(toks: Sequence[Tok]) -> dict[int, set[str]]:
    """The variables of each ``{ ... }`` (with the braces inside it), by the offset after ``{``."""
    found: dict[int, set[str]] = {}
    open_groups: list[set[str]] = []
    for tok in toks:
        if tok.kind == "other" and tok.text == "{":
            open_groups.append(found.setdefault(tok.end, set()))
        elif tok.kind == "other" and tok.text == "}":
            if open_groups:
                inner = open_groups.pop()
                if open_groups:
                    open_groups[-1] |= inner
        elif tok.kind == "var" and open_groups:
            open_groups[-1].add(tok.text[1:])
    return found


def _long_construct(sparql: str, toks: Sequence[Tok], block: str) -> str:
    """``CONSTRUCT WHERE { P } ...`` as ``CONSTRUCT { P } WHERE { block P } ...``."""
    i = body_start(toks)
    where = i + 1
    if not (where + 1 < len(toks) and toks[where].upper == "WHERE" and toks[where + 1].text == "{"):
        return f"{sparql.rstrip()}\n{block.strip()}\n"
    depth = 0
    for j in range(where + 1, len(toks)):
        if toks[j].kind == "other" and toks[j].text == "{":
            depth += 1
        elif toks[j].kind == "other" and toks[j].text == "}":
            depth -= 1
            if depth == 0:
                opening, closing = toks[where + 1], toks[j]
                pattern = sparql[opening.end : closing.start]
                return (f"{sparql[: toks[where].start]}{{{pattern}}} WHERE {{{block}{pattern}}}"
                        f"{sparql[closing.end :]}")
    return f"{sparql.rstrip()}\n{block.strip()}\n"


def _describe_where(sparql: str, toks: Sequence[Tok], block: str) -> str:
    """``DESCRIBE ?x [modifiers]`` as ``DESCRIBE ?x WHERE { block } [modifiers]``."""
    at = len(sparql.rstrip())
    for tok in toks[body_start(toks) :]:
        if tok.upper in ("ORDER", "LIMIT", "OFFSET", "VALUES"):
            at = tok.start
            break
    return f"{sparql[:at].rstrip()}\nWHERE {{{block}}}\n{sparql[at:]}"


def bind_each(sparql: str | ParsedQuery, var: str, terms: Sequence[Node]) -> str:
    """Restrict ``?var`` to each of ``terms``: one ``VALUES`` block opening the WHERE clause.

    The multi-row sibling of :func:`bind_values`, for asking the same question of many terms at
    once (their labels, their edges); the terms are written as escaped N-Triples terms.

    Raises:
        QueryError: the query has no group pattern, or a term cannot be written in SPARQL.
    """
    parsed = parse(sparql)
    sparql = parsed.text
    positions, short_construct = parsed.groups
    if short_construct or not positions:
        raise QueryError("bind_each needs a query with a WHERE group")
    block = f" VALUES ?{var.lstrip('?$')} {{ {' '.join(ntriples_term(t) for t in terms)} }} "
    return sparql[: positions[0]] + block + sparql[positions[0] :]


def refuse_updates(sparql: str | ParsedQuery) -> None:
    """Raise :class:`QueryError` when ``sparql`` is a SPARQL update rather than a query.

    Raises:
        QueryError: the request starts with an update keyword (INSERT, DELETE, LOAD, CLEAR, DROP,
            CREATE, ADD, MOVE, COPY, WITH).
    """
    form = update_keyword(sparql)
    if form is not None:
        raise QueryError(
            f"SPARQL update ({form}) refused: policykg queries only read the graph; "
            "change graphs/sources/*.yaml or graphs/extensions/ and rebuild instead"
        )


#: The deepest nesting of ``{ ( [`` a query may have. Oxigraph's parser recurses once per level
#: and crashes the whole process (a segmentation fault) at a few thousand; real queries stay
#: below ten.
MAX_NESTING = 100


def check_nesting(sparql: str | ParsedQuery) -> None:
    """Refuse a query nested deeper than :data:`MAX_NESTING`, before any parser sees it.

    Raises:
        QueryError: too deep; the message gives the line and column of the first bracket over
            the limit.
    """
    parsed = parse(sparql)
    tok = parsed.deepest(MAX_NESTING)
    if tok is None:
        return
    line, col = parsed.position(tok)
    raise QueryError(
        f"query nested too deeply at line {line}, column {col}: more than {MAX_NESTING} levels "
        "of braces, parentheses or brackets; simplify it"
    )


def service_position(sparql: str | ParsedQuery) -> tuple[int, int] | None:
    """Return the (line, column) of a query's first ``SERVICE`` keyword, or ``None``.

    ``SERVICE`` makes the store send a query to another server (any host and port the query
    names), so a server must never run one for a client it does not trust.
    """
    parsed = parse(sparql)
    return parsed.position(parsed.service) if parsed.service is not None else None


def refuse_service(sparql: str | ParsedQuery) -> None:
    """Raise :class:`QueryError` when a query has a ``SERVICE`` clause (a federated query).

    Raises:
        QueryError: the query would send requests to another server; the message gives where.
    """
    where = service_position(sparql)
    if where is not None:
        raise QueryError(
            f"SPARQL SERVICE clause refused (line {where[0]}, column {where[1]}): it would send "
            "a query to another server; give --allow-service to allow that"
        )


# -- syntax errors ------------------------------------------------------------------------------

_AT = re.compile(r"(?:error )?at (\d+):(\d+):?\s*")


def _clean_expected(text: str) -> str:
    """Shorten Oxigraph's 'expected one of ...' lists (which may spell out Unicode ranges)."""
    if "expected one of" not in text:
        return text
    head, _, rest = text.partition("expected one of")
    items = [s.strip() for s in re.split(r",\s(?=[\"A-Za-z\[])", rest)]
    keep = [s for s in items if s and not s.startswith("[") and s != "Prefix not found"]
    return f"{head}expected one of {', '.join(keep)}" if keep else f"{head}unexpected input"


def check_syntax(sparql: str | ParsedQuery) -> None:
    """Parse ``sparql`` (with the project's prefixes) and raise a one-line error if it is invalid.

    The query is evaluated against an empty in-memory store, which costs a parse and nothing
    more; messages are the same whatever backend the graph lives on.

    Raises:
        QueryError: the text is empty, an update, or not valid SPARQL; the message gives the line
            and column.
    """
    import pyoxigraph as ox

    parsed = parse(sparql)
    sparql, toks = parsed.text, parsed.toks
    if not toks:
        raise QueryError("empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    refuse_updates(parsed)
    check_nesting(parsed)
    i = parsed.body
    if i < len(toks) and toks[i].upper not in QUERY_FORMS:
        tok = toks[i]
        line, col = parsed.position(tok)
        raise QueryError(
            f"SPARQL syntax error at line {line}, column {col}: expected SELECT, ASK, CONSTRUCT "
            f"or DESCRIBE, found {tok.text[:20]!r}"
        )
    try:
        ox.Store().query(_without_service(sparql, toks), prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(_syntax_message(exc, sparql, toks)) from None
    except (OSError, ValueError, RuntimeError):
        return  # a valid query that fails only on evaluation


def _without_service(sparql: str, toks: Sequence[Tok]) -> str:
    """Write every ``SERVICE [SILENT]`` as ``GRAPH`` (same length), so checking never fetches.

    :func:`check_syntax` evaluates the query on an empty store to parse it; a ``SERVICE`` clause
    would make even that send a request. ``GRAPH`` takes the same IRI or variable and group, so
    the text parses the same way, and error positions stay true.
    """
    out = sparql
    for i, tok in enumerate(toks):
        if tok.upper != "SERVICE":
            continue
        out = out[: tok.start] + "GRAPH".ljust(len(tok.text)) + out[tok.end :]
        if i + 1 < len(toks) and toks[i + 1].upper == "SILENT":
            nxt = toks[i + 1]
            out = out[: nxt.start] + " " * len(nxt.text) + out[nxt.end :]
    return out


def _syntax_message(exc: BaseException, sparql: str, toks: Sequence[Tok]) -> str:
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    found = _AT.search(first)
    where = ""
    at_end = False
    if found:
        line, col = int(found.group(1)), int(found.group(2))
        where = f" at line {line}, column {col}"
        first = _AT.sub("", first, count=1)
        lines = sparql.rstrip().split("\n")
        at_end = line > len(lines) or (line == len(lines) and col > len(lines[-1]))
    if "Prefix not found" in text:
        declared = set(PREFIXES)
        for j, t in enumerate(toks):
            if t.upper == "PREFIX" and j + 1 < len(toks):
                declared.add(toks[j + 1].text.rstrip(":"))
        unknown = sorted({t.text.split(":", 1)[0] for t in toks if t.kind == "pname"} - declared)
        if unknown:
            return (
                f"SPARQL syntax error{where}: unknown prefix '{unknown[0]}:' "
                f"(predeclared: {', '.join(p + ':' for p in PREFIXES)})"
            )
    why = _clean_expected(first.strip()) or "invalid query"
    if at_end:
        why = f"unexpected end of query (a closing brace or parenthesis missing?); {why}"
    return f"SPARQL syntax error{where}: {why}"




def variables(sparql: str | ParsedQuery) -> set[str]:
    """Return the names (without ``?``) of the variables a query mentions."""
    return set(parse(sparql).variables)


_LOCATION = re.compile(r"(?:error )?at (\d+):(\d+)(?:-\d+:\d+)?:?\s*")


def query_error_message(exc: Exception, sparql: str | ParsedQuery) -> str:
    """Return one line saying where and why a query failed to parse.

    The wording is that of :func:`check_syntax`, so every backend and the server describe a
    mistake the same way.
    """
    parsed = parse(sparql)
    try:
        check_syntax(parsed)
    except QueryError as err:
        return str(err)
    keyword = parsed.update
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
