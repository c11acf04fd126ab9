"""Chinese mentions: a label that is only a part of a longer word or compound is no mention.

The rules of :func:`zh_compound_part` read jieba's dictionary and its segmentation (without its
HMM: deterministic) of the few characters around a label; :func:`measures_other_zh` tells
whether a figure after a term measures it or the noun the term modifies. The English rules and
the ambiguous labels: :mod:`policykg.authoring.annotate.mentions`.
"""

from __future__ import annotations

import functools
import re

from policykg.authoring.modality import zh_tags
from policykg.authoring.terms import Mention

__all__ = [
    "GENERIC_ZH",
    "MEASURE_NOUNS_ZH",
    "measures_other_zh",
    "modifies_noun_zh",
    "zh_compound_part",
]

#: single generic words that name a term of the lexicon but, in running text, are mostly a verb
#: or a piece of a longer phrase (发展 "develop", 技术 in 数字技术): never a mention in Chinese
#: (in English only as the whole noun phrase:
#: :data:`~policykg.authoring.annotate.mentions.GENERIC_EN`)
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

#: jieba's tags of a single character that binds to the noun after it as a modifier (新质生产力:
#: 新 a, 质 ng): adjectives, nouns, non-predicate adjectives, bound noun and adjective morphemes
_BOUND_TAGS = frozenset(["a", "ag", "an", "b", "n", "ng", "nz", "h"])
#: jieba's tags of a noun a modifier combines with (a verbal noun, vn, is an action whose
#: argument the term before it is: 数字经济发展 names the digital economy)
_NOUN_TAGS = frozenset(["n", "ng", "nz", "nt", "j", "l", "an"])
#: jieba's tags of a word that modifies the noun after it in a compound (nouns, adjectives,
#: distinguishing words, names (jieba tags some nouns so: 智慧), abbreviations, places, prefixes
#: such as 非; "" for a word jieba does not know)
_MODIFIER_TAGS = frozenset(
    ["", "a", "ag", "an", "b", "n", "ng", "nz", "nt", "ns", "nr", "j", "l", "s", "f", "h"]
)
#: the types of a term that names an action (a clause: 弘扬工匠精神), no compound
_ACTIONS = frozenset(["Task", "Goal"])
_HAN = re.compile(r"[\u4e00-\u9fff]+")
#: the characters jieba reads together in one run (its re_han_default)
_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]")
_BLOCK_HAN = re.compile(r"[\u4E00-\u9FD5]+")
#: the segmentation of the few characters around a mention, by the characters (texts repeat)
_WINDOWS: dict[str, tuple[tuple[str, int, int], ...]] = {}
#: the decisions on a label in its window, by the characters
_DECIDED: dict[tuple[str, int, int], bool] = {}
_REACH = 4


def _tokens_zh(window: str) -> tuple[tuple[str, int, int], ...]:
    """Jieba's words of ``window`` (without its HMM: deterministic), cached."""
    found = _WINDOWS.get(window)
    if found is None:
        import jieba

        jieba.setLogLevel(60)
        found = tuple(jieba.tokenize(window, HMM=False))
        if len(_WINDOWS) > 50_000:
            _WINDOWS.clear()
        _WINDOWS[window] = found
    return found


def _in_dict(word: str) -> bool:
    """Whether ``word`` is a word of jieba's dictionary (as its segmenter reads it)."""
    freq = _freq()
    return bool(freq.get(word))


@functools.cache
def _freq() -> dict[str, int]:
    import jieba

    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    table: dict[str, int] = jieba.dt.FREQ
    return table


