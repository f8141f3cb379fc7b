"""The view from above that the chapter's 2D plots use: the landscape's height as colour
(filled bands on the theme's perceptual ramp, `palette().ramp`) with iso-lines on top, inside
a box with ticks on its left and bottom edges (matplotlib's look, as in d2l and distill).

Bands and iso-lines come from contourpy (matplotlib's contouring engine) on a sampled grid;
they are static VMobjects, one per band and one per level, drawn once per animation, never
per frame. Where f spans more than two decades over the view (an ill-conditioned quadratic,
rosenbrock) the levels are spaced in log(f - min f), so the valley floor the balls crawl
along is banded too; otherwise they are spaced evenly in f, as plt.contour does.
"""

from __future__ import annotations

from collections.abc import Sequence

import contourpy
import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Line, Rectangle, VGroup, VMobject

from landscapes import Landscape, sample
from scenes.kit.axes import LABEL_FONT, TICK_FONT, decimals, to_scene
from scenes.kit.mathtext import math
from scenes.kit.palette import Ramp, palette

GRID = 120  # samples per side: smooth lines, computed once
LEVELS = 12
DECADES = 2.0  # f - min f spanning more than this many decades (1st to 99th percentile): log levels
# manim draws a stroke `stroke_width` * 0.01 frame units wide (Camera.cairo_line_width_multiple):
# at 1080p, with the frame 8 units high, 1 is 1.35 px, so 1.6 is 2.2 px
ISOLINE_WIDTH = 1.6
# outlines are thinned to what a 1080p frame can show (a quarter pixel): manim hands cairo
# each cubic from Python, so fewer vertices is a faster static image at every play
SIMPLIFY = 0.25 * 8 / 1080


def simplify(points: np.ndarray, tol: float = SIMPLIFY) -> np.ndarray:
    """The polyline with the vertices that stray less than `tol` from it left out
    (Ramer-Douglas-Peucker); its first and last vertices are kept."""
    n = len(points)
    if n < 3:
        return points
    keep = np.zeros(n, dtype=bool)
    keep[[0, -1]] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = points[i, :2], points[j, :2]
        mid = points[i + 1 : j, :2]
        ab = b - a
        norm = float(np.hypot(*ab))
        if norm < 1e-12:  # a closed ring's ends: distance to the point
            dist = np.hypot(*(mid - a).T)
        else:
            dist = np.abs(ab[0] * (mid[:, 1] - a[1]) - ab[1] * (mid[:, 0] - a[0])) / norm
        k = int(np.argmax(dist))
        if dist[k] > tol:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return points[keep]


def _heights(z: np.ndarray) -> tuple[float, float, float] | None:
    """min f, and the 1st and 99th percentiles of f - min f where it is above 0 (robust to
    one far corner, to the grid point nearest the minimum and to a flat floor)."""
    finite = z[np.isfinite(z)]
    above = finite - finite.min() if finite.size else finite
    above = above[above > 0]
    if above.size == 0:
        return None
    lo, hi = np.percentile(above, [1, 99])
    return float(finite.min()), float(lo), float(hi)


def decades(z: np.ndarray) -> float:
    """How many decades f - min f spans over the view (see `_heights`)."""
    heights = _heights(z)
    return 0.0 if heights is None else float(np.log10(heights[2] / heights[1]))


def contour_levels(z: np.ndarray, n: int = LEVELS) -> tuple[np.ndarray, bool]:
    """n increasing levels for the grid values z, and whether they are log-spaced."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return np.array([]), False
    heights = _heights(z)
    if heights is not None and decades(z) > DECADES:
        bottom, lo, hi = heights
        return bottom + np.geomspace(lo, hi, n), True
    # spaced in value between the 2nd and 98th percentiles, so one far corner does not
    # squeeze every line into the middle
    lo, hi = np.percentile(finite, [2, 98])
    if hi - lo < 1e-12:
        return np.array([]), False
    return np.linspace(lo, hi, n + 2)[1:-1], False


class ContourPlane(VGroup):
    """A landscape of (x, y) seen from above. `axes` maps (x, y) to the scene; `fill` holds one
    filled band per interval between levels, lowest first, coloured along `ramp` (the theme's
    by default); `lines` keeps each drawn iso-line with its level, so tests can check that it
    lies on its level set."""

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
        ramp: Ramp | None = None,
    ) -> None:
        super().__init__()
        p = palette()
        self.landscape = landscape
        self.ramp = ramp or p.ramp
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
        if isinstance(levels, int):
            self.levels, self.log_levels = contour_levels(z, levels)
        else:
            self.levels, self.log_levels = np.unique(np.asarray(levels, dtype=float)), False
        gen = contourpy.contour_generator(xs, ys, np.ma.masked_invalid(z), name="serial")
        self.fill = self._fill(gen)
        self.lines: list[tuple[float, VMobject]] = []
        line_group = VGroup()
        for level in self.levels:
            rings = [
                simplify(to_scene(self.axes, seg[:, 0], seg[:, 1]))
                for seg in gen.lines(level)
                if len(seg) >= 2
            ]
            if not rings:
                continue
            mob = VMobject(
                stroke_color=p.contour, stroke_width=ISOLINE_WIDTH, stroke_opacity=p.contour_opacity
            )
            for ring in rings:  # one mobject per level, a subpath per piece: fewer to draw
                mob.start_new_path(ring[0])
                mob.add_points_as_corners(ring[1:])
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

    def band_edges(self) -> np.ndarray:
        """The bands' boundaries, lowest first: below the lowest level and above the highest
        the bands run to the landscape's extremes in view."""
        return np.concatenate([[self.z_lo - 1.0], self.levels, [self.z_hi + 1.0]])

    def _fill(self, gen: contourpy.ContourGenerator) -> VGroup:
        """One filled mobject per band, coloured evenly along the ramp from the lowest band to
        the highest (so neighbours differ by the same step in L* whatever the level spacing).
        A band's holes are its rings wound the other way: cairo's nonzero rule leaves them
        empty, for the bands inside to show."""
        edges = self.band_edges()
        colours = self.ramp.colours(len(edges) - 1)
        bands = VGroup()
        for k in range(len(edges) - 1):
            polys, offsets = gen.filled(edges[k], edges[k + 1])
            band = VMobject(fill_color=colours[k], fill_opacity=1.0, stroke_width=0)
            for pts, offs in zip(polys, offsets, strict=True):
                for a, b in zip(offs[:-1], offs[1:], strict=True):
                    ring = simplify(to_scene(self.axes, pts[a:b, 0], pts[a:b, 1]))
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
