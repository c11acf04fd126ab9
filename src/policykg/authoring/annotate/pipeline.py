"""The pipeline: every stage over one text (:func:`annotate_text`), and captions' evidence."""

from __future__ import annotations

import bisect
import datetime as _dt
import re

from policykg.authoring.annotate.base import _Base
from policykg.authoring.annotate.candidates import _CandidateStage
from policykg.authoring.annotate.clauses import (
    clause_cues,
    in_result_clause,
    joined_word,
    trailing_purpose,
)
from policykg.authoring.annotate.figuring import _FigureStage
from policykg.authoring.annotate.mentions import (
    compound_part,
    rivals,
    split_ambiguous,
    whole_term,
)
from policykg.authoring.annotate.mentions_zh import zh_compound_part
from policykg.authoring.annotate.model import Annotation
from policykg.authoring.annotate.provisioning import _ProvisionStage
from policykg.authoring.annotate.reading import (
    _CAPTION_START,
    _CREDIT,
    Sentence,
    _without_gc,
    detect_language,
    split_sentences,
)
from policykg.authoring.annotate.speakers import _anaphora, _author, _on_behalf, _zh_anaphora
from policykg.authoring.annotate.speech import review_regions, task_cue
from policykg.authoring.coordination import acronyms, coordinated, coordinated_zh
from policykg.authoring.lexicon import Lexicon, Normalised
from policykg.authoring.modality import find_cues
from policykg.authoring.terms import Mention
from policykg.core.errors import ParseError
from policykg.rdf.terms import local_name

_CLAUSE_BREAK = re.compile(r"[,;:，；：]")


class _Annotator(_FigureStage, _ProvisionStage, _CandidateStage):
    """Every stage over one text."""


