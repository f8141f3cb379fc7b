"""The balls a scene shows: each built from its trajectory with its dot, trail, beads and edge
marker (`build_ball`, which returns the ball and how to draw it at a step), and the cast of
them all, which answers "which step is shown" questions (`Cast`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from manim import DOWN, RIGHT, UP, ValueTracker, VMobject

from landscapes import Landscape, Trajectory
from scenes.kit.labels import Box, box_of, overlaps
from scenes.kit.markers import DashedTrail, ball_marker, style_beads, style_trail
from scenes.kit.mathtext import Size, flat, text, text_font
from scenes.kit.numbers import label_points
from scenes.kit.palette import BallStyle, palette
from scenes.kit.trails import Ball, bead_paths, in_box, spaced, trail_segments
from scenes.kit.typeset import typeset
from scenes.words.i18n import _
from scenes.words.terms import coordinate_names

Draw = Callable[[int], None]


class Cast(list):
    """The balls of the current part of the story, in the order they were added, and the step
    tracker that moves them all; `past` keeps those of earlier parts (a new act)."""

    def __init__(self, step: ValueTracker, past: Sequence[Ball] = ()) -> None:
        super().__init__()
        self.step = step
        self.past = list(past)

    @property
    def every(self) -> list[Ball]:
        """The balls of every part of the story so far."""
        return [*self.past, *self]

    @property
    def last_step(self) -> int:
        return max(len(b.coords) - 1 for b in self)

    def of(self, traj: Trajectory) -> Ball:
        """The drawn ball of a trajectory."""
        for ball in self:
            if ball.traj is traj:
                return ball
        raise KeyError(f"ball {traj.settings.optimizer!r} is not drawn yet")

    def main(self, settings: Any) -> Ball:
        """The ball of the story's main settings (the one `roll trajectory` prints)."""
        return next(b for b in self if b.traj.settings == settings)

    def index_of(self, ball: Ball) -> Callable[[], int]:
        """The ball's step index shown now, as a feed for a live number."""
        return lambda: ball.index(self.step.get_value())

    @staticmethod
    def first_step(ball: Ball, condition: np.ndarray) -> int:
        """First step index where `condition` holds for this ball (its last step if never)."""
        hits = np.flatnonzero(condition)
        return int(hits[0]) if len(hits) else len(ball.coords) - 1


def build_ball(
    traj: Trajectory,
    name: str,
    coords: np.ndarray,
    style: BallStyle,
    radius: float,
    box: Box | None,
    beads: bool,
    dot: VMobject | None = None,
    segments: np.ndarray | None = None,
    lift: np.ndarray | None = None,
) -> tuple[Ball, Draw]:
    """A ball from its scene points: its dot (the style's marker unless `dot` is given), a trail
    cut at `box` (None: the ball never leaves the view), beads at every point when `beads` (on
    a plane, as the book draws a path); and the function that draws it at step i. A surface
    gives its trail's `segments` (on the mesh) and each point's `lift` (the dot's centre sits
    that far off the point, along the normal)."""
    dot = dot if dot is not None else ball_marker(style, coords[0], radius)
    trail = style_trail(VMobject(), style)  # 5 px at 1080p over an edge of its own
    ball = Ball(
        traj,
        name,
        style.color,
        dot,
        trail,
        coords,
        coords[:-1, None],
        coords[:, 0] == coords[:, 0],
        style=style,
    )
    if beads:
        ball.beads = style_beads(VMobject(), style)
    drawn: dict[str, Any] = {}

    def place(points: np.ndarray, view: Box | None, given: np.ndarray | None = None) -> None:
        """Where each step lands (scene points) and the view it is cut at: on building, and
        again when the view moves in or out (scenes.kit.zoom)."""
        segments = trail_segments(points, view) if given is None else given
        inside = in_box(points, view) if view is not None else np.ones(len(points), dtype=bool)
        # a step from one point out of view to another would cross the plot as a line of its own
        # (a runaway ball draws a fence of them): it is left out; the edge marker says where the
        # ball is instead
        away = ~inside[:-1] & ~inside[1:]
        segments[away] = segments[away][:, :1, :]
        ball.coords, ball.segments, ball.inside, ball.box = points, segments, inside, view
        drawn["centres"] = points if lift is None else points + lift
        drawn["rings"] = bead_paths(points, radius * 0.4) if beads else None
        drawn["spaced"] = spaced(points, 3 * radius * 0.4) if beads else None  # beads half a bead apart
        drawn["dashed"] = DashedTrail(segments, style.dash) if style.dash else None

    def draw(i: int) -> None:
        dot.move_to(drawn["centres"][i])
        dot.set_opacity(1.0 if ball.inside[i] else 0.0)  # gone from view: the numbers say where
        dashed, rings = drawn["dashed"], drawn["rings"]
        if i:
            trail.points = dashed.points(i) if dashed is not None else ball.segments[:i].reshape(-1, 3)
        else:
            trail.clear_points()
        if rings is not None:
            shown = ball.inside[: i + 1] & drawn["spaced"][: i + 1]
            ball.beads.points = rings[: i + 1][shown].reshape(-1, 3)

    place(coords, box, segments)
    ball.place = place
    return ball, draw


