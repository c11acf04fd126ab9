"""Draft writing: the authoring mapping and its deterministic YAML."""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from policykg.authoring.annotate.base import _Base
from policykg.authoring.annotate.model import (
    Annotation,
    Enumeration,
    FigureSuggestion,
    ProvisionSuggestion,
    Ref,
)
from policykg.authoring.annotate.reading import Sentence, _without_gc
from policykg.authoring.lexicon import Lexicon
from policykg.authoring.terms import MATCHES
from policykg.rdf.terms import local_name


def quote_digest(quote: str) -> str:
    """A short digest of a quote: how a draft remembers what it suggested."""
    return hashlib.sha256(quote.encode("utf-8")).hexdigest()[:12]


def _num(value: Decimal) -> int | float | str:
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value.normalize())


def _ids(refs: Sequence[Ref]) -> Any:
    if len(refs) == 1:  # most provisions name one
        return refs[0].id
    ids = list(dict.fromkeys(r.id for r in refs))
    return ids[0] if len(ids) == 1 else ids


@_without_gc
def draft_mapping(ann: Annotation, *, doc_id: str, text_name: str) -> dict[str, Any]:
    """The draft as an authoring mapping, every suggestion ``status: proposed``."""
    passages: dict[str, dict[str, Any]] = {}
    refs: dict[str, Ref] = {}
    mentioned: dict[str, dict[str, None]] = {}  # entity -> passages, in order
    by_passage_figs: dict[str, list[FigureSuggestion]] = {}
    for f in ann.figures:
        by_passage_figs.setdefault(f.passage, []).append(f)
    by_passage_enum: dict[str, list[Enumeration]] = {}
    for e in ann.enumerations:
        by_passage_enum.setdefault(e.passage, []).append(e)
    by_passage_prov: dict[str, list[ProvisionSuggestion]] = {}
    for p in ann.provisions:
        by_passage_prov.setdefault(p.passage, []).append(p)

    def use(ref: Ref, pid: str) -> str:
        refs.setdefault(ref.id, ref)
        mentioned.setdefault(ref.id, {})[pid] = None
        return ref.id

    # how each (entity, passage) was found, when not word for word: the draft's "match:"
    how: dict[str, dict[str, str]] = {}
    rank = {k: i for i, k in enumerate(MATCHES)}

    def found(rid: str, pid: str, match: str) -> None:
        seen = how.setdefault(rid, {})
        if rank.get(match, len(rank)) < rank.get(seen.get(pid, ""), len(rank) + 1):
            seen[pid] = match

    extra_at = [e[0] for e in ann.extra]
    locals_: dict[str, str] = {}
    ann_obj = _Base(ann.text, ann.lang, ann.date, Lexicon([], ann.lexicon))
    # the mentions, nested and near ones of each sentence, in that order (as ann.in_sentence)
    found_by = [(ms, [m.start for m in ms]) for ms in (ann.mentions, ann.nested, ann.near)]
    for sent in ann.sentences:
        body: dict[str, Any] = {"status": "proposed", "quote": sent.quote}
        if sent.occurrence:
            body["occurrence"] = sent.occurrence
        exact_here: set[str] = set()
        for m in [
            m
            for items, starts in found_by
            for m in items[
                bisect.bisect_left(starts, sent.start) : bisect.bisect_left(starts, sent.end)
            ]
        ]:
            if m.term.kind == "entity":
                rid = locals_.get(m.term.iri) or locals_.setdefault(
                    m.term.iri, local_name(m.term.iri)
                )
                if rid not in refs:
                    label, types = ann.labels.get(rid, (m.term.label, m.term.types))
                    refs[rid] = Ref(rid, label, m.start, m.end, True, types)
                mentioned.setdefault(rid, {})[sent.id] = None
            else:  # a class's own label ("the article", "a country") names a kind, no entity
                continue
            if m.match == "exact":
                exact_here.add(rid)
            elif rid not in exact_here:
                found(rid, sent.id, m.match)
        lo = bisect.bisect_left(extra_at, sent.start)
        hi = bisect.bisect_left(extra_at, sent.end)
        for _at, ref, match in ann.extra[lo:hi]:
            if use(ref, sent.id) not in exact_here:
                found(ref.id, sent.id, match)
        facts: list[dict[str, Any]] = []
        for f in by_passage_figs.get(sent.id, []):
            fact: dict[str, Any] = {
                "subject": f.subject,
                "status": "proposed",
                "value": _num(f.figure.value),
                "unit": f.figure.unit,
            }
            if f.figure.upper is not None:
                fact["upperValue"] = _num(f.figure.upper)
            if f.figure.qualifier:
                fact["qualifier"] = f.figure.qualifier
            if f.measure:
                fact["measure"] = f.measure
            if f.period is not None:
                if f.period.iso:
                    fact["period"] = f.period.iso
                fact["periodLabel"] = f.period.label
            if f.observation_of is not None:
                fact["observationOf"] = use(f.observation_of, sent.id)
            label = f"{f.figure.words}" + (f" ({f.period.label})" if f.period else "")
            refs[f.subject] = Ref(
                f.subject,
                f"figure in passage {sent.id}: {label}",
                f.figure.start,
                f.figure.end,
                False,
                ("GrowthRate",) if f.growth else ("Observation",),
            )
            mentioned.setdefault(f.subject, {})
            facts.append(fact)
        for e in by_passage_enum.get(sent.id, []):
            head = use(e.head, sent.id)
            for item in e.items:
                if item.id != head:
                    facts.append(
                        {"subject": use(item, sent.id), "exampleOf": head, "status": "proposed"}
                    )
        author = ann.author
        if author is not None and sent.start <= author.start < sent.end:
            # the passage that names the author states it (the compiler makes the author the
            # speaker of every provision that names no other)
            facts.append({"subject": doc_id, "author": use(author, sent.id), "status": "proposed"})
            if author.id not in exact_here:
                found(author.id, sent.id, "author")
        if facts:
            body["facts"] = facts
        provs: list[dict[str, Any]] = []
        for p in by_passage_prov.get(sent.id, []):
            prov: dict[str, Any] = {"status": "proposed"}
            if p.addressees:
                for r in p.addressees:
                    use(r, sent.id)
                prov["addressee"] = _ids(p.addressees)
            prov["modality"] = p.modality
            if p.negative:
                prov["polarity"] = "negative"
            prov["cue"] = p.cue.words
            if p.action:
                for r in p.action:
                    use(r, sent.id)
                prov["action"] = _ids(p.action)
            if p.stated_by is not None:
                prov["stated_by"] = use(p.stated_by, sent.id)
            for key, refs_ in (
                ("condition", p.condition),
                ("means", p.means),
                ("purpose", p.purpose),
            ):
                if refs_:
                    for r in refs_:
                        use(r, sent.id)
                    prov[key] = _ids(refs_)
            provs.append(prov)
        if provs:
            body["provisions"] = provs
        passages[sent.id] = body
    sent_starts = [s.start for s in ann.sentences]
    for cand, _n, spans in ann.candidates:
        ref = ann_obj.new_ref(cand, spans[0][0], spans[0][1], ("Concept",))
        refs.setdefault(ref.id, ref)
        for a, _b in spans:
            hit = _sentence_at(ann.sentences, a, sent_starts)
            if hit is not None:
                mentioned.setdefault(ref.id, {})[hit.id] = None
    entities: dict[str, dict[str, Any]] = {}
    for rid in sorted(refs):
        ref = refs[rid]
        desc: dict[str, Any] = {"status": "proposed"}
        classes = [t for t in ref.types if t] or ["Concept"]
        desc["type"] = classes[0] if len(classes) == 1 else classes
        if not (ref.zh and ref.label == ref.zh):
            desc["label"] = ref.label
        if ref.zh:  # a new term of a Chinese text: its Chinese words only, never a translation
            desc["zh"] = ref.zh
        if mentioned.get(rid):
            desc["mentioned_in"] = list(mentioned[rid])
            matches = {
                pid: kind
                for pid, kind in how.get(rid, {}).items()
                if kind != "exact" and pid in mentioned[rid]
            }
            if matches:
                desc["match"] = matches
        entities[rid] = desc
    title = f"[draft: {text_name}]"
    return {
        "document": {"id": doc_id, "type": "Document", "text": text_name, "title": title},
        "entities": entities,
        "passages": passages,
        "annotate": {
            "lang": ann.lang,
            "date": ann.date.isoformat() if ann.date else None,
            "lexicon": ann.lexicon,
            "text_sha256": hashlib.sha256(ann.text.encode("utf-8")).hexdigest(),
            "suggested_passages": sorted({quote_digest(s.quote) for s in ann.sentences}),
            "suggested_entities": sorted(entities),
        },
    }