def _decided(window: str, start: int, end: int) -> bool | None:
    """:func:`zh_compound_part` for ``window[start:end]`` from jieba's dictionary alone, if it can.

    jieba (without its HMM) reads words of its dictionary and single characters only: where no
    dictionary word could hold the label, end where it ends, or cross both its ends, only the
    character before it can make it a compound's part, and only where no word could end at (or
    cross) its start is that character a word of its own. ``None``: jieba must read the window.
    """
    # jieba reads each run of its word characters apart: the run around the label is enough
    lo, hi = start, end
    while lo > 0 and _BLOCK.match(window[lo - 1]):
        lo -= 1
    while hi < len(window) and _BLOCK.match(window[hi]):
        hi += 1
    window, start, end = window[lo:hi], start - lo, end - lo
    n = len(window)
    if not _BLOCK_HAN.fullmatch(window):
        return None  # jieba groups letters and digits into words its dictionary does not list
    across_start = across_end = False
    for i in range(start):
        for j in range(start + 1, n + 1):
            if _in_dict(window[i:j]):
                if j >= end:
                    return None  # a word may hold it
                across_start = True
    if _in_dict(window[start : end + 1]) and end < n:
        return None  # a word with a suffix (企业家)
    for i in range(start + 1, end):
        for j in range(end + 1, n + 1):
            if _in_dict(window[i:j]):
                across_end = True
                break
    if across_start and across_end:
        return None
    if start == 0 or _tag(window[start - 1]) not in _BOUND_TAGS:
        return False
    if across_start or any(_in_dict(window[i:start]) for i in range(start - 1)):
        return None
    char = window[start - 1]
    if char in _RESULTS or char == window[end - 1]:
        return None  # a verb's result (用好), a word's end (创新链): jieba must read it
    return True  # a single bound character before it


def _tag(word: str) -> str:
    return zh_tags().get(word, "")


#: the nouns of what a figure measures of a term (its output, profits, scale ...): a term before
#: one of them is still what the figure is about (企业利润增长: the enterprises' profits)
MEASURE_NOUNS_ZH = (
    "营业收入", "销售额", "增加值", "产量", "产值", "利润", "收入", "规模", "销量", "投资",
    "总量", "总额", "比重", "价格", "增速", "数量", "营收",
)  # fmt: skip
#: a change or level a figure states, and comparison words before it (同比增长, 比上年增长)
_FIGURE_VERB = re.compile(
    r"(?:同比|环比|比上年|较上年)?(?:增长|下降|提高|增加|减少|上涨|降低|上升|达到|达|突破|超过|为|占)"
)


def modifies_noun_zh(text: str, end: int, stop: int | None = None) -> bool:
    """Whether the word ending at ``end`` is followed at once by a noun it modifies.

    ``新能源`` in 新能源汽车产业 (a kind of vehicle industry, not new energy): jieba's first word
    of the text after ``end`` (up to ``stop``) is a noun.
    """
    limit = min(len(text), end + _REACH + 2, stop if stop is not None else len(text))
    after = text[end:limit]
    if not after or not _HAN.match(after):
        return False
    word = _tokens_zh(after)[0][0]
    return _tag(word) in _NOUN_TAGS


def measures_other_zh(text: str, end: int, at: int) -> bool:
    """Whether the figure at ``at`` measures something other than the term ending at ``end``.

    Between the term and the figure's verb (增长, 突破 ...) come only a noun of what is measured
    (:data:`MEASURE_NOUNS_ZH`) or nothing: the figure is about the term (企业利润增长10%). A
    noun before that (新能源汽车产量突破900万辆: 汽车) is what the term modifies, and the figure
    measures it, not the term.
    """
    verb = _FIGURE_VERB.search(text, end, at)
    words = text[end : verb.start() if verb else at].lstrip("的")
    for noun in MEASURE_NOUNS_ZH:
        if words.endswith(noun):
            words = words[: -len(noun)]
            break
    return bool(words) and modifies_noun_zh(words, 0)


