"""Reading SPARQL text without evaluating it: one tokenizer and what is built on it.

The query path needs a few facts about a query before any store sees it: its form (``SELECT``,
``ASK`` ...) or update keyword, where its group patterns open (for :func:`~policykg.store.backends.
bind_values`), and whether it ends in an ``ORDER BY`` that can be applied to the answer instead
(see :func:`split_order_by`). Comments, string literals and IRIs are whole tokens, so keywords
inside them are never mistaken for the query's own.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property

__all__ = [
    "QUERY_FORMS",
    "UPDATE_KEYWORDS",
    "OrderKey",
    "ParsedQuery",
    "Tok",
    "body_start",
    "first_keyword",
    "group_openings",
    "parse",
    "service_clause",
    "split_order_by",
    "tokenisations",
    "tokens",
]

#: Keywords that start a SPARQL 1.1 update request.
UPDATE_KEYWORDS: frozenset[str] = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
#: Keywords that start a SPARQL query.
QUERY_FORMS: frozenset[str] = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})

_TOKEN_PATTERN = r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*)?
               :(?:[\w\-.:%\u00B7\u00C0-\uFFFF]|\\.)*)
    | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<other>.)
"""


@cache
def _token_re() -> re.Pattern[str]:
    """Compile the tokenizer on first use (its Unicode classes take a few ms to compile)."""
    return re.compile(_TOKEN_PATTERN, re.VERBOSE | re.DOTALL)


@dataclass(frozen=True)
class Tok:
    """One significant token of a query.

    Attributes:
        kind: ``string``, ``iri``, ``var``, ``pname``, ``word`` or ``other``.
        text: the token as written.
        start: its first character's offset in the query.
        end: the offset just after it.
    """

    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        """The keyword in upper case, or ``""`` for anything but a bare word."""
        return self.text.upper() if self.kind == "word" else ""


_TOKENISED = [0]  # how many texts were tokenised (see tokenisations())


def _tokenise(sparql: str) -> tuple[Tok, ...]:
    """Split a query into significant tokens (no whitespace, no comments)."""
    _TOKENISED[0] += 1
    out = []
    for m in _token_re().finditer(sparql):
        kind = m.lastgroup or "other"
        if kind in ("ws", "comment"):
            continue
        text, end = m.group(), m.end()
        if kind == "pname" and text.endswith("."):  # a prefixed name never ends with '.'
            text = text.rstrip(".")
            end = m.start() + len(text)
        out.append(Tok(kind, text, m.start(), end))
    return tuple(out)


def tokenisations() -> int:
    """Return how many query texts were tokenised in this process (tests count them)."""
    return _TOKENISED[0]


def tokens(sparql: str) -> tuple[Tok, ...]:
    """Return the significant tokens of a query (no whitespace, no comments).

    The tokens of :func:`parse`: a text read by several steps is tokenised once.
    """
    return parse(sparql).toks


_PARSED: OrderedDict[str, ParsedQuery] = OrderedDict()
_PARSED_MAX = 256


def _remember(parsed: ParsedQuery) -> ParsedQuery:
    _PARSED[parsed.text] = parsed
    _PARSED.move_to_end(parsed.text)
    while len(_PARSED) > _PARSED_MAX:
        _PARSED.popitem(last=False)
    return parsed


def parse(sparql: str | ParsedQuery) -> ParsedQuery:
    """Return the query read once: its tokens and what every step of the query path needs.

    The update refusal, the nesting and ``SERVICE`` checks, the syntax message, the placement of
    ``VALUES`` blocks and the backend's ``ORDER BY`` all read this one object; a text seen
    recently is not tokenised again (the last 256 are kept).
    """
    if isinstance(sparql, ParsedQuery):
        return sparql
    found = _PARSED.get(sparql)
    if found is not None:
        _PARSED.move_to_end(sparql)
        return found
    return _remember(ParsedQuery(sparql, _tokenise(sparql)))


