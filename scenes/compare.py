"""One landscape, one start, several optimizers at once: who is caught, who escapes.

1D landscapes are drawn as a curve with the balls on it; 2D ones from above, as the
chapter draws them: iso-contours with the balls' paths over them.
"""

from __future__ import annotations

import numpy as np
from manim import VGroup

from landscapes.rules import LR_SYMBOL
from scenes.kit.axes import view_range
from scenes.kit.mathtext import Size
from scenes.kit.readouts import Readouts, name_math, series_feed
from scenes.kit.story import StoryScene
from scenes.words.terms import LEGEND_SAYS_THE_REST


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
        own, and rows kept free for its verdict. Beyond four balls the name and η alone (the
        rest of the settings are in beats.json) and no live numbers. Where the column is too
        short, the verdicts are left to the caption, which says them for up to four balls."""
        crowded = len(self.balls) > LEGEND_SAYS_THE_REST
        panel = self._legend(crowded, verdicts=True)
        if panel.overflow and not crowded:
            panel = self._legend(crowded, verdicts=False)
        self.column.add(panel)

    def _legend(self, crowded: bool, verdicts: bool) -> Readouts:
        left, bottom, right, top = self.column.box()
        panel = Readouts(left=left, top=top, width=right - left, row=0.38 if crowded else 0.44, floor=bottom)
        dims = ("x", "y")[: self.landscape.dim]
        self.verdict_rows = VGroup()
        for ball, words in zip(self.balls, self.narration.extras["verdicts"], strict=True):
            if crowded:  # a row each, at the least size: eight names and verdicts fit the column
                panel.header(name_and_rate(ball.name), ball.color, size=Size.SMALLEST, style=ball.style)
            else:
                panel.header(ball.name, ball.color, style=ball.style)
                cols = [*((d, ball.traj.points[:, k]) for k, d in enumerate(dims)), ("f", ball.traj.values)]
                index = self.balls.index_of(ball)
                panel.cells([(name_math(n, n), series_feed(arr, index), arr) for n, arr in cols])
            if verdicts:
                indent = 0.1 if crowded else 0.3
                verdict = panel.wrapped(words, ball.color, Size.SMALLEST, indent=indent, later=True)
                self.verdict_rows.add(verdict)
            panel.gap(0.0 if crowded else 0.1)
        return panel

    def verdicts(self) -> None:
        """Where each ball ended, under its readouts (when the column had room for it)."""
        if len(self.verdict_rows):
            self.fade(self.verdict_rows, seconds=0.5)


def name_and_rate(name: str) -> str:
    """'momentum η=0.02' of 'momentum η=0.02 β=0.9': the words up to the learning rate."""
    words = name.split(" ")
    rate = next((k for k, w in enumerate(words) if w.startswith(f"{LR_SYMBOL}=")), None)
    return " ".join(words[: rate + 1]) if rate is not None else name


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
