"""Node positions computed in Python, so the page opens at once and still, the same every time.

* Entity graphs: each connected component is laid out on its own with networkx's spring layout
  (Fruchterman-Reingold, fixed seed) and the components are packed in rows, the biggest first.
  A component of more than :data:`NETWORKX_LIMIT` nodes uses :func:`grid_spring`, the grid
  variant of the same algorithm (repulsion only between nearby nodes), vectorised with numpy:
  networkx's version costs O(n²) per iteration and takes minutes for 10,000 nodes.
* The class hierarchy: a tidy tree drawn left to right (:func:`tree_positions`).

Positions are whole pixels, so tiny floating-point differences between machines do not change
the written page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "LABEL_WIDTH",
    "NETWORKX_LIMIT",
    "OVERLAP_LIMIT",
    "SPACING",
    "box_extent",
    "grid_spring",
    "label_box",
    "pack_blocks",
    "remove_overlaps",
    "spring_positions",
    "tree_positions",
]

#: Widest a node's label is drawn (CSS pixels at font size 14; wider labels wrap).
LABEL_WIDTH = 170
#: Components up to this many nodes are laid out with networkx's spring layout.
NETWORKX_LIMIT = 600
#: Typical distance between neighbouring nodes, in pixels.
SPACING = 140.0
#: Components up to this many nodes get their overlaps removed (pairwise, O(n²) per round).
OVERLAP_LIMIT = 600
_OVERLAP_BUDGET = 5e7

Position = tuple[int, int]


def _components(nodes: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    parent = {n: n for n in nodes}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for n in nodes:
        groups.setdefault(find(n), []).append(n)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def _networkx_layout(
    nodes: list[str], edges: list[tuple[str, str]], seed: int
) -> dict[str, tuple[float, float]]:
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    pos = nx.spring_layout(graph, seed=seed, iterations=200, method="force")
    return {n: (float(pos[n][0]), float(pos[n][1])) for n in nodes}


def grid_spring(
    nodes: Sequence[str],
    edges: Sequence[tuple[str, str]],
    *,
    seed: int = 7,
    iterations: int = 60,
) -> dict[str, tuple[float, float]]:
    """Lay out a large graph with a grid variant of Fruchterman-Reingold.

    Repulsion ``4k²/d`` acts only between nodes less than ``2k`` apart (found through a grid of
    cells), attraction along every edge grows with the logarithm of its length (as in LinLog and
    ForceAtlas2, so that long edges do not crush the drawing), with a weak pull to the centre.
    Each iteration costs O(n + m) on average.

    Args:
        nodes: node ids.
        edges: pairs of node ids.
        seed: seed of the initial random positions.
        iterations: number of cooling steps.

    Returns:
        node id -> (x, y), in units of the ideal distance ``k``.
    """
    import numpy as np

    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array(
        [(index[a], index[b]) for a, b in edges if a in index and b in index and a != b],
        dtype=np.int64,
    ).reshape(-1, 2)
    u, v = pairs[:, 0], pairs[:, 1]
    rng = np.random.default_rng(seed)
    side = math.sqrt(n) * 1.2
    pos = rng.uniform(-side / 2, side / 2, size=(n, 2))
    k, strength, cell, gravity = 1.0, 4.0, 2.0, 0.01
    temperature = side / 8
    cooling = (0.02 / temperature) ** (1.0 / max(iterations, 1))
    big = np.int64(1 << 21)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        cells = np.floor(pos / cell).astype(np.int64) + (1 << 20)
        key = cells[:, 0] * big + cells[:, 1]
        order = np.argsort(key, kind="stable")
        uniq, start, count = np.unique(key[order], return_index=True, return_counts=True)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                nkey = key + dx * big + dy
                slot = np.minimum(np.searchsorted(uniq, nkey), len(uniq) - 1)
                found = uniq[slot] == nkey
                who = np.nonzero(found)[0]
                cnt = count[slot[found]]
                total = int(cnt.sum())
                if total == 0:
                    continue
                rep_i = np.repeat(who, cnt)
                offs = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
                rep_j = order[np.repeat(start[slot[found]], cnt) + offs]
                keep = rep_i != rep_j
                rep_i, rep_j = rep_i[keep], rep_j[keep]
                delta = pos[rep_i] - pos[rep_j]
                dist = np.sqrt((delta**2).sum(axis=1)) + 1e-9
                force = np.where(dist < cell, strength * k * k / dist, 0.0) / dist
                disp[:, 0] += np.bincount(rep_i, delta[:, 0] * force, minlength=n)
                disp[:, 1] += np.bincount(rep_i, delta[:, 1] * force, minlength=n)
        if len(u):
            delta = pos[u] - pos[v]
            dist = np.sqrt((delta**2).sum(axis=1)) + 1e-9
            pull = delta * (np.log1p(dist / k) / dist)[:, None]
            disp[:, 0] -= np.bincount(u, pull[:, 0], minlength=n)
            disp[:, 1] -= np.bincount(u, pull[:, 1], minlength=n)
            disp[:, 0] += np.bincount(v, pull[:, 0], minlength=n)
            disp[:, 1] += np.bincount(v, pull[:, 1], minlength=n)
        disp -= gravity * pos
        length = np.sqrt((disp**2).sum(axis=1)) + 1e-9
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature *= cooling
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for i, node in enumerate(nodes)}


def label_box(
    label: str, size: float, font: float, *, inside: bool = False
) -> tuple[float, float, float]:
    """Estimate the box a node takes: its shape with its wrapped label below it.

    Box-shaped nodes (``inside``) draw their label inside the shape.

    Returns:
        (width, height, how far below the node's centre the box's centre is).
    """
    wide = sum(2 if ord(ch) > 0x2E7F else 1 for ch in label) * font * 0.55
    limit = LABEL_WIDTH * font / 14
    lines = max(1, math.ceil(wide / limit)) if wide <= limit else math.ceil(wide * 1.15 / limit)
    label_height = font * 1.15 * lines + 4
    if inside:
        return min(wide, limit) + 16, label_height + 12, 0.0
    return max(2 * size, min(wide, limit)), 2 * size + label_height, label_height / 2


def _normalise(pos: dict[str, tuple[float, float]], size: int) -> dict[str, tuple[float, float]]:
    """Scale a component's layout so that its nodes are about SPACING apart, origin at 0,0."""
    if size == 1:
        return {n: (0.0, 0.0) for n in pos}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    target = SPACING * max(1.0, math.sqrt(size)) * 1.1
    factor = target / extent
    return {n: ((x - cx) * factor, (y - cy) * factor) for n, (x, y) in pos.items()}


