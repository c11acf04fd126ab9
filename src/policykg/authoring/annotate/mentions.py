"""Which matches are mentions: ambiguous labels, and the English rules of the whole term.

The lexicon (:mod:`policykg.authoring.lexicon`) ranks the terms of one label (a preferred label
before an alternative one, an entity before a class). When two different entities share the
best rank of a label (two ``skos:prefLabel`` "state-owned enterprises", one of them perhaps an
impostor from an extension), the drafter cannot tell which is meant: the mention is left out of
every suggestion and listed in :attr:`Annotation.ambiguous` for the curator. A generic word or
the head of a longer English term is no mention of its own (:func:`whole_term`,
:func:`compound_part`); the Chinese rules: :mod:`policykg.authoring.annotate.mentions_zh`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policykg.authoring.annotate.mentions_zh import GENERIC_ZH
from policykg.authoring.annotate.vocab import _STOP
from policykg.authoring.lexicon import Lexicon
from policykg.authoring.terms import Mention
from policykg.rdf.terms import local_name

__all__ = [
    "GENERIC_EN",
    "compound_part",
    "kind_modifier_en",
    "rivals",
    "split_ambiguous",
    "whole_term",
]


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


#: single generic English words that name a term of the lexicon but, in running text, are mostly
#: a verb or a piece of a longer phrase ("develop", "digital technology"): a mention only when
#: they are the whole noun phrase (no modifier before, no noun after them); the Chinese ones
#: (:data:`~policykg.authoring.annotate.mentions_zh.GENERIC_ZH`) never are
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
    """Whether a mention is the whole term, not a part of a longer noun phrase (English).

    A generic single word (:data:`GENERIC_EN`) is a mention only as the whole noun phrase: not
    after a word that modifies it ("digital technology"), nor before a noun it modifies
    ("development goals") or an *of* that gives its argument ("the development of frontier
    fields": what develops is named, not development as such). Any other common noun is no
    mention of its own after an adjective that makes a kind of it (:func:`kind_modifier_en`:
    "industrial enterprises", "new materials", "high-tech zones"), as in Chinese (工业企业).
    """
    word = m.surface.lower()
    if lang == "zh":
        return word not in GENERIC_ZH
    if word not in GENERIC_EN:  # a common noun of one or two words ("supply chains")
        if not m.surface[:1].islower() or word.count(" ") > 1:
            return True
        return any(c.isupper() or c.isdigit() for c in m.surface) or not kind_modifier_en(
            _last_word(text[max(0, m.start - 30) : m.start])
        )
    prev = _last_word(text[max(0, m.start - 30) : m.start])
    nxt = _first_word(text[m.end : m.end + 30])
    modified = bool(prev) and prev.isalpha() and prev not in _FUNCTION_EN
    head_of = bool(nxt) and nxt.isalpha() and (nxt not in _FUNCTION_EN or nxt == "of")
    return not (modified or head_of)


def _last_word(before: str) -> str:
    """The word that ends ``before`` across a space ("" after punctuation), in lower case."""
    return before.split()[-1].lower() if before.strip() and before[-1:].isspace() else ""


def _first_word(after: str) -> str:
    """The word that opens ``after`` across a space ("" before punctuation), in lower case."""
    return after.split()[0].lower() if after.strip() and after[:1].isspace() else ""


#: suffixes of the classifying adjectives (industrial, digital, strategic, scientific, eastern,
#: Chinese), which verbs do not have
_ADJECTIVE_SUFFIX_EN = re.compile(r"[a-z][a-z-]{2,}(?:al|ic|ern|ese)")
#: words with those endings that rank or grade (critical, essential, overall: as 重点 in
#: Chinese) or are nouns (approval, proposal, topic): no kind
_NOT_KIND_EN = frozenset(
    ["critical", "crucial", "essential", "vital", "total", "fundamental", "general", "overall",
     "potential", "additional", "original", "special", "specific", "typical", "dynamic", "basic",
     "practical", "radical", "principal", "formal", "normal", "usual", "actual", "natural",
     "optimal", "historic", "historical", "pivotal", "central", "approval", "proposal",
     "arrival", "removal", "renewal", "survival", "withdrawal", "signal", "capital", "topic",
     "logic", "republic", "traffic", "individual", "several", "internal", "external", "critic"]
)  # fmt: skip


def kind_modifier_en(word: str) -> bool:
    """Whether ``word`` is an adjective that makes a kind of the noun after it ("industrial").

    English has no tags here: a closed list of such adjectives without a suffix (new, small,
    private) and the endings of the classifying adjectives (-al, -ic, -ern, -ese) that verbs
    and the function words before a noun (support, help, the, all) do not have, less the
    words that only grade (critical, essential). A noun that modifies (manufacturing
    enterprises) cannot be told from a verb (supporting enterprises) this way, nor an
    evaluative adjective in -ive or -ous (effective, extensive) from a classifying one
    (innovative): both are left mentions.
    """
    if word in _KIND_ADJECTIVES_EN:
        return True
    return bool(_ADJECTIVE_SUFFIX_EN.fullmatch(word)) and word not in _NOT_KIND_EN


#: adjectives that make a kind of the noun after them and carry no adjective suffix (new
#: industries, small enterprises, private firms); evaluative and counting words (key, major,
#: leading, all, many) pick out members of a kind and are left out, as in Chinese (重点企业)
_KIND_ADJECTIVES_EN = frozenset(
    ["new", "small", "large", "big", "private", "public", "foreign", "domestic", "modern",
     "advanced", "emerging", "smart", "green", "rural", "urban", "micro", "medium-sized",
     "small-sized", "large-sized", "state-owned", "high-tech", "low-carbon", "high-end"]
)  # fmt: skip
#: words that open a phrase around a term rather than modify it ("battle over key technologies");
#: an adjective that makes a kind (new) modifies, though the stop words list it
_OPENS_EN = (_FUNCTION_EN | _STOP | frozenset(
    ["over", "toward", "towards", "about", "against", "within", "without", "via", "per", "upon",
     "around", "beyond", "during", "after", "before", "across", "like"]
)) - _KIND_ADJECTIVES_EN  # fmt: skip
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
    if m.surface.lower() in GENERIC_EN and not whole_term(text, m, "en"):
        return True  # a generic word is a mention only as the whole noun phrase, nested or not
    before = text[outer.start : m.start]
    after = text[m.end : outer.end]
    prev, nxt = _last_word(before), _first_word(after)
    if not before and nxt == "of":
        return True
    modifier = bool(_WORD_EN.fullmatch(prev)) and prev not in _OPENS_EN
    head = not (_WORD_EN.fullmatch(nxt) and nxt not in _OPENS_EN)
    if head:
        ends = outer.end == m.end or any(n.end == m.end and n.start < m.start for n in heads)
        return ends and modifier and not prev.endswith("ing")  # "upgrading X": a verb's object
    return " " not in m.surface  # a single word that modifies the next ("data platforms")
