"""The evidence as W3C Web Annotations: each passage an ``oa:Annotation`` on the stored text.

Every passage becomes one annotation (https://www.w3.org/TR/annotation-model/)::

    <passage#annotation> a oa:Annotation ;
        oa:motivatedBy oa:describing ;
        oa:hasBody <passage> ;                       # the passage's named graph: its facts
        oa:hasTarget <passage#target> .
    <passage#target> a oa:SpecificResource ;
        oa:hasSource <document> ;                    # its stored text: pkg:textFile, pkg:textSha256
        oa:hasSelector <passage#quote>, <passage#position> .
    <passage#quote> a oa:TextQuoteSelector ;
        oa:exact "..." ; oa:prefix "..." ; oa:suffix "..." .   # 32 code points each side
    <passage#position> a oa:TextPositionSelector ;
        oa:start 1234 ; oa:end 1300 ;                # Unicode code points, end exclusive
        rdfs:comment "..." .                         # says so

Design choices:

- **Body = the passage's named graph.** In policykg the facts a passage states live in the
  named graph whose name is the passage's IRI, so that IRI is the body: the annotation says
  "this span of the text states the statements of this graph" (provisions too, when a passage
  graph holds them). An ``oa:TextualBody`` would turn the facts into a string; a reified list of
  statements would duplicate them. The TriG and JSON-LD exports carry the named graphs with the
  annotations, so the bodies resolve inside the file; the Turtle export (which cannot hold named
  graphs) carries the annotations only, and its bodies resolve in ``policykg export --format
  trig``. A passage that states no fact has no body (allowed by the model).
- **Source = the document.** The stored text has no IRI of its own; the document's record, copied
  into the export, names it (``pkg:textFile``) and fixes its bytes (``pkg:textSha256``), so the
  selectors can be checked.
- **Positions in code points.** ``oa:start``/``oa:end`` count Unicode code points (Python ``str``
  indices), as Web Annotation counts characters; every position selector says so in an
  ``rdfs:comment``.
- **Named nodes, no blank nodes**: ``#annotation``, ``#target``, ``#quote`` and ``#position``
  fragments of the passage IRI, so the export is deterministic.
- **JSON-LD** uses the W3C context ``http://www.w3.org/ns/anno.jsonld`` (then an inline context
  for the project's prefixes). policykg never fetches it: :data:`ANNO_CONTEXT_TERMS` holds the
  terms this export uses, as that context defines them, and :func:`read_annotations` parses with
  it in place of the URL.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.core.choices import ANNOTATION_FORMATS
from policykg.core.errors import ParseError, QueryError, StoredTextError
from policykg.core.io import read_stored_text
from policykg.core.namespaces import OA, PKG, PREFIXES, RDF, RDFS, XSD
from policykg.core.paths import graphs_dir
from policykg.rdf.rdfwrite import to_trig, to_turtle
from policykg.rdf.terms import curie
from policykg.sparql.formats import nt_term

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = [
    "ANNOTATION_FORMATS",
    "ANNO_CONTEXT",
    "ANNO_CONTEXT_TERMS",
    "CODE_POINTS_NOTE",
    "CONTEXT_CHARS",
    "PassageAnnotation",
    "export_annotations",
    "passage_annotations",
    "read_annotations",
]


#: The W3C Web Annotation JSON-LD context the JSON-LD export names (never fetched).
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

#: The terms of :data:`ANNO_CONTEXT` this export uses, with the definitions that context gives
#: them: what a reader needs to expand the export without fetching the context.
ANNO_CONTEXT_TERMS: dict[str, Any] = {
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": {"@id": "@id", "@type": "@id"},
    "type": {"@id": "@type", "@type": "@id"},
    "Annotation": "oa:Annotation",
    "SpecificResource": "oa:SpecificResource",
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "TextPositionSelector": "oa:TextPositionSelector",
    "describing": "oa:describing",
    "motivation": {"@type": "@vocab", "@id": "oa:motivatedBy"},
    "body": {"@type": "@id", "@id": "oa:hasBody"},
    "target": {"@type": "@id", "@id": "oa:hasTarget"},
    "source": {"@type": "@id", "@id": "oa:hasSource"},
    "selector": {"@type": "@id", "@id": "oa:hasSelector"},
    "exact": "oa:exact",
    "prefix": "oa:prefix",
    "suffix": "oa:suffix",
    "start": {"@id": "oa:start", "@type": "xsd:nonNegativeInteger"},
    "end": {"@id": "oa:end", "@type": "xsd:nonNegativeInteger"},
}

#: How many code points of context the quote selectors carry on each side.
CONTEXT_CHARS = 32

#: What every position selector says about its numbers.
CODE_POINTS_NOTE = (
    "oa:start and oa:end count Unicode code points of the document's stored text "
    "(pkg:textFile), from 0, end exclusive"
)


@dataclass(frozen=True)
class PassageAnnotation:
    """One passage as an annotation.

    Attributes:
        passage: the passage's IRI (also the name of the graph of its facts: the body).
        document: the document whose stored text the selectors index (the target's source).
        exact: the quote.
        prefix: up to :data:`CONTEXT_CHARS` code points before it (``""`` at the start).
        suffix: up to :data:`CONTEXT_CHARS` code points after it (``""`` at the end).
        start: the quote's first code point in the stored text.
        end: the code point just after it.
        facts: the statements of the passage's graph, sorted.
    """

    passage: URIRef
    document: URIRef
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    facts: tuple[tuple[Node, Node, Node], ...]


def _sorted_triples(triples: Any) -> tuple[tuple[Node, Node, Node], ...]:
    return tuple(sorted(triples, key=lambda t: tuple(nt_term(x) for x in t)))


def _stored_text(ds: Dataset, document: URIRef, cache: dict[URIRef, str | None]) -> str | None:
    if document in cache:
        return cache[document]
    rel = ds.value(document, PKG.textFile)
    text: str | None = None
    if rel is not None:
        try:
            text = read_stored_text(graphs_dir(), str(rel))
        except StoredTextError:
            text = None
    cache[document] = text
    return text


def passage_annotations(kg: PolicyKG) -> list[PassageAnnotation]:
    """Return every passage of the graph as a :class:`PassageAnnotation`, sorted by IRI.

    The prefix and suffix come from the document's stored text.

    Raises:
        QueryError: a passage lacks its document, quote or offsets, its document's stored text is
            missing, or the text at its offsets is not its quote (run ``policykg validate``).
    """
    ds = kg.dataset
    texts: dict[URIRef, str | None] = {}
    out = []
    for passage in sorted(set(ds.subjects(RDF.type, PKG.Passage)), key=str):
        if not isinstance(passage, URIRef):
            continue
        doc = ds.value(passage, PKG.inDocument)
        quote = ds.value(passage, PKG.quote)
        start = ds.value(passage, PKG.startOffset)
        end = ds.value(passage, PKG.endOffset)
        name = curie(str(passage))
        if not isinstance(doc, URIRef) or quote is None or start is None or end is None:
            raise QueryError(f"{name}: a passage needs pkg:inDocument, pkg:quote and offsets")
        text = _stored_text(ds, doc, texts)
        if text is None:
            raise QueryError(f"{name}: the stored text of {curie(str(doc))} cannot be read")
        a, b = int(str(start)), int(str(end))
        if text[a:b] != str(quote):
            raise QueryError(
                f"{name}: the stored text at {a}-{b} is not the passage's quote; "
                "run 'policykg validate'"
            )
        facts = _sorted_triples(ds.graph(passage).triples((None, None, None)))
        out.append(
            PassageAnnotation(
                passage=passage,
                document=doc,
                exact=str(quote),
                prefix=text[max(a - CONTEXT_CHARS, 0) : a],
                suffix=text[b : b + CONTEXT_CHARS],
                start=a,
                end=b,
                facts=facts,
            )
        )
    return out


def _node(passage: URIRef, part: str) -> URIRef:
    return URIRef(f"{passage}#{part}")


def _annotation_triples(note: PassageAnnotation) -> list[tuple[Node, Node, Node]]:
    ann, target = _node(note.passage, "annotation"), _node(note.passage, "target")
    quote, position = _node(note.passage, "quote"), _node(note.passage, "position")
    nni = XSD.nonNegativeInteger
    triples: list[tuple[Node, Node, Node]] = [
        (ann, RDF.type, OA.Annotation),
        (ann, OA.motivatedBy, OA.describing),
        (ann, OA.hasTarget, target),
        (target, RDF.type, OA.SpecificResource),
        (target, OA.hasSource, note.document),
        (target, OA.hasSelector, quote),
        (target, OA.hasSelector, position),
        (quote, RDF.type, OA.TextQuoteSelector),
        (quote, OA.exact, Literal(note.exact)),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, Literal(note.start, datatype=nni)),
        (position, OA.end, Literal(note.end, datatype=nni)),
        (position, RDFS.comment, Literal(CODE_POINTS_NOTE, lang="en")),
    ]
    if note.facts:
        triples.append((ann, OA.hasBody, note.passage))
    if note.prefix:
        triples.append((quote, OA.prefix, Literal(note.prefix)))
    if note.suffix:
        triples.append((quote, OA.suffix, Literal(note.suffix)))
    return triples


def _source_triples(kg: PolicyKG, notes: list[PassageAnnotation]) -> list[tuple[Node, Node, Node]]:
    """The documents' records that identify the stored texts (file name and hash)."""
    ds = kg.dataset
    out: list[tuple[Node, Node, Node]] = []
    for doc in sorted({n.document for n in notes}, key=str):
        for pred in (PKG.textFile, PKG.textSha256):
            for value in sorted(ds.objects(doc, pred), key=str):
                out.append((doc, pred, value))
    return sorted(set(out), key=lambda t: tuple(str(x) for x in t))


# -- serializations -------------------------------------------------------------------------------

_LOCAL_CONTEXT = {**PREFIXES}


def _jsonld_term(term: Node) -> Any:
    if isinstance(term, URIRef):
        return {"@id": _short(term)}
    assert isinstance(term, Literal), term  # the graphs hold no blank nodes
    out: dict[str, Any] = {"@value": str(term)}
    if term.language:
        out["@language"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        out["@type"] = _short(term.datatype)
    return out


def _short(iri: str) -> str:
    short = curie(str(iri))
    return str(iri) if short.startswith("<") else short


def _fact_nodes(triples: tuple[tuple[Node, Node, Node], ...]) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, list[Any]]] = {}
    for s, p, o in triples:
        node = nodes.setdefault(_short(str(s)), {})
        if p == RDF.type and isinstance(o, URIRef):
            node.setdefault("@type", []).append(_short(o))
        else:
            node.setdefault(_short(str(p)), []).append(_jsonld_term(o))
    out = []
    for sid in sorted(nodes):
        entry: dict[str, Any] = {"@id": sid}
        for key in sorted(nodes[sid], key=lambda k: (k != "@type", k)):
            values = nodes[sid][key]
            entry[key] = sorted(values) if key == "@type" else sorted(
                values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)
            )
        out.append(entry)
    return out


