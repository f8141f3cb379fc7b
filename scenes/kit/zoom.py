"""Watching the last steps from close. Where the steps a beat rolls cover less than 5 % of the
plot, the same box shows only them: the axes are re-ranged (new round ticks, a contour plane
sampled and banded anew), not magnified, so every tick, readout and label stays true at the
new scale and the type keeps its size. A rectangle on the whole view grows to the box on the
way in and shrinks back to where it was on the way out, so the viewer sees where the view
went. (manim's moving camera would magnify the ticks and the caption with the picture; an
inset would draw every ball twice, on a plot half the size.)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from manim import FadeIn, FadeOut, Rectangle, Transform, VGroup, VMobject

from landscapes import Landscape, sample
from scenes.kit.balls import edge_marker
from scenes.kit.labels import Box
from scenes.kit.palette import palette
from scenes.kit.trails import Ball
from scenes.narration.beats import Beat, Zoom

SHARE = 0.05  # the view moves in where the watched steps cover less than this share of the plot
PAD = 0.1  # the watched region's margin in the zoomed view, each side, as a share of its span
MARKERS = 4  # at most this many balls out of a zoomed view get an edge marker
DISTORT = 4.0  # a zoomed plane's two scales differ at most this much (ticks say each one)
MIN_SPAN = 1e-3  # the narrowest zoomed range, in the plot's units
STILL = 0.01  # steps spanning less than this share of the view's width and of its height: settled
Region = tuple[float, float, float, float]  # x0, x1, y0, y1 in the plot's coordinates


def watched(balls: Sequence[Ball], first: int, last: int, plane: bool) -> np.ndarray:
    """The plot coordinates of steps first..last of each ball ((x, y) on a plane, (x, f) on a
    curve); a ball that stopped earlier is watched where it stopped."""
    parts = []
    for ball in balls:
        n = len(ball.traj.points) - 1
        steps = np.arange(min(first, n), min(last, n) + 1)
        ys = ball.traj.points[steps, 1] if plane else ball.traj.values[steps]
        parts.append(np.column_stack([ball.traj.points[steps, 0], ys]))
    points = np.concatenate(parts) if parts else np.zeros((0, 2))
    return points[np.isfinite(points).all(axis=1)]


def region_of(points: np.ndarray) -> Region:
    return (
        float(points[:, 0].min()),
        float(points[:, 0].max()),
        float(points[:, 1].min()),
        float(points[:, 1].max()),
    )


def share(region: Region, x_range: Sequence[float], y_range: Sequence[float]) -> float:
    """What part of the view's area the region covers."""
    return (
        (region[1] - region[0])
        * (region[3] - region[2])
        / ((x_range[1] - x_range[0]) * (y_range[1] - y_range[0]))
    )


def _padded(lo: float, hi: float, span: float) -> tuple[float, float]:
    mid = (lo + hi) / 2
    return mid - span / 2, mid + span / 2


def tick_step(lo: float, hi: float, most: int = 4) -> float:
    """A round step giving 2 to `most` ticks over lo..hi (1, 2, 2.5 or 5 times a power of
    ten): x numbers side by side want few, y numbers stacked may be more (the ends' numbers
    give way to the axis labels)."""
    raw = (hi - lo) / most
    mag = 10 ** np.floor(np.log10(raw))
    return float(next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw))


def zoomed_view(
    region: Region, box: Box, landscape: Landscape | None = None, exact: bool = False
) -> tuple[list[float], list[float]]:
    """The ranges ([start, stop, tick step]) that show `region` filling the box but a margin
    (none when `exact`: an author's region as given): on a plane the two scales differ at most
    DISTORT times; on a curve (`landscape`) the values run over the curve's own range there,
    so it is drawn whole. No span is under MIN_SPAN: tick numbers keep four decimals at most."""
    x0, x1, y0, y1 = region
    pad = 0.0 if exact else PAD
    sx, sy = max((x1 - x0) * (1 + 2 * pad), MIN_SPAN), max((y1 - y0) * (1 + 2 * pad), MIN_SPAN)
    width, height = box[2] - box[0], box[3] - box[1]
    if landscape is None:
        ux, uy = width / sx, height / sy  # scene units per unit of x, of y
        if not exact and ux > DISTORT * uy:
            sx = width / (DISTORT * uy)
        elif not exact and uy > DISTORT * ux:
            sy = height / (DISTORT * ux)
        xs, ys = _padded(x0, x1, sx), _padded(y0, y1, sy)
    else:
        xs = _padded(x0, x1, sx)
        if exact and y1 > y0:
            ys = (y0, y1)
        else:
            values = np.asarray(sample(landscape, np.linspace(*xs, 200)), dtype=float)
            values = values[np.isfinite(values)]
            lo, hi = min(y0, *values), max(y1, *values)
            ys = _padded(lo, hi, max((hi - lo) * (1 + 2 * PAD), MIN_SPAN))
    return [*xs, tick_step(*xs)], [*ys, tick_step(*ys, most=5)]


