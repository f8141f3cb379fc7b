"""Adagrad on 0.1·x1² + 2·x2²: s ← s + g², x ← x − η·g/√(s + ε). Where gradients have been
large, s is large and the step small; s only grows, so η 0.4 slows to a stall and η 2 arrives."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import StoryScene


class Adagrad(StoryScene):
    story_name = "adagrad"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        balls, panel = self.book_plane()
        self.state_bars(balls, panel)
        self.show_balls()
        self.caption(_("bars: √s per coordinate, the divisor of each step; s ← s + g²"), hold=1.2)
        self.roll_to(4, seconds=4.0)
        self.caption(_("x2's gradients were large: its s grew, its steps shrank"), hold=1.2)
        self.roll_to(self.last_step)
        slow, fast = sorted(balls, key=lambda b: b.traj.settings.lr)
        self.conclude(
            balls,
            _("η = {a:g} stalls at ({x1:.6f}, {x2:.6f}); η = {b:g} arrives at ({y1:.6f}, {y2:.6f})").format(
                a=slow.traj.settings.lr,
                x1=slow.traj.end[0],
                x2=slow.traj.end[1],
                b=fast.traj.settings.lr,
                y1=fast.traj.end[0],
                y2=fast.traj.end[1],
            ),
            hold=2.5,
        )
