"""The annotator's lexicon: every known term (ontology class labels, entity labels) and a matcher.

Terms are matched with an Aho-Corasick automaton (pyahocorasick) over a normalised copy of the
text: each character is NFKC-normalised and case-folded (so full-width ``ＡＩ`` and ``AI`` match,
and case does not matter), curly apostrophes become straight ones, and every character of the
normalised copy remembers the offset of the original character it came from, so that matches are
reported at their exact code-point offsets in the original text. Overlapping matches are resolved
longest first; Latin matches must start and end at word boundaries.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from policykg.authoring.stems import PHOTO_PREFIX, WORD, content_word, strict_stem
from policykg.authoring.stems import stem as stem_of
from policykg.core.errors import ParseError

__all__ = [
    "MATCHES",
    "FuzzyIndex",
    "Lexicon",
    "Mention",
    "Normalised",
    "Term",
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
        exact: matched word for word; ``False`` for a label that describes rather than names
            (a membership's ``Zhang Chi as deputy director of ...``, a photograph's ``photo:
            ...``), matched only near (:class:`FuzzyIndex`).
    """

    iri: str
    label: str
    lang: str
    kind: str
    preferred: bool
    actor: bool
    types: tuple[str, ...] = ()
    exact: bool = True


#: How a mention was found, most certain first (the draft's ``match:`` names all but ``exact``).
MATCHES: tuple[str, ...] = (
    "exact",
    "acronym",
    "coordination",
    "author",
    "fuzzy",
    "caption",
    "anaphora",
)


@dataclass(frozen=True)
class Mention:
    """A match of a term in the text, at exact code-point offsets (``end`` exclusive).

    ``match`` says how it was found (:data:`MATCHES`): ``exact`` (the label, normalised),
    ``acronym`` (an acronym the text defines for a known term: "... Organization (WIPO)"),
    ``coordination`` (a conjunct with the head it shares: "lithium battery" in "the new energy
    vehicle, lithium battery and solar industries"), ``fuzzy`` (the label's content words close
    together, inflection aside), ``caption`` (a photograph's caption) or ``anaphora`` (a pronoun
    standing for the subject of the sentence before: evidence only, never an addressee). In a
    draft, ``author`` marks the passage that names the document's author.
    """

    start: int
    end: int
    surface: str
    term: Term
    match: str = "exact"


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


#: entities whose labels describe a figure ("GDP growth target for 2024: about 5 percent"):
#: never near-mentioned (:class:`FuzzyIndex`)
_FIGURE_CLASSES = frozenset({"Target", "Observation", "GrowthRate"})
#: a number in a label or a text (a year, a value: 2014, 10, 5.5, 1,200)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
#: pronouns, arguments of their own: near words holding one the label lacks are two phrases
_PRONOUNS = frozenset(("it", "them", "they", "themselves", "itself", "he", "she", "we", "us"))


@functools.lru_cache(maxsize=4096)
def _numbers(label: str) -> frozenset[str]:
    """The numbers a label writes (a near mention of it needs each of them)."""
    return frozenset(_NUMBER.findall(label))


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


