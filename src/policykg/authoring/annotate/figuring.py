"""Figures and enumerations of a sentence (reading a figure: :mod:`policykg.authoring.figures`)."""

from __future__ import annotations

import re

from policykg.authoring.annotate.base import _Base
from policykg.authoring.annotate.model import Enumeration, FigureSuggestion, Ref
from policykg.authoring.annotate.reading import Sentence
from policykg.authoring.annotate.vocab import _STOP
from policykg.authoring.figures import Figure, Period, find_figures, find_periods
from policykg.authoring.lexicon import (
    Mention,
)

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

#: an English clause's subject before its trend verb: the noun phrase after "of (the)", or the
#: clause's first words
_EN_SUBJECT = re.compile(
    r"(?:\bof (?:the )?|(?:^|[,;:] ))((?:[A-Za-z][\w'-]* ){0,5}[A-Za-z][\w'-]*) "
    r"(?:grew|rose|increased|fell|declined|dropped|expanded|reached|climbed|surged|jumped|was|"
    r"were|stood|totaled|totalled|hit|exceeded|surpassed|topped)\b[^,;:]*$"
)


def _absolute(p: Period, sent: Sentence) -> Period:
    return Period(p.start + sent.start, p.end + sent.start, p.label, p.iso)


class _FigureStage(_Base):
    def figures(self, sent: Sentence, mentions: list[Mention]) -> list[FigureSuggestion]:
        q = sent.quote
        figs = find_figures(q, self.lang)
        if not figs:
            if self._carry is not None and q[-1:] in "；;":
                own = find_periods(q, self.lang, self.date)
                self._carry = self._carried(sent, _absolute(own[-1], sent) if own else None)
            return []
        if len(figs) > MAX_FIGURES:
            # a table or a run of numbers, not prose: the draft stays proportional to the text
            self.capped.append(sent.id)
            figs = figs[:MAX_FIGURES]
        periods = [p for p in find_periods(q, self.lang, self.date) if p.label != "同比"]
        inherited = None
        if not periods and self._carry is not None and self._follows(sent):
            inherited = self._carry[1]  # a clause after "；" keeps its sentence's period
        last = _absolute(periods[-1], sent) if periods else inherited
        self._carry = self._carried(sent, last)
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
            )
            period = inherited
            if periods:
                best = min(periods, key=lambda p: min(abs(p.start - f.end), abs(f.start - p.end)))
                period = Period(
                    best.start + sent.start, best.end + sent.start, best.label, best.iso
                )
            before = q[max(0, f.start - 40) : f.start].lower()
            growth = bool(
                re.search(r"increas|grew|grow|growth|rose|rise|up by|增长|提高|上升", before)
            )
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
                m = re.search(r"(同比|环比)?(增长|下降|提高|增加|减少)$", q[: f.start].rstrip("了"))
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
                for men in mentions:
                    if men.end <= fig.start and not men.term.actor:
                        target = self.ref_of(men)
            if target is None and self.lang == "en":
                # no term before it: what its clause says grew ("the output of the new energy
                # vehicle industry grew by ..."), proposed as a concept
                subject = _EN_SUBJECT.search(q[: f.start])
                if subject:
                    a = sent.start + subject.start(1)
                    words = subject.group(1)
                    target = self.new_ref(words, a, a + len(words), ("Concept",))
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
        return out

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
        pat = (
            r"(包括|例如|比如|如)"
            if self.lang == "zh"
            else r"\b(such as|including|for example|e\.g\.,?)\s+"
        )
        out: list[Enumeration] = []
        for m in re.finditer(pat, q):
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
            if not piece:
                continue
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
