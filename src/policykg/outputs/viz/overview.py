"""Groups that keep a big view readable: the overview and the full graph's communities.

* The **overview** names the :data:`OVERVIEW_SIZE` most connected entities and gathers every other
  node into one group per family (concepts, actors, places, ...). Its ``links`` are the edges
  among what it shows: entity-entity edges are the graph's own, and a group's link to an entity
  or another group counts the edges it stands for ("3 links"), so nothing looks unconnected.
* The **full graph** is grouped by community (networkx's Louvain method, fixed seed): every
  community is laid out in a region of its own, drawn behind it with its name, and the page
  opens on the biggest community at a scale where its labels can be read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from policykg.outputs.viz.layout import box_extent, label_box, pack_blocks, spring_positions
from policykg.outputs.viz.model import VizGraph
from policykg.outputs.viz.style import class_style

__all__ = [
    "FAMILIES",
    "OVERVIEW_SIZE",
    "communities",
    "community_groups",
    "grouped_positions",
    "overview",
]

#: How many of the most connected entities the overview names.
OVERVIEW_SIZE = 20
_OVERVIEW_FONT = 20
#: Communities smaller than this join one group of loose entities.
_SMALLEST_COMMUNITY = 4

FAMILIES = {
    "dot": ("concepts", "概念"),
    "diamond": ("actors", "行为者"),
    "square": ("places", "地点"),
    "triangle": ("events", "事件"),
    "triangleDown": ("figures", "数据"),
    "star": ("documents", "文献"),
    "hexagon": ("plans and roles", "规划与角色"),
    "box": ("provisions", "规定"),
}


def _group_links(
    pairs: Sequence[tuple[str, str]], group_of: dict[str, str]
) -> list[list[Any]]:
    """Return ``[a, b, n]``: the edges between groups (or a group and an entity), counted."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for a, b in pairs:
        ga, gb = group_of.get(a, a), group_of.get(b, b)
        if ga != gb and (ga != a or gb != b):
            counts[(min(ga, gb), max(ga, gb))] += 1
    return [[a, b, n] for (a, b), n in sorted(counts.items())]


def overview(
    graph: VizGraph,
    shown: list[str],
    pairs: list[tuple[str, str]],
    degree: dict[str, int],
    sizes: dict[str, float],
    fonts: dict[str, int],
    *,
    seed: int,
) -> dict[str, Any]:
    """Choose and lay out the overview: the most connected entities, the rest in groups.

    The entities named are the :data:`OVERVIEW_SIZE` most connected ones (provisions and
    figures left to their groups, as their labels are sentences); every other node joins the
    group of its family (concepts, actors, places, ...), drawn as one node that expands on click.
    """

    def family(nid: str) -> str:
        return class_style(graph.nodes[nid].cls, graph.ancestors).shape

    eligible = [n for n in shown if family(n) not in ("box", "triangleDown")]
    top = sorted(eligible, key=lambda n: (-degree.get(n, 0), graph.nodes[n].label, n))
    top = sorted(top[:OVERVIEW_SIZE])
    named = set(top)
    members: dict[str, list[str]] = defaultdict(list)
    for nid in shown:
        if nid not in named:
            members[family(nid)].append(nid)
    groups: list[dict[str, Any]] = []
    group_of: dict[str, str] = {}
    order = list(FAMILIES)
    for shape in sorted(members, key=lambda s: (order.index(s) if s in order else len(order), s)):
        ids = sorted(members[shape], key=lambda n: (-degree.get(n, 0), graph.nodes[n].label, n))
        gid = f"group:{FAMILIES.get(shape, (shape, ''))[0].replace(' ', '-')}"
        for nid in ids:
            group_of[nid] = gid
        en, zh = FAMILIES.get(shape, ("other entities", "其他"))
        groups.append({"id": gid, "shape": shape, "count": len(ids), "members": ids,
                       "label": f"{len(ids)} more {en}", "zh": f"另有{len(ids)}个{zh}"})
    links = _group_links(pairs, group_of)
    inner = [(a, b) for a, b in pairs if a in named and b in named]
    ids = top + [g["id"] for g in groups]
    # in the overview every named entity gets a label that reads at first sight
    ov_fonts = {n: max(fonts[n], _OVERVIEW_FONT) for n in top}
    boxes = {n: label_box(graph.nodes[n].label, sizes[n], ov_fonts[n]) for n in top}
    boxes.update({g["id"]: label_box("+ " + g["label"], 22.0, 17) for g in groups})
    positions = spring_positions(
        ids, inner + [(a, b) for a, b, _ in links], seed=seed, boxes=boxes
    )
    for g in groups:
        g["x"], g["y"] = positions[g["id"]]
    return {
        "nodes": top,
        "positions": {n: list(positions[n]) for n in top},
        "fonts": ov_fonts,
        "groups": groups,
        "links": links,
    }