def remove_overlaps(
    pos: dict[str, tuple[float, float]],
    boxes: Mapping[str, tuple[float, float, float]],
    *,
    padding: float = 6.0,
    iterations: int = 1000,
) -> dict[str, tuple[float, float]]:
    """Push apart nodes whose boxes (node and label) overlap, moving each as little as it can.

    Each iteration finds every overlapping pair and separates it along the axis where the
    overlap is smaller; it stops when nothing overlaps. Pairwise, so meant for components of
    at most :data:`NETWORKX_LIMIT` nodes.

    Args:
        pos: node -> centre.
        boxes: node -> (width, height, dy) of what is drawn for it: the box's centre is ``dy``
            below the node's position (labels are drawn under the shape).
        padding: free space to keep between boxes.
        iterations: most rounds (fewer for big components: the work is bounded).
    """
    import numpy as np

    names = sorted(pos)
    n = len(names)
    if n < 2:
        return dict(pos)
    iterations = min(iterations, max(20, int(_OVERLAP_BUDGET / (n * n))))
    xy = np.array([pos[k] for k in names], dtype=float)
    box = np.array([boxes.get(k, (SPACING / 3, SPACING / 3, 0.0)) for k in names], dtype=float)
    wh, shift = box[:, :2], box[:, 2]
    # each pair once (i < j, in the order np.nonzero gives an n x n matrix's upper triangle);
    # what does not move (the sizes, the padding, the tie-break) is worked out once
    i_all, j_all = np.triu_indices(n, k=1)
    reach_x = (wh[i_all, 0] + wh[j_all, 0]) / 2 + padding
    reach_y = (wh[i_all, 1] + wh[j_all, 1]) / 2 + padding
    tie_all = np.sign(i_all - j_all).astype(float)
    for _ in range(iterations):
        x = xy[:, 0]
        cy = xy[:, 1] + shift
        dx_all = x[i_all] - x[j_all]
        dy_all = cy[i_all] - cy[j_all]
        ox_all = reach_x - np.abs(dx_all)
        oy_all = reach_y - np.abs(dy_all)
        (hit,) = np.nonzero((ox_all > 0) & (oy_all > 0))
        if not hit.size:
            break
        i, j = i_all[hit], j_all[hit]
        dx, dy, ox, oy, tie = dx_all[hit], dy_all[hit], ox_all[hit], oy_all[hit], tie_all[hit]
        sx = np.where(dx != 0, np.sign(dx), tie)
        sy = np.where(dy != 0, np.sign(dy), tie)
        along_x = ox <= oy
        mx = np.where(along_x, sx * ox / 2, 0.0)
        my = np.where(along_x, 0.0, sy * oy / 2)
        move = np.zeros_like(xy)
        np.add.at(move[:, 0], i, mx)
        np.add.at(move[:, 0], j, -mx)
        np.add.at(move[:, 1], i, my)
        np.add.at(move[:, 1], j, -my)
        xy += move
    return {k: (float(xy[a, 0]), float(xy[a, 1])) for a, k in enumerate(names)}


