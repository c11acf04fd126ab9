"""Entities by name, and the facts about them with their evidence.

An entity can be named by IRI (``https://w3id.org/policykg/id/high-end-chips`` or ``<...>``), by
CURIE (``kg:high-end-chips``), by its slug (``high-end-chips``) or by any of its labels in English
or Chinese (``high-end chips``, ``高端芯片``), case-insensitively. An unknown name raises
:class:`~policykg.errors.UnknownEntityError` suggesting the nearest labels.

Facts are the triples of the data graphs. The passage that states a fact is the named graph holding
it (see docs/DESIGN.md); its quote and character offsets are the fact's :class:`Evidence`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import UnknownEntityError
from policykg.core.namespaces import KG, ONTOLOGY_IRI, PKG, RDF, RDFS, SKOS, SLUG
from policykg.core.text import escape_controls, match_key
from policykg.rdf.terms import curie, expand_curie
from policykg.store.execute import run, run_each

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG
    from policykg.sparql.results import QueryResult

__all__ = [
    "PROVISION_ROLES",
    "Description",
    "Evidence",
    "Fact",
    "GraphIndex",
    "ProvisionView",
    "curie",
    "describe",
    "evidence",
    "expand_curie",
    "find",
    "index",
    "labels_of",
    "make_fact",
    "partial_index",
    "resolve",
]

_LABEL_PROPS = (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
_NAME_PROPS = (SKOS.prefLabel, RDFS.label)
_ONTOLOGY = URIRef(ONTOLOGY_IRI)
#: Predicates shown apart from the facts by :func:`describe` (types, labels, evidence links).
_META = frozenset({RDF.type, SKOS.prefLabel, SKOS.altLabel, RDFS.label, PKG.mentionedIn})


_norm = match_key


# -- the per-graph index: labels, types, passages -------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A passage stating a fact or mentioning an entity.

    Attributes:
        passage: the passage IRI (also the named graph of the facts it states).
        quote: the verbatim text.
        start: offset of the quote's first character in the document's stored text.
        end: offset just past its last character (``text[start:end] == quote``).
        document: the document the passage is from.
    """

    passage: URIRef
    quote: str
    start: int | None = None
    end: int | None = None
    document: URIRef | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (IRIs as strings)."""
        return {
            "passage": str(self.passage),
            "quote": self.quote,
            "start": self.start,
            "end": self.end,
            "document": str(self.document) if self.document is not None else None,
        }

    def text(self) -> str:
        """Return ``“quote” (kg:passage, start–end)``."""
        span = f", {self.start}–{self.end}" if self.start is not None else ""
        return f"“{escape_controls(self.quote)}” ({curie(self.passage)}{span})"


@dataclass
class GraphIndex:
    """Labels, types and passages of one loaded graph, read once with three queries.

    Attributes:
        labels: entity -> its label literals by property (prefLabel, altLabel, rdfs:label).
        by_text: normalized label text -> entities bearing it, best match first.
        types: entity -> its asserted classes.
        superclasses: class -> all its superclasses (transitive).
        passages: passage IRI -> its evidence record.
    """

    labels: dict[URIRef, dict[URIRef, list[Literal]]] = field(default_factory=dict)
    by_text: dict[str, list[URIRef]] = field(default_factory=dict)
    types: dict[URIRef, list[URIRef]] = field(default_factory=dict)
    superclasses: dict[URIRef, set[URIRef]] = field(default_factory=dict)
    passages: dict[URIRef, Evidence] = field(default_factory=dict)
    # Answers of label(), kept: a network of a large store asks for each name many times.
    _label_cache: dict[tuple[Node, str], str | None] = field(
        default_factory=dict, repr=False, compare=False
    )

    def label(self, iri: Node, lang: str = "en") -> str | None:
        """Return the preferred label of ``iri`` in ``lang`` (prefLabel, then rdfs:label)."""
        try:
            return self._label_cache[(iri, lang)]
        except KeyError:
            pass
        found: str | None = None
        props = self.labels.get(iri)  # type: ignore[call-overload]
        for prop in _NAME_PROPS if props else ():
            for lit in props.get(prop, ()):
                if (lit.language or "") == lang:
                    found = str(lit)
                    break
            if found is not None:
                break
        self._label_cache[(iri, lang)] = found
        return found

    def name(self, term: Node) -> str:
        """Return a readable name: the English label, else the CURIE; a literal's text."""
        if isinstance(term, URIRef):
            return self.label(term) or curie(str(term))
        return str(term)

    def is_a(self, iri: URIRef, cls: URIRef) -> bool:
        """Return whether ``iri`` has ``cls`` among its classes or their superclasses."""
        return any(t == cls or cls in self.superclasses.get(t, ()) for t in self.types.get(iri, ()))

    def most_specific(self, iri: URIRef) -> list[URIRef]:
        """Return the entity's asserted classes minus those that are superclasses of another."""
        types = self.types.get(iri, [])
        supers: set[URIRef] = set()
        for t in types:
            supers |= self.superclasses.get(t, set())
        return [t for t in types if t not in supers]