def zh_compound_part(text: str, m: Mention, outer: Mention | None = None) -> bool:
    """Whether the Chinese mention ``m`` is only a part of a longer word or compound (issue 21).

    A label is no mention of its own where it is the head of a longer word or term, which names
    a kind of it (中小企业 are enterprises of a kind, 新质生产力 a kind of productive forces):

    * inside a longer term of the lexicon (``outer``): where it ends the term after a word that
      modifies it (a noun, an adjective: 企业 in 中小企业, 生产力 in 新质生产力), not after a verb
      (新质生产力 in 因地制宜发展新质生产力: the verb's object) or a function word (的), and not
      in a term that names an action (a Task or Goal: 弘扬工匠精神 is a clause, its terms its
      arguments); and a generic word (:data:`GENERIC_ZH`: 发展 in 经济发展) anywhere in a term;
    * in the text: where jieba reads it as the end of a longer word (能源 in 新能源, 企业 in
      小微企业, 中国 in 发展中国家) or as a word with a one-character suffix (企业 in 企业家, 工业
      in 工业化), or across two words (国企 in 各国企业), or where a single
      character that binds to it as a modifier comes right before it (新质生产力 when the lexicon
      has only 生产力: 质; not a verb's result, 用|好|人才, nor the end of a word before in a list
      without a conjunction, 创新|链|产业链), or where it is one common noun of jieba's after a
      modifier word of two characters or more (工业|企业, 社会|生产力, 新型|工业化:
      :func:`_head_after_modifier`).

    A word of jieba's that overlaps one end of the label only is an ambiguity of the segmenter,
    not a compound (财政赤字|率 holds 赤字率, 科技|创新能力 holds 科技创新): the label stays a
    mention. A label before a noun stays a mention (产业链 in 产业链供应链, 企业 in 企业利润,
    国内生产总值 in 国内生产总值增长): in a Chinese compound the first noun is most
    often what the second is of, which no structural rule tells from a modifier that makes a
    different thing (新能源 in 新能源汽车).
    """
    if outer is not None:
        if m.surface in GENERIC_ZH:
            return True
        if m.end != outer.end or m.start == outer.start or _ACTIONS.intersection(outer.term.types):
            return False  # a term that names an action is a clause: its terms are arguments
        before = _tokens_zh(text[max(outer.start, m.start - _REACH) : m.start])
        word = before[-1][0] if before else ""
        return bool(_HAN.match(word)) and _tag(word) in _MODIFIER_TAGS
    a = text.rfind("\n", max(0, m.start - _REACH), m.start) + 1 or max(0, m.start - _REACH)
    b = text.find("\n", m.end, m.end + _REACH)
    b = b if b >= 0 else min(len(text), m.end + _REACH)
    start, end = m.start - a, m.end - a
    window = text[a:b]
    key = (window, start, end)
    decided = _DECIDED.get(key)
    if decided is None:
        decided = _decided(window, start, end)
        if decided is None:
            decided = _read(window, start, end)
        decided = decided or _head_after_modifier(window, start, end)
        if len(_DECIDED) > 50_000:
            _DECIDED.clear()
        _DECIDED[key] = decided
    return decided


#: jieba's tags of a word of two characters or more that makes a kind of the noun after it (工业
#: 企业, 平台企业, 高技能人才, 乡村教师, 新型工业化): nouns, distinguishing words, abbreviations
_KIND_TAGS = frozenset(["n", "nz", "ng", "b", "j"])
#: words of those tags that rank, count or pick out members of a kind rather than name a kind of
#: it (重点企业 are enterprises that matter most; 部分企业, 所有企业), and verbs of policy speech
#: that jieba's dictionary tags as nouns or abbreviations (深化人才发展体制改革, 规范民办教育,
#: 代表国务院, 重塑产业链)
_NOT_KIND = frozenset(
    [
        "重点", "主要", "重要", "关键", "核心", "骨干", "所有", "全部", "全体", "部分", "个别",
        "广大", "众多", "大量", "一切", "其他", "其它", "其余", "现有", "原有", "同类", "各类",
        "各种", "各级", "一般", "深化", "重塑", "制约", "规范", "代表", "纪念", "领导", "指导",
        "保障", "支撑", "带动", "压实", "整治", "着力", "部署", "服务", "管理", "监管", "发展",
        "建设",
    ]
)  # fmt: skip
#: jieba's tags of verbs: a word that ends with a verb is a verb phrase jieba's dictionary holds
#: as one word (明显降低, 继续执行), not a modifier
_VERB_TAGS = frozenset(["v", "vd", "vi", "vg"])


