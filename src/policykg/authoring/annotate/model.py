"""What the drafter suggests: references, figures, provisions, enumerations, the annotation."""

from __future__ import annotations

import bisect
import datetime as _dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from policykg.authoring.annotate.reading import Sentence
from policykg.authoring.figures import Figure
from policykg.authoring.modality import Cue
from policykg.authoring.periods import Period
from policykg.authoring.terms import Mention


@dataclass(frozen=True)
class Ref:
    """An entity a suggestion names: a known one (``known``) or a new one the draft declares.

    Attributes:
        id: the entity id in the draft (a known entity's local name, or a new slug).
        label: its label: a known entity's English one, a new entity's words from the text
            (words of a Chinese text are also its ``zh``: the draft writes no English
            label for them, and never translates).
        start: offset of the words that name it (``end`` exclusive); -1 when none.
        known: a graph entity (its declaration is copied from the graph).
        types: class local names.
        zh: the Chinese label of a new entity named in Chinese.
    """

    id: str
    label: str
    start: int
    end: int
    known: bool
    types: tuple[str, ...]
    zh: str | None = None


@dataclass(frozen=True)
class FigureSuggestion:
    """A figure of a passage with its period and what it measures."""

    passage: str
    subject: str
    figure: Figure
    period: Period | None
    growth: bool
    observation_of: Ref | None
    measure: str | None


@dataclass(frozen=True)
class ProvisionSuggestion:
    """A provision suggested from a modality cue."""

    passage: str
    modality: str
    cue: Cue
    addressee: Ref | None
    action: tuple[Ref, ...]
    condition: tuple[Ref, ...]
    #: every actor addressed (``A, B and C must``); ``addressee`` is the first
    addressees: tuple[Ref, ...] = ()
    #: how ("by ramping up ...", 通过...) and what for ("thereby ...", 从而...)
    means: tuple[Ref, ...] = ()
    purpose: tuple[Ref, ...] = ()
    #: who states it, when the text reports another speaker ("Xi Jinping stressed that ...");
    #: ``None``: the document's author (the compiler's default)
    stated_by: Ref | None = None
    #: a prohibition (不得, "must not"): ``polarity: negative`` in the draft
    negative: bool = False


@dataclass(frozen=True)
class Enumeration:
    """``head such as A, B and C``: each item an example of the head."""

    passage: str
    start: int
    end: int
    cue: str
    head: Ref
    items: tuple[Ref, ...]


@dataclass
class Annotation:
    """Everything the annotator suggests for one text."""

    text: str
    lang: str
    date: _dt.date | None
    lexicon: str
    sentences: list[Sentence]
    mentions: list[Mention]
    figures: list[FigureSuggestion] = field(default_factory=list)
    provisions: list[ProvisionSuggestion] = field(default_factory=list)
    enumerations: list[Enumeration] = field(default_factory=list)
    candidates: list[tuple[str, int, list[tuple[int, int]]]] = field(default_factory=list)
    labels: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    #: every modality and condition cue of the text
    cues: list[Cue] = field(default_factory=list)
    #: mentions of known entities inside a longer mention (evidence, not highlighted)
    nested: list[Mention] = field(default_factory=list)
    #: near mentions: every content word of a label close together, a photograph's caption, a
    #: pronoun's antecedent (evidence, to review; each says how it was found: ``match``)
    near: list[Mention] = field(default_factory=list)
    #: new entities suggested as evidence at an offset, with how they were found: a photograph
    #: from its caption, the author from a byline
    extra: list[tuple[int, Ref, str]] = field(default_factory=list)
    #: the document's author, from a byline or an author's note (``None``: none found); the
    #: draft states it as a fact of the passage that names the author
    author: Ref | None = None
    #: passages whose figures beyond the first :data:`~.figuring.MAX_FIGURES` were left out
    capped: list[str] = field(default_factory=list)
    #: passages whose provisions beyond :data:`~.provisioning.MAX_PROVISIONS` were left out
    capped_provisions: list[str] = field(default_factory=list)
    #: mentions whose label names several entities (start, end, words, the entities' local
    #: names): none is chosen, the curator says which is meant
    ambiguous: list[tuple[int, int, str, tuple[str, ...]]] = field(default_factory=list)
    _starts: dict[int, tuple[Any, list[int]]] = field(default_factory=dict, repr=False)

    def in_sentence(self, items: Sequence[Any], sentence: Sentence) -> list[Any]:
        """The items (with ``start``, sorted by it) that lie in ``sentence``."""
        key = id(items)
        cached = self._starts.get(key)
        if cached is None or cached[0] is not items or len(cached[1]) != len(items):
            cached = self._starts[key] = (items, [i.start for i in items])
        starts = cached[1]
        lo = bisect.bisect_left(starts, sentence.start)
        hi = bisect.bisect_left(starts, sentence.end)
        part = items[lo:hi]  # a list's slice is a new list already
        return part if isinstance(part, list) else list(part)


def _slug(words: str, *, limit: int = 6) -> str:
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_words.lower())[:limit]
    return "-".join(parts)
