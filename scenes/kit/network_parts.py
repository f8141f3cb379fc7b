"""Drawing parts of the network scenes (scenes/network.py): a loss slice seen from above, the
loss along the line from init to end, and a small panel where both loss curves grow with the
steps. Each returns what it builds; the numbers come from landscapes/network."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, UP, Axes, Line, VGroup, VMobject

from landscapes import Landscape
from scenes.kit.axes import end_labels, nice_range, story_axes, to_scene
from scenes.kit.captions import split_caption
from scenes.kit.contour import ContourPlane
from scenes.kit.layout import Regions
from scenes.kit.mathtext import Size, flat, text
from scenes.kit.palette import ball_color, palette
from scenes.kit.readouts import FONT, Readouts, name_text, series_feed
from scenes.kit.story import StoryScene
from scenes.words.i18n import _

LEVELS = 12
TITLE_GAP = 0.4  # under the title that spans the frame's top: the plot and panel start here
SMALL = Size.SMALLEST  # the loss curves' numbers and keys: nothing on screen is smaller


def loss_levels(grid: np.ndarray, n: int = LEVELS) -> np.ndarray:
    """Iso-loss levels spaced evenly in log(loss) from just above the slice's lowest value to
    its 95th percentile: a loss spans decades, and the valley floor is where the story is."""
    finite = grid[np.isfinite(grid)]
    lo, hi = float(finite.min()), float(np.percentile(finite, 95))
    lo = max(lo, 1e-12)
    if hi <= lo * 1.0001:
        return np.array([])
    return np.geomspace(lo, hi, n + 2)[1:-1]


def ticked(bounds: Sequence[float], ticks: int = 5) -> list[float]:
    """[lo, hi, step]: the slice's own bounds, with a round tick step inside them."""
    step = nice_range(bounds[0], bounds[1], ticks=ticks, pad=0.0)[2]
    return [float(bounds[0]), float(bounds[1]), step]


def loss_plane(
    landscape: Landscape,
    bounds: Sequence[Sequence[float]],
    grid: np.ndarray,
    width: float,
    height: float,
    left: float,
    centre_y: float,
    labels: tuple[str, str] = ("a", "b"),
) -> ContourPlane:
    """The slice from above: filled bands and iso-lines at log-spaced levels of its loss."""
    plane = ContourPlane(
        landscape,
        ticked(bounds[0]),
        ticked(bounds[1]),
        width,
        height,
        loss_levels(grid),
        x_label=(labels[0], labels[0]),
        y_label=(labels[1], labels[1]),
        centre=(left + width / 2, centre_y),
    )
    # the labels at the axes' ends, clear of the tick numbers, as on the chapter's planes
    edge = plane.frame_box.get_left()[0]
    ys = VGroup(*(t for t in plane.tick_labels if t.get_right()[0] < edge))
    xs = VGroup(*(t for t in plane.tick_labels if t.get_right()[0] >= edge))
    end_labels(plane.frame_box, plane.x_label, plane.y_label, ys, xs)
    for t in list(plane.tick_labels):  # a y number under the y label names nothing: dropped
        if t.get_right()[0] < edge and t not in ys.submobjects:
            plane.tick_labels.remove(t)
    return plane


def line_axes(
    x_range: Sequence[float],
    y_max: float,
    width: float,
    height: float,
    left: float,
    centre_y: float,
    right: float,
) -> tuple[Axes, VGroup]:
    """Axes for losses along the line: α across, the loss up from 0."""
    ys = nice_range(0.0, y_max, ticks=5, pad=0.02)
    return story_axes(
        ticked(x_range, ticks=6), [0.0, ys[1], ys[2]], width, height, "α", _("loss"), left, centre_y, right
    )


# a bracketed group ("(α = 0)") stays whole; Chinese breaks between characters, others at spaces
TOKEN = re.compile(
    r"[(（][^()（）]*[)）]\s*|[\u3000-\u9fff\uff00-\uffef]\s*|[^\s(（\u3000-\u9fff\uff00-\uffef]+\s*|\S\s*"
)


