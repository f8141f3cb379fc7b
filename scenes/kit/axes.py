"""Axes with round ticks, and curves sampled from a landscape: the chapter's 1D plots."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from manim import DOWN, DR, LEFT, RIGHT, UL, UP, Axes, Line, Rectangle, VGroup, VMobject

from landscapes import Landscape, sample
from scenes.kit.layout import FRAME_H, FRAME_W
from scenes.kit.mathtext import Size, math, text
from scenes.kit.palette import palette
from scenes.kit.typeset import fixed

TICK_FONT = Size.TICK  # digits 0.27 units high: 16 px at 480p
LABEL_FONT = Size.NAME


def decimals(step: float) -> int:
    """Decimal places a tick step needs: 1 -> 0, 0.5 -> 1, 0.25 -> 2."""
    for places in range(4):
        if abs(step * 10**places - round(step * 10**places)) < 1e-9:
            return places
    return 4


# The axes show values within ±VALUE_CAP (x**x**x**x reaches 1e300, and manim's line lengths
# overflow beyond 1e154); a range narrower than FLAT is drawn as ±1 around its middle: a flat
# or nearly flat function (0*x*y, 1e-10*x*y) is drawn flat, instead of with a tick step so
# small that manim's tick range (padded by a fixed 1e-6) holds thousands of ticks, each copied
# into the 3D axes' pieces (a render that never ended).
VALUE_CAP = 1e12
FLAT = 1e-3


def nice_range(lo: float, hi: float, ticks: int = 6, pad: float = 0.04) -> list[float]:
    """[start, stop, step] covering lo..hi with round ticks, a little headroom on both ends."""
    lo, hi = (min(max(v, -VALUE_CAP), VALUE_CAP) for v in (lo, hi))
    if hi - lo < FLAT:
        mid = lo / 2 + hi / 2
        lo, hi = mid - 1.0, mid + 1.0
    span = hi - lo
    raw = span / ticks
    mag = 10 ** np.floor(np.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = np.floor((lo - pad * span) / step) * step
    stop = np.ceil((hi + pad * span) / step) * step
    return [float(start), float(stop), float(step)]


def to_scene(axes: Axes, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """c2p over arrays of x and y: (n, 3) scene points (axes are linear: one affine map)."""
    o = np.asarray(axes.c2p(0.0, 0.0))
    ex = np.asarray(axes.c2p(1.0, 0.0)) - o
    ey = np.asarray(axes.c2p(0.0, 1.0)) - o
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    return o + xs[:, None] * ex + ys[:, None] * ey


def axis_label(label: str) -> VMobject:
    """Math ('f(x)', 'x₁') in the numbers' face; anything else ('risk', in any language) as words."""
    if re.fullmatch(r"[a-zA-Zα-ω][₀-₉0-9]?(\([a-z](, ?[a-z])*\))?", label):
        return math(label, label, font_size=LABEL_FONT, color=palette().text)
    return text(label, font_size=LABEL_FONT, color=palette().text)


def tick_label(value: float, places: int) -> VMobject:
    """A tick's number as a slide prints it (−2, 0.5), in the numbers' face."""
    return math(fixed(value, places), fixed(value, places), font_size=TICK_FONT, color=palette().text)


def tick_values(rng: Sequence[float]) -> list[float]:
    n = int(round((rng[1] - rng[0]) / rng[2]))
    first = np.ceil(rng[0] / rng[2] - 1e-9) * rng[2]
    return [v for v in (first + k * rng[2] for k in range(n + 1)) if v <= rng[1] + 1e-9]


def box_ticks(
    axes: Axes, x_range: Sequence[float], y_range: Sequence[float]
) -> tuple[VGroup, VGroup, VGroup]:
    """Tick marks inside the box's bottom and left edges, their numbers outside it, as
    plotting libraries draw them: (marks, x numbers, y numbers)."""
    p = palette()
    marks, xs, ys = VGroup(), VGroup(), VGroup()
    for v in tick_values(x_range):
        at = axes.c2p(v, y_range[0])
        marks.add(Line(at, at + UP * 0.1, stroke_color=p.axis, stroke_width=2))
        xs.add(tick_label(v, decimals(x_range[2])).next_to(at, DOWN, buff=0.1))
    for v in tick_values(y_range):
        at = axes.c2p(x_range[0], v)
        marks.add(Line(at, at + RIGHT * 0.1, stroke_color=p.axis, stroke_width=2))
        ys.add(tick_label(v, decimals(y_range[2])).next_to(at, LEFT, buff=0.1))
    return marks, xs, ys