# Every label, one pattern per label property: with the properties in a VALUES block instead,
# Oxigraph reads every label of the graph even when ?e is bound (0.9 s against 0.03 s for 500
# IRIs on a 1M store). The queries below add their own restriction to it.
_LABELS = """SELECT ?e ?p ?l WHERE {
  { ?e skos:prefLabel ?l BIND(skos:prefLabel AS ?p) }
  UNION { ?e skos:altLabel ?l BIND(skos:altLabel AS ?p) }
  UNION { ?e rdfs:label ?l BIND(rdfs:label AS ?p) }
  FILTER(isIRI(?e) && isLiteral(?l)%s)
}"""
_LABELS_Q = _LABELS % ""
#: The labels containing ``?word`` once lower-cased.
_LABELS_MATCHING_Q = _LABELS % " && CONTAINS(LCASE(STR(?l)), ?word)"
_TYPES_Q = "SELECT DISTINCT ?e ?t WHERE { ?e a ?t . FILTER(isIRI(?e) && isIRI(?t)) }"
_SUPERS_Q = """SELECT DISTINCT ?c ?d WHERE {
  ?c rdfs:subClassOf+ ?d . FILTER(isIRI(?c) && isIRI(?d))
}"""
_PASSAGE_PART_Q = "SELECT ?passage ?part ?value WHERE { ?passage ?part ?value }"

_PROP_RANK = {SKOS.prefLabel: 0, RDFS.label: 1, SKOS.altLabel: 2}


def _int(term: Node | None) -> int | None:
    try:
        return int(str(term)) if term is not None else None
    except ValueError:
        return None


def _fill_labels(idx: GraphIndex, rows: Iterable[tuple[Node | None, ...]]) -> None:
    """Add (entity, label property, literal) rows to the labels and by-text maps of ``idx``."""
    ranked: dict[str, set[tuple[int, int, str]]] = {}
    for e, p, lit in rows:
        if not isinstance(e, URIRef) or not isinstance(lit, Literal) or not isinstance(p, URIRef):
            continue
        idx.labels.setdefault(e, {}).setdefault(p, []).append(lit)
        # best first: entities of the graph before ontology terms, then prefLabel > label > alt
        rank = (0 if e.startswith(KG) else 1, _PROP_RANK.get(p, 3), str(e))
        ranked.setdefault(_norm(str(lit)), set()).add(rank)
    for key, ranks in ranked.items():
        seen: list[URIRef] = []
        for _, _, iri in sorted(ranks):
            if URIRef(iri) not in seen:
                seen.append(URIRef(iri))
        idx.by_text[key] = seen
    for props in idx.labels.values():
        for lits in props.values():
            lits.sort(key=lambda lit: (lit.language or "", str(lit)))


def _fill_passages(idx: GraphIndex, rows: Iterable[tuple[Node | None, ...]]) -> None:
    """Add (passage, quote, start, end, document) rows to the evidence records of ``idx``."""
    for passage, quote, start, end, doc in rows:
        if isinstance(passage, URIRef) and quote is not None:
            idx.passages[passage] = Evidence(
                passage,
                str(quote),
                _int(start),
                _int(end),
                doc if isinstance(doc, URIRef) else None,
            )


