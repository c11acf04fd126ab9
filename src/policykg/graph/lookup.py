"""Entities by name: the per-graph index of labels, types and passages, and the resolver.

An entity can be named by IRI (``https://w3id.org/policykg/id/high-end-chips`` or ``<...>``), by
CURIE (``kg:high-end-chips``), by its slug (``high-end-chips``) or by any of its labels in English
or Chinese (``high-end chips``, ``高端芯片``), ignoring case, width, spaces and hyphens
(:func:`policykg.graph.names.name_key`). An unknown name raises
:class:`~policykg.errors.UnknownEntityError` suggesting the nearest labels (rapidfuzz, close ones
only). :mod:`policykg.graph.entities` re-exports everything here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from policykg.core.errors import UnknownEntityError
from policykg.core.namespaces import KG, ONTOLOGY_IRI, PKG, RDF, RDFS, SKOS, SLUG
from policykg.core.text import escape_controls
from policykg.graph.names import acronym_key, close_names, initials, name_key
from policykg.rdf.terms import curie, expand_curie
from policykg.store.execute import run, run_each

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = [
    "Evidence",
    "GraphIndex",
    "index",
    "initials_matches",
    "labels_of",
    "partial_index",
    "resolve",
]

_LABEL_PROPS = (SKOS.prefLabel, SKOS.altLabel, RDFS.label)
_NAME_PROPS = (SKOS.prefLabel, RDFS.label)
_ONTOLOGY = URIRef(ONTOLOGY_IRI)
#: Predicates shown apart from the facts by :func:`describe` (types, labels, evidence links).
_META = frozenset({RDF.type, SKOS.prefLabel, SKOS.altLabel, RDFS.label, PKG.mentionedIn})


_norm = name_key


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

    def label(self, iri: Node, lang: str | None = None) -> str | None:
        """Return the preferred label of ``iri`` in ``lang`` (prefLabel, then rdfs:label).

        Without ``lang``, the label to show it by: the English one, else the Chinese one (a
        draft's term of a Chinese text is named only in Chinese).
        """
        if lang is None:
            return self.label(iri, "en") or self.label(iri, "zh")
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
        """Return a readable name (English label, else Chinese, else CURIE); a literal's text."""
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
    near = close_names(key, keys, n=n)
    for iri in initials_matches(kg, text):
        label = _norm(idx.name(iri))
        candidates.setdefault(label, set()).add(iri)
        near = [label, *[k for k in near if k != label]]
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
    by_initials = initials_matches(kg, text)
    if len(by_initials) == 1:  # "NQPF", "SOEs": one graph entity has those initials
        return by_initials[0]
    raise _unknown(kg, text)


def initials_matches(kg: PolicyKG, text: str) -> list[URIRef]:
    """The graph's entities whose English preferred label has the initials of acronym ``text``."""
    key = acronym_key(text)
    if not key:
        return []
    idx = index(kg)
    found = []
    for iri, by_prop in idx.labels.items():
        if not iri.startswith(KG):
            continue
        labels = [lit for lit in by_prop.get(SKOS.prefLabel, ()) if lit.language == "en"]
        if any(initials(str(lit)) == key for lit in labels):
            found.append(iri)
    return sorted(found, key=str)


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


