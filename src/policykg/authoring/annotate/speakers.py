"""Speakers and evidence beyond the words: pronouns' antecedents and the document's author."""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TypeVar

from policykg.authoring.annotate.base import _Base
from policykg.authoring.annotate.model import Annotation, Ref
from policykg.authoring.annotate.reading import Sentence
from policykg.authoring.annotate.vocab import _COORD
from policykg.authoring.annotate.wire import (
    WireSpeaker,
    capitalised_words,
    person_evidence,
    wire_bodies,
    wire_persons,
    wire_speakers,
)
from policykg.authoring.modality import Cue
from policykg.authoring.terms import Mention, Term

_PRONOUN = re.compile(
    r"(?:[A-Z][^,;:\n]{0,40}?,\s+)?(?P<pro>They|It|This|These|Those|they|this|these|those)"
    r"(?=[\s,'’])(?:\s+(?P<noun>[a-z][\w-]*))?"
)
_OBJECT_PRONOUN = re.compile(r"[A-Z][^,;:\n]{0,40}?\b(?P<pro>this|that)\s*,")
_EXPLETIVE = re.compile(
    r"(?:'s|’s|\s+is|\s+was|\s+will be|\s+would be|\s+remains|\s+has been)\s+"
    r"(?:\w+\s+){0,2}?(?:to|that|for|whether)\b|\s+(?:means|seems|appears)\b"
)
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "our",
        "this",
        "these",
        "those",
        "all",
        "such",
        "both",
        "many",
        "several",
        "various",
    ]
)
_TRANSPARENT = frozenset(["number", "series", "range", "array", "variety", "host", "lot"])
_PRONOUN_VERBS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "will",
        "would",
        "can",
        "could",
        "should",
        "must",
        "may",
        "might",
        "has",
        "have",
        "had",
        "also",
        "calls",
        "means",
        "requires",
        "shows",
        "reflects",
        "helps",
        "makes",
        "marks",
        "represents",
        "remains",
        "provides",
        "embody",
        "embodies",
        "signify",
        "signifies",
    ]
)


_TAIL = re.compile(r"\s+(?:of|in|for|on|at|this|last|next|from)\s.*$", re.S)


def _plural(words: str) -> bool:
    """The phrase's head (its last word before a trailing ``of ...``, ``this year``) is plural."""
    head = _TAIL.sub("", words).split()
    last = head[-1].lower() if head else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _subject_like(text: str, sentence: Sentence, m: Mention) -> bool:
    """The mention begins its clause.

    Only determiners come before it, or a quantifier (``a number of``); not a preposition or a
    verb.
    """
    before = re.split(r"[,;:]", text[sentence.start : m.start])[-1].split()
    while before and before[-1].lower() in _DETERMINERS:
        before.pop()
    return not before or (
        before[-1].lower() == "of" and len(before) >= 2 and before[-2].lower() in _TRANSPARENT
    )


