"""Mentions the Aho-Corasick match cannot see: coordinations with a shared head, and acronyms.

"The new energy vehicle, lithium battery and solar industries" names three industries;
新能源汽车、锂电池和光伏产业 names 锂电池产业; "the World Intellectual Property Organization (WIPO)
... WIPO said" names WIPO again. Only labels of the lexicon are found.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policykg.authoring.lexicon import Lexicon
from policykg.authoring.stems import FUZZY_STOP
from policykg.authoring.terms import Mention
from policykg.graph.names import initials

__all__ = ["acronyms", "coordinated", "coordinated_zh"]


_TOKEN = re.compile(r"[A-Za-z][\w'-]*|,|;|:|\(|\)|\.")
_COORDINATORS = frozenset(["and", "or"])
_NOT_IN_NP = frozenset([*FUZZY_STOP, "have", "has", "had", "will", "can", "must", "should"])


def coordinated(
    lexicon: Lexicon, text: str, start: int = 0, end: int | None = None
) -> list[Mention]:
    """Terms that share their head with the next conjunct of a coordination (English).

    "The new energy vehicle, lithium battery and solar industries" names the ``lithium battery
    industry`` and the ``new energy vehicle industry``; "strategic emerging and future-oriented
    industries" the ``strategic emerging industries``. Each conjunct before the last (up to
    four words; its longest ending that makes a label) is joined to the head, the last word of
    the last conjunct (tried one to four words after the coordinator), and looked up in the
    lexicon, with its number variants. Only labels of the lexicon are found, at the conjunct's
    words (``match: coordination``).
    """
    end = len(text) if end is None else end
    heads = lexicon.heads()
    toks = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text, start, end)]
    out: dict[tuple[str, int], Mention] = {}
    for i, (_a, _b, word) in enumerate(toks):
        if word.lower() not in _COORDINATORS:
            continue
        # the conjuncts before the coordinator, separated by commas, nearest first
        conjuncts: list[list[int]] = []
        j = i - 1
        if j >= 0 and toks[j][2] == ",":  # "A, B, and C"
            j -= 1
        while j >= 0:
            run: list[int] = []
            while j >= 0 and toks[j][2] not in (",", ";", ":", "(", ")", ".") and len(run) < 4:
                if toks[j][2].lower() in _COORDINATORS:
                    break
                run.insert(0, j)
                j -= 1
            if not run:
                break
            conjuncts.append(run)
            if j >= 0 and toks[j][2] == ",":
                j -= 1
                continue
            break
        if not conjuncts:
            continue
        # the head: the last word of the last conjunct, one to four words after "and"
        for k in range(i + 1, min(i + 5, len(toks))):
            head = toks[k][2]
            if not head[0].isalpha() or head.lower() in _NOT_IN_NP:
                break
            if head.lower() not in heads:
                continue
            for run in conjuncts:
                for s in range(len(run)):  # longest ending first: "the new energy vehicle"
                    a, b = toks[run[s]][0], toks[run[-1]][1]
                    terms = lexicon.lookup(f"{text[a:b]} {head}")
                    terms = [t for t in terms if t.kind == "entity"] or terms
                    if terms:
                        key = (terms[0].iri, a)
                        out.setdefault(key, Mention(a, b, text[a:b], terms[0], "coordination"))
                        break
    return sorted(out.values(), key=lambda m: (m.start, m.term.iri))


#: A Chinese coordination: conjuncts of CJK characters joined by 、 和 及 与 or 以及, the last one
#: ending in the head they share ("新能源汽车、锂电池和光伏产业"); "等" may close the list.
_ZH_COORD = re.compile(
    r"(?P<items>[\u4e00-\u9fff]{1,12}(?:(?:、|和|及|与|以及)[\u4e00-\u9fff]{1,12})+)"
)
_ZH_JOINERS = re.compile(r"以及|、|和|及|与")


def coordinated_zh(
    lexicon: Lexicon, text: str, start: int = 0, end: int | None = None
) -> list[Mention]:
    """Terms that share their head with the last conjunct of a Chinese coordination.

    "新能源汽车、锂电池和光伏产业" names 锂电池产业 and 新能源汽车产业 as well as 光伏产业: the head
    is the longest ending of the last conjunct (two to four characters, "等" left out) that ends
    a label of the lexicon of at least one more character, and each earlier conjunct joined to it
    is looked up. Only labels of the lexicon are found, at the conjunct's characters (``match:
    coordination``), as :func:`coordinated` does for English.
    """
    end = len(text) if end is None else end
    heads = lexicon.zh_heads()
    out: dict[tuple[str, int], Mention] = {}
    for m in _ZH_COORD.finditer(text, start, end):
        items = m.group("items")
        base = m.start("items")
        spans: list[tuple[int, int]] = []
        pos = 0
        for j in _ZH_JOINERS.finditer(items):
            spans.append((pos, j.start()))
            pos = j.end()
        spans.append((pos, len(items)))
        last_a, last_b = spans[-1]
        last = items[last_a:last_b]
        # the head ends somewhere in the last conjunct ("光伏产业增长较快": 产业), latest first
        candidates = [
            last[k - n : k]
            for k in range(len(last), 2, -1)
            for n in (4, 3, 2)
            if k - n >= 1 and last[k - n : k] in heads
        ]
        for head in candidates:
            found = _join_head(lexicon, items, spans[:-1], head, base)
            if found:
                for mention in found:
                    out.setdefault((mention.term.iri, mention.start), mention)
                break
    return sorted(out.values(), key=lambda x: (x.start, x.term.iri))


def _join_head(
    lexicon: Lexicon, items: str, spans: list[tuple[int, int]], head: str, base: int
) -> list[Mention]:
    """The earlier conjuncts that make a label with ``head``, each at its longest ending."""
    found = []
    for a, b in spans:
        conjunct = items[a:b].removesuffix("等")
        # the conjunct's longest ending first ("加快发展新能源汽车" -> "新能源汽车")
        for cut in range(len(conjunct)):
            piece = conjunct[cut:]
            terms = lexicon.lookup(piece + head)
            terms = [t for t in terms if t.kind == "entity"] or terms
            if terms:
                at = base + a + cut
                found.append(Mention(at, at + len(piece), piece, terms[0], "coordination"))
                break
    return found


_ACRONYM_DEF = re.compile(r"\(\s*(?P<acr>[A-Z][A-Z0-9&]{1,9})s?\s*\)")


#: A word of an English mention, for its initials (a hyphenated word is one word).
_WORD = re.compile(r"[A-Za-z][\w'-]*")


def acronyms(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Later uses of an acronym the text defines for a known term (English).

    "the World Intellectual Property Organization (WIPO) ... WIPO said": when the words before
    a parenthesised acronym are a mention whose initials spell it (function words aside),
    every later whole-word use of the acronym is a mention of that term
    (``match: acronym``), unless it is already one.
    """
    out: list[Mention] = []
    taken = {(m.start, m.end) for m in mentions}
    ends = {m.end: m for m in mentions if m.term.kind == "entity"}
    for d in _ACRONYM_DEF.finditer(text):
        acr = d.group("acr")
        before = text[: d.start()].rstrip()
        long = ends.get(len(before))
        if long is None:
            continue
        letters = initials(long.surface, word=_WORD, skip=FUZZY_STOP).upper()
        if letters != acr and not (letters.endswith(acr) and len(acr) >= 2):
            continue
        pattern = re.compile(rf"(?<![\w(]){re.escape(acr)}(?![\w)])")
        for use in pattern.finditer(text, d.end()):
            span = (use.start(), use.end())
            if span not in taken:
                out.append(Mention(use.start(), use.end(), acr, long.term, "acronym"))
                taken.add(span)
    return sorted(out, key=lambda m: (m.start, m.term.iri))
