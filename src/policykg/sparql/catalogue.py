"""The catalogue of named SPARQL queries: ``.rq`` files with a header, and their parameters.

The named queries are ``.rq`` files shipped in :mod:`policykg.sparql.queries`. Each starts with
a header comment::

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
in ``VALUES`` blocks, see :func:`policykg.sparql.syntax.bind_values`), so ``FILTER`` and
``OPTIONAL`` see them and the same query works on every backend, remote endpoints included.
Running a named query is :func:`policykg.graph.named.named` (``PolicyKG.named``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from typing import Literal as TypingLiteral

from policykg.core.errors import ParseError, QueryError, UnknownQueryError
from policykg.sparql.sparqltext import ParsedQuery, parse
from policykg.sparql.syntax import variables

if TYPE_CHECKING:
    from policykg.sparql.results import QueryResult


class Runner(Protocol):
    """What runs a named query: a loaded ``PolicyKG`` (see :meth:`policykg.PolicyKG.named`)."""

    def named(self, query: str | NamedQuery, /, **values: Any) -> QueryResult:
        """Run ``query`` with parameter values."""
        ...

__all__ = [
    "NamedQuery",
    "Param",
    "ParamKind",
    "Runner",
    "get_query",
    "load_query_file",
    "named_queries",
    "parse_header",
    "parse_query_text",
    "query_names",
    "shipped_queries",
    "suggest_names",
]

ParamKind = TypingLiteral["entity", "text", "term"]


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

    @cached_property
    def parsed(self) -> ParsedQuery:
        """The query text read once (:func:`~policykg.sparql.sparqltext.parse`)."""
        return parse(self.text)

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

    def run(self, kg: Runner, /, **values: Any) -> QueryResult:
        """Run the query on ``kg`` with the given parameter values."""
        return kg.named(self, **values)


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
    mentioned = variables(text) if params else set()  # (the text tokenised: only when needed)
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

    for entry in files("policykg.sparql.queries").iterdir():
        if entry.name.endswith(".rq") and entry.is_file():
            yield entry.name[: -len(".rq")]


@cache
def _shipped(name: str) -> NamedQuery | None:
    """Read one shipped query (``None`` when there is no such file)."""
    from importlib.resources import files

    entry = files("policykg.sparql.queries").joinpath(f"{name}.rq")
    if not entry.is_file():
        return None
    text = entry.read_text(encoding="utf-8")
    return parse_header(text, name=name, where=f"policykg/sparql/queries/{name}.rq")


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


def shipped_queries(suffix: str) -> list[NamedQuery]:
    """The shipped queries whose name ends with ``suffix``, sorted by name (the others unread).

    Raises:
        ParseError: one of their headers is malformed.
    """
    found = (_shipped(name) for name in sorted(_query_files()) if name.endswith(suffix))
    return [q for q in found if q is not None]


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
