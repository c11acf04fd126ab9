"""Directed clauses of a Chinese sentence: one provision per clause (docs/conventions-zh.md).

A Chinese task sentence directs several things in clauses joined by "，" and "；"
(推动A，实施B，加快C。): each clause that opens with a verb is a provision of its own. Its modality
is the one that governs it:

- in a cue-less task sentence (it opens with a verb, or with a leading adverbial clause such as
  围绕…， before a verb), every verb-initial clause is a **commitment** of the speaking
  government, cued by its own opening verb, with no addressee;
- after a modal cue that governs a serial verb phrase (要, 必须, 应当, 需要, 力争, 将, 我们要 …,
  and a call: 号召，X团结…，坚持…), the verb-initial clauses that follow it have the cue's
  modality (要健全A，大幅增加B: two obligations) and its addressee;
- a frame clause (以X为指导, 以…为主线) directs nothing; first in a sentence, it leads the
  verb-initial clauses after it like 围绕…，;
- a cue that directs only its own clause (鼓励 X…, 要求 X…, 确保…, a prohibition 不得…)
  leaves the clauses after it to the sentence's own reading (鼓励A，优化B: B is a commitment of
  a task sentence);
- a goal cue (目标是：A；B) is left to the targets (one per figure), and a clause that opens
  with a subject, a result (使…, 让…) or an enumeration (包括…) directs nothing of its own;
- a clause whose verb is followed by 了 reports what was done, and the sections that review the
  past year are never read as tasks.

A clause opens with a verb when the task pattern of :mod:`.speech` matches there (adverbs, task
verbs, a leading prepositional phrase: 对…退还, 以…提升), or when its first word (after at most
two adverbs) is a verb in jieba's dictionary (tags ``v`` / ``vn``), so that a verb outside the
list is read too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from types import EllipsisType

from policykg.authoring.annotate.speech import FRAME, TASK, TASK_ADVERBS
from policykg.authoring.modality import _BA_VERB, _ZH_CUES, Cue, _zh_word, zh_tags

#: cues whose modality governs the serial verb phrases after them
# fmt: off
_GOVERNING = frozenset(
    [
        "要", "还要", "更要", "也要", "就要", "都要", "既要", "必须", "务必", "应当", "应该",
        "应", "需要", "亟需", "可以", "能够", "可", "将", "将会", "力争", "拟", "号召", "呼吁",
    ]
)
# fmt: on
#: first words that direct nothing of their own: results, enumerations, copulas, comparisons
# fmt: off
_NOT_DIRECTIVE = frozenset(
    [
        "使", "使得", "让", "包括", "包含", "有利于", "有助于", "作为", "是", "有", "成为",
        "达到", "达", "占", "比", "相当于", "意味着", "体现", "标志着", "说明", "表明", "显示",
        "看", "来看", "看到", "带动", "拉动", "导致", "造成", "考虑", "需", "像", "如", "即",
        "并", "且", "而", "同时", "其中", "加上", "超过", "低于", "高于", "增长", "下降", "上涨",
        "降低", "减少", "增加到", "从而", "进而", "以便", "以使", "才能", "才可能", "方能",
        "就能",
    ]
)
# fmt: on
_LEADS = ("同时", "并且", "并", "还", "也", "再")
#: a leading adverbial clause (围绕…，为…，按照…要求，) before the verb-initial ones
_LEADING = ("围绕", "为了", "为", "按照", "根据", "面向", "针对", "聚焦")
#: a cue followed by its means (要通过X，Y): the clause after the means is its action
_MEANS_AFTER = ("通过", "依靠", "借助", "利用", "运用")
_ADVERB_TAGS = frozenset(["d", "ad"])
_VERB_TAGS = frozenset(["v", "vn"])
_CLAUSE = re.compile(r"[^，,；;：:。！？!?]+")
#: a clause that places its object (将A提高到B, 把A作为B): directed, its cue the verb
_BA = re.compile("[将把]" + _BA_VERB.pattern.replace("(?:纳入", "(?P<v>纳入", 1))
#: a result clause (使他们能够…, 让…): a modal word in it directs nothing
_RESULT = ("使得", "使", "让", "以便", "以使")


def verb_opening(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the verb (with its adverbs) that opens the clause ``text[start:end]``."""
    ba = _BA.match(text, start, end)
    if ba:
        return ba.span("v")
    if text.startswith("不再", start):  # the government undertaking not to act
        return start, start + 2
    tags = zh_tags()
    m = TASK.match(text, start, end)
    if m:
        a, b = m.span("cue")
        if _zh_word(text, start, end, tags)[0] not in _NOT_DIRECTIVE:
            return a, b
    found = _jieba_opening(text, start, end, tags, False)
    if found is None:  # 大力 / 着力: the task adverbs jieba tags as nouns
        found = _jieba_opening(text, start, end, tags, True)
    return found


