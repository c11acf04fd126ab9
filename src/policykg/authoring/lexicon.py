"""The annotator's lexicon: every known term (ontology class labels, entity labels) and a matcher.

Terms are matched with an Aho-Corasick automaton (pyahocorasick) over a normalised copy of the
text: each character is NFKC-normalised and case-folded (so full-width ``ＡＩ`` and ``AI`` match,
and case does not matter), curly apostrophes become straight ones, and every character of the
normalised copy remembers the offset of the original character it came from, so that matches are
reported at their exact code-point offsets in the original text. Overlapping matches are resolved
longest first; Latin matches must start and end at word boundaries. The terms and mentions are
:mod:`policykg.authoring.terms`'s; near mentions (content words close together) are found by
:class:`~policykg.authoring.fuzzy.FuzzyIndex`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from policykg.authoring.fuzzy import FuzzyIndex
from policykg.authoring.terms import Mention, Term
from policykg.core.errors import ParseError

__all__ = [
    "Lexicon",
    "Normalised",
    "normalise",
]

_EXTRA = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'}


def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch).casefold()
    return "".join(_EXTRA.get(c, c) for c in out)


#: Chinese characters of the basic block: NFKC and case folding leave them as they are
_CJK = re.compile(r"[\u4e00-\u9fff]*")


def normalise(text: str) -> str:
    """Return the normalised form used for matching (NFKC, case-folded, straight quotes)."""
    if text.isascii():
        return text.lower()
    if _CJK.fullmatch(text):
        return text
    return "".join(_norm_char(c) for c in text)


@dataclass(frozen=True)
class Normalised:
    """A normalised copy of a text with the map back to original offsets.

    Attributes:
        text: the normalised text.
        origin: ``origin[i]`` is the offset in the original text of normalised character ``i``
            (``None`` when the normalisation kept every length, so offsets are the same).
    """

    text: str
    origin: Sequence[int] | None

    @classmethod
    def of(cls, text: str) -> Normalised:
        """Normalise ``text`` (fast path for ASCII and for length-preserving texts)."""
        if text.isascii():
            return cls(text.lower(), None)
        # one normalisation per distinct character; when each stays one character (the usual
        # case, full-width forms included), a translation table does it all at once
        table = {ord(c): _norm_char(c) for c in set(text)}
        if all(len(v) == 1 for v in table.values()):
            return cls(text.translate(table), None)
        cache: dict[str, str] = {}
        parts: list[str] = []
        same = True
        for ch in text:
            n = cache.get(ch)
            if n is None:
                n = cache[ch] = _norm_char(ch)
            if len(n) != 1:
                same = False
            parts.append(n)
        if same:
            return cls("".join(parts), None)
        origin: list[int] = []
        for i, n in enumerate(parts):
            origin.extend([i] * len(n))
        return cls("".join(parts), origin)

    def span(self, start: int, end: int, length: int) -> tuple[int, int]:
        """Map the normalised span ``[start, end)`` back to the original text (of ``length``)."""
        if self.origin is None:
            return start, end
        del length
        return self.origin[start], self.origin[end - 1] + 1


def _is_word(ch: str) -> bool:
    return ch.isalnum() and ord(ch) < 0x2E80  # CJK characters need no word boundary


@dataclass
class Lexicon:
    """A set of terms with an Aho-Corasick automaton over their normalised forms.

    Attributes:
        terms: every term (deduplicated), in a deterministic order.
        source: ``ontology`` or ``graph``.
    """

    terms: list[Term]
    source: str = "graph"
    _automaton: Any = field(default=None, repr=False)
    _by_key: dict[str, list[Term]] = field(default_factory=dict, repr=False)
    _fuzzy: Any = field(default=None, repr=False)
    _heads: frozenset[str] | None = field(default=None, repr=False)
    _zh_heads: frozenset[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        import ahocorasick

        by_key: dict[str, list[Term]] = {}
        for term in self.terms:
            if not term.exact:
                continue
            key = normalise(term.label).strip()
            if len(key) < 2 and not any(ord(c) > 0x2E80 for c in key):
                continue
            by_key.setdefault(key, []).append(term)
        for key, terms in by_key.items():
            # the best reading of a label first: preferred, entity over class, then by IRI
            terms.sort(key=lambda t: (not t.preferred, t.kind != "entity", t.iri))
            by_key[key] = terms
        auto = ahocorasick.Automaton()
        for key in sorted(by_key):
            auto.add_word(key, key)
        if by_key:
            auto.make_automaton()
        self._automaton = auto if by_key else None
        self._by_key = by_key

    def __len__(self) -> int:
        return len(self._by_key)

    def heads(self) -> frozenset[str]:
        """The last words of the lexicon's labels of several words (normalised), built once."""
        if self._heads is None:
            self._heads = frozenset(k.rsplit(" ", 1)[1] for k in self._by_key if " " in k)
        return self._heads

    def zh_heads(self) -> frozenset[str]:
        """The endings (two to four characters) of the lexicon's Chinese labels, built once."""
        if self._zh_heads is None:
            found: set[str] = set()
            for key in self._by_key:
                if "\u4e00" <= key[-1] <= "\u9fff":
                    found.update(key[-n:] for n in (2, 3, 4) if len(key) > n)
            self._zh_heads = frozenset(found)
        return self._zh_heads

    def fuzzy(self) -> FuzzyIndex:
        """The :class:`FuzzyIndex` of this lexicon (built once)."""
        if self._fuzzy is None:
            self._fuzzy = FuzzyIndex.of(self)
        index: FuzzyIndex = self._fuzzy
        return index

    def lookup(self, label: str) -> list[Term]:
        """Terms whose normalised label is ``label``'s."""
        return list(self._by_key.get(normalise(label).strip(), []))

    def known(self, phrase: str) -> bool:
        """Whether ``phrase`` (normalised) is a label of the lexicon."""
        return normalise(phrase).strip() in self._by_key

    def match(self, text: str, norm: Normalised | None = None) -> list[Mention]:
        """Every mention in ``text``, longest first, not overlapping, sorted by offset."""
        return self.match_all(text, norm)[0]

    def match_all(
        self, text: str, norm: Normalised | None = None
    ) -> tuple[list[Mention], list[Mention]]:
        """The mentions (longest first, not overlapping) and the nested ones.

        A nested mention lies wholly inside a longer one (``China`` in ``northeast China``): it
        is not highlighted, but the passage mentions that entity too (evidence).
        """
        if self._automaton is None or not text:
            return [], []
        norm = norm or Normalised.of(text)
        ntext = norm.text
        found: list[tuple[int, int, str]] = []
        n_text = len(text)
        origin = norm.origin
        isw = _is_word
        for end_idx, key in self._automaton.iter(ntext):
            if origin is None:
                end = end_idx + 1
                start = end - len(key)
            else:
                start, end = origin[end_idx + 1 - len(key)], origin[end_idx] + 1
            if start > 0 and isw(text[start]) and isw(text[start - 1]):
                continue
            if end < n_text and isw(text[end - 1]) and isw(text[end]):
                continue
            found.append((start, end, key))
        found.sort(key=lambda f: (f[0] - f[1], f[0]))
        taken: list[tuple[int, int]] = []
        chosen: list[Mention] = []
        nested: list[Mention] = []
        import bisect

        for start, end, key in found:
            i = bisect.bisect_left(taken, (start, end))
            before = taken[i - 1] if i > 0 else None
            after = taken[i] if i < len(taken) else None
            if (before and before[1] > start) or (after and after[0] < end):
                inside = (before and before[0] <= start and end <= before[1]) or (
                    after and after[0] <= start and end <= after[1]
                )
                if inside:
                    nested.append(Mention(start, end, text[start:end], self._by_key[key][0]))
                continue
            taken.insert(i, (start, end))
            chosen.append(Mention(start, end, text[start:end], self._by_key[key][0]))
        chosen.sort(key=lambda m: m.start)
        nested.sort(key=lambda m: (m.start, m.end))
        return chosen, nested

    # -- building ---------------------------------------------------------------------------------

    @classmethod
    def from_kg(cls, kg: Any, *, source: str = "graph") -> Lexicon:
        """Build the lexicon from a loaded graph (``policykg.load()``).

        Args:
            kg: a :class:`policykg.graph.kg.PolicyKG`.
            source: ``ontology`` (the ontology's class labels only) or ``graph`` (the class
                labels and every ``skos:prefLabel``, ``skos:altLabel`` and ``rdfs:label`` of the
                graph's entities).
        """
        if source not in ("ontology", "graph"):
            raise ParseError(f"unknown lexicon {source!r} (ontology or graph)")
        rows = kg.query(_CLASS_LABELS).rows
        actor_classes = {str(r[0]) for r in kg.query(_ACTOR_CLASSES).rows}
        terms: list[Term] = []
        for cls_iri, label in rows:
            lang = label.language or "en"
            if lang not in ("en", "zh"):
                continue
            actor = str(cls_iri) in actor_classes
            terms.append(Term(str(cls_iri), str(label), lang, "class", True, actor))
            terms += [
                Term(str(cls_iri), v, lang, "class", False, actor)
                for v in _variants(str(label), lang)
            ]
        if source == "graph":
            types: dict[str, list[str]] = {}
            for ent, cls_iri in kg.query(_ENTITY_TYPES).rows:
                types.setdefault(str(ent), []).append(str(cls_iri))
            for ent, label, prop in kg.query(_ENTITY_LABELS).rows:
                lang = label.language or "en"
                if lang not in ("en", "zh"):
                    continue
                e = str(ent)
                ts = types.get(e, [])
                names = {t.rsplit("#", 1)[-1] for t in ts}
                actor = any(t in actor_classes for t in ts)
                local = tuple(sorted(t.rsplit("#", 1)[-1] for t in ts if "ontology#" in t))
                pref = str(prop).endswith("prefLabel")
                if names & _DESCRIBED_CLASSES and lang == "en":
                    terms.append(Term(e, str(label), lang, "entity", pref, actor, local, False))
                    continue
                if names & _SKIP_CLASSES:
                    continue
                terms.append(Term(e, str(label), lang, "entity", pref, actor, local))
                terms += [
                    Term(e, v, lang, "entity", False, actor, local)
                    for v in _variants(str(label), lang)
                ]
        unique = sorted(set(terms), key=lambda t: (t.iri, t.lang, t.label, t.kind, not t.preferred))
        return cls(unique, source)


