"""What points at the step a ball takes: its step arrow, the gradient's own step, the tangent,
and its optimizer's state as bars. A part of StoryScene (scenes.kit.story): each pointer is
built here, handed to the scene's `follow` to be drawn from its ball's step index, and
returned."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import VMobject

from scenes.kit.axes import to_scene
from scenes.kit.bars import StateBars
from scenes.kit.palette import palette
from scenes.kit.plot import Plot
from scenes.kit.readouts import Readouts
from scenes.kit.stage import Stage
from scenes.kit.step import StepArrow, Tangent
from scenes.kit.trails import Ball, trail_segments


class Pointers:
    """The pointers of a scene: moving parts under the balls (`drawn`), redrawn when a step
    changes. The stage is the scene: its plot and panel column, and its `follow(mob, ball,
    draw)`, which draws `mob` at the ball's step while rolling."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.drawn: list[VMobject] = []

    @property
    def plot(self) -> Plot:
        return self.stage.plot

    def _pointer(self, mob: VMobject, ball: Ball, draw: Callable[[int], None]) -> VMobject:
        self.drawn.append(mob)
        self.stage.follow(mob, ball, draw)
        return mob

    def step(self, ball: Ball, color: Any = None) -> StepArrow:
        """An arrow from the ball to its next trajectory point: the step it is about to take."""
        arrow = StepArrow(color or ball.color, width=6.0)

        def point(i: int) -> None:
            # a step out of view ends at the view's edge, pointing the way (read as drawn: the
            # view may have moved in)
            if i + 1 < len(ball.coords) and ball.inside[i]:
                arrow.put(ball.coords[i], ball.segments[i, -1])
            else:
                arrow.hide()

        return self._pointer(arrow, ball, point)

    def gradient_step(self, ball: Ball, color: Any = None) -> StepArrow:
        """An arrow to where −η·g alone would take the ball (on a plane): beside momentum's real
        step, it shows what the velocity adds."""
        if self.plot.plane is None:
            raise ValueError("the gradient's own step is drawn on a contour plane")
        ends = ball.traj.gradient_steps()  # the numbers' side computes the step; here it is drawn
        arrow = StepArrow(color or palette().gradient, width=3.0)
        plot = self.plot

        def aim() -> np.ndarray:
            """The arrows' tips on the view shown now, inside the plot's box."""
            targets = to_scene(plot.axes, ends[:, 0], ends[:, 1])
            n = min(len(targets), len(ball.coords))
            pairs = np.empty((2 * n, 3))
            pairs[0::2], pairs[1::2] = ball.coords[:n], targets[:n]
            targets[:n] = trail_segments(pairs, plot.box())[0::2, -1]
            arrow.targets, arrow.view = targets, plot.axes
            return targets

        aim()

        def point(i: int) -> None:
            targets = arrow.targets if arrow.view is plot.axes else aim()
            if i + 1 < len(ball.coords):
                arrow.put(ball.coords[i], targets[i])
            else:
                arrow.hide()

        return self._pointer(arrow, ball, point)

    def tangent(self, ball: Ball, color: Any = None, length: float = 2.2) -> Tangent:
        """The tangent at the ball on a curve: its slope is f′ there (flat where f′ = 0)."""
        plot = self.plot
        slopes = ball.traj.grads[:, 0]
        line = Tangent(color or palette().tangent, length=length)

        def point(i: int) -> None:
            o = np.asarray(plot.axes.c2p(0.0, 0.0))  # the view shown now: its slope on screen
            ux = np.asarray(plot.axes.c2p(1.0, 0.0)) - o
            uy = np.asarray(plot.axes.c2p(0.0, 1.0)) - o
            line.put(ball.coords[i], ux[:2] + slopes[i] * uy[:2])

        return self._pointer(line, ball, point)

    def state(
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
        self.stage.overlay(bars)
        self.plot.block(bars, *bars.numbers)
        self.drawn.extend(bars.bars)
        self.stage.live.add(*bars.numbers)
        self.stage.follow(bars.bars[0], ball, bars.show)
        return bars

    def state_bars(self, balls: Sequence[Ball], panel: Readouts, name: str = "s") -> list[StateBars]:
        """A bar chart of one state per ball under the panel, all on one √ scale so that balls
        and coordinates compare directly."""
        carriers = [b for b in balls if name in b.traj.state]  # --optimizer may pick one without it
        if not carriers:
            return []
        top = float(max(np.sqrt(b.traj.state[name].max()) for b in carriers))
        floor = self.stage.column.box()[1] + 0.85  # room under the bars for their names and numbers
        height = max(min(1.8, panel.bottom - 0.35 - floor), 0.6)
        return [
            self.state(ball, name, origin=(panel.left + 0.1 + 2.4 * k, floor), scale_max=top, height=height)
            for k, ball in enumerate(carriers)
        ]