def _anaphora(text: str, sentences: list[Sentence], result: Annotation) -> list[Mention]:
    """Pronouns at the start of a sentence, as mentions of the subject of the sentence before.

    ``They ...`` stands for the plural subject (and the actors coordinated with it) of the
    previous sentence, ``It ...`` for its singular subject, ``This ...`` (a pronoun: followed by
    a verb) for its first term, ``these forces`` for a recent term whose head is ``forces``.
    Expletive ``it`` ("It is essential to ...") stands for nothing. Evidence only: a pronoun
    never becomes a provision's addressee.
    """
    out: list[Mention] = []
    for prev, sent in itertools.pairwise(sentences):
        q = sent.quote
        m = _PRONOUN.match(q)
        pro: str | None = None
        at = 0
        noun = None
        if m:
            pro, at, noun = m.group("pro").lower(), m.start("pro"), m.group("noun")
        else:
            m2 = _OBJECT_PRONOUN.match(q)
            if m2:
                pro, at = m2.group("pro").lower(), m2.start("pro")
        if pro is None:
            continue
        if pro == "it" and _EXPLETIVE.match(q, at + 2):
            continue
        candidates = sorted(
            [
                *result.in_sentence(result.mentions, prev),
                *result.in_sentence(result.nested, prev),
                *result.in_sentence(result.near, prev),
            ],
            key=lambda x: (x.start, x.match != "exact", x.start - x.end),
        )
        candidates = [c for c in candidates if c.match != "anaphora"]
        if any(c.term.kind == "entity" for c in candidates):
            # a known entity rather than a class word ("The goal is to build X")
            candidates = [c for c in candidates if c.term.kind == "entity"]
        if not candidates:
            continue
        start, end = sent.start + at, sent.start + at + len(pro)
        picked: list[Mention] = []
        if pro in ("these", "those", "this") and noun and noun not in _PRONOUN_VERBS:
            # a demonstrative noun phrase: "these forces" names a recent term with that head
            key = noun.lower().rstrip("s")
            back = [c for c in candidates if c.surface.lower().split()[-1].rstrip("s") == key]
            if back:
                # the last one, the longest of those ending there ("new quality productive
                # forces" rather than the "productive forces" inside it)
                picked = [max(back, key=lambda c: (c.end, c.match == "exact", c.end - c.start))]
                end = sent.start + m.end("noun") if m else end
        elif pro == "they":
            subjects = [
                c for c in candidates if _subject_like(text, prev, c) and _plural(c.surface)
            ]
            if subjects:
                first = subjects[0]
                picked = [first]
                for c in candidates:  # "A, B and C must ...": all the coordinated actors
                    if c.start > picked[-1].end and _COORD.fullmatch(
                        text[picked[-1].end : c.start]
                    ):
                        picked.append(c)
        elif pro == "it":
            subjects = [
                c
                for c in candidates
                if _subject_like(text, prev, c) and not c.term.actor and not _plural(c.surface)
            ]
            picked = subjects[:1]
        elif pro in ("this", "that"):
            first = [c for c in candidates if not c.term.actor]
            picked = first[:1]
        for c in picked:
            surface = text[start:end] if c.term.kind == "entity" else c.surface
            out.append(Mention(start, end, surface, c.term, "anaphora"))
    return out


_ZH_PRONOUN = re.compile(
    r"(?:[^，,。；;]{0,12}[，,])?(?P<pro>它们|他们|其|这些|该|此)(?P<noun>[\u4e00-\u9fff]{2})?"
)


def _zh_anaphora(sentences: list[Sentence], result: Annotation) -> list[Mention]:
    """Chinese pronouns at the start of a sentence, as evidence for the sentence before's subject.

    ``它们`` / ``他们`` / ``其`` stand for the mention that begins the previous sentence (and the
    actors coordinated with it); ``这些`` / ``该`` / ``此`` + a noun for a recent term that ends
    with that noun (``该企业`` for ``民营企业``). Evidence only, never an addressee.
    """
    out: list[Mention] = []
    for prev, sent in itertools.pairwise(sentences):
        m = _ZH_PRONOUN.match(sent.quote)
        if not m:
            continue
        candidates = [
            c
            for c in sorted(
                [
                    *result.in_sentence(result.mentions, prev),
                    *result.in_sentence(result.nested, prev),
                ],
                key=lambda x: (x.start, x.start - x.end),
            )
            if c.term.kind == "entity"
        ]
        if not candidates:
            continue
        pro, noun = m.group("pro"), m.group("noun")
        start = sent.start + m.start("pro")
        picked: list[Mention] = []
        if pro in ("这些", "该", "此"):
            if not noun:
                continue
            back = [c for c in candidates if c.surface.endswith(noun)]
            if back:
                picked = [max(back, key=lambda c: (c.end, c.end - c.start))]
                end = sent.start + m.end("noun")
        else:
            end = start + len(pro)
            first = candidates[0]
            if first.start == prev.start:  # the subject begins its sentence
                picked = [first]
                for c in candidates[1:]:
                    if c.start > picked[-1].end and _COORD.fullmatch(
                        result.text[picked[-1].end : c.start]
                    ):
                        picked.append(c)
        for c in picked:
            out.append(Mention(start, end, result.text[start:end], c.term, "anaphora"))
    return out


