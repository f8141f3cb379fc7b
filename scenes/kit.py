"""The parts every story scene shares: title, axes and curve, balls with trails, live
readouts and a caption, all driven by one ValueTracker over precomputed trajectories.

A scene file holds its story (which balls, which moments, which words); the drawing
plumbing lives here. Numbers come from `landscapes`: this module draws arrays and never
computes a gradient. Every drawn ball position is a real trajectory point: the tracker's
value is floored to a step index, never interpolated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UL,
    WHITE,
    Axes,
    Dot,
    Line,
    ManimColor,
    Scene,
    ValueTracker,
    VGroup,
    VMobject,
    linear,
)

from landscapes import Landscape, Settings, Trajectory, get_story, sample
from scenes.mathtext import flat, math, number_class, text
from scenes.numbers import LiveNumber

BALL_COLORS = (ManimColor("#ffcc33"), ManimColor("#4fc3f7"), ManimColor("#ef5350"), ManimColor("#81c784"))
CURVE_COLOR = ManimColor("#9aa5b1")
AXIS_COLOR = ManimColor("#c8ced6")
CAPTION_COLOR = ManimColor("#ffe082")
NUMBER_SIZE = 34
FONT = 28  # readable at 480p: about 16 px glyphs
PANEL_X = 3.35  # left edge of the readout column
STATUS_CAPTIONS = {
    "diverged": "diverged: the learning rate is too large",
    "left_domain": "left the domain: stopped at its edge",
}


@dataclass
class Ball:
    """One trajectory drawn: its dot, its trail and its scene coordinates per step."""

    traj: Trajectory
    name: str
    color: ManimColor
    dot: VMobject
    trail: VMobject
    coords: np.ndarray  # (n+1, 3) scene points, one per step

    def index(self, step: float) -> int:
        return min(int(step), len(self.coords) - 1)


def label_for(s: Settings) -> str:
    """'sgd, noise 3' / 'gd' / 'adam': how the legend names a ball's optimizer."""
    if s.noise > 0:
        return f"{s.optimizer}, noise {s.noise:g}"
    return s.optimizer


