"""Word stems for the fuzzy English match of the lexicon: function words, suffixes, inflections.

A label is near-mentioned when a sentence holds the stems of its content words
(:class:`policykg.authoring.fuzzy.FuzzyIndex`); these are the rules that make a word a content
word and reduce it to its stem.
"""

from __future__ import annotations

import re

__all__ = ["FUZZY_STOP", "PHOTO_PREFIX", "WORD", "content_word", "stem", "strict_stem"]

FUZZY_STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "from",
        "into",
        "that",
        "this",
        "their",
        "its",
        "our",
        "of",
        "in",
        "on",
        "to",
        "by",
        "as",
        "at",
        "be",
        "is",
        "are",
        "was",
        "were",
        "an",
        "a",
        "or",
        "all",
        "new",
        "more",
        "than",
        "such",
        "other",
        "own",
    ]
)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


_SUFFIXES = (
    "izations",
    "ization",
    "isation",
    "ations",
    "ation",
    "ings",
    "ing",
    "edly",
    "ed",
    "ments",
    "ment",
    "ies",
    "es",
    "s",
    "ly",
    "e",
)
PHOTO_PREFIX = re.compile(r"(?i)^(?:photo|photograph|picture|image)\s*:\s*")


def stem(word: str) -> str:
    """A crude stem: one inflectional or derivational suffix off, then five letters at most.

    ``moving`` and ``move``, ``integrated`` and ``integration``, ``deeply`` and ``deep``,
    ``industries`` and ``industrialization`` share a stem.
    """
    w = word.lower().strip("'-")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return w[:5]


_INFLECTIONS = ("'s", "ies", "es", "s", "ing", "ed", "e")


def strict_stem(word: str) -> str:
    """An inflectional stem only (``industries`` = ``industry``, not ``industrial``)."""
    w = word.lower().strip("'-")
    for suffix in _INFLECTIONS:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return "=" + w


def content_word(word: str) -> bool:
    """Whether ``word`` counts for a fuzzy match: three letters or more, not a function word."""
    return len(word) >= 3 and word.lower() not in FUZZY_STOP