def _fill_superclasses(idx: GraphIndex, kg: PolicyKG) -> None:
    """Read the class hierarchy (every class with all its superclasses) into ``idx``."""
    for c, d in run(kg, _SUPERS_Q).rows:
        if isinstance(c, URIRef) and isinstance(d, URIRef):
            idx.superclasses.setdefault(c, set()).add(d)


def index(kg: PolicyKG) -> GraphIndex:
    """Return the label, type and passage index of ``kg`` (built on first use, then cached)."""
    found = kg.cached_index
    if found is not None:
        return found

    idx = GraphIndex()
    _fill_labels(idx, run(kg, _LABELS_Q).rows)
    for e, t in run(kg, _TYPES_Q).rows:
        if isinstance(e, URIRef) and isinstance(t, URIRef):
            idx.types.setdefault(e, []).append(t)
    for types in idx.types.values():
        types.sort()
    _fill_superclasses(idx, kg)
    # The four parts of every passage, read one property at a time and joined here: on a store
    # on disk that is 0.6 s against 2.6 s for one query with OPTIONALs (1M triples).
    parts: dict[URIRef, dict[Node, Node]] = {}
    for part in (PKG.quote, PKG.startOffset, PKG.endOffset, PKG.inDocument):
        for passage, _, value in run(kg, _PASSAGE_PART_Q, {"part": part}).rows:
            if isinstance(passage, URIRef) and value is not None:
                parts.setdefault(part, {})[passage] = value
    starts, ends = parts.get(PKG.startOffset, {}), parts.get(PKG.endOffset, {})
    docs = parts.get(PKG.inDocument, {})
    quotes = parts.get(PKG.quote, {})
    _fill_passages(idx, [(q, t, starts.get(q), ends.get(q), docs.get(q))
                         for q, t in quotes.items()])
    kg.cached_index = idx
    return idx


_TYPES_OF_Q = "SELECT DISTINCT ?t WHERE { ?e a ?t . FILTER(isIRI(?t)) }"
_PASSAGES_OF_Q = """SELECT ?passage ?quote ?start ?end ?doc WHERE {
  ?passage pkg:quote ?quote .
  OPTIONAL { ?passage pkg:startOffset ?start }
  OPTIONAL { ?passage pkg:endOffset ?end }
  OPTIONAL { ?passage pkg:inDocument ?doc }
}"""


def labels_of(kg: PolicyKG, terms: Iterable[Node | None]) -> GraphIndex:
    """Return an index holding the labels of just ``terms`` (its other maps are empty).

    On a large store this is much cheaper than :func:`index`, which reads every label: a table
    of query results only needs the labels of the IRIs it shows. When the whole index is built
    already, that is returned.
    """
    cached = kg.cached_index
    if cached is not None:
        return cached

    iris = sorted({t for t in terms if isinstance(t, URIRef)})
    idx = GraphIndex()
    _fill_labels(idx, run_each(kg, _LABELS_Q, "e", iris))
    return idx


def partial_index(
    kg: PolicyKG,
    *,
    terms: Iterable[Node | None] = (),
    passages: Iterable[Node | None] = (),
    typed: URIRef | None = None,
) -> GraphIndex:
    """Return an index read for a few terms only: enough to show them, not the whole graph.

    It holds the labels of ``terms``, the evidence records of ``passages`` and, for ``typed``,
    its classes and the class hierarchy. When the whole index is built already, that is returned.
    """
    cached = kg.cached_index
    if cached is not None:
        return cached

    idx = labels_of(kg, [*terms, typed])
    if typed is not None:
        for (t,) in run(kg, _TYPES_OF_Q, {"e": typed}).rows:
            if isinstance(t, URIRef):
                idx.types.setdefault(typed, []).append(t)
        idx.types.get(typed, []).sort()
        _fill_superclasses(idx, kg)
    wanted = sorted({p for p in passages if isinstance(p, URIRef)})
    _fill_passages(idx, run_each(kg, _PASSAGES_OF_Q, "passage", wanted))
    return idx


