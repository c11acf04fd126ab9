"""The record layer of an imported document: its record and the passages that state it.

The record is read by exact rules from the title and the title block
(:mod:`policykg.authoring.corpus.metadata`), so it is not a draft: the document graph
``kgg:<id>`` holds the document (type, title, year, issuer, language, source URL, licence note,
stored text and its SHA-256) and the passages that state the rest, each in its own graph as
everywhere in the project: the title block's date and session line
(``pkg:date``, ``pkg:presentedAt``), its ``国务院总理李强`` line (``pkg:deliveredBy``), a
resolution's adoption line (``pkg:date``), its ``听取和审议了国务院总理…所作的政府工作报告``
sentence (the report it approves ``pkg:deliveredBy`` the Premier) and its ``决定批准这个报告``
sentence (``pkg:approves``; only when the report is in the corpus: the 2020 report is not, and
is reported, never invented).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.authoring.annotate import Sentence
from policykg.authoring.corpus.metadata import DocumentInfo, Session
from policykg.core.namespaces import KG, KGG, PKG, RDF, RDFS, SKOS, XSD

__all__ = ["PERSONS", "Triple", "passage_id", "record_graphs", "sentence_at"]

Triple = tuple[Node, Node, Node]

#: The Premiers the corpus names, with the English names of their official biographies.
PERSONS: dict[str, tuple[str, str]] = {
    "李克强": ("li-keqiang", "Li Keqiang"),
    "李强": ("li-qiang", "Li Qiang"),
}
_STATE_COUNCIL = KG["state-council"]
_ORDINALS = ("", "First", "Second", "Third", "Fourth", "Fifth")


def passage_id(doc_id: str, number: int) -> URIRef:
    """``kg:gwr-2024-s0001``: the passage of the ``number``-th sentence (from 1, text order)."""
    return KG[f"{doc_id}-s{number:04d}"]


def sentence_at(sentences: Sequence[Sentence], text: str, needle: str) -> int | None:
    """The 0-based index of the sentence holding the start of ``needle`` in ``text``."""
    start = text.find(needle)
    if start < 0:
        return None
    for i, s in enumerate(sentences):
        if s.start <= start < s.end:
            return i
    return None


def _entity(iri: URIRef, types: Iterable[URIRef], zh: str, en: str | None) -> list[Triple]:
    out: list[Triple] = [(iri, RDF.type, t) for t in types]
    for lang, label in (("zh", zh), ("en", en)):
        if label:
            out += [(iri, p, Literal(label, lang=lang)) for p in (SKOS.prefLabel, RDFS.label)]
    return out


def _session(session: Session) -> list[Triple]:
    iri = KG[session.slug]
    ordinal = _ORDINALS[session.number] if session.number < len(_ORDINALS) else str(session.number)
    en = f"{ordinal} Session of the {session.term}th National People's Congress"
    return _entity(iri, [PKG.Event], session.zh, en)


def _english_title(info: DocumentInfo) -> str:
    """The English title the State Council and the NPC publish these documents under."""
    if info.kind == "GovernmentWorkReport":
        return f"Report on the Work of the Government ({info.year})"
    assert info.session is not None
    n = info.session.number
    ordinal = _ORDINALS[n] if n < len(_ORDINALS) else str(n)
    return (f"Resolution of the {ordinal} Session of the {info.session.term}th National "
            "People's Congress on the Report on the Work of the Government")


@dataclass
class _Builder:
    doc: URIRef
    doc_id: str
    text: str
    sentences: Sequence[Sentence]
    graphs: dict[URIRef, list[Triple]]

    def passage(self, needle: str) -> URIRef | None:
        index = sentence_at(self.sentences, self.text, needle)
        if index is None:
            return None
        s = self.sentences[index]
        p = passage_id(self.doc_id, index + 1)
        meta = self.graphs[KGG[self.doc_id]]
        if p not in self.graphs:
            meta += [
                (p, RDF.type, PKG.Passage),
                (p, PKG.inDocument, self.doc),
                (p, PKG.quote, Literal(s.quote)),
                (p, PKG.startOffset, Literal(str(s.start), datatype=XSD.nonNegativeInteger)),
                (p, PKG.endOffset, Literal(str(s.end), datatype=XSD.nonNegativeInteger)),
            ]
            self.graphs[p] = []
        return p

    def state(self, needle: str, triples: list[Triple]) -> None:
        p = self.passage(needle)
        if p is None:
            return
        self.graphs[p] += triples
        meta = self.graphs[KGG[self.doc_id]]
        for s, _, o in triples:
            for node in (s, o):
                if isinstance(node, URIRef) and node.startswith(str(KG)) and node != self.doc:
                    meta.append((node, PKG.mentionedIn, p))


def record_graphs(
    info: DocumentInfo,
    *,
    title: str,
    text: str,
    sentences: Sequence[Sentence],
    url: str,
    licence: str,
    language: str,
    present: frozenset[str],
) -> dict[URIRef, list[Triple]]:
    """The record layer of one document (see the module's docstring).

    Args:
        info: the record read from the title and title block.
        title: the record's title.
        text: the stored text.
        sentences: its sentences (``annotate.split_sentences``), numbered from 1 as passages.
        url: the source URL (``""``: none).
        licence: the licence notice dropped from the content (``""``: none).
        language: ``zh``.
        present: the ids of every document in the corpus after the import (a resolution
            ``approves`` its report only when the report is there).
    """
    doc = KG[info.id]
    meta: list[Triple] = [
        *_entity(doc, [PKG[info.kind]], title, _english_title(info)),
        (doc, PKG.title, Literal(title, lang=language)),
        (doc, PKG.publicationYear, Literal(str(info.year), datatype=XSD.integer)),
        (doc, PKG.language, Literal(language)),
        (doc, PKG.textFile, Literal(f"corpus/{info.id}.txt")),
        (doc, PKG.textSha256, Literal(hashlib.sha256(text.encode("utf-8")).hexdigest())),
    ]
    if url:
        meta.append((doc, PKG.sourceUrl, Literal(url, datatype=XSD.anyURI)))
    if licence:
        meta.append((doc, PKG.licenceNote, Literal(licence, lang=language)))
    graphs: dict[URIRef, list[Triple]] = {KGG[info.id]: meta}
    b = _Builder(doc, info.id, text, sentences, graphs)
    if info.kind == "GovernmentWorkReport":
        # the title names the issuer: 中华人民共和国国务院政府工作报告
        meta.append((doc, PKG.issuedBy, _STATE_COUNCIL))
        meta += _entity(_STATE_COUNCIL, [PKG.PartyOrStateBody], "国务院", "State Council")
        speaker = b.passage("我代表国务院")  # the report's own words name its issuer
        if speaker is not None:
            meta.append((_STATE_COUNCIL, PKG.mentionedIn, speaker))
    elif info.session is not None:
        meta.append((doc, PKG.adoptedAt, KG[info.session.slug]))  # the title names it
    if info.session is not None:
        meta += _session(info.session)
    if "date" in info.evidence and info.date is not None:
        line = info.evidence["date"]
        triples: list[Triple] = [(doc, PKG.date, Literal(info.date.isoformat(), datatype=XSD.date))]
        if info.kind == "GovernmentWorkReport" and info.session is not None:
            triples.append((doc, PKG.presentedAt, KG[info.session.slug]))
        b.state(line, triples)
    if info.kind == "Resolution" and info.session is not None and "deliverer" in info.evidence:
        p = b.passage(info.evidence["deliverer"])  # 第…会议听取和审议了… names the session
        if p is not None:
            meta.append((KG[info.session.slug], PKG.mentionedIn, p))
    if info.deliverer is not None and "deliverer" in info.evidence:
        slug, en = PERSONS.get(info.deliverer, (None, None))
        if slug is not None:
            person = KG[slug]
            meta += _entity(person, [PKG.Person], info.deliverer, en)
            report = doc if info.approves is None else KG[info.approves]
            if info.approves is None or info.approves in present:
                b.state(info.evidence["deliverer"], [(report, PKG.deliveredBy, person)])
    if info.approves is not None and info.approves in present and "approves" in info.evidence:
        b.state(info.evidence["approves"], [(doc, PKG.approves, KG[info.approves])])
    return graphs
