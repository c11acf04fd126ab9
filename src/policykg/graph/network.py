"""The graph as a network of entities: neighbours, shortest paths, centrality, networkx export.

Nodes are the entities of the data graphs (not ontology terms, not passages); edges are the facts
linking two entities, wherever they are stated, except the bookkeeping ones (``rdf:type``,
``pkg:mentionedIn``, ``pkg:inDocument``). Several passages stating the same fact give one edge
whose evidence lists them all. Paths and neighbourhoods ignore edge direction but report each
fact as it is stated.

Only :func:`to_networkx`, :func:`central` and :func:`export_network` import networkx; paths and
neighbourhoods are computed by a plain breadth-first search.
"""

from __future__ import annotations

import io
import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Node

from policykg.core.choices import MEASURES
from policykg.core.errors import QueryError
from policykg.core.namespaces import ONTOLOGY_IRI, OWL, PKG, RDF, SKOS
from policykg.core.text import escape_controls
from policykg.core.walk import breadth_first
from policykg.graph.entities import Fact, GraphIndex, index, make_fact, partial_index, resolve
from policykg.rdf.terms import curie
from policykg.store.execute import run, run_each

if TYPE_CHECKING:
    import networkx as nx

    from policykg.graph.kg import PolicyKG

__all__ = [
    "MEASURES",
    "Centrality",
    "FactPath",
    "Network",
    "central",
    "export_network",
    "neighbours",
    "network",
    "path",
    "to_networkx",
]


# The edges are read predicate by predicate and filtered here rather than in SPARQL: on a store on
# disk, Oxigraph reads the text of every term a FILTER compares (20 s against 3 s for 1M triples).
_PREDICATES_Q = "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }"
_LINKS_Q = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?o)) }"
_PASSAGES_Q = "SELECT DISTINCT ?x WHERE { ?x a pkg:Passage }"  # all, or among ?x (run_each)
_DEFINITIONS_Q = """SELECT ?e ?d WHERE {
  ?e skos:definition ?d . FILTER(isIRI(?e) && LANGMATCHES(LANG(?d), "en"))
}"""


@dataclass
class Network:
    """The entity network of one graph (built once per graph, then cached).

    Attributes:
        facts: every edge as a :class:`Fact`, sorted.
        adjacency: node -> (fact index, neighbour, stated forward from this node), sorted.
        definitions: entity -> English definition, when it has one.
    """

    facts: list[Fact]
    adjacency: dict[URIRef, list[tuple[int, URIRef, bool]]]
    definitions: dict[URIRef, str]

    @property
    def nodes(self) -> list[URIRef]:
        """Every entity that takes part in at least one fact, sorted."""
        return sorted(self.adjacency)


_NETWORKS: weakref.WeakKeyDictionary[Any, Network] = weakref.WeakKeyDictionary()


def network(kg: PolicyKG) -> Network:
    """Return the entity network of ``kg`` (read with one query on first use, then cached)."""
    found = _NETWORKS.get(kg)
    if found is not None:
        return found
    idx = index(kg)
    passages = {x for (x,) in run(kg, _PASSAGES_Q).rows}
    predicates = [p for (p,) in run(kg, _PREDICATES_Q).rows if isinstance(p, URIRef)]
    grouped: dict[tuple[URIRef, URIRef, URIRef], list[URIRef]] = {}
    for predicate in sorted(set(predicates) - _NOT_EDGES, key=str):
        for s, p, o, g in run(kg, _LINKS_Q, {"p": predicate}).rows:
            if _is_edge(s, p, o, g) and s not in passages and o not in passages:
                assert isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef)
                assert isinstance(g, URIRef)
                grouped.setdefault((s, p, o), []).append(g)
    ordered = sorted(grouped, key=lambda k: (str(k[0]), str(k[1]), str(k[2])))  # fast C compares
    facts = [make_fact(idx, s, p, o, grouped[(s, p, o)]) for s, p, o in ordered]
    adjacency: dict[URIRef, list[tuple[int, URIRef, bool]]] = {}
    for i, f in enumerate(facts):
        assert isinstance(f.object, URIRef)
        adjacency.setdefault(f.subject, []).append((i, f.object, True))
        adjacency.setdefault(f.object, []).append((i, f.subject, False))
    for edges in adjacency.values():
        edges.sort(key=lambda e: _edge_order(e[1], facts[e[0]].predicate, e[2]))
    definitions = {
        e: str(d)
        for e, d in run(kg, _DEFINITIONS_Q).rows
        if isinstance(e, URIRef) and d is not None
    }
    net = Network(facts, adjacency, definitions)
    _NETWORKS[kg] = net
    return net