def _jieba_opening(
    text: str, start: int, end: int, tags: dict[str, str], task_adverbs: bool
) -> tuple[int, int] | None:
    """The opening verb by jieba's tags, after at most two adverbs (also the task adverbs)."""
    at = start
    for _ in range(3):  # at most two adverbs before the verb
        adverb = _ADVERB.match(text, at, end) if task_adverbs else None
        if adverb and adverb.end() < end:
            at = adverb.end()
            continue
        w, tag = _zh_word(text, at, end, tags)
        if w in _NOT_DIRECTIVE:
            return None
        if tag in _ADVERB_TAGS and at + len(w) < end:
            at += len(w)
            continue
        if tag in _VERB_TAGS and len(w) >= 2:
            return start, at + len(w)
        return None
    return None


def _past(text: str, end: int) -> bool:
    return "了" in text[end : end + 2]


def clause_cues(
    text: str,
    start: int,
    end: int,
    cues: Sequence[Cue],
    task: Cue | None,
    review: bool,
    purpose: tuple[int, int, int] | EllipsisType | None = ...,
) -> list[Cue]:
    """Cues for the directed clauses of the sentence ``text[start:end]`` that have none.

    Args:
        text: the text.
        start: where the sentence begins.
        end: where it ends.
        cues: the sentence's cues (modal and condition, in order), ``task`` among them.
        task: the commitment of a cue-less task sentence (:func:`.speech.task_cue`), if any.
        review: the sentence is in a section that reviews the past year.
        purpose: its :func:`trailing_purpose`, when the caller has read it.
    """
    if review:
        return []
    spans = [(m.start(), m.end()) for m in _CLAUSE.finditer(text, start, end)]
    if purpose is ...:
        purpose = trailing_purpose(text, start, end)
    if purpose is not None:  # a purpose that ends the sentence directs nothing of its own
        spans = [x for x in spans if x[0] <= purpose[0]]
    out: list[Cue] = []
    gov: Cue | None = task
    base: Cue | None = task
    modal = [c for c in cues if c.modality != "condition"]
    skip = False
    for i, (a, b) in enumerate(spans):
        lead = len(text[a:b]) - len(text[a:b].lstrip())
        a += lead
        for word in _LEADS if text.startswith(_LEADS, a) else ():
            # 同时…, 并…: a clause joined to the one before
            if text.startswith(word, a) and b - a > len(word) + 1:
                a += len(word)
                break
        own = [c for c in modal if a - lead <= c.start < b]
        after_semicolon = i > 0 and text[spans[i - 1][1] : spans[i - 1][1] + 1] in "；;"
        if skip:  # the action of a cue whose means came first
            skip = False
            continue
        frame = not own and _frame(text, a, b)
        if frame and i:
            continue
        if own:
            last = own[-1]
            skip = text.startswith(_MEANS_AFTER, last.end)
            if last.words in _GOVERNING or (last.modality == "commitment" and last is not task):
                gov = last
            elif last is not task:
                if i == 0 and own[0].start == a and base is None:
                    # 鼓励X…，Y: a task sentence that opens with a cue of its own clause
                    base = Cue(a, a, "", "commitment")
                gov = base  # 鼓励 / 确保 / 不得: its own clause only
            continue
        if i == 0 and task is None and not modal and len(spans) > 1 and not frame:
            # a serial task list whose verbs are not in the task list (修缮A，添置B)
            v, nxt = verb_opening(text, a, b), verb_opening(text, *spans[1])
            if v is not None and nxt is not None and not _past(text, v[1]):
                gov = base = Cue(v[0], v[1], text[v[0] : v[1]], "commitment")
                out.append(gov)
                continue
        if i == 0:
            # a leading adverbial clause (围绕…，为…，按照…要求，) before a verb-initial one
            if frame or text[a:b].startswith(_LEADING):
                # (after any further frames: 以A为基础，以B为引领，形成…)
                nxt = next((x for x in spans[1:] if not _frame(text, *x)), None)
                if nxt is not None and verb_opening(text, *nxt) is not None and not modal:
                    gov = base = Cue(a, a, "", "commitment")
            continue
        if after_semicolon and gov is None:
            # a clause after "；" may open a task of its own, like a sentence
            v = verb_opening(text, a, b)
            if v is not None and TASK.match(text, a, b) and not _past(text, v[1]):
                gov = base = Cue(v[0], v[1], text[v[0] : v[1]], "commitment")
                out.append(gov)
            continue
        if gov is None or (gov.modality == "intention" and "目标" in gov.words):
            continue
        v = verb_opening(text, a, b)
        if v is None or _past(text, v[1]):
            continue
        if text.startswith("不再", v[0]):
            out.append(Cue(v[0], v[1], "不再", "commitment", True))
            continue
        out.append(Cue(v[0], v[1], text[v[0] : v[1]], gov.modality, False))
    return out


