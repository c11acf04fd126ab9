"""The one breadth-first search: neighbourhoods, shortest paths and hierarchy closures.

Level by level from the start nodes, each node expanded once. Callers that read their edges
in batches (from a store) pass ``load``, called with each level before it is expanded.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import TypeVar

__all__ = ["breadth_first", "reachable"]

N = TypeVar("N", bound=Hashable)
E = TypeVar("E")


def breadth_first(
    starts: Iterable[N],
    expand: Callable[[N], Iterable[tuple[N, E]]],
    *,
    depth: int | None = None,
    load: Callable[[list[N]], None] | None = None,
) -> Iterator[tuple[int, N, N, E, bool]]:
    """Walk outwards from ``starts``, yielding every edge read on the way.

    Args:
        starts: where the walk begins (distance 0).
        expand: a node's edges, as ``(neighbour, edge)`` pairs, in the order to follow them.
        depth: expand nodes at most this far from the start (``None`` = until nothing is new).
        load: called with each level's nodes before they are expanded.

    Yields:
        ``(distance, node, neighbour, edge, new)`` for each edge of each expanded node:
        ``distance`` is the node's distance from the start (the neighbour is one further) and
        ``new`` tells whether this edge is the first to reach the neighbour.
    """
    reached = set(starts)
    level = list(dict.fromkeys(starts))
    dist = 0
    while level and (depth is None or dist < depth):
        if load is not None:
            load(level)
        following: list[N] = []
        for node in level:
            for other, edge in expand(node):
                new = other not in reached
                if new:
                    reached.add(other)
                    following.append(other)
                yield dist, node, other, edge, new
        level = following
        dist += 1


def reachable(
    starts: Iterable[N], step: Callable[[N], Iterable[N]], *, depth: int | None = None
) -> set[N]:
    """Return the start nodes and every node reached from them by ``step`` (within ``depth``)."""
    starts = list(starts)
    found = set(starts)
    for _, _, other, _, _ in breadth_first(
        starts, lambda n: ((m, None) for m in step(n)), depth=depth
    ):
        found.add(other)
    return found
