"""The English and Chinese word lists the stages share (stop words, reporting verbs, roles)."""

from __future__ import annotations

import re

from policykg.authoring.reporting import FINITE

_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "from",
        "at",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "their",
        "his",
        "her",
        "our",
        "we",
        "they",
        "he",
        "she",
        "them",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "than",
        "then",
        "so",
        "such",
        "also",
        "has",
        "have",
        "had",
        "not",
        "but",
        "into",
        "through",
        "over",
        "under",
        "about",
        "between",
        "among",
        "more",
        "most",
        "very",
        "can",
        "could",
        "will",
        "would",
        "should",
        "must",
        "may",
        "might",
        "shall",
        "do",
        "does",
        "did",
        "up",
        "out",
        "new",
        "all",
        "any",
        "each",
        "other",
        "some",
        "both",
        "many",
        "much",
        "one",
        "two",
        "three",
        "own",
        "same",
        "there",
        "here",
        "how",
        "why",
        "if",
        "because",
        "per",
        "via",
        "s",
    ]
)
_REPORTING = {
    "en": re.compile(rf"\s*,?\s*(?:\w+\s+){{0,2}}?(?:{FINITE})\b"),
    "zh": re.compile(r"[\u4e00-\u9fff]{0,4}?(?:强调|指出|表示|说|要求|提出)"),
}
_COORD = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|、|和|及|与|以及|，)\s*")
_MEANS = {
    "en": re.compile(r"\bby\s+(?P<what>[a-z]+ing\b)"),
    "zh": re.compile(r"通过(?P<what>[^，,；;。！？]{2,30})(?=[，,])"),
}
_PURPOSE = {
    "en": re.compile(r",?\s*\b(?:thereby|so as to|in order to|so that)\s+(?P<what>\w)"),
    "zh": re.compile(r"[，,]?(?:从而|以便|进而)(?P<what>[^，,；;。！？]{2,30})"),
}
#: a purpose that ends an English sentence after a comma: ", to ensure that ...", ", in order to
#: ...", ", so as to ..." (not ", to the extent ...", ", to 5 percent": a verb follows "to")
_EN_TAIL_PURPOSE = re.compile(
    r",\s+(?:in order to|so as to|to)\s+(?P<what>(?!(?:the|a|an|its|their|his|her|our|this|that|"
    r"these|those|some|all|about|around|nearly|over|under|date|what|which|whom|be)\b)[a-z]"
    r"[^,;:.!?]*)[.!?]?\s*$"
)
#: an English passive after a cue ("shall be submitted to ...", "must be made to ..."): its
#: subject undergoes what is asked, and the passive names no agent, so no one is addressed
_EN_UNDERGOES = re.compile(
    r"\s*(?:be|been)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|lt|ne|pt|id|de|ught|ung)\b(?!\s+(?:to|that)\b)"
)
#: an English cue that is itself a passive with nothing after it ("Dumping is prohibited."):
#: what is asked (or forbidden) is its subject
_EN_BARE_PASSIVE = re.compile(r"(?:is|are)\s.*(?:ed|en)$")
#: the object and its "to" / "that" after an object cue: the action begins after them
_EN_OBJECT_TO = re.compile(r"[^,;:.!?]{0,80}?\b(?:to|that)\s")
#: the words between an English cue and its action ("must also", "are prohibited from",
#: "must be no")
_EN_ACTION_LEAD = re.compile(
    r"\s*(?:(?:also|further|continue to|be no(?!\s+(?:longer|more|less)\b)|be|to|not|from)\s+)*"
)
#: Words between a preposition and its noun ("on other countries", "for all the firms").
_MODIFIERS = frozenset(
    [
        "a",
        "an",
        "the",
        "other",
        "all",
        "some",
        "many",
        "more",
        "most",
        "these",
        "those",
        "this",
        "that",
        "its",
        "their",
        "our",
        "his",
        "her",
        "such",
        "each",
        "every",
        "any",
        "several",
        "new",
        "key",
    ]
)
#: A passive after an English cue: "(must) be avoided", "(should) be further strengthened".
_PASSIVE = re.compile(r"\s*(?:be|been)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn|lt|ne)\s*(?=[,;:.!?]|$)")
_PREPOSITIONS = frozenset(
    [
        "of",
        "in",
        "for",
        "by",
        "to",
        "from",
        "with",
        "among",
        "at",
        "on",
        "under",
        "through",
        "between",
        "into",
        "across",
        "within",
        "toward",
        "towards",
        "upon",
        "against",
        "without",
        "beyond",
        "during",
        "throughout",
        "despite",
    ]
)
