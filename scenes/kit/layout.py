"""Where things go: the frame cut into regions, the landscape first.

The plot takes most of the frame (a plane's box ≥ 40 % of it with equal aspect, a curve's
axes ≥ 50 %), the panel is a column at the right (the title, then the numbers), the caption
a strip along the bottom as tall as the story's longest caption needs. A square plane is
bound by the frame's height: under a two-line caption it would fall short of its share, so
there the caption moves beside the plot, under the panel, wrapped to the column's width.
Every part asks here instead of placing itself, so the targets are met in one place and
tested there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scenes.words.terms import LEGEND_SAYS_THE_REST

FRAME_W, FRAME_H = 14.0 + 2.0 / 9.0, 8.0  # manim's frame for 16:9
FRAME: tuple[float, float, float, float] = (-FRAME_W / 2, -FRAME_H / 2, FRAME_W / 2, FRAME_H / 2)
EDGE = 0.12  # clear of the frame's edges
TICK_ROOM = 0.4  # under a box: a tick label and its gaps
Y_TICK_ROOM = 0.72  # left of a box: the widest tick label ("−2.5") and its gap
LABEL_ROOM = 0.42  # right of a box: the x axis label at the axis' end
PANEL_MIN = 3.9  # the panel column is at least this wide
# A caption beside the plot leaves the panel above it this tall: the title, the step and the
# readouts of up to SIDE_BALLS balls (x, y and f each) fit; more balls keep the caption below.
PANEL_TALL = 4.5
SIDE_BALLS = 2
CURVE_PANEL_GIVE = 0.3  # a curve's panel holds one or two balls: it gives the plot this much
# Beyond CROWDED balls the panel gives each a name and a line of verdict (no live numbers), and
# a curve's panel takes CROWDED_GIVE from the plot so that verdict ("→ still moving, f = −0.704"
# at the least size) fits on one line
CROWDED = LEGEND_SAYS_THE_REST
CROWDED_GIVE = 0.6
CAPTION_LINE = 0.45  # one caption line at Size.CAPTION, with its descenders
CAPTION_GAP = 0.1
PLANE_SHARE = 0.40  # a plane's box takes at least this much of the frame

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Regions:
    """The frame's parts, each as (left, bottom, right, top) in scene units."""

    plot: Box  # the plot's box: the contour plane's frame, or the curve's axes
    panel: Box  # title and readouts
    caption: Box  # the caption strip

    @property
    def plot_share(self) -> float:
        return area(self.plot) / (FRAME_W * FRAME_H)


def area(box: Box) -> float:
    return max(box[2] - box[0], 0.0) * max(box[3] - box[1], 0.0)


def caption_strip(lines: int, left: float = FRAME[0] + EDGE) -> Box:
    """The caption's box: `lines` tall, from `left` to the frame's right edge."""
    top = FRAME[1] + EDGE + CAPTION_LINE * max(lines, 1) + CAPTION_GAP * (max(lines, 1) - 1)
    return (left, FRAME[1] + EDGE, FRAME[2] - EDGE, top)


def regions(
    kind: str,
    aspect: float | None = None,
    caption_lines: int = 1,
    lines_at: Callable[[float], int] | None = None,
    balls: int = 1,
) -> Regions:
    """The regions of a scene drawn as `kind` ("plane", "curve" or "surface"); a plane keeps
    `aspect` (its x span over its y span), so a circle of the landscape stays round.
    `lines_at(width)` says how many lines the captions take in a column that wide: given, a
    plane that a full-width caption would push under its share takes the caption beside it,
    when the panel has no more than SIDE_BALLS `balls` to show above it."""
    full = _regions(kind, aspect, caption_strip(caption_lines), balls > CROWDED)
    if kind != "plane" or lines_at is None or balls > SIDE_BALLS or full.plot_share >= PLANE_SHARE:
        return full
    beside = _regions(kind, aspect, caption_strip(1))  # the plot as under a one-line caption
    left = beside.plot[2] + LABEL_ROOM
    strip = caption_strip(lines_at(FRAME[2] - EDGE - left), left=left)
    top = beside.panel[3]
    if top - strip[3] - CAPTION_GAP < PANEL_TALL:  # too little panel left: the full-width strip
        return full
    return Regions(beside.plot, (left, strip[3] + CAPTION_GAP, beside.panel[2], top), strip)


def _regions(kind: str, aspect: float | None, caption: Box, crowded: bool = False) -> Regions:
    top = FRAME[3] - EDGE / 2
    bottom = caption[3] + TICK_ROOM
    left = FRAME[0] + EDGE + Y_TICK_ROOM
    widest = FRAME[2] - EDGE - PANEL_MIN - LABEL_ROOM - left
    height = top - bottom
    if kind == "plane":
        width = height * (aspect or 1.0)
        if width > widest:  # a wide view: as wide as the panel allows, less tall
            width, height = widest, widest / (aspect or 1.0)
        mid = (top + bottom) / 2
        plot = (left, mid - height / 2, left + width, mid + height / 2)
    elif kind == "surface":
        plot = (FRAME[0] + EDGE, caption[3] + CAPTION_GAP, left + widest + LABEL_ROOM, top)
    else:
        give = -CROWDED_GIVE if crowded else CURVE_PANEL_GIVE  # a curve's panel is narrower
        plot = (left, bottom, left + widest + give, top)
    panel = (plot[2] + LABEL_ROOM, caption[3] + CAPTION_GAP, FRAME[2] - EDGE, top)
    return Regions(plot, panel, caption)


__all__ = ["CROWDED", "FRAME", "PLANE_SHARE", "Box", "Regions", "area", "caption_strip", "regions"]