class ParsedQuery:
    """A query's text and its tokens, with the facts derived from them computed on first use.

    Attributes:
        text: the query as written.
        toks: its significant tokens.
    """

    def __init__(self, text: str, toks: tuple[Tok, ...]) -> None:
        self.text = text
        self.toks = toks
        self._deepest: dict[int, Tok | None] = {}

    def __repr__(self) -> str:
        return f"ParsedQuery({self.text[:40]!r}...)"

    @cached_property
    def body(self) -> int:
        """The index of the first token after the prologue (BASE / PREFIX declarations)."""
        return body_start(self.toks)

    @cached_property
    def keyword(self) -> str | None:
        """The first keyword after the prologue, upper-cased; ``None`` if not a bare word."""
        i = self.body
        return self.toks[i].upper or None if i < len(self.toks) else None

    @cached_property
    def form(self) -> str | None:
        """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``; ``None`` for anything else."""
        return self.keyword if self.keyword in QUERY_FORMS else None

    @cached_property
    def update(self) -> str | None:
        """The update keyword (``INSERT``, ``DROP`` ...) when the text is an update request."""
        return self.keyword if self.keyword in UPDATE_KEYWORDS else None

    @cached_property
    def service(self) -> Tok | None:
        """The first ``SERVICE`` keyword (a federated query), or ``None``."""
        return next((t for t in self.toks if t.upper == "SERVICE"), None)

    @cached_property
    def variables(self) -> frozenset[str]:
        """The names (without ``?``) of the variables the query mentions."""
        return frozenset(t.text[1:] for t in self.toks if t.kind == "var")

    @cached_property
    def prefix_names(self) -> frozenset[str]:
        """The prefixes (``pkg``, ``skos`` ...) of the prefixed names the query writes."""
        return frozenset(t.text.partition(":")[0] for t in self.toks if t.kind == "pname")

    @cached_property
    def groups(self) -> tuple[list[int], bool]:
        """See :func:`group_openings`."""
        return group_openings(self.toks)

    @cached_property
    def order_split(self) -> tuple[ParsedQuery, list[OrderKey]] | None:
        """The query without its final ``ORDER BY`` and the keys (see :func:`split_order_by`).

        The body shares this query's tokens (minus the clause): it is not tokenised again.
        """
        found = _split_order_by(self)
        if found is None:
            return None
        text, keys, start, end = found
        toks = tuple(t for t in self.toks if t.end <= start or t.start >= end)
        return _remember(ParsedQuery(text, toks)), keys

    def deepest(self, limit: int) -> Tok | None:
        """The first bracket opening a level deeper than ``limit`` (see :func:`deepest_opening`)."""
        known = self._deepest
        if limit not in known:
            known[limit] = deepest_opening(self.toks, limit)
        return known[limit]

    def position(self, tok: Tok) -> tuple[int, int]:
        """The (line, column) of a token, both from 1."""
        line = self.text.count("\n", 0, tok.start) + 1
        return line, tok.start - (self.text.rfind("\n", 0, tok.start) + 1) + 1


_OPENERS = frozenset("({[")
_CLOSERS = frozenset(")}]")


def deepest_opening(toks: Sequence[Tok], limit: int) -> Tok | None:
    """Return the first bracket that opens a level deeper than ``limit``, else ``None``.

    Braces, parentheses and brackets count alike (``{ ( [``): the depth the query's parser
    would recurse to.
    """
    depth = 0
    for tok in toks:
        if tok.kind != "other":
            continue
        if tok.text in _OPENERS:
            depth += 1
            if depth > limit:
                return tok
        elif tok.text in _CLOSERS:
            depth = max(depth - 1, 0)
    return None


def body_start(toks: Sequence[Tok]) -> int:
    """Return the index of the first token after the prologue (BASE / PREFIX declarations)."""
    i = 0
    while i < len(toks):
        word = toks[i].upper
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            break
    return i


def first_keyword(sparql: str) -> str | None:
    """Return the first keyword after the prologue, upper-cased (``SELECT``, ``INSERT`` ...).

    ``None`` when the text has no bare word there.
    """
    return parse(sparql).keyword


def service_clause(sparql: str) -> Tok | None:
    """Return the first ``SERVICE`` keyword of a query (a federated query), or ``None``.

    Only the query's own keywords count: ``SERVICE`` inside a string, an IRI, a comment, a
    variable name or a prefixed name is not one.
    """
    return parse(sparql).service