# -- neighbours and paths -------------------------------------------------------------------------

_Key = tuple[URIRef, URIRef, URIRef]
_EDGES_OF_Q = """SELECT ?s ?p ?o ?g WHERE {
  { GRAPH ?g { ?n ?p ?o } BIND(?n AS ?s) } UNION { GRAPH ?g { ?s ?p ?n } BIND(?n AS ?o) }
}"""
_NOT_EDGES = frozenset({RDF.type, PKG.mentionedIn, PKG.mentions, PKG.inDocument})


class _Edges:
    """The edges of :func:`network`, read from the store a few nodes at a time.

    Paths and neighbourhoods only visit part of a large graph; reading the whole network first
    costs about 30 s on a store of a million triples. The same edges are kept (:func:`_is_edge`).
    """

    def __init__(self, kg: PolicyKG) -> None:
        self.kg = kg
        self.adjacency: dict[URIRef, list[tuple[_Key, URIRef, bool]]] = {}
        self.graphs: dict[_Key, set[URIRef]] = {}
        self._passage: dict[URIRef, bool] = {}
        self._built: dict[_Key, Fact] | None = None
        net = _NETWORKS.get(kg)
        if net is not None:  # the whole network is in memory already: walk that
            keys = [_key(f) for f in net.facts]
            self._built = dict(zip(keys, net.facts, strict=True))
            for node, edges in net.adjacency.items():
                self.adjacency[node] = [(keys[i], other, fwd) for i, other, fwd in edges]

    def load(self, nodes: list[URIRef]) -> None:
        """Read the edges of every node not read yet."""
        if self._built is not None:
            return
        todo = [n for n in dict.fromkeys(nodes) if n not in self.adjacency]
        rows = []
        for s, p, o, g in run_each(self.kg, _EDGES_OF_Q, "n", todo):
            if _is_edge(s, p, o, g):
                assert isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef)
                assert isinstance(g, URIRef)
                rows.append((s, p, o, g))
        self._check_passages({t for s, _, o, _ in rows for t in (s, o)})
        found: dict[URIRef, set[tuple[_Key, URIRef, bool]]] = {n: set() for n in todo}
        for s, p, o, g in rows:
            if self._passage[s] or self._passage[o]:
                continue
            key = (s, p, o)
            self.graphs.setdefault(key, set()).add(g)
            if s in found:
                found[s].add((key, o, True))
            if o in found:
                found[o].add((key, s, False))
        for n, edges in found.items():
            self.adjacency[n] = sorted(edges, key=lambda e: _edge_order(e[1], e[0][1], e[2]))

    def step(self, node: URIRef) -> list[tuple[URIRef, _Key]]:
        """Return a loaded node's edges as (neighbour, fact key), for :func:`breadth_first`."""
        return [(other, key) for key, other, _ in self.adjacency.get(node, [])]

    def step_directed(self, node: URIRef) -> list[tuple[URIRef, tuple[_Key, bool]]]:
        """Return a loaded node's edges as (neighbour, (fact key, read forward))."""
        return [(other, (key, fwd)) for key, other, fwd in self.adjacency.get(node, [])]

    def _check_passages(self, terms: set[URIRef]) -> None:
        todo = sorted(t for t in terms if t not in self._passage)
        for t in todo:
            self._passage[t] = False
        for (x,) in run_each(self.kg, _PASSAGES_Q, "x", todo):
            if isinstance(x, URIRef):
                self._passage[x] = True

    def facts(self, keys: list[_Key]) -> list[Fact]:
        """Return the facts of ``keys`` with their labels and evidence."""
        if self._built is not None:
            return [self._built[k] for k in keys]
        idx = partial_index(
            self.kg,
            terms=[t for k in keys for t in k],
            passages=[g for k in keys for g in self.graphs[k]],
        )
        return [make_fact(idx, *k, self.graphs[k]) for k in keys]


