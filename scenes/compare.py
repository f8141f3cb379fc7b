"""One landscape, one start, several optimizers at once: who is caught, who escapes.

1D landscapes are drawn as a curve with the balls on it; 2D ones from above, as the
chapter draws them: iso-contours with the balls' paths over them.
"""

from __future__ import annotations

import numpy as np
from manim import LEFT

from scenes.kit.axes import view_range
from scenes.kit.readouts import FONT, Readouts, name_math
from scenes.kit.story import StoryScene
from scenes.narration.beyond import LEGEND_SAYS_THE_REST


class CompareOptimizers(StoryScene):
    """Several optimizers from one start on a 1D landscape."""

    story_name = "compare"

    def view(self, axis: int) -> list[float]:
        domain = self.landscape.domain[axis] if self.landscape.domain else None
        return view_range(np.concatenate([t.points for t in self.trajectories]), axis, domain)

    def construct(self) -> None:
        self.column.title()
        self.add(self.plot.graph(self.view(0)))
        self.compare()

    def compare(self) -> None:
        for traj, name in zip(self.trajectories, self.narration.names, strict=True):
            self.add_ball(traj, name)
        self.legend_panel()
        self.show_balls()
        opening, verdict = self.narration.beats
        self.say(opening)
        self.roll_to(verdict.at, seconds=self.zoom.watch(verdict))  # crowded ends from close
        self.verdicts()
        self.say(verdict)
        self.zoom.leave()

    def legend_panel(self) -> None:
        """Per ball: its optimizer and settings, then live x (y) and f, each with room of its
        own; beyond four balls the name alone (the verdict under it gives where it ended)."""
        left, _bottom, right, top = self.column.box()
        crowded = len(self.balls) > LEGEND_SAYS_THE_REST
        panel = Readouts(left=left, top=top, width=right - left, row=0.38 if crowded else 0.44)
        dims = ("x", "y")[: self.landscape.dim]
        self.verdict_rows: list[float] = []
        for ball in self.balls:
            panel.header(ball.name, ball.color, style=ball.style)
            if not crowded:
                cols = [*((d, ball.traj.points[:, k]) for k, d in enumerate(dims)), ("f", ball.traj.values)]
                index = self.balls.index_of(ball)
                panel.cells(
                    [
                        (name_math(n, n), (lambda arr=arr, index=index: float(arr[index()])), arr)
                        for n, arr in cols
                    ]
                )
            self.verdict_rows.append(panel.y + 0.02)
            panel.gap(0.36 if crowded else 0.44)
        self.column.add(panel)

    def verdicts(self) -> None:
        """Where each ball ended, under its readouts."""
        left, _bottom, right, _top = self.column.box()
        rows = Readouts(left=left + 0.3, width=right - left - 0.3)
        for ball, y, words in zip(
            self.balls, self.verdict_rows, self.narration.extras["verdicts"], strict=True
        ):
            rows.y = y
            rows.words(words, color=ball.color, size=FONT - 4)
        for m in rows:
            if m.width > rows.panel_width:
                m.scale_to_fit_width(rows.panel_width).align_to([left + 0.3, 0, 0], LEFT)
        self.fade(rows, seconds=0.5)


class CompareOptimizersPlane(CompareOptimizers):
    """Several optimizers from one start on a 2D landscape, seen from above."""

    def construct(self) -> None:
        self.column.title()
        self.add(self.plot.contour(self.view(0), self.view(1)))
        self.compare()


class Race(CompareOptimizersPlane):
    """The race: compare's view from above, each ball at the learning rate tuned for this
    landscape and start first (landscapes/tune.py), the order of arrival in its words."""

    story_name = "race"
