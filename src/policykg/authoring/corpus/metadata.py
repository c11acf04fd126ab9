"""A document's record read from its title and its title block, never guessed.

- **type**: a title ending in ``政府工作报告`` is a Government Work Report (issued by the State
  Council, ``kg:gwr-YYYY``, YYYY = the year in the title, which is the NPC session's year); a
  title ``第…届全国人民代表大会第…次会议关于政府工作报告的决议`` is the resolution of that NPC
  session (``kg:gwr-YYYY-resolution``). Any other title is refused (one line naming the record).
- **session**: a resolution's title names it; a report's title block does
  (``——2024年3月5日在第十四届全国人民代表大会第二次会议上``). The year of an NPC session follows
  from its term and number: the 12th NPC first met in 2013, the 13th in 2018, the 14th in 2023,
  one session a year.
- **date**: the title block's date (a report: the day it was delivered); a resolution's adoption
  line ``（2023年3月13日第十四届全国人民代表大会第一次会议通过）`` (the day it was adopted). Reports
  2014–2016, 2018 and 2019 and several resolutions have neither: their date is left out (and
  reported), never guessed.
- **delivered by**: the title block's line ``国务院总理李强`` (a report), or the resolution's
  ``听取和审议了国务院总理李克强所作的政府工作报告`` (stated by the resolution, about its report).
- **year**: the record's ``year`` must agree with the year its title gives; a title block line
  (``——…在…会议上``) without a date is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from policykg.authoring.corpus.records import Record
from policykg.core.errors import ParseError

__all__ = ["NPC_FIRST_YEAR", "DocumentInfo", "Session", "describe_record"]

#: The year each NPC (by term) held its first session.
NPC_FIRST_YEAR: dict[int, int] = {12: 2013, 13: 2018, 14: 2023}

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN = "[一二三四五六七八九十]+"
_REPORT_TITLE = re.compile(
    r"^(\d{4})年中华人民共和国国务院政府工作报告$|^政府工作报告[（(](\d{4})[）)]$"
)
_RESOLUTION_TITLE = re.compile(
    rf"^第({_CN})届全国人民代表大会第({_CN})次会议关于政府工作报告的决议$"
)
_SESSION = rf"第({_CN})届全国人民代表大会第({_CN})次会议"
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_BLOCK_LINE = re.compile(rf"^——(.*)在{_SESSION}上$")
_BLOCK_DATE = re.compile(rf"^{_DATE}$")
_ADOPTION = re.compile(rf"^[（(]{_DATE}{_SESSION}通过[）)]$")
_DELIVERER = re.compile(r"^国务院总理([\u4e00-\u9fff]{2,4})$")
_HEARD = re.compile(rf"{_SESSION}听取和审议了国务院总理([\u4e00-\u9fff]{{2,4}}?)所作的政府工作报告")
_APPROVES = re.compile(r"决定批准这个报告")


def _number(cn: str) -> int:
    """A Chinese numeral up to 99 (十, 十四, 二十一)."""
    if "十" not in cn:
        return _NUMERALS[cn]
    tens, _, units = cn.partition("十")
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)


@dataclass(frozen=True)
class Session:
    """A session of the National People's Congress: its term (13) and number (1, 2, ...)."""

    term: int
    number: int

    @property
    def year(self) -> int:
        """The year the session met."""
        first = NPC_FIRST_YEAR.get(self.term)
        if first is None:
            raise ParseError(f"the year of the {self.term}th NPC is not known to policykg")
        return first + self.number - 1

    @property
    def slug(self) -> str:
        """``npc-14-2``."""
        return f"npc-{self.term}-{self.number}"

    @property
    def zh(self) -> str:
        """The session's name as the documents write it."""
        return f"第{_cn(self.term)}届全国人民代表大会第{_cn(self.number)}次会议"