def communities(shown: Sequence[str], pairs: Sequence[tuple[str, str]], *, seed: int) -> list[
    list[str]
]:
    """Return the view's communities (Louvain, fixed seed), biggest first; small ones merged."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted(shown))
    g.add_edges_from(sorted(pairs))
    found = [sorted(c) for c in nx.community.louvain_communities(g, seed=seed)]
    big = [c for c in found if len(c) >= _SMALLEST_COMMUNITY]
    loose = sorted(n for c in found if len(c) < _SMALLEST_COMMUNITY for n in c)
    big.sort(key=lambda c: (-len(c), c[0]))
    return big + ([loose] if loose else [])


def grouped_positions(
    comms: list[list[str]],
    pairs: Sequence[tuple[str, str]],
    boxes: dict[str, tuple[float, float, float]],
    *,
    seed: int,
) -> dict[str, tuple[int, int]]:
    """Lay out each community in a region of its own and pack the regions in rows."""
    member = {n: i for i, c in enumerate(comms) for n in c}
    inner: list[list[tuple[str, str]]] = [[] for _ in comms]
    for a, b in pairs:
        if a in member and member[a] == member.get(b):
            inner[member[a]].append((a, b))
    blocks = [
        spring_positions(c, inner[i], seed=seed, boxes=boxes) for i, c in enumerate(comms)
    ]
    return pack_blocks(blocks, boxes, gap=120.0)


def community_groups(
    graph: VizGraph,
    comms: list[list[str]],
    pairs: Sequence[tuple[str, str]],
    degree: dict[str, int],
    positions: dict[str, tuple[int, int]],
    boxes: dict[str, tuple[float, float, float]],
) -> dict[str, Any]:
    """Return the full graph's communities: members, a name from its best-connected ones, region."""
    groups: list[dict[str, Any]] = []
    last = len(comms) - 1
    for i, comm in enumerate(comms):
        ids = sorted(comm, key=lambda n: (-degree.get(n, 0), graph.nodes[n].label, n))
        gid = f"community:{i + 1}"
        loose = i == last and any(degree.get(n, 0) == 0 for n in ids)
        # named by entities, not by provisions or figures (their labels are sentences)
        plain = [n for n in ids if class_style(graph.nodes[n].cls, graph.ancestors).shape
                 not in ("box", "triangleDown")] or ids
        names = [graph.nodes[n].label for n in plain[:2]]
        head = " · ".join(name if len(name) <= 32 else name[:31] + "…" for name in names)
        label = (f"{len(ids)} loosely linked entities" if loose
                 else f"{head} (+{len(ids) - len(names)})" if len(ids) > len(names) else head)
        left, top, right, bottom = box_extent(
            {n: (float(positions[n][0]), float(positions[n][1])) for n in ids}, boxes
        )
        # the region the community takes in the full layout (drawn behind it, with its name)
        groups.append({"id": gid, "count": len(ids), "members": ids, "label": label,
                       "region": [round(left) - 20, round(top) - 44, round(right) + 20,
                                  round(bottom) + 20]})
    return {"groups": groups}
