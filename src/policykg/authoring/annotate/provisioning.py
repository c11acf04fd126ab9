"""Provisions from modality cues: modality, addressees, action, condition, means, purpose.

Who each provision addresses and who reports it are found by :mod:`.addressees`; this stage
assembles the provision around them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policykg.authoring.annotate.addressees import _AddresseeStage
from policykg.authoring.annotate.clauses import (
    inherits,
    object_left,
    subjectless,
    trailing_purpose,
    verb_at,
)
from policykg.authoring.annotate.model import ProvisionSuggestion, Ref
from policykg.authoring.annotate.reading import Sentence
from policykg.authoring.annotate.speech import (
    en_tail_purpose,
    people_object,
    purpose_lead,
)
from policykg.authoring.annotate.vocab import (
    _EN_ACTION_LEAD,
    _EN_BARE_PASSIVE,
    _EN_OBJECT_TO,
    _EN_UNDERGOES,
    _MEANS,
    _PASSIVE,
    _PURPOSE,
)
from policykg.authoring.modality import Cue

# the English directing verbs that name their addressee after them (one vocabulary of reporting
# verbs)
from policykg.authoring.reporting import OBJECT_CUES as _EN_OBJECT_CUES
from policykg.authoring.terms import Mention

#: cues that direct their object, not their subject: 要求 ("requires"), 鼓励 / "encourage",
#: 号召 / 呼吁 ("calls on")
_OBJECT_CUES = frozenset(["要求", "鼓励", "号召", "呼吁", "encourage", "encourages"])
#: the calls (会议号召，全国各族人民…): their addressee may follow a comma, and the serial verb
#: phrases after it are all what it is called on to do (its addressee is theirs)
_CALLS = frozenset(["号召", "呼吁"])
#: "Under no circumstances should local governments ...": the subject follows the modal
_EN_INVERTED_NO = re.compile(r"\b(?:[Uu]nder|[Ii]n)\s+no\s+(?:circumstances?|case|way)\s+$")
#: the most provisions suggested for one passage (a sentence of prose has a few cues; a run of
#: cues without punctuation many): the rest are left out and the passage is named in
#: :attr:`Annotation.capped_provisions`. A sentence of more clauses than that (a resolution's
#: call, 会议号召…，…，…: one directed clause each) may have one per clause, up to
#: :data:`MAX_CLAUSE_PROVISIONS`
MAX_PROVISIONS = 12
MAX_CLAUSE_PROVISIONS = 24
_CLAUSE_MARK = re.compile(r"[，,；;]")


def provision_cap(text: str, start: int, end: int) -> int:
    """How many provisions the sentence ``text[start:end]`` may have (see MAX_PROVISIONS)."""
    clauses = len(_CLAUSE_MARK.findall(text, start, end)) + 1
    return min(MAX_CLAUSE_PROVISIONS, max(MAX_PROVISIONS, clauses))


#: an intention cue that names a goal ("目标是", "the goal is to"): with several figures after it
#: in its sentence, each figure is a target of its own (one provision each)
_GOAL_CUE = re.compile(r"(?i)目标|goal|target")
#: modalities that name no addressee of their own
_UNADDRESSED = frozenset(["necessity", "intention", "commitment"])
#: modalities that direct someone: a topic chain carries their addressee (各地要A，不得B), not a
#: prediction's subject (毕业生将达…，要…)
_DIRECTIVE = frozenset(["obligation", "recommendation"])
#: where an English means or purpose ends (:meth:`_ProvisionStage._role`)
_EN_ROLE_END = re.compile(r"[,;:.!?()]")
#: a Chinese action: its clause's words (:meth:`_ProvisionStage._action_phrase`)
_ZH_ACTION = re.compile(r"[^，,；;。！？：:]{2,30}")
#: where an English action ends: a clause break or a conjunction
_EN_ACTION_END = re.compile(r"[,;:.!?()\"“”]|\s(?:and|while|but|which|that)\s")


class _ProvisionStage(_AddresseeStage):
    #: the purpose clause that ends the last Chinese sentence read (its passage id and
    #: :func:`.clauses.trailing_purpose`), when the pipeline has read it for its clauses
    sentence_purpose: tuple[str, tuple[int, int, int] | None] = ("", None)

    def provisions(
        self,
        sent: Sentence,
        mentions: list[Mention],
        cues: list[Cue],
        clause_cues: Sequence[Cue] = (),
    ) -> list[ProvisionSuggestion]:
        """The provisions of ``sent``, one per modal cue of ``cues``.

        ``clause_cues``: those of ``cues`` that open a directed clause
        (:func:`.clauses.clause_cues`); they take the addressees of the cue that governs them.
        """
        if not cues:
            return []
        q_start = sent.start
        cap = provision_cap(self.text, sent.start, sent.end)
        conds = [c for c in cues if c.modality == "condition"][:cap]
        modal = [c for c in cues if c.modality != "condition"]
        if len(modal) > cap:
            # a run of cues, not prose: the draft stays proportional to its text
            self.capped_provisions.append(sent.id)
            modal = modal[:cap]
        condition: tuple[Ref, ...] = ()
        for c in conds:
            clause_end = self._clause_end(c.end, sent.end)
            inside = [self.ref_of(m) for m in mentions if c.end <= m.start and m.end <= clause_end]
            if not inside:
                words = self.text[c.end : clause_end].strip(" ,，")
                if words:
                    lead = self.text.find(words, c.end)
                    inside = [
                        self.new_ref(words, lead, lead + len(words), ("Concept",), prefix="if")
                    ]
            condition += tuple(inside)
        out: list[ProvisionSuggestion] = []
        tail, tail_at = self._tail_purpose(sent, mentions, modal)
        carried: tuple[Ref, ...] = ()  # the addressees of the cue that governs the clauses after it
        if not modal and conds:
            c = conds[0]
            out.append(ProvisionSuggestion(sent.id, "assertion", c, None, (), condition))
            return out
        for i, cue in enumerate(modal):
            prev_end = modal[i - 1].end if i else q_start
            next_start = modal[i + 1].start if i + 1 < len(modal) else sent.end
            group: list[Mention] = []
            # nothing in a leading purpose clause is addressed (为推动…，各地要…)
            subject_from = purpose_lead(self.text, prev_end, cue.start, self.lang)
            if self.lang == "zh" and i:
                # what follows the cue before, in its clause, is that cue's (鼓励X参与…，不得…:
                # X is no subject of 不得); 要求X不得… (one clause): X is
                cut = self._clause_end(prev_end, cue.start)
                subject_from = max(subject_from, cut + 1) if cut < cue.start else subject_from
            key = " ".join(cue.words.lower().split())
            directs_object = key in _OBJECT_CUES or (
                self.lang == "en"
                and (
                    key in _EN_OBJECT_CUES
                    or bool(_EN_INVERTED_NO.search(self.text, max(0, cue.start - 30), cue.start))
                )
            )
            if cue.modality not in ("necessity", "intention", "commitment") and not directs_object:
                group = self._subjects(cue, subject_from, prev_end, mentions)
            passive = _PASSIVE.match(self.text, cue.end, next_start) if self.lang == "en" else None
            bare = self.lang == "en" and self._bare_passive(cue, next_start)
            if bare:
                passive = re.compile("").match(self.text, cue.end)  # what is forbidden: its subject
            undergoes = passive or (
                self.lang == "en" and _EN_UNDERGOES.match(self.text, cue.end, next_start)
            )
            if undergoes:
                # "Overreliance on ... must be avoided": the passive names no agent, so nobody
                # is addressed, and what is asked concerns its subject (the words before the cue)
                group = []
            speaker = self._speaker_of(sent, cue, mentions)
            # the person reported as saying it is not addressed by it
            addressees = tuple(
                r for r in (self.ref_of(m) for m in group) if speaker is None or r.id != speaker.id
            )
            if self.lang == "zh" and len(group) == 1:
                # 龙头企业要…: the text's own noun phrase, not its generic head
                addressees = (
                    self._narrowed(group[0].start, group[0].end, subject_from) or addressees
                )
            if directs_object:
                # 要求 / 鼓励 / "encourage": addressed to whom it names after the cue (号召，X…)
                obj_at = cue.end + (key in _CALLS and self.text[cue.end : cue.end + 1] in "，,：:")
                addressees = self._objects(obj_at, next_start, mentions)
                people = people_object(self.text, cue.end) if self.lang == "en" else None
                if people and not addressees:  # "called on the whole nation to" (as 号召 全国人民)
                    addressees = (
                        self.new_ref(self.text[slice(*people)], *people, ("CollectiveActor",)),
                    )
            elif not addressees and not undergoes and cue.modality not in _UNADDRESSED:
                addressees = self._collective(subject_from, cue.start, mentions)
            if inherits(cue, clause_cues):
                # a directed clause after 要A，…: the subject of 要 is its subject too
                addressees = carried if cue.modality not in _UNADDRESSED else ()
            elif key in _CALLS:
                carried = addressees  # 号召，X团结…，高举…: X is called on to do each
            elif not directs_object:
                if (
                    not addressees
                    and carried
                    and i
                    and self.lang == "zh"
                    and cue.modality in _DIRECTIVE
                    and modal[i - 1].modality in _DIRECTIVE
                    and subjectless(self.text, prev_end, cue.start)
                ):
                    # a topic chain: 各地要A，不得B (the clause after names no subject of its own)
                    addressees = carried
                carried = addressees
            if speaker is not None:
                addressees = tuple(r for r in addressees if r.id != speaker.id)
            addressee = addressees[0] if addressees else None
            means, means_at = self._role(_MEANS[self.lang], cue.end, next_start, mentions, "Task")
            purpose, purpose_at = self._role(
                _PURPOSE[self.lang], cue.end, next_start, mentions, "Goal"
            )
            if tail and cue.end <= tail_at:
                # a purpose clause that ends the sentence serves each clause before it
                purpose, purpose_at = purpose or tail, min(purpose_at, tail_at)
            action_end = min(means_at, purpose_at)
            # a verb cue (推动, 着力扩大) leaves its verb in the action
            action_start = verb_at(self.text, cue) if self.lang == "zh" else cue.end
            if directs_object and self.lang == "en":
                # "urged local governments to cut ...": the action follows the object's "to"
                to = (
                    None
                    if key.endswith("that")
                    else _EN_OBJECT_TO.match(self.text, cue.end, next_start)
                )
                action_start = to.end() if to else cue.end
                if to is None and addressees and addressees[0].start >= cue.end:
                    action_start = addressees[0].end  # "should local governments take on ..."
            if key in _CALLS and addressees and addressees[0].start >= cue.end:
                action_start = addressees[
                    0
                ].end  # 号召，全国各族人民团结…: what X is called on to do
            if means and self.text[cue.end : means_at].strip() == "" and self.lang == "zh":
                # 要通过X，Y: the means comes first, the action after its comma
                action_start = self._clause_end(means_at, next_start) + 1
                action_end = purpose_at
            action = [
                self.ref_of(m)
                for m in mentions
                if action_start <= m.start
                and m.end <= action_end
                and not m.term.actor
                and not (conds and self._in_condition(m, conds, sent.end))
            ]
            phrase = self._action_phrase(action_start, action_end)
            if passive:
                subject = self._passive_subject(prev_end, cue.start)
                action = (
                    [subject]
                    if subject is not None
                    else [
                        self.ref_of(m)
                        for m in mentions
                        if prev_end <= m.start and m.end <= cue.start and not m.term.actor
                    ]
                )
                phrase = None
            # the mentions right after the cue are the action ("should focus on X, Y"); a verb
            # phrase before them is the action itself ("must strengthen research in X")
            before = self.text[action_start : action[0].start] if action else ""
            if phrase is not None and (
                not action or (len(before.split()) > 3 if self.lang == "en" else len(before) > 2)
            ):
                action = [phrase]
            elif phrase is not None and self.lang == "zh" and action[0].start < phrase.end:
                # 推进城市更新: a term that is only part of the object is not the action
                spans = [(r.start, r.end) for r in action if r.start < phrase.end]
                action = [phrase] if object_left(self.text, spans, phrase.end) else action
            actions = [tuple(action)]
            if cue.modality == "intention" and _GOAL_CUE.search(cue.words):
                actions = self._targets(sent, cue.end, next_start) or actions
            for act in actions:
                out.append(
                    ProvisionSuggestion(
                        sent.id,
                        cue.modality,
                        cue,
                        addressee,
                        act,
                        condition,
                        addressees,
                        means,
                        purpose,
                        speaker,
                        cue.negative,
                    )
                )
        if len(out) > cap and sent.id not in self.capped_provisions:
            self.capped_provisions.append(sent.id)  # a goal cue before more figures than that
        return out[:cap]

    def _targets(self, sent: Sentence, start: int, limit: int) -> list[tuple[Ref, ...]]:
        """What each figure after a goal cue measures, when there are several.

        "主要预期目标是：国内生产总值增长5%左右，城镇新增就业1200万人左右": one target, one
        provision each.
        """
        sid, figs = getattr(self, "sentence_figures", ("", []))
        if sid != sent.id:
            return []
        aims = [f.observation_of for f in figs if start <= f.figure.start < limit]
        if len(aims) < 2:
            return []
        return [(a,) if a is not None else () for a in aims]

    def _bare_passive(self, cue: Cue, limit: int) -> bool:
        """An English passive cue that ends its clause ("Dumping of waste is prohibited.")."""
        if not _EN_BARE_PASSIVE.match(" ".join(cue.words.split())):
            return False
        return self.text[cue.end : self._clause_end(cue.end, limit)].strip(" .!?\n") == ""

    def _in_condition(self, m: Mention, conds: list[Cue], limit: int) -> bool:
        return any(c.end <= m.start and m.end <= self._clause_end(c.end, limit) for c in conds)

    def _role(
        self, pattern: re.Pattern[str], start: int, limit: int, mentions: list[Mention], kind: str
    ) -> tuple[tuple[Ref, ...], int]:
        """The means ("by ...") or purpose ("thereby ...") after a cue, and where it begins."""
        m = pattern.search(self.text, start, limit)
        if not m:
            return (), limit
        a = m.start("what")
        if self.lang == "zh":
            b = m.end("what")
        else:
            stop = _EN_ROLE_END.search(self.text, a, limit)
            b = stop.start() if stop else limit
        inside = tuple(
            self.ref_of(x) for x in mentions if a <= x.start and x.end <= b and not x.term.actor
        )
        lead = self.text[a : inside[0].start] if inside else ""
        if inside and not lead.strip():  # the role is the term itself
            return inside, m.start()
        words = self.text[a:b].strip(" ,，")
        if not words or (self.lang == "en" and len(words.split()) > 14):
            return (), m.start()
        return (self.new_ref(words, a, a + len(words), (kind,), prefix=kind.lower()),), m.start()

    def _tail_purpose(
        self, sent: Sentence, mentions: list[Mention], cues: list[Cue]
    ) -> tuple[tuple[Ref, ...], int]:
        """The purpose clause that ends ``sent`` (``…，为X提供支撑。``, ``…, to ensure …``)."""
        if self.lang == "en":
            found = en_tail_purpose(self.text, sent.start, sent.end, cues)
        else:
            sid, found = self.sentence_purpose
            if sid != sent.id:
                found = trailing_purpose(self.text, sent.start, sent.end)
        if found is None:
            return (), sent.end
        at, a, b = found
        inside = tuple(
            self.ref_of(x) for x in mentions if a <= x.start and x.end <= b and not x.term.actor
        )
        if inside and not self.text[a : inside[0].start].strip() and inside[-1].end == b:
            return inside, at
        return (self.new_ref(self.text[a:b], a, b, ("Goal",), prefix="goal"),), at

    def _passive_subject(self, start: int, cue_at: int) -> Ref | None:
        """The subject of a passive provision (the clause before its cue), as a new task."""
        clause = self.text[start:cue_at]
        cut = max(clause.rfind(c) for c in ",;:")
        lead = start + cut + 1 if cut >= 0 else start
        words = self.text[lead:cue_at].split()
        if not words or len(words) > 20:
            return None
        phrase = " ".join(words)
        found = self.text.find(phrase, lead, cue_at)
        if found < 0:
            return None
        return self.new_ref(phrase, found, found + len(phrase), ("Task",))

    def _action_phrase(self, start: int, limit: int) -> Ref | None:
        text = self.text
        if self.lang == "zh":
            m = _ZH_ACTION.match(text, start, limit)
            if not m:
                return None
            return self.new_ref(m.group(), m.start(), m.end(), ("Task",), prefix="action")
        m = _EN_ACTION_LEAD.match(text, start)
        pos = m.end() if m else start
        stop = _EN_ACTION_END.search(text, pos, limit)
        end = stop.start() if stop else limit
        words = text[pos:end].split()[:12]
        if not words:
            return None
        phrase = " ".join(words)
        found = text.find(phrase, pos, end + 1)
        if found < 0:
            found = pos
        return self.new_ref(phrase, found, found + len(phrase), ("Task",))
