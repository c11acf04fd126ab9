"""Lexicon and mentions: a label that names several entities is reported, never resolved.

The lexicon (:mod:`policykg.authoring.lexicon`) ranks the terms of one label (a preferred label
before an alternative one, an entity before a class). When two different entities share the
best rank of a label (two ``skos:prefLabel`` "state-owned enterprises", one of them perhaps an
impostor from an extension), the drafter cannot tell which is meant: the mention is left out of
every suggestion and listed in :attr:`Annotation.ambiguous` for the curator.
"""

from __future__ import annotations

from collections.abc import Sequence

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