def end_labels(
    box: VMobject, x_label: VMobject, y_label: VMobject, y_numbers: VGroup, x_numbers: VGroup | None = None
) -> None:
    """The axis labels at the axes' ends, as plotting libraries put them: x right of the box's
    bottom-right corner, level with the tick numbers (right of the last one); y at the top of
    the left edge, in the tick numbers' column or, when wider than it, inside the box's corner.
    A tick number the y label would cover is dropped (the label names that end)."""
    corner = box.get_corner(DR)
    x_label.next_to(corner, RIGHT, buff=0.12).shift(DOWN * (0.1 + x_label.height / 2))
    last = max((n.get_right()[0] for n in x_numbers or []), default=corner[0])
    x_label.shift(RIGHT * max(last + 0.12 - x_label.get_left()[0], 0))
    top_left = box.get_corner(UL)
    y_label.move_to(top_left + LEFT * (0.12 + y_label.width / 2) + DOWN * (y_label.height / 2))
    if y_label.get_left()[0] < -FRAME_W / 2 + 0.1:
        y_label.move_to(top_left + RIGHT * (0.15 + y_label.width / 2) + DOWN * (0.08 + y_label.height / 2))
    for num in list(y_numbers):
        covered = num.get_top()[1] > y_label.get_bottom()[1] - 0.06
        beyond = num.get_top()[1] > FRAME_H / 2 - 0.02  # a box up to the frame's top: its top number
        # at the bottom-left corner the first x number names the corner: the y one would touch it
        crowded = any(_near(num, x, 0.12) for x in x_numbers or [])
        if beyond or crowded or (covered and num.get_right()[0] > y_label.get_left()[0] - 0.05):
            y_numbers.remove(num)


def _near(a: VMobject, b: VMobject, gap: float) -> bool:
    """Whether two boxes come closer than `gap` (in both directions)."""
    return (
        a.get_left()[0] < b.get_right()[0] + gap
        and b.get_left()[0] < a.get_right()[0] + gap
        and a.get_bottom()[1] < b.get_top()[1] + gap
        and b.get_bottom()[1] < a.get_top()[1] + gap
    )


def story_axes(
    x_range: Sequence[float],
    y_range: Sequence[float],
    width: float,
    height: float,
    x_label: str,
    y_label: str,
    left: float = -6.3,
    centre_y: float = 0.4,
    right_limit: float = 3.05,
) -> tuple[Axes, VGroup]:
    """A curve's axes as a box with ticks on its bottom and left edges (d2l's matplotlib
    look): the numbers sit outside the box, where no curve can strike through them, and the
    two labels at the axes' ends. The Axes only map (x, f) to the scene; `axes.frame`, the
    zero line and the tick parts are what is drawn (`axes.drawn`)."""
    axes = Axes(x_range=list(x_range), y_range=list(y_range), x_length=width, y_length=height, tips=False)
    axes.move_to([left + width / 2, centre_y, 0])
    p = palette()
    frame = Rectangle(width=width, height=height, stroke_color=p.axis, stroke_width=2, fill_opacity=0)
    frame.move_to(axes.get_center())
    marks, xs, ys = box_ticks(axes, x_range, y_range)
    axes.x_axis.numbers, axes.y_axis.numbers = xs, ys
    x_lab, y_lab = axis_label(x_label), axis_label(y_label)
    end_labels(frame, x_lab, y_lab, ys, xs)
    parts = VGroup(frame, marks, xs, ys)
    if y_range[0] < 0 < y_range[1]:  # f = 0, as a faint line across the box
        zero = Line(axes.c2p(x_range[0], 0), axes.c2p(x_range[1], 0), stroke_color=p.axis, stroke_width=1.5)
        parts.add(zero.set_stroke(opacity=0.6))
    axes.frame, axes.drawn = frame, parts
    return axes, VGroup(x_lab, y_lab)


def curve_points(axes: Axes, landscape: Landscape, x_range: Sequence[float], n: int = 600) -> np.ndarray:
    """Scene points of the landscape's curve, clipped to the axes' value range."""
    xs = np.linspace(x_range[0], x_range[1], n)
    y0, y1 = axes.y_range[:2]
    ys = np.clip(np.nan_to_num(sample(landscape, xs), nan=y0, posinf=y1, neginf=y0), y0, y1)
    return to_scene(axes, xs, ys)


def curve(points: np.ndarray, color: object) -> VMobject:
    line = VMobject(stroke_color=color, stroke_width=4)
    line.set_points_as_corners(points)
    return line


def value_range(landscapes: Sequence[Landscape], x_range: Sequence[float]) -> list[float]:
    """Round y ticks around the sampled values of every landscape over x_range."""
    xs = np.linspace(x_range[0], x_range[1], 600)
    values = np.concatenate([sample(ls, xs) for ls in landscapes])
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        finite = np.array([-1.0, 1.0])
    return nice_range(float(finite.min()), float(finite.max()))  # flat: ±1 around the value


REACH = 50.0  # a runaway ball is followed this far from its start, then shown at the edge


def view_range(points: np.ndarray, axis: int, domain: tuple[float, float] | None) -> list[float]:
    """The domain if there is one, else the stretch of `axis` the points visit, padded: the
    range a view shows, with its round tick step."""
    if domain is not None:
        lo, hi = domain
    else:
        start = points[0, axis]
        visited = points[:, axis]
        visited = visited[np.abs(visited - start) <= REACH]
        lo, hi = float(visited.min()), float(visited.max())
        pad = max(1.0, 0.15 * (hi - lo))
        lo, hi = lo - pad, hi + pad
    ticks = nice_range(lo, hi, ticks=6, pad=0.0)
    return [lo, hi, ticks[2]]
