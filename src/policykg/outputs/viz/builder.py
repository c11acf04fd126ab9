"""Build the pyvis ``Network`` of a view.

Nodes get their class's colour and shape, a size by degree and a position computed in Python;
edges are labelled with the predicates' English labels; ``Network.page`` holds what the page's
panel, legend and search use (facts, evidence passages, class and predicate labels).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pyvis.network import Network

from policykg.core.errors import PolicyKGError
from policykg.graph.kg import load
from policykg.outputs.viz.extract import extract_graph, extract_hierarchy
from policykg.outputs.viz.html import render_html, write_html
from policykg.outputs.viz.layout import LABEL_WIDTH, label_box, spring_positions, tree_positions
from policykg.outputs.viz.legend import (
    PROVISION,
    document_filters,
    draft_nodes,
    fact_row,
    is_provision,
    legend_entries,
    legend_key,
    modality_legend,
    node_documents,
    provisions_of,
)
from policykg.outputs.viz.model import VizFact, VizGraph
from policykg.outputs.viz.overview import (
    OVERVIEW_SIZE,
    communities,
    community_groups,
    grouped_positions,
    overview,
)
from policykg.outputs.viz.style import (
    HIERARCHY_EXTERNAL,
    MODALITY_STYLES,
    NEGATIVE_DASHES,
    class_style,
    modality_style,
)
from policykg.outputs.viz.views import class_view, draft_view, focus_view, query_view

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = [
    "BIG_GRAPH",
    "OVERVIEW_FROM",
    "OVERVIEW_SIZE",
    "PROVISION",
    "PolicyNetwork",
    "build_network",
    "network_from_graph",
]

#: A view with at least this many nodes opens on an overview instead of the whole graph.
OVERVIEW_FROM = 60
_SPEAKER = frozenset({"pkg:statedBy"})

#: From this many nodes on, the page trades looks for speed (straight edges, no edge labels
#: while dragging or zooming).
BIG_GRAPH = 1500

_FONT_FACE = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans CJK SC', sans-serif"
_EDGE_COLOR = "#8a96a3"
_INFERRED_EDGE_COLOR = "#c28f2c"
_PROPERTY_EDGE_COLOR = "#3b82c4"


class PolicyNetwork(Network):  # type: ignore[misc]
    """A pyvis ``Network`` that renders as the project's offline page.

    It is an ordinary pyvis network (``nodes``, ``edges``, ``options``, ``add_node``, ...);
    ``generate_html``/``write_html`` give the self-contained page of :mod:`policykg.viz.html`
    instead of pyvis's CDN-based template. ``page`` holds what the page shows besides the
    drawing: facts, evidence passages, class and predicate labels, the legend.
    """

    def __init__(self, *, heading: str = "policykg") -> None:
        super().__init__(
            height="100%", width="100%", directed=True, heading=heading, cdn_resources="in_line"
        )
        self.page: dict[str, Any] = {}

    # pyvis checks membership in lists (O(n) per node and per edge); these keep its data
    # structures but look ids up in its dict, so 10,000 nodes take milliseconds, not minutes.
    def add_node(
        self,
        n_id: str | int,
        label: str | None = None,
        shape: str = "dot",
        color: Any = "#97c2fc",
        **options: Any,
    ) -> None:
        """Add a node (see ``pyvis.network.Network.add_node``)."""
        if n_id in self.node_map:
            return
        node = {"id": n_id, "label": label if label else n_id, "shape": shape, "color": color}
        node.update(options)
        self.nodes.append(node)
        self.node_ids.append(n_id)
        self.node_map[n_id] = node

    def add_edge(self, source: str | int, to: str | int, **options: Any) -> None:
        """Add a directed edge between two existing nodes."""
        if source not in self.node_map or to not in self.node_map:
            missing = source if source not in self.node_map else to
            raise PolicyKGError(f"edge refers to a node that is not in the network: {missing}")
        edge = dict(options)
        edge["from"] = source
        edge["to"] = to
        edge.setdefault("arrows", "to")
        self.edges.append(edge)

    def generate_html(
        self, name: str = "index.html", local: bool = True, notebook: bool = False
    ) -> str:
        """Return the self-contained HTML page (pyvis's own template is not used)."""
        self.html = render_html(self)
        return str(self.html)

    def write_html(
        self, name: str, local: bool = True, notebook: bool = False, open_browser: bool = False
    ) -> None:
        """Write the page atomically to ``name``."""
        write_html(self, name)


def _degrees(graph: VizGraph, edges: list[tuple[str, str]]) -> dict[str, int]:
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    return {n: len(neighbours.get(n, ())) for n in graph.shown}


def network_from_graph(graph: VizGraph, *, seed: int = 7, physics: bool = False) -> PolicyNetwork:
    """Turn a (filtered) :class:`VizGraph` into a :class:`PolicyNetwork`.

    Args:
        graph: the extracted graph; its ``shown`` nodes are drawn.
        seed: seed of the layout.
        physics: start with vis-network's physics simulation running (off by default: the
            positions computed here are final).
    """
    shown = sorted(graph.shown)
    edge_facts = graph.edge_facts()
    grouped: dict[tuple[str, str], list[VizFact]] = defaultdict(list)
    for f in edge_facts:
        grouped[(f.s, f.o)].append(f)
    pairs = sorted(grouped)
    comms: list[list[str]] = []
    if graph.kind == "hierarchy":
        parents: dict[str, list[str]] = defaultdict(list)
        for f in edge_facts:
            if f.p == "rdfs:subClassOf":
                parents[f.s].append(f.o)
        positions = tree_positions(shown, parents)
    # who states a provision is linked to every one of them: a hub by construction, not by what
    # the text says about it, so those links do not make a node big
    degree = _degrees(
        graph, [pair for pair in pairs if any(f.p not in _SPEAKER for f in grouped[pair])]
    )
    top = max(degree.values(), default=0) or 1
    weight = {nid: math.sqrt(degree.get(nid, 0) / top) for nid in shown}
    sizes = {nid: round(9 + 21 * weight[nid], 1) for nid in shown}
    # important nodes get a larger label, so that it stays readable when zoomed out
    fonts = {nid: round(14 + 16 * weight[nid] ** 2) for nid in shown}
    # a provision's label is a sentence ("obligation: ..."): keep it small whatever its degree
    for nid in shown:
        if graph.kind == "entities" and is_provision(graph, nid):
            fonts[nid] = 12
    if graph.kind != "hierarchy":
        boxes = {
            nid: label_box(graph.nodes[nid].label, sizes[nid], fonts[nid],
                           inside=is_provision(graph, nid))
            for nid in shown
        }
        by_community = graph.kind == "entities" and OVERVIEW_FROM <= len(shown) < BIG_GRAPH
        if by_community:
            comms = communities(shown, pairs, seed=seed)
        positions = (
            grouped_positions(comms, pairs, boxes, seed=seed)
            if by_community
            else spring_positions(shown, pairs, seed=seed, boxes=boxes)
        )
    big = len(shown) >= BIG_GRAPH
    provisions = provisions_of(graph)
    modality_of = {pid: info["modality"] for pid, info in provisions.items() if info["modality"]}
    negative = {pid for pid, info in provisions.items() if info["negative"]}
    drafts = draft_nodes(graph) & set(shown)
    draft_passages = {pid for pid, p in graph.passages.items() if p.draft}
    docs_of = node_documents(graph, provisions) if graph.kind == "entities" else {}

    net = PolicyNetwork(heading=graph.title)
    for nid in shown:
        node = graph.nodes[nid]
        if graph.kind == "hierarchy":
            style = (
                class_style(nid, graph.ancestors) if nid.startswith("pkg:") else HIERARCHY_EXTERNAL
            )
            shape = "box"
            size = 12.0
            font: dict[str, Any] = {"color": "#ffffff" if nid.startswith("pkg:") else "#343a40",
                                    "strokeWidth": 0}
        else:
            style = class_style(node.cls, graph.ancestors)
            shape = style.shape
            size = sizes[nid]
            font = {"size": fonts[nid]} if fonts[nid] != 14 else {}
            if font:
                extra_width = round(LABEL_WIDTH * fonts[nid] / 14)
        x, y = positions[nid]
        extra: dict[str, Any] = {
            "cls": node.cls,
            "legend": legend_key(graph, nid),
            "types": list(node.types),
            "zh": node.zh,
            "alt": list(node.alt),
            "alt_zh": list(node.alt_zh),
            "definition": node.definition,
            "evidence": list(node.evidence),
            "iri": node.iri,
            "degree": degree.get(nid, 0),
            **({"draft": True} if nid in drafts else {}),
            **({"docs": docs_of[nid]} if nid in docs_of else {}),
        }
        if font:
            extra["font"] = font
            if graph.kind != "hierarchy" and not big:
                extra["widthConstraint"] = {"maximum": extra_width}
        net.add_node(
            nid,
            label=node.label,
            shape=shape,
            color={
                "background": style.color,
                "border": style.border,
                "highlight": {"background": style.color, "border": "#111111"},
                "hover": {"background": style.color, "border": "#111111"},
            },
            size=size,
            x=x,
            y=y,
            **extra,
        )
    for i, (a, b) in enumerate(pairs):
        stated = sorted(grouped[(a, b)], key=lambda f: f.p)
        names = [graph.predicates[f.p].label if f.p in graph.predicates else f.p for f in stated]
        inferred = all(f.inferred for f in stated)
        is_property = graph.kind == "hierarchy" and all(f.p != "rdfs:subClassOf" for f in stated)
        color = (
            _INFERRED_EDGE_COLOR
            if inferred
            else _PROPERTY_EDGE_COLOR
            if is_property
            else _EDGE_COLOR
        )
        dashes: bool | list[int] = inferred or is_property
        edge_style: dict[str, Any] = {}
        modality = modality_of.get(a) or modality_of.get(b)
        if modality and not inferred:
            look = modality_style(modality)
            color = look.color
            dashes = list(look.dashes) if look.dashes else False
            edge_style = {"modality": modality, "width": look.width}
            if a in negative or b in negative:  # a prohibition: "not", in its own dashes
                dashes = list(NEGATIVE_DASHES)
                edge_style["negative"] = True
                names = ["not", *names]
        net.add_edge(
            a,
            b,
            id=f"e{i}",
            label=" · ".join(names),
            predicates=[f.p for f in stated],
            inferred=inferred,
            dashes=dashes,
            # a modality's colour stays when the edge is selected (it is what the line says)
            color={"color": color, "highlight": color if edge_style else "#1d2b36",
                   "hover": color if edge_style else "#1d2b36"},
            arrows="to",
            **edge_style,
        )
    net.options = _options(big=big, physics=physics, hierarchy=graph.kind == "hierarchy", seed=seed)

    drawn = set(shown)
    facts = [f for f in graph.facts if f.s in drawn or (f.kind == "node" and f.o in drawn)]
    referenced = {f.s for f in facts} | {f.o for f in facts if f.kind == "node"}
    sources = {src for f in facts for src in f.sources}
    sources |= {p for nid in shown for p in graph.nodes[nid].evidence}
    stated_in: dict[str, list[str]] = defaultdict(list)
    for prov, info in provisions.items():
        if prov in drawn:
            for pid in info["passages"]:
                stated_in[pid].append(prov)
    sources |= set(stated_in)
    rank = {m: i for i, m in enumerate(MODALITY_STYLES)}
    passages: dict[str, dict[str, Any]] = {}
    whole = graph.kind == "entities" and graph.view == "whole graph"
    for pid, p in sorted(graph.passages.items()):
        if pid not in sources and not whole:  # the whole graph's reader shows every passage
            continue
        entry: dict[str, Any] = {"quote": p.quote, "doc": p.document, "start": p.start,
                                 "end": p.end}
        if p.draft:
            entry["draft"] = True
        if any(provisions[v]["negative"] for v in stated_in.get(pid, [])):
            entry["negative"] = True
        provs = sorted(stated_in.get(pid, []))
        if provs:
            mods = sorted(
                {str(provisions[v]["modality"]) for v in provs if provisions[v]["modality"]},
                key=lambda m: (rank.get(m, len(rank)), m),
            )
            entry["provisions"] = provs
            entry["modality"] = mods[0] if mods else ""
        passages[pid] = entry
    documents = {str(p["doc"]) for p in passages.values() if p["doc"]}
    used_modalities = {str(info["modality"]) for v, info in provisions.items()
                       if v in drawn and info["modality"]}
    labels = {
        nid: graph.nodes[nid].label
        for nid in sorted((referenced | documents) - drawn)
        if nid in graph.nodes
    }
    for tid in sorted({f.o for f in facts if f.kind == "iri"} & set(graph.terms)):
        labels[tid] = graph.terms[tid].label
    used_predicates = {f.p for f in facts}
    used_classes = {t for nid in shown for t in graph.nodes[nid].types} | {
        graph.nodes[nid].cls for nid in shown
    }
    net.page = {
        "meta": {
            "title": graph.title,
            "view": graph.view,
            "kind": graph.kind,
            "nodes": len(shown),
            "edges": len(pairs),
            "big": big,
            "drafts": len(drafts) + sum(1 for pid in draft_passages if pid in sources),
        },
        "legend": legend_entries(graph, shown),
        "classes": {
            cid: {"label": t.label, "zh": t.zh, "definition": t.definition}
            for cid, t in sorted(graph.classes.items())
            if cid in used_classes
        },
        "predicates": {
            pid: {"label": t.label, "zh": t.zh}
            for pid, t in sorted(graph.predicates.items())
            if pid in used_predicates
        },
        "facts": [fact_row(f, draft_passages) for f in facts],
        "passages": passages,
        "labels": labels,
        "modalities": modality_legend(graph, used_modalities, provisions, drawn),
        "documents": {
            doc: {
                "label": graph.nodes[doc].label if doc in graph.nodes else doc,
                "text": graph.texts[doc],
            }
            for doc in sorted(documents)
            if doc in graph.texts
        },
        # a document and year filter when the view spans several documents
        "filters": document_filters(graph, documents) if graph.kind == "entities" else None,
        "overview": overview(graph, shown, pairs, degree, sizes, fonts, seed=seed)
        if graph.kind == "entities" and len(shown) >= OVERVIEW_FROM
        else None,
        # the full graph grouped by community: one node per community until it is opened
        "full": community_groups(graph, comms, pairs, degree, positions, boxes) if comms else None,
    }
    return net


def _options(*, big: bool, physics: bool, hierarchy: bool, seed: int) -> dict[str, Any]:
    return {
        "autoResize": True,
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 120, "damping": 0.3},
            "stabilization": {"enabled": False},
        },
        "interaction": {
            "hover": not big,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": {"enabled": False},
        },
        "nodes": {
            "borderWidth": 1.5,
            "font": {
                "face": _FONT_FACE,
                "size": 14,
                "color": "#1f2933",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {"label": {"drawThreshold": 7 if big else 5}},
            # wrapping labels measures them word by word: too slow for big graphs
            "widthConstraint": False if big else {"maximum": 200 if hierarchy else LABEL_WIDTH},
            "shapeProperties": {"borderRadius": 4},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "font": {
                "face": _FONT_FACE,
                "size": 10 if big else 14,
                "color": "#52606d",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
                "align": "middle",
            },
            "scaling": {"label": {"drawThreshold": 12 if big else 7}},
            "smooth": False
            if big or hierarchy
            else {"enabled": True, "type": "curvedCW", "roundness": 0.12},
            "width": 1,
            "selectionWidth": 1.5,
        },
    }


