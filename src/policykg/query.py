"""Named SPARQL queries and the one path every query takes: checked, bound, evaluated.

The named queries are ``.rq`` files shipped in :mod:`policykg.queries`. Each starts with a header
comment::

    # title: Key functions state-owned enterprises should focus on
    # description: Competency question 2 ...
    # param: actor (entity) — the actor (IRI, CURIE or label)
    # example: actor=kg:state-owned-enterprises

Parameters are optional pre-bound variables: a parameter left out leaves its variable free (the
query then answers for every value). A parameter's kind decides how a string value is read:
``entity`` resolves an IRI, CURIE or label to an entity of the graph, ``text`` is always a plain
string, and ``term`` (the default) reads ``<iri>``, ``http(s)://...`` and ``prefix:local`` as IRIs
and anything else as a string.

Values are never formatted into the query by hand: the backend binds them (as escaped RDF terms
in ``VALUES`` blocks, see :func:`policykg.backends.bind_values`), so ``FILTER`` and ``OPTIONAL``
see them and the same query works on every backend, remote endpoints included.

Updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``,
``COPY``, ``WITH``) are refused: the query path only reads. Detection looks at the first keyword
after the prologue, with comments, strings and IRIs tokenized away, so ``"delete"`` in a literal or
an IRI never triggers it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from typing import Literal as TypingLiteral

from .errors import ParseError, QueryError, UnknownQueryError
from .sparqltext import QUERY_FORMS, UPDATE_KEYWORDS, Tok, body_start, first_keyword, tokens

if TYPE_CHECKING:
    from rdflib.term import Node

    from .backends import QueryResult
    from .kg import PolicyKG

__all__ = [
    "QUERY_FORMS",
    "UPDATE_KEYWORDS",
    "NamedQuery",
    "Param",
    "ParamKind",
    "check_syntax",
    "convert_value",
    "get_query",
    "load_query_file",
    "named",
    "named_queries",
    "parse_header",
    "parse_query_text",
    "query_form",
    "query_names",
    "refuse_updates",
    "run",
    "run_each",
    "suggest_names",
    "variables",
]

ParamKind = TypingLiteral["entity", "text", "term"]


def query_form(sparql: str) -> str | None:
    """Return the first keyword after the prologue, upper-cased (``SELECT``, ``INSERT`` ...).

    Comments, string literals and IRIs are skipped as whole tokens, so keywords inside them are
    never mistaken for the query's form. ``None`` when the text has no keyword there.
    """
    return first_keyword(sparql)


def refuse_updates(sparql: str) -> None:
    """Raise :class:`QueryError` when ``sparql`` is a SPARQL update rather than a query.

    Raises:
        QueryError: the request starts with an update keyword (INSERT, DELETE, LOAD, CLEAR, DROP,
            CREATE, ADD, MOVE, COPY, WITH).
    """
    form = query_form(sparql)
    if form in UPDATE_KEYWORDS:
        raise QueryError(
            f"SPARQL update ({form}) refused: policykg queries only read the graph; "
            "change graphs/sources/*.yaml or graphs/extensions/ and rebuild instead"
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


def check_syntax(sparql: str) -> None:
    """Parse ``sparql`` (with the project's prefixes) and raise a one-line error if it is invalid.

    The query is evaluated against an empty in-memory store, which costs a parse and nothing
    more; messages are the same whatever backend the graph lives on.

    Raises:
        QueryError: the text is empty, an update, or not valid SPARQL; the message gives the line
            and column.
    """
    import pyoxigraph as ox

    from .namespaces import PREFIXES

    toks = tokens(sparql)
    if not toks:
        raise QueryError("empty query: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    refuse_updates(sparql)
    i = body_start(toks)
    if i < len(toks) and toks[i].upper not in QUERY_FORMS:
        tok = toks[i]
        line = sparql.count("\n", 0, tok.start) + 1
        col = tok.start - (sparql.rfind("\n", 0, tok.start) + 1) + 1
        raise QueryError(
            f"SPARQL syntax error at line {line}, column {col}: expected SELECT, ASK, CONSTRUCT "
            f"or DESCRIBE, found {tok.text[:20]!r}"
        )
    try:
        ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(_syntax_message(exc, sparql, toks)) from None
    except (OSError, ValueError, RuntimeError):
        return  # a valid query that fails only on evaluation


def _syntax_message(exc: BaseException, sparql: str, toks: Sequence[Tok]) -> str:
    from .namespaces import PREFIXES

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


# -- running --------------------------------------------------------------------------------------


def variables(sparql: str) -> set[str]:
    """Return the names (without ``?``) of the variables a query mentions."""
    return {t.text[1:] for t in tokens(sparql) if t.kind == "var"}


def run(kg: PolicyKG, sparql: str, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Run one read-only query on the graph's backend, over the union of all graphs.

    Args:
        kg: the loaded graph.
        sparql: the query; the project's prefixes are predeclared.
        bindings: variables to pre-bind (name without ``?`` -> rdflib term).

    Raises:
        QueryError: the query is an update, binds a variable it does not mention, is malformed
            (the message gives line and column) or failed to evaluate.
    """
    refuse_updates(sparql)
    if bindings:
        present = variables(sparql)
        for name in bindings:
            if name not in present:
                have = ", ".join(f"?{v}" for v in sorted(present)) or "none"
                raise QueryError(
                    f"cannot bind ?{name}: the query has no such variable (it has {have})"
                )
    try:
        return kg.backend.query(sparql, dict(bindings) if bindings else None)
    except QueryError:
        check_syntax(sparql)  # a one-line message about the user's own text, if that is the cause
        raise


def run_each(
    kg: PolicyKG, sparql: str, var: str, terms: Iterable[Node], *, batch: int = 500
) -> list[tuple[Node | None, ...]]:
    """Run ``sparql`` with ``?var`` bound to each of ``terms`` and return all the rows.

    The terms go in ``batch`` at a time (see :func:`policykg.backends.bind_each`), so that a
    question about thousands of entities costs a few queries, not thousands.
    """
    from .backends import bind_each

    todo = list(terms)
    rows: list[tuple[Node | None, ...]] = []
    for i in range(0, len(todo), batch):
        rows += run(kg, bind_each(sparql, var, todo[i : i + batch])).rows
    return rows


# -- named queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A parameter of a named query: a variable the caller may pre-bind.

    Attributes:
        name: the variable name, without ``?``.
        kind: how a string value is read: ``entity``, ``text`` or ``term``.
        description: what the parameter means.
    """

    name: str
    kind: ParamKind = "term"
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with a name, a title, a description and parameters.

    Attributes:
        name: the file stem (``cq-2-soe-functions``).
        title: one line saying what the query answers.
        description: a longer explanation.
        params: the variables a caller may bind.
        examples: example values for parameters (used by the docs and the tests).
        text: the query, header included.
        path: the file the query came from, if any.
    """

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    examples: Mapping[str, str] = field(default_factory=dict)
    text: str = ""
    path: Path | None = None

    @property
    def role(self) -> TypingLiteral["competency", "violation", "query"]:
        """``competency`` for ``cq-*``, ``violation`` for ``*-violation`` (must return nothing)."""
        if self.name.startswith("cq-"):
            return "competency"
        if self.name.endswith("-violation"):
            return "violation"
        return "query"

    def param(self, name: str) -> Param:
        """Return the parameter called ``name``.

        Raises:
            QueryError: the query has no such parameter.
        """
        for p in self.params:
            if p.name == name:
                return p
        have = ", ".join(p.name for p in self.params) or "none"
        near = difflib.get_close_matches(name, [p.name for p in self.params], n=1)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        raise QueryError(
            f"query '{self.name}' has no parameter '{name}' (parameters: {have}){hint}"
        )

    def bindings(self, kg: PolicyKG, values: Mapping[str, Any]) -> dict[str, Node]:
        """Turn parameter values (terms, strings or numbers) into rdflib terms.

        Raises:
            QueryError: a parameter is unknown.
            UnknownEntityError: an ``entity`` parameter names no entity.
        """
        return {k: convert_value(kg, self.param(k).kind, v) for k, v in values.items()}

    def run(self, kg: PolicyKG, /, **values: Any) -> QueryResult:
        """Run the query on ``kg`` with the given parameter values."""
        return run(kg, self.text, self.bindings(kg, values))


_HEADER = re.compile(r"^#\s*(?P<key>[A-Za-z]+)\s*:\s*(?P<value>.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<kind>[a-z]+)\))?\s*(?:—|–|--|-|:)?\s*(?P<desc>.*)$"
)


def parse_header(text: str, *, name: str, where: str | None = None) -> NamedQuery:
    """Read the header comment of a query.

    Recognized lines: ``# title: ...``, ``# description: ...`` (following ``#`` lines without a
    key continue it), ``# param: NAME [(entity|text|term)] — description`` and ``# example:
    NAME=VALUE``. The header ends at the first line that is not a comment.

    Args:
        text: the query text.
        name: the query's name.
        where: the file, for messages.

    Raises:
        ParseError: a header line is malformed, or a parameter does not occur in the query.
    """
    where = where or name
    fields: dict[str, list[str]] = {"title": [], "description": []}
    params: list[Param] = []
    examples: dict[str, str] = {}
    last: str | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            last = None
            continue
        if not line.startswith("#"):
            break
        found = _HEADER.match(line)
        key = found.group("key").lower() if found else None
        if found and key in ("title", "description"):
            fields[key].append(found.group("value"))
            last = key
        elif found and key == "param":
            spec = _PARAM.match(found.group("value"))
            kind = (spec.group("kind") or "term") if spec else ""
            if not spec or kind not in ("entity", "text", "term"):
                raise ParseError(
                    f"{where}:{n}: expected '# param: NAME [(entity|text|term)] — what'"
                )
            params.append(Param(spec.group("name"), kind, spec.group("desc").strip()))  # type: ignore[arg-type]
            last = None
        elif found and key == "example":
            k, eq, v = found.group("value").partition("=")
            if not eq or not k.strip():
                raise ParseError(f"{where}:{n}: expected '# example: NAME=VALUE'")
            examples[k.strip()] = v.strip()
            last = None
        elif last is not None and not found:
            fields[last].append(line.lstrip("#").strip())
        else:
            last = None
    title = " ".join(fields["title"]).strip()
    if not title:
        raise ParseError(f"{where}:1: the header needs a '# title: ...' line")
    mentioned = variables(text)
    for p in params:
        if p.name not in mentioned:
            raise ParseError(f"{where}: parameter '{p.name}' is not a variable of the query")
    for k in examples:
        if k not in {p.name for p in params}:
            raise ParseError(f"{where}: example for undeclared parameter '{k}'")
    return NamedQuery(
        name=name,
        title=title,
        description=" ".join(fields["description"]).strip(),
        params=tuple(params),
        examples=examples,
        text=text,
    )


def parse_query_text(text: str, *, name: str = "query") -> NamedQuery:
    """Wrap an ad-hoc query (header optional) as a :class:`NamedQuery`.

    Raises:
        ParseError: a header is present but malformed.
    """
    if re.match(r"\s*#\s*title\s*:", text):
        return parse_header(text, name=name)
    return NamedQuery(name=name, title="", description="", params=(), text=text)


def load_query_file(path: str | Path) -> NamedQuery:
    """Read a ``.rq`` file (its header is optional).

    Raises:
        ParseError: the file cannot be read or its header is malformed.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParseError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParseError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if re.match(r"\s*#\s*title\s*:", text):
        q = parse_header(text, name=path.stem, where=str(path))
    else:
        q = NamedQuery(name=path.stem, title="", description="", params=(), text=text)
    return NamedQuery(q.name, q.title, q.description, q.params, q.examples, q.text, path)


def _query_files() -> Iterator[str]:
    from importlib.resources import files

    for entry in files("policykg.queries").iterdir():
        if entry.name.endswith(".rq") and entry.is_file():
            yield entry.name[: -len(".rq")]


@cache
def _shipped(name: str) -> NamedQuery | None:
    """Read one shipped query (``None`` when there is no such file)."""
    from importlib.resources import files

    entry = files("policykg.queries").joinpath(f"{name}.rq")
    if not entry.is_file():
        return None
    text = entry.read_text(encoding="utf-8")
    return parse_header(text, name=name, where=f"policykg/queries/{name}.rq")


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Return every named query shipped with the package, by name (sorted).

    Raises:
        ParseError: a shipped query's header is malformed.
    """
    found: dict[str, NamedQuery] = {}
    for name in sorted(_query_files()):
        q = _shipped(name)
        if q is not None:
            found[name] = q
    return found


def query_names() -> list[str]:
    """Return the names of the shipped queries, sorted."""
    return list(named_queries())


def suggest_names(name: str, names: list[str] | None = None, *, n: int = 3) -> list[str]:
    """Return up to ``n`` query names closest to ``name`` (prefix and fuzzy matches)."""
    names = names if names is not None else query_names()
    prefixed = [q for q in names if q.startswith(name) or name in q]
    fuzzy = difflib.get_close_matches(name, names, n=n, cutoff=0.7)
    out: list[str] = []
    for q in [*fuzzy, *prefixed]:
        if q not in out:
            out.append(q)
    return out[:n]


def get_query(name: str) -> NamedQuery:
    """Return the named query ``name``.

    Raises:
        UnknownQueryError: no query has that name; the message suggests the nearest and lists all.
    """
    found = _shipped(name) if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", name) else None
    if found is not None:
        return found
    queries = named_queries()
    near = suggest_names(name, list(queries))
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise UnknownQueryError(f"unknown query '{name}'{hint} (named queries: {', '.join(queries)})")


def named(kg: PolicyKG, name: str, /, **values: Any) -> QueryResult:
    """Run the named query ``name`` with parameter values.

    Args:
        kg: the loaded graph.
        name: the query's name (``policykg queries`` lists them).
        **values: parameter values: rdflib terms, or strings read according to the parameter's
            kind (an ``entity`` parameter accepts an IRI, a CURIE such as ``kg:high-end-chips``
            or a label in English or Chinese).

    Raises:
        UnknownQueryError: no such query.
        QueryError: an unknown parameter or a failed query.
        UnknownEntityError: an entity parameter names nothing in the graph.
    """
    return get_query(name).run(kg, **values)


_IRI_LIKE = re.compile(r"^(?:<[^<>\s]*>|(?:https?|urn|file):\S+)$")


def convert_value(kg: PolicyKG, kind: ParamKind, value: Any) -> Node:
    """Turn one parameter value into an rdflib term according to the parameter's kind."""
    from rdflib import Literal, URIRef
    from rdflib.term import Node as RdfNode

    if isinstance(value, RdfNode):
        return value
    if not isinstance(value, str):
        return Literal(value)
    if kind == "text":
        return Literal(value)
    if kind == "entity":
        from .entities import resolve

        return resolve(kg, value)
    if _IRI_LIKE.match(value):
        return URIRef(value[1:-1] if value.startswith("<") else value)
    from .entities import expand_curie

    iri = expand_curie(value)
    return iri if iri is not None else Literal(value)
