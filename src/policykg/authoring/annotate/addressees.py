"""Who a provision concerns and who reports it: the first half of the provision stage.

The addressees are a cue's subject (a known actor, a collective actor: 各地要…), or the object
of a directing cue (要求 / "urge"); the speaker is a person's mention before a reporting verb, a
reported name (李强指出), the meeting (会议强调) or the wire's reporting clause ("…, Li said").

:class:`_AddresseeStage` finds them; :class:`.provisioning._ProvisionStage` assembles each
provision (modality, action, condition, means, purpose) around them.
"""

from __future__ import annotations

import re

from policykg.authoring.annotate.clauses import (
    ACTOR_HEADS,
    clause_start,
    in_word,
    modifier_start,
    subjectless,
    verb_before,
)
from policykg.authoring.annotate.meetings import _MeetingStage
from policykg.authoring.annotate.model import Ref
from policykg.authoring.annotate.reading import Sentence
from policykg.authoring.annotate.speakers import WireSpeech, wire_speaker
from policykg.authoring.annotate.speech import collective_actors, person_mention, zh_speakers
from policykg.authoring.annotate.vocab import _COORD, _MODIFIERS, _PREPOSITIONS, _REPORTING
from policykg.authoring.annotate.wire import aside_at
from policykg.authoring.modality import Cue

# the English reporting verbs (one vocabulary): an aside between commas, a verb (and "that")
# before the reported clause's subject
from policykg.authoring.reporting import ASIDE as _EN_ASIDE
from policykg.authoring.reporting import REPORTED_THAT as _EN_REPORTED_THAT
from policykg.authoring.terms import Mention

#: the Chinese prepositions (coverbs) before a noun that is then no subject (以X为核心, 由企业…)
_ZH_PREPOSITIONS = frozenset("对在为向给与和以把从同跟被由按据于自")
#: the same without the words that also join nouns (个人和企业要…: 企业 is a subject)
_ZH_COVERBS = _ZH_PREPOSITIONS - frozenset("和与同跟")
#: what ends a clause (:meth:`_AddresseeStage._clause_end`)
_CLAUSE_END = re.compile(r"[,;:，；：。]")


