"""The 3D parts shared by surface scenes: a still camera, axes, a flat-shaded surface drawn
once, readouts pinned to the frame, and balls as small spheres on the surface."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DEGREES, Dot3D, ManimColor, Surface, ThreeDAxes, ThreeDScene, VMobject

from landscapes import Trajectory, sample
from scenes.kit import StoryScene
from scenes.mathtext import math

SURFACE_RESOLUTION = 16  # cost grows with its square; 16 x 16 is smooth enough here


class SurfaceScene(StoryScene, ThreeDScene):
    """A StoryScene whose landscape is drawn as a surface over (x, y)."""

    def setup_surface(
        self, x_range: Sequence[float], y_range: Sequence[float], z_range: Sequence[float]
    ) -> Surface:
        self.set_camera_orientation(phi=62 * DEGREES, theta=-38 * DEGREES, zoom=0.95)
        # flat checkerboard colours instead of light shading: the surface still reads in 3D,
        # frames render ~40% faster, and the GIF's palette needs no dithering
        self.renderer.camera.should_apply_shading = False
        self.axes = ThreeDAxes(
            x_range=list(x_range),
            y_range=list(y_range),
            z_range=list(z_range),
            x_length=5.5,
            y_length=5.5,
            z_length=3.2,
            tips=False,
        ).shift([-1.6, 0.6, 0])
        labels = self.axes.get_axis_labels(
            math("x", "x", font_size=36), math("y", "y", font_size=36), math("f", "f", font_size=36)
        )
        surface = self._surface(x_range[:2], y_range[:2], z_range[:2])
        self.add(self.axes, labels, surface)
        return surface

    def _surface(self, xr: Sequence[float], yr: Sequence[float], zr: Sequence[float]) -> Surface:
        n = SURFACE_RESOLUTION
        (x0, x1), (y0, y1) = xr, yr
        xs, ys = np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1)
        z = np.clip(np.nan_to_num(sample(self.landscape, xs, ys), nan=zr[0]), zr[0], zr[1])

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

    # ---- 3D versions of the kit's hooks ---------------------------------------
    def overlay(self, *mobs: VMobject) -> None:
        self.add_fixed_in_frame_mobjects(*mobs)

    def make_dot(self, point: np.ndarray, radius: float, color: ManimColor) -> VMobject:
        return Dot3D(point, radius=radius, color=color, resolution=(8, 8))

    def scene_points(self, traj: Trajectory) -> np.ndarray:
        """(x, y, f) per step, kept inside the axes' box so a runaway ball stays on screen."""
        boxes = [self.axes.x_range, self.axes.y_range, self.axes.z_range]
        cols = [traj.points[:, 0], traj.points[:, 1], traj.values]
        x, y, f = (np.clip(c, b[0], b[1]) for c, b in zip(cols, boxes, strict=True))
        return np.array([self.axes.c2p(*p) for p in zip(x, y, f, strict=True)])