def _labels_matching(kg: PolicyKG, text: str) -> GraphIndex:
    """Return an index of the labels that may equal ``text`` once normalized.

    Only labels containing the longest word of ``text`` (lower-cased) are read; the exact
    comparison (case-folded, spacing ignored) is made on those. The full index is used when it is
    built already.
    """
    cached = kg.cached_index
    if cached is not None:
        return cached

    words = text.lower().split()
    idx = GraphIndex()
    if words:
        word = max(words, key=len)
        _fill_labels(idx, run(kg, _LABELS_MATCHING_Q, {"word": Literal(word)}).rows)
    return idx


# -- resolving names ------------------------------------------------------------------------------


def _exists(kg: PolicyKG, iri: URIRef) -> bool:
    idx = kg.cached_index  # the index when it is built; else one indexed lookup, not a full read
    if idx is not None and (iri in idx.labels or iri in idx.types):
        return True

    res = run(kg, "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }", {"e": iri})
    return bool(res.boolean)


def _suggest(kg: PolicyKG, text: str, *, n: int = 5) -> list[str]:
    """Return up to ``n`` entities close to ``text``, as ``label (CURIE)``.

    A CURIE is compared with the local names of its namespace, anything else with every label
    (fuzzy matches first, then labels containing the text).
    """
    idx = index(kg)
    candidates: dict[str, set[URIRef]] = {}
    curie_ns = expand_curie(text)
    if curie_ns is not None:
        ns = str(curie_ns)[: len(str(curie_ns)) - len(text.split(":", 1)[1])]
        key = _norm(text.split(":", 1)[1])
        for iri in set(idx.labels) | set(idx.types):
            if iri.startswith(ns):
                candidates.setdefault(_norm(iri[len(ns) :]), set()).add(iri)
    else:
        key = _norm(text)
        for label, iris in idx.by_text.items():
            candidates.setdefault(label, set()).update(iris)
    keys = sorted(candidates)
    near = difflib.get_close_matches(key, keys, n=n, cutoff=0.6)
    if len(near) < n and len(key) >= 3:
        near += [k for k in keys if key in k and k not in near][: n - len(near)]
    found: list[URIRef] = []
    for k in near:
        for iri in sorted(candidates[k], key=lambda i: (not i.startswith(KG), str(i))):
            if iri not in found:
                found.append(iri)
    found.sort(key=lambda i: not i.startswith(KG))  # the graph's entities before ontology terms
    return [f"{idx.name(iri)} ({curie(str(iri))})" for iri in found[:n]]


def _unknown(kg: PolicyKG, text: str) -> UnknownEntityError:
    near = _suggest(kg, text)
    hint = f"; did you mean: {'; '.join(near)}?" if near else "; try 'policykg find TEXT'"
    return UnknownEntityError(f"unknown entity '{text}'{hint}")


def resolve(kg: PolicyKG, ref: str | Node) -> URIRef:
    """Return the IRI of the entity ``ref`` names.

    Args:
        kg: the loaded graph.
        ref: an IRI (``URIRef``, ``<...>`` or ``http(s)://...``), a CURIE (``kg:high-end-chips``),
            a slug of the ``kg:`` namespace, or a label (any language, case and spacing ignored).

    Raises:
        UnknownEntityError: nothing in the graph has that name, or a label names several
            entities equally well; the message lists the nearest labels or the candidates.
    """
    if isinstance(ref, URIRef):
        if _exists(kg, ref):
            return ref
        raise _unknown(kg, curie(str(ref)))
    if not isinstance(ref, str):
        raise UnknownEntityError(f"cannot name an entity with {ref!r}")
    text = ref.strip()
    if not text:
        raise UnknownEntityError("empty entity name")
    iri: URIRef | None = None
    if text.startswith("<") and text.endswith(">"):
        iri = URIRef(text[1:-1])
    elif re.match(r"^(?:https?|urn|file):\S+$", text):
        iri = URIRef(text)
    else:
        iri = expand_curie(text)
    if iri is not None:
        if _exists(kg, iri):
            return iri
        raise _unknown(kg, text)
    found = _by_label(_labels_matching(kg, text), text)
    if found is not None:
        return found
    if SLUG.match(text) and _exists(kg, URIRef(KG + text)):
        return URIRef(KG + text)
    # Labels the quick look missed (case folding beyond lower case): ask the whole index.
    found = _by_label(index(kg), text)
    if found is not None:
        return found
    raise _unknown(kg, text)


