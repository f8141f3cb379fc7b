"""Drawing parts of the network scenes (scenes/network.py): a loss slice seen from above, the
loss along the line from init to end, and a small panel where both loss curves grow with the
steps. Each returns what it builds; the numbers come from landscapes/network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, UP, Axes, Line, VGroup, VMobject

from landscapes import Landscape
from scenes.kit.axes import TICK_FONT, nice_range, story_axes, to_scene
from scenes.kit.contour import ContourPlane
from scenes.kit.mathtext import flat, text
from scenes.kit.palette import ball_color, palette
from scenes.kit.readouts import FONT, Readouts, name_text, series_feed
from scenes.kit.story import StoryScene
from scenes.words.i18n import _

LEVELS = 12


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
    # the x label right of the last x tick: the row is told by the labels' tops (numbers with
    # and without a minus sign differ in height, so their centres do not line up)
    under = plane.frame_box.get_bottom()[1] - 0.1
    row = [m for m in plane.tick_labels if abs(m.get_top()[1] - under) < 0.05]
    if row:
        last = max(row, key=lambda m: m.get_x())
        plane.x_label.next_to(last, RIGHT, buff=0.2)
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
            mob = flat(text(words, font_size=TICK_FONT - 8, color=p.text))
            at = self.axes.c2p(value, 0) if axis_k == 0 else self.axes.c2p(0, value)
            mob.next_to(at, DOWN if axis_k == 0 else LEFT, buff=0.08)
            if axis_k == 0:  # flush with the axis' end, not past it
                mob.align_to(self.axes.c2p(value, 0), RIGHT)
            self.numbers.add(mob)
        self.add(self.numbers)
        self.curves: list[tuple[VMobject, np.ndarray]] = []
        self.names = VGroup()
        for k, (name, values, color) in enumerate(series):
            pts = to_scene(self.axes, np.arange(len(values)), np.clip(values, 0, ys[1]))
            curve = VMobject(stroke_color=color, stroke_width=3)
            self.curves.append((curve, pts))
            key = VGroup(
                Line(LEFT * 0.2, RIGHT * 0.2, color=color, stroke_width=4),
                flat(text(name, font_size=FONT - 8, color=color)),
            ).arrange(RIGHT, buff=0.1)
            key.next_to(self.axes, UP, buff=0.1 + 0.3 * (len(series) - 1 - k)).align_to(self.axes, LEFT)
            self.names.add(key)
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

    def words_title(self, words: str, size: float = FONT + 2) -> VMobject:
        """A title in words at the top left (the surface is a model's loss, not a formula)."""
        t = flat(text(words, font_size=size, color=palette().text))
        if t.width > 13.4:
            t.scale_to_fit_width(13.4)
        t.to_corner(UL, buff=0.3)
        self.overlay(t)
        self.plot.block(t)
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