@_without_gc
def annotate_text(
    text: str,
    lexicon: Lexicon,
    *,
    lang: str = "auto",
    date: _dt.date | None = None,
) -> Annotation:
    """Annotate ``text`` with ``lexicon``; return every suggestion (nothing is written).

    Args:
        text: the document's text (offsets index it as code points).
        lexicon: the known terms (:meth:`Lexicon.from_kg`).
        lang: ``en``, ``zh`` or ``auto`` (:func:`detect_language`).
        date: the reference date that resolves relative periods (``this year``); ``None`` keeps
            the document's words only.
    """
    if lang == "auto":
        lang = detect_language(text)
    if lang not in ("en", "zh"):
        raise ParseError(f"unknown language {lang!r} (en, zh or auto)")
    ann = _Annotator(text, lang, date, lexicon)
    sentences = split_sentences(text, lang)
    norm = Normalised.of(text)
    mentions, nested = lexicon.match_all(text, norm)
    if lang == "en" and nested:  # a common noun inside a compound term is no mention of its own
        nested = [
            m
            for at, group in _by_outer(mentions, nested).items()
            for m in group
            if not compound_part(text, mentions[at], m, group)
        ]
        nested.sort(key=lambda m: (m.start, m.end))
    elif lang == "zh":  # a label inside a longer word or compound is no mention of its own
        mentions, nested = _zh_parts(text, mentions, nested)
    seen: dict[str, tuple[str, ...]] = {}
    mentions, ambiguous = split_ambiguous(lexicon, mentions, seen)
    nested, ambiguous_nested = split_ambiguous(lexicon, nested, seen)
    ann.blocked = sorted((m.start, m.end) for m, _who in ambiguous)
    mentions = [m for m in mentions if whole_term(text, m, lang)]
    tokens = ann._zh_tokens(mentions) if lang == "zh" else None
    cues = find_cues(text, lang, tokens)
    if lang == "zh":
        ann.read_meetings(mentions)
    cue_starts = [c.start for c in cues]
    ann_cues = cues
    result = Annotation(text, lang, date, lexicon.source, sentences, mentions)
    result.nested = [m for m in nested if m.term.kind == "entity"]
    result.ambiguous = sorted(
        ((m.start, m.end, m.surface, who) for m, who in [*ambiguous, *ambiguous_nested]),
    )
    result.cues = list(ann_cues)
    if lang == "en":
        fuzzy = lexicon.fuzzy() if lexicon.source == "graph" else None
        words = fuzzy.words(text) if fuzzy is not None else []
        word_starts = [w[0] for w in words]
        near: list[Mention] = []
        for sent in sentences:
            in_sent = result.in_sentence(mentions, sent)
            have = {m.term.iri for m in in_sent}
            have |= {m.term.iri for m in result.in_sentence(result.nested, sent)}
            q = sent.quote
            if " and " in q or " or " in q:
                for m in coordinated(lexicon, text, sent.start, sent.end):
                    if m.term.iri not in have:
                        near.append(m)
                        have.add(m.term.iri)
            lo = bisect.bisect_left(word_starts, sent.start)
            hi = bisect.bisect_left(word_starts, sent.end)
            if fuzzy is None or hi - lo < 2:
                continue
            exact = [(m.start, m.end) for m in in_sent]
            found = fuzzy.near(text, words[lo:hi], sent.start, sent.end, exact=exact)
            near += [m for m in found if m.term.iri not in have]
        # a near match must not assemble a term from words of different clauses ("development
        # through ..., China has made the advancement"); a described entity's label may be
        near = [
            m
            for m in near
            if m.match != "fuzzy"
            or not m.term.exact
            or not _CLAUSE_BREAK.search(text, m.start, m.end)
        ]
        near += acronyms(text, mentions) if "(" in text else []
        result.near = sorted(near, key=lambda m: (m.start, m.term.iri))
    elif lang == "zh":
        near = []
        for sent in sentences:
            if not any(j in sent.quote for j in "、和及与"):
                continue
            joined = coordinated_zh(lexicon, text, sent.start, sent.end)
            if not joined:
                continue
            have = {m.term.iri for m in result.in_sentence(mentions, sent)}
            have |= {m.term.iri for m in result.in_sentence(result.nested, sent)}
            for m in joined:
                if m.term.iri not in have:
                    near.append(m)
                    have.add(m.term.iri)
        result.near = sorted(near, key=lambda m: (m.start, m.term.iri))
    captions = [s for s in sentences if _is_caption(s.quote)]
    if captions:
        result.near = sorted(
            [*result.near, *_caption_evidence(ann, result, captions, lexicon)],
            key=lambda m: (m.start, m.term.iri),
        )
    result.near = sorted(
        [
            *result.near,
            *(
                _anaphora(text, sentences, result)
                if lang == "en"
                else _zh_anaphora(sentences, result)
            ),
        ],
        key=lambda m: (m.start, m.term.iri),
    )
    if ambiguous or ambiguous_nested:  # nor near a label that names several entities
        result.near = [
            m
            for m in result.near
            if m.term.kind != "entity" or len(rivals(lexicon, m.term.label, seen)) < 2
        ]
    result.author = _author(ann, result)
    if result.author is None:
        ann.voice = _on_behalf(ann, result)
    result.extra.sort(key=lambda e: (e[0], e[1].id))
    regions = review_regions(text) if lang == "zh" else []
    for sent in sentences:
        ms = result.in_sentence(mentions, sent)
        lo = bisect.bisect_left(cue_starts, sent.start)
        hi = bisect.bisect_left(cue_starts, sent.end)
        result.figures += ann.figures(sent, ms)
        result.enumerations += ann.enumerations(sent, ms)
        here = [c for c in cues[lo:hi] if c.end <= sent.end]
        task = task_cue(text, sent.start, sent.end, here, regions) if lang == "zh" else None
        if task is not None:
            here = [task, *(c for c in here if c.start >= task.end)]
            result.cues.append(task)
        if lang == "zh":
            here = [
                c
                for c in here
                if not (in_result_clause(text, sent.start, c) or joined_word(text, c))
            ]
            review = any(a <= sent.start < b for a, b in regions)
            # read once for the clauses and for the provisions
            purpose = trailing_purpose(text, sent.start, sent.end)
            ann.sentence_purpose = (sent.id, purpose)
            more = clause_cues(text, sent.start, sent.end, here, task, review, purpose)
            if more:
                here = sorted([*here, *more], key=lambda c: c.start)
                result.cues += more
        else:
            more = []
        made = ann.provisions(sent, ms, here, more)
        result.provisions += made
        persons = [m for m in ms if "Person" in m.term.types]
        if persons:
            ann.last_person = ann.ref_of(persons[-1])
        else:  # a reported speaker named by the words: who "he" is next
            for p in reversed(made):
                if p.stated_by is not None and "Person" in p.stated_by.types:
                    ann.last_person = p.stated_by
                    break
    result.cues.sort(key=lambda c: c.start)
    result.candidates = ann.candidates(mentions)
    result.capped = ann.capped
    result.capped_provisions = ann.capped_provisions
    labelled: set[str] = set()  # each entity once (the first of its mentions says its label)
    for m in [*mentions, *result.nested, *result.near]:
        if m.term.kind == "entity" and m.term.iri not in labelled:
            labelled.add(m.term.iri)
            result.labels.setdefault(
                local_name(m.term.iri), (ann.pref.get(m.term.iri, m.term.label), m.term.types)
            )
    return result