_BYLINE = {
    "en": re.compile(
        r"^[ \t]*(?:By|Author:|Written by)[ \t]+(?P<name>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3})"
        r"[ \t]*$",
        re.MULTILINE,
    ),
    "zh": re.compile(
        r"^[ \t]*(?:作者[：:]|文[/／])[ \t]*(?P<name>[\u4e00-\u9fff·]{2,6})[ \t]*$", re.MULTILINE
    ),
}
#: a speech's title block: a line of the office and the name that delivers it (国务院总理李克强,
#: 国务院总理　李强), among the text's first lines
_TITLE_BLOCK = re.compile(
    r"^[ \t\u3000]*[\u4e00-\u9fff]{0,10}(?:总理|主席|委员长|部长|省长|市长|书记|主任|院长|行长)"
    r"[ \t\u3000]*(?P<name>[\u4e00-\u9fff](?:[ \t\u3000]?[\u4e00-\u9fff]){1,2})[ \t\u3000]*$",
    re.MULTILINE,
)
#: the body a speech is delivered on behalf of: 我代表国务院，向大会报告… (the name is group 1)
_ON_BEHALF = re.compile(r"我代表(?P<name>[\u4e00-\u9fff]{2,12}?)[，,]?(?:向|作|对)")
_AUTHOR_NOTE = {"en": re.compile(r"\bthe author(?:'s|’s|s)?\b", re.I), "zh": re.compile("作者")}
_BIO = re.compile(
    r"(?:(?:Editor's|Editor’s|Author's|Author’s) note:\s*)?"
    r"(?P<name>[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}), (?:a|an|the) "
)


def _author(ann: _Base, result: Annotation) -> Ref | None:
    """The document's author, or ``None``.

    A byline ("By Li Ming", "作者：李明"), or the person an author's note introduces: a sentence
    that begins with a person ("Zhang Chi, a commentator ...") just before or after one that
    speaks of "the author".
    """
    text, lang = ann.text, ann.lang
    m = _BYLINE[lang].search(text)
    if m:
        return _person_at(ann, result, m.start("name"), m.end("name"))
    if lang == "zh":
        head = text[: sum(len(x) + 1 for x in text.split("\n", 12)[:12])]
        t = _TITLE_BLOCK.search(head)
        if t:
            return _person_at(ann, result, t.start("name"), t.end("name"))
    sents = result.sentences
    for i, sent in enumerate(sents):
        if not _AUTHOR_NOTE[lang].search(sent.quote):
            continue
        for near in (*reversed(sents[max(0, i - 3) : i]), *sents[i + 1 : i + 2]):
            b = _BIO.match(near.quote) if lang == "en" else None
            if b:
                return _person_at(
                    ann, result, near.start + b.start("name"), near.start + b.end("name")
                )
            persons = [
                x
                for x in result.in_sentence(result.mentions, near)
                if "Person" in x.term.types and x.start == near.start
            ]
            if persons:
                return ann.ref_of(persons[0])
    return None


def _on_behalf(ann: _Base, result: Annotation) -> Ref | None:
    """The body a Chinese speech is delivered on behalf of (我代表国务院，向大会报告…), or ``None``.

    With no author found, it is the speaker of the provisions that report no other (a work report
    stored without its title block speaks for the State Council: docs/conventions-zh.md).
    """
    if ann.lang != "zh":
        return None
    m = _ON_BEHALF.search(ann.text, 0, 3000)
    if m is None:
        return None
    a, b = m.span("name")
    for x in result.mentions:
        if x.start == a and x.end == b and x.term.kind == "entity":
            return ann.ref_of(x)
    return ann.new_ref(ann.text[a:b], a, b, ("Organization",), prefix="body")


def _person_at(ann: _Base, result: Annotation, start: int, end: int) -> Ref:
    for x in result.mentions:
        if x.start == start and x.end == end and x.term.kind == "entity":
            return ann.ref_of(x)
    words = ann.text[start:end]
    han = any("\u4e00" <= c <= "\u9fff" for c in words)
    return ann.new_ref(words, start, end, ("Person",), prefix="person" if han else "")


# -- the draft ------------------------------------------------------------------------------------


# -- English wire copy: the speaker a reporting clause names (issue 21) ---------------------------