_SKIP_CLASSES = {"Passage", "Provision", "Observation", "GrowthRate", "Membership", "Photograph"}
#: entities whose labels describe them ("Zhang Chi as deputy director of ...", "photo: ..."):
#: matched only near, never word for word
_DESCRIBED_CLASSES = {"Membership", "Photograph"}

_CLASS_LABELS = """SELECT DISTINCT ?c ?l WHERE {
  ?c a owl:Class ; rdfs:label ?l . FILTER(STRSTARTS(STR(?c), STR(pkg:)))
} ORDER BY ?c ?l"""

_ACTOR_CLASSES = """SELECT DISTINCT ?c WHERE { ?c rdfs:subClassOf* pkg:Actor } ORDER BY ?c"""

_ENTITY_TYPES = """SELECT DISTINCT ?e ?c WHERE {
  ?e a ?c . FILTER(STRSTARTS(STR(?e), STR(kg:)))
} ORDER BY ?e ?c"""

_ENTITY_LABELS = """SELECT DISTINCT ?e ?l ?p WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel rdfs:label }
  ?e ?p ?l . FILTER(STRSTARTS(STR(?e), STR(kg:)) && isLiteral(?l))
} ORDER BY ?e ?l ?p"""


def _variants(label: str, lang: str) -> Iterable[str]:
    """English number variants of a label (``enterprise`` ↔ ``enterprises``), last word only."""
    if lang != "en" or not label or not label[-1].isalpha() or label.isupper():
        return []
    head, _, last = label.rpartition(" ")
    if len(last) < 3 or not last.islower():
        return []
    prefix = f"{head} " if head else ""
    if last.endswith("ies"):
        return [prefix + last[:-3] + "y"]
    if last.endswith(("ss", "us", "is")):
        return [prefix + last + "es"]
    if last.endswith("s"):
        return [prefix + last[:-1]]
    if last.endswith("y") and last[-2] not in "aeiou":
        return [prefix + last[:-1] + "ies"]
    if last.endswith(("ch", "sh", "x")):
        return [prefix + last + "es"]
    return [prefix + last + "s"]