def _frame(text: str, a: int, b: int) -> bool:
    """Whether the clause ``text[a:b]`` is a frame (以X为指导), leading blanks aside."""
    while a < b and text[a].isspace():
        a += 1
    return text.startswith("以", a) and FRAME.fullmatch(text, a, b) is not None


def in_result_clause(text: str, start: int, cue: Cue) -> bool:
    """Whether ``cue`` is in a result clause (使…能够, 让…可以) of a sentence from ``start``."""
    end = cue.start
    at = max(
        text.rfind("，", start, end),
        text.rfind(",", start, end),
        text.rfind("；", start, end),
        text.rfind(";", start, end),
        text.rfind("：", start, end),
        text.rfind(":", start, end),
    )
    a = at + 1 if at >= 0 else start
    return text.startswith(_RESULT, a)


def joined_word(text: str, cue: Cue) -> bool:
    """Whether the one-character cue 可 begins a longer dictionary word (可再生, 可持续)."""
    if cue.words != "可":
        return False
    return len(_zh_word(text, cue.start, cue.start + 4, zh_tags())[0]) > 1


#: words that may stand between a clause's start and its modal word without being its subject
_NO_SUBJECT = frozenset(
    ["也", "还", "都", "更", "均", "一律", "坚决", "严格", "同时", "并", "并且"]
)


_ADVERB = re.compile(f"(?:{TASK_ADVERBS})")


def verb_at(text: str, cue: Cue) -> int:
    """Where the verb of a verb cue (着力扩大, 更好发挥, 推动) begins, after its adverbs.

    A task's cue is its opening verb with its adverbs (docs/conventions-zh.md); the action is the
    verb phrase, so it begins at the verb, not after the cue (着力扩大国内需求: the action is
    扩大国内需求). A modal cue (要, 必须, 鼓励 …) and 不再 have no verb of their own: their action
    begins after them.
    """
    if cue.words in _ZH_CUES or cue.words in ("", "不再"):
        return cue.end
    at = cue.start
    tags = zh_tags()
    for _ in range(3):  # at most the adverbs the task pattern allows, and one more
        m = _ADVERB.match(text, at, cue.end)
        if m:
            nxt = m.end()
        else:
            w, tag = _zh_word(text, at, cue.end, tags)
            nxt = at + len(w) if tag in _ADVERB_TAGS else at
        if nxt in (at, cue.end):
            break
        at = nxt
    return at