class WireSpeech:
    """The reporting clauses of an English text and what they refer back to, found once."""

    def __init__(self, ann: _Base) -> None:
        self.ann = ann
        self._sentences: dict[str, list[WireSpeaker]] = {}
        self._persons: list[tuple[int, str, str]] | None = None
        self._bodies: dict[str, list[tuple[int, str]]] | None = None
        self._known: dict[str, Term] | None = None
        #: the persons named so far as speakers (offset, ref), by surname ("" for all), for
        #: a surname or a pronoun after them
        self.named_by: dict[str, list[tuple[int, Ref]]] = {}
        self._persons_by: dict[str, list[tuple[int, str]]] | None = None
        #: the speakers resolved, by the offset of their words
        self.resolved: dict[int, Ref | None] = {}
        #: the bodies that spoke so far (offset, ref): who "it said" is
        self.bodies_said: list[tuple[int, Ref]] = []
        self._evidence: dict[str, bool] = {}
        self._words_at: dict[str, list[int]] | None = None
        self._titled: frozenset[str] = frozenset()

    def speakers(self, sent: Sentence) -> list[WireSpeaker]:
        """The reporting clauses of a sentence (found once)."""
        found = self._sentences.get(sent.id)
        if found is None:
            found = self._sentences[sent.id] = wire_speakers(self.ann.text, sent.start, sent.end)
        return found

    def known(self, words: str) -> Term | None:
        """A known actor whose English label is ``words`` (an article before it left out)."""
        if self._known is None:
            self._known = {}
            for t in self.ann.lexicon.terms:
                if t.kind == "entity" and t.actor and t.lang == "en":
                    self._known.setdefault(t.label.lower(), t)
        key = re.sub(r"^the\s+", "", " ".join(words.split()).lower())
        return self._known.get(key)

    def persons(self) -> list[tuple[int, str, str]]:
        """The persons the text names: after a title, or by a known person's label (once).

        (offset, name, title lower-cased or "").
        """
        if self._persons is None:
            text = self.ann.text
            found = wire_persons(text)
            labels = sorted(
                {
                    t.label
                    for t in self.ann.lexicon.terms
                    if t.kind == "entity" and t.lang == "en" and "Person" in t.types
                },
                key=len,
                reverse=True,
            )
            if labels:
                alts = "|".join(re.escape(x) for x in labels)
                found += [(m.start(), m.group(), "") for m in re.finditer(rf"\b(?:{alts})\b", text)]
            self._persons = sorted(found)
        return self._persons

    def name(self, at: int, ref: Ref) -> None:
        """A person named as a speaker at ``at``."""
        parts = ref.label.split()
        for key in {"", parts[0], parts[-1]} if len(parts) > 1 else {""}:
            entries = self.named_by.setdefault(key, [])
            bisect.insort(entries, (at, ref), key=lambda x: x[0])

    def persons_by(self, key: str) -> list[tuple[int, str]]:
        """The persons the text names (:meth:`persons`) by surname, in order.

        The key "" gives all of them, "title:premier" those named with that title.
        """
        if self._persons_by is None:
            self._persons_by = {}
            for at, words, title in self.persons():
                parts = words.split()
                for k in ("", parts[0], parts[-1], f"title:{title}"):
                    self._persons_by.setdefault(k, []).append((at, words))
        return self._persons_by.get(key, [])

    def evidence(self, start: int, end: int) -> bool:
        """Whether the name at ``text[start:end]`` is a person's (:func:`.wire.person_evidence`)."""
        name = " ".join(self.ann.text[start:end].split())
        if name not in self._evidence:  # the index and the answer, once per text and name
            if self._words_at is None:
                self._words_at = capitalised_words(self.ann.text)
                self._titled = frozenset(" ".join(w.split()) for _a, w, _t in self.persons())
            self._evidence[name] = person_evidence(
                self.ann.text, start, end, self._titled, self._words_at
            )
        return self._evidence[name]

    def bodies_by(self, head: str) -> list[tuple[int, str]]:
        """The meetings, documents and bodies the text names by head noun: (offset, body)."""
        if self._bodies is None:
            self._bodies = {}
            for at, noun, words in wire_bodies(self.ann.text):
                self._bodies.setdefault(noun, []).append((at, words))
        return self._bodies.get(head, [])


def wire_speaker(
    state: WireSpeech, sent: Sentence, cue: Cue, mentions: list[Mention]
) -> Ref | None:
    """Who a reporting clause of the sentence says states the cue's provision, or ``None``.

    The last reporting clause whose subject comes before the cue ("Li said that ... must",
    "Li urged ..."); else the first after it that trails what it reports (", Li said, adding
    that ...", ", said Li Qiang", ", according to the ministry").
    """
    found = state.speakers(sent)
    before = [s for s in found if s.start < cue.start]
    pick = (
        before[-1]
        if before
        else next((s for s in found if s.trailing and s.start >= cue.end), None)
    )
    if pick is None:
        return None
    if pick.start in state.resolved:  # the sentence's other cues have the same speaker
        return state.resolved[pick.start]
    ref = state.resolved[pick.start] = _resolve(state, pick, mentions)
    if ref is not None and "Person" not in ref.types:
        state.bodies_said.append((pick.start, ref))
    return ref