def _annotation_json(note: PassageAnnotation) -> dict[str, Any]:
    quote: dict[str, Any] = {
        "id": f"{note.passage}#quote",
        "type": "TextQuoteSelector",
        "exact": note.exact,
    }
    if note.prefix:
        quote["prefix"] = note.prefix
    if note.suffix:
        quote["suffix"] = note.suffix
    position = {
        "id": f"{note.passage}#position",
        "type": "TextPositionSelector",
        "start": note.start,
        "end": note.end,
        "rdfs:comment": {"@value": CODE_POINTS_NOTE, "@language": "en"},
    }
    entry: dict[str, Any] = {
        "id": f"{note.passage}#annotation",
        "type": "Annotation",
        "motivation": "describing",
    }
    if note.facts:
        entry["body"] = str(note.passage)
    entry["target"] = {
        "id": f"{note.passage}#target",
        "type": "SpecificResource",
        "source": str(note.document),
        "selector": [quote, position],
    }
    return entry


def _jsonld(kg: PolicyKG, notes: list[PassageAnnotation]) -> str:
    top: list[dict[str, Any]] = [_annotation_json(n) for n in notes]
    sources: dict[str, dict[str, list[Any]]] = {}
    for s, p, o in _source_triples(kg, notes):
        sources.setdefault(str(s), {}).setdefault(_short(str(p)), []).append(_jsonld_term(o))
    for sid in sorted(sources):
        top.append({"@id": sid, **{k: sources[sid][k] for k in sorted(sources[sid])}})
    for note in notes:
        if note.facts:
            top.append({"@id": str(note.passage), "@graph": _fact_nodes(note.facts)})
    doc = {"@context": [ANNO_CONTEXT, _LOCAL_CONTEXT], "@graph": top}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def export_annotations(kg: PolicyKG, fmt: str = "annotations") -> str:
    """Serialize every passage as a Web Annotation, deterministically.

    Args:
        kg: the loaded graph.
        fmt: ``annotations`` (JSON-LD with the W3C context; the facts as named graphs),
            ``annotations-trig`` (the annotations in the default graph, the facts in the
            passages' named graphs) or ``annotations-ttl`` (the annotations only).

    Raises:
        QueryError: an unknown format, or a passage whose quote is not at its offsets.
    """
    if fmt not in ANNOTATION_FORMATS:
        raise QueryError(f"unknown annotation format '{fmt}' (use {', '.join(ANNOTATION_FORMATS)})")
    notes = passage_annotations(kg)
    if fmt == "annotations":
        return _jsonld(kg, notes)
    default = Graph()
    for note in notes:
        for triple in _annotation_triples(note):
            default.add(triple)
    for triple in _source_triples(kg, notes):
        default.add(triple)
    if fmt == "annotations-ttl":
        return to_turtle(default)
    text = to_trig({n.passage: list(n.facts) for n in notes if n.facts})
    body = to_turtle(default).split("\n\n", 1)[-1]
    indented = "\n".join("    " + ln if ln else ln for ln in body.splitlines())
    block = "{\n" + indented + "\n}\n"
    head, sep, rest = text.partition("\n\n")
    return f"{head}{sep}{block}\n{rest}" if sep else text + block