def wrap(words: str, size: float, width: float) -> list[str]:
    """The words in lines no wider than `width` at `size`, broken between words (between
    characters in Chinese), greedily."""
    if text(words, font_size=size).width <= width:
        return [words]
    lines: list[str] = []
    line = ""
    for token in TOKEN.findall(words):
        trial = line + token
        if line and text(trial.rstrip(), font_size=size).width > width:
            lines.append(line.rstrip())
            line = token
        else:
            line = trial
    if line.strip():
        lines.append(line.rstrip())
    return lines or [words]


class LossCurves(VGroup):
    """Both losses against the step, drawn up to the ball's step: a small panel beside the
    slice. `show(i)` draws steps 0..i (it is the kit's per-step drawing callback)."""

    def __init__(
        self,
        series: Sequence[tuple[str, np.ndarray, Any]],
        left: float,
        top: float,
        width: float,
        height: float,
    ) -> None:
        super().__init__()
        p = palette()
        n = max(len(v) for _, v, _ in series) - 1
        top_value = max(float(np.nanmax(v)) for _, v, _ in series)
        ys = nice_range(0.0, top_value, ticks=3, pad=0.02)
        xs = nice_range(0.0, max(n, 1), ticks=3, pad=0.0)
        self.axes = Axes(
            x_range=[0, xs[1], xs[2]],
            y_range=[0, ys[1], ys[2]],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": p.axis, "stroke_width": 2},
        )
        self.axes.move_to([left + width / 2, top - height / 2, 0])
        self.add(self.axes)
        self.numbers = VGroup()
        for value, axis_k in ((xs[1], 0), (ys[1], 1)):
            words = f"{value:g}"
            mob = flat(text(words, font_size=SMALL, color=p.text))
            at = self.axes.c2p(value, 0) if axis_k == 0 else self.axes.c2p(0, value)
            mob.next_to(at, DOWN if axis_k == 0 else LEFT, buff=0.08)
            if axis_k == 0:  # flush with the axis' end, not past it
                mob.align_to(self.axes.c2p(value, 0), RIGHT)
            self.numbers.add(mob)
        self.add(self.numbers)
        self.curves: list[tuple[VMobject, np.ndarray]] = []
        self.names = VGroup()
        for name, values, color in series:
            pts = to_scene(self.axes, np.arange(len(values)), np.clip(values, 0, ys[1]))
            curve = VMobject(stroke_color=color, stroke_width=3)
            self.curves.append((curve, pts))
            key = VGroup(
                Line(LEFT * 0.2, RIGHT * 0.2, color=color, stroke_width=4),
                flat(text(name, font_size=SMALL, color=color)),
            ).arrange(RIGHT, buff=0.1)
            self.names.add(key)
        # the keys on one row above the axes, or one above another when the row is too wide
        self.names.arrange(RIGHT, buff=0.35)
        if self.names.width > width:
            self.names.arrange(DOWN, buff=0.1, aligned_edge=LEFT)
        self.names.next_to(self.axes, UP, buff=0.15).align_to(self.axes, LEFT)
        self.add(self.names)

    @property
    def moving(self) -> list[VMobject]:
        return [c for c, _ in self.curves]

    def show(self, i: int) -> None:
        for curve, pts in self.curves:
            upto = pts[: min(i, len(pts) - 1) + 1]
            if len(upto) >= 2:
                curve.set_points_as_corners(upto)
            else:
                curve.clear_points()