def _cn(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, units = divmod(n, 10)
    return f"{digits[tens] if tens > 1 else ''}十{digits[units] if units else ''}"


@dataclass(frozen=True)
class DocumentInfo:
    """What a record and its stored text say about the document.

    Attributes:
        id: the slug (``gwr-2024``, ``gwr-2024-resolution``).
        kind: ``GovernmentWorkReport`` or ``Resolution``.
        year: the session's year (``pkg:publicationYear``).
        session: the NPC session it was delivered at (as its title block says; ``None``
            without one) or adopted by (a resolution's title).
        date: the date the text gives (delivered / adopted), or ``None``.
        deliverer: the Premier the text names as delivering the report (a report: from its title
            block; a resolution: the one it says delivered the report it approves), or ``None``.
        approves: a resolution: the slug of the report it approves.
        evidence: what the text says each item in (label -> the sentence or line's text).
        missing: the record's parts the text does not state (``date``, ``session``,
            ``deliverer``).
    """

    id: str
    kind: str
    year: int
    session: Session | None
    date: dt.date | None
    deliverer: str | None
    approves: str | None
    evidence: dict[str, str]
    missing: tuple[str, ...]


def _date(y: str, m: str, d: str, where: str = "") -> dt.date:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        raise ParseError(f"{where}: no such date {y}-{m}-{d}") from None


def _block_lines(text: str) -> list[str]:
    """The lines before the body (the salutation, or a resolution's first sentence)."""
    lines: list[str] = []
    for line in text.split("\n"):
        if line.startswith("各位代表") or _HEARD.search(line):
            break
        if line.strip():
            lines.append(line.strip())
    return lines


def describe_record(record: Record, text: str) -> DocumentInfo:
    """Read the document record of ``record`` from its title and stored ``text``.

    Raises:
        ParseError: the title is not one the corpus knows, the ``year`` field disagrees with
            the title, a title block line names no date, or the block contradicts the title.
    """
    where = record.where
    evidence: dict[str, str] = {}
    date: dt.date | None = None
    deliverer: str | None = None
    block_session: Session | None = None
    for line in _block_lines(text):
        if m := _BLOCK_LINE.match(line):
            dm = _BLOCK_DATE.match(m.group(1))
            if dm is None:
                raise ParseError(f"{where}: the title block line {line!r} names no date")
            date = _date(dm.group(1), dm.group(2), dm.group(3), where)
            block_session = Session(_number(m.group(2)), _number(m.group(3)))
            evidence["date"] = evidence["session"] = line
        elif m := _ADOPTION.match(line):
            date = _date(m.group(1), m.group(2), m.group(3), where)
            block_session = Session(_number(m.group(4)), _number(m.group(5)))
            evidence["date"] = evidence["session"] = line
        elif m := _DELIVERER.match(line):
            deliverer = m.group(1)
            evidence["deliverer"] = line
    approves: str | None = None
    if m := _REPORT_TITLE.match(record.title):
        kind = "GovernmentWorkReport"
        year = int(m.group(1) or m.group(2))
        if block_session is not None and block_session.year != year:
            raise ParseError(
                f"{where}: the title block names {block_session.zh} ({block_session.year}), "
                f"the title {year}"
            )
        session = block_session  # without a title block the report does not name it
        slug = f"gwr-{year}"
    elif m := _RESOLUTION_TITLE.match(record.title):
        kind = "Resolution"
        session = Session(_number(m.group(1)), _number(m.group(2)))
        try:
            year = session.year
        except ParseError as exc:
            raise ParseError(f"{where}: {exc}") from None
        if block_session is not None and block_session != session:
            raise ParseError(
                f"{where}: the adoption line names {block_session.zh}, the title {session.zh}"
            )
        slug = f"gwr-{year}-resolution"
        approves = f"gwr-{year}"
        for sentence in re.findall(r"[^。]*。", text):
            heard = _HEARD.search(sentence)
            if heard and "deliverer" not in evidence:
                deliverer = heard.group(3)
                evidence["deliverer"] = sentence.strip()
            if _APPROVES.search(sentence) and "approves" not in evidence:
                evidence["approves"] = sentence.strip()
        if "approves" not in evidence:
            raise ParseError(f"{where}: the resolution does not say it approves the report")
    else:
        raise ParseError(
            f"{where}: title {record.title!r} is neither a government work report "
            "(YYYY年中华人民共和国国务院政府工作报告) nor an NPC resolution on one"
        )
    if record.year is not None and record.year.strip() != str(year):
        raise ParseError(f"{where}: year {record.year!r} disagrees with the title ({year})")
    if date is not None and date.year != year:
        raise ParseError(f"{where}: the date {date.isoformat()} is not in {year}")
    if record.id is not None and record.id != slug:
        raise ParseError(f"{where}: id {record.id!r} disagrees with the title ({slug})")
    missing = tuple(
        k for k, v in (("date", date), ("session", session), ("deliverer", deliverer)) if v is None
    )
    return DocumentInfo(
        id=slug,
        kind=kind,
        year=year,
        session=session,
        date=date,
        deliverer=deliverer,
        approves=approves,
        evidence=evidence,
        missing=missing,
    )
