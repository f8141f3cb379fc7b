"""Where the landscape is drawn: the frame cut into regions, the axes with their curves or the
contour plane, where a trajectory's steps land in scene units, and what annotations keep clear
of. A part of StoryScene (scenes.kit.story): it builds and returns; the scene adds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import Line, VGroup, VMobject

from landscapes import Landscape, Trajectory
from scenes.kit.axes import (
    curve,
    curve_points,
    end_labels,
    nice_range,
    story_axes,
    to_scene,
    value_range,
)
from scenes.kit.contour import ContourPlane
from scenes.kit.labels import Box, Obstacles, box_of, place
from scenes.kit.layout import Regions, regions
from scenes.kit.mathtext import flat, text
from scenes.kit.palette import palette
from scenes.kit.readouts import FONT
from scenes.words.terms import coordinate_names

FRAME = (-7.05, -3.35, 7.05, 3.9)  # where annotations may go before a layout is chosen


class Plot:
    """The plot of one landscape: its regions, axes (a curve's or the plane's), the box the
    balls move in, and the obstacles annotations avoid."""

    def __init__(
        self,
        landscape: Landscape,
        caption_lines: Callable[[float], int] = lambda _w: 1,
        balls: Callable[[], int] = lambda: 1,
    ) -> None:
        self.landscape = landscape
        self.caption_lines = caption_lines  # in a strip this wide; its height is the longest caption
        self.balls = balls  # how many the panel shows: few leave room for a caption beside the plot
        self.regions: Regions | None = None
        self.axes: Any = None
        self.plane: ContourPlane | None = None
        self.area: Box = FRAME  # where annotations may go
        self.obstacles = Obstacles()
        self.curves: list[VMobject] = []
        self.axis_labels: Any = None
        self.on_layout: list[Callable[[Regions], None]] = []  # the panel's title follows the layout
        self.drawn: VGroup | None = None  # the static plot as last built: axes or plane, curves
        self.graphed: tuple[list[Landscape], list[Any], str] = ([landscape], [None], "f(x)")
        self.overview: tuple[Any, ...] | None = None  # while zoomed in: the whole view, to go back to

    def next_act(self, landscape: Landscape) -> None:
        """The story's next part, on another landscape: nothing drawn yet to keep clear of."""
        self.landscape, self.plane, self.obstacles, self.curves = landscape, None, Obstacles(), []
        self.overview = None

    def layout(self, kind: str, aspect: float | None = None) -> Regions:
        """Cut the frame for this view (scenes.kit.layout)."""
        full = self.caption_lines(float("inf"))  # the full width
        self.regions = regions(
            kind, aspect, caption_lines=full, lines_at=self.caption_lines, balls=self.balls()
        )
        for follow in self.on_layout:
            follow(self.regions)
        return self.regions

    @property
    def x_label(self) -> VMobject | None:
        """The x axis' label as drawn now, at the axis' end (it may reach under the panel)."""
        if self.plane is not None:
            return self.plane.x_label
        return self.axis_labels[0] if self.axis_labels is not None else None

    def label_boxes(self) -> list[Box]:
        """The axes' labels' boxes (with a little air): what an edge marker keeps off."""
        if self.plane is not None:
            labels = [self.plane.x_label, self.plane.y_label]
        else:
            labels = list(self.axis_labels) if self.axis_labels is not None else []
        return [box_of(m, pad=0.05) for m in labels if m.family_members_with_points()]

    def block(self, *mobs: VMobject) -> None:
        """Annotations keep clear of these."""
        for m in mobs:
            self.obstacles.add_box(box_of(m, pad=0.05))

    def graph(
        self,
        x_range: Sequence[float],
        landscapes: Sequence[Landscape] | None = None,
        y_label: str | None = None,
        colors: Sequence[Any] | None = None,
        x_step: float | None = None,
        inset: float | None = None,
    ) -> VGroup:
        """Axes fitted to the sampled curves of the landscapes, their labels and the curves on
        them (`self.curves`), in the curve layout's plot region."""
        lss = list(landscapes or [self.landscape])
        colors = list(colors or [palette().curve])
        step = x_step or nice_range(x_range[0], x_range[1], ticks=6, pad=0.0)[2]
        y_label = y_label or ("g(x)" if lss[0].name == "g" else "f(x)")
        left, bottom, right, top = self.layout("curve").plot
        left += inset or 0.0  # how far wide tick numbers push the box right
        axes, labels = story_axes(
            [x_range[0], x_range[1], step],
            value_range(lss, x_range),
            right - left,
            top - bottom,
            "x",
            y_label,
            left=left,
            centre_y=(top + bottom) / 2,
        )
        reach = min(m.get_left()[0] for m in [*axes.y_axis.numbers, labels[1]])
        if reach < FRAME[0] + 0.05:  # wide tick numbers (−100): the box moves right, narrower
            more = FRAME[0] + 0.05 - reach + (inset or 0.0)
            return self.graph(x_range, landscapes, y_label, colors, x_step=step, inset=more)
        self.graphed = (lss, colors, y_label)
        return self._curves(axes, labels, x_range, (left, bottom, right, top))

    def _curves(self, axes: Any, labels: VGroup, x_range: Sequence[float], box: Box) -> VGroup:
        """The curves of the graphed landscapes on these axes: the plot from now on."""
        lss, colors, _y = self.graphed
        self.axes, self.axis_labels = axes, labels
        self.block(labels, *axes.x_axis.numbers, *axes.y_axis.numbers)
        self.area = box
        self.curves = []
        for k, ls in enumerate(lss):
            pts = curve_points(axes, ls, x_range)
            self.obstacles.add_line(pts)
            self.curves.append(curve(pts, colors[k % len(colors)]))
        self.drawn = VGroup(axes.drawn, labels, *self.curves)
        return self.drawn

    def contour(
        self, x_range: Sequence[float], y_range: Sequence[float], levels: int | Sequence[float] = 12
    ) -> ContourPlane:
        """The landscape seen from above, as large as the frame allows at equal aspect, left of
        the panel; balls move over it."""
        x_label, y_label = coordinate_names(self.landscape)
        aspect = (x_range[1] - x_range[0]) / (y_range[1] - y_range[0])
        left, bottom, right, top = self.layout("plane", aspect).plot
        width, height = right - left, top - bottom
        plane = ContourPlane(
            self.landscape,
            x_range,
            y_range,
            width,
            height,
            levels,
            x_label=x_label,
            y_label=y_label,
            centre=(left + width / 2, (top + bottom) / 2),
        )
        return self._frame(plane)

    def _frame(self, plane: ContourPlane) -> ContourPlane:
        """The plane's axis labels at the axes' ends: the plot from now on."""
        edge = plane.frame_box.get_left()[0]
        ys = VGroup(*(t for t in plane.tick_labels if t.get_right()[0] < edge))
        xs = VGroup(*(t for t in plane.tick_labels if t.get_right()[0] >= edge))
        end_labels(plane.frame_box, plane.x_label, plane.y_label, ys, xs)
        for t in list(plane.tick_labels):  # end_labels dropped a y number under the y label
            if t.get_right()[0] < edge and t not in ys.submobjects:
                plane.tick_labels.remove(t)
        self.use_plane(plane)
        self.block(plane.tick_labels, plane.x_label, plane.y_label)
        self.drawn = plane
        return plane

    def zoom(self, x_range: Sequence[float], y_range: Sequence[float]) -> VGroup:
        """The same box showing a part of the landscape ([start, stop, tick step] per axis), its
        ticks numbered at this scale; `whole()` goes back. What annotations keep clear of starts
        afresh (the scene adds the balls' paths)."""
        if self.overview is None:
            self.overview = (
                self.axes,
                self.plane,
                self.area,
                self.obstacles,
                self.curves,
                self.axis_labels,
                self.drawn,
            )
        box = self.box()
        lo, hi, asked = y_range
        # the asked step, or a coarser round one if it keeps two y numbers and they need less
        # room (−0.70 where −0.705 runs off the frame); the box's left edge moves right by what
        # the chosen numbers still need
        best: tuple[float, float] | None = None  # (room needed, step)
        for step in (asked, asked * 2, asked * 4):
            self.obstacles = Obstacles()
            drawn = self._zoomed(x_range, [lo, hi, step], box)
            numbers = self.plane.tick_labels if self.plane is not None else self.axes.y_axis.numbers
            ys = [m.get_left()[0] for m in numbers if m.get_right()[0] <= box[0]]
            need = max(FRAME[0] + 0.05 - min(ys, default=0.0), 0.0)
            if len(ys) >= 2 and (best is None or need < best[0] - 1e-9):
                best = (need, step)
            if need == 0 and len(ys) >= 2:
                return drawn
        need, step = best if best is not None else (0.0, asked)
        self.obstacles = Obstacles()
        return self._zoomed(x_range, [lo, hi, step], (box[0] + need, *box[1:]))

    def _zoomed(self, x_range: Sequence[float], y_range: Sequence[float], box: Box) -> VGroup:
        left, bottom, right, top = box
        if self.overview is not None and self.overview[1] is not None:
            plane = ContourPlane(
                self.landscape,
                x_range,
                y_range,
                right - left,
                top - bottom,
                x_label=coordinate_names(self.landscape)[0],
                y_label=coordinate_names(self.landscape)[1],
                centre=((left + right) / 2, (top + bottom) / 2),
                ramp=self.overview[1].ramp,
            )
            return self._frame(plane)
        axes, labels = story_axes(
            x_range,
            y_range,
            right - left,
            top - bottom,
            "x",
            self.graphed[2],
            left=left,
            centre_y=(top + bottom) / 2,
        )
        return self._curves(axes, labels, x_range, box)

    def whole(self) -> VGroup | None:
        """Back to the view the scene was built with (after `zoom`): the same drawn objects."""
        if self.overview is not None:
            self.axes, self.plane, self.area, self.obstacles, self.curves, self.axis_labels, self.drawn = (
                self.overview
            )
            self.overview = None
        return self.drawn

    def use_plane(self, plane: ContourPlane) -> None:
        """Balls and marks from now on go on this plane."""
        self.plane, self.axes = plane, plane.axes
        box = plane.frame_box
        self.area = (box.get_left()[0], box.get_bottom()[1], box.get_right()[0], box.get_top()[1])

    def points(self, traj: Trajectory, clip: bool = True) -> np.ndarray:
        """Scene coordinates of each step: (x, f) on a curve, (x, y) on a plane; with `clip`,
        kept inside the axes so that a runaway ball stops at the view's edge (its readouts
        still show the true numbers)."""
        (x0, x1), (y0, y1) = self.axes.x_range[:2], self.axes.y_range[:2]
        xs = traj.points[:, 0]
        ys = traj.points[:, 1] if self.plane is not None else traj.values
        if clip:
            xs, ys = np.clip(xs, x0, x1), np.clip(ys, y0, y1)
        return to_scene(self.axes, xs, ys)

    def box(self) -> Box:
        """The plot's box in scene units: where a ball is in view."""
        (x0, x1), (y0, y1) = self.axes.x_range[:2], self.axes.y_range[:2]
        lo, hi = self.axes.c2p(x0, y0), self.axes.c2p(x1, y1)
        return (lo[0], lo[1], hi[0], hi[1])

    def keep_left_of(self, mob: VMobject) -> None:
        """Annotations keep 0.3 clear of a panel right of the plot."""
        left, bottom, right, top = self.area
        if mob.get_left()[0] > left:
            self.area = (left, bottom, min(right, mob.get_left()[0] - 0.3), top)

    def annotation(self, x: float, y: float, words: str) -> VGroup:
        """Words placed near (x, y) in the axes' coordinates, clear of what is drawn, with a
        leader line; a point off the view is pointed at on its edge."""
        color = palette().text
        (x0, x1), (y0, y1) = self.axes.x_range[:2], self.axes.y_range[:2]
        point = self.axes.c2p(min(max(x, x0), x1), min(max(y, y0), y1))
        label = flat(text(words, font_size=FONT, color=color))
        self.obstacles.add_box((point[0] - 0.2, point[1] - 0.2, point[0] + 0.2, point[1] + 0.2))
        label.move_to(place(label.width, label.height, point, self.obstacles, self.area))
        self.block(label)
        line = Line(label, point, buff=0.1, stroke_width=2, color=color)
        return VGroup(label, line)
