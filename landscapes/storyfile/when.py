"""When a beat comes (`Moment`), and the step it comes at on a run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..trajectory import Trajectory


@dataclass(frozen=True)
class Moment:
    """When a beat comes: at step k, when a ball stops, when it first enters a box, or at the end."""

    kind: str  # "start" | "step" | "stops" | "enters" | "end"
    step: int | None = None
    ball: str | None = None
    box: tuple[tuple[float, float], ...] = ()


def resolve(balls: Sequence[str], when: Moment, trajectories: Sequence[Trajectory]) -> int:
    """The step a moment comes at; `balls` names the trajectories in order."""
    last = max(t.steps for t in trajectories)
    if when.kind == "start":
        return 0
    if when.kind == "step":
        return int(when.step or 0)
    if when.kind == "end":
        return last
    t = trajectories[list(balls).index(when.ball or "")]
    if when.kind == "stops":
        return t.steps
    hit = entered(t, when.box)
    return t.steps if hit is None else hit


def entered(t: Trajectory, box: Sequence[Sequence[float]]) -> int | None:
    """The first step at which the ball lies inside the box (None if it never does)."""
    import numpy as np

    inside = np.ones(len(t.points), dtype=bool)
    for k, (lo, hi) in enumerate(box):
        inside &= (t.points[:, k] >= lo) & (t.points[:, k] <= hi)
    hits = np.flatnonzero(inside)
    return int(hits[0]) if len(hits) else None
