"""Speakers and addressees: who states a provision, whom it asks, and the cue-less task sentence.

The conventions (docs/DESIGN.md, the lead's decisions on modality) as the drafter applies them:

- **reported speech**: ``X强调/指出/表示/要求，…``, ``X在…时强调``, ``X said``, ``according to
  X``, ``…, he said`` and ``He emphasized the need to …`` (``he``/``she`` is the last person the
  text named) make X the provision's speaker (``stated_by``), never its addressee. X is a
  known person or a new one named by the words (a Chinese name after a common surname, with or
  without a title such as 总书记; an English name of two or three capitalised words).
- **English wire copy** (:mod:`~policykg.authoring.annotate.wire`, docs/annotate-en.md): a
  reporting clause before a cue, or trailing it (", Li said, adding that …"), names its speaker.
- **addressees beyond the lexicon**: collective actors a text directs without naming one body
  (各地区各部门, 地方各级政府, 企业, 金融机构; "localities", "local governments",
  "enterprises") are proposed as new ``CollectiveActor`` entities when they are the subject
  before the cue, or the object of 要求 / 鼓励 / "encourage" / "urged"; in English any noun
  phrase whose head names a kind of actor (:func:`en_collective_actors`).
- **cue-less task sentences** of a Chinese report (推动…、实施…、加快…、支持…、坚持…): a
  sentence that opens with a task verb (after optional adverbs such as 大力, 加快, 深入) and
  has no modal word is a commitment of the issuing government, its cue the opening words, with
  no addressee; not in a section that reviews the past year (一、…工作回顾).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policykg.authoring.annotate.vocab import _EN_OBJECT_TO, _EN_TAIL_PURPOSE
from policykg.authoring.annotate.wire import _EN_FUNCTION
from policykg.authoring.modality import Cue
from policykg.authoring.reporting import CALLED_ALL, OBJECT_CUES
from policykg.authoring.terms import Mention

# -- reported speech ------------------------------------------------------------------------------

#: common Chinese surnames (one character; a name is the surname and one or two characters)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤习温胡韩栗汪赵蔡丁尤"
)
_TITLES = (
    "总书记|国家主席|主席|国务院总理|总理|副总理|委员长|部长|副部长|书记|省长|市长|主任|院长|"
    "行长|发言人|同志"
)
_ZH_VERBS = "强调|指出|表示|要求|说|提出|宣布|认为"
#: ``李强在主持学习时强调，`` / ``习近平总书记强调`` / ``王毅表示：`` (the name is group 1)
_ZH_SPEECH = re.compile(
    rf"(?:^|[，,。；;：:“])(?:[^，,。；;]{{0,12}}?)"
    rf"(?P<name>[{_SURNAMES}][\u4e00-\u9fff]{{1,2}}?)(?P<title>{_TITLES})?"
    rf"(?:在[^，,。；;]{{1,40}}?(?:时|上|中|期间|之际))?(?:[，,]?(?:再次|多次|进一步|明确|特别)?)"
    rf"(?P<verb>{_ZH_VERBS})(?=[，,：:“])"
)
#: ``他指出，`` / ``她还强调，``: the last person the text named speaks again
_ZH_PRONOUN_SPEECH = re.compile(
    rf"(?:^|(?<=[，,。；;：:\s]))(?P<name>他|她)(?:还|也|同时|进一步|再次|特别)?"
    rf"(?:{_ZH_VERBS})(?=[，,：:“])"
)


def zh_speakers(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the names of the Chinese reported speakers of a sentence, in order.

    A cue's speaker is the last of them that ends before it. A pronoun (他指出，…) is a span of
    one character, 他 or 她: the last person the text named.
    """
    named = [
        (start + m.start("name"), start + m.end("name"))
        for m in _ZH_SPEECH.finditer(text[start:end])  # ^ is the sentence's start
    ]
    pronouns = [m.span("name") for m in _ZH_PRONOUN_SPEECH.finditer(text, start, end)]
    return sorted([*named, *pronouns]) if pronouns else named


# -- collective addressees ------------------------------------------------------------------------