#: the generic heads of collective actors that a modifier before them narrows (领军企业)
ACTOR_HEADS = frozenset(["企业", "金融机构", "机构", "银行", "高校", "科研院所", "科研机构"])
_MODIFIER_TAGS = frozenset(["a", "b", "j", "an"])
_NOT_MODIFIERS = frozenset(["这", "这些", "那些", "该", "此", "其", "有关", "相关", "对", "的"])


def modifier_start(text: str, floor: int, head: int) -> int:
    """Where the noun phrase of a collective head at ``head`` begins, if it begins at ``floor``.

    领军企业, 龙头企业, 科技型企业, 中小微企业: the words from ``floor`` (a clause's start, or
    the end of 鼓励 / 要求) to the head are nouns, adjectives or distinguishers (at most six
    characters; no 的, no pronoun, no verb): the text's own name for the actors. Otherwise
    ``head`` (the head alone).
    """
    if not 0 < head - floor <= 6:
        return head
    tags = zh_tags()
    at = floor
    while at < head:
        w, tag = _zh_word(text, at, head, tags)
        if w in _NOT_MODIFIERS or not (tag.startswith("n") or tag in _MODIFIER_TAGS):
            return head
        at += len(w)
    return floor


#: the last clause break before a position (the lookahead reaches the search's end)
_BREAK = re.compile("[，,；;：:](?=[^，,；;：:]*$)")
_COMMA = re.compile("[，,；;](?=[^，,；;]*$)")


def clause_start(text: str, floor: int, at: int, breaks: re.Pattern[str] = _BREAK) -> int:
    """Where the clause that holds ``at`` begins: after the last break before it, or ``floor``."""
    m = breaks.search(text, floor, at)
    return m.end() if m else floor


def verb_before(text: str, at: int, floor: int) -> bool:
    """Whether a verb comes before ``at`` in its clause (贯彻X, 扶持中小企业): X is its object.

    The clause begins after the last "，" / "；" / "：" before ``at`` (not before ``floor``); a
    verb is a dictionary word of two or more characters tagged ``v``.
    """
    tags = zh_tags()
    if any(tags.get(text[at - n : at]) == "v" for n in (2, 3, 4) if at - n >= floor):
        return True  # right before it (管理好X)
    pos = clause_start(text, floor, at)
    while pos < at:
        w, tag = _zh_word(text, pos, at, tags)
        if tag == "v" and len(w) >= 2:
            return True
        pos += len(w)
    return False


def in_word(text: str, at: int, floor: int) -> bool:
    """Whether the character at ``at`` ends or continues a dictionary word begun before it.

    A surname inside a word is no name: 从严治党要求 names no speaker 严治党 (从严 is a word).
    """
    tags = zh_tags()
    return any(text[a : at + 1] in tags for a in range(max(floor, at - 3), at))


def subjectless(text: str, start: int, cue_at: int) -> bool:
    """Whether the clause of a cue at ``cue_at`` names no subject of its own before it.

    The words from the clause's start (after "，" / "；" / the previous cue, from ``start``)
    to the cue are adverbs or conjunctions only (…，不得拖欠…; …，也要…): the clause is part of a
    topic chain, and its subject is the one named before (docs/conventions-zh.md).
    """
    at = clause_start(text, start, cue_at, _COMMA)
    tags = zh_tags()
    while at < cue_at:
        w, tag = _zh_word(text, at, cue_at, tags)
        if w not in _NO_SUBJECT and tag not in ("d", "ad", "c"):
            return False
        at += len(w)
    return True


