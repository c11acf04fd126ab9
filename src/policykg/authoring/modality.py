"""Modality cues: the words that say how firmly a text asks, expects or allows something.

The modalities are the provisions model's (``pkg:obligation`` ... ``pkg:assertion``); a cue is
reported with its verbatim words. ``if`` / ``如果`` opens a condition rather than a modality. In
Chinese, a one-character cue (要, 应, 将, 可) counts only when the segmenter (jieba) reads it as a
word of its own, so that 重要, 主要, 将来 or 可能性 are not taken for cues.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MODALITIES", "Cue", "find_cues"]

#: The modalities of the provisions model, strongest first.
MODALITIES: tuple[str, ...] = (
    "obligation",
    "recommendation",
    "necessity",
    "possibility",
    "expectation",
    "intention",
    "assertion",
)

_EN_CUES: dict[str, str] = {
    "must": "obligation",
    "have to": "obligation",
    "has to": "obligation",
    "shall": "obligation",
    "is required to": "obligation",
    "are required to": "obligation",
    "should": "recommendation",
    "ought to": "recommendation",
    "need to": "necessity",
    "needs to": "necessity",
    "can": "possibility",
    "could": "possibility",
    "may": "possibility",
    "is able to": "possibility",
    "are able to": "possibility",
    "will": "expectation",
    "would": "expectation",
    "is set to": "expectation",
    "are set to": "expectation",
    "is expected to": "expectation",
    "are expected to": "expectation",
    "is poised to": "expectation",
    "is to be": "expectation",
    "are to be": "expectation",
    "if": "condition",
}
for _adj in ("essential", "important", "imperative", "necessary", "crucial", "vital"):
    for _it in ("it is", "it's", "it’s", "it was", "is", "are"):
        _EN_CUES[f"{_it} {_adj}"] = "necessity"
for _req in ("central", "key", "basic", "fundamental", "essential", "inherent"):
    _EN_CUES[f"is a {_req} requirement"] = "necessity"
_EN_CUES.update(
    {
        "calls for": "necessity",
        "call for": "necessity",
        "prospects for": "expectation",
        "the goal is to": "intention",
        "the aim is to": "intention",
        "aims to": "intention",
        "seeks to": "intention",
    }
)

_ZH_CUES: dict[str, str] = {
    "必须": "obligation",
    "务必": "obligation",
    "应当": "recommendation",
    "应该": "recommendation",
    "应": "recommendation",
    "要": "recommendation",
    "需要": "necessity",
    "亟需": "necessity",
    "至关重要": "necessity",
    "十分重要": "necessity",
    "可以": "possibility",
    "能够": "possibility",
    "可": "possibility",
    "将": "expectation",
    "将会": "expectation",
    "预计": "expectation",
    "目标是": "intention",
    "旨在": "intention",
    "如果": "condition",
    "若": "condition",
}
_ZH_SINGLE = {"要", "应", "将", "可", "若"}


def _pattern(cues: Sequence[str], *, words: bool) -> re.Pattern[str]:
    alts = "|".join(
        re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True)
    )
    return re.compile(rf"\b(?:{alts})\b" if words else f"(?:{alts})", re.IGNORECASE)


_EN_RE = _pattern(list(_EN_CUES), words=True)
_EN_RE_LOWER = re.compile(_EN_RE.pattern)  # for ASCII text searched lower-cased (faster)
_ZH_RE = _pattern(list(_ZH_CUES), words=False)


@dataclass(frozen=True)
class Cue:
    """A modality cue (or ``condition`` for ``if``) at its offsets in the text."""

    start: int
    end: int
    words: str
    modality: str


def find_cues(text: str, lang: str, tokens: Sequence[tuple[int, int]] | None = None) -> list[Cue]:
    """Every cue of ``text`` in order.

    Args:
        text: the text.
        lang: ``en`` or ``zh``.
        tokens: for Chinese, the segmenter's word spans (``(start, end)``), used to accept a
            one-character cue only when it is a word of its own.
    """
    out: list[Cue] = []
    if lang == "zh":
        starts = {s: e for s, e in tokens or ()}
        for m in _ZH_RE.finditer(text):
            words = m.group()
            if words in _ZH_SINGLE and tokens is not None and starts.get(m.start()) != m.end():
                continue
            out.append(Cue(m.start(), m.end(), words, _ZH_CUES[words]))
        return out
    lowered = text.isascii()
    pattern, haystack = (_EN_RE_LOWER, text.lower()) if lowered else (_EN_RE, text)
    for m in pattern.finditer(haystack):
        words = text[m.start() : m.end()]
        key = " ".join(words.lower().split())
        if key == "may" and words[0] == "M":  # the month, not the modal
            continue
        if key == "will" and _after_article(text, m.start()):
            continue  # "the political will"
        if key == "can" and _after_article(text, m.start()):
            continue
        out.append(Cue(m.start(), m.end(), words, _EN_CUES[key]))
    return out


def _after_article(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].lower().split()
    return bool(before) and before[-1] in ("the", "a", "political", "good", "free", "own")
