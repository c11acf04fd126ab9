"""The annotator's lexicon: every known term (ontology class labels, entity labels) and a matcher.

Terms are matched with an Aho-Corasick automaton (pyahocorasick) over a normalised copy of the
text: each character is NFKC-normalised and case-folded (so full-width ``ＡＩ`` and ``AI`` match,
and case does not matter), curly apostrophes become straight ones, and every character of the
normalised copy remembers the offset of the original character it came from, so that matches are
reported at their exact code-point offsets in the original text. Overlapping matches are resolved
longest first; Latin matches must start and end at word boundaries.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Lexicon", "Mention", "Normalised", "Term", "normalise"]

_EXTRA = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'}


def _norm_char(ch: str) -> str:
    out = unicodedata.normalize("NFKC", ch).casefold()
    return "".join(_EXTRA.get(c, c) for c in out)


def normalise(text: str) -> str:
    """Return the normalised form used for matching (NFKC, case-folded, straight quotes)."""
    if text.isascii():
        return text.lower()
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


@dataclass(frozen=True)
class Term:
    """One known term.

    Attributes:
        iri: the entity or class it names.
        label: the label as written in the graph or ontology.
        lang: ``en`` or ``zh`` (the label's language tag).
        kind: ``entity`` or ``class``.
        preferred: a preferred label (``skos:prefLabel`` or a class's ``rdfs:label``), not an
            alternative label or a plural variant.
        actor: the term names an actor (an entity typed, or a class under, ``pkg:Actor``).
        types: the local names of the entity's classes (for the draft's declaration).
    """

    iri: str
    label: str
    lang: str
    kind: str
    preferred: bool
    actor: bool
    types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """A match of a term in the text, at exact code-point offsets (``end`` exclusive)."""

    start: int
    end: int
    surface: str
    term: Term


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

    def __post_init__(self) -> None:
        import ahocorasick

        by_key: dict[str, list[Term]] = {}
        for term in self.terms:
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

    def lookup(self, label: str) -> list[Term]:
        """Terms whose normalised label is ``label``'s."""
        return list(self._by_key.get(normalise(label).strip(), []))

    def known(self, phrase: str) -> bool:
        """Whether ``phrase`` (normalised) is a label of the lexicon."""
        return normalise(phrase).strip() in self._by_key

    def match(self, text: str, norm: Normalised | None = None) -> list[Mention]:
        """Every mention in ``text``, longest first, not overlapping, sorted by offset."""
        if self._automaton is None or not text:
            return []
        norm = norm or Normalised.of(text)
        ntext = norm.text
        found: list[tuple[int, int, str]] = []
        for end_idx, key in self._automaton.iter(ntext):
            n_end = end_idx + 1
            n_start = n_end - len(key)
            start, end = norm.span(n_start, n_end, len(text))
            if _is_word(text[start]) and start > 0 and _is_word(text[start - 1]):
                continue
            if _is_word(text[end - 1]) and end < len(text) and _is_word(text[end]):
                continue
            found.append((start, end, key))
        found.sort(key=lambda f: (f[0] - f[1], f[0]))
        taken: list[tuple[int, int]] = []
        chosen: list[Mention] = []
        import bisect

        for start, end, key in found:
            i = bisect.bisect_left(taken, (start, end))
            if i > 0 and taken[i - 1][1] > start:
                continue
            if i < len(taken) and taken[i][0] < end:
                continue
            taken.insert(i, (start, end))
            chosen.append(Mention(start, end, text[start:end], self._by_key[key][0]))
        chosen.sort(key=lambda m: m.start)
        return chosen

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
            from policykg.core.errors import ParseError

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
                if any(t.rsplit("#", 1)[-1] in _SKIP_CLASSES for t in ts):
                    continue
                actor = any(t in actor_classes for t in ts)
                local = tuple(sorted(t.rsplit("#", 1)[-1] for t in ts if "ontology#" in t))
                pref = str(prop).endswith("prefLabel")
                terms.append(Term(e, str(label), lang, "entity", pref, actor, local))
                terms += [
                    Term(e, v, lang, "entity", False, actor, local)
                    for v in _variants(str(label), lang)
                ]
        unique = sorted(set(terms), key=lambda t: (t.iri, t.lang, t.label, t.kind, not t.preferred))
        return cls(unique, source)


_SKIP_CLASSES = {"Passage", "Provision", "Observation", "GrowthRate", "Membership", "Photograph"}

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
