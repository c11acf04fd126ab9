"""Lexicon and mentions: a label that names several entities is reported, never resolved.

The lexicon (:mod:`policykg.authoring.lexicon`) ranks the terms of one label (a preferred label
before an alternative one, an entity before a class). When two different entities share the
best rank of a label (two ``skos:prefLabel`` "state-owned enterprises", one of them perhaps an
impostor from an extension), the drafter cannot tell which is meant: the mention is left out of
every suggestion and listed in :attr:`Annotation.ambiguous` for the curator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policykg.authoring.annotate.vocab import _STOP
from policykg.authoring.lexicon import Lexicon, Mention
from policykg.rdf.terms import local_name


def rivals(lexicon: Lexicon, label: str, cache: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The entities (local names, sorted) that share the best rank of ``label``.

    One or none: the label is not ambiguous.
    """
    found = cache.get(label)
    if found is None:
        terms = lexicon.lookup(label)
        top = terms[0] if terms else None
        iris = (
            {t.iri for t in terms if t.kind == top.kind and t.preferred == top.preferred}
            if top is not None and top.kind == "entity"
            else set()
        )
        found = cache[label] = tuple(sorted(local_name(i) for i in iris))
    return found


def split_ambiguous(
    lexicon: Lexicon, mentions: Sequence[Mention], cache: dict[str, tuple[str, ...]]
) -> tuple[list[Mention], list[tuple[Mention, tuple[str, ...]]]]:
    """The mentions whose label names one entity, and the others with the entities they could be."""
    kept: list[Mention] = []
    ambiguous: list[tuple[Mention, tuple[str, ...]]] = []
    for m in mentions:
        if m.term.kind == "entity":
            who = rivals(lexicon, m.term.label, cache)
            if len(who) > 1:
                ambiguous.append((m, who))
                continue
        kept.append(m)
    return kept, ambiguous


#: single generic words that name a term of the lexicon but, in running text, are mostly a verb
#: or a piece of a longer phrase (发展 "develop", "digital technology"): never a mention in
#: Chinese, and in English only when they are the whole noun phrase (no modifier before, no
#: noun after them)
GENERIC_ZH = frozenset(
    [
        "发展",
        "技术",
        "经济",
        "创新",
        "产业",
        "建设",
        "工作",
        "国家",
        "地区",
        "任务",
        "举措",
        "目标",
        "规划",
        "成果",
        "设施",
        "组织",
        "体系",
        "政策",
        "改革",
        "增长",
        "安全",
    ]
)
GENERIC_EN = frozenset(
    [
        "development",
        "technology",
        "technologies",
        "economy",
        "innovation",
        "industry",
        "industries",
        "system",
        "systems",
        "policy",
        "policies",
        "reform",
        "reforms",
        "growth",
        "work",
        "country",
        "countries",
        "region",
        "regions",
        "task",
        "tasks",
        "goal",
        "goals",
        "plan",
        "plans",
        "measure",
        "measures",
        "role",
    ]
)
_FUNCTION_EN = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "our",
        "his",
        "her",
        "this",
        "that",
        "these",
        "those",
        "such",
        "all",
        "and",
        "or",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "by",
        "from",
        "at",
        "as",
        "into",
        "through",
        "across",
        "under",
        "between",
        "among",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "will",
        "would",
        "can",
        "could",
        "should",
        "must",
        "may",
        "might",
        "has",
        "have",
        "had",
        "not",
        "no",
    ]
)


def whole_term(text: str, m: Mention, lang: str) -> bool:
    """Whether a mention of a generic single word is the whole term (see :data:`GENERIC_EN`)."""
    word = m.surface.lower()
    if lang == "zh":
        return word not in GENERIC_ZH
    if word not in GENERIC_EN:
        return True
    before = text[max(0, m.start - 30) : m.start]
    after = text[m.end : m.end + 30]
    prev = before.split()[-1].lower() if before.strip() and before[-1:].isspace() else ""
    nxt = after.split()[0].lower() if after.strip() and after[:1].isspace() else ""
    modified = bool(prev) and prev.isalpha() and prev not in _FUNCTION_EN
    head_of = bool(nxt) and nxt.isalpha() and nxt not in _FUNCTION_EN
    return not (modified or head_of)


#: words that open a phrase around a term rather than modify it ("battle over key technologies")
_OPENS_EN = _FUNCTION_EN | _STOP | frozenset(
    ["over", "toward", "towards", "about", "against", "within", "without", "via", "per", "upon",
     "around", "beyond", "during", "after", "before", "across", "like"]
)  # fmt: skip
_WORD_EN = re.compile(r"[a-z][a-z-]*")


def compound_part(text: str, outer: Mention, m: Mention, heads: Sequence[Mention] = ()) -> bool:
    """Whether the nested mention ``m`` is only a part of a compound term around it (English).

    ``outer`` is the mention ``m`` lies in, ``heads`` the other nested terms there. A common noun
    is no mention of its own where it is the head of a longer term found there, after a word
    that modifies it ("productive forces" in "advanced productive forces", "enterprises" in
    "private enterprises"), a single word that modifies the next ("data" in "data platforms"), or
    the head the rest of the term qualifies ("growth" in "growth of exports"). It is a mention of
    its own where the longer term is a phrase that names it as an argument ("upgrading
    traditional industries", "battle over key technologies", "labour, capital and land",
    "steering key resources toward ...": no term ends with it), where a term of several words
    modifies ("digital economy industries"), and a name (with a capital or a digit: "northeast
    China", "15th Five-Year Plan") always is.
    """
    if not m.surface[:1].islower() or any(c.isupper() for c in m.surface):
        return False
    before = text[outer.start : m.start]
    after = text[m.end : outer.end]
    prev = before.split()[-1].lower() if before.strip() and before[-1:].isspace() else ""
    nxt = after.split()[0].lower() if after.strip() and after[:1].isspace() else ""
    if not before and nxt == "of":
        return True
    modifier = bool(_WORD_EN.fullmatch(prev)) and prev not in _OPENS_EN
    head = not (_WORD_EN.fullmatch(nxt) and nxt not in _OPENS_EN)
    if head:
        ends = outer.end == m.end or any(n.end == m.end and n.start < m.start for n in heads)
        return ends and modifier and not prev.endswith("ing")  # "upgrading X": a verb's object
    return " " not in m.surface  # a single word that modifies the next ("data platforms")