def _sentence_at(
    sentences: Sequence[Sentence], offset: int, starts: Sequence[int]
) -> Sentence | None:
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and sentences[i].start <= offset < sentences[i].end:
        return sentences[i]
    return None


# -- YAML writing (deterministic, fast: a draft of a 1 MB text has thousands of passages) --------

_PLAIN = re.compile(r"^[A-Za-z_][\w./+-]*$")
_RESERVED = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


_SCALARS: dict[str, str] = {}


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        done = _SCALARS.get(value)
        if done is None:
            done = _str_scalar(value)
            if len(value) < 80:
                _SCALARS[value] = done
        return done
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return _str_scalar(str(value))


def _str_scalar(s: str) -> str:
    if _PLAIN.match(s) and s.lower() not in _RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, list):
        done = _SCALARS.get  # a string written before (never empty): no call of _scalar
        return (
            "["
            + ", ".join(
                [
                    (done(v) or _scalar(v))
                    if isinstance(v, str)
                    else _flow(v)
                    if isinstance(v, list)
                    else _scalar(v)
                    for v in value
                ]
            )
            + "]"
        )
    return _scalar(value)


def _emit(value: Any, indent: int, out: list[str], comments: dict[int, str] | None = None) -> None:
    pad = "  " * indent
    done = _SCALARS.get  # a string written before (never empty): no call of _scalar
    if isinstance(value, dict):
        for k, v in value.items():
            key = (isinstance(k, str) and done(k)) or _scalar(k)
            if isinstance(v, str):  # no comment: only a passage's body (a dict) has one
                out.append(f"{pad}{key}: {done(v) or _scalar(v)}")
                continue
            note = comments.get(id(v), "") if comments else ""
            if isinstance(v, dict):
                out.append(f"{pad}{key}:{note}" if v else f"{pad}{key}: {{}}")
                _emit(v, indent + 1, out, comments)
            elif isinstance(v, list) and any(isinstance(x, dict) for x in v):
                out.append(f"{pad}{key}:{note}")
                for item in v:
                    if isinstance(item, dict):
                        # written in place, its first line then marked as the item's
                        at = len(out)
                        _emit(item, indent + 2, out, comments)
                        out[at] = f"{pad}  - {out[at][len(pad) + 4 :]}"
                    else:
                        out.append(f"{pad}  - {_flow(item)}")
            else:
                out.append(f"{pad}{key}: {_flow(v)}{note}")