def _by_label(idx: GraphIndex, text: str) -> URIRef | None:
    """Return the entity ``text`` names by label in ``idx``, or ``None``.

    Raises:
        UnknownEntityError: several entities share that label equally well.
    """
    found = idx.by_text.get(_norm(text))
    if not found:
        return None
    best = [found[0]]
    # Several entities sharing a preferred label equally well: refuse to guess.
    rank0 = _rank(idx, found[0], text)
    best += [e for e in found[1:] if _rank(idx, e, text) == rank0]
    if len(best) > 1:
        names = ", ".join(curie(str(e)) for e in best)
        raise UnknownEntityError(f"'{text}' names several entities ({names}); use a CURIE")
    return found[0]


def _rank(idx: GraphIndex, iri: URIRef, text: str) -> tuple[int, int]:
    key = _norm(text)
    best = 3
    for prop, lits in idx.labels.get(iri, {}).items():
        if any(_norm(str(lit)) == key for lit in lits):
            best = min(best, _PROP_RANK.get(prop, 3))
    return (0 if iri.startswith(KG) else 1, best)


# -- facts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One statement of the graph, with readable names and the passages that state it.

    Attributes:
        subject: the subject IRI.
        predicate: the predicate IRI.
        object: the object (an IRI or a literal).
        subject_label: the subject's English label (or CURIE).
        predicate_label: the predicate's English label (or CURIE).
        object_label: the object's English label, CURIE or literal text.
        evidence: the passages stating it (empty for facts not from a document, e.g. extensions).
        graphs: every named graph holding it.
    """

    subject: URIRef
    predicate: URIRef
    object: Node
    subject_label: str
    predicate_label: str
    object_label: str
    evidence: tuple[Evidence, ...] = ()
    graphs: tuple[URIRef, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping (IRIs and literals as strings)."""
        obj: dict[str, Any] = {"value": str(self.object), "label": self.object_label}
        if isinstance(self.object, Literal):
            obj["type"] = "literal"
            if self.object.language:
                obj["language"] = self.object.language
            elif self.object.datatype is not None:
                obj["datatype"] = str(self.object.datatype)
        else:
            obj["type"] = "uri"
        return {
            "subject": {"value": str(self.subject), "label": self.subject_label},
            "predicate": {"value": str(self.predicate), "label": self.predicate_label},
            "object": obj,
            "evidence": [e.to_dict() for e in self.evidence],
            "graphs": [str(g) for g in self.graphs],
        }

    def text(self) -> str:
        """Return the fact read out: ``subject —predicate→ object`` (control characters escaped)."""
        s, p, o = (escape_controls(x) for x in (self.subject_label, self.predicate_label,
                                                 self.object_label))
        return f"{s} —{p}→ {o}"

    def __str__(self) -> str:
        return self.text()


def _evidence_order(e: Evidence) -> tuple[int, str]:
    return (e.start if e.start is not None else -1, str(e.passage))


def make_fact(idx: GraphIndex, s: URIRef, p: URIRef, o: Node, graphs: Iterable[URIRef]) -> Fact:
    """Build a :class:`Fact` with labels and evidence from the index."""
    gs = tuple(sorted(set(graphs), key=str))  # str keys: comparing URIRefs runs Python code
    ev = tuple(
        sorted(
            (idx.passages[g] for g in gs if g in idx.passages),
            key=lambda e: (e.start if e.start is not None else -1, str(e.passage)),
        )
    )
    return Fact(s, p, o, idx.name(s), idx.name(p), idx.name(o), ev, gs)


#: The roles an entity can play in a provision, in the order they are shown.
PROVISION_ROLES: tuple[tuple[URIRef, str], ...] = (
    (PKG.addressee, "addressee"),
    (PKG.action, "action"),
    (PKG.condition, "condition"),
    (PKG.means, "means"),
    (PKG.purpose, "purpose"),
    (PKG.statedBy, "stated by"),
    (PKG.about, "about"),
)
_ROLE_NAMES = dict(PROVISION_ROLES)