def box_extent(
    pos: dict[str, tuple[float, float]],
    boxes: Mapping[str, tuple[float, float, float]] | None,
) -> tuple[float, float, float, float]:
    """Return (left, top, right, bottom) of a component, its nodes' boxes included."""
    if boxes is None:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        return min(xs), min(ys), max(xs), max(ys)
    default = (SPACING / 3, SPACING / 3, 0.0)
    edges = [
        (x - w / 2, y + dy - h / 2, x + w / 2, y + dy + h / 2)
        for n, (x, y) in pos.items()
        for w, h, dy in [boxes.get(n, default)]
    ]
    return (
        min(e[0] for e in edges),
        min(e[1] for e in edges),
        max(e[2] for e in edges),
        max(e[3] for e in edges),
    )


def spring_positions(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    seed: int = 7,
    boxes: Mapping[str, tuple[float, float, float]] | None = None,
) -> dict[str, Position]:
    """Return whole-pixel positions for an entity graph.

    Args:
        nodes: node ids (any order; the result does not depend on it).
        edges: pairs of node ids (direction ignored).
        seed: the random seed of the spring layouts.
        boxes: node -> (width, height, dy) of its shape and label (see :func:`remove_overlaps`);
            when given, overlapping nodes of components laid out by networkx are pushed apart.
    """
    ordered = sorted(set(nodes))
    pairs = sorted({(min(a, b), max(a, b)) for a, b in edges if a != b})
    comps = _components(ordered, pairs)
    members = {n: i for i, comp in enumerate(comps) for n in comp}
    comp_edges: list[list[tuple[str, str]]] = [[] for _ in comps]
    for a, b in pairs:
        if a in members and b in members:
            comp_edges[members[a]].append((a, b))
    placed: dict[str, Position] = {}
    gap = SPACING / 3 if boxes is not None else SPACING
    # shelf packing: rows of components, biggest first, rows about as wide as the whole is tall
    packed: list[tuple[list[str], dict[str, tuple[float, float]], tuple[float, ...]]] = []
    for comp, cedges in zip(comps, comp_edges, strict=True):
        if len(comp) == 1:
            raw = {comp[0]: (0.0, 0.0)}
        elif len(comp) <= NETWORKX_LIMIT:
            raw = _networkx_layout(comp, cedges, seed)
        else:
            raw = grid_spring(comp, cedges, seed=seed)
        pos = _normalise(raw, len(comp))
        if boxes is not None and 1 < len(comp) <= OVERLAP_LIMIT:
            pos = remove_overlaps({k: (x * 1.25, y * 1.25) for k, (x, y) in pos.items()}, boxes)
        packed.append((comp, pos, box_extent(pos, boxes)))
    total_area = sum((e[2] - e[0] + gap) * (e[3] - e[1] + gap) for _, _, e in packed)
    first_width = packed[0][2][2] - packed[0][2][0] + gap if packed else 0.0
    row_width = max(math.sqrt(total_area) * 1.3, first_width)
    x = y = row_height = 0.0
    for comp, pos, (left, top, right, bottom) in packed:
        w, h = right - left + gap, bottom - top + gap
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        ox, oy = x - left + gap / 2, y - top + gap / 2
        for node in comp:
            px, py = pos[node]
            placed[node] = (round(px + ox), round(py + oy))
        x += w
        row_height = max(row_height, h)
    if placed:  # centre the whole drawing on the origin
        cx = round((min(p[0] for p in placed.values()) + max(p[0] for p in placed.values())) / 2)
        cy = round((min(p[1] for p in placed.values()) + max(p[1] for p in placed.values())) / 2)
        placed = {n: (px - cx, py - cy) for n, (px, py) in placed.items()}
    return placed