def styled(style: BallStyle, color: Any = None) -> BallStyle:
    return style if color is None else replace(style, color=color)


def edge_words(ball: Ball, i: int, box: Box, landscape: Landscape, on_plane: bool) -> tuple[str, int] | None:
    """What the edge marker says at step i ("x₂ = -1673 ↓") and which axis it is on; None while
    the ball is in view. On a curve x comes first (f follows from it); on a plane the
    coordinate farthest beyond its edge."""
    if ball.inside[i]:
        return None
    p, tr = ball.coords[i], ball.traj
    box = ball.box if ball.box is not None else box  # the view shown now (zoomed in or not)
    over = [max(box[0] - p[0], p[0] - box[2], 0) / (box[2] - box[0])]
    over.append(max(box[1] - p[1], p[1] - box[3], 0) / (box[3] - box[1]))
    k = int(over[1] > over[0]) if on_plane else (0 if over[0] > 0 else 1)
    names = [plain for _tex, plain in coordinate_names(landscape)]
    if on_plane:
        name, value = names[k], tr.points[i, k]
    else:
        name, value = ("f", tr.values[i]) if k else (names[0], tr.points[i, 0])
    hi = box[3] if k else box[2]
    arrow = ("↓↑" if k else "←→")[int(p[k] > hi)]
    return _("{name} = {value:.4g} {arrow}").format(name=name, value=value, arrow=arrow), k


def edge_marker(
    ball: Ball, box: Box, landscape: Landscape, on_plane: bool, slot: int, clear: Sequence[Box] = ()
) -> tuple[VMobject, Draw]:
    """While the ball is out of view: its coordinate at the view's edge where it went, step by
    step, so its trail need not cross the plot; `slot` stacks several balls' markers. It moves
    along its edge, towards the middle, off the boxes in `clear` (the axes' labels sit in the
    plot's corners, where a runaway's marker goes)."""
    label = VMobject(fill_color=palette().text, fill_opacity=1.0, stroke_width=0)  # 4.5:1 on the fill

    def where(i: int) -> None:
        said = edge_words(ball, i, box, landscape, on_plane)
        if said is None:
            label.clear_points()
            label.words = None
            return
        words, k = said
        p = ball.coords[i]
        box_ = ball.box if ball.box is not None else box  # the view shown now
        outline = label_points(typeset(words), Size.LABEL, text_font())
        if outline is None:
            mob = flat(text(words, font_size=Size.LABEL, color=label.fill_color))
        else:  # rewritten every step: glyphs set once (scenes.kit.numbers)
            mob = VMobject()
            mob.points = outline
        edge = np.clip(p, [box_[0], box_[1], 0], [box_[2], box_[3], 0])
        inward = (UP if p[1] < box_[1] else DOWN) if k else (RIGHT if p[0] < box_[0] else -RIGHT)
        mob.move_to(edge + inward * (0.1 + (mob.height if k else mob.width) / 2))
        # and inside the view along the edge
        mob.shift(RIGHT * (max(box_[0] - mob.get_left()[0], 0) - max(mob.get_right()[0] - box_[2], 0)))
        mob.shift(UP * (max(box_[1] - mob.get_bottom()[1], 0) - max(mob.get_top()[1] - box_[3], 0)))
        # several markers stack towards the box's middle, never out under its edge
        stack = DOWN if mob.get_y() > (box_[1] + box_[3]) / 2 else UP
        mob.shift((inward if k else stack) * slot * (mob.height + 0.08))
        along = (RIGHT if mob.get_x() < (box_[0] + box_[2]) / 2 else -RIGHT) if k else stack
        for c in clear:
            if overlaps(box_of(mob), c):
                if k:  # along a top or bottom edge: sideways past the label
                    gap = c[2] - mob.get_left()[0] if along[0] > 0 else mob.get_right()[0] - c[0]
                else:  # along a side: up or down past it
                    gap = c[3] - mob.get_bottom()[1] if along[1] > 0 else mob.get_top()[1] - c[1]
                mob.shift(along * (gap + 0.08))
        label.points = mob.points
        label.words = typeset(words)  # what it says, as drawn: the layout tests read it

    return label, where
