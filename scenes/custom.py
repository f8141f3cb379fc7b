"""Your own landscape: `roll render custom --function EXPR [--domain ...]`.

A 1D expression is drawn as a curve, a 2D one (using y) as a surface; either way the ball
gets the same readouts and captions as the chapter's scenes, and its end point is
classified from the Hessian (minimum, maximum or saddle, with the eigenvalues).
"""

from __future__ import annotations

import numpy as np

from landscapes import sample
from scenes.kit.axes import nice_range, view_range
from scenes.kit.story import StoryScene
from scenes.kit.surface import SurfaceScene


class CustomLandscape(StoryScene):
    """A 1D expression as a curve."""

    story_name = "custom"

    def construct(self) -> None:
        if self.landscape.dim == 2:
            raise ValueError("a 2D expression is drawn by CustomSurface")
        traj = self.trajectories["ball"]
        domain = self.landscape.domain[0] if self.landscape.domain else None
        self.column.title()
        self.add(self.plot.graph(view_range(traj.points, 0, domain)))
        self.add_ball(traj, self.narration.names[0])
        self.column.readouts()
        self.show_balls()
        self.tell(self.narration.beats)


class CustomSurface(SurfaceScene):
    """A 2D expression as a surface."""

    story_name = "custom"
    roll_seconds = 8.0

    def construct(self) -> None:
        traj = self.trajectories["ball"]
        domain = self.landscape.domain or (None, None)
        xr, yr = view_range(traj.points, 0, domain[0]), view_range(traj.points, 1, domain[1])
        grid = sample(self.landscape, np.linspace(*xr[:2], 17), np.linspace(*yr[:2], 17))
        finite = grid[np.isfinite(grid)]
        z = nice_range(float(finite.min()), float(finite.max()), ticks=4) if finite.size else [-1.0, 1.0, 0.5]
        self.setup_surface(xr, yr, z)
        self.column.title()
        self.add_ball(traj, self.narration.names[0], radius=0.16)
        self.column.readouts(dim_names=("x", "y"))
        self.show_balls()
        self.tell(self.narration.beats)