def pack_blocks(
    blocks: Sequence[Mapping[str, tuple[float, float]]],
    boxes: Mapping[str, tuple[float, float, float]],
    *,
    gap: float,
) -> dict[str, Position]:
    """Pack laid-out blocks (a community each) in rows, in the given order; centred on 0, 0."""
    extents = [box_extent(dict(b), boxes) for b in blocks if b]
    total = sum((e[2] - e[0] + gap) * (e[3] - e[1] + gap) for e in extents)
    first = extents[0][2] - extents[0][0] + gap if extents else 0.0
    row_width = max(math.sqrt(total) * 1.2, first)
    placed: dict[str, Position] = {}
    x = y = row_height = 0.0
    for block, (left, top, right, bottom) in zip([b for b in blocks if b], extents, strict=True):
        w, h = right - left + gap, bottom - top + gap
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (px, py) in block.items():
            placed[node] = (round(px + x - left), round(py + y - top))
        x += w
        row_height = max(row_height, h)
    if placed:
        cx = round((min(p[0] for p in placed.values()) + max(p[0] for p in placed.values())) / 2)
        cy = round((min(p[1] for p in placed.values()) + max(p[1] for p in placed.values())) / 2)
        placed = {n: (px - cx, py - cy) for n, (px, py) in placed.items()}
    return placed


def tree_positions(
    nodes: Sequence[str],
    parents: dict[str, list[str]],
    *,
    dx: float = 230.0,
    dy: float = 40.0,
) -> dict[str, Position]:
    """Lay out a class hierarchy as a tidy tree, roots on the left, leaves in a column on the right.

    Args:
        nodes: class ids.
        parents: class id -> its direct superclasses; the first (sorted) one is the tree parent,
            the others only get edges.
        dx: horizontal distance between levels.
        dy: vertical distance between leaves.
    """
    known = set(nodes)
    tree_parent: dict[str, str] = {}
    for n in sorted(known):
        ps = sorted(p for p in parents.get(n, []) if p in known and p != n)
        if ps:
            tree_parent[n] = ps[0]
    # break cycles: follow parents, drop the link that closes a loop
    for n in sorted(tree_parent):
        seen = {n}
        cur = tree_parent.get(n)
        while cur is not None:
            if cur in seen:
                tree_parent.pop(n, None)
                break
            seen.add(cur)
            cur = tree_parent.get(cur)
    children: dict[str, list[str]] = {n: [] for n in known}
    for child, parent in tree_parent.items():
        children[parent].append(child)
    for kids in children.values():
        kids.sort()

    def weight(n: str) -> int:
        return 1 + sum(weight(c) for c in children[n])

    roots = sorted((n for n in known if n not in tree_parent), key=lambda r: (-weight(r), r))
    blocks: list[tuple[dict[str, tuple[float, float]], float, float]] = []
    for root in roots:
        pos: dict[str, tuple[float, float]] = {}
        next_leaf = 0.0

        def place(n: str, depth: int, pos: dict[str, tuple[float, float]] = pos) -> float:
            nonlocal next_leaf
            if not children[n]:
                y = next_leaf
                next_leaf += dy
            else:
                ys = [place(c, depth + 1) for c in children[n]]
                y = (ys[0] + ys[-1]) / 2
            pos[n] = (depth * dx, y)
            return y

        place(root, 0)
        width = max(p[0] for p in pos.values()) + dx
        blocks.append((pos, width, next_leaf + dy / 2))
    # pack the trees into columns so that the drawing is about 1.6 times as wide as tall
    area = sum(w * h for _, w, h in blocks)
    target = max(max((h for _, _, h in blocks), default=0.0), math.sqrt(area / 1.6))
    out: dict[str, Position] = {}
    x = y = column_width = 0.0
    for pos, w, h in blocks:
        if y > 0 and y + h > target:
            x, y, column_width = x + column_width, 0.0, 0.0
        for n, (px, py) in pos.items():
            out[n] = (round(x + px), round(y + py))
        y += h
        column_width = max(column_width, w)
    if out:
        cx = (min(p[0] for p in out.values()) + max(p[0] for p in out.values())) // 2
        cy = (min(p[1] for p in out.values()) + max(p[1] for p in out.values())) // 2
        out = {n: (px - cx, py - cy) for n, (px, py) in out.items()}
    return out