_ZH_ACTORS = re.compile(
    r"地方各级政府|各级党委和政府|各级政府|各地区各部门|各地区|各部门|各地方|各地|领导干部|党员干部|"
    # a government named by its level (县级政府, 地方政府, 省市县政府): a body, not the speaker
    r"(?:地方|基层|省级|市级|县级|乡级|乡镇|省市县|市县|省|市|县)(?:各级)?(?:人民)?政府|"
    r"各省区市|各省份|各有关部门|有关部门|全国各族人民|全国人民|广大干部群众|广大党员干部|"
    r"国有企业|民营企业|中小企业|外资企业|企业|金融机构|商业银行|银行|高校|科研院所|科研机构|"
    r"经营主体|市场主体|社会资本|全社会|社会各界"
)
_EN_ACTORS = re.compile(
    r"\b(?:[Ll]ocal governments(?: at all levels)?|[Gg]overnments at all levels|[Ll]ocalities|"
    r"[Ll]ocal authorities|[Aa]ll regions and departments|[Dd]epartments|[Ee]nterprises|"
    r"[Bb]usinesses|[Cc]ompanies|[Ff]irms|[Ff]inancial institutions|[Bb]anks|[Uu]niversities|"
    r"[Rr]esearch institutes|[Mm]arket entities)\b"
)


def collective_actors(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """The spans of collective actors (各地区各部门, "localities") in ``text[start:end]``."""
    if lang == "en":
        return en_collective_actors(text, start, end)
    pattern = _ZH_ACTORS if lang == "zh" else _EN_ACTORS
    return [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]


#: a leading purpose clause (为推动…，/ 为了… / "To help …," / "In order to …,"): nothing in it
#: is addressed
_PURPOSE_LEAD = {
    "zh": re.compile(r"(?:为了|为)[^，,。；;]{1,60}[，,]"),
    "en": re.compile(r"(?:[Ii]n order to|[Tt]o|[Ss]o as to)\s[^,;.]{1,120},"),
}


def en_tail_purpose(
    text: str, start: int, end: int, cues: Sequence[Cue]
) -> tuple[int, int, int] | None:
    """The purpose that ends an English sentence after a comma (", to ensure that ...").

    ``(comma, words, end)``. None when an object cue before it still waits for its own "to"
    ("called on the public, in particular the young, to vote": "to vote" is what is asked).
    """
    m = _EN_TAIL_PURPOSE.search(text, start, end)
    if m is None:
        return None
    for c in cues:
        key = " ".join(c.words.lower().split())
        if (
            c.end <= m.start()
            and key in OBJECT_CUES
            and not _EN_OBJECT_TO.match(text, c.end, m.start())
        ):
            return None
    return m.start(), m.start("what"), m.end("what")


def people_object(text: str, at: int) -> tuple[int, int] | None:
    """The whole people a directing verb ending at ``at`` names before its "to", if any.

    "the people of all ethnic groups", "the whole nation" (the article left out; not "all").
    """
    m = CALLED_ALL.match(text, at)
    to = _EN_OBJECT_TO.match(text, m.start()) if m else None
    if m is None or to is None:
        return None
    words = to.group().strip()[:-2].strip()
    words = words[4:] if words.startswith("the ") else words
    if words.lower() == "all":
        return None
    a = text.index(words, m.start())
    return a, a + len(words)


def purpose_lead(text: str, start: int, cue_at: int, lang: str) -> int:
    """Where the words before a cue begin once a leading purpose clause is left out."""
    m = _PURPOSE_LEAD[lang].match(text, start, cue_at)
    return m.end() if m else start


# -- cue-less task sentences ----------------------------------------------------------------------

_TASK_VERBS = (
    "推进|推动|促进|实施|加强|加快|支持|坚持|强化|深化|完善|提升|提高|扩大|发挥|改进|开展|培育|引导|"
    "启动|落实|激励|搭建|丰富|改革|优化|健全|构建|建立|建设|抓好|做好|保持|稳定|保障|维护|弘扬|统筹|增强|巩固|加大|推广|"
    "实行|规范|打造|发展|用好|办好|守住|筑牢|防范|化解|整治|治理|降低|减少|增加|拓展|拓宽|畅通|打通|"
    "引进|吸引|制定|出台|修订|推出|设立|放宽|深入实施|着力|加紧|抓紧|注重|严格|稳妥|鼓励|扶持|"
    "深入推进|全面推进|积极推进|扎实推进|持续推进|大力发展|加快发展|加快建设|加快推进|加快构建|"
    "盘活|疏通|打击|压实|延续|清理|完成|使用|处理好|免征|退还|营造|防止|纠正|取消|简化|放开|开放|"
    "提供|推行|探索|组织|部署|安排|保护|整顿|严厉打击|坚守|守牢|兜牢|织密|夯实|筑牢|拓展|补齐|"
    "增加|改善|办好|管好|抓实|做实|严格落实|全面落实|认真落实|实施好|执行|延长|扩围|提升"
)
_TASK_ADVERBS = (
    "大力|着力|持续|深入|积极|全面|切实|坚定不移|坚决|继续|进一步|稳步|有序|充分|更好|更大力度|"
    "不断|努力|扎实|稳妥|依法|统筹|加快|协同|系统|适度|合理|重点|优先|主动|加速"
)
_N = "一二三四五六七八九十"
_TASK_LEAD = rf"(?:（[{_N}]+）|[{_N}]+是|第[{_N}]+[，,]?|同时[，,]|此外[，,])?"
#: a task sentence may open with a prepositional phrase before its verb ("对小规模纳税人阶段性
#: 免征增值税", "按照…要求，…"): the verb is then looked for in its first clause
_TASK_PREP = (
    "对|在|按照|用|运用|利用|依靠|依托|围绕|聚焦|针对|依法|以|通过|结合|根据|面向|"
    "一方面[，,]|另一方面[，,]"
)
_TASK = re.compile(
    rf"{_TASK_LEAD}(?:(?:{_TASK_PREP})[^，,。；;：:]{{0,24}}?)?"
    rf"(?P<cue>(?:{_TASK_ADVERBS}){{0,2}}(?:{_TASK_VERBS}))"
)
#: a section that reviews the past (一、2023年工作回顾) ends at the next numbered heading
_REVIEW_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^\n]{0,30}(?:回顾|过去)[^\n]*$", re.M)
_HEADING = re.compile(r"^[一二三四五六七八九十]+、[^\n]*$", re.M)