_HEADER = """\
# Draft written by 'policykg annotate' from {text} (language {lang}, lexicon {lexicon}, \
reference date {date}).
# Every suggestion is marked 'status: proposed'. Review each one: mark what is right
# 'status: accepted' (fix it first if needed) and delete the rest. 'policykg add' refuses the
# draft while any item is still proposed. Passage comments give the quote's offsets in the text
# (code points, end exclusive); the 'annotate' block at the end is for 'policykg annotate
# --update' and is ignored by the compiler.
"""


@_without_gc
def dump_draft(data: dict[str, Any], ann: Annotation | None = None) -> str:
    """Write a draft mapping as YAML (the authoring format, with offsets in comments)."""
    comments: dict[int, str] = {}
    if ann is not None:
        spans = {s.id: s for s in ann.sentences}
        for pid, body in data.get("passages", {}).items():
            s = spans.get(pid)
            if s is not None and body.get("quote") == s.quote:
                comments[id(body)] = f"  # {s.start}-{s.end}"
    meta = data.get("annotate", {})
    out: list[str] = [
        _HEADER.format(
            text=data["document"]["text"],
            lang=meta.get("lang"),
            lexicon=meta.get("lexicon"),
            date=meta.get("date") or "none",
        ).rstrip("\n")
    ]
    for section in ("document", "entities", "passages", "annotate"):
        if section not in data:
            continue
        out.append("")
        _emit({section: data[section]}, 0, out, comments)
    extra = {
        k: v for k, v in data.items() if k not in ("document", "entities", "passages", "annotate")
    }
    if extra:
        out.append("")
        _emit(extra, 0, out, comments)
    if ann is not None and ann.candidates:
        out.append("")
        out.append("# New term candidates (recurring phrases not in the lexicon; declared above as")
        out.append("# proposed entities): phrase, occurrences")
        for cand, n, _spans in ann.candidates:
            out.append(f"#   {json.dumps(cand, ensure_ascii=False)}: {n}")
    if ann is not None and ann.ambiguous:
        out.append("")
        out.append("# Ambiguous labels: each names several entities, so none was suggested; name")
        out.append("# the one meant by hand. Words, offsets: the entities it could be")
        for a, b, words, who in ann.ambiguous:
            out.append(f"#   {json.dumps(words, ensure_ascii=False)}, {a}-{b}: {', '.join(who)}")
    return "\n".join(out) + "\n"


@_without_gc
def draft_yaml(ann: Annotation, *, doc_id: str, text_name: str) -> str:
    """The draft of ``ann`` as YAML text."""
    return dump_draft(draft_mapping(ann, doc_id=doc_id, text_name=text_name), ann)


# -- the curation loop: --update ------------------------------------------------------------------
