"""The 3D parts of surface scenes: a still camera, axes with upright labels, a flat-shaded
surface drawn once, readouts pinned to the frame, and balls as small spheres on it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DEGREES, Dot3D, Surface, ThreeDAxes, ThreeDScene, VGroup, VMobject

from landscapes import Trajectory, sample
from scenes.kit.mathtext import math
from scenes.kit.palette import palette
from scenes.kit.story import StoryScene

SURFACE_RESOLUTION = 16  # cost grows with its square; 16 x 16 is smooth enough here
AXIS_LABEL_FONT = 44


class SurfaceScene(StoryScene, ThreeDScene):
    """A StoryScene whose landscape is drawn as a surface over (x, y)."""

    def setup_surface(
        self,
        x_range: Sequence[float],
        y_range: Sequence[float],
        z_range: Sequence[float],
        centre: Sequence[float] = (-1.6, -0.2),
    ) -> Surface:
        """Axes, labels and surface; `centre` is where the box's middle lands in the frame."""
        self.set_camera_orientation(phi=62 * DEGREES, theta=-38 * DEGREES, zoom=0.95)
        # flat checkerboard colours instead of light shading: the surface still reads in 3D,
        # frames render ~40% faster, and the GIF's palette needs no dithering
        self.renderer.camera.should_apply_shading = False
        p = palette()
        self.plot.layout("surface")
        self.plot.axes = ThreeDAxes(
            x_range=list(x_range),
            y_range=list(y_range),
            z_range=list(z_range),
            x_length=7.4,
            y_length=7.4,
            z_length=4.0,
            tips=False,
            axis_config={"color": p.axis},
        )
        surface = self._surface(x_range[:2], y_range[:2], z_range[:2])
        self.add(self.plot.axes, surface)
        self._frame_box(np.asarray(centre, dtype=float))
        self.plot.axis_labels = self._axis_labels()
        self.overlay(self.plot.axis_labels)
        return surface

    def project(self, point: np.ndarray) -> np.ndarray:
        """Where a 3D point appears in the (still) frame."""
        camera = self.renderer.camera
        camera.reset_rotation_matrix()  # manim refreshes it only when it draws a frame
        return camera.project_point(np.asarray(point, dtype=float))

    def _frame_box(self, centre: np.ndarray) -> None:
        """Move the 3D content so that its projected bounding box is centred at `centre`: the
        surface fills the space left of the panel instead of riding high."""
        x0, x1 = self.plot.axes.x_range[:2]
        y0, y1 = self.plot.axes.y_range[:2]
        z0, z1 = self.plot.axes.z_range[:2]
        corners = [self.plot.axes.c2p(x, y, z) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]
        flat = np.array([self.project(c) for c in corners])
        mid = (flat.min(axis=0) + flat.max(axis=0)) / 2
        # the camera projects linearly for a small shift at the box's scale: iterate once more
        for _ in range(2):
            delta = np.array([centre[0] - mid[0], centre[1] - mid[1]])
            self._shift_content(delta)
            flat = np.array([self.project(c + self._offset) for c in corners])
            mid = (flat.min(axis=0) + flat.max(axis=0)) / 2

    _offset = np.zeros(3)

    def _shift_content(self, frame_delta: np.ndarray) -> None:
        """Shift the 3D content by the scene vector whose projection is `frame_delta`."""
        o = self.project(self._offset)
        ex = self.project(self._offset + np.array([1.0, 0, 0])) - o
        ey = self.project(self._offset + np.array([0, 1.0, 0])) - o
        m = np.array([[ex[0], ey[0]], [ex[1], ey[1]]])
        a, b = np.linalg.solve(m, frame_delta)
        vec = np.array([a, b, 0.0])
        for mob in self.mobjects:
            mob.shift(vec)
        self._offset = self._offset + vec

    def _axis_labels(self) -> VGroup:
        """x, y and f as upright letters pinned to the frame beside each axis end: rotated into
        3D, a label is a squiggle at 480p."""
        labels = VGroup()
        for name, axis in (
            ("x", self.plot.axes.x_axis),
            ("y", self.plot.axes.y_axis),
            ("f", self.plot.axes.z_axis),
        ):
            end, start = self.project(axis.get_end()), self.project(axis.get_start())
            away = (end - start)[:2]
            away = away / max(np.linalg.norm(away), 1e-9)
            lab = math(name, name, font_size=AXIS_LABEL_FONT)
            lab.move_to([*(end[:2] + away * 0.3), 0.0])
            labels.add(lab)
        return labels

    def _surface(self, xr: Sequence[float], yr: Sequence[float], zr: Sequence[float]) -> Surface:
        n = SURFACE_RESOLUTION
        (x0, x1), (y0, y1) = xr, yr
        xs, ys = np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1)
        z = np.clip(np.nan_to_num(sample(self.landscape, xs, ys), nan=zr[0]), zr[0], zr[1])

        def at(u: float, v: float) -> np.ndarray:
            i = int(round((v - y0) / (y1 - y0) * n))
            j = int(round((u - x0) / (x1 - x0) * n))
            return self.plot.axes.c2p(u, v, z[i, j])

        p = palette()
        return Surface(
            at,
            u_range=[x0, x1],
            v_range=[y0, y1],
            resolution=(n, n),
            fill_opacity=0.55,
            checkerboard_colors=list(p.surface),
            stroke_color=p.surface_edge,
            stroke_width=0.6,
        )

    # ---- 3D versions of the kit's hooks ---------------------------------------
    def overlay(self, *mobs: VMobject) -> None:
        self.add_fixed_in_frame_mobjects(*mobs)

    def make_dot(self, point: np.ndarray, radius: float, color: Any, style: Any = None) -> VMobject:
        # drawn after the surface, as the trail is: sorted among the surface's faces by depth,
        # the faces just in front of the ball veil it at the surface's opacity (2:1 in light)
        return Dot3D(point, radius=radius, color=color, resolution=(8, 8)).set_shade_in_3d(False)

    def scene_points(self, traj: Trajectory) -> np.ndarray:
        """(x, y, f) per step, kept inside the axes' box so a runaway ball stays on screen."""
        boxes = [self.plot.axes.x_range, self.plot.axes.y_range, self.plot.axes.z_range]
        cols = [traj.points[:, 0], traj.points[:, 1], traj.values]
        x, y, f = (np.clip(c, b[0], b[1]) for c, b in zip(cols, boxes, strict=True))
        return np.array([self.plot.axes.c2p(*p) for p in zip(x, y, f, strict=True)])
