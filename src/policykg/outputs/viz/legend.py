"""What the page shows besides the drawing.

The class and modality legends, provisions, facts, drafts and the document and year filters.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from policykg.outputs.viz.model import VizFact, VizGraph
from policykg.outputs.viz.style import (
    CLASS_STYLES,
    HIERARCHY_EXTERNAL,
    MODALITY_FILLS,
    MODALITY_STYLES,
    NEGATIVE,
    class_style,
    modality_style,
)

__all__ = [
    "DRAFT",
    "PROVISION",
    "document_filters",
    "draft_nodes",
    "fact_row",
    "is_provision",
    "legend_entries",
    "legend_key",
    "modality_legend",
    "node_documents",
    "provisions_of",
]

#: The class of what a text asks, expects or claims (issue 12's provisions model).
PROVISION = "pkg:Provision"
#: The review status of a draft (machine-made, unreviewed) resource.
DRAFT = "pkg:Unreviewed"


def draft_nodes(graph: VizGraph) -> set[str]:
    """Return the nodes marked ``pkg:reviewStatus pkg:Unreviewed``."""
    return {f.s for f in graph.facts if f.p == "pkg:reviewStatus" and f.o == DRAFT}


def node_documents(graph: VizGraph, provisions: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """Return node -> the documents whose passages state or mention it (a document: itself)."""
    docs: dict[str, set[str]] = defaultdict(set)

    def add(nid: str, pid: str) -> None:
        p = graph.passages.get(pid)
        if p is not None and p.document:
            docs[nid].add(p.document)

    for nid in graph.shown:
        node = graph.nodes[nid]
        for pid in node.evidence:
            add(nid, pid)
        for pid in provisions.get(nid, {}).get("passages", ()):
            add(nid, pid)
    for f in graph.facts:
        for src in f.sources:
            add(f.s, src)
            if f.kind == "node":
                add(f.o, src)
    documents = {p.document for p in graph.passages.values() if p.document}
    for doc in documents & graph.shown:
        docs[doc].add(doc)
    return {nid: sorted(docs[nid]) for nid in sorted(graph.shown) if docs.get(nid)}


def document_filters(graph: VizGraph, documents: set[str]) -> dict[str, Any] | None:
    """Return the documents (label, year) and years the page filters by; ``None`` for one."""
    years: dict[str, int] = {}
    for f in graph.facts:
        if f.p == "pkg:publicationYear" and f.kind == "literal" and f.s in documents:
            try:
                years[f.s] = int(f.o)
            except ValueError:
                continue
    if len(documents) < 2:
        return None
    return {
        "documents": {
            doc: {"label": graph.nodes[doc].label if doc in graph.nodes else doc,
                  "year": years.get(doc)}
            for doc in sorted(documents)
        },
        "years": sorted(set(years.values())),
    }


def legend_entries(graph: VizGraph, shown: list[str]) -> list[dict[str, Any]]:
    """Return the class legend: one entry per class drawn, with its look and count."""
    counts: dict[str, int] = defaultdict(int)
    for nid in shown:
        counts[legend_key(graph, nid)] += 1
    order = {c: i for i, c in enumerate(CLASS_STYLES)}
    entries = []
    for key in sorted(counts, key=lambda c: (order.get(c, len(order)), c)):
        if graph.kind == "hierarchy":
            own = key == "pkg"
            label = "policykg class" if own else "aligned external class"
            zh = "本体类" if own else "外部类"
            style = class_style("pkg:Concept") if own else HIERARCHY_EXTERNAL
            shape = "box"
            definition = (
                "a class the policykg ontology declares"
                if own
                else "a class of another vocabulary (SKOS, PROV-O, ORG, FOAF, ...) "
                "the ontology aligns to"
            )
        else:
            term = graph.classes.get(key)
            label = term.label if term else key
            zh = term.zh if term else ""
            definition = term.definition if term else ""
            style = class_style(key, graph.ancestors)
            shape = style.shape
        entries.append(
            {
                "key": key,
                "label": label,
                "zh": zh,
                "definition": definition,
                "color": style.color,
                "border": style.border,
                "shape": shape,
                "count": counts[key],
            }
        )
    return entries


def legend_key(graph: VizGraph, nid: str) -> str:
    """Return the legend entry a node belongs to."""
    if graph.kind == "hierarchy":
        return "pkg" if nid.startswith("pkg:") else "external"
    return graph.nodes[nid].cls or "?"


def fact_row(f: VizFact, drafts: set[str] | frozenset[str] = frozenset()) -> list[Any]:
    """Return a fact as the page reads it.

    A ninth item ``True`` marks a draft (every passage stating it is a draft).
    """
    row: list[Any] = [f.s, f.p, f.o, f.kind, f.lang, f.datatype, list(f.sources), f.inferred]
    if drafts and f.sources and all(src in drafts for src in f.sources):
        row.append(True)
    return row


def is_provision(graph: VizGraph, nid: str) -> bool:
    """Return whether a node is a provision."""
    node = graph.nodes[nid]
    return PROVISION in node.types or graph.is_a(node, PROVISION)


def provisions_of(graph: VizGraph) -> dict[str, dict[str, Any]]:
    """Return provision id -> its modality and the passages that state it."""
    found: dict[str, dict[str, Any]] = {}
    for nid in graph.nodes:
        if is_provision(graph, nid):
            found[nid] = {"modality": "", "passages": set(), "negative": False}
    for f in graph.facts:
        info = found.get(f.s)
        if info is None:
            continue
        if f.p == "pkg:modality" and f.kind != "literal" and not info["modality"]:
            info["modality"] = f.o
        elif f.p == "pkg:polarity" and f.o == NEGATIVE:
            info["negative"] = True
        elif f.p == "pkg:statedIn" and f.kind != "literal":
            info["passages"].add(f.o)
        info["passages"].update(src for src in f.sources if src in graph.passages)
    for info in found.values():
        info["passages"] = sorted(info["passages"])
    return found


def modality_legend(
    graph: VizGraph,
    used: set[str],
    provisions: dict[str, dict[str, Any]],
    drawn: set[str],
) -> list[dict[str, Any]]:
    """Return the modality legend: the modalities of the drawn provisions, with counts."""
    order = {m: i for i, m in enumerate(MODALITY_STYLES)}
    entries = []
    for m in sorted(used, key=lambda m: (order.get(m, len(order)), m)):
        term = graph.terms.get(m)
        look = modality_style(m)
        entries.append(
            {
                "key": m,
                "label": term.label if term else m.partition(":")[2],
                "zh": term.zh if term else "",
                "definition": term.definition if term else "",
                "color": look.color,
                "fill": MODALITY_FILLS.get(m, look.color),
                "dashes": list(look.dashes),
                "width": look.width,
                "count": sum(
                    1 for v, info in provisions.items() if v in drawn and info["modality"] == m
                ),
            }
        )
    return entries