@dataclass(frozen=True)
class ProvisionView:
    """A provision an entity takes part in, read out for ``describe``.

    Attributes:
        provision: the provision's IRI.
        roles: the entity's roles in it (``addressee``, ``action``, ...).
        modality: the modality's IRI (``pkg:recommendation``).
        modality_label: its English label.
        cue: the text's modal words (``should``), if recorded.
        parts: role name -> the English labels of its values, for every role the provision fills.
        evidence: the passage that states it.
    """

    provision: URIRef
    roles: tuple[str, ...]
    modality: URIRef
    modality_label: str
    cue: str | None
    parts: tuple[tuple[str, tuple[str, ...]], ...]
    evidence: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "provision": str(self.provision),
            "roles": list(self.roles),
            "modality": curie(str(self.modality)),
            "modality_label": self.modality_label,
            "cue": self.cue,
            "parts": {name: list(values) for name, values in self.parts},
            "evidence": [e.to_dict() for e in self.evidence],
        }

    def text(self) -> str:
        """``as addressee: recommendation ("should") — action: ...; purpose: ...``."""
        cue = f' ("{self.cue}")' if self.cue else ""
        body = "; ".join(f"{name}: {', '.join(values)}" for name, values in self.parts)
        return f"as {' and '.join(self.roles)}: {self.modality_label}{cue} — {body}"


