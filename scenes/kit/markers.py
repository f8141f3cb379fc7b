"""How a ball, its trail and its beads are drawn: a marker shape per ball, an edge that keeps
each 3:1 on every band of the contour plane, dashed trails for the balls beyond the fourth.

Widths are manim stroke widths: manim draws `stroke_width` * 0.01 frame units
(`Camera.cairo_line_width_multiple`), and at 1080p the 8-unit frame is 1080 px high, so a
stroke width of 1 is 1.35 px there (0.6 px at 480p). A ball's or bead's edge is a
*background* stroke (drawn before the fill): only its outer half shows, a ring outside the
colour that leaves the colour its full size. A trail's edge is a wider background stroke
under its coloured one: a casing, as roads are drawn on maps.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    PI,
    Circle,
    Line,
    LineJointType,
    RegularPolygon,
    RoundedRectangle,
    Square,
    Star,
    VGroup,
    VMobject,
)

from scenes.kit.palette import BallStyle, palette

PX_PER_WIDTH_1080P = 0.01 * 1080 / 8  # pixels at 1080p per unit of manim stroke width
TRAIL_WIDTH = 4.0  # 5.4 px at 1080p
TRAIL_CASING = TRAIL_WIDTH + 2.4  # 1.6 px of edge on each side at 1080p
MARK_EDGE = 3.0  # a ball's or bead's ring: 2 px outside its colour at 1080p
BEAD_EDGE = 2.2  # 1.5 px
BACKING_OPACITY = 0.94  # words in any palette colour keep 4.5:1 over any band through it
SHAPES = ("circle", "square", "triangle", "diamond", "star")


def marker(shape: str, point: Sequence[float], radius: float, color: object, edge: object) -> VMobject:
    """A filled marker of `shape` centred at `point`, about as heavy as a disc of `radius`
    (equal area, the star a little larger to read as one), with a ring of `edge` outside it."""
    if shape == "circle":
        mob: VMobject = Circle(radius=radius)
    elif shape == "square":
        mob = Square(side_length=radius * np.sqrt(np.pi))
    elif shape == "triangle":  # circumradius of the equilateral triangle of the disc's area
        mob = RegularPolygon(3, radius=radius * np.sqrt(4 * np.pi / (3 * np.sqrt(3))), start_angle=PI / 2)
    elif shape == "diamond":
        mob = Square(side_length=radius * np.sqrt(np.pi)).rotate(PI / 4)
    elif shape == "star":
        mob = Star(5, outer_radius=radius * 1.5, inner_radius=radius * 0.65, start_angle=PI / 2)
    else:
        raise ValueError(f"unknown marker shape {shape!r}; choose one of {', '.join(SHAPES)}")
    mob.set_fill(color, opacity=1.0).set_stroke(width=0)
    mob.set_stroke(edge, width=MARK_EDGE, opacity=1.0, background=True)
    return mob.move_to(np.asarray(point, dtype=float))


def ball_marker(style: BallStyle, point: Sequence[float], radius: float) -> VMobject:
    """The ball of `style` (palette.ball_style(k)) at `point`."""
    return marker(style.shape, point, radius, style.color, style.edge)


def style_trail(trail: VMobject, style: BallStyle) -> VMobject:
    """Give a trail its ball's colour over an edge-coloured casing (TRAIL_WIDTH, TRAIL_CASING),
    with round joins: a zigzag's mitred casing would draw spikes past its turns."""
    trail.joint_type = LineJointType.ROUND
    trail.set_stroke(style.color, width=TRAIL_WIDTH, opacity=1.0)
    trail.set_stroke(style.edge, width=TRAIL_CASING, opacity=1.0, background=True)
    return trail


def style_beads(beads: VMobject, style: BallStyle) -> VMobject:
    """The path's dots in the ball's colour, each with an edge ring outside it."""
    beads.set_fill(style.color, opacity=1.0).set_stroke(width=0)
    beads.set_stroke(style.edge, width=BEAD_EDGE, opacity=1.0, background=True)
    return beads


class DashedTrail:
    """A trail's step segments cut into dashes of `pattern` (on, off, on, off, ... lengths in
    scene units), the dashes running on along the whole path so that a bend or a new step does
    not restart them. `points(i)` is the trail after i steps, as VMobject points (straight
    cubics, one subpath per dash): set `trail.points` to it where a solid trail takes
    `segments[:i]`."""

    def __init__(self, segments: np.ndarray, pattern: Sequence[float]) -> None:
        pattern = [float(v) for v in pattern]
        if len(pattern) % 2 or any(v <= 0 for v in pattern):
            raise ValueError(f"a dash pattern is pairs of positive on, off lengths, not {pattern}")
        period = sum(pattern)
        ons = [(sum(pattern[:k]), sum(pattern[: k + 1])) for k in range(0, len(pattern), 2)]
        a, b = segments[:, 0, :], segments[:, -1, :]
        lengths = np.linalg.norm(b - a, axis=1)
        start = np.concatenate([[0.0], np.cumsum(lengths)])
        pieces: list[np.ndarray] = []
        self.count = np.zeros(len(segments) + 1, dtype=int)  # dash pieces in the first i steps
        thirds = np.linspace(0.0, 1.0, 4)[:, None]
        for j, length in enumerate(lengths):
            s0, s1 = start[j], start[j + 1]
            if length > 1e-12:
                for cycle in range(int(s0 // period), int(s1 // period) + 1):
                    for u0, u1 in ons:
                        d0, d1 = max(cycle * period + u0, s0), min(cycle * period + u1, s1)
                        if d1 > d0:
                            p0 = a[j] + (d0 - s0) / length * (b[j] - a[j])
                            p1 = a[j] + (d1 - s0) / length * (b[j] - a[j])
                            pieces.append(p0 + thirds * (p1 - p0))
            self.count[j + 1] = len(pieces)
        self._points = np.concatenate(pieces) if pieces else np.zeros((0, 3))

    def points(self, i: int) -> np.ndarray:
        return self._points[: 4 * self.count[min(i, len(self.count) - 1)]]


def swatch(style: BallStyle, length: float = 0.6, radius: float = 0.09) -> VGroup:
    """A legend's key for a ball: a piece of its trail (dashed if its trail is) with its marker
    in the middle."""
    line = VMobject()
    a, b = np.array([-length / 2, 0.0, 0.0]), np.array([length / 2, 0.0, 0.0])
    segment = Line(a, b).points.reshape(1, 4, 3)
    line.points = DashedTrail(segment, style.dash).points(1) if style.dash else segment.reshape(-1, 3)
    style_trail(line, style)
    return VGroup(line, ball_marker(style, [0.0, 0.0, 0.0], radius))


def backing(mob: VMobject, buff: float = 0.08) -> VMobject:
    """A plate in the background's colour for words that sit over the contour bands (a caption
    or a label inside the plot): put it under `mob`. White text needs none on the dark ramp, nor
    dark text on the light one; coloured words (a ball's name, a note) do."""
    plate = RoundedRectangle(
        corner_radius=buff, width=mob.width + 2 * buff, height=mob.height + 2 * buff, stroke_width=0
    )
    return plate.set_fill(palette().background, opacity=BACKING_OPACITY).move_to(mob.get_center())
