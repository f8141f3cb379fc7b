"""Where an annotation goes: near its point, clear of everything already drawn.

A scene says what to annotate ("local minimum" at this point); the kit tries positions
around the point, nearest first, and takes the first whose box stays inside the plot's
area and touches no curve, axis, tick label, ball, trail or earlier label.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in scene units

DISTANCES = (0.55, 0.8, 1.1, 1.45, 1.85, 2.3, 2.8, 3.4)
ANGLES = np.deg2rad([90, 60, 120, 30, 150, 0, 180, -30, -150, -60, -120, -90, 75, 105, 45, 135])


def densify(points: np.ndarray, spacing: float = 0.04) -> np.ndarray:
    """Points along a polyline no farther apart than `spacing`, so a box cannot slip between."""
    pts = np.asarray(points, dtype=float)[:, :2]
    if len(pts) < 2:
        return pts
    out = [pts[:1]]
    for a, b in zip(pts[:-1], pts[1:], strict=True):
        n = max(1, int(np.ceil(np.linalg.norm(b - a) / spacing)))
        t = np.linspace(0.0, 1.0, n + 1)[1:, None]
        out.append(a + t * (b - a))
    return np.concatenate(out)


def box_of(mob: object, pad: float = 0.0) -> Box:
    lo, hi = mob.get_corner(np.array([-1, -1, 0])), mob.get_corner(np.array([1, 1, 0]))
    return (lo[0] - pad, lo[1] - pad, hi[0] + pad, hi[1] + pad)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass
class Obstacles:
    """What a label must not touch: boxes (text, balls, panels) and points (curves, axes, trails)."""

    boxes: list[Box] = field(default_factory=list)
    points: list[np.ndarray] = field(default_factory=list)

    def add_box(self, box: Box) -> None:
        self.boxes.append(box)

    def add_line(self, points: np.ndarray) -> None:
        # a runaway ball's path reaches far off screen: only its part near the frame matters,
        # and clipping first keeps the densified line small (a few thousand points at most)
        near = np.clip(np.asarray(points, dtype=float)[:, :2], [-8.0, -5.0], [8.0, 5.0])
        self.points.append(densify(near))

    def conflicts(self, box: Box) -> int:
        n = sum(overlaps(box, b) for b in self.boxes)
        for pts in self.points:
            inside = (pts[:, 0] > box[0]) & (pts[:, 0] < box[2]) & (pts[:, 1] > box[1]) & (pts[:, 1] < box[3])
            n += int(inside.any())
        return n


def place(
    width: float,
    height: float,
    target: Iterable[float],
    obstacles: Obstacles,
    area: Box,
    margin: float = 0.08,
) -> np.ndarray:
    """Centre for a label of this size: the nearest candidate around `target` inside `area`
    with no conflict (or, if every one has some, the one with fewest)."""
    tx, ty = list(target)[:2]
    best: tuple[int, float, np.ndarray] | None = None
    for dist in DISTANCES:
        for ang in ANGLES:
            # the distance is measured from the target to the label's nearest edge
            cx = tx + np.cos(ang) * (dist + width / 2 * abs(np.cos(ang)))
            cy = ty + np.sin(ang) * (dist + height / 2 * abs(np.sin(ang)))
            box = (
                cx - width / 2 - margin,
                cy - height / 2 - margin,
                cx + width / 2 + margin,
                cy + height / 2 + margin,
            )
            if box[0] < area[0] or box[1] < area[1] or box[2] > area[2] or box[3] > area[3]:
                continue
            n = obstacles.conflicts(box)
            if n == 0:
                return np.array([cx, cy, 0.0])
            if best is None or n < best[0]:
                best = (n, dist, np.array([cx, cy, 0.0]))
    if best is None:  # nothing fits inside the area: keep the label on screen at the target
        x = float(np.clip(tx, area[0] + width / 2, area[2] - width / 2))
        y = float(np.clip(ty, area[1] + height / 2, area[3] - height / 2))
        return np.array([x, y, 0.0])
    return best[2]
