"""The plain data the HTML graph is drawn from: entities, facts, passages and ontology terms.

The extraction (:mod:`policykg.outputs.viz.extract`) turns the knowledge graph into a
:class:`VizGraph`; views (:mod:`policykg.outputs.viz.views`) choose which of its nodes are drawn;
:mod:`policykg.outputs.viz.builder` turns it into a pyvis ``Network``. Every collection is kept
in a deterministic order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from policykg.rdf.terms import curie as terms_curie

__all__ = ["Passage", "Term", "VizFact", "VizGraph", "VizNode", "curie"]


def curie(iri: str) -> str:
    """Return ``prefix:local`` for an IRI in one of the project's namespaces, else the IRI.

    The abbreviation is :func:`policykg.rdf.terms.curie`'s; an IRI it cannot abbreviate is kept
    as it is (a node id, not SPARQL syntax, so without ``<>``).
    """
    short = terms_curie(iri)
    return short[1:-1] if short.startswith("<") and short.endswith(">") else short


@dataclass
class Term:
    """An ontology term (class or property) with its labels.

    Attributes:
        id: CURIE of the term (``pkg:Goal``).
        iri: the full IRI.
        label: English ``rdfs:label`` (local name when it has none).
        zh: Chinese label, or ``""``.
        definition: English ``skos:definition`` (or ``rdfs:comment``), or ``""``.
        evidence: ``pkg:evidenceQuote`` phrases that motivate the term.
    """

    id: str
    iri: str
    label: str
    zh: str = ""
    definition: str = ""
    evidence: list[str] = field(default_factory=list)


@dataclass
class Passage:
    """A verbatim span of a document: the evidence of the facts stated in its named graph.

    ``draft``: the passage is machine-made and unreviewed (``pkg:reviewStatus pkg:Unreviewed``),
    and so is every statement of its named graph.
    """

    id: str
    quote: str
    document: str = ""
    start: int | None = None
    end: int | None = None
    draft: bool = False


@dataclass
class VizFact:
    """One triple about a node as the page draws it: CURIEs and texts, with the graphs stating it.

    Not :class:`policykg.graph.entities.Fact` (rdflib terms with their evidence, what
    ``describe`` and ``path`` return): this is the page's flat, JSON-ready form of one.

    Attributes:
        s: CURIE of the subject.
        p: CURIE of the predicate.
        o: CURIE of the object when ``kind`` is ``"node"`` or ``"iri"``, else the literal's text.
        kind: ``"node"`` (an entity of the graph), ``"iri"`` (any other IRI) or ``"literal"``.
        lang: language tag of a literal.
        datatype: CURIE of a literal's datatype (``""`` for plain and language-tagged strings).
        sources: CURIEs of the named graphs stating it: passages first, then other graphs, sorted.
        inferred: stated only by the reasoner's graph (``kgg:inferred``).
    """

    s: str
    p: str
    o: str
    kind: Literal["node", "iri", "literal"]
    lang: str = ""
    datatype: str = ""
    sources: list[str] = field(default_factory=list)
    inferred: bool = False


@dataclass
class VizNode:
    """A node that can be drawn: a ``kg:`` entity, or an ontology class in the hierarchy view.

    Attributes:
        id: CURIE (``kg:new-quality-productive-forces``).
        iri: the full IRI.
        label: English preferred label (a readable fallback when it has none).
        zh: Chinese preferred label, or ``""``.
        alt: English alternative labels.
        alt_zh: Chinese alternative labels.
        definition: English definition, or ``""``.
        types: CURIEs of the classes it is an instance of, sorted.
        cls: the class it is drawn as (its most specific class).
        evidence: CURIEs of the passages that mention it (``pkg:mentionedIn``).
    """

    id: str
    iri: str
    label: str
    zh: str = ""
    alt: list[str] = field(default_factory=list)
    alt_zh: list[str] = field(default_factory=list)
    definition: str = ""
    types: list[str] = field(default_factory=list)
    cls: str = ""
    evidence: list[str] = field(default_factory=list)


@dataclass
class VizGraph:
    """Everything the page shows.

    Attributes:
        nodes: every node that can be drawn, by id (the drawn ones are ``shown``).
        shown: ids of the nodes the view draws.
        facts: every fact whose subject or object is a node, sorted.
        passages: evidence passages by id.
        classes: ontology classes by id.
        predicates: properties by id.
        ancestors: class id -> ids of all its superclasses (transitively), itself excluded.
        kind: ``"entities"`` or ``"hierarchy"``.
        title: the page's title.
        view: one line saying which view this is.
        texts: document id -> its stored text (for the reader view), when it could be read.
        terms: other ontology terms that facts point to (modalities, ...), by id.
    """

    nodes: dict[str, VizNode] = field(default_factory=dict)
    shown: set[str] = field(default_factory=set)
    facts: list[VizFact] = field(default_factory=list)
    passages: dict[str, Passage] = field(default_factory=dict)
    classes: dict[str, Term] = field(default_factory=dict)
    predicates: dict[str, Term] = field(default_factory=dict)
    ancestors: dict[str, set[str]] = field(default_factory=dict)
    kind: Literal["entities", "hierarchy"] = "entities"
    title: str = "policykg"
    view: str = "whole graph"
    texts: dict[str, str] = field(default_factory=dict)
    terms: dict[str, Term] = field(default_factory=dict)

    def edge_facts(self) -> list[VizFact]:
        """Return the facts drawn as edges: entity-to-entity facts between two shown nodes."""
        return [
            f
            for f in self.facts
            if f.kind == "node" and f.s in self.shown and f.o in self.shown and f.s != f.o
        ]

    def is_a(self, node: VizNode, cls: str) -> bool:
        """Return whether ``node`` is an instance of ``cls`` (directly or through a subclass)."""
        return any(t == cls or cls in self.ancestors.get(t, ()) for t in node.types)