def _edge_order(other: URIRef, predicate: URIRef, forward: bool) -> tuple[str, str, bool]:
    """Return the key a node's edges are walked in: by neighbour, predicate, forward first.

    It decides which of several equally short paths :func:`path` returns.
    """
    return (str(other), str(predicate), not forward)


def _key(fact: Fact) -> _Key:
    assert isinstance(fact.object, URIRef)  # network edges link two entities
    return (fact.subject, fact.predicate, fact.object)


_VOCABULARIES = (str(PKG), str(OWL))


def _is_edge(s: Node | None, p: Node | None, o: Node | None, g: Node | None) -> bool:
    """Tell whether a quad is an edge of the network: a fact linking two entities.

    Not an edge: types and evidence links, the ontology's axioms, loops, and anything naming an
    ontology term or a literal. (Passages are set aside by the callers.)
    """
    return (
        isinstance(s, URIRef)
        and isinstance(o, URIRef)
        and isinstance(g, URIRef)
        and s != o
        and str(g) != ONTOLOGY_IRI
        and p not in _NOT_EDGES
        and not str.startswith(s, _VOCABULARIES)
        and not str.startswith(o, _VOCABULARIES)
    )


def neighbours(kg: PolicyKG, entity: str | Node, depth: int = 1) -> list[Fact]:
    """Return the facts within ``depth`` steps of an entity (in either direction).

    Args:
        kg: the loaded graph.
        entity: IRI, CURIE or label.
        depth: how many steps out (1 = the facts that name the entity).

    Returns:
        The facts, nearest first, each with its evidence.

    Raises:
        UnknownEntityError: the entity is unknown.
        QueryError: ``depth`` is below 1.
    """
    if depth < 1:
        raise QueryError(f"depth must be at least 1, got {depth}")
    start = resolve(kg, entity)
    # Breadth-first, reading each level's edges from the store (or the network, when built).
    edges = _Edges(kg)
    found: dict[_Key, int] = {}
    for dist, _, _, key, _ in breadth_first([start], edges.step, depth=depth, load=edges.load):
        found.setdefault(key, dist + 1)
    keys = sorted(found, key=lambda k: (found[k], str(k[0]), str(k[1]), str(k[2])))
    return edges.facts(keys)


@dataclass(frozen=True)
class FactPath:
    """A chain of facts from one entity to another.

    Attributes:
        start: the first entity.
        end: the last entity.
        facts: the facts along the way, in order.
        forward: for each fact, whether it is read subject→object along the path.
        start_label: the first entity's label.
    """

    start: URIRef
    end: URIRef
    facts: tuple[Fact, ...]
    forward: tuple[bool, ...]
    start_label: str

    def __len__(self) -> int:
        return len(self.facts)

    def text(self) -> str:
        """Return the path read out: ``A —drives→ B ←is example of— C`` (controls escaped)."""
        esc = escape_controls
        out = [esc(self.start_label)]
        for fact, fwd in zip(self.facts, self.forward, strict=True):
            if fwd:
                out.append(f"—{esc(fact.predicate_label)}→ {esc(fact.object_label)}")
            else:
                out.append(f"←{esc(fact.predicate_label)}— {esc(fact.subject_label)}")
        return " ".join(out)

    def steps(self) -> list[str]:
        """Return one line per fact, each as stated (``subject —predicate→ object``)."""
        return [f.text() for f in self.facts]

    def __str__(self) -> str:
        return self.text()


def _linked(edges: _Edges, src: URIRef, dst: URIRef) -> bool:
    """Tell whether any chain of facts links two entities, reading as little as it can.

    Grows one side at a time, the one with the smaller frontier (on a tie, the one that has
    reached fewer entities; then the target's), until they meet or one side runs out. When the
    two are not linked this reads about the smaller of their connected parts, where a search
    from the start alone would read the whole of the start's.
    """
    if src == dst:
        return True
    seen = ({src}, {dst})
    frontiers = [[src], [dst]]
    while frontiers[0] and frontiers[1]:
        sizes = [(len(frontiers[i]), len(seen[i])) for i in (0, 1)]
        side = 1 if sizes[1] <= sizes[0] else 0
        edges.load(frontiers[side])
        grown: list[URIRef] = []
        for node in frontiers[side]:
            for _, other, _ in edges.adjacency.get(node, []):
                if other in seen[1 - side]:
                    return True
                if other not in seen[side]:
                    seen[side].add(other)
                    grown.append(other)
        frontiers[side] = grown
    return False


