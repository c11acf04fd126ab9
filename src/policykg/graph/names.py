"""How names are compared and suggested: one key for a label, one fuzzy matcher for near misses.

* :func:`name_key` is the form two names are compared in: NFKC (full-width letters and digits
  become half-width: ``ＳＯＥ`` is ``SOE``), case-folded, and without spaces, hyphens, dashes,
  underscores or middle dots (``state owned enterprises``, ``state-owned enterprises`` and
  ``stateowned enterprises`` are one name; so are ``新质 生产力`` and ``新质生产力``).
* :func:`close_names` ranks candidates with rapidfuzz's ``WRatio`` and keeps only close ones
  (score >= :data:`CLOSE`), so a misspelling gets its entity and an unrelated word gets nothing
  ("blockchain" does not suggest "located in").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from policykg.core.text import match_key

__all__ = ["CLOSE", "LABEL_WORD", "acronym_key", "close_names", "initials", "name_key"]

#: The lowest rapidfuzz ``WRatio`` score (0-100) of a suggestion.
CLOSE = 80.0

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_·・\u00b7\u30fb]+")


def name_key(text: str) -> str:
    """Return the key two names are compared by (width, case, spaces and hyphens ignored)."""
    return _SEPARATORS.sub("", match_key(text))


#: A word of a label: what stands between spaces, hyphens, dashes, underscores and slashes.
LABEL_WORD = re.compile(r"[^\s\-\u2010-\u2015\u2212_/]+")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]{1,9}s?")


def initials(label: str, *, word: re.Pattern[str] = LABEL_WORD, skip: Collection[str] = ()) -> str:
    """Return the lower-case initials of an English label's words (a search aid, not a label).

    ``nqpf`` for "new quality productive forces", ``soe`` for "state-owned enterprises"; ``""``
    for fewer than two words. The words are the matches of ``word`` that begin with a letter or
    a digit; one in ``skip`` (function words, in lower case) is passed over unless it is
    capitalised: with ``skip={"the", "of"}``, ``bpc`` for "the Bank of the People's China".
    """
    words = [w for w in word.findall(label) if w[0].isalnum()]
    if len(words) < 2:
        return ""
    return "".join(w[0] for w in words if w[0].isupper() or w.lower() not in skip).casefold()


def acronym_key(text: str) -> str:
    """``nqpf`` for the query "NQPF" and ``soe`` for "SOEs"; ``""`` when it is no acronym."""
    text = text.strip()
    if not _ACRONYM.fullmatch(text):
        return ""
    return (text[:-1] if text.endswith("s") else text).casefold()


def close_names(text: str, candidates: Iterable[str], *, n: int = 5) -> list[str]:
    """Return up to ``n`` of ``candidates`` close to ``text``, the closest first.

    Candidates are compared by :func:`name_key`; ties keep the candidates' sorted order.
    """
    from rapidfuzz import fuzz, process

    key = name_key(text)
    if not key:
        return []
    keyed: dict[str, list[str]] = {}
    for c in sorted(set(candidates)):
        keyed.setdefault(name_key(c), []).append(c)
    found = process.extract(key, list(keyed), scorer=fuzz.WRatio, score_cutoff=CLOSE, limit=None)
    found.sort(key=lambda hit: (-hit[1], hit[0]))
    out: list[str] = []
    for k, _score, _i in found:
        for c in keyed[k]:
            if c not in out:
                out.append(c)
    return out[:n]