def group_openings(toks: Sequence[Tok]) -> tuple[list[int], bool]:
    """Find the offsets just after every ``{`` that opens a group pattern.

    The braces of ``VALUES`` data, of a ``CONSTRUCT`` template and those opening a sub-select
    (whose own ``WHERE`` brace counts instead) are not group patterns. Nor are those of an
    ``EXISTS`` / ``NOT EXISTS`` pattern and the groups inside it: a filter's pattern sees the
    bindings of the group it filters, which has its own block. Nor is the group an ``OPTIONAL``
    opens: it is left-joined to the enclosing group's solutions, which already hold the value,
    and its filter sees them (groups nested inside it keep their blocks). A block there changes
    no answer but Virtuoso 7 answers wrongly when a variable bound outside is bound again by a
    ``VALUES`` inside ``EXISTS`` or ``OPTIONAL``.

    Returns:
        The offsets, and whether the query is a short-form ``CONSTRUCT WHERE`` (whose pattern is
        a template too).
    """
    positions: list[int] = []
    stack: list[str] = []
    values_pending = False
    short_construct = False
    for i, tok in enumerate(toks):
        word = tok.upper
        prev = toks[i - 1].upper if i else ""
        if word == "VALUES":
            values_pending = True
        elif tok.text == "{" and tok.kind == "other":
            inside_data = bool(stack) and stack[-1] in ("data", "template")
            if values_pending or inside_data:
                stack.append("data")
                values_pending = False
            elif prev == "CONSTRUCT" or (short_construct and not stack):
                stack.append("template")
            elif prev == "EXISTS" or (stack and stack[-1] == "exists"):
                stack.append("exists")
            elif prev == "OPTIONAL":
                stack.append("group")  # joined to the enclosing group's solutions, block and all
            else:
                stack.append("group")
                nxt = toks[i + 1].upper if i + 1 < len(toks) else ""
                if nxt != "SELECT":  # a sub-select's own WHERE gets the block
                    positions.append(tok.end)
        elif tok.text == "}" and tok.kind == "other":
            if stack:
                stack.pop()
        elif prev == "CONSTRUCT" and not stack:
            short_construct = True
    return positions, short_construct


@dataclass(frozen=True)
class OrderKey:
    """One condition of an ``ORDER BY`` made of plain variables."""

    var: str
    descending: bool = False


def _projection(toks: Sequence[Tok], select: int) -> set[str] | None:
    """Return the variables a top-level SELECT projects (``None`` for ``SELECT *``)."""
    names: set[str] = set()
    depth = 0
    for i in range(select + 1, len(toks)):
        tok = toks[i]
        if depth == 0 and (tok.upper == "WHERE" or tok.text == "{"):
            return names
        if tok.text == "*" and depth == 0:
            return None
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        elif tok.kind == "var" and (depth == 0 or toks[i - 1].upper == "AS"):
            names.add(tok.text[1:])
    return names


def split_order_by(sparql: str | ParsedQuery) -> tuple[str, list[OrderKey]] | None:
    """Take a SELECT query's final ``ORDER BY`` out, when it can be applied to the answer.

    That is the case when the outer query orders by projected variables only (``?x``,
    ``ASC(?x)``, ``DESC(?x)``) and has no ``LIMIT`` or ``OFFSET`` (which need the order first).

    Returns:
        The query with the ``ORDER BY`` clause blanked out (replaced by as many spaces, so that
        positions in error messages stay true) and its keys; ``None`` when the query has no such
        clause.
    """
    found = parse(sparql).order_split
    return (found[0].text, found[1]) if found is not None else None


def _split_order_by(parsed: ParsedQuery) -> tuple[str, list[OrderKey], int, int] | None:
    """The work of :func:`split_order_by`; also returns the blanked span."""
    sparql, toks = parsed.text, parsed.toks
    i = parsed.body
    if i >= len(toks) or toks[i].upper != "SELECT":
        return None
    projected = _projection(toks, i)
    depth = 0
    order_at = -1
    for j in range(i, len(toks)):
        tok = toks[j]
        if tok.kind == "other" and tok.text in "{(":
            depth += 1
        elif tok.kind == "other" and tok.text in "})":
            depth -= 1
        elif depth == 0 and tok.upper in ("LIMIT", "OFFSET"):
            return None
        elif depth == 0 and tok.upper == "BY" and toks[j - 1].upper == "ORDER":
            order_at = j - 1
    if order_at < 0:
        return None
    keys: list[OrderKey] = []
    j = order_at + 2
    while j < len(toks) and toks[j].upper != "VALUES":
        tok = toks[j]
        if tok.kind == "var":
            keys.append(OrderKey(tok.text[1:]))
            j += 1
        elif (
            tok.upper in ("ASC", "DESC")
            and j + 3 < len(toks)
            and toks[j + 1].text == "("
            and toks[j + 2].kind == "var"
            and toks[j + 3].text == ")"
        ):
            keys.append(OrderKey(toks[j + 2].text[1:], descending=tok.upper == "DESC"))
            j += 4
        else:
            return None  # an expression: leave the ordering to the store
    if not keys or (projected is not None and any(k.var not in projected for k in keys)):
        return None
    start, end = toks[order_at].start, toks[j - 1].end
    blank = re.sub(r"[^\n]", " ", sparql[start:end])
    return sparql[:start] + blank + sparql[end:], keys, start, end