def path(kg: PolicyKG, a: str | Node, b: str | Node) -> FactPath | None:
    """Return the shortest chain of facts linking two entities, or ``None`` when none does.

    Edges are followed in either direction; among equally short paths the first in IRI order is
    chosen, so the answer is deterministic.

    Raises:
        UnknownEntityError: either entity is unknown.
    """
    src, dst = resolve(kg, a), resolve(kg, b)
    edges = _Edges(kg)
    if not _linked(edges, src, dst):
        return None
    # Breadth-first from the start, reading each level's edges from the store (or the network);
    # the levels _linked read are not read again.
    steps: dict[URIRef, tuple[URIRef, _Key, bool] | None] = {src: None}
    walk = breadth_first([src], edges.step_directed, load=edges.load) if src != dst else iter(())
    for _, node, other, (key, fwd), new in walk:
        if new:
            steps[other] = (node, key, fwd)
            if other == dst:
                break
    if dst not in steps:
        return None
    keys: list[_Key] = []
    directions: list[bool] = []
    node = dst
    while (came := steps[node]) is not None:
        node, key, fwd = came
        keys.append(key)
        directions.append(fwd)
    keys.reverse()
    directions.reverse()
    chain = edges.facts(keys)
    name = partial_index(kg, terms=[src]).name(src)
    return FactPath(src, dst, tuple(chain), tuple(directions), name)


# -- networkx -------------------------------------------------------------------------------------


def _node_attrs(idx: GraphIndex, net: Network, iri: URIRef) -> dict[str, str]:
    specific = idx.most_specific(iri)
    pkg_types = [t for t in specific if t.startswith(PKG)] or specific
    return {
        "label": idx.name(iri),
        "label_zh": idx.label(iri, "zh") or "",
        "curie": curie(str(iri)),
        "class": curie(str(pkg_types[0])) if pkg_types else "",
        "class_label": idx.name(pkg_types[0]) if pkg_types else "",
        "classes": " ".join(curie(str(t)) for t in idx.types.get(iri, [])),
        "definition": net.definitions.get(iri, ""),
    }


def to_networkx(kg: PolicyKG) -> nx.MultiDiGraph:
    """Return the entity network as a networkx ``MultiDiGraph``.

    Node keys are IRIs (``str``); node attributes: ``label``, ``label_zh``, ``curie``, ``class``
    (the most specific ``pkg:`` class, as a CURIE), ``class_label``, ``classes`` (all asserted
    classes, space-separated CURIEs) and ``definition``. Edges are keyed by the predicate's CURIE
    and carry ``predicate`` (IRI), ``label`` (the predicate's label), ``curie``, ``passages``
    (space-separated passage IRIs) and ``quote`` (the first passage's quote). Every attribute is
    a string, so the graph writes to GraphML and GEXF as is. Built from the data graphs only,
    never from ontology axioms.
    """
    import networkx as nx

    net = network(kg)
    idx = index(kg)
    graph = nx.MultiDiGraph(name="policykg")
    for iri in net.nodes:
        graph.add_node(str(iri), **_node_attrs(idx, net, iri))
    for f in net.facts:
        graph.add_edge(
            str(f.subject),
            str(f.object),
            key=curie(str(f.predicate)),
            predicate=str(f.predicate),
            label=f.predicate_label,
            curie=curie(str(f.predicate)),
            passages=" ".join(str(e.passage) for e in f.evidence),
            quote=f.evidence[0].quote if f.evidence else "",
        )
    return graph


@dataclass(frozen=True)
class Centrality:
    """One entity's centrality score.

    Attributes:
        entity: the entity's IRI.
        label: its English label.
        score: the measure's value.
        cls: its most specific class, if it has one.
    """

    entity: URIRef
    label: str
    score: float
    cls: URIRef | None


