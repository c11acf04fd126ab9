"""The meeting as speaker: 会议指出/强调/要求… said by the meeting the text named (issue 21).

A Chinese readout or resolution reports what a meeting said (会议指出，…; 会议号召…). The
meeting is the last one the text names as held before those words: one after a convening verb
(主持召开国务院常务会议) or a numbered session (第十四届全国人民代表大会第二次会议), not one only
mentioned (贯彻…中央经济工作会议部署) nor one named only by its kind (专题会议). It speaks until
the end of its paragraph, and at least to the end of its sentence (docs/conventions-zh.md).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from policykg.authoring.annotate.base import _Base
from policykg.authoring.annotate.model import Ref
from policykg.authoring.terms import Mention

_ORD = "一二三四五六七八九十百零"
#: a meeting the text names as held: after a verb of convening (主持召开国务院常务会议), or a
#: numbered session (第十四届全国人民代表大会第二次会议, 中央财经委员会第三次会议)
_HELD = re.compile(
    r"(?:主持召开|召开|主持|举行|出席)了?(?P<a>[\u4e00-\u9fff]{2,24}?会议)"
    rf"|(?P<b>第?[{_ORD}]+届[\u4e00-\u9fff]{{2,16}}?第?[{_ORD}]+次(?:全体|常务)?会议)"
    rf"|(?<![\u4e00-\u9fff第])(?P<c>[\u4e00-\u9fff]{{2,12}}?(?:委员会|常委会)第[{_ORD}]+次"
    r"(?:全体)?会议)"
)
#: 会议指出 / 会议强调 / 会议认为 / 会议号召 …: the meeting speaks (its paragraph is its readout)
_MEETING_VOICE = re.compile(
    r"(?:^|(?<=[。！？；;，,：:\n\s]))(?:本次|这次|此次|该次|该)?会议"
    r"(?:充分|高度|一致|还|同时|并|也|进一步|再次|特别|首先|最后|认真|全面)?"
    r"(?:指出|强调|要求|认为|同意|号召|部署|决定|提出|确定|肯定|审议|通过|研究|明确|希望|呼吁|评价)"
)


_SENTENCE_END = re.compile("[。！？!?]")
#: the words of a meeting's kind, not of whose it is: 专题会议, 第五次全体会议 and 视频会议 name no
#: meeting (like 会议 alone, docs/conventions-zh.md)
_GENERIC_MEETING = re.compile(
    rf"(?:本次|这次|一次|有关|相关)?(?:第[{_ORD}]+次)?"
    r"(?:专题|全体|常务|视频|电视电话|工作|座谈|专门|扩大|协调|推进)*会议$"
)


def meetings(text: str) -> list[tuple[int, int, bool]]:
    """The meetings ``text`` says are held, in order: (start, end, named).

    ``named``: the words name which meeting it is (国务院常务会议), not only its kind (专题会议).
    """
    out: list[tuple[int, int, bool]] = []
    for m in _HELD.finditer(text):
        group = "a" if m.group("a") else "b" if m.group("b") else "c"
        named = len(_GENERIC_MEETING.sub("", m.group(group))) >= 2
        out.append((m.start(group), m.end(group), named))
    return out


def meeting_voices(text: str) -> list[tuple[int, int]]:
    """Where the meeting speaks (会议指出…): from the speech verb to its paragraph's end.

    At least to its sentence's end: a line break inside a sentence (a web page's markup) does not
    end what the meeting says.
    """
    out: list[tuple[int, int]] = []
    line = stop = -1  # the next line break and sentence end found (reused: linear in the text)
    for m in _MEETING_VOICE.finditer(text):
        if line < m.end() and line != len(text):
            found = text.find("\n", m.end())
            line = found if found >= 0 else len(text)
        if stop < m.end() and stop != len(text):
            end = _SENTENCE_END.search(text, m.end())
            stop = end.end() if end else len(text)
        out.append((m.start(), max(line, stop)))
    return out


def _actor_at(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    """The actor mention at exactly ``[start, end)`` (``mentions`` in text order), if any."""
    i = bisect.bisect_left(mentions, start, key=lambda m: m.start)
    while i < len(mentions) and mentions[i].start == start:
        if mentions[i].end == end and mentions[i].term.actor:
            return mentions[i]
        i += 1
    return None


class _MeetingStage(_Base):
    #: where a meeting speaks and who it is: (start, end, speaker) (:meth:`read_meetings`)
    _voices: tuple[tuple[int, int, Ref | None], ...] = ()
    _voice_starts: list[int]

    def read_meetings(self, mentions: Sequence[Mention]) -> None:
        """Where a Chinese text's meeting speaks (会议指出…) and who that is.

        The meeting is the last one the text named as held before its words (主持召开国务院常务
        会议, 第十四届全国人民代表大会第二次会议): a known actor the lexicon has at those words,
        else a new one named by them; with none named, nobody (docs/conventions-zh.md).
        """
        voices = meeting_voices(self.text)
        if not voices:
            return
        held = meetings(self.text)
        out: list[tuple[int, int, Ref | None]] = []
        j = 0  # held[:j] end before the voice (both in text order)
        refs: dict[tuple[int, int], Ref] = {}  # a meeting that speaks in several paragraphs
        for start, end in voices:
            while j < len(held) and held[j][1] <= start:
                j += 1
            ref: Ref | None = None
            if j and held[j - 1][2]:  # the last one held, if its words name it
                a, b, _named = held[j - 1]
                ref = refs.get((a, b))
                if ref is None:
                    known = _actor_at(mentions, a, b)
                    ref = refs[(a, b)] = (
                        self.ref_of(known)
                        if known is not None
                        else self.new_ref(self.text[a:b], a, b, ("Organization",), prefix="meeting")
                    )
            out.append((start, end, ref))
        self._voices = tuple(out)
        self._voice_starts = [v[0] for v in out]

    def _meeting(self, at: int) -> Ref | None:
        """The meeting that speaks at ``at`` (:meth:`read_meetings`), if any."""
        if not self._voices:
            return None
        i = bisect.bisect_right(self._voice_starts, at) - 1  # the last voice begun by ``at``
        if i < 0:
            return None
        _start, end, ref = self._voices[i]
        return ref if at < end else None
