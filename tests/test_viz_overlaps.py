"""``remove_overlaps`` (vectorised over the pairs) moves nodes exactly as its definition says.

The definition, written out pair by pair in plain Python: each round, every pair i < j (in
that order) whose boxes overlap is pushed apart along the axis of the smaller overlap, half of
it each way (ties broken towards i); a node's moves in a round are summed in the order of the
pairs (its moves as the first of a pair, then as the second). The built pages are pinned to
the byte (deterministic builds), so the vectorised form must give the very same floats.
"""

from __future__ import annotations

import random

import pytest

from policykg.outputs.viz.layout import _OVERLAP_BUDGET, SPACING, remove_overlaps


def _sign(v: float) -> float:
    return 1.0 if v > 0 else -1.0 if v < 0 else 0.0


def by_definition(
    pos: dict[str, tuple[float, float]],
    boxes: dict[str, tuple[float, float, float]],
    padding: float,
    iterations: int = 1000,
) -> dict[str, tuple[float, float]]:
    names = sorted(pos)
    n = len(names)
    if n < 2:
        return dict(pos)
    iterations = min(iterations, max(20, int(_OVERLAP_BUDGET / (n * n))))
    x = [float(pos[k][0]) for k in names]
    y = [float(pos[k][1]) for k in names]
    box = [tuple(map(float, boxes.get(k, (SPACING / 3, SPACING / 3, 0.0)))) for k in names]
    for _ in range(iterations):
        hits = []
        for i in range(n):
            for j in range(i + 1, n):
                dx = x[i] - x[j]
                dy = (y[i] + box[i][2]) - (y[j] + box[j][2])
                ox = (box[i][0] + box[j][0]) / 2 + padding - abs(dx)
                oy = (box[i][1] + box[j][1]) / 2 + padding - abs(dy)
                if ox > 0 and oy > 0:
                    hits.append((i, j, dx, dy, ox, oy))
        if not hits:
            break
        mx = [0.0] * n
        my = [0.0] * n
        steps = []
        for i, j, dx, dy, ox, oy in hits:
            sx = _sign(dx) if dx != 0 else -1.0  # i < j: the tie-break sign(i - j)
            sy = _sign(dy) if dy != 0 else -1.0
            along_x = ox <= oy
            steps.append((i, j, sx * ox / 2 if along_x else 0.0, 0.0 if along_x else sy * oy / 2))
        for i, _j, sx_move, _sy in steps:
            mx[i] += sx_move
        for _i, j, sx_move, _sy in steps:
            mx[j] += -sx_move
        for i, _j, _sx, sy_move in steps:
            my[i] += sy_move
        for _i, j, _sx, sy_move in steps:
            my[j] += -sy_move
        x = [a + b for a, b in zip(x, mx, strict=True)]
        y = [a + b for a, b in zip(y, my, strict=True)]
    return {k: (x[a], y[a]) for a, k in enumerate(names)}


@pytest.mark.parametrize("seed", range(12))
def test_remove_overlaps_moves_as_its_definition_says(seed):
    rng = random.Random(seed)
    n = rng.choice([2, 3, 7, 20, 45])
    pos = {
        f"n{k:02d}": (round(rng.uniform(-60, 60), rng.choice([0, 2])), rng.uniform(-40, 40))
        for k in range(n)
    }
    if seed % 3 == 0:  # nodes on the same spot: the tie-break decides
        for k in list(pos)[: n // 2]:
            pos[k] = (0.0, 0.0)
    boxes = {
        k: (rng.uniform(4, 70), rng.uniform(4, 30), rng.choice([0.0, rng.uniform(0, 12)]))
        for k in pos
        if rng.random() < 0.85  # the others take the default box
    }
    padding = rng.choice([0.0, 6.0, 2.5])
    assert remove_overlaps(pos, boxes, padding=padding) == by_definition(pos, boxes, padding)
