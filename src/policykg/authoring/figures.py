"""Figures in a text: percentages, ranks and amounts with units, and their qualifiers.

Only numbers with a unit are figures (``9.5 percent``, ``11th`` after ``ranked``, ``3.2 trillion
yuan``, ``百分之五点三``, ``9.5%``); dates, ordinals of plans and sessions and bare counts are not.
Numbers may be written in words when their value is exact: English number words (``twenty-five
percent``, ``two million tons``, ``half of``: 50 percent), Chinese numerals (``三千五百万吨``,
``十三亿人``, ``三成``: 30 percent, ``一半``: 50 percent). Words without one exact value (``a
third``, ``dozens``, ``several``, ``数十``) are never read as figures. One count is read from words:
``the only X among the top N`` (``前N中唯一的X``) is a count of 1 X in the group ``top N``.
The periods a text names: :mod:`policykg.authoring.periods`; which period a figure takes
(comparison bases, anchors opening a paragraph, headings):
:mod:`policykg.authoring.annotate.figuring`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from policykg.authoring.numbers import _SCALE, en_number, zh_number

__all__ = ["Figure", "en_number", "find_figures", "zh_number"]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ZH_DIGITS = "零〇一二两三四五六七八九十百千万亿点"
_ZH_NUM = rf"[\d.]+|[{_ZH_DIGITS}]+"

#: a count in words from one to ninety-nine
_EN_FIRST = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
    r"nineteen)"
)
#: a word of a number: a count or a scale
_EN_WORD = rf"(?:{_EN_FIRST}|hundred|thousand|million|billion|trillion)"
# a number in words begins with a count ("two million", "a hundred"), not a scale alone (the
# "trillion" of "3.2 trillion yuan" is read with its digits)
_EN_WORDS = (
    rf"(?:an? (?=hundred|thousand|million|billion|trillion){_EN_WORD}|{_EN_FIRST})"
    rf"(?:(?: and | |-){_EN_WORD})*"
)

_EN_QUAL = (
    r"(?P<qual>nearly|almost|over|more than|roughly|about|around|approximately|some|"
    r"up to|at least|less than|close to|above|below|under)\s+"
)
_EN_UNITS = {
    "percent": "percent",
    "per cent": "percent",
    "%": "percent",
    "percentage points": "percentage-point",
    "percentage point": "percentage-point",
    "yuan": "yuan",
    "dollars": "USD",
    "us dollars": "USD",
    "u.s. dollars": "USD",
    "euros": "EUR",
    "tons": "tonne",
    "tonnes": "tonne",
    "kilowatts": "kW",
    "gigawatts": "GW",
    "megawatts": "MW",
    "kilometers": "km",
    "kilometres": "km",
    "units": "unit",
    "vehicles": "vehicle",
    "people": "person",
    "times": "times",
}
_EN_FIGURE = re.compile(
    rf"(?:{_EN_QUAL})?(?P<cur>US\$|\$|€|¥|RMB\s?)?(?P<num>{_NUM})\s?"
    r"(?P<scale>thousand|million|billion|trillion)?\s?"
    r"(?P<unit>percentage points?|per ?cent\b|%|yuan\b|(?:US |U\.S\. )?dollars\b|euros\b|"
    r"tons\b|tonnes\b|kilowatts\b|gigawatts\b|megawatts\b|kilomet(?:er|re)s\b|units\b|"
    r"vehicles\b|people\b|times\b)?",
    re.IGNORECASE,
)
#: the noun a count in millions counts: up to three modifiers, then a plural noun
_EN_COUNTED = re.compile(
    r"\s*(?:(?:new|more|additional|urban|rural|registered|active|metric|annual|[a-z]+-[a-z]+)\s+)"
    r"{0,3}(?P<noun>[a-z]{3,}s|people)\b"
)
_EN_COUNT_UNITS = {"people": "person", "persons": "person", "tons": "tonne", "tonnes": "tonne"}
#: verbs that make a figure a lower bound: "surpassed", "exceeding", "topped"
_EN_OVER = re.compile(r"\b(?:surpass|exceed|top)(?:ed|es|s|ing)?\s+(?:the\s+)?$", re.I)
_EN_RANK = re.compile(
    r"\b(?P<verb>rank(?:ed|s|ing)?|placed|came)\s+(?:No\.\s?(?P<no>\d+)|(?P<num>\d+)(?:st|nd|rd|th)"
    r"|(?P<word>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth))\b",
    re.IGNORECASE,
)
_EN_UNIT_WORDS = (
    r"(?P<unit>percentage points?|per ?cent\b|yuan\b|(?:US |U\.S\. )?dollars\b|euros\b|"
    r"tons\b|tonnes\b|kilowatts\b|gigawatts\b|megawatts\b|kilomet(?:er|re)s\b|units\b|"
    r"vehicles\b|people\b)"
)
# "twenty-five percent", "two million tons"; "times" is left out (words: "three times" is
# mostly how often, not a multiple)
_EN_WORD_FIGURE = re.compile(
    rf"\b(?:{_EN_QUAL})?(?P<num>{_EN_WORDS})\s+{_EN_UNIT_WORDS}", re.IGNORECASE
)
#: words one of which a figure in words needs nearby (a cheap test before the patterns)
_EN_UNIT_HINTS = (
    "percent",
    "per cent",
    "percentage point",
    "yuan",
    "dollars",
    "euros",
    "tons",
    "tonnes",
    "watts",
    "kilomet",
    "units",
    "vehicles",
    "people",
)
# "half of the enterprises" (50 percent); not "the first half of the year" (a period)
_EN_HALF = re.compile(
    r"(?i)(?<!first )(?<!second )(?<!the )(?<!latter )(?<!a )\b(?:(?P<qual>nearly|almost|over|"
    r"more than|roughly|about|around|less than|close to) )?(?:one )?half of\b"
    r"(?! the year| this year| last year| (?:19|20)\d\d)"
)
# "the only middle-income economy among the top 30": a count of 1 in the group "top 30"
_EN_ONLY = re.compile(
    r"(?i)\bthe only (?P<what>(?:[\w-]+ ){0,4}?[\w-]+) (?:among|of|in) the (?P<group>(?:top|"
    r"first|leading) (?:\d+|" + _EN_WORD + r"))\b"
)
_DIGIT = re.compile(r"\d")
_RANK_WORD = re.compile(r"(?i)\b(?:rank|placed|came)")
# fmt: off
_ORDINALS = {w: i + 1 for i, w in enumerate([
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
])}
# fmt: on
_ZH_FIGURE = re.compile(
    rf"(?P<qual>近|接近|将近|超过|突破|超|逾|约|大约|达到|达)?"
    rf"(?:百分之(?P<pct>{_ZH_NUM})|(?<![几数])(?P<num>{_ZH_NUM})\s*(?P<scale>万亿|亿|万)?\s*"
    r"(?P<unit>[%％]|个百分点|元|美元|吨|千瓦|辆|件|家|人|斤|亩|公里|户)|第(?P<rank>[\d一二三四五六七八九十]+)(?:位|名)"
    r"|(?<![几数一二两三四五六七八九十])(?P<cheng>[一二两三四五六七八九])成(?![为功立长熟本果绩就员])|(?P<half>一半))"
    r"(?P<after>以上|左右|以下)?"
)
# 前三十中唯一的中等收入经济体 / 唯一进入前30的中等收入经济体: a count of 1
_ZH_ONLY = re.compile(
    r"(?:(?P<group1>前[\d一二三四五六七八九十百]+(?:名|位)?)(?:中|之中|当中)?唯一(?:一个)?的?"
    r"|唯一(?:一个)?(?:进入|跻身|位列)(?P<group2>前[\d一二三四五六七八九十百]+(?:名|位)?)的)"
    r"(?P<what>[\u4e00-\u9fff]{2,12}?)(?=[，,。；;、）)]|$)"
)
#: a number of people whose unit the subject names ("贫困人口减少1200万", "参保人数达到3亿以上"):
#: 万 / 亿 with no unit of its own after a population in the same clause
_ZH_PEOPLE = re.compile(
    r"(?:人口|人数)(?:共|累计|净|新增)?(?:减少了?|增加了?|达到|达|为|增长)?(?P<fig>(?P<qual>近|超过|突破|约)?(?P<num>\d+(?:\.\d+)?)"
    r"(?P<scale>万亿|亿|万)(?P<after>以上|左右)?)(?![\d.万亿%％元吨人户家件辆斤亩美公千个])"
)
_ZH_UNITS = {
    "%": "percent",
    "％": "percent",
    "个百分点": "percentage-point",
    "元": "yuan",
    "美元": "USD",
    "吨": "tonne",
    "千瓦": "kW",
    "辆": "vehicle",
    "件": "unit",
    "家": "enterprise",
    "人": "person",
    "斤": "jin",
    "亩": "mu",
    "公里": "km",
    "户": "household",
}
#: set phrases with numerals that count nothing (千行百业 "all industries", 一带一路 "the Belt
#: and Road"): blanked before the figures are read
_ZH_IDIOMS = re.compile(
    "千行百业|千家万户|一带一路|千方百计|万众一心|一心一意|四面八方|五湖四海|千千万万|百花齐放|"
    "百家争鸣|十全十美|万无一失|千载难逢|一系列|一揽子|一体化|一国两制|三农|一以贯之|一张蓝图|"
    "千山万水|万紫千红|一往无前|百年未有|一流"
)
_ZH_QUAL = {
    "近": "nearly",
    "接近": "nearly",
    "将近": "nearly",
    "超过": "over",
    "突破": "over",
    "超": "over",
    "逾": "over",
    "约": "roughly",
    "大约": "roughly",
    "以上": "over",
    "左右": "roughly",
    "以下": "under",
}
_ZH_IDIOM_HINT = re.compile("[一两三四五六七八九十百千万]")
#: a character every Chinese figure has (a digit, a point or a Chinese numeral: 百分之 and 第 are
#: followed by one, 一半 and 三成 hold one): a text without any has no figure
_ZH_ANY_NUMERAL = re.compile(rf"[\d.{_ZH_DIGITS}]")
_ZH_SCALE = {"万": 10**4, "亿": 10**8, "万亿": 10**12}


@dataclass(frozen=True)
class Figure:
    """A number with its unit, as the text states it.

    Attributes:
        start: offset of the figure's words (qualifier included); ``end`` exclusive.
        value: the number (scaled: ``3.2 trillion`` is 3200000000000).
        unit: a unit code (``percent``, ``rank``, ``yuan``, ...).
        qualifier: ``nearly``, ``over``, ``roughly``, ... (normalised), or ``None``.
        words: the text of the figure.
        counted: for a count (unit ``count``), the words naming what is counted
            (``middle-income economy``), at ``counted_at`` (offset in the same text).
        group: for a count, the group counted in (``top 30``).
        upper: for a range (``6.5%－7%``, ``6 to 7 percent``), its upper bound; ``value`` is
            the lower.
    """

    start: int
    end: int
    value: Decimal
    unit: str
    qualifier: str | None
    words: str
    counted: str | None = None
    group: str | None = None
    counted_at: int = -1
    upper: Decimal | None = None


def _qual_en(q: str | None) -> str | None:
    if not q:
        return None
    q = q.lower()
    return {
        "more than": "over",
        "above": "over",
        "about": "roughly",
        "around": "roughly",
        "approximately": "roughly",
        "some": "roughly",
        "almost": "nearly",
        "close to": "nearly",
        "below": "under",
        "less than": "under",
    }.get(q, q)


def find_figures(text: str, lang: str) -> list[Figure]:
    """Every figure of ``text`` in order of offset (``lang``: ``en`` or ``zh``)."""
    out: list[Figure] = []
    if lang == "zh":
        if not _ZH_ANY_NUMERAL.search(text):
            return out
        scan = (
            _ZH_IDIOMS.sub(lambda i: "\u3000" * len(i.group()), text)
            if _ZH_IDIOM_HINT.search(text)
            else text
        )
        for m in _ZH_FIGURE.finditer(scan):
            qual = _ZH_QUAL.get(m.group("qual") or "") or _ZH_QUAL.get(m.group("after") or "")
            if m.group("pct"):
                value, unit = zh_number(m.group("pct")), "percent"
            elif m.group("cheng"):
                digit = zh_number(m.group("cheng"))
                value, unit = (digit * 10 if digit is not None else None), "percent"
            elif m.group("half"):
                value, unit = Decimal(50), "percent"
            elif m.group("rank"):
                value, unit = zh_number(m.group("rank")), "rank"
                qual = None
            else:
                value = zh_number(m.group("num"))
                unit = _ZH_UNITS[m.group("unit")]
                if value is not None and m.group("scale"):
                    value *= _ZH_SCALE[m.group("scale")]
            if value is None:
                continue
            start = m.start()
            if m.group("qual") in ("达", "达到"):
                start = m.start("qual") + len(m.group("qual"))
            out.append(Figure(start, m.end(), value, unit, qual, text[start : m.end()]))
        for m in _ZH_PEOPLE.finditer(scan) if "人" in text else ():
            value = zh_number(m.group("num"))
            if value is not None:
                value *= _ZH_SCALE[m.group("scale")]
                qual = _ZH_QUAL.get(m.group("qual") or "") or _ZH_QUAL.get(m.group("after") or "")
                out.append(Figure(m.start("fig"), m.end(), value, "person", qual, m.group("fig")))
        for m in _ZH_ONLY.finditer(text) if "唯一" in text else ():
            out.append(_only_one(m, m.group("group1") or m.group("group2")))
        out.sort(key=lambda f: f.start)
        return _ranges(text, out, _ZH_RANGE)
    low = text.lower()
    units = any(u in low for u in _EN_UNIT_HINTS)
    if units or "half of" in low or "the only " in low:
        out += _en_word_figures(text, low, units=units)
    if not _DIGIT.search(text) and not _RANK_WORD.search(text):
        out.sort(key=lambda f: f.start)
        return out
    for m in _EN_RANK.finditer(text):
        n = m.group("no") or m.group("num")
        value = Decimal(n) if n else Decimal(_ORDINALS[m.group("word").lower()])
        start = m.end("verb") + 1
        out.append(Figure(start, m.end(), value, "rank", None, text[start : m.end()]))
    for m in _EN_FIGURE.finditer(text) if _DIGIT.search(text) else ():
        unit_words = m.group("unit")
        cur = m.group("cur")
        counted = None
        if not unit_words and not cur and m.group("scale"):
            # "over 12 million new urban jobs", "715 million metric tons": a count of its noun
            counted = _EN_COUNTED.match(text, m.end())
        if not unit_words and not cur and counted is None:
            continue
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ".,"):
            continue
        value = Decimal(m.group("num").replace(",", ""))
        if m.group("scale"):
            value *= _SCALE[m.group("scale").lower()]
        end = m.end()
        if counted is not None:
            noun = counted.group("noun").lower()
            unit = _EN_COUNT_UNITS.get(noun, noun[:-1] if noun.endswith("s") else noun)
            end = counted.end()
        elif unit_words:
            unit = _EN_UNITS.get(re.sub(r"\s+", " ", unit_words.lower()), unit_words.lower())
        else:
            unit = {"$": "USD", "us$": "USD", "€": "EUR", "¥": "yuan"}.get(
                cur.strip().lower(), "yuan"
            )
        while end > m.start() and text[end - 1].isspace():
            end -= 1
        qual = _qual_en(m.group("qual"))
        if qual is None and _EN_OVER.search(text, max(0, m.start() - 24), m.start()):
            qual = "over"  # "surpassed 25 trillion yuan", "exceeding 1 billion"
        out.append(Figure(m.start(), end, value, unit, qual, text[m.start() : end]))
    out.sort(key=lambda f: f.start)
    return _ranges(text, out, _EN_RANGE)


#: the lower bound of a range and its separator, right before the upper bound's figure: the lower
#: number bare or with the same percent sign ("6.5%－7%", "6－7%", "6.5%至7%", "6.5 to 7 percent",
#: "between 6.5 and 7 percent"); a date span ("2021-2025年") has no unit and is no figure
_ZH_RANGE = re.compile(rf"(?<![\d.,])(?P<num>{_NUM})\s*[%％]?\s*[-－–—~～至到]\s*$")
_EN_RANGE = re.compile(
    rf"(?i)(?:\bbetween\s+(?P<num>{_NUM})\s*(?:%|per ?cent)?\s+and\s+"
    rf"|(?<![\d.,])(?P<num2>{_NUM})\s*(?:(?:%|per ?cent)?\s*[-–—]|\s+to\b)\s*)$"
)
#: before a change's start ("rose from 46.9% to 48.2%", "由46.9%提高到48.2%"): no range
_FROM = re.compile(r"(?i)(?:\bfrom|[从由])\s*$")
_FIRST_NUM = re.compile(_NUM)
#: what both range patterns end with (a cheap test before them: most figures follow none)
_CONNECTORS = ("-", "－", "–", "—", "~", "～", "至", "到", "to", "and")


def _ranges(text: str, figs: list[Figure], pattern: re.Pattern[str]) -> list[Figure]:
    """Read "A－B unit" as one figure from A to B, not as B alone or as two figures.

    The lower number takes the upper's unit and scale ("6.5-7 trillion yuan"); it must be smaller
    than the upper bound (else the two are not a range). The figure's qualifier is the upper's.
    """
    out: list[Figure] = []
    for f in figs:
        window = max(0, f.start - 40)
        if not text[window : f.start].rstrip().lower().endswith(_CONNECTORS):
            out.append(f)  # no range word or dash before it: not the upper bound of a range
            continue
        raw = _FIRST_NUM.search(f.words)
        m = pattern.search(text, window, f.start) if raw else None
        if (
            raw is None
            or m is None
            or f.unit in ("rank", "count")
            or f.words[: raw.start()].strip()  # a qualifier before the upper bound
            or _FROM.search(text, max(0, m.start() - 6), m.start())
        ):
            out.append(f)
            continue
        num = m.group("num") or m.groupdict().get("num2")
        assert num is not None
        lower = Decimal(num.replace(",", "")) * (f.value / Decimal(raw.group().replace(",", "")))
        if not lower < f.value:
            out.append(f)
            continue
        while out and out[-1].start >= m.start():
            out.pop()  # the lower bound read as a figure of its own
        start = m.start()
        out.append(
            Figure(start, f.end, lower, f.unit, f.qualifier, text[start : f.end], upper=f.value)
        )
    return out


def _en_word_figures(text: str, low: str, *, units: bool) -> list[Figure]:
    """Figures in words: numbers with a unit, ``half of``, ``the only X among the top N``."""
    out: list[Figure] = []
    for m in _EN_WORD_FIGURE.finditer(text) if units else ():
        value = en_number(m.group("num"))
        if value is None:
            continue
        unit_words = re.sub(r"\s+", " ", m.group("unit").lower())
        unit = _EN_UNITS.get(unit_words, unit_words)
        out.append(Figure(m.start(), m.end(), value, unit, _qual_en(m.group("qual")), m.group()))
    for m in _EN_HALF.finditer(text) if "half of" in low else ():
        out.append(
            Figure(
                m.start(),
                m.end() - 3,
                Decimal(50),
                "percent",
                _qual_en(m.group("qual")),
                text[m.start() : m.end() - 3],
            )
        )
    for m in _EN_ONLY.finditer(text) if "the only " in low else ():
        group = m.group("group")
        n = group.partition(" ")[2]
        if not n.isdigit() and en_number(n) is None:
            continue
        out.append(_only_one(m, group))
    return out


def _only_one(m: re.Match[str], group: str) -> Figure:
    """A count of 1 of ``what`` in ``group``: "the only X among the top N", 前N中唯一的X."""
    return Figure(
        m.start(), m.end(), Decimal(1), "count", None, m.group(), m.group("what"), group,
        m.start("what"),
    )  # fmt: skip
