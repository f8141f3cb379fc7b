"""The view from above that the chapter's 2D plots use: iso-contours over a light fill,
inside a box with ticks on its left and bottom edges (matplotlib's look, as in d2l).

Iso-lines and filled bands come from contourpy (matplotlib's contouring engine) on a
sampled grid; they are static VMobjects, drawn once per animation, never per frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import contourpy
import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Line, Rectangle, VGroup, VMobject, interpolate_color

from landscapes import Landscape, sample
from scenes.kit.axes import LABEL_FONT, TICK_FONT, decimals, to_scene
from scenes.kit.mathtext import math
from scenes.kit.palette import palette

GRID = 120  # samples per side: smooth lines, computed once
LEVELS = 12


class ContourPlane(VGroup):
    """A landscape of (x, y) seen from above. `axes` maps (x, y) to the scene; `lines` keeps
    each drawn iso-line with its level, so tests can check that it lies on its level set."""

    def __init__(
        self,
        landscape: Landscape,
        x_range: Sequence[float],
        y_range: Sequence[float],
        width: float = 6.0,
        height: float = 5.2,
        levels: int | Sequence[float] = LEVELS,
        x_label: tuple[str, str] = ("x", "x"),
        y_label: tuple[str, str] = ("y", "y"),
        centre: Sequence[float] = (0.0, 0.0),
    ) -> None:
        super().__init__()
        p = palette()
        self.landscape = landscape
        # the axes only map (x, y) to the scene (the box and ticks are drawn here); without
        # numbers or tips their bounding box is the plot's box
        self.axes = Axes(
            x_range=list(x_range), y_range=list(y_range), x_length=width, y_length=height, tips=False
        )
        self.axes.move_to([centre[0], centre[1], 0.0])
        xs = np.linspace(x_range[0], x_range[1], GRID)
        ys = np.linspace(y_range[0], y_range[1], GRID)
        z = np.asarray(sample(landscape, xs, ys), dtype=float)
        finite = z[np.isfinite(z)]
        self.z_lo, self.z_hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        z = np.where(np.isfinite(z), z, np.nan)
        self.levels = self._levels(z, levels)
        gen = contourpy.contour_generator(xs, ys, np.ma.masked_invalid(z), name="serial")
        self.fill = self._fill(gen)
        self.lines: list[tuple[float, VMobject]] = []
        line_group = VGroup()
        for level in self.levels:
            for seg in gen.lines(level):
                if len(seg) < 2:
                    continue
                mob = VMobject(stroke_color=p.contour, stroke_width=1.6, stroke_opacity=0.85)
                mob.set_points_as_corners(to_scene(self.axes, seg[:, 0], seg[:, 1]))
                self.lines.append((float(level), mob))
                line_group.add(mob)
        self.frame_box = Rectangle(width=width, height=height, stroke_color=p.axis, stroke_width=2)
        self.frame_box.move_to(self.axes.c2p((x_range[0] + x_range[1]) / 2, (y_range[0] + y_range[1]) / 2))
        self.ticks, self.tick_labels = self._ticks(x_range, y_range)
        self.x_label = math(*x_label, font_size=LABEL_FONT)
        # right of the last x tick, as the curves' axes have it: the row under the plane stays
        # free for the caption
        bottom = min(m.get_y() for m in self.tick_labels)
        last_x = max((m for m in self.tick_labels if abs(m.get_y() - bottom) < 1e-6), key=lambda m: m.get_x())
        self.x_label.next_to(last_x, RIGHT, buff=0.2)
        self.y_label = math(*y_label, font_size=LABEL_FONT)
        self.y_label.next_to(self.tick_labels, LEFT, buff=0.15).set_y(self.frame_box.get_center()[1])
        self.add(
            self.fill, line_group, self.frame_box, self.ticks, self.tick_labels, self.x_label, self.y_label
        )

    def _levels(self, z: np.ndarray, levels: int | Sequence[float]) -> np.ndarray:
        if not isinstance(levels, int):
            return np.asarray(levels, dtype=float)
        finite = z[np.isfinite(z)]
        if finite.size == 0:
            return np.array([])
        # levels spaced in value, as plt.contour does, but between the 2nd and 98th
        # percentiles, so one far corner does not squeeze every line into the middle
        lo, hi = np.percentile(finite, [2, 98])
        if hi - lo < 1e-12:
            return np.array([])
        return np.linspace(lo, hi, levels + 2)[1:-1]

    def _fill(self, gen: contourpy.ContourGenerator) -> VGroup:
        """Bands between consecutive levels, light to dark from high to low values."""
        p = palette()
        edges = np.concatenate([[self.z_lo - 1.0], self.levels, [self.z_hi + 1.0]])
        bands = VGroup()
        for k in range(len(edges) - 1):
            polys, offsets = gen.filled(edges[k], edges[k + 1])
            color = interpolate_color(p.fill_low, p.fill_high, k / max(len(edges) - 2, 1))
            band = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
            for pts, offs in zip(polys, offsets, strict=True):
                for a, b in zip(offs[:-1], offs[1:], strict=True):
                    ring = to_scene(self.axes, pts[a:b, 0], pts[a:b, 1])
                    if len(ring) < 3:
                        continue
                    band.start_new_path(ring[0])
                    band.add_points_as_corners([*ring[1:], ring[0]])
            if band.has_points():
                bands.add(band)
        return bands

    def _ticks(self, x_range: Sequence[float], y_range: Sequence[float]) -> tuple[VGroup, VGroup]:
        p = palette()
        marks, labels = VGroup(), VGroup()
        for axis, rng in ((0, x_range), (1, y_range)):
            places = decimals(rng[2])
            n = int(round((rng[1] - rng[0]) / rng[2]))
            first = np.ceil(rng[0] / rng[2] - 1e-9) * rng[2]
            for k in range(n + 1):
                v = first + k * rng[2]
                if v > rng[1] + 1e-9:
                    break
                if axis == 0:
                    at = self.axes.c2p(v, y_range[0])
                    marks.add(Line(at, at + UP * 0.1, stroke_color=p.axis, stroke_width=2))
                    lab = math(f"{v:.{places}f}", f"{v:.{places}f}", font_size=TICK_FONT)
                    labels.add(lab.next_to(at, DOWN, buff=0.1))
                else:
                    at = self.axes.c2p(x_range[0], v)
                    marks.add(Line(at, at + RIGHT * 0.1, stroke_color=p.axis, stroke_width=2))
                    lab = math(f"{v:.{places}f}", f"{v:.{places}f}", font_size=TICK_FONT)
                    labels.add(lab.next_to(at, LEFT, buff=0.1))
        return marks, labels