#: the task pattern, for the directed clauses of a sentence (:mod:`.clauses`), and its adverbs
TASK = _TASK
TASK_ADVERBS = _TASK_ADVERBS


def review_regions(text: str) -> list[tuple[int, int]]:
    """The spans of a Chinese report's sections that review the past year."""
    out: list[tuple[int, int]] = []
    for m in _REVIEW_HEADING.finditer(text):
        nxt = _HEADING.search(text, m.end())
        out.append((m.start(), nxt.start() if nxt else len(text)))
    return out


#: a frame clause (以X为指导, 以深化改革为主线, 以改革创新为根本动力): it says what guides the
#: tasks around it and directs nothing of its own (the verb inside X is no task)
FRAME = re.compile(r"以[^，,；;：:。]{1,40}为[\u4e00-\u9fff]{1,4}")


#: the first clause break after a task's verb
_FIRST_BREAK = re.compile(r"[，,；;。：:]")


def task_cue(
    text: str, start: int, end: int, cues: Sequence[Cue], regions: Sequence[tuple[int, int]]
) -> Cue | None:
    """The commitment of a cue-less Chinese task sentence (``推动…``), or ``None``."""
    if any(a <= start < b for a, b in regions):
        return None
    m = _TASK.match(text, start, end)
    if not m:
        return None
    cue_end = m.end("cue")
    first_break = _FIRST_BREAK.search(text, cue_end, end)
    clause_end = first_break.start() if first_break else end
    if FRAME.fullmatch(text, start, clause_end):
        return None  # 以X为导向，…: the clauses after the frame are the tasks
    if any(c.modality != "condition" and c.start < clause_end for c in cues):
        return None  # a modal word in the first clause decides
    words = m.group("cue")
    modality = "recommendation" if words.endswith("鼓励") else "commitment"
    return Cue(m.start("cue"), cue_end, words, modality)


