"""Periods a text names: years, halves, quarters, the first months of a year, month ranges.

A period is taken from the sentence's own words (``the first five months of this year``,
``上半年``, ``同比``); it is resolved to an ISO 8601 period only when the words name one outright
(``2024``) or when a reference date is given (``--date``) for words relative to it (``last
year``, 去年, 过去一年: the year that holds most of the twelve months before the date) — never
guessed. Which period a figure (:mod:`policykg.authoring.figures`) takes (comparison bases,
anchors opening a paragraph, headings): :mod:`policykg.authoring.annotate.figuring`.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass

from policykg.authoring.numbers import _EN_SMALL, zh_number

__all__ = ["Period", "find_periods"]


@dataclass(frozen=True)
class Period:
    """A period named by the text.

    Attributes:
        start: offset of its words in the text; ``end`` exclusive.
        label: the text's own words (``first five months of this year``).
        iso: the ISO 8601 period when the words or the reference date fix it, else ``None``.
    """

    start: int
    end: int
    label: str
    iso: str | None


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
#: The counts written as a word that a period names ("the first five months"): one to twelve.
_COUNT = {w: n for w, n in _EN_SMALL.items() if 1 <= n <= 12}
_EN_PERIOD = re.compile(
    r"\b(?:(?P<firstn>(?:the )?first (?P<n>two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"\d{1,2}) months(?: of (?P<nyear>this year|last year|the year|(?:19|20)\d\d))?)"
    r"|(?P<half>(?:the )?(?P<which>first|second) half(?: of (?P<hyear>this year|last year|the year|"
    r"(?:19|20)\d\d))?)"
    r"|(?P<quarter>(?:the )?(?P<q>first|second|third|fourth) quarter(?: of (?P<qyear>this year|"
    r"last year|the year|(?:19|20)\d\d))?)"
    r"|(?P<range>(?P<m1>January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (?:to|through|-|–) (?P<m2>January|February|March|April|May|June|July|"
    r"August|September|October|November|December)(?: (?P<ryear>(?:19|20)\d\d))?)"
    r"|(?P<thisyear>(?i:this year|last year|next year|the past year))"
    r"|(?P<present>(?i:at present|currently|so far this year))"
    r"|(?P<year>(?<![\d,.])(?<!\d, )(?:19|20)\d\d(?![\d]|-\d)))\b",
)
_ZH_PERIOD = re.compile(
    r"(?P<year>(?:19|20)\d\d年)?(?:(?P<thisyear>今年|去年|本年)?"
    r"(?:(?P<half>上半年|下半年)|(?P<q>[一二三四1-4])季度|前(?P<n>[\d一二三四五六七八九十]+)个?月"
    r"|(?P<m1>\d{1,2}|[一二三四五六七八九十]+)(?:月)?(?:至|到|—|-|～)(?P<m2>\d{1,2}|"
    r"[一二三四五六七八九十]+)月))"
    r"|(?P<yoy>同比)|(?P<year2>(?:19|20)\d\d年)"
    r"|(?P<thisyear2>今年|去年|前年|明年|(?<!以)上年|过去一年|过去的一年|一年来)"
)


#: a word every Chinese period holds (年, 季度, 月, 同比): a text without any names no period
_ZH_PERIOD_WORD = re.compile("[年月季]|同比")

#: the words of "the past year": the twelve months before the reference date, named by the
#: calendar year that holds most of them (the year before when the date falls in January to June)
_PAST_YEAR = ("过去一年", "过去的一年", "一年来", "the past year", "past year")


def _year_of(words: str | None, ref: _dt.date | None) -> int | None:
    low = words.lower() if words is not None else None
    if low is None or low in ("this year", "the year", "今年", "本年"):
        return ref.year if ref else None
    if ref is not None and low in _PAST_YEAR:
        return ref.year - 1 if ref.month <= 6 else ref.year
    relative = {"last year": -1, "去年": -1, "上年": -1, "前年": -2, "next year": 1, "明年": 1}
    if low in relative:
        return ref.year + relative[low] if ref else None
    digits = re.sub(r"\D", "", low)
    return int(digits) if digits else None


def _span(year: int | None, m1: int, m2: int) -> str | None:
    if year is None:
        return None
    return f"{year}-{m1:02d}" if m1 == m2 else f"{year}-{m1:02d}/{year}-{m2:02d}"


def find_periods(text: str, lang: str, ref: _dt.date | None) -> list[Period]:
    """Every period named in ``text``; ``ref`` resolves words relative to a date."""
    out: list[Period] = []
    if lang == "zh":
        if not _ZH_PERIOD_WORD.search(text):
            return out
        for m in _ZH_PERIOD.finditer(text):
            g = m.groupdict()
            if g["yoy"]:
                out.append(Period(m.start(), m.end(), m.group(), None))
                continue
            if g["year2"] or g["thisyear2"]:
                words = g["year2"] or g["thisyear2"]
                y = _year_of(words, ref)
                out.append(Period(m.start(), m.end(), m.group(), str(y) if y else None))
                continue
            year_words = g["year"] or g["thisyear"]
            y = _year_of(year_words, ref)
            if g["half"]:
                iso = _span(y, 1, 6) if g["half"] == "上半年" else _span(y, 7, 12)
            elif g["q"]:
                q = int(zh_number(g["q"]) or 1)
                iso = _span(y, 3 * q - 2, 3 * q)
            elif g["n"]:
                iso = _span(y, 1, int(zh_number(g["n"]) or 1))
            else:
                iso = _span(y, int(zh_number(g["m1"]) or 1), int(zh_number(g["m2"]) or 1))
            out.append(Period(m.start(), m.end(), m.group(), iso))
        return out
    for m in _EN_PERIOD.finditer(text):
        g = m.groupdict()
        words = m.group()
        if words.lower().startswith("the "):
            start = m.start() + 4
            words = words[4:]
        else:
            start = m.start()
        if g["firstn"]:
            n = g["n"]
            count = int(n) if n.isdigit() else _COUNT[n]
            iso = _span(_year_of(g["nyear"], ref), 1, count)
        elif g["half"]:
            y = _year_of(g["hyear"], ref)
            iso = _span(y, 1, 6) if g["which"] == "first" else _span(y, 7, 12)
        elif g["quarter"]:
            q = ["first", "second", "third", "fourth"].index(g["q"]) + 1
            iso = _span(_year_of(g["qyear"], ref), 3 * q - 2, 3 * q)
        elif g["range"]:
            iso = _span(
                _year_of(g["ryear"], ref), _MONTHS[g["m1"].lower()], _MONTHS[g["m2"].lower()]
            )
        elif g["thisyear"]:
            y = _year_of(g["thisyear"], ref)
            iso = str(y) if y else None
        elif g["present"]:
            iso = None
        else:
            iso = g["year"]
        out.append(Period(start, m.end(), words, iso))
    return out
