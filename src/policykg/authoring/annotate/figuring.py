"""Figures and enumerations of a sentence (reading a figure: :mod:`policykg.authoring.figures`)."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as _dt
import re

from policykg.authoring.annotate.base import _Base
from policykg.authoring.annotate.mentions_zh import measures_other_zh
from policykg.authoring.annotate.model import Enumeration, FigureSuggestion, Ref
from policykg.authoring.annotate.reading import Sentence
from policykg.authoring.annotate.vocab import _STOP
from policykg.authoring.figures import Figure, find_figures
from policykg.authoring.periods import Period, find_periods
from policykg.authoring.terms import Mention

#: The most figures suggested for one passage (a sentence of prose holds far fewer; a flattened
#: table or a run of numbers more): the rest are left out and the passage is named in
#: :attr:`Annotation.capped`, so a draft's size stays proportional to its text.
MAX_FIGURES = 24

#: a Chinese clause's subject before its trend verb and figure: 2 to 16 characters after the
#: clause's start
_ZH_SUBJECT = re.compile(
    r"(?:^|[，,；;：:。])(?:[^，,；;：:。]{0,8}?[，,])?([\u4e00-\u9fff]{2,16}?)"
    r"(?:同比|环比)?(?:增长|下降|提高|增加|减少|达到|达|为|突破|超过|占)[^，,；;：:。]*$"
)

#: the verb of a change right before a figure (…增长7.7%, 上涨2%), and the nouns that name a
#: change in an indicator's label (居民消费价格涨幅, 工业增加值增速)
_ZH_CHANGE = re.compile(r"(?:增长|下降|提高|增加|减少|上涨|降低|上升)")
_ZH_CHANGE_NOUNS = ("增长", "涨幅", "增速", "增幅", "降幅", "下降")

#: an English clause's subject before its trend verb: the noun phrase after "of (the)", or the
#: clause's first words
_EN_SUBJECT = re.compile(
    r"(?:\bof (?:the )?|(?:^|[,;:] ))((?:[A-Za-z][\w'-]* ){0,5}[A-Za-z][\w'-]*) "
    r"(?:grew|rose|increased|fell|declined|dropped|expanded|reached|climbed|surged|jumped|was|"
    r"were|stood|totaled|totalled|hit|exceeded|surpassed|topped)\b[^,;:]*$"
)


#: the words before a period that make it a comparison base ("比去年增加", "than last year"):
#: the period of what a figure is compared with, not the figure's own
_ZH_BASE = re.compile(r"(?:比|较|从|与|同|相比|较之|高于|低于)$")
_EN_BASE = re.compile(r"(?i)\b(?:than|from|compared (?:with|to)|versus|vs\.?)\s+(?:in\s+)?$")
#: the words of a span of months ("January to May", "1至5月")
_SPAN = re.compile(r"(?i)\b(?:to|through)\b|[-–—～至到]")
#: between a period and the figure it names outright ("去年的2.1%", "last year's 5.2%")
_OWNS = re.compile(r"(?:的|之|['’]s)?\s*")
#: a change from one level to another (由46.9%提高到48.2%, 由上年下降2.3%转为增长8.5%): the first
#: figure is the level before, of the period before the second's
_FROM_TO = re.compile(
    r"由(?P<x>[^，,；;：:。由]{1,24}?)(?:转为|变为|提高到|提高至|提升到|提升至|上升到|上升至|升至|"
    r"增加到|增至|扩大到|下降到|下降至|降低到|降低至|降到|降至|减少到|减至|缩小到)"
)
_CLAUSE_BREAK = re.compile(r"[，,；;：:。]")
#: the year before the one the context is about (上年: 比上年 in a review of 2014 is 2013)
_PREVIOUS = "上年"
#: the words that begin an enumeration
_ENUMERATION = {
    "zh": re.compile(r"(包括|例如|比如|如)"),
    "en": re.compile(r"\b(such as|including|for example|e\.g\.,?)\s+"),
}
#: the words before a figure that make it a growth rate
_GROWTH = re.compile(r"increas|grew|grow|growth|rose|rise|up by|增长|提高|上升")
#: the trend a Chinese figure follows (同比增长8.6%): its measure
_ZH_TREND = re.compile(r"(同比|环比)?(增长|下降|提高|增加|减少)$")


def _before_le(text: str, floor: int, at: int) -> int:
    """Where ``text[floor:at]`` ends without its final 了 (``len(text[:at].rstrip("了"))``).

    Read back from ``at``: no copy of the text before it (once per figure: a long text would
    make that quadratic).
    """
    while at > floor and text[at - 1] == "了":
        at -= 1
    return at


#: a sentence's opening clause, where a period anchors what follows ("过去一年，", "今年发展的主要
#: 预期目标是：", "Last year, ", "This year's main targets are:")
_ZH_OPENING = re.compile(r"[^，,：:；;。]{1,40}")
_EN_OPENING = re.compile(r"[^,:;.]{1,80}")
#: a numbered heading line and its level ("一、2013年工作回顾", "（二）…", "I. …", "## …")
_HEADINGS = (
    re.compile(r"[一二三四五六七八九十]+、|(?:Part )?[IVX]{1,5}\.\s|#\s"),
    re.compile(r"[（(][一二三四五六七八九十]+[）)]|\d{1,2}\.\s|##\s"),
    re.compile(r"\d{1,2}\.\d{1,2}\.?\s|###\s"),
)


def _changes(q: str, figs: list[Figure]) -> dict[int, tuple[int, int, int]]:
    """The figures of ``q`` in a change from one level to another (由X提高到Y).

    Each maps to where the words of the change begin and end and which figure is the other
    level; only the level after the change is a key of its own with the start of the first.
    """
    out: dict[int, tuple[int, int, int]] = {}
    for m in _FROM_TO.finditer(q):
        first = [i for i, f in enumerate(figs) if m.start("x") <= f.start and f.end <= m.end("x")]
        then = [i for i, f in enumerate(figs) if m.end() <= f.start <= m.end() + 4]
        if first and then:
            out[then[0]] = (m.start(), m.end(), first[-1])
    return out


def _names(q: str, p: Period, f: Figure, figs: list[Figure]) -> bool:
    """Whether ``p`` is right before the figure ``f`` in its clause (no figure between)."""
    if p.end > f.start or _CLAUSE_BREAK.search(q, p.end, f.start):
        return False
    return not any(p.end <= g.start < f.start for g in figs)


def _year_before(p: Period | None) -> str | None:
    """The year before a period that is one year (``2014`` -> ``2013``), else ``None``."""
    if p is None or p.iso is None or not re.fullmatch(r"\d{4}", p.iso):
        return None
    return str(int(p.iso) - 1)


def _absolute(p: Period, sent: Sentence) -> Period:
    return Period(p.start + sent.start, p.end + sent.start, p.label, p.iso)


def _is_base(q: str, p: Period, lang: str) -> bool:
    """``p`` is what something is compared with (比去年, than last year).

    "from" / 从 before a span of months opens the span ("From January to May"): no comparison.
    """
    if lang == "zh":
        m = _ZH_BASE.search(q[max(0, p.start - 3) : p.start])
    else:
        m = _EN_BASE.search(q[max(0, p.start - 20) : p.start])
    if m is None:
        return False
    return not (m.group().strip().lower() in ("from", "从") and _SPAN.search(p.label))


def pick_period(q: str, periods: list[Period], start: int, end: int, lang: str) -> Period | None:
    """The period of the figure at ``q[start:end]`` among the sentence's ``periods``.

    A period right before the figure names it ("去年的2.1%"); comparison bases are never a
    figure's period; in Chinese the period is written before what it dates, so the last one
    before the figure wins, else the nearest.
    """
    for p in reversed(periods):
        if p.end <= start and _OWNS.fullmatch(q[p.end : start]):
            return p
    usable = [p for p in periods if not _is_base(q, p, lang)]
    if lang == "zh":
        before = [p for p in usable if p.end <= start]
        if before:
            return before[-1]
    if not usable:
        return None
    return min(usable, key=lambda p: min(abs(p.start - end), abs(start - p.end)))


def opening_period(q: str, lang: str, ref: _dt.date | None) -> Period | None:
    """The period a sentence opens with (in its first clause), if it is not a comparison base."""
    m = (_ZH_OPENING if lang == "zh" else _EN_OPENING).match(q)
    if m is None:
        return None
    for p in find_periods(m.group(), lang, ref):
        if p.label not in ("同比", _PREVIOUS) and not _is_base(q, p, lang):
            return p
    return None


def section_anchors(text: str, lang: str, ref: _dt.date | None) -> list[tuple[int, Period | None]]:
    """Where each numbered heading starts and the period its section is about.

    The period is the one the heading names ("一、2013年工作回顾"), else the one of the enclosing
    heading, else none.
    """
    levels: dict[int, Period] = {}
    out: list[tuple[int, Period | None]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        head = line.strip()
        if not head or len(head) > 60 or head[-1] in "。！？.!?；;：:，,":
            continue
        level = next((n for n, h in enumerate(_HEADINGS) if h.match(head)), None)
        if level is None:
            continue
        for deeper in [k for k in levels if k >= level]:
            del levels[deeper]
        lead = line.index(head[0])
        found = [p for p in find_periods(head, lang, ref) if p.label not in ("同比", _PREVIOUS)]
        if found:
            p = found[0]
            levels[level] = Period(start + lead + p.start, start + lead + p.end, p.label, p.iso)
        out.append((start, levels[max(levels)] if levels else None))
    return out


class _FigureStage(_Base):
    #: where the last sentence read starts and the period of the last opening anchor of its
    #: paragraph
    _para: tuple[int, Period | None] | None = None
    #: the numbered headings: where each starts, the period of its section
    _sections: list[tuple[int, Period | None]] | None = None
    _section_starts: list[int] | None = None
    #: the figures suggested for the last sentence read (its passage id and them): the
    #: provisions of a target cue name what they measure
    sentence_figures: tuple[str, list[FigureSuggestion]] = ("", [])

    def _anchor(self, sent: Sentence) -> Period | None:
        """The period that governs the figures of ``sent`` that name none.

        It is the last opening anchor of its paragraph (this sentence's included), else the period
        of its section's heading.
        """
        # a line break since the last sentence read ends its paragraph's anchor (looked for only
        # after that sentence: one pass over the text in all)
        seen, anchor = self._para if self._para is not None else (0, None)
        if seen > sent.start or "\n" in self.text[seen : sent.start]:
            anchor = None
        opening = opening_period(sent.quote, self.lang, self.date)
        if opening is not None:
            anchor = _absolute(opening, sent)
        self._para = (sent.start, anchor)
        if anchor is not None:
            return anchor
        if self._sections is None:
            self._sections = section_anchors(self.text, self.lang, self.date)
            self._section_starts = [s for s, _ in self._sections]
        assert self._section_starts is not None
        at = bisect.bisect_right(self._section_starts, sent.start) - 1
        return self._sections[at][1] if at >= 0 else None

    def figures(self, sent: Sentence, mentions: list[Mention]) -> list[FigureSuggestion]:
        q = sent.quote
        figs = find_figures(q, self.lang)
        anchor = self._anchor(sent)
        if not figs:
            if self._carry is not None and q[-1:] in "；;":
                own = [p for p in find_periods(q, self.lang, self.date) if p.label != _PREVIOUS]
                keep = _absolute(own[-1], sent) if own else self._carry[1]
                self._carry = self._carried(sent, keep if self._follows(sent) else None)
            return []
        if len(figs) > MAX_FIGURES:
            # a table or a run of numbers, not prose: the draft stays proportional to the text
            self.capped.append(sent.id)
            figs = figs[:MAX_FIGURES]
        periods = [p for p in find_periods(q, self.lang, self.date) if p.label != "同比"]
        # 上年 (the year before the context's) dates only the figure it names (由上年的X): 比上年
        # compares, and neither is the sentence's period for the clauses after it
        periods = [p for p in periods if p.label != _PREVIOUS or not _is_base(q, p, self.lang)]
        own = [p for p in periods if p.label != _PREVIOUS]
        inherited = None
        if not own and self._carry is not None and self._follows(sent):
            inherited = self._carry[1]  # a clause after "；" keeps its sentence's period
        periods = [self._previous(p, periods, inherited or anchor) for p in periods]
        last = _absolute(own[-1], sent) if own else inherited
        self._carry = self._carried(sent, last)
        if inherited is None:
            inherited = anchor
        changes = _changes(q, figs) if self.lang == "zh" else {}
        out: list[FigureSuggestion] = []
        for n, f in enumerate(figs, 1):
            counted_at = f.counted_at + sent.start if f.counted_at >= 0 else -1
            fig = Figure(
                f.start + sent.start,
                f.end + sent.start,
                f.value,
                f.unit,
                f.qualifier,
                f.words,
                f.counted,
                f.group,
                counted_at,
                f.upper,
            )
            period = inherited
            span = changes.get(n - 1)
            # the level after a change takes no period named before it (由上年的X提高到Y); 上年
            # dates only the figure right after it in its clause
            usable = [
                p
                for p in periods
                if (span is None or not span[0] <= p.start < span[1])
                and (p.label != _PREVIOUS or _names(q, p, f, figs))
            ]
            best = pick_period(q, usable, f.start, f.end, self.lang)
            if best is not None:
                period = _absolute(best, sent)
            before = q[max(0, f.start - 40) : f.start].lower()
            growth = bool(_GROWTH.search(before))
            measure = None
            if self.lang == "en":
                noun = re.findall(r"\bthe ((?:[\w-]+ ){0,2}[\w-]+) of\b", q[: f.start])
                if f.unit == "rank":
                    measure = "rank"
                elif growth:
                    measure = f"growth of {noun[-1]}" if noun else "growth"
                elif noun:
                    measure = noun[-1]
            if self.lang == "zh":
                m = _ZH_TREND.search(q[: f.start].rstrip("了"))
                if m:
                    measure = m.group()
            target = None
            if f.unit == "count" and f.counted:
                # what is counted is the observation's subject: the term the count names
                measure = (
                    f"{f.group}中的{f.counted}数量"
                    if self.lang == "zh"
                    else f"number of {f.counted} among the {f.group}"
                )
                c_end = counted_at + len(f.counted)
                inside = [m for m in mentions if counted_at <= m.start and m.end <= c_end]
                if inside:
                    target = self.ref_of(inside[-1])
            else:
                target = self._measured(mentions, fig.start)
            if target is None and self.lang == "en":
                # no term before it: what its clause says grew ("the output of the new energy
                # vehicle industry grew by ..."), proposed as a concept
                subject = _EN_SUBJECT.search(q[: f.start])
                if subject:
                    a = sent.start + subject.start(1)
                    words = subject.group(1)
                    target = self.new_ref(words, a, a + len(words), ("Concept",))
            if target is None and self.lang == "zh":
                target = self._indicator(sent.start, fig.start)
            if target is None and self.lang == "zh":
                # no term before it: what the figure measures is its clause's subject, the words
                # before the trend verb ("锂电池产量增长8.6%": 锂电池产量), proposed as a concept
                subject = _ZH_SUBJECT.search(q[: f.start])
                if subject:
                    a = sent.start + subject.start(1)
                    target = self.new_ref(
                        subject.group(1), a, a + len(subject.group(1)), ("Concept",)
                    )
            out.append(
                FigureSuggestion(
                    sent.id, f"obs-{sent.id}-{n}", fig, period, growth, target, measure
                )
            )
        for then, (a, b, first) in changes.items():
            if then >= len(out) or any(a <= p.start < figs[first].start for p in periods):
                continue  # 由上年的X: the first level names its own period
            # 由46.9%提高到48.2% in a review of 2014: 48.2% is 2014's, 46.9% the year before's
            # (the year before a period that is no single year is unknown: none is guessed)
            year = _year_before(out[then].period)
            earlier = Period(sent.start + a, sent.start + b, q[a:b], year) if year else None
            out[first] = dataclasses.replace(out[first], period=earlier)
        self.sentence_figures = (sent.id, out)
        return out

    def _measured(self, mentions: list[Mention], at: int) -> Ref | None:
        """What the figure at ``at`` is an observation of: the last term before it, not an actor.

        In Chinese, not a term that modifies the noun after it (新能源 in 新能源汽车产量: the
        figure measures the vehicles; :func:`measures_other_zh`); for a change (增长, 下降 ...)
        the term named by the term and the change together when the lexicon has it
        (国内生产总值 … 增长7.7%: GDP growth), the change as the text words it or as a noun.
        """
        before = [m for m in mentions if m.end <= at and not m.term.actor]
        if not before:
            return None
        men = before[-1]
        if self.lang != "zh":
            return self.ref_of(men)
        if measures_other_zh(self.text, men.end, at):
            return None
        change = _ZH_CHANGE.search(self.text, men.end, at)
        if change is not None and change.end() == _before_le(self.text, men.end, at):
            for word in (change.group(), *_ZH_CHANGE_NOUNS):
                whole = [t for t in self.lexicon.lookup(men.surface + word) if t.kind == "entity"]
                if whole:
                    men = Mention(men.start, men.end, men.surface, whole[0], men.match)
                    break
        return self.ref_of(men)

    def _indicator(self, start: int, at: int) -> Ref | None:
        """The indicator a change names with the clause's last words, if any.

        居民消费价格上涨2%: the lexicon's 居民消费价格涨幅; the longest such words first.
        """
        text = self.text
        end = len(text[start:at].rstrip("了")) + start
        change = _ZH_CHANGE.search(text, max(start, end - 2), end)
        if change is None or change.end() != end:
            return None
        clause = re.split(r"[^\u4e00-\u9fff]", text[start : change.start()])[-1]
        for k in range(min(len(clause), 12), 1, -1):
            words = clause[-k:]
            for noun in (change.group(), *_ZH_CHANGE_NOUNS):
                whole = [t for t in self.lexicon.lookup(words + noun) if t.kind == "entity"]
                if whole:
                    a = change.start() - k
                    return self.ref_of(Mention(a, change.start(), words, whole[0]))
        return None

    def _previous(self, p: Period, periods: list[Period], context: Period | None) -> Period:
        """上年 resolved against the year its context is about (not the document's date).

        The context is the sentence's last other period before it, else the carried or anchored
        period (a review of 2014 dates its 上年 2013), else the document's date.
        """
        if p.label != _PREVIOUS:
            return p
        before = [o for o in periods if o.end <= p.start and o.label != _PREVIOUS and o.iso]
        iso = before[-1].iso if before else context.iso if context is not None else None
        if iso is None or not re.match(r"\d{4}", iso):
            year = self.date.year if self.date is not None else None
        else:
            year = int(iso[:4])
        return Period(p.start, p.end, p.label, str(year - 1) if year is not None else None)

    # enumerations ------------------------------------------------------------------------------
    def _follows(self, sent: Sentence) -> bool:
        """``sent`` is the next clause, after "；" on the same line, of the carried period's."""
        assert self._carry is not None
        end = self._carry[0]
        return self.text[end - 1 : end] in ("；", ";") and "\n" not in self.text[end : sent.start]

    def _carried(self, sent: Sentence, period: Period | None) -> tuple[int, Period] | None:
        """What the next clause inherits: this sentence's last period, if it ends with "；"."""
        if period is None or sent.quote[-1:] not in ("；", ";"):
            return None
        return sent.end, period

    def enumerations(self, sent: Sentence, mentions: list[Mention]) -> list[Enumeration]:
        q = sent.quote
        out: list[Enumeration] = []
        for m in _ENUMERATION[self.lang].finditer(q):
            cue_start, list_start = m.start() + sent.start, m.end() + sent.start
            head: Ref | None = None
            for men in mentions:
                if men.end <= cue_start and cue_start - men.end <= 3:
                    head = self.ref_of(men)
            if head is None:
                head = self._head_phrase(q[: m.start()], sent.start)
            if head is None:
                continue
            stop = re.search(
                r"[;:()（）；：。]|(?<=\w)\.\s*$|\.$|,\s*(?:thereby|which|while|so that|so as|"
                r"in order|to\s|that\s|where|when)|，(?:从而|以|进而)",
                q[m.end() :],
            )
            list_end = m.end() + (stop.start() if stop else len(q) - m.end())
            region_end = list_end + sent.start
            items = self._items(list_start, region_end, mentions)
            if self.lang == "zh":
                items = [i for i in items if i.id != head.id]
            if len(items) >= 1:
                out.append(
                    Enumeration(sent.id, cue_start, region_end, m.group(1), head, tuple(items))
                )
        return out

    def _head_phrase(self, before: str, base: int) -> Ref | None:
        if self.lang == "zh":
            m = re.search(r"([\u4e00-\u9fff]{2,8})[，,]?$", before)
            if not m:
                return None
            return self.new_ref(m.group(1), base + m.start(1), base + m.end(1), ("Concept",))
        words = list(re.finditer(r"[A-Za-z][\w'-]*", before))
        picked: list[re.Match[str]] = []
        for w in reversed(words[-4:]):
            if w.group().lower() in _STOP:
                break
            picked.insert(0, w)
        if not picked or before[picked[-1].end() :].strip(" ,") != "":
            return None
        before_head = words[-len(picked) - 1].group().lower() if len(words) > len(picked) else ""
        if len(picked) > 1 and before_head == "to":
            picked = picked[1:]  # "to incorporate key elements such as": the verb is no head
        start, end = picked[0].start(), picked[-1].end()
        return self.new_ref(before[start:end], base + start, base + end, ("Concept",))

    def _items(self, start: int, end: int, mentions: list[Mention]) -> list[Ref]:
        text = self.text
        region = text[start:end]
        sep = (
            r"、|，|,|和|及|以及|与|等"
            if self.lang == "zh"
            else r",\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+"
        )
        pieces: list[tuple[int, int]] = []
        pos = 0
        for m in re.finditer(sep, region):
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(region)))
        out: list[Ref] = []
        used: set[int] = set()
        for a, b in pieces:
            a_abs, b_abs = start + a, start + b
            piece = text[a_abs:b_abs].strip()
            if not any(c.isalnum() for c in piece):
                continue  # a quotation mark or a dash between the separators
            overlap = [men for men in mentions if men.start < b_abs and men.end > a_abs]
            cover = [men for men in overlap if id(men) not in used]
            if overlap and not cover:
                continue
            if cover:
                for men in cover:
                    used.add(id(men))
                    ref = self.ref_of(men)
                    if ref.id not in {r.id for r in out}:
                        out.append(ref)
                continue
            lead = len(text[a_abs:b_abs]) - len(text[a_abs:b_abs].lstrip())
            words = piece.rstrip(".。")
            if self.lang == "en" and len(words.split()) > 8:
                continue
            out.append(self.new_ref(words, a_abs + lead, a_abs + lead + len(words), ("Concept",)))
        return out