@dataclass(frozen=True)
class Description:
    """Everything the graph says about one entity.

    Attributes:
        entity: the entity's IRI.
        label: its English preferred label (or CURIE).
        labels: every label (preferred, alternative, rdfs:label) with its property.
        types: its asserted classes, most specific first.
        facts: statements with the entity as subject (first) or object, each with its evidence;
            a provision's links to the entity are shown under ``provisions`` instead.
        mentioned_in: the passages that mention the entity.
        provisions: the provisions the entity is the addressee, action, condition, means,
            purpose or speaker of, with their modality, in document order.
    """

    entity: URIRef
    label: str
    labels: tuple[tuple[URIRef, Literal], ...]
    types: tuple[URIRef, ...]
    facts: tuple[Fact, ...]
    mentioned_in: tuple[Evidence, ...]
    provisions: tuple[ProvisionView, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "entity": str(self.entity),
            "curie": curie(str(self.entity)),
            "label": self.label,
            "types": [str(t) for t in self.types],
            "labels": [
                {"property": curie(str(p)), "value": str(lit), "language": lit.language}
                for p, lit in self.labels
            ],
            "facts": [f.to_dict() for f in self.facts],
            "provisions": [p.to_dict() for p in self.provisions],
            "mentioned_in": [e.to_dict() for e in self.mentioned_in],
        }

    def text(self, *, quotes: bool = True) -> str:
        """Return a readable, multi-line account of the entity (control characters escaped)."""
        lines = [f"{escape_controls(self.label)} ({curie(str(self.entity))})"]
        if self.types:
            lines.append("  class: " + ", ".join(curie(str(t)) for t in self.types))
        others = [
            escape_controls(str(lit)) + (f" @{lit.language}" if lit.language else "") + (
                " (alt)" if prop == SKOS.altLabel else ""
            )
            for prop, lit in self.labels
            if prop != RDFS.label and not (prop == SKOS.prefLabel and str(lit) == self.label)
        ]
        if others:
            lines.append("  labels: " + "; ".join(dict.fromkeys(others)))
        if self.facts:
            lines.append("  facts:")
        for f in self.facts:
            lines.append(f"    {f.text()}")
            if quotes:
                lines += [f"        {e.text()}" for e in f.evidence]
        if self.provisions:
            lines.append("  provisions:")
        for prov in self.provisions:
            lines.append(f"    {prov.text()}")
            if quotes:
                lines += [f"        {e.text()}" for e in prov.evidence]
        if self.mentioned_in:
            passages = ", ".join(curie(str(e.passage)) for e in self.mentioned_in)
            lines.append(f"  mentioned in: {passages}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()


_OUT_Q = "SELECT ?p ?o ?g WHERE { GRAPH ?g { ?e ?p ?o } }"
_PROVISIONS_Q = """SELECT ?v ?role ?p ?o ?g WHERE {
  VALUES ?role {
    pkg:addressee pkg:action pkg:condition pkg:means pkg:purpose pkg:statedBy pkg:about
  }
  GRAPH ?g { ?v ?role ?e ; pkg:modality ?m ; ?p ?o }
}"""
_IN_Q = "SELECT ?s ?p ?g WHERE { GRAPH ?g { ?s ?p ?e } }"


def describe(kg: PolicyKG, entity: str | Node) -> Description:
    """Return every fact about ``entity`` (as subject or object), each with its evidence quotes.

    Types, labels and ``pkg:mentionedIn`` links are reported apart (``types``, ``labels``,
    ``mentioned_in``); the ontology's own axioms count as facts only when the entity is an
    ontology term.

    Raises:
        UnknownEntityError: ``entity`` names nothing in the graph.
    """
    iri = resolve(kg, entity)
    out_rows = run(kg, _OUT_Q, {"e": iri}).rows
    in_rows = run(kg, _IN_Q, {"e": iri}).rows
    prov_rows = run(kg, _PROVISIONS_Q, {"e": iri}).rows
    # Labels, classes and passages of just what the description shows (not the whole graph).
    idx = partial_index(
        kg,
        terms=[t for row in out_rows + in_rows for t in row[:2]]
        + [row[3] for row in prov_rows],
        passages=[row[2] for row in out_rows + in_rows]
        + [o for p, o, _ in out_rows if p == PKG.mentionedIn]
        + [row[4] for row in prov_rows],
        typed=iri,
    )
    provisions = _provision_views(idx, prov_rows)
    shown = {(p.provision, role) for p in provisions for role, _ in PROVISION_ROLES}
    grouped: dict[tuple[URIRef, URIRef, Node], list[URIRef]] = {}
    types: list[URIRef] = []
    mentions: list[Evidence] = []
    for p, o, g in out_rows:
        if not isinstance(p, URIRef) or o is None or not isinstance(g, URIRef):
            continue
        if p == RDF.type and isinstance(o, URIRef):
            types.append(o)
        elif p == PKG.mentionedIn and isinstance(o, URIRef):
            mentions.append(idx.passages.get(o) or Evidence(o, ""))
        elif p not in _META:
            grouped.setdefault((iri, p, o), []).append(g)
    incoming: dict[tuple[URIRef, URIRef, Node], list[URIRef]] = {}
    for s, p, g in in_rows:
        if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(g, URIRef):
            if p in (PKG.mentionedIn, PKG.mentions) or (g == _ONTOLOGY and s != iri):
                continue
            if (s, p) in shown:
                continue  # shown with its modality under provisions
            if (s, p, iri) not in grouped:
                incoming.setdefault((s, p, iri), []).append(g)

    def order(key: tuple[URIRef, URIRef, Node]) -> tuple[str, str, str]:
        s, p, o = key
        return (idx.name(p), idx.name(o if s == iri else s), str(o))

    facts = [make_fact(idx, *k, grouped[k]) for k in sorted(grouped, key=order)]
    facts += [make_fact(idx, *k, incoming[k]) for k in sorted(incoming, key=order)]
    specific = idx.most_specific(iri)
    ordered_types = [t for t in sorted(set(types)) if t in specific] + [
        t for t in sorted(set(types)) if t not in specific
    ]
    labels = tuple(
        (prop, lit)
        for prop in _LABEL_PROPS
        for lit in idx.labels.get(iri, {}).get(prop, [])
    )
    mentions = sorted(set(mentions), key=_evidence_order)
    return Description(
        entity=iri,
        label=idx.name(iri),
        labels=labels,
        types=tuple(ordered_types),
        facts=tuple(facts),
        mentioned_in=tuple(mentions),
        provisions=provisions,
    )


def _provision_views(idx: GraphIndex, rows: Sequence[Sequence[Any]]) -> tuple[ProvisionView, ...]:
    """Group the rows of ``_PROVISIONS_Q`` into one view per provision, in document order."""
    roles: dict[URIRef, set[URIRef]] = {}
    values: dict[URIRef, dict[URIRef, set[Node]]] = {}
    graphs: dict[URIRef, set[URIRef]] = {}
    for v, role, p, o, g in rows:
        if not (isinstance(v, URIRef) and isinstance(p, URIRef) and isinstance(g, URIRef)):
            continue
        if isinstance(role, URIRef):
            roles.setdefault(v, set()).add(role)
        if o is not None:
            values.setdefault(v, {}).setdefault(p, set()).add(o)
        graphs.setdefault(v, set()).add(g)
    views: list[ProvisionView] = []
    for v, props in values.items():
        modality = next(iter(sorted(props.get(PKG.modality, set()), key=str)), None)
        if not isinstance(modality, URIRef):
            continue
        cue = next(iter(sorted(str(c) for c in props.get(PKG.cue, set()))), None)
        parts = tuple(
            (name, tuple(sorted(idx.name(o) for o in props[prop])))
            for prop, name in PROVISION_ROLES
            if props.get(prop)
        )
        evidence = tuple(
            sorted((idx.passages[g] for g in graphs[v] if g in idx.passages), key=_evidence_order)
        )
        views.append(
            ProvisionView(
                provision=v,
                roles=tuple(_ROLE_NAMES[r] for r, _ in PROVISION_ROLES if r in roles[v]),
                modality=modality,
                modality_label=idx.name(modality),
                cue=cue,
                parts=parts,
                evidence=evidence,
            )
        )
    return tuple(
        sorted(
            views,
            key=lambda pv: (
                min((_evidence_order(e) for e in pv.evidence), default=(-1, "")),
                str(pv.provision),
            ),
        )
    )


def _fact_terms(kg: PolicyKG, fact: Sequence[Any]) -> tuple[URIRef, URIRef, Node]:
    if len(fact) != 3:
        raise UnknownEntityError(f"a fact is (subject, predicate, object), got {tuple(fact)!r}")
    s, p, o = fact
    subject = resolve(kg, s)
    predicate = resolve(kg, p)
    if isinstance(o, Node):
        obj: Node = o if not isinstance(o, URIRef) else resolve(kg, o)
    elif isinstance(o, str):
        obj = resolve(kg, o)
    else:
        obj = Literal(o)
    return subject, predicate, obj


_FACT_EVIDENCE_Q = """SELECT ?passage WHERE {
  GRAPH ?passage { ?s ?p ?o } ?passage pkg:quote ?quote
}"""
_ENTITY_EVIDENCE_Q = "SELECT ?passage WHERE { ?e pkg:mentionedIn ?passage }"


def evidence(kg: PolicyKG, target: str | Node | Fact | Sequence[Any]) -> list[Evidence]:
    """Return the passages that state a fact, or that mention an entity.

    Args:
        kg: the loaded graph.
        target: a :class:`Fact`; a ``(subject, predicate, object)`` tuple (subject and predicate
            named by IRI, CURIE or label; the object likewise, or an rdflib ``Literal`` / number);
            or an entity.

    Returns:
        The evidence, in document order (empty when the graph holds the fact without a passage).

    Raises:
        UnknownEntityError: a name resolves to nothing.
    """
    idx = index(kg)
    if isinstance(target, Fact):
        terms: dict[str, Node] = {"s": target.subject, "p": target.predicate, "o": target.object}
        rows = run(kg, _FACT_EVIDENCE_Q, terms).rows
    elif isinstance(target, str | Node):
        rows = run(kg, _ENTITY_EVIDENCE_Q, {"e": resolve(kg, target)}).rows
    else:
        s, p, o = _fact_terms(kg, target)
        rows = run(kg, _FACT_EVIDENCE_Q, {"s": s, "p": p, "o": o}).rows
    found = {r[0] for r in rows if isinstance(r[0], URIRef)}
    out = [idx.passages.get(g) or Evidence(g, "") for g in found]
    return sorted(out, key=_evidence_order)


def find(kg: PolicyKG, text: str, lang: str | None = None) -> QueryResult:
    """Search labels (preferred, alternative, rdfs:label) containing ``text``, case-insensitively.

    Runs the named query ``search-labels``.

    Args:
        kg: the loaded graph.
        text: the text to look for (English or Chinese).
        lang: keep only labels in this language (``en``, ``zh``).
    """
    values: dict[str, Any] = {"text": text}
    if lang:
        values["lang"] = lang
    return kg.named("search-labels", **values)
