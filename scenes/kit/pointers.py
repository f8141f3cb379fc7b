"""What points at the step a ball takes: its step arrow, the gradient's own step, the tangent,
its optimizer's state as bars, and the marker at the view's edge for a ball out of view.
A part of StoryScene (scenes.kit.story); each part is drawn from the ball's step index."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import DOWN, RIGHT, UP, VMobject

from scenes.kit.axes import to_scene
from scenes.kit.bars import StateBars
from scenes.kit.labels import Box
from scenes.kit.mathtext import flat, text
from scenes.kit.palette import palette
from scenes.kit.readouts import FONT, Readouts
from scenes.kit.step import StepArrow, Tangent
from scenes.kit.trails import Ball, trail_segments
from scenes.kit.typeset import typeset
from scenes.words.i18n import _
from scenes.words.terms import coordinate_names


class Pointers:
    """StoryScene's pointers: moving parts under the balls, redrawn when a step changes."""

    # ---- the step made visible -------------------------------------------------------
    def show_step(self, ball: Ball, color: Any = None) -> StepArrow:
        """An arrow from the ball to its next trajectory point: the step it is about to take."""
        arrow = StepArrow(color or ball.color, width=6.0)
        ends = ball.segments[:, -1]  # a step out of view ends at the view's edge, pointing the way

        def point(i: int) -> None:
            if i + 1 < len(ball.coords) and ball.inside[i]:
                arrow.put(ball.coords[i], ends[i])
            else:
                arrow.hide()

        return self._pointer(arrow, ball, point)

    def show_gradient_step(self, ball: Ball, color: Any = None) -> StepArrow:
        """An arrow to where −η·g alone would take the ball (on a plane): beside momentum's real
        step, it shows what the velocity adds."""
        if self.plane is None:
            raise ValueError("the gradient's own step is drawn on a contour plane")
        ends = ball.traj.gradient_steps()  # the numbers' side computes the step; here it is drawn
        targets = to_scene(self.axes, ends[:, 0], ends[:, 1])
        n = min(len(targets), len(ball.coords))
        pairs = np.empty((2 * n, 3))
        pairs[0::2], pairs[1::2] = ball.coords[:n], targets[:n]
        targets = targets.copy()
        targets[:n] = trail_segments(pairs, self.view_box())[0::2, -1]  # inside the plot's box
        arrow = StepArrow(color or palette().gradient, width=3.0)

        def point(i: int) -> None:
            if i + 1 < len(ball.coords):
                arrow.put(ball.coords[i], targets[i])
            else:
                arrow.hide()

        arrow.targets = targets
        return self._pointer(arrow, ball, point)

    def show_tangent(self, ball: Ball, color: Any = None, length: float = 2.2) -> Tangent:
        """The tangent at the ball on a curve: its slope is f′ there (flat where f′ = 0)."""
        o = np.asarray(self.axes.c2p(0.0, 0.0))
        ux = np.asarray(self.axes.c2p(1.0, 0.0)) - o
        uy = np.asarray(self.axes.c2p(0.0, 1.0)) - o
        slopes = ball.traj.grads[:, 0]
        line = Tangent(color or palette().tangent, length=length)

        def point(i: int) -> None:
            line.put(ball.coords[i], ux[:2] + slopes[i] * uy[:2])

        return self._pointer(line, ball, point)

    def show_state(
        self,
        ball: Ball,
        name: str,
        origin: Sequence[float],
        scale_max: float | None = None,
        height: float = 1.3,
    ) -> StateBars:
        """Bars of one optimizer state (e.g. adagrad's s) per coordinate, following the ball."""
        values = ball.traj.state[name]
        dims = values.shape[1]
        names = [(f"{name}_{k + 1}", f"{name}{k + 1}") for k in range(dims)]
        bars = StateBars(values, names, ball.color, origin, height=height, scale_max=scale_max)
        self.overlay(bars)
        self.block(bars, *bars.numbers)
        self.pointers.extend(bars.bars)
        self.live.add(*bars.numbers)
        self._on_step(bars.bars[0], ball, bars.show)
        return bars

    def _pointer(self, mob: VMobject, ball: Ball, draw: Callable[[int], None]) -> VMobject:
        self.pointers.append(mob)
        self._on_step(mob, ball, draw)
        return mob

    def state_bars(self, balls: Sequence[Ball], panel: Readouts, name: str = "s") -> list[StateBars]:
        """A bar chart of one state per ball under the panel, all on one √ scale so that balls
        and coordinates compare directly."""
        carriers = [b for b in balls if name in b.traj.state]  # --optimizer may pick one without it
        if not carriers:
            return []
        top = float(max(np.sqrt(b.traj.state[name].max()) for b in carriers))
        floor = self.panel_box()[1] + 0.85  # room under the bars for their names and numbers
        height = max(min(1.8, panel.bottom - 0.35 - floor), 0.6)
        return [
            self.show_state(
                ball, name, origin=(panel.left + 0.1 + 2.4 * k, floor), scale_max=top, height=height
            )
            for k, ball in enumerate(carriers)
        ]

    def edge_words(self, ball: Ball, i: int, box: Box) -> tuple[str, int] | None:
        """What the edge marker says at step i ("x₂ = -1673 ↓") and which axis it is on; None
        while the ball is in view. On a curve x comes first (f follows from it); on a plane
        the coordinate farthest beyond its edge."""
        if ball.inside[i]:
            return None
        p, tr = ball.coords[i], ball.traj
        over = [max(box[0] - p[0], p[0] - box[2], 0) / (box[2] - box[0])]
        over.append(max(box[1] - p[1], p[1] - box[3], 0) / (box[3] - box[1]))
        k = (0 if over[0] > 0 else 1) if self.plane is None else int(over[1] > over[0])
        names = [plain for _tex, plain in coordinate_names(self.landscape)]
        if self.plane is None:
            name, value = ("f", tr.values[i]) if k else (names[0], tr.points[i, 0])
        else:
            name, value = names[k], tr.points[i, k]
        hi = box[3] if k else box[2]
        arrow = ("↓↑" if k else "←→")[int(p[k] > hi)]
        return _("{name} = {value:.4g} {arrow}").format(name=name, value=value, arrow=arrow), k

    def edge_marker(self, ball: Ball, box: Box) -> VMobject:
        """While the ball is out of view: its coordinate at the view's edge where it went,
        step by step, so its trail need not cross the plot."""
        label = VMobject(fill_color=palette().text, fill_opacity=1.0, stroke_width=0)  # 4.5:1 on the fill
        slot = sum(b.marker is not None for b in self.balls)  # several balls gone: a row each

        def where(i: int) -> None:
            said = self.edge_words(ball, i, box)
            if said is None:
                label.clear_points()
                label.words = None
                return
            words, k = said
            p = ball.coords[i]
            mob = flat(text(words, font_size=FONT - 4, color=label.fill_color))
            edge = np.clip(p, [box[0], box[1], 0], [box[2], box[3], 0])
            inward = (UP if p[1] < box[1] else DOWN) if k else (RIGHT if p[0] < box[0] else -RIGHT)
            mob.move_to(edge + inward * (0.1 + (mob.height if k else mob.width) / 2))
            # and inside the view along the edge
            mob.shift(RIGHT * (max(box[0] - mob.get_left()[0], 0) - max(mob.get_right()[0] - box[2], 0)))
            mob.shift(UP * (max(box[1] - mob.get_bottom()[1], 0) - max(mob.get_top()[1] - box[3], 0)))
            mob.shift((inward if k else DOWN) * slot * (mob.height + 0.08))
            label.points = mob.points
            label.words = typeset(words)  # what it says, as drawn: the layout tests read it

        self._on_step(label, ball, where)
        self.pointers.append(label)
        return label
