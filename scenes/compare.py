"""One landscape, one start, several optimizers at once: who is caught, who escapes.

1D landscapes are drawn as a curve with the balls on it; 2D ones from above, as the
chapter draws them: iso-contours with the balls' paths over them.
"""

from __future__ import annotations

import numpy as np

from landscapes import classify
from scenes.kit.axes import view_range
from scenes.kit.i18n import _
from scenes.kit.readouts import FONT, Readouts, name_math
from scenes.kit.story import Ball, StoryScene
from scenes.kit.words import kind_words, optimizer_name, settings_label, status_short


class CompareOptimizers(StoryScene):
    """Several optimizers from one start on a 1D landscape."""

    story_name = "compare"
    panel_left, panel_width = 2.3, 4.5

    def view(self, axis: int) -> list[float]:
        domain = self.landscape.domain[axis] if self.landscape.domain else None
        return view_range(np.concatenate([t.points for t in self.trajectories]), axis, domain)

    def construct(self) -> None:
        self.title()
        self.plot(self.view(0), width=8.2)
        self.compare()

    def compare(self) -> None:
        for traj in self.trajectories:
            self.add_ball(traj, settings_label(traj.settings))
        self.legend_panel()
        self.show_balls()
        names = ", ".join(optimizer_name(t.settings.optimizer) for t in self.trajectories)
        self.caption(_("the same start for {names}").format(names=names), hold=0.6)
        self.roll_to(self.last_step)
        self.verdicts()
        self.caption(self.summary(), hold=2.0)

    def legend_panel(self, top: float = 2.7) -> None:
        """Per ball: its optimizer and settings, then live x (y) and f, each with room of its own."""
        panel = Readouts(left=self.panel_left, top=top, width=self.panel_width, row=0.42)
        dims = ("x", "y")[: self.landscape.dim]
        self.verdict_rows: list[float] = []
        for ball in self.balls:
            panel.header(ball.name, ball.color, size=FONT - 6)
            cols = [*((d, ball.traj.points[:, k]) for k, d in enumerate(dims)), ("f", ball.traj.values)]
            index = self.index_of(ball)
            panel.cells(
                [
                    (name_math(n, n, size=FONT - 2), (lambda arr=arr, index=index: float(arr[index()])), arr)
                    for n, arr in cols
                ]
            )
            self.verdict_rows.append(panel.y + 0.02)
            panel.gap(0.5)
        self.add_panel(panel)

    def verdicts(self) -> None:
        """Where each ball ended, under its readouts."""
        rows = Readouts(left=self.panel_left + 0.3, width=self.panel_width)
        for ball, y in zip(self.balls, self.verdict_rows, strict=True):
            rows.y = y
            rows.words(self.verdict(ball), color=ball.color, size=FONT - 6)
        self.fade(rows, seconds=0.5)

    def verdict(self, ball: Ball) -> str:
        tr = ball.traj
        if ball.stopped_off_the_map:
            return "→ " + status_short(tr.status)
        kind = classify(self.landscape, tr.end).kind
        if kind == "not critical":
            return _("→ still moving, f = {f:.3f}").format(f=tr.values[-1])
        return _("→ {kind}, f = {f:.3f}").format(kind=kind_words(kind), f=tr.values[-1])

    def summary(self) -> str:
        """Who got lowest, and who was caught higher up; balls that left the map are not ranked."""
        ranked = [b for b in self.balls if not b.stopped_off_the_map]
        gone = [optimizer_name(b.traj.settings.optimizer) for b in self.balls if b.stopped_off_the_map]
        if not ranked:
            return _("no ball stayed on the map: {names}").format(names=", ".join(gone))
        best = min(b.traj.values[-1] for b in ranked)
        low = [optimizer_name(b.traj.settings.optimizer) for b in ranked if b.traj.values[-1] <= best + 0.01]
        high = [optimizer_name(b.traj.settings.optimizer) for b in ranked if b.traj.values[-1] > best + 0.01]
        out = _("lowest (f = {f:.3f}): {names}").format(f=best, names=", ".join(low))
        if high:
            out += _("; caught higher: {names}").format(names=", ".join(high))
        if gone:
            out += _("; off the map: {names}").format(names=", ".join(gone))
        return out


class CompareOptimizersPlane(CompareOptimizers):
    """Several optimizers from one start on a 2D landscape, seen from above."""

    panel_left, panel_width = 0.75, 6.0

    def construct(self) -> None:
        self.title()
        self.contour_plane(self.view(0), self.view(1))
        self.compare()
