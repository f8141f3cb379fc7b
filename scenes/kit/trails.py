"""A ball as drawn: its parts, and its path as straight step segments cut at the view's edge,
with a bead per point."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import VMobject

from landscapes import Trajectory
from scenes.kit.labels import Box


@dataclass
class Ball:
    """One trajectory drawn: its dot, its trail and its scene coordinates per step."""

    traj: Trajectory
    name: str
    color: Any
    dot: VMobject
    trail: VMobject
    coords: np.ndarray  # (n+1, 3) scene points, one per step
    segments: np.ndarray  # (n, 4, 3) the trail's step segments, cut at the view's edge if it leaves
    inside: np.ndarray  # (n+1,) whether each point is in view
    beads: VMobject | None = None  # on a plane: a dot at every visited point
    style: Any = None  # its BallStyle: colour, marker shape, dash
    marker: VMobject | None = None  # where a ball out of view is: an arrow at the edge, its coordinate
    box: Box | None = None  # the view its trail is cut at (None: it never leaves the view)
    # lays the ball on a view again: place(scene points per step, the view's box or None)
    place: Callable[[np.ndarray, Box | None], None] | None = None

    def index(self, step: float) -> int:
        return min(int(step), len(self.coords) - 1)


def in_box(coords: np.ndarray, box: Box, margin: float = 1e-6) -> np.ndarray:
    x, y = coords[:, 0], coords[:, 1]
    return (x >= box[0] - margin) & (x <= box[2] + margin) & (y >= box[1] - margin) & (y <= box[3] + margin)


def trail_segments(coords: np.ndarray, box: Box | None) -> np.ndarray:
    """The trail as one straight cubic segment per step, (n, 4, 3); with a box, each segment is
    cut to the part inside it (Liang-Barsky), or collapsed to a point if none is."""
    a, b = coords[:-1], coords[1:]
    if box is not None:
        d = b - a
        t0, t1 = np.zeros(len(a)), np.ones(len(a))
        for p, q in (
            (-d[:, 0], a[:, 0] - box[0]),
            (d[:, 0], box[2] - a[:, 0]),
            (-d[:, 1], a[:, 1] - box[1]),
            (d[:, 1], box[3] - a[:, 1]),
        ):
            with np.errstate(divide="ignore", invalid="ignore"):
                r = q / p
            parallel = p == 0
            t0 = np.where(~parallel & (p < 0), np.maximum(t0, r), t0)
            t1 = np.where(~parallel & (p > 0), np.minimum(t1, r), t1)
            t1 = np.where(parallel & (q < 0), -1.0, t1)  # parallel and outside
        gone = t0 > t1
        t0, t1 = np.where(gone, 0.0, t0), np.where(gone, 0.0, t1)
        a, b = a + t0[:, None] * d, a + t1[:, None] * d
    thirds = np.linspace(0.0, 1.0, 4)[None, :, None]
    return a[:, None, :] + thirds * (b - a)[:, None, :]


def bead_paths(coords: np.ndarray, radius: float) -> np.ndarray:
    """A small filled circle at every point, (n+1, m, 3), for the path-as-dots view."""
    from manim import Circle

    ring = Circle(radius=radius).points
    ring = ring - ring.mean(axis=0)
    return coords[:, None, :] + ring[None, :, :]


def spaced(coords: np.ndarray, gap: float) -> np.ndarray:
    """Which points get a bead: the first, then each at least `gap` from the last one kept. A
    ball that crawls puts hundreds of iterates on one spot; their beads drew one blot, and
    cairo stroked every ring of it each frame (race: 3.5 million curves a scene)."""
    keep = np.zeros(len(coords), dtype=bool)
    last = None
    for k, p in enumerate(coords[:, :2]):
        if last is None or np.hypot(*(p - last)) >= gap:
            keep[k], last = True, p
    return keep