# -- reading back ---------------------------------------------------------------------------------


def _local_document(text: str) -> str:
    """Replace the W3C context's URL by :data:`ANNO_CONTEXT_TERMS`, so nothing is fetched."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"annotations: not JSON: {exc}") from None

    def swap(context: Any) -> Any:
        if isinstance(context, list):
            return [swap(c) for c in context]
        if context == ANNO_CONTEXT:
            return copy.deepcopy(ANNO_CONTEXT_TERMS)
        if isinstance(context, str):
            raise ParseError(f"annotations: will not fetch the remote context {context}")
        return context

    if isinstance(doc, dict) and "@context" in doc:
        doc["@context"] = swap(doc["@context"])
    return json.dumps(doc)


def _int(value: Node | None, ann: Node) -> int:
    if not isinstance(value, Literal):
        raise ParseError(f"annotations: {ann} has a position selector without start or end")
    try:
        return int(str(value))
    except ValueError:
        raise ParseError(f"annotations: {ann}: not a position: {value}") from None


def read_annotations(text: str, fmt: str = "annotations") -> list[PassageAnnotation]:
    """Parse an annotation export back into :class:`PassageAnnotation` records (sorted).

    JSON-LD is read with :data:`ANNO_CONTEXT_TERMS` in place of the W3C context (never fetched).
    A Turtle export has no facts (they are in the named graphs of the TriG export).

    Raises:
        ParseError: the text is not an annotation export.
    """
    ds = Dataset(default_union=True)
    rdf_format = {"annotations": "json-ld", "annotations-ttl": "turtle", "annotations-trig": "trig"}
    if fmt not in rdf_format:
        raise ParseError(f"unknown annotation format '{fmt}'")
    data = _local_document(text) if fmt == "annotations" else text
    try:
        ds.parse(data=data, format=rdf_format[fmt])
    except ParseError:
        raise
    except Exception as exc:  # rdflib raises many types for bad input
        raise ParseError(f"annotations: cannot parse: {exc}") from None
    out = []
    for ann in sorted(set(ds.subjects(RDF.type, OA.Annotation)), key=str):
        target = ds.value(ann, OA.hasTarget)
        body = ds.value(ann, OA.hasBody)
        source = ds.value(target, OA.hasSource) if target is not None else None
        selectors = list(ds.objects(target, OA.hasSelector)) if target is not None else []
        quote = next((s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in ds), None)
        pos = next((s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in ds), None)
        if not isinstance(source, URIRef) or quote is None or pos is None:
            raise ParseError(f"annotations: {ann} lacks its source or selectors")
        passage = URIRef(str(ann).rsplit("#", 1)[0])
        facts = (
            _sorted_triples(ds.graph(body).triples((None, None, None)))
            if isinstance(body, URIRef)
            else ()
        )
        out.append(
            PassageAnnotation(
                passage=passage,
                document=source,
                exact=str(ds.value(quote, OA.exact) or ""),
                prefix=str(ds.value(quote, OA.prefix) or ""),
                suffix=str(ds.value(quote, OA.suffix) or ""),
                start=_int(ds.value(pos, OA.start), ann),
                end=_int(ds.value(pos, OA.end), ann),
                facts=facts,
            )
        )
    return out