def central(
    kg: PolicyKG, n: int = 10, *, measure: str = "degree", concepts_only: bool = True
) -> list[Centrality]:
    """Return the ``n`` most central entities of the network.

    The measure is computed on the undirected simple graph of all entities; the ranking keeps
    concepts (instances of ``pkg:Concept`` and its subclasses) unless ``concepts_only`` is false.
    Ties are broken by label, so the order is deterministic.

    Args:
        kg: the loaded graph.
        n: how many to return.
        measure: one of :data:`MEASURES` (``pagerank`` needs SciPy).
        concepts_only: rank concepts only (default) or every entity.

    Raises:
        QueryError: an unknown measure, or ``n`` below 1.
    """
    import networkx as nx

    if measure not in MEASURES:
        raise QueryError(f"unknown centrality measure '{measure}' (use {', '.join(MEASURES)})")
    if n < 1:
        raise QueryError(f"n must be at least 1, got {n}")
    idx = index(kg)
    simple = nx.Graph()
    net = network(kg)
    simple.add_nodes_from(str(x) for x in net.nodes)
    simple.add_edges_from((str(f.subject), str(f.object)) for f in net.facts)
    if measure == "degree":
        scores = nx.degree_centrality(simple)
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(simple)
    elif measure == "closeness":
        scores = nx.closeness_centrality(simple)
    elif measure == "eigenvector":
        scores = nx.eigenvector_centrality(simple, max_iter=1000)
    else:
        try:
            scores = nx.pagerank(simple)
        except ImportError:
            raise QueryError("the pagerank measure needs SciPy (pip install scipy)") from None
    ranked = []
    for key, score in scores.items():
        iri = URIRef(key)
        if concepts_only and not idx.is_a(iri, PKG.Concept) and not idx.is_a(iri, SKOS.Concept):
            continue
        most = idx.most_specific(iri)
        specific = [t for t in most if t.startswith(PKG)] or most
        cls = specific[0] if specific else None
        ranked.append(Centrality(iri, idx.name(iri), round(float(score), 6), cls))
    ranked.sort(key=lambda c: (-c.score, c.label.casefold(), str(c.entity)))
    return ranked[:n]


_GEXF_DATE = re.compile(rb'\s*lastmodifieddate="[^"]*"')


# Characters XML 1.0 cannot hold at all, not even as character references.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    r"""Return ``text`` with the characters XML 1.0 forbids written as visible escapes (``\x01``).

    GraphML and GEXF are XML: a label with such a character would make the whole file unreadable.
    """
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _xml_safe_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    import networkx as nx

    def clean(attrs: dict[str, Any]) -> dict[str, Any]:
        return {xml_safe(str(k)): xml_safe(v) if isinstance(v, str) else v
                for k, v in attrs.items()}

    out = nx.MultiDiGraph(**clean(dict(graph.graph)))
    for node, attrs in graph.nodes(data=True):
        out.add_node(xml_safe(str(node)), **clean(attrs))
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        out.add_edge(xml_safe(str(u)), xml_safe(str(v)), key=xml_safe(str(key)), **clean(attrs))
    return out


def export_network(kg: PolicyKG, fmt: str) -> bytes:
    r"""Write the entity network as GraphML or GEXF (deterministic, well-formed XML bytes).

    Characters XML cannot hold (``\x01``, ``\x1b``, ...) are written as visible escapes
    (:func:`xml_safe`), and the output is parsed back before it is returned.

    Raises:
        QueryError: an unknown format.
        OutputError: the writer produced XML that does not parse (never expected).
    """
    import xml.etree.ElementTree as ET

    import networkx as nx

    from policykg.core.errors import OutputError

    graph = _xml_safe_graph(to_networkx(kg))
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(graph, buf, encoding="utf-8", prettyprint=True, named_key_ids=True)
        data = buf.getvalue()
    elif fmt == "gexf":
        nx.write_gexf(graph, buf, encoding="utf-8", prettyprint=True)
        data = _GEXF_DATE.sub(b"", buf.getvalue())  # the writer stamps today's date
    else:
        raise QueryError(f"unknown network format '{fmt}' (use graphml, gexf)")
    try:
        ET.fromstring(data)  # our own output, checked for well-formedness
    except ET.ParseError as exc:
        raise OutputError(f"the {fmt} export is not well-formed XML ({exc})") from None
    return data


