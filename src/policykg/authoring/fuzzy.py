"""Near mentions: English entity labels whose content words occur close together in a text.

The lexicon (:mod:`policykg.authoring.lexicon`) matches its labels word for word; the index here
(:meth:`Lexicon.fuzzy <policykg.authoring.lexicon.Lexicon.fuzzy>`, built once) finds the
mentions that reword a long label (inflection, word order, words between).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policykg.authoring.stems import PHOTO_PREFIX, WORD, content_word, strict_stem
from policykg.authoring.stems import stem as stem_of
from policykg.authoring.terms import Mention, Term

if TYPE_CHECKING:
    from policykg.authoring.lexicon import Lexicon

__all__ = ["FuzzyIndex"]

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