_T = TypeVar("_T")


def _last_before(entries: list[tuple[int, _T]], at: int) -> tuple[int, _T] | None:
    """The last of ``entries`` (in order of offset) that begins before ``at``."""
    i = bisect.bisect_left(entries, at, key=lambda x: x[0])
    return entries[i - 1] if i else None


def _resolve(state: WireSpeech, s: WireSpeaker, mentions: list[Mention]) -> Ref | None:
    ann = state.ann
    if s.kind == "pronoun":  # the last person named, as a speaker or after a title
        return _by_surname(state, s, mentions, anyone=True)
    if s.kind == "it":  # "It urged ...": the body that spoke last
        said = _last_before(state.bodies_said, s.start)
        return said[1] if said else None
    here = [m for m in mentions if m.start < s.end and s.start < m.end and m.term.actor]
    if s.kind == "name" and any(
        m.start <= s.start and s.end <= m.end and m.term.kind == "entity"
        for m in mentions
        if "Person" not in m.term.types
    ):  # a known place or body ("Hong Kong said"): no person is made of it
        return _known_ref(state, here, s.words, s.start, s.end)
    if s.kind == "name":
        ref = _known_ref(state, here, s.words, s.start, s.end, person=True)
        if ref is None:
            if not state.evidence(s.start, s.end):
                return None  # "Hong Kong said": no person is made of a name without evidence
            ref = ann.new_ref(s.words, s.start, s.end, ("Person",))
        state.name(s.start, ref)
        return ref
    if s.kind == "surname":
        return _by_surname(state, s, mentions) or (ann.ref_of(here[0]) if here else None)
    if s.kind == "titled":  # "the premier": the last person named with that title
        found = _last_before(state.persons_by(f"title:{s.head}"), s.start)
        if found is None:
            return None
        at, words = found
        ref = _known_ref(state, [], words, at, at + len(words), person=True)
        return ref or ann.new_ref(words, at, at + len(words), ("Person",))
    if s.kind == "definite":
        back = _last_before(state.bodies_by(s.head), s.verb)
        if back is None:
            return None
        at, words = back
        return _known_ref(state, [], words, at, at + len(words)) or ann.new_ref(
            words, at, at + len(words), ("Organization",)
        )
    ref = _known_ref(state, here, s.words, s.start, s.end)
    return ref or ann.new_ref(s.words, s.start, s.end, ("Organization",))


def _known_ref(
    state: WireSpeech, here: list[Mention], words: str, start: int, end: int, person: bool = False
) -> Ref | None:
    """A known entity the words name: a mention at them, else a label of the lexicon."""
    for m in here:  # a mention of the whole name, not of a part ("China" in "Bank of China")
        if m.start > start or m.end < end:
            continue
        if m.term.kind == "entity" and ("Person" in m.term.types) == person:
            return state.ann.ref_of(m)
    term = state.known(words)
    if term is None or ("Person" in term.types) != person:
        return None
    return state.ann.ref_of(Mention(start, end, words, term, "exact"))


def _by_surname(
    state: WireSpeech, s: WireSpeaker, mentions: list[Mention], anyone: bool = False
) -> Ref | None:
    """The last person the text named whose name begins or ends with the surname.

    ``anyone``: the last person named, whatever the name (who "he" / "she" is).
    """
    ann = state.ann
    key = "" if anyone else s.words
    options: list[tuple[int, Ref | str]] = []
    person = _last_before(state.persons_by(key), s.start)
    if person is not None:
        options.append(person)
    named = _last_before(state.named_by.get(key, []), s.start)
    if named is not None:
        options.append(named)
    options += [
        (m.start, ann.ref_of(m))
        for m in mentions
        if m.start < s.start and "Person" in m.term.types and m.term.kind == "entity"
    ]
    if ann.last_person is not None:
        options.append((ann.last_person.start, ann.last_person))
    options.sort(key=lambda x: x[0])
    for at, who in reversed(options):
        label = who if isinstance(who, str) else who.label
        parts = label.split()
        if anyone or (len(parts) > 1 and s.words in (parts[0], parts[-1])):
            if isinstance(who, Ref):
                return who
            return _known_ref(state, [], who, at, at + len(who), person=True) or ann.new_ref(
                who, at, at + len(who), ("Person",)
            )
    return None