@dataclass
class Seen:
    """A zoomed beat at its last frame, as drawn: what the tests measure."""

    beat: Beat
    steps: tuple[int, int]  # the steps watched
    shown: int  # the step shown
    region: Region
    box: Box  # the plot's box, scene units
    axes: Any  # the zoomed axes (p2c reads a position back as numbers)
    ticks: list[VMobject]  # the tick numbers
    points: np.ndarray  # the watched balls' watched steps, as drawn (scene points)
    dots: list[np.ndarray | None]  # each ball's dot centre, None where it is out of view
    numbers: list[str]  # the live readouts, as they read
    caption: str
    markers: list[str]  # what the edge markers of balls out of view say


class Zoomer:
    """A part of StoryScene: moves the plot's view in for a beat's last roll and back out."""

    def __init__(self, stage: Any) -> None:
        # the scene (a StoryScene): its plot, balls, movers, marks and pointers, and its clock
        self.stage = stage
        self.version = 0  # grows at every move: what is drawn at a step is drawn again
        self.steps: tuple[int, int] | None = None  # while in: the steps watched
        self.seen: list[Seen] = []
        self._kept: list[tuple[Ball, np.ndarray, Box | None]] = []
        self._marks: list[VGroup] = []
        self._markers: list[VMobject] = []
        self._region: Region = (0.0, 0.0, 0.0, 0.0)
        self._beat = Beat("")

    def plan(self, zoom: Zoom, now: int, at: int) -> tuple[int, Region, list[float], list[float]] | None:
        """Where the view goes for a roll from `now` to `at`: the first watched step, the
        region and the zoomed ranges; None when the path is large enough as it is."""
        plot = self.stage.plot
        if plot.drawn is None or hasattr(plot.axes, "z_range"):
            return None  # a surface moves in with its camera, not here
        plane = plot.plane is not None
        (vx0, vx1), (vy0, vy1) = plot.axes.x_range[:2], plot.axes.y_range[:2]
        first = max(now, at - zoom.last)
        balls = [b for k, b in enumerate(self.stage.balls) if zoom.balls is None or k in zoom.balls]
        points = watched(balls, first, at, plane)
        if zoom.x is not None:  # the author's region: shown as asked
            # a curve's y left out: the curve's own range there (with the balls' values)
            low = float(points[:, 1].min()) if points.size else vy0
            y = zoom.y or (low, low)
            region = (*zoom.x, *y)
        else:
            if points.size == 0:
                return None
            region = region_of(points)
            reach = max((region[1] - region[0]) / (vx1 - vx0), (region[3] - region[2]) / (vy1 - vy0))
            if reach < STILL:
                return None  # the balls (all but) stand still: no move to watch
            if share(region, (vx0, vx1), (vy0, vy1)) >= SHARE:
                return None
        landscape = None if plane else plot.landscape
        x_range, y_range = zoomed_view(region, plot.box(), landscape, exact=zoom.x is not None)
        return first, region, x_range, y_range

    def watch(self, beat: Beat) -> float | None:
        """Before a zoom beat's roll to its step: roll the steps before the watched ones on
        the whole view, then move in. Returns the seconds left for the roll."""
        scene = self.stage
        now = int(scene.step.get_value())
        if beat.zoom is None or beat.at is None or self.steps is not None:
            return beat.seconds
        planned = self.plan(beat.zoom, now, min(beat.at, scene.balls.last_step))
        if planned is None:
            return beat.seconds
        first, region, x_range, y_range = planned
        self._beat = beat
        seconds = beat.seconds
        if first > now:
            total = beat.seconds or scene.roll_seconds * (beat.at - now) / max(scene.balls.last_step, 1)
            scene.roll_to(first, seconds=max(0.5, total * (first - now) / (beat.at - now)))
            seconds = max(2.5, total * (beat.at - first) / (beat.at - now))
        self.move_in(region, x_range, y_range, (first, beat.at))
        return max(seconds or 2.5, 2.5)  # the watched steps: long enough to follow

    def _box_of(self, x_range: Sequence[float], y_range: Sequence[float]) -> Rectangle:
        lo = self.stage.plot.axes.c2p(x_range[0], y_range[0])
        hi = self.stage.plot.axes.c2p(x_range[1], y_range[1])
        rect = Rectangle(
            width=hi[0] - lo[0], height=hi[1] - lo[1], stroke_color=palette().text, stroke_width=4
        )
        return rect.move_to((lo + hi) / 2)

    def move_in(
        self, region: Region, x_range: list[float], y_range: list[float], steps: tuple[int, int]
    ) -> None:
        """The region's rectangle on the whole view grows to the plot's box, and the box
        shows the region: axes, bands, balls and their paths at the new scale."""
        scene, plot = self.stage, self.stage.plot
        rect = self._box_of(x_range, y_range)
        old = plot.drawn
        new = plot.zoom(x_range, y_range)  # its box: the whole view's, narrower for wide numbers
        box = plot.box()
        full = Rectangle(
            width=box[2] - box[0], height=box[3] - box[1], stroke_color=palette().text, stroke_width=4
        )
        full.move_to([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, 0])
        scene.play(FadeIn(rect), run_time=0.3)
        scene.play(Transform(rect, full), run_time=0.6)
        scene.remove(old, rect)
        scene.add(new)
        scene.bring_to_back(new)
        self._marks, scene.marks = list(scene.marks), []
        scene.remove(*self._marks)  # they point at places of the whole view
        self._kept = [(b, b.coords, b.box) for b in scene.balls]
        box = plot.box()
        slot = sum(b.marker is not None for b in scene.balls)
        for ball in scene.balls:
            coords = plot.points(ball.traj, clip=False)
            ball.place(coords, box)
            plot.obstacles.add_line(coords[steps[0] : steps[1] + 1])
        away = [b for b in scene.balls if b.marker is None and not b.inside[min(steps[1], len(b.coords) - 1)]]
        # a few balls out of view are pointed at on the edge; many (basins) would bury the
        # plot in words: the panel counts them
        clear = plot.label_boxes()
        for ball in away if len(away) <= MARKERS else []:
            marker, where = edge_marker(ball, box, plot.landscape, plot.plane is not None, slot, clear)
            slot += 1
            scene.follow(marker, ball, where)
            scene.pointers.drawn.append(marker)
            self._markers.append(marker)
            scene.add(marker)
        self.steps, self._region = steps, region
        self._redraw()

    def leave(self) -> None:
        """After a zoomed beat: note what it showed, then back to the whole view, the box
        shrinking to where it was."""
        if self.steps is None:
            return
        scene, plot = self.stage, self.stage.plot
        first, last = self.steps
        chosen = self._beat.zoom.balls if self._beat.zoom is not None else None
        watched = [b for k, b in enumerate(scene.balls) if chosen is None or k in chosen]
        points = np.concatenate([b.coords[min(first, len(b.coords) - 1) : last + 1] for b in watched])
        if plot.plane is not None:
            ticks = list(plot.plane.tick_labels)
        else:
            ticks = [*plot.axes.x_axis.numbers, *plot.axes.y_axis.numbers]
        shown = int(scene.step.get_value())
        self.seen.append(
            Seen(
                self._beat,
                self.steps,
                shown,
                self._region,
                plot.box(),
                plot.axes,
                ticks,
                points,
                [b.dot.get_center().copy() if b.dot.get_fill_opacity() > 0.5 else None for b in scene.balls],
                [m.text_of(m.get_value()) for m in scene.live.get_family() if hasattr(m, "text_of")],
                scene.caption_text,
                [m.words for b in scene.balls if (m := b.marker) is not None and getattr(m, "words", None)]
                + [m.words for m in self._markers if getattr(m, "words", None)],
            )
        )
        zoomed = plot.drawn
        x_range, y_range = list(plot.axes.x_range), list(plot.axes.y_range)
        scene.remove(zoomed, *scene.marks, *self._markers)
        for marker in self._markers:
            scene.pointers.drawn.remove(marker)
            scene.movers = [(m, f) for m, f in scene.movers if m is not marker]
        whole = plot.whole()
        scene.add(whole)
        scene.bring_to_back(whole)
        scene.marks = self._marks
        scene.add(*self._marks)
        for ball, coords, box in self._kept:
            ball.place(coords, box)
        self.steps, self._markers = None, []
        self._redraw()
        box = plot.box()
        rect = Rectangle(
            width=box[2] - box[0], height=box[3] - box[1], stroke_color=palette().text, stroke_width=4
        )
        rect.move_to([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2, 0])
        scene.add(rect)
        scene.play(Transform(rect, self._box_of(x_range, y_range)), run_time=0.6)
        scene.play(FadeOut(rect), run_time=0.2)

    def _redraw(self) -> None:
        """Every moving part drawn again at the shown step, on the view shown now."""
        self.version += 1
        for mob, update in self.stage.movers:
            update(mob)