@dataclass
class FuzzyIndex:
    """Near mentions: an English entity label whose content words all occur close together.

    ``integration of the digital economy with the real economy`` is near-mentioned by "the
    integration between the real economy and the digital economy", ``moving China's industrial
    system up the global value chains`` by "to move China's industrial system up the global
    value chains". Each content word (not a stopword, three letters or more) is cut to a stem
    (:func:`~policykg.authoring.stems.stem`); a sentence near-mentions a label of four content
    words when it holds every stem, of five or more when it holds three quarters of them, within
    a window of twice the label's content words plus three (counted in the sentence's content
    words, so that stopwords
    and inflection do not matter). A label of two or three content words is matched more
    strictly: every word, by its inflectional stem only (``industries`` is ``industry``,
    ``industrial`` is not), in the label's order, with one other content word between them at
    most. A label that describes (``Zhang Chi as deputy director of ...``) needs every word, in
    any order. A near mention whose words are consecutive words inside one exact mention is left
    out (already accounted for: ``quality productive forces`` inside ``new quality productive
    forces``). A photograph's label (``photo: ...``, without the prefix) is matched only in a
    caption.
    """

    terms: list[tuple[Term, tuple[str, ...]]]
    by_stem: dict[str, list[int]]
    photos: frozenset[int] = frozenset()
    stems: frozenset[str] = frozenset()

    @classmethod
    def of(cls, lexicon: Lexicon) -> FuzzyIndex:
        """Index the English entity labels of ``lexicon``."""
        terms: list[tuple[Term, tuple[str, ...]]] = []
        photos: set[int] = set()
        seen: set[tuple[str, tuple[str, ...]]] = set()
        for t in lexicon.terms:
            if t.kind != "entity" or t.lang != "en" or _FIGURE_CLASSES.intersection(t.types):
                continue  # a figure's label describes its value: matched word for word only
            photo = "Photograph" in t.types
            label = PHOTO_PREFIX.sub("", t.label) if photo else t.label
            content = [w for w in WORD.findall(label) if content_word(w)]
            stems = tuple(dict.fromkeys(stem_of(w) for w in content))
            if len(stems) <= 3 and t.exact:
                stems = tuple(dict.fromkeys(strict_stem(w) for w in content))
            if len(stems) < 2 or (t.iri, stems) in seen:
                continue
            seen.add((t.iri, stems))
            if photo:
                photos.add(len(terms))
            terms.append((t, stems))
        # each term is indexed under its rarest stems only, as many as can be missing plus one:
        # a sentence that holds enough of its stems holds one of those (fewer candidates)
        freq: dict[str, int] = {}
        for _t, stems in terms:
            for s in stems:
                freq[s] = freq.get(s, 0) + 1
        by_stem: dict[str, list[int]] = {}
        for i, (t, stems) in enumerate(terms):
            keys = sorted(stems, key=lambda x: (freq[x], x))
            for s in keys[: len(stems) - _need(t, stems) + 1]:
                by_stem.setdefault(s, []).append(i)
        stems_all = frozenset(freq)
        return cls(terms, by_stem, frozenset(photos), stems_all)

    def words(self, text: str) -> list[tuple[int, int, str, str]]:
        """The content words of ``text`` with their stems (loose, strict), once per text."""
        cache: dict[str, tuple[str, str] | None] = {}
        out = []
        for m in WORD.finditer(text):
            w = m.group()
            if w in cache:
                stems = cache[w]
            else:
                stems = cache[w] = (stem_of(w), strict_stem(w)) if content_word(w) else None
            if stems is not None:
                out.append((m.start(), m.end(), stems[0], stems[1]))
        return out

    def near(
        self,
        text: str,
        words: Sequence[tuple[int, int, str, str]] | None = None,
        start: int = 0,
        end: int | None = None,
        *,
        caption: bool = False,
        exact: Sequence[tuple[int, int]] = (),
    ) -> list[Mention]:
        """Near mentions in ``text[start:end]`` (one per entity, at the words' span).

        ``words`` are the words of that span (from :meth:`words`), when already computed;
        ``caption``: the span is a photograph's caption (photographs are matched only there);
        ``exact``: the spans of the exact mentions there.

        A label with numbers ("new urban jobs target for 2014: over 10 million") is near-mentioned
        only where ``text[start:end]`` holds each of its numbers: a near match's words may differ
        from the label's, its numbers and years may not.
        """
        if words is None:
            words = [w for w in self.words(text) if start <= w[0] and w[1] <= (end or len(text))]
        where: dict[str, list[int]] = {}
        known = self.stems
        for n, (_a, _b, s, s2) in enumerate(words):
            if s in known:
                where.setdefault(s, []).append(n)
            if s2 in known:
                where.setdefault(s2, []).append(n)
        if len(where) < 2:
            return []
        by_stem = self.by_stem
        candidates = sorted({i for s in where for i in by_stem.get(s, ())})
        out: dict[str, Mention] = {}
        held: frozenset[str] | None = None  # the numbers of text[start:end], read once
        for i in candidates:
            term, stems = self.terms[i]
            need = _need(term, stems)
            if term.iri in out or sum(1 for x in stems if x in where) < need:
                continue
            photo = i in self.photos
            if photo and not caption:
                continue
            numbers = _numbers(term.label)
            if numbers:
                if held is None:
                    held = frozenset(_NUMBER.findall(text[start:end]))
                if not numbers <= held:
                    continue
            strict = stems[0].startswith("=")
            hits_at = [(n, s) for s in stems for n in where.get(s, ())]
            span = _in_order(hits_at, stems) if strict else _window(hits_at, need)
            # a short label: its words in order with one other word between at most
            limit = len(stems) if strict else 2 * len(stems) + 3
            if span is None or span[1] - span[0] > limit:
                continue
            used = {n for n, s in hits_at if span[0] <= n <= span[1]}
            if (
                exact
                and len(used) == span[1] - span[0] + 1
                and any(all(x <= words[n][0] and words[n][1] <= y for n in used) for x, y in exact)
            ):
                continue  # consecutive words inside exact mentions: already accounted for
            a, b = words[span[0]][0], words[span[1]][1]
            said = set(WORD.findall(text[a:b].lower())) - set(WORD.findall(term.label.lower()))
            if not photo and not _PRONOUNS.isdisjoint(said):
                continue  # "developing them is a pathway for ...", "take it upon themselves to"
            kind = "caption" if photo else "fuzzy"
            out[term.iri] = Mention(a, b, text[a:b], term, kind)
        return sorted(out.values(), key=lambda m: (m.start, m.term.iri))


def _need(term: Term, stems: tuple[str, ...]) -> int:
    """How many of a label's stems a near mention needs.

    All of up to four (and of a label that describes: "A as B"), three quarters of a longer one.
    """
    if len(stems) <= 4 or not term.exact:
        return len(stems)
    return -(-3 * len(stems) // 4)


def _window(hits: list[tuple[int, str]], need: int) -> tuple[int, int] | None:
    """The shortest run of positions holding ``need`` distinct stems (first one when tied)."""
    hits.sort()
    best: tuple[int, int] | None = None
    counts: dict[str, int] = {}
    lo = 0
    for pos, stem in hits:
        counts[stem] = counts.get(stem, 0) + 1
        while len(counts) >= need:
            first, first_stem = hits[lo]
            if best is None or pos - first < best[1] - best[0]:
                best = (first, pos)
            counts[first_stem] -= 1
            if not counts[first_stem]:
                del counts[first_stem]
            lo += 1
    return best


def _in_order(hits: list[tuple[int, str]], stems: tuple[str, ...]) -> tuple[int, int] | None:
    """The shortest run of positions holding every stem in the label's order."""
    at: dict[str, list[int]] = {}
    for n, s in hits:
        at.setdefault(s, []).append(n)
    best: tuple[int, int] | None = None
    for first in sorted(at.get(stems[0], ())):
        pos = first
        for s in stems[1:]:
            nxt = [n for n in at.get(s, ()) if n > pos]
            if not nxt:
                return best
            pos = min(nxt)
        if best is None or pos - first < best[1] - best[0]:
            best = (first, pos)
    return best
