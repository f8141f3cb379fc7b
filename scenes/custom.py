"""Your own landscape: `roll render custom --function EXPR [--domain ...]`.

A 1D expression is drawn as a curve, a 2D one (using y) as a surface; either way the ball
gets the same readouts and captions as the chapter's scenes, and its end point is
classified from the Hessian (minimum, maximum or saddle, with the eigenvalues).
"""

from __future__ import annotations

import numpy as np

from landscapes import Landscape, Trajectory, classify, sample
from scenes.kit import STATUS_CAPTIONS, StoryScene, label_for, nice_range
from scenes.surface import SurfaceScene

REACH = 50.0  # a runaway ball is followed this far from its start, then shown at the edge


def view_range(traj: Trajectory, axis: int, domain: tuple[float, float] | None) -> list[float]:
    """The domain if there is one, else the stretch of axis `axis` the ball visited, padded."""
    if domain is not None:
        lo, hi = domain
    else:
        start = traj.points[0, axis]
        visited = traj.points[:, axis]
        visited = visited[np.abs(visited - start) <= REACH]
        lo, hi = float(visited.min()), float(visited.max())
        pad = max(1.0, 0.15 * (hi - lo))
        lo, hi = lo - pad, hi + pad
    ticks = nice_range(lo, hi, ticks=6, pad=0.0)
    return [lo, hi, ticks[2]]


def ending(ls: Landscape, traj: Trajectory) -> str:
    """The caption for where the ball ended."""
    if traj.status in STATUS_CAPTIONS:
        return STATUS_CAPTIONS[traj.status]
    c = classify(ls, traj.end)
    eig = ", ".join(f"{v:.3g}" for v in c.eigenvalues)
    where = ", ".join(f"{v:.3f}" for v in traj.end)
    if c.kind == "not critical":
        return f"still moving at ({where}) after {traj.steps} steps: not a critical point yet"
    word = "eigenvalues" if len(c.eigenvalues) > 1 else "f″ ="
    return f"ends at a {c.kind} ({where}): Hessian {word} {eig}"


class CustomLandscape(StoryScene):
    """A 1D expression as a curve."""

    story_name = "custom"

    def construct(self) -> None:
        if self.landscape.dim == 2:
            raise ValueError("a 2D expression is drawn by CustomSurface")
        (traj,) = self.trajectories
        domain = self.landscape.domain[0] if self.landscape.domain else None
        self.title()
        self.plot(view_range(traj, 0, domain))
        ball = self.add_ball(traj, label_for(traj.settings))
        self.readouts()
        self.show_balls()
        self.caption(f"start x = {traj.points[0, 0]:g}, learning rate {traj.settings.lr:g}", hold=0.6)
        self.roll_to(self.last_step)
        red = traj.status in STATUS_CAPTIONS
        self.caption(ending(self.landscape, ball.traj), color=self.WARN if red else self.NOTE, hold=2.0)


class CustomSurface(SurfaceScene):
    """A 2D expression as a surface."""

    story_name = "custom"
    roll_seconds = 8.0

    def construct(self) -> None:
        (traj,) = self.trajectories
        domain = self.landscape.domain or (None, None)
        xr, yr = view_range(traj, 0, domain[0]), view_range(traj, 1, domain[1])
        grid = sample(self.landscape, np.linspace(*xr[:2], 17), np.linspace(*yr[:2], 17))
        finite = grid[np.isfinite(grid)]
        z = nice_range(float(finite.min()), float(finite.max()), ticks=4) if finite.size else [-1.0, 1.0, 0.5]
        self.setup_surface(xr, yr, z)
        self.title()
        self.add_ball(traj, label_for(traj.settings), radius=0.16)
        self.readouts(top=2.9, dim_names=("x", "y"))
        self.show_balls()
        self.caption(
            f"start ({traj.points[0, 0]:g}, {traj.points[0, 1]:g}), learning rate {traj.settings.lr:g}",
            hold=0.6,
        )
        self.roll_to(self.last_step)
        red = traj.status in STATUS_CAPTIONS
        self.caption(ending(self.landscape, traj), color=self.WARN if red else self.NOTE, hold=2.0)
