"""Axes with round ticks, and curves sampled from a landscape: the chapter's 1D plots."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from manim import RIGHT, Axes, VGroup, VMobject

from landscapes import Landscape, sample
from scenes.kit.mathtext import math, number_class, text
from scenes.kit.palette import palette

TICK_FONT = 32  # digits about 14 px high at 480p
LABEL_FONT = 32


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
    """Math ('f(x)', 'y') as math; anything else ('risk', in any language) as words."""
    if re.fullmatch(r"[a-zA-Z](\([a-z](, ?[a-z])*\))?", label):
        return math(label, label, font_size=LABEL_FONT, color=palette().text)
    return text(label, font_size=LABEL_FONT * 0.8, color=palette().text)


def story_axes(
    x_range: Sequence[float],
    y_range: Sequence[float],
    width: float,
    height: float,
    x_label: str,
    y_label: str,
    left: float = -6.5,
    centre_y: float = -0.3,
    right_limit: float = 3.05,
) -> tuple[Axes, VGroup]:
    """Axes with numbered ticks and their two labels; no label sits on a tick label, and the x
    label stays left of `right_limit` (where the readout panel begins, less a gap)."""
    axes = Axes(
        x_range=list(x_range),
        y_range=list(y_range),
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={
            "color": palette().axis,
            "stroke_width": 2,
            "include_numbers": True,
            "font_size": TICK_FONT,
            "label_constructor": number_class(),
        },
        x_axis_config={"decimal_number_config": {"num_decimal_places": decimals(x_range[2])}},
        y_axis_config={"decimal_number_config": {"num_decimal_places": decimals(y_range[2])}},
    )
    axes.move_to([left + width / 2, centre_y, 0])
    # a tick label where the other axis crosses would sit on that axis: drop it
    for axis, rng in ((axes.x_axis, x_range), (axes.y_axis, y_range)):
        for num in list(axis.numbers):
            if abs(num.get_value() - np.clip(0.0, rng[0], rng[1])) < 1e-9:
                axis.numbers.remove(num)
        axis.numbers.set_color(palette().text)
    x_lab = axis_label(x_label)
    x_lab.next_to(axes.x_axis.get_end(), RIGHT, buff=0.15)
    for num in list(axes.x_axis.numbers):  # the last tick's number may reach past the axis end
        if num.get_right()[0] + 0.1 > x_lab.get_left()[0] and abs(num.get_y() - x_lab.get_y()) < 0.5:
            if x_lab.get_right()[0] + num.width > right_limit:  # no room: the label names the end
                axes.x_axis.numbers.remove(num)
            else:
                x_lab.set_x(num.get_right()[0] + 0.12 + x_lab.width / 2)
    y_lab = axis_label(y_label)
    y_lab.next_to(axes.y_axis.get_end(), RIGHT, buff=0.15)
    excess = x_lab.get_right()[0] - right_limit
    if excess > 1e-6 and width - excess > 0.5 * width:  # narrower, to keep the panel's gap
        return story_axes(
            x_range, y_range, width - excess, height, x_label, y_label, left, centre_y, right_limit
        )
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