def inherits(cue: Cue, clause_cues: Sequence[Cue]) -> bool:
    """Whether ``cue`` is one of the clause cues (it takes its governor's addressee)."""
    return any(c is cue for c in clause_cues)


#: what may stand between the terms of an object without being a word of it
_JOINERS = re.compile(r"(?:[、和及与或“”‘’《》\s]|以及)*")


def object_left(text: str, terms: Sequence[tuple[int, int]], end: int) -> bool:
    """Whether the object ending at ``end`` has words the terms (their spans) leave out.

    推进城市更新 with the term 城市: 更新 is left, so the verb phrase is the action, not the
    term; 发展数字经济和实体经济 with both terms: nothing but a conjunction is left.
    """
    pos = terms[0][0] if terms else end
    for a, b in sorted(terms):
        if a >= end:
            break
        if a > pos and not _JOINERS.fullmatch(text, pos, a):
            return True
        pos = max(pos, b)
    return pos < end and not _JOINERS.fullmatch(text, pos, end)


# -- a purpose clause that ends a sentence (docs/conventions-zh.md, "Purpose clauses") ------------

#: the verbs of a goal after 以 ("so as to"): verbs of change and support, a closed class (以创业
#: 带动就业, 以精工细作提升…: a noun before the verb is the means of a directed clause)
# fmt: off
_GOAL_VERBS = frozenset(
    [
        "增强", "提高", "提升", "促进", "稳定", "提振", "满足", "保障", "推动", "改善", "增进",
        "激发", "释放", "巩固", "降低", "减轻", "防范", "化解", "适应", "实现", "维护", "带动",
        "引导", "支持", "服务", "助力", "加快", "夯实", "筑牢", "确保", "更好满足", "利于",
    ]
)
_GOAL_ADVERBS = ("更好地", "更好", "更加", "有力", "有效", "切实", "进一步", "不断", "持续", "充分")
#: the support 为X提供… names (为高质量发展提供有力支撑): what the clause before serves
_SUPPORT = re.compile(
    r"为[^，,；;。]{1,30}?(?:提供|创造|营造|奠定|打下|注入|增添|作出)[^，,；;。]{0,8}?"
    r"(?:支撑|保障|支持|条件|基础|动力|助力|环境|空间|遵循|指引|贡献)$"
)
# fmt: on
_PURPOSE_MARKS = ("以便", "以利于", "以期", "从而", "进而")


def trailing_purpose(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """The purpose clause that ends the sentence (or its part after "；") ``text[start:end]``.

    ``(clause, words, end)``: where its comma is, where its words begin and end. 以 + a goal verb
    (，以有力提振市场信心), 以便 / 从而 …, and 为X提供支撑 / 创造条件 / 奠定基础 (the support of
    X): each says what the directed clauses before it are for, and directs nothing of its own.
    ``None`` when the last clause is none, or the sentence has no clause before it.
    """
    stop = end
    while stop > start and text[stop - 1] in "。！？!?；;\n ":
        stop -= 1
    comma = max(text.rfind("，", start, stop), text.rfind(",", start, stop))
    if comma < 0 or max(text.rfind("；", start, stop), text.rfind(";", start, stop)) > comma:
        return None
    a = comma + 1
    if text.startswith(_PURPOSE_MARKS, a):
        mark = next(m for m in _PURPOSE_MARKS if text.startswith(m, a))
        return comma, a + len(mark), stop
    if _SUPPORT.fullmatch(text, a, stop):
        return comma, a, stop
    if text.startswith("以", a) and not _frame(text, a, stop):
        at = a + 1
        for adverb in _GOAL_ADVERBS:
            if text.startswith(adverb, at):
                at += len(adverb)
                break
        if text.startswith(tuple(_GOAL_VERBS), at):
            return comma, a + 1, stop
    return None