class _AddresseeStage(_MeetingStage):
    #: the reporting clauses of an English text (:class:`.speakers.WireSpeech`), found once
    _wire: WireSpeech | None = None

    def _speaker_of(self, sent: Sentence, cue: Cue, mentions: list[Mention]) -> Ref | None:
        """Who reports what ``cue`` belongs to, if anyone.

        In wire copy the reporting clause decides ("…, Li said"); in Chinese a person before the
        cue, then a reported name, then the meeting; else the body the text speaks for.
        """
        if self.lang == "en":
            return (
                self._reported(sent, cue, mentions)
                or self._speaker(cue.start, mentions)
                or self.voice
            )
        return (
            self._speaker(cue.start, mentions)
            or self._reported(sent, cue, mentions)
            or self._meeting(cue.start)
            or self.voice
        )

    def _subjects(
        self, cue: Cue, subject_from: int, prev_end: int, mentions: list[Mention]
    ) -> list[Mention]:
        """The known actors before ``cue`` that are its subject (joined ones together).

        "Local governments, the ministry said, must": nothing in the aside is addressed.
        """
        group: list[Mention] = []
        end = (self.lang == "en" and aside_at(self.text, subject_from, cue.start)) or cue.start
        for m in mentions:
            if not (subject_from <= m.start and m.end <= end and m.term.actor):
                continue
            # actors joined by "," / "and" / "、" / "和" are addressed together (the
            # second follows "和", which alone would not make it a subject)
            joined = group and _COORD.fullmatch(self.text[group[-1].end : m.start])
            if joined:
                group = [*group, m]
            elif self._subject_like(m, prev_end, cue.start):
                group = [m]
        return group

    def _reported(self, sent: Sentence, cue: Cue, mentions: list[Mention]) -> Ref | None:
        """A reported speaker named by the words (not a known person's mention), if any."""
        if self.lang == "zh":
            spans = self._speech.get(sent.id)
            if spans is None:  # once per sentence: the names that report, in order
                spans = self._speech[sent.id] = [
                    x  # a surname inside a word is no name (从严治党要求)
                    for x in zh_speakers(self.text, sent.start, sent.end)
                    if not in_word(self.text, x[0], sent.start)
                ]
            before = [x for x in spans if x[1] <= cue.start]
            span = before[-1] if before else None
            if span is None:
                return None
            if self.text[span[0] : span[1]] in ("他", "她"):
                return self.last_person  # 他指出，…
            known = person_mention(mentions, *span)
            if known is not None:
                return self.ref_of(known)
            words = self.text[span[0] : span[1]]
            return self.new_ref(words, span[0], span[1], ("Person",), prefix="person")
        if self._wire is None:
            self._wire = WireSpeech(self)
        return wire_speaker(self._wire, sent, cue, mentions)

    def _en_object_first(self, start: int, at: int) -> bool:
        """An English object begins its clause: no preposition before it.

        "demanded that arrears owed to private enterprises ..." directs no enterprises.
        """
        return self.lang != "en" or not set(self.text[start:at].lower().split()) & _PREPOSITIONS

    def _objects(self, start: int, limit: int, mentions: list[Mention]) -> tuple[Ref, ...]:
        """The actors right after 要求 / 鼓励 / "encourage", in their first clause."""
        end = self._clause_end(start, limit)
        near = min(end, start + (4 if self.lang == "zh" else 24))  # the object follows the cue
        spans = collective_actors(self.text, start, end, self.lang)
        for m in mentions:
            # an English collective noun phrase may hold a known actor ("leading private
            # enterprises"): the known one is named
            first = (
                not spans or m.start <= spans[0][0] or (self.lang == "en" and m.start < spans[0][1])
            )
            if start <= m.start < near and m.end <= end and m.term.actor and first:
                if not self._en_object_first(start, m.start):
                    break
                narrowed = self._narrowed(m.start, m.end, start, start) if self.lang == "zh" else ()
                return narrowed or (self.ref_of(m),)
        if spans and spans[0][0] < near and self._en_object_first(start, spans[0][0]):
            a, b = spans[0]
            a = modifier_start(self.text, start, a) if self.lang == "zh" else a
            return (self.new_ref(self.text[a:b], a, b, ("CollectiveActor",), prefix="actor"),)
        return ()

    def _narrowed(self, a: int, b: int, floor: int, at: int | None = None) -> tuple[Ref, ...]:
        """The noun phrase of modifiers + a collective head (领军企业) as a new collective actor.

        ``floor``: where the phrase may begin; ``at``: where it must begin (by default the start
        of the head's clause). Nothing when the words before the head are no modifier.
        """
        if self.text[a:b] not in ACTOR_HEADS:
            return ()
        if at is None:
            at = clause_start(self.text, floor, a)
        if a == at or modifier_start(self.text, at, a) != at:
            return ()
        if any(x < b and at < y for x, y in self.blocked):
            return ()
        words = self.text[at:b]
        made = self._narrow_refs.get(words)
        if made is None:
            made = self._narrow_refs[words] = self.new_ref(
                words, at, b, ("CollectiveActor",), prefix="actor"
            )
            return (made,)
        # what new_ref answers for a slug it has made, without hashing the words again
        return (Ref(made.id, made.label, at, b, False, made.types, made.zh),)

    def _collective(self, start: int, cue_at: int, mentions: list[Mention]) -> tuple[Ref, ...]:
        """A collective actor (各地区各部门, "localities") that is the subject before the cue.

        Not part of a known term or of an ambiguous label ("state-owned enterprises"), and, in
        English, at the head of its clause (no preposition before it: "support for firms").
        """
        spans = [
            (a, b)
            for a, b in collective_actors(
                self.text,
                start,
                (self.lang == "en" and aside_at(self.text, start, cue_at)) or cue_at,
                self.lang,
            )
            if not any(m.start <= a and b <= m.end and (a, b) != (m.start, m.end) for m in mentions)
            and not any(x < b and a < y for x, y in self.blocked)
        ]
        if not spans:
            return ()
        a, b = spans[-1]
        gap = self.text[b:cue_at]
        first = len(spans) - 1
        while (
            self.lang == "zh"
            and first
            and self.text[spans[first - 1][1] : spans[first][0]] in ("、", "和", "及", "与", "以及")
        ):
            first -= 1  # 地方政府及有关部门要…: both are addressed
        if self.lang == "zh" and (
            len(gap) > 4
            or "的" in gap
            or self.text[spans[first][0] - 1 : spans[first][0]] in _ZH_COVERBS
            or verb_before(self.text, spans[first][0], start)
        ):
            # not the cue's subject: 要 follows its subject closely; X的Y: Y is; 以X为…, 支持X:
            # X is the object of a preposition or a verb
            return ()
        if self.lang == "en":
            clause = re.split(r"[,;:]", self.text[start:a])[-1].lower()
            # "Xinhua reported that officials ...": the reported clause begins after the verb
            clause = (_EN_REPORTED_THAT.split(clause)[-1] if " " in clause else clause).split()
            gap = _EN_ASIDE.sub(" ", gap)  # "Local governments, the circular said, must not"
            if len(gap.split()) > 2 or len(clause) > 2 or set(clause) & _PREPOSITIONS:
                return ()
        elif first == len(spans) - 1:
            # 骨干企业要…, where 企业 is no mention of its own (a compound part): the text's own
            # noun phrase, as for a known head (:meth:`_narrowed`)
            narrowed = self._narrowed(a, b, start)
            if narrowed:
                return narrowed
        # a known actor's mention names it (机关和国有企业要…: kg:state-owned-enterprises),
        # never a new entity with its label
        known = {(m.start, m.end): m for m in mentions if m.term.actor}
        return tuple(
            self.ref_of(known[(x, y)])
            if (x, y) in known
            else self.new_ref(self.text[x:y], x, y, ("CollectiveActor",), prefix="actor")
            for x, y in spans[first:]
        )

    def _speaker(self, cue_at: int, mentions: list[Mention]) -> Ref | None:
        """The person the text reports as saying what the cue belongs to, if any.

        "General Secretary Xi Jinping stressed ... that ... must": a person's mention followed,
        before the cue, by a reporting verb (said, stressed, 强调, 指出, ...).
        """
        verbs = _REPORTING[self.lang]
        for m in mentions:
            if m.end > cue_at:
                break
            if "Person" not in m.term.types:
                continue
            window = self.text[m.end : min(cue_at, m.end + 60)]
            if verbs.match(window):
                return self.ref_of(m)
        return None

    def _clause_end(self, start: int, limit: int) -> int:
        m = _CLAUSE_END.search(self.text, start, limit)
        return m.start() if m else limit

    def _subject_like(self, m: Mention, floor: int, cue_at: int | None = None) -> bool:
        if self.lang == "zh":
            # in an earlier clause than the cue's, a subject opens its clause (国有企业，特别是
            # …，要); 高举中国特色社会主义…，…要: 中国 is inside a noun phrase
            earlier = cue_at is not None and self._clause_end(m.end, cue_at) < cue_at
            if earlier and not subjectless(self.text, floor, m.start):
                return False
            before = self.text[max(floor, m.start - 1) : m.start]
            # X的Y要…: X qualifies the subject Y (拖欠企业的款项要清偿), it is not the subject
            after = self.text[m.end : m.end + 1]
            return (
                before not in _ZH_PREPOSITIONS
                and after != "的"
                and not verb_before(self.text, m.start, floor)  # 贯彻X…要: X is an object
            )
        words = [w.lower() for w in self.text[max(floor, m.start - 40) : m.start].split()]
        # "on other countries", "for the industry": a preposition before the noun's modifiers
        while words and words[-1] in _MODIFIERS:
            words.pop()
        return not words or words[-1] not in _PREPOSITIONS