def _by_outer(mentions: list[Mention], nested: list[Mention]) -> dict[int, list[Mention]]:
    """The nested mentions by the index of the mention they lie in (both in text order)."""
    starts = [m.start for m in mentions]
    groups: dict[int, list[Mention]] = {}
    for m in nested:
        groups.setdefault(bisect.bisect_right(starts, m.start) - 1, []).append(m)
    return groups


def _zh_parts(
    text: str, mentions: list[Mention], nested: list[Mention]
) -> tuple[list[Mention], list[Mention]]:
    """The mentions and nested mentions of a Chinese text that are no compound's part."""
    kept = [m for m in mentions if not zh_compound_part(text, m)]
    if not nested:
        return kept, nested
    dropped = {id(m) for m in mentions} - {id(m) for m in kept}
    inner = []
    for at, group in _by_outer(mentions, nested).items():
        if id(mentions[at]) in dropped:
            continue
        for m in group:
            # the shortest term around it: a term nested in an action (培育壮大战略性新兴产业)
            # is itself a compound (新兴产业 in 战略性新兴产业)
            around = [
                n
                for n in group
                if n.start <= m.start and m.end <= n.end and n.end - n.start > m.end - m.start
            ]
            outer = min(around, key=lambda n: n.end - n.start) if around else mentions[at]
            if not zh_compound_part(text, m, outer):
                inner.append(m)
    inner.sort(key=lambda m: (m.start, m.end))
    return kept, inner


# -- evidence beyond the words: captions, pronouns, the author ----------------------------------


def _is_caption(quote: str) -> bool:
    """A photograph's caption: it ends with a photo credit or begins with ``Photo:`` / ``图为``."""
    tail = quote[-80:]
    if "/" not in tail and "摄" not in tail and ")" not in tail:
        return bool(_CAPTION_START.match(quote))
    return bool(_CREDIT.search(tail) or _CAPTION_START.match(quote))


def _caption_evidence(
    ann: _Base, result: Annotation, captions: list[Sentence], lexicon: Lexicon
) -> list[Mention]:
    """The photograph each caption captions.

    A known photograph whose label the caption holds, else a new ``Photograph`` entity named
    after the caption's first words (``photo: ...``).
    """
    found: list[Mention] = []
    fuzzy = lexicon.fuzzy() if ann.lang == "en" and lexicon.source == "graph" else None
    for sent in captions:
        hits: list[Mention] = []
        if fuzzy is not None:
            words = fuzzy.words(sent.quote)
            hits = [
                Mention(m.start + sent.start, m.end + sent.start, m.surface, m.term, m.match)
                for m in fuzzy.near(sent.quote, words, caption=True)
                if m.match == "caption"
            ]
        if hits:
            found += hits
            continue
        body = _CAPTION_START.sub("", _CREDIT.sub("", sent.quote)).strip()
        first = re.split(r"[,，。;；(（]|\s[-–—]\s", body, maxsplit=1)[0].strip(" .")
        if not first:
            continue
        parts = first.split(" ")
        if ann.lang == "en" and parts[0].lower() in ("a", "an", "the"):
            parts[0] = parts[0].lower()
        label = ("photo: " if ann.lang == "en" else "照片：") + " ".join(parts[:12])
        at = sent.quote.find(first) + sent.start
        prefix = "photo" if ann.lang == "zh" else ""  # an English label begins "photo:"
        ref = ann.new_ref(label, at, at + len(first), ("Photograph",), prefix=prefix)
        result.extra.append((at, ref, "caption"))
    return found