def build_network(
    source: PolicyKG | VizGraph | None = None,
    *,
    focus: str | None = None,
    depth: int = 1,
    classes: Sequence[str] = (),
    query: str | None = None,
    params: Mapping[str, str] | None = None,
    hierarchy: bool = False,
    title: str | None = None,
    seed: int = 7,
    physics: bool = False,
    drafts: bool = False,
) -> PolicyNetwork:
    """Build the pyvis ``Network`` of a view of the knowledge graph.

    Args:
        source: the loaded knowledge graph, or an already extracted :class:`VizGraph`
            (default: ``policykg.load()``).
        focus: draw only this entity (CURIE, IRI, slug or label) and its neighbourhood.
        depth: with ``focus``, how many links away to go.
        classes: draw only instances of these classes (local names such as ``Actor``).
        query: draw the entities a named query returns.
        params: values of the named query's parameters.
        hierarchy: draw the ontology's class hierarchy instead of the entities.
        title: the page's title (default: one naming the view).
        seed: seed of the layout (the same seed gives the same page).
        physics: start with the physics simulation on.
        drafts: also draw drafts (``pkg:reviewStatus pkg:Unreviewed``); the page marks them
            "draft" and shows them only when its *drafts* box is ticked.

    Returns:
        The network, ready for :func:`policykg.outputs.viz.write_html`.

    Raises:
        UnknownEntityError: ``focus`` or a class name matches nothing.
        UnknownQueryError: ``query`` names no query.
        PolicyKGError: the options contradict each other.
    """
    if depth < 0:
        raise PolicyKGError(f"--depth must be 0 or more, got {depth}")
    if hierarchy and (focus or classes or query):
        raise PolicyKGError(
            "--hierarchy draws the ontology; it cannot be combined with "
            "--focus, --classes or --query"
        )
    kg: PolicyKG | None = None
    if isinstance(source, VizGraph):
        graph = source
    else:
        kg = load() if source is None else source
        graph = extract_hierarchy(kg) if hierarchy else extract_graph(kg)
    if not hierarchy:
        graph = draft_view(graph, drafts=drafts)
    if query:
        if kg is None:
            raise PolicyKGError("a named query needs the knowledge graph, not an extracted graph")
        graph = query_view(graph, kg, query, params)
    if classes:
        graph = class_view(graph, classes)
    if focus:
        graph = focus_view(graph, focus, depth=depth, kg=kg)
    if title:
        graph = replace(graph, title=title)
    elif graph.view != "whole graph":
        graph = replace(graph, title=f"{graph.title}: {graph.view}")
    return network_from_graph(graph, seed=seed, physics=physics)
