"""Modality cues: the words that say how firmly a text asks, expects or allows something.

The modalities are the provisions model's (``pkg:obligation`` ... ``pkg:assertion``); a cue is
reported with its verbatim words. ``if`` / ``如果`` opens a condition rather than a modality. In
Chinese, a one-character cue (要, 应, 将, 可) counts only when the segmenter (jieba) reads it as a
word of its own, so that 重要, 主要, 将来 or 可能性 are not taken for cues (or 要 begins a phrase
of 要 and a verb that jieba lists as one word: 要带头). Whether 要 / 将 is the speaking
government's commitment (我们要, 政府要) or directs another body named with 政府 (各级政府要) is
decided here, as are the nouns that are no cues (美好生活需要, 应纳税所得额, 响应…号召).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policykg.authoring.reporting import (
    CALLED_ALL,
    DIRECTIVE_BASES,
    DIRECTIVE_CUES,
    EMPHASIS_BEFORE,
    OBJECT_CUES,
)

__all__ = ["MODALITIES", "Cue", "find_cues", "governs_clause", "governs_verb", "zh_tags"]

#: The modalities of the provisions model, strongest first.
MODALITIES: tuple[str, ...] = (
    "obligation",
    "recommendation",
    "commitment",
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
    # prohibitions: the modality of the positive form, polarity negative (_NEGATIVE)
    "must not": "obligation",
    "must never": "obligation",
    "shall not": "obligation",
    "may not": "obligation",
    "should not": "recommendation",
    "should never": "recommendation",
    # the speaker's own government undertakes (a government's own report)
    "we will": "commitment",
    "we shall": "commitment",
    "we'll": "commitment",
    "we’ll": "commitment",
    "encourage": "recommendation",
    "encourages": "recommendation",
    "strive to": "intention",
    "strives to": "intention",
    "the need to": "necessity",
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

# -- English wire copy, official translations and legal text (issue 21) ------------------------
#: reporting verbs that carry a directive ("X called for ...", "X urged Y to ...", "X stressed
#: the importance of ...") and passive directives ("are encouraged to", "is prohibited");
#: the modalities are written down in docs/DESIGN.md ("English wire copy and legal text")
_EN_WIRE_CUES: dict[str, str] = {
    # the reporting verbs that direct (X urged / called on / demanded that Y ...: an obligation of
    # Y, as 要求 is; "called for": a necessity; "appealed to": a recommendation), from the one
    # vocabulary of reporting verbs
    **DIRECTIVE_CUES,
    "the importance of": "necessity",
    "the need for": "necessity",
    # passives: the grammatical subject is asked
    "is encouraged to": "recommendation",
    "are encouraged to": "recommendation",
    "is urged to": "obligation",
    "are urged to": "obligation",
    "is called on to": "obligation",
    "are called on to": "obligation",
    "is called upon to": "obligation",
    "are called upon to": "obligation",
    "is allowed to": "possibility",
    "are allowed to": "possibility",
    "is permitted to": "possibility",
    "are permitted to": "possibility",
    # the government's own undertaking not to act (不再, 我们…决不: commitment, negative)
    "we will not": "commitment",
    "we will never": "commitment",
    "we won't": "commitment",
    "we won’t": "commitment",
    "we shall not": "commitment",
    "we will no longer": "commitment",
    # prohibitions (negative)
    "shall never": "obligation",
    "is prohibited": "obligation",
    "are prohibited": "obligation",
    "is strictly prohibited": "obligation",
    "are strictly prohibited": "obligation",
    "is forbidden": "obligation",
    "are forbidden": "obligation",
    "is banned": "obligation",
    "are banned": "obligation",
    "is not allowed": "obligation",
    "are not allowed": "obligation",
    "is not permitted": "obligation",
    "are not permitted": "obligation",
}
_EN_WIRE_NEGATIVE = frozenset(
    [k for k in _EN_WIRE_CUES if " not " in f" {k} " or "never" in k or "bidden" in k]
    + [k for k in _EN_WIRE_CUES if "no longer" in k or k.endswith(("n't", "n’t"))]
    + [k for k in _EN_WIRE_CUES if k.endswith(("prohibited", "banned"))]
)
#: cues read only after a reporting verb ("stressed the importance of", not "of the importance
#: of this")
_EN_AFTER_REPORTING = frozenset(["the need to", "the importance of", "the need for"])
#: a clause whose subject opens with "No" ("No entity shall ...", "No one may ..."): the modal
#: after it forbids (polarity negative; "may" and "can" then forbid like "may not")
_NO_SUBJECT = re.compile(r"(?:^|[.,;:!?\n]\s*)(?:No|no|Neither|neither)\s+(?:[\w'’-]+\s+){0,5}$")
_NO_MODALS = {"shall": "obligation", "must": "obligation", "may": "obligation", "can": "obligation"}
#: "Under no circumstances should ...", "In no case shall ...": the inverted modal forbids
_NO_INVERTED = re.compile(r"\b(?:[Uu]nder|[Ii]n)\s+no\s+(?:circumstances?|case|way)\s+$")
#: "There must be no backsliding": what is forbidden follows "be no"
_BE_NO = re.compile(r"\s+be\s+no\b(?!\s+(?:longer|more|less)\b)")
#: legal "Where X, Y shall ...": a condition, only where it opens a sentence or a line
_EN_WIRE_CUES["where"] = "condition"
_SENTENCE_START = re.compile(r"(?:^|[.!?;:]\s+|\n\s*)$")
_EN_CUES.update(_EN_WIRE_CUES)
#: reporting verbs that direct: not as a noun after an article ("the urge", "a call on"), nor as
#: a participle ("as called for in the plan", "were urged by", "the reforms urged by experts")
_EN_DIRECTING = frozenset(DIRECTIVE_CUES)
#: "(Greater) efforts / (More) steps / (Further) measures will be made / taken to ...": the
#: agentless future of official translations, the issuing government's undertaking (commitment)
_EFFORTS_BEFORE = re.compile(r"\b(?:[Ee]fforts|[Ss]teps|[Mm]easures|[Aa]ctions?)\s+$")
_BE_TAKEN = re.compile(
    r"\s+be\s+(?:made|taken|adopted|stepped up|intensified|redoubled|launched)\s+to\b"
)
_PARTICIPLE_BEFORE = re.compile(r"\b(?:as|be|been|being|is|are|was|were)\s+$", re.IGNORECASE)
_BY_AFTER = re.compile(r"\s+by\b")
#: the object of "appealed to" and its "to" before a verb ("appealed to all parties to act")
_OBJECT_TO = re.compile(r"\s[^,;:.!?]{1,80}?\bto\s+[a-z]")


def _not_directing(text: str, start: int, end: int, key: str) -> bool:
    if key in DIRECTIVE_BASES and _after_article(text, start):
        return True
    if _BY_AFTER.match(text, end):
        return True
    return bool(_PARTICIPLE_BEFORE.search(text, max(0, start - 12), start))


_ZH_CUES: dict[str, str] = {
    # 要 and its compounds: the directive of Chinese policy speech ("must", "need to")
    "要": "obligation",
    "还要": "obligation",
    "更要": "obligation",
    "也要": "obligation",
    "就要": "obligation",
    "都要": "obligation",
    "既要": "obligation",
    "必须": "obligation",
    "务必": "obligation",
    "确保": "obligation",
    "要求": "obligation",
    "应当": "obligation",  # the official translations of laws: "shall"
    "应该": "recommendation",
    "应": "recommendation",
    "鼓励": "recommendation",
    # X号召Y… / X呼吁Y…: a call on Y, an exhortation, not a duty (docs/conventions-zh.md)
    "号召": "recommendation",
    "呼吁": "recommendation",
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
    "力争": "intention",
    "拟": "intention",  # "plans to" (赤字率拟按…安排, 拟安排…)
    "如果": "condition",
    "若": "condition",
    # prohibitions: the modality of the positive form, polarity negative (_NEGATIVE)
    "不得": "obligation",
    "严禁": "obligation",
    "禁止": "obligation",
    "不能": "obligation",
    "不准": "obligation",
    "不许": "obligation",
    "不要": "obligation",
    "决不能": "obligation",
    "绝不能": "obligation",
    "决不": "obligation",
    "绝不": "obligation",
    "不应": "recommendation",
    "不应该": "recommendation",
    "不宜": "recommendation",
}
_ZH_SINGLE = {"要", "应", "将", "可", "若", "拟"}
#: prohibitions: their modality is the positive form's, their polarity negative
_NEGATIVE = frozenset(
    [
        *("must not", "must never", "shall not", "may not", "should not", "should never"),
        *[
            "不得",
            "严禁",
            "禁止",
            "不能",
            "不准",
            "不许",
            "不要",
            "决不能",
            "绝不能",
            "决不",
            "绝不",
            "不应",
            "不应该",
            "不宜",
        ],
    ]
)
#: 将 as the object marker (将A与B结合起来, 将X纳入, 将比例从75%提高到100%), not "will": the
#: clause after it places its object somewhere
_BA_VERB = re.compile(
    r"[^，,。；;！？：:]{0,40}?(?:纳入|列入|作为|结合|融入|放在|摆在|落到|转化为|变为|视为|改为|"
    r"调整为|扩大到|扩大至|提高到|提高至|提升到|提升至|降到|降至|降低到|降低至|延长到|延长至|"
    r"延续到|延续至|打造成|建成|推向|引向|贯穿|覆盖|用于|应用于|转变为|确定为|列为|作出)"
)
#: 要求 as a noun (总体要求, 新要求, 的要求), not "requires"
_NOT_REQUIRE_BEFORE = frozenset("的了新总本基重明具高严更等和与及项点种")
#: the speaker's own government: 我们要, 我们将, 政府将 (adverbs between: 我们还要, 我们将继续)
_OWN = re.compile(r"(?:我们|我国政府|本届政府|政府)(?:[\u4e00-\u9fff]{0,2}?)$")
#: 政府 before 要 / 将 with what modifies it: the speaking government when bare or named as the
#: speaker's own (中国政府, 我国政府, 中央政府, 本届政府); with any other modifier (各级, 地方,
#: 县级, a place) it is another body, whom the 要 directs (docs/conventions-zh.md)
_GOVERNMENT_BEFORE = re.compile(r"(?P<mod>[\u4e00-\u9fff]{0,2})政府[\u4e00-\u9fff]{0,2}?$")
_OWN_GOVERNMENT = ("我国", "中国", "中央", "本届", "这届", "一届", "我们")
_OWN_CUES = frozenset(["要", "将", "还要", "更要", "也要", "就要", "都要"])
#: 应 in a noun of what is due (应纳税所得额, 应纳税额, 应缴税款, 应付账款): no "should"
_DUE = re.compile(r"(?:纳税|缴纳?|交纳?|付|收|退|补|扣)税?(?:所得)?(?:额|款|账款)")
#: 号召 / 呼吁 as nouns (响应党的号召, 在…号召下): after 的 / 响应, or before 下 / 的 / the end
_NOT_CALL_BEFORE = frozenset("的")
_NOT_CALL_AFTER = ("下", "的", "和", "与", "。", "")
#: the dictionary's floor frequency: a word jieba lists only as a phrase of its sources
_PHRASE_FREQ = 3


def _speaker_own(text: str, start: int) -> bool:
    """Whether the words before the cue at ``start`` name the speaking government.

    我们要, 政府要, 本届政府将: the speaker's own undertaking; 各级政府要, 地方政府将: another
    body named with 政府, whom the cue directs.
    """
    floor = max(0, start - 6)
    if not _OWN.search(text, floor, start):
        return False
    m = _GOVERNMENT_BEFORE.search(text, floor, start)
    if m is None or not m.group("mod") or m.group("mod").endswith(_OWN_GOVERNMENT):
        return True
    return "我们" in text[m.start() : start]


_TAGS: list[dict[str, str]] = []


def _reports_call(text: str, cue: Cue, after: Sequence[Cue]) -> bool:
    """Whether a call (号召 / 呼吁) only reports the modal words of its addressee's clause.

    会议号召，全国人民要团结一心: the call's content has its own cue (要), which is the provision,
    as after 会议要求，; 会议号召，全国各族人民团结…: the call is the cue.
    """
    if cue.words not in ("号召", "呼吁") or not after:
        return False
    between = text[cue.end : after[0].start].lstrip("，,：: ")
    return not _CLAUSE_BREAK.search(between)


_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?：:\n]")


def zh_tags() -> dict[str, str]:
    """Jieba's word -> part-of-speech table (loaded once, with jieba's dictionary)."""
    if not _TAGS:
        import jieba

        jieba.setLogLevel(60)
        import jieba.posseg

        _TAGS.append(jieba.posseg.dt.word_tag_tab)
    return _TAGS[0]


def _zh_word(text: str, at: int, end: int, tags: dict[str, str]) -> tuple[str, str]:
    """The longest dictionary word at ``at`` (up to four characters) and its tag."""
    for n in (4, 3, 2, 1):
        w = text[at : min(end, at + n)]
        if len(w) == n and w in tags:
            return w, tags[w]
    return text[at : at + 1], ""


def governs_verb(text: str, at: int) -> bool:
    """Whether a verb phrase begins at ``at``, by jieba's dictionary.

    A verb after at most two adverbs (需要进一步加强): 需要 governs it. A noun, a particle, a
    preposition (以满足…需要为目的: the frame 以X为Y) or punctuation: 需要 is a noun.
    """
    tags = zh_tags()
    end = min(len(text), at + 12)
    for _ in range(3):
        w, tag = _zh_word(text, at, end, tags)
        if tag in ("d", "ad") and at + len(w) < end:
            at += len(w)
            continue
        return tag.startswith("v")
    return False


#: the tags of a noun phrase's words (nouns, names, places, time words) and of the modifiers
#: before them (adjectives, distinguishing words)
_NOMINAL = ("n", "nr", "ns", "nt", "nz", "t", "r")
_MODIFIER = ("a", "b")
_ZH_CLAUSE_END = re.compile("[，,；;。！？!?：:]")


def governs_clause(text: str, at: int) -> bool:
    """Whether a clause of its own (a noun phrase, then its predicate) begins at ``at``.

    需要新动能异军突起 ("new drivers need to emerge"), 需要远近结合: what is needed is that the
    noun do what follows; 需要 (a necessity) names no addressee. At most two modifiers and three
    nominal words, then a verb, an idiom or an adverb, and no 的 in the clause:
    需要长期稳定的国际环境 (a noun phrase object) and 需要和可能 (a conjunction) are none.
    """
    clause = _ZH_CLAUSE_END.search(text, at, at + 40)
    if "的" in text[at : clause.start() if clause else at + 40]:
        return False  # 需要速度更快…的信息网络: a noun phrase, the object of 需要
    tags = zh_tags()
    end = min(len(text), at + 16)
    nouns = mods = 0
    while at < end:
        w, tag = _zh_word(text, at, end, tags)
        if tag in _MODIFIER and not nouns and mods < 2:
            mods += 1
        elif tag in _NOMINAL and nouns < 3:
            nouns += 1
        else:
            return bool(nouns) and (tag.startswith("v") or tag in ("i", "l", "d"))
        at += len(w)
    return False


def _modal_in_word(text: str, token: tuple[int, int]) -> bool:
    """Whether a segmenter token that begins with 要 is the modal 要 + a verb (要带头, 要付).

    Jieba's dictionary keeps some such phrases as one word, with its floor frequency; a word of
    its own (要素, 要害, 要领, 要是, 要塞) is used more often than that, or its rest is no verb.
    """
    import jieba

    word = text[token[0] : token[1]]
    rest = zh_tags().get(word[1:], "")
    return rest.startswith("v") and jieba.dt.FREQ.get(word, 0) <= _PHRASE_FREQ


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
    #: a prohibition (不得, "must not"): the modality is the positive form's
    negative: bool = False


def find_cues(text: str, lang: str, tokens: Sequence[tuple[int, int]] | None = None) -> list[Cue]:
    """Every cue of ``text`` in order.

    Args:
        text: the text.
        lang: ``en`` or ``zh``.
        tokens: for Chinese, the segmenter's word spans (``(start, end)``) in text order, used
            to accept a one-character cue only when it is a word of its own.
    """
    out: list[Cue] = []
    if lang == "zh":

        def single(start: int, words: str) -> bool:
            # a binary search: nothing is built from the tokens (a 10 MB text has millions)
            assert tokens is not None
            i = bisect.bisect_left(tokens, (start, start + 1))
            if i < len(tokens) and tuple(tokens[i]) == (start, start + 1):
                return True
            if words != "要" or i >= len(tokens) or tokens[i][0] != start:
                return False
            return _modal_in_word(text, (tokens[i][0], tokens[i][1]))  # 企业要带头…

        for m in _ZH_RE.finditer(text):
            words = m.group()
            if words in _ZH_SINGLE and tokens is not None and not single(m.start(), words):
                continue
            modality = _ZH_CUES[words]
            after = text[m.end() : m.end() + 1]
            if words == "可以" and after == "说":
                continue  # 可以说: "one may say"
            if words == "将" and _BA_VERB.match(text, m.end()):
                continue  # the object marker
            if words == "要求" and (
                text[m.start() - 1 : m.start()] in _NOT_REQUIRE_BEFORE
                or after in ("，", "。", "；", "、", "和", "与", "的", "")
            ):
                continue  # the noun
            if words in ("号召", "呼吁") and (
                text[m.start() - 1 : m.start()] in _NOT_CALL_BEFORE
                or text[m.start() - 2 : m.start()] == "响应"
                or after in _NOT_CALL_AFTER
            ):
                continue  # the noun: 响应党的号召
            if words == "应" and _DUE.match(text, m.end()):
                continue  # 应纳税所得额: what is due
            if (
                words == "需要"
                and tokens is not None
                and not governs_verb(text, m.end())
                and (text[m.start() - 1 : m.start()] == "的" or not governs_clause(text, m.end()))
            ):
                continue  # the noun: 美好生活需要, 根据发展需要, 人民的需要
            if words in _OWN_CUES and _speaker_own(text, m.start()):
                modality = "commitment"
            out.append(Cue(m.start(), m.end(), words, modality, words in _NEGATIVE))
        return [c for i, c in enumerate(out) if not _reports_call(text, c, out[i + 1 : i + 2])]
    lowered = text.isascii()
    pattern, haystack = (_EN_RE_LOWER, text.lower()) if lowered else (_EN_RE, text)
    for m in pattern.finditer(haystack):
        words = text[m.start() : m.end()]
        key = " ".join(words.lower().split())
        if key == "may" and words[0] == "M":  # the month, not the modal
            continue
        if key == "where" and (
            words[0] != "W" or not _SENTENCE_START.search(text, max(0, m.start() - 4), m.start())
        ):
            continue  # "where" inside a sentence is no condition
        if key == "will" and _after_article(text, m.start()):
            continue  # "the political will"
        if key == "can" and _after_article(text, m.start()):
            continue
        if (
            key == "will"
            and _EFFORTS_BEFORE.search(text, max(0, m.start() - 40), m.start())
            and _BE_TAKEN.match(text, m.end())
        ):  # "Efforts will be made to ...": an undertaking
            out.append(Cue(m.start(), m.end(), words, "commitment"))
            continue
        if key in _EN_DIRECTING and _not_directing(text, m.start(), m.end(), key):
            continue  # "the urge to", "as called for in the plan", "the steps urged by experts"
        if key in OBJECT_CUES and key.endswith(" to") and not _OBJECT_TO.match(text, m.end()):
            continue  # "appealed to Y to act"; not "will appeal to investors"
        if key in _EN_AFTER_REPORTING and not _REPORTED_NEED.search(
            text, max(0, m.start() - 30), m.start()
        ):
            continue  # only "stressed the need to ...", not "meet the need to"
        if (
            key in ("strive to", "strives to")
            and out
            and text[out[-1].end : m.start()].strip() == ""
        ):
            continue  # "must strive to": one provision, its cue "must"
        modality, negative = _EN_CUES[key], key in _NEGATIVE or key in _EN_WIRE_NEGATIVE
        if key in OBJECT_CUES and CALLED_ALL.match(text, m.end()):
            modality = "recommendation"  # "called on the whole nation to": a call, as 号召 is
        if key in _NO_MODALS and _NO_SUBJECT.search(text, max(0, m.start() - 60), m.start()):
            modality, negative = _NO_MODALS[key], True  # "No entity shall ...": forbidden
        elif key in ("shall", "must", "should", "may") and (
            _NO_INVERTED.search(text, max(0, m.start() - 30), m.start())
            or _BE_NO.match(text, m.end())
        ):  # "Under no circumstances should ...", "There must be no ...": forbidden
            modality = "obligation" if key == "may" else modality
            negative = True
        out.append(Cue(m.start(), m.end(), words, modality, negative))
    return out


_REPORTED_NEED = EMPHASIS_BEFORE


def _after_article(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].lower().split()
    return bool(before) and before[-1] in ("the", "a", "political", "good", "free", "own")
