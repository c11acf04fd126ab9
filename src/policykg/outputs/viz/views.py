"""Views: which nodes of a :class:`~policykg.outputs.viz.model.VizGraph` are drawn.

* :func:`focus_view` -- an entity and everything within ``depth`` links of it;
* :func:`class_view` -- the instances of some classes (their subclasses included);
* :func:`query_view` -- the entities a named query returns.

Each returns a new ``VizGraph`` sharing the extracted data, with a smaller ``shown`` set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib import URIRef

from policykg.core.errors import UnknownEntityError
from policykg.core.walk import reachable
from policykg.graph.entities import resolve
from policykg.graph.named import named
from policykg.graph.names import close_names, name_key
from policykg.outputs.viz.legend import DRAFT
from policykg.outputs.viz.model import VizFact, VizGraph, curie
from policykg.sparql.catalogue import get_query

if TYPE_CHECKING:
    from policykg.graph.kg import PolicyKG

__all__ = [
    "class_view",
    "draft_view",
    "focus_view",
    "neighbourhood",
    "query_view",
    "resolve_class",
    "resolve_entity",
]


_norm = name_key


def resolve_entity(graph: VizGraph, ref: str, *, kg: PolicyKG | None = None) -> str:
    """Return the id of the node ``ref`` names: a CURIE, an IRI, a ``kg:`` slug or a label.

    With ``kg``, names are resolved by :func:`policykg.graph.entities.resolve` (the command line's
    resolver); without, labels are matched in English and Chinese, preferred and alternative,
    ignoring case.

    Raises:
        UnknownEntityError: nothing matches; the message suggests the nearest labels.
    """
    ref = ref.strip()
    if kg is not None:
        return curie(str(resolve(kg, ref)))
    candidates = [ref, curie(ref)]
    if ":" not in ref:
        candidates.append(f"kg:{ref}")
    for c in candidates:
        if c in graph.nodes:
            return c
    wanted = _norm(ref)
    by_label: dict[str, str] = {}
    shown: dict[str, str] = {}
    for node in sorted(graph.nodes.values(), key=lambda n: n.id):
        for text in (node.label, node.zh, *node.alt, *node.alt_zh):
            if text:
                by_label.setdefault(_norm(text), node.id)
                shown.setdefault(_norm(text), text)
    if wanted in by_label:
        return by_label[wanted]
    near = close_names(ref, sorted(shown.values()), n=3)
    hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    raise UnknownEntityError(f"no entity matches '{ref}'{hint}")


def neighbourhood(graph: VizGraph, start: str, depth: int) -> set[str]:
    """Return the shown nodes within ``depth`` links of ``start`` (links in either direction)."""
    adjacent: dict[str, set[str]] = {}
    for f in graph.edge_facts():
        adjacent.setdefault(f.s, set()).add(f.o)
        adjacent.setdefault(f.o, set()).add(f.s)
    return reachable([start], lambda n: sorted(adjacent.get(n, ())), depth=max(depth, 0))


def draft_view(graph: VizGraph, *, drafts: bool = False) -> VizGraph:
    """Leave drafts out, unless ``drafts``: draft nodes, draft passages and what only they state.

    A draft is a resource with ``pkg:reviewStatus pkg:Unreviewed`` (a node or a passage); a fact
    is a draft when every passage stating it is one. With ``drafts`` the graph is unchanged (the
    page marks the drafts and hides them until asked).
    """
    if drafts:
        return graph
    draft_passages = {pid for pid, p in graph.passages.items() if p.draft}
    draft_nodes = {f.s for f in graph.facts if f.p == "pkg:reviewStatus" and f.o == DRAFT}
    if not draft_passages and not draft_nodes:
        return graph

    def reviewed(f: VizFact) -> bool:
        if f.s in draft_nodes or (f.kind == "node" and f.o in draft_nodes):
            return False
        return not f.sources or any(src not in draft_passages for src in f.sources)

    nodes = {k: v for k, v in graph.nodes.items() if k not in draft_nodes}
    for nid, node in nodes.items():
        if any(p in draft_passages for p in node.evidence):
            nodes[nid] = replace(node, evidence=[p for p in node.evidence
                                                 if p not in draft_passages])
    return replace(
        graph,
        nodes=nodes,
        shown=graph.shown - draft_nodes,
        facts=[f for f in graph.facts if reviewed(f)],
        passages={k: v for k, v in graph.passages.items() if k not in draft_passages},
    )


def focus_view(
    graph: VizGraph, entity: str, *, depth: int = 1, kg: PolicyKG | None = None
) -> VizGraph:
    """Draw one entity and its neighbourhood.

    Args:
        graph: the extracted graph.
        entity: CURIE, IRI, slug or label of the entity.
        depth: how many links away from it to go.
        kg: the knowledge graph, to resolve ``entity`` as the command line does.

    Raises:
        UnknownEntityError: no entity matches ``entity``.
    """
    node = resolve_entity(graph, entity, kg=kg)
    if node not in graph.shown:
        raise UnknownEntityError(f"'{entity}' ({node}) is not in the drawn view")
    shown = neighbourhood(graph, node, depth)
    label = graph.nodes[node].label
    return replace(graph, shown=shown, view=f"{label} ({node}), depth {depth}")


def resolve_class(graph: VizGraph, name: str) -> str:
    """Return the class id ``name`` names: a local name (``Actor``), a CURIE or an English label.

    Raises:
        UnknownEntityError: no class matches; the message suggests the nearest names.
    """
    name = name.strip()
    if name in graph.classes:
        return name
    expanded = curie(name)
    if expanded in graph.classes:
        return expanded
    wanted = _norm(name)
    for cid in sorted(graph.classes):
        term = graph.classes[cid]
        local = cid.partition(":")[2]
        if wanted in (_norm(local), _norm(term.label), _norm(term.zh)) and (
            cid.startswith("pkg:") or ":" in name
        ):
            return cid
    names = sorted(c.partition(":")[2] for c in graph.classes if c.startswith("pkg:"))
    near = close_names(name, names, n=3)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    raise UnknownEntityError(f"unknown class '{name}'{hint}")


def class_view(graph: VizGraph, classes: Sequence[str]) -> VizGraph:
    """Draw only the instances of the given classes (and of their subclasses).

    Raises:
        UnknownEntityError: a class name is unknown.
    """
    wanted = [resolve_class(graph, c) for c in classes if c.strip()]
    shown = {nid for nid in graph.shown if any(graph.is_a(graph.nodes[nid], c) for c in wanted)}
    names = ", ".join(c.partition(":")[2] or c for c in wanted)
    return replace(graph, shown=shown, view=f"classes {names}")


_KG_CURIE = re.compile(r"(?<![\w:/#])kg:([A-Za-z0-9_](?:[\w.-]*[\w-])?)")


def _iris(values: Iterable[object]) -> set[str]:
    return {curie(str(v)) for v in values if isinstance(v, URIRef)}


def query_view(
    graph: VizGraph, kg: PolicyKG, name: str, params: Mapping[str, str] | None = None
) -> VizGraph:
    """Draw the entities a named query returns (every IRI in its rows or triples).

    The entities the query is about are drawn too: those its text names (``kg:...``) and those
    given as parameter values. A query answering with passages only draws the entities they
    mention.

    Args:
        graph: the extracted graph.
        kg: the knowledge graph to run the query on.
        name: the query's name (``policykg queries`` lists them).
        params: values of the query's parameters (see :func:`policykg.sparql.catalogue.named`).

    Raises:
        UnknownQueryError: there is no query of that name.
        QueryError: the query fails.
    """
    result = named(kg, name, **dict(params or {}))
    if result.kind == "graph":
        found = _iris(v for t in result.triples for v in (t[0], t[2]))
    else:
        found = _iris(v for row in result.rows for v in row)
    # the entities the query is about: named in its text, or given as parameter values
    text = "\n".join(
        line for line in get_query(name).text.splitlines() if not line.lstrip().startswith("#")
    )
    about = {f"kg:{m}" for m in _KG_CURIE.findall(text)}
    for value in (params or {}).values():
        try:
            about.add(resolve_entity(graph, value, kg=kg))
        except UnknownEntityError:
            continue
    found |= {n for n in about if n in graph.nodes}
    shown = {n for n in found if n in graph.shown}
    if not shown:  # a query answering with passages only: draw the entities they mention
        passages = {n for n in found if n in graph.passages}
        shown = {n.id for n in graph.nodes.values() if passages & set(n.evidence)} & graph.shown
    args = ", ".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
    return replace(graph, shown=shown, view=f"query {name}" + (f" ({args})" if args else ""))