def person_mention(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    """A known person's mention that overlaps ``[start, end)`` (the name, a title before it)."""
    for m in mentions:
        if m.start < end and start < m.end and "Person" in m.term.types:
            return m
    return None


# -- English collective actors: a noun phrase whose head names a kind of actor (issue 21) ---------

_EN_PLURAL_HEADS = (
    "governments|authorities|localities|departments|agencies|ministries|regions|provinces|"
    "municipalities|counties|cities|prefectures|townships|villages|bureaus|offices|"
    "commissions|committees|regulators|centers|centres|enterprises|businesses|companies|firms|banks|lenders|insurers|institutions|"
    "universities|colleges|schools|hospitals|institutes|entities|platforms|operators|employers|"
    "exporters|importers|manufacturers|producers|developers|investors|suppliers|providers|"
    "organizations|organisations|officials|cadres|applicants|licensees|individuals|"
    # the parties of legal text
    "consumers|users|owners|holders|residents|citizens|workers|employees|minors|passengers|"
    "drivers|students|tenants|landlords|buyers|sellers|vendors|merchants|contractors|carriers|"
    "borrowers|creditors|debtors|lessees|lessors|guarantors|purchasers|traders|parties"
)
#: a singular head names a kind of actor only after a determiner ("The operator shall ...",
#: "Each province shall ...", "No entity shall ...": the legal subject)
_EN_SINGULAR_HEADS = (
    "government|authority|locality|department|agency|ministry|province|municipality|county|"
    "city|regulator|center|centre|enterprise|"
    "company|firm|bank|lender|insurer|institution|university|hospital|entity|platform|operator|"
    "employer|exporter|importer|manufacturer|producer|developer|investor|supplier|provider|"
    "organization|organisation|official|applicant|licensee|individual|person|party|"
    "consumer|user|owner|holder|resident|citizen|worker|employee|minor|passenger|driver|"
    "student|tenant|landlord|buyer|seller|vendor|merchant|contractor|carrier|borrower|"
    "creditor|debtor|lessee|lessor|guarantor|purchaser|trader"
)
_EN_ACTOR_HEAD = re.compile(
    rf"\b(?:(?P<plural>{_EN_PLURAL_HEADS})|(?P<singular>{_EN_SINGULAR_HEADS}))\b"
    r"(?:\s+at all levels)?",
    re.IGNORECASE,
)
#: a plural noun coordinated with the head just before the verb: one subject
_EN_AND_PLURAL = re.compile(
    r"(?P<and>\s+(?:and|or)\s+[a-z][\w-]*s)\s+(?:should|must|shall|may|can|will|need|are)\b"
)
_EN_JOINED = re.compile(r"\s*,?\s*(?:and|or)\s+|\s*,\s*")
_EN_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_EN_DETERMINERS = frozenset(["the", "each", "every", "any", "no", "a", "an", "all", "relevant"])
_EN_NOT_MODIFIERS = frozenset(
    re.findall(
        r"[^|]+",
        f"{_EN_FUNCTION}|must|shall|should|may|can|will|would|not|also|all|each|every|any|no|"
        "other|such|these|those|this|their|our|we|they|it|be|been|has|have|had|who|which|said|or",
    )
)


def en_collective_actors(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """English collective actors in ``text[start:end]``, as spans.

    A plural head that names a kind of actor ("localities", "Financial institutions", "local
    governments at all levels") with up to three modifiers before it, or a singular one after a
    determiner ("The operator").
    """
    # the fixed phrases of the list ("All regions and departments") and the noun phrases around
    # a head; a span inside a longer one is left out
    out = [(m.start(), m.end()) for m in _EN_ACTORS.finditer(text, start, end)]
    for m in _EN_ACTOR_HEAD.finditer(text, start, end):
        a = m.start()
        lo = max(start, a - 60)
        words = list(_EN_WORD.finditer(text, lo, a))
        taken = 0
        for w in reversed(words):
            lw = w.group().lower()
            if text[w.end() : a] != " " or taken == 3:
                break
            if lw in _EN_NOT_MODIFIERS or lw.endswith("ly"):
                break
            if lw.endswith("ed") and "-" not in lw:  # a verb ("urged"), not "banking"
                break
            a, taken = w.start(), taken + 1
        if m.group("singular"):
            det = re.search(r"(\w+)\s+$", text[max(start, a - 12) : a])
            if det is None or det.group(1).lower() not in _EN_DETERMINERS:
                continue
        tail = _EN_AND_PLURAL.match(text, m.end())  # "regions and industries should"
        out.append((a, tail.end("and") if tail else m.end()))
    out.sort(key=lambda x: (x[0], -x[1]))
    kept: list[tuple[int, int]] = []
    for a, b in out:
        if any(x <= a and b <= y for x, y in kept):
            continue
        if kept and _EN_JOINED.fullmatch(text, kept[-1][1], a):
            kept[-1] = (kept[-1][0], b)  # "localities and departments": addressed together
        else:
            kept.append((a, b))
    return kept