class NetworkScene(StoryScene):
    """A story on a network's loss: its balls are NetTrajectory objects (landscapes/network),
    whose record holds the run, the plane and both losses over the slice."""

    @property
    def record(self) -> Any:
        return self.trajectories[0].net

    def words_title(self, words: str, size: float = FONT + 2, width: float = 13.4) -> VMobject:
        """A title in words at the top left (the surface is a model's loss, not a formula):
        one line at `size` or smaller down to the smallest size, else two lines, within `width`."""
        color = palette().text
        t = flat(text(words, font_size=size, color=color))
        if t.width > width:
            least = flat(text(words, font_size=SMALL, color=color))
            halves = split_caption(words)
            if least.width > width and halves is not None:
                rows = [flat(text(h, font_size=SMALL, color=color)) for h in halves]
                t = VGroup(*rows).arrange(DOWN, buff=0.08, aligned_edge=LEFT)
            else:
                t.scale_to_fit_width(width)
        t.to_corner(UL, buff=0.3)
        self.overlay(t)
        self.plot.block(t)
        self.title_words = t
        return t

    def under_title(self, kind: str = "curve", panel: float = 0.0) -> Regions:
        """The layout's regions (scenes.kit.layout: the caption strip as tall as the story's
        longest caption, the tick numbers' room above it), with the plot and the panel starting
        under the title that spans the frame's top; the panel at least `panel` wide."""
        r = self.with_panel(panel, kind)
        top = self.title_words.get_bottom()[1] - TITLE_GAP
        plot = (*r.plot[:3], min(r.plot[3], top))
        self.plot.regions = replace(r, plot=plot, panel=(*r.panel[:3], plot[3]))
        return self.plot.regions

    def with_panel(self, panel: float, kind: str = "curve") -> Regions:
        """The layout's regions with the panel column at least `panel` wide (the plot gives up
        the difference)."""
        r = self.plot.layout(kind)
        give = max(panel - (r.panel[2] - r.panel[0]), 0.0)
        plot = (r.plot[0], r.plot[1], r.plot[2] - give, r.plot[3])
        self.plot.regions = replace(r, plot=plot, panel=(r.panel[0] - give, *r.panel[1:]))
        return self.plot.regions

    def column_title(self, words: str, size: float = SMALL) -> VMobject:
        """The title in words at the top of the panel column, in as many lines as its width
        needs (the house's layout: the plot takes the frame's height, the column its title)."""
        left, _bottom, right, top = self.plot.regions.panel
        color = palette().text
        rows = [flat(text(line, font_size=size, color=color)) for line in wrap(words, size, right - left)]
        t = VGroup(*rows).arrange(DOWN, buff=0.1, aligned_edge=LEFT)
        if t.width > right - left:  # one word wider than the column
            t.scale_to_fit_width(right - left)
        t.move_to([left, top, 0], aligned_edge=UL)
        self.overlay(t)
        self.plot.block(t)
        self.title_words = t
        return t

    def slice_plane(
        self, loss: str, width: float, height: float, left: float, centre_y: float
    ) -> ContourPlane:
        """The slice of one loss from above, as the scene's plane (balls added next sit on it)."""
        from landscapes.network.story import slice_landscape

        rec = self.record
        grid = rec.slice.test if loss == "test" else rec.slice.train
        plane = loss_plane(slice_landscape(rec, loss), rec.bounds, grid, width, height, left, centre_y)
        self.plot.use_plane(plane)
        self.add(plane)
        self.plot.block(plane.tick_labels, plane.x_label, plane.y_label)
        return plane

    def mark(self, label: Any) -> VGroup:
        """A beat's label, clear of where every ball is now (a curve's line is thin; a ball
        at rest on it is not)."""
        for ball in self.balls:
            self.plot.block(ball.dot)
        return super().mark(label)

    def live_row(self, panel: Readouts, name: str, values: np.ndarray, ball: Any, digits: int = 3) -> None:
        """A live number, typeset as every readout is (scenes.kit.typeset)."""
        feed = series_feed(values, self.balls.index_of(ball))
        panel.live(name_text(name, size=FONT), feed, digits=digits)

    def loss_curves(self, ball: Any, left: float, top: float, width: float, height: float) -> LossCurves:
        """Both losses against the step, growing as the ball rolls."""
        run = self.record.run
        curves = LossCurves(
            [(_("training"), run.train_loss, ball_color(0)), (_("held-out"), run.test_loss, ball_color(1))],
            left,
            top,
            width,
            height,
        )
        self.overlay(curves)
        self.plot.block(curves)
        for mob in curves.moving:
            self.pointers.drawn.append(mob)
        self.follow(curves.moving[0], ball, curves.show)
        return curves