class StoryScene(Scene):
    """A scene of one story record; `settings` overrides the story's main ball."""

    story_name: ClassVar[str]
    roll_seconds: ClassVar[float] = 9.0
    NOTE: ClassVar[ManimColor] = CAPTION_COLOR
    WARN: ClassVar[ManimColor] = ManimColor("#ef9a9a")

    def __init__(
        self, settings: Settings | None = None, options: Mapping[str, Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.story = get_story(self.story_name)
        self.settings = settings or self.story.settings
        self.landscape = self.settings.landscape_obj
        self.trajectories = self.story.trajectories(self.settings, options)
        self.balls: list[Ball] = []
        self.step = ValueTracker(0)
        self.caption_mob: VMobject | None = None
        self.caption_text = ""
        self.movers: list[tuple[VMobject, Callable[[VMobject], None]]] = []
        self.live = VGroup()  # the readouts' numbers, updated in place while rolling
        self.axes: Axes | None = None

    # ---- static parts -------------------------------------------------------
    def overlay(self, *mobs: VMobject) -> None:
        """Add screen-fixed parts (title, readouts, caption); 3D scenes pin them to the frame."""
        self.add(*mobs)

    def title(self, tex: str | None = None, plain: str | None = None) -> VMobject:
        t = math(tex or self.landscape.latex, plain or self.landscape.plain, font_size=40)
        t.to_corner(UL, buff=0.3)
        self.overlay(t)
        return t

    def make_axes(
        self,
        x_range: Sequence[float],
        y_range: Sequence[float],
        width: float = 9.0,
        height: float = 5.3,
        x_label: str = "x",
        y_label: str = "f(x)",
    ) -> Axes:
        """Axes with numbered ticks, placed left of the readout column."""
        cls = number_class()
        axes = Axes(
            x_range=list(x_range),
            y_range=list(y_range),
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={
                "color": AXIS_COLOR,
                "stroke_width": 2,
                "include_numbers": True,
                "font_size": 24,
                "label_constructor": cls,
            },
            x_axis_config={"decimal_number_config": {"num_decimal_places": _decimals(x_range[2])}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": _decimals(y_range[2])}},
        )
        axes.move_to([-6.95 + width / 2 + 0.45, -0.3, 0])
        # a tick label where the other axis crosses would sit on that axis: drop it
        for axis, rng in ((axes.x_axis, x_range), (axes.y_axis, y_range)):
            for num in list(axis.numbers):
                if abs(num.get_value() - np.clip(0.0, rng[0], rng[1])) < 1e-9:
                    axis.numbers.remove(num)
        labels = VGroup(
            math(x_label, x_label, font_size=32).next_to(axes.x_axis.get_end(), RIGHT, buff=0.15),
            math(_tex_label(y_label), y_label, font_size=32).next_to(axes.y_axis.get_end(), RIGHT, buff=0.15),
        )
        self.axes = axes
        self.add(axes, labels)
        return axes

    def plot(
        self,
        x_range: Sequence[float],
        landscapes: Sequence[Landscape] | None = None,
        y_label: str | None = None,
        colors: Sequence[ManimColor] = (CURVE_COLOR,),
        width: float = 9.0,
    ) -> list[VMobject]:
        """Axes fitted to the sampled curves of the landscapes, and the curves on them."""
        lss = list(landscapes or [self.landscape])
        xs = np.linspace(x_range[0], x_range[1], 600)
        values = [sample(ls, xs) for ls in lss]
        finite = np.concatenate([v[np.isfinite(v)] for v in values])
        if finite.size == 0:
            finite = np.array([-1.0, 1.0])
        lo, hi = float(finite.min()), float(finite.max())
        if hi - lo < 1e-9:
            lo, hi = lo - 1.0, hi + 1.0
        x_ticks = nice_range(x_range[0], x_range[1], ticks=6, pad=0.0)
        y_label = y_label or ("g(x)" if lss[0].name == "g" else "f(x)")
        self.make_axes([x_range[0], x_range[1], x_ticks[2]], nice_range(lo, hi), width=width, y_label=y_label)
        curves = []
        y0, y1 = self.axes.y_range[:2]
        for k, v in enumerate(values):
            line = VMobject(stroke_color=colors[k % len(colors)], stroke_width=4)
            line.set_points_as_corners(_points(self.axes, xs, np.clip(np.nan_to_num(v, nan=y0), y0, y1)))
            curves.append(line)
        self.add(*curves)
        return curves

    # ---- balls ---------------------------------------------------------------
    def scene_points(self, traj: Trajectory) -> np.ndarray:
        """Scene coordinates of each step, (x, f(x)), kept inside the axes so that a runaway
        ball stops at the frame's edge (its readouts still show the true numbers)."""
        (x0, x1), (y0, y1) = self.axes.x_range[:2], self.axes.y_range[:2]
        return _points(self.axes, np.clip(traj.points[:, 0], x0, x1), np.clip(traj.values, y0, y1))

    def make_dot(self, point: np.ndarray, radius: float, color: ManimColor) -> VMobject:
        return Dot(point, radius=radius, color=color).set_stroke(WHITE, width=2.5, background=False)

    def add_ball(self, traj: Trajectory, name: str, radius: float = 0.13) -> Ball:
        color = BALL_COLORS[len(self.balls) % len(BALL_COLORS)]
        coords = self.scene_points(traj)
        dot = self.make_dot(coords[0], radius, color)
        trail = VMobject(stroke_color=color, stroke_width=2.5, stroke_opacity=0.65)
        trail.set_points_as_corners([coords[0], coords[0]])
        ball = Ball(traj, name, color, dot, trail, coords)

        def follow(_: VMobject) -> None:
            i = ball.index(self.step.get_value())
            dot.move_to(coords[i])
            trail.set_points_as_corners(coords[: i + 1] if i > 0 else [coords[0], coords[0]])

        self.movers.append((dot, follow))
        self.balls.append(ball)
        return ball

    # ---- readouts ------------------------------------------------------------
    def readouts(
        self,
        top: float = 2.6,
        dim_names: Sequence[str] = ("x",),
        extra: dict[int, list[tuple[str, str, np.ndarray]]] | None = None,
    ) -> VGroup:
        """Step and learning rate, then per ball: x (y), f, gradient (and `extra` rows, as
        (tex, plain, values per step) by ball index), updated in place."""
        rows = VGroup()  # static: drawn once per animation
        y = top

        def row(label: VMobject, value: VMobject) -> None:
            nonlocal y
            label.move_to([PANEL_X, y, 0], aligned_edge=LEFT)
            rows.add(label)
            if isinstance(value, LiveNumber):
                value.place([PANEL_X + 3.3, y, 0])
                self.live.add(value)
            else:
                value.move_to([PANEL_X + 3.3, y, 0], aligned_edge=RIGHT)
                rows.add(value)
            y -= 0.46

        n_max = max(len(b.coords) - 1 for b in self.balls)
        step_num = LiveNumber(0, decimals=0, include_sign=False, font_size=NUMBER_SIZE)
        row(text("step", font_size=FONT), step_num)
        self._live(step_num, lambda: min(int(self.step.get_value()), n_max))
        lrs = sorted({b.traj.settings.lr for b in self.balls})
        lr_text = ", ".join(f"{v:g}" for v in lrs)
        row(math(r"\eta", "η", font_size=FONT + 8), math(lr_text, lr_text, font_size=NUMBER_SIZE))
        y -= 0.12
        for b, ball in enumerate(self.balls):
            sym = "g" if ball.traj.settings.landscape == "g" else "f"
            grad_names = (
                [(f"{sym}′(x)", f"{sym}'(x)")]
                if len(dim_names) == 1
                else [(f"∂{sym}/∂{n}", rf"\partial {sym}/\partial {n}") for n in dim_names]
            )
            header = VGroup(
                Dot(radius=0.09, color=ball.color).set_stroke(WHITE, 1.5, background=False),
                text(ball.name, font_size=FONT - 2, color=ball.color),
            ).arrange(RIGHT, buff=0.15)
            header.move_to([PANEL_X, y, 0], aligned_edge=LEFT)
            rows.add(header)
            y -= 0.46
            series: list[tuple[str, str, np.ndarray]] = [
                (n, n, ball.traj.points[:, k]) for k, n in enumerate(dim_names)
            ]
            fname = f"{sym}(x)" if len(dim_names) == 1 else f"{sym}({', '.join(dim_names)})"
            series.append((fname, fname, ball.traj.values))
            series += [(tex, plain, ball.traj.grads[:, k]) for k, (plain, tex) in enumerate(grad_names)]
            series += (extra or {}).get(b, [])
            for tex, plain, arr in series:
                num = LiveNumber(arr[0], font_size=NUMBER_SIZE)
                row(math(tex, plain, font_size=NUMBER_SIZE), num)
                self._live(num, lambda arr=arr, ball=ball: float(arr[ball.index(self.step.get_value())]))
            y -= 0.12
        self.overlay(rows)
        return rows

    def _live(self, num: LiveNumber, value: Callable[[], float]) -> None:
        """Update a number in place each frame (only when its value changed)."""

        def update(m: LiveNumber) -> None:
            v = value()
            if v != m.get_value():
                m.set_value(v)

        self.movers.append((num, update))

    # ---- time ----------------------------------------------------------------
    def show_balls(self) -> None:
        """Trails, dots on top, then the live numbers: the moving parts, added after every
        static part so that Cairo draws the static ones once per animation, not per frame."""
        for ball in self.balls:
            self.add(ball.trail)
        for ball in self.balls:
            self.add(ball.dot)
        self.overlay(self.live)
        self.wait(0.8)

    @property
    def main_ball(self) -> Ball:
        """The ball of the story's main settings (the one `roll trajectory` prints)."""
        return next(b for b in self.balls if b.traj.settings == self.settings)

    @property
    def last_step(self) -> int:
        return max(len(b.coords) - 1 for b in self.balls)

    def roll_to(self, step: int, seconds: float | None = None) -> None:
        """Advance every ball to `step` (balls that stopped earlier stay at their end)."""
        step = max(0, min(step, self.last_step))
        now = self.step.get_value()
        if step <= now:
            return
        if seconds is None:
            seconds = max(0.5, self.roll_seconds * (step - now) / max(self.last_step, 1))
        # updaters live only while rolling: between rolls the scene is still, and manim
        # renders a still wait as one frame repeated. The moving parts go last, so captions
        # and labels are drawn once per roll, not per frame.
        self.bring_to_front(*(b.trail for b in self.balls), *(b.dot for b in self.balls), self.live)
        for mob, fn in self.movers:
            mob.add_updater(fn)
        self.play(self.step.animate.set_value(step), run_time=seconds, rate_func=linear)
        for mob, fn in self.movers:
            mob.remove_updater(fn)

    def caption(self, words: str, color: ManimColor = CAPTION_COLOR, hold: float = 1.2) -> VMobject:
        """Replace the caption line at the bottom and hold it a moment."""
        self.caption_text = words
        new = flat(text(words, font_size=30, color=color))
        if new.width > 13.4:
            new.scale_to_fit_width(13.4)
        new.to_edge(DOWN, buff=0.28)
        self.fade(new, self.caption_mob)
        self.caption_mob = new
        if hold:
            self.wait(hold)
        return new

    def status_caption(self, ball: Ball) -> bool:
        """Say so when the run ended off the map (diverged, left the domain)."""
        words = STATUS_CAPTIONS.get(ball.traj.status)
        if words:
            self.caption(f"{ball.name}: {words}", color=self.WARN)
        return words is not None

    def first_step(self, ball: Ball, condition: np.ndarray) -> int:
        """First step index where `condition` holds for this ball (its last step if never)."""
        hits = np.flatnonzero(condition)
        return int(hits[0]) if len(hits) else len(ball.coords) - 1

    def marker(
        self, x: float, y: float, words: str, at: Sequence[float], color: ManimColor = WHITE
    ) -> VGroup:
        """An annotation at axes point `at` with a line to (x, y), as the chapter's plots have."""
        point = self.axes.c2p(x, y)
        label = flat(text(words, font_size=FONT, color=color)).move_to(self.axes.c2p(*at))
        line = Line(label, point, buff=0.12, stroke_width=2, color=color)
        group = VGroup(label, line)
        self.fade(group, seconds=0.5)
        return group

    def fade(self, new: VMobject, old: VMobject | None = None, seconds: float = 0.6) -> None:
        """Cross-fade by an opacity updater: manim's FadeIn/FadeOut deep-copy the mobject
        (~20 ms for a caption's Text), and the new part is added last, so during the fade
        only it and the old part are redrawn each frame."""
        clock = [0.0]

        def tick(_: VMobject, dt: float) -> None:
            clock[0] += dt
            a = min(1.0, clock[0] / seconds)
            new.set_opacity(a)
            if old is not None:
                old.set_opacity(1.0 - a)

        new.set_opacity(0.0)
        self.overlay(new)
        if old is not None:
            self.bring_to_front(old)
        new.add_updater(tick)
        self.wait(seconds)
        new.remove_updater(tick)
        new.set_opacity(1.0)
        if old is not None:
            self.remove(old)

    def legend(self, entries: Sequence[tuple[str, ManimColor]]) -> VGroup:
        """A row of coloured line samples with names, under the title."""
        items = VGroup(
            *(
                VGroup(
                    Line(ORIGIN, RIGHT * 0.5, color=color, stroke_width=5),
                    text(name, font_size=FONT - 2, color=color),
                ).arrange(RIGHT, buff=0.15)
                for name, color in entries
            )
        ).arrange(RIGHT, buff=0.5)
        items.to_corner(UL, buff=0.3).shift(DOWN * 0.7)
        self.overlay(items)
        return items


def _tex_label(label: str) -> str:
    """A word ('risk') is upright text in TeX, not a product of italic variables."""
    return rf"\text{{{label}}}" if label.isalpha() and len(label) > 1 else label


def _decimals(step: float) -> int:
    """Decimal places a tick step needs: 1 -> 0, 0.5 -> 1, 0.25 -> 2."""
    for places in range(4):
        if abs(step * 10**places - round(step * 10**places)) < 1e-9:
            return places
    return 4


def nice_range(lo: float, hi: float, ticks: int = 6, pad: float = 0.04) -> list[float]:
    """[start, stop, step] covering lo..hi with round ticks, a little headroom on both ends."""
    span = max(hi - lo, 1e-9)
    raw = span / ticks
    mag = 10 ** np.floor(np.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = np.floor((lo - pad * span) / step) * step
    stop = np.ceil((hi + pad * span) / step) * step
    return [float(start), float(stop), float(step)]


def _points(axes: Axes, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """c2p over arrays of x and y: (n, 3) scene points."""
    return np.array([axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)])
