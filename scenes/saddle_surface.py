"""x² − y² as a surface: the ball rolls in along x, then slides off along y."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, ManimColor, VGroup

from landscapes import classify
from scenes.kit import FONT, PANEL_X, label_for
from scenes.mathtext import text
from scenes.surface import SurfaceScene


class SaddleSurface(SurfaceScene):
    story_name = "saddle-surface"
    roll_seconds = 8.0

    def construct(self) -> None:
        (traj,) = self.trajectories
        (x0, x1), (y0, y1) = self.landscape.domain
        self.setup_surface([x0, x1, 0.5], [y0, y1, 0.5], [-1, 1, 0.5])
        self.title()
        ball = self.add_ball(traj, label_for(traj.settings), radius=0.16)
        self.readouts(top=2.9, dim_names=("x", "y"))
        hess = classify(self.landscape, [0.0, 0.0])
        eig = " and ".join(f"{v:g}".replace("-", "−") for v in sorted(hess.eigenvalues, reverse=True))
        facts = VGroup(
            text("Hessian at (0, 0):", font_size=FONT - 2),
            text("eigenvalues:", font_size=FONT - 2),
            text(eig, font_size=FONT - 2, color=ManimColor("#ffe082")),
            text(f"→ a {hess.kind}", font_size=FONT - 2, color=ManimColor("#ffe082")),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        facts.move_to([PANEL_X, -1.95, 0], aligned_edge=LEFT)
        self.overlay(facts)
        self.show_balls()
        self.caption(f"start ({traj.points[0, 0]:g}, {traj.points[0, 1]:g}): almost on the x-axis", hold=0.6)

        inward = self.first_step(ball, np.abs(traj.points[:, 0]) < 0.05 * abs(traj.points[0, 0]))
        self.roll_to(inward)
        self.caption("rolls in along x: ∂f/∂x = 2x shrinks, ∂f/∂y = −2y grows", hold=0.6)
        self.roll_to(self.last_step)
        if traj.status == "left_domain":
            self.caption(
                f"slides off along y: off the map at y = {traj.end[1]:.2f} after {traj.steps} steps", hold=2.0
            )
        elif not self.status_caption(ball):
            self.caption("still near the saddle: x → 0 and y grows slowly", hold=2.0)