def _verb_phrase(word: str) -> bool:
    """Whether a word of jieba's dictionary is a verb phrase (明显降低企业负担: 降低)."""
    if word in _NOT_KIND:
        return True
    return len(word) >= 3 and (_tag(word[-2:]) in _VERB_TAGS or word[-2:] in _NOT_KIND)


def _head_after_modifier(window: str, start: int, end: int) -> bool:
    """Whether the label ``window[start:end]`` heads a compound after a modifier of 2+ characters.

    A label that is one word of jieba's, a common noun (企业, 人才, 生产力; a name, 中国, never),
    after a noun or a distinguishing word that makes a kind of it (工业|企业, 平台|企业, 社会|
    生产力, 高技能|人才), or a verbal noun after a distinguishing word (新型|工业化), names that
    kind, not the label's own concept; after a verb, a preposition, a numeral or an evaluative
    word (支持|企业, 为|企业, 重点|企业) it stays a mention. Any label but a name is the head of
    a compound after a word that only ever modifies (:func:`_attributive`: 新型|经营主体, 科技型|
    中小企业). Two words that end alike are a list without a conjunction (产业链|供应链, 工业化|
    信息化), not a compound.
    """
    head = _tag(window[start:end])
    if head in ("n", "vn"):
        if not any(_in_dict(window[i:start]) for i in range(start - 1)):
            return False  # no word of two characters or more can end where the label begins
    elif head[:2] in ("ns", "nr", "nt") or not any(
        _in_dict(window[i:start]) and _attributive(window[i:start]) for i in range(start - 1)
    ):
        return False  # a name, or a phrase after no word that only modifies
    tokens = _tokens_zh(window)
    at = next((i for i, (_w, s, _e) in enumerate(tokens) if s == start), 0)  # 人才|培养 or 人才培养
    if at == 0 or tokens[at - 1][2] != start:
        return False
    word = tokens[at - 1][0]
    if len(word) < 2 or not _HAN.fullmatch(word) or _verb_phrase(word):
        return False
    if len(word) >= 3 and end - start >= 3 and word[-1] == window[end - 1]:
        return False  # a list without a conjunction
    if _attributive(word):
        return True
    tag = _tag(word)
    return tag == "b" if head == "vn" else head == "n" and tag in _KIND_TAGS


def _attributive(word: str) -> bool:
    """Whether ``word`` only ever modifies a noun (ranking and counting words left out).

    A distinguishing word (jieba's ``b``: 新型, 民营, 大型, 国家级) or a word made with 型 or 级
    (科技型, 创新型, 世界级); not 所有, 主要 (:data:`_NOT_KIND`).
    """
    return word not in _NOT_KIND and (_tag(word) == "b" or (len(word) >= 3 and word[-1] in "型级"))


def _read(window: str, start: int, end: int) -> bool:
    """:func:`zh_compound_part` for ``window[start:end]`` from jieba's reading of the window."""
    tokens = _tokens_zh(window)
    across_start = across_end = False
    for _w, s, e in tokens:
        if (s < start and e >= end) or (s == start and e == end + 1):
            return True  # the end of a longer word, or a word made with a suffix (企业家)
        across_start |= s < start < e
        across_end |= s < end < e
    if across_start and across_end:
        return True  # read across two words (各国|企业 holds no 国企)
    at = next((i for i, (_w, _s, e) in enumerate(tokens) if e == start), -1)
    if at < 0 or len(tokens[at][0]) != 1 or _tag(tokens[at][0]) not in _BOUND_TAGS:
        return False
    char = tokens[at][0]
    if char == window[end - 1]:
        return False  # the end of the word before, in a list without a conjunction (创新链产业链)
    word = tokens[at - 1][0] if at else ""
    return not (len(word) == 1 and _HAN.match(word) and char in _RESULTS)


#: adjectives that follow a one-character verb as its result (用好, 做强, 搞活, 做实, 抓牢), not
#: as a modifier of the noun after them (用|好|人才 "make good use of talent")
_RESULTS = frozenset("好强活实优足准牢透稳细")
