"""The annotator's state: the text, the lexicon's preferred labels, the new entities it names."""

from __future__ import annotations

import datetime as _dt
import hashlib
from array import array
from collections.abc import Iterator, Sequence
from typing import overload

from policykg.authoring.annotate.model import Ref, _slug
from policykg.authoring.lexicon import Lexicon
from policykg.authoring.periods import Period
from policykg.authoring.terms import Mention
from policykg.rdf.terms import local_name


class Spans(Sequence[tuple[int, int]]):
    """``(start, end)`` pairs kept as two arrays of machine integers.

    A Chinese text's words, as the segmenter finds them: a 10 MB text has millions, and a list
    of tuples of Python integers took about 110 bytes a word (this takes 16).
    """

    __slots__ = ("_ends", "_starts")

    def __init__(self) -> None:
        self._starts = array("q")
        self._ends = array("q")

    @classmethod
    def of(cls, starts: array[int], ends: array[int]) -> Spans:
        """The spans of two arrays of the same length (taken, not copied)."""
        spans = cls()
        spans._starts, spans._ends = starts, ends
        return spans

    def append(self, start: int, end: int) -> None:
        """Add one span."""
        self._starts.append(start)
        self._ends.append(end)

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, i: int) -> tuple[int, int]: ...
    @overload
    def __getitem__(self, i: slice) -> list[tuple[int, int]]: ...
    def __getitem__(self, i: int | slice) -> tuple[int, int] | list[tuple[int, int]]:
        if isinstance(i, slice):
            return list(zip(self._starts[i], self._ends[i], strict=True))
        return self._starts[i], self._ends[i]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self._starts, self._ends, strict=True)


def _new_slug(words: str, prefix: str) -> str:
    """The id of a new entity named ``words``: the words' slug, or a digest of Chinese words."""
    han = any("\u4e00" <= c <= "\u9fff" for c in words)
    slug = "" if han else _slug(words)
    if han or not slug:
        digest = hashlib.sha1(words.encode()).hexdigest()[:8]
        return f"{prefix or 'term'}-{digest}"
    return f"{prefix}-{slug}" if prefix else slug


class _Base:
    def __init__(self, text: str, lang: str, date: _dt.date | None, lexicon: Lexicon) -> None:
        self.text = text
        self.lang = lang
        self.date = date
        self.lexicon = lexicon
        self.new: dict[str, Ref] = {}
        #: the slug of each (words, prefix) :meth:`new_ref` was asked for
        self._slugs: dict[tuple[str, str], str] = {}
        #: the ref of each known entity's mention :meth:`ref_of` was asked for (by its id)
        self._mention_refs: dict[int, tuple[Mention, Ref]] = {}
        self.tokens: Spans | None = None
        self._masked: str | None = None
        self.pref: dict[str, str] = {}
        #: the passages with more figures than are suggested (:data:`figuring.MAX_FIGURES`)
        self.capped: list[str] = []
        self.capped_provisions: list[str] = []
        #: the body the text speaks for (我代表国务院) when it names no author: the speaker of
        #: every provision that reports no other
        self.voice: Ref | None = None
        #: the last person the text named (who ``he`` / ``she`` reports)
        self.last_person: Ref | None = None
        #: the period a clause after "；" inherits: (where the clause before ends, its period)
        self._carry: tuple[int, Period] | None = None
        #: spans no new entity is made of (the mentions of ambiguous labels)
        self.blocked: list[tuple[int, int]] = []
        #: reported speakers found in a sentence (by passage id), found once per sentence
        self._speech: dict[str, list[tuple[int, int]]] = {}
        #: the collective actors named by a modifier and a head (龙头企业), by their words
        self._narrow_refs: dict[str, Ref] = {}
        for t in lexicon.terms:
            if t.kind == "entity" and t.preferred and t.lang == "en":
                self.pref.setdefault(t.iri, t.label)

    # refs --------------------------------------------------------------------------------------
    def ref_of(self, m: Mention) -> Ref:
        if m.term.kind == "entity":
            # once per mention (the stages ask again for the same one): kept with the mention,
            # which stays alive as long as its id names it
            hit = self._mention_refs.get(id(m))
            if hit is not None and hit[0] is m:
                return hit[1]
            iri = m.term.iri
            ref = Ref(
                local_name(iri),
                self.pref.get(iri, m.term.label),
                m.start,
                m.end,
                True,
                m.term.types,
            )
            self._mention_refs[id(m)] = (m, ref)
            return ref
        cls_name = local_name(m.term.iri)
        return self.new_ref(m.surface, m.start, m.end, (cls_name,))

    def new_ref(
        self, words: str, start: int, end: int, types: tuple[str, ...], prefix: str = ""
    ) -> Ref:
        words = " ".join(words.split())
        slug = self._slugs.get((words, prefix))
        if slug is None:  # once per label and prefix (a text repeats its actors, its goals)
            slug = self._slugs[(words, prefix)] = _new_slug(words, prefix)
        existing = self.new.get(slug)
        if existing is not None:
            return Ref(existing.id, existing.label, start, end, False, existing.types, existing.zh)
        han = any("\u4e00" <= c <= "\u9fff" for c in words)
        ref = Ref(slug, words, start, end, False, types, words if han else None)
        self.new[slug] = ref
        return ref
