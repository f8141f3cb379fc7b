"""x² − y² as a surface: the ball rolls in along x, then slides off along y."""

from __future__ import annotations

import numpy as np
from manim import DEGREES, DOWN, LEFT, Dot3D, ManimColor, Surface, ThreeDAxes, ThreeDScene, VGroup, VMobject

from landscapes import classify, sample
from scenes.kit import FONT, PANEL_X, StoryScene, label_for
from scenes.mathtext import math, text

SURFACE_RESOLUTION = 16  # cost grows with its square; 16 x 16 is smooth enough for x² − y²


class SaddleSurface(StoryScene, ThreeDScene):
    story_name = "saddle-surface"
    roll_seconds = 8.0

    def construct(self) -> None:
        (traj,) = self.trajectories
        (x0, x1), (y0, y1) = self.landscape.domain
        self.set_camera_orientation(phi=62 * DEGREES, theta=-38 * DEGREES, zoom=0.95)
        # flat checkerboard colours instead of light shading: the surface still reads as a
        # saddle, frames render ~40% faster, and the GIF's palette needs no dithering
        self.renderer.camera.should_apply_shading = False
        self.axes = ThreeDAxes(
            x_range=[x0, x1, 0.5],
            y_range=[y0, y1, 0.5],
            z_range=[-1, 1, 0.5],
            x_length=5.5,
            y_length=5.5,
            z_length=3.2,
            tips=False,
        ).shift([-1.6, 0.6, 0])
        self.add(self.axes, *self._axis_labels())
        self.add(self._surface(x0, x1, y0, y1))
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

    def _surface(self, x0: float, x1: float, y0: float, y1: float) -> Surface:
        n = SURFACE_RESOLUTION
        xs, ys = np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1)
        z = sample(self.landscape, xs, ys)  # (len(ys), len(xs))

        def at(u: float, v: float) -> np.ndarray:
            i = int(round((v - y0) / (y1 - y0) * n))
            j = int(round((u - x0) / (x1 - x0) * n))
            return self.axes.c2p(u, v, z[i, j])

        return Surface(
            at,
            u_range=[x0, x1],
            v_range=[y0, y1],
            resolution=(n, n),
            fill_opacity=0.55,
            checkerboard_colors=[ManimColor("#3b6fa0"), ManimColor("#2c5478")],
            stroke_color=ManimColor("#8fb3d9"),
            stroke_width=0.6,
        )

    def _axis_labels(self) -> list[VMobject]:
        labels = self.axes.get_axis_labels(
            math("x", "x", font_size=36), math("y", "y", font_size=36), math("f", "f", font_size=36)
        )
        return [labels]

    # ---- 3D versions of the kit's hooks ---------------------------------------
    def overlay(self, *mobs: VMobject) -> None:
        self.add_fixed_in_frame_mobjects(*mobs)

    def make_dot(self, point: np.ndarray, radius: float, color: ManimColor) -> VMobject:
        return Dot3D(point, radius=radius, color=color, resolution=(8, 8))

    def scene_points(self, traj) -> np.ndarray:  # noqa: ANN001
        return np.array([self.axes.c2p(x, y, f) for (x, y), f in zip(traj.points, traj.values, strict=True)])
