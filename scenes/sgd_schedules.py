"""x1² + 2·x2² with unit gradient noise and η 0.1: a constant rate keeps jittering; the
book's exponential and polynomial decays shrink the steps and settle."""

from __future__ import annotations

import numpy as np

from scenes.kit.i18n import _
from scenes.kit.story import StoryScene
from scenes.kit.words import schedule_name


class SGDSchedules(StoryScene):
    story_name = "sgd-schedules"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        balls, _panel = self.book_plane(steps=False, radius=0.11, show_lr=True)
        self.show_balls()
        self.caption(
            _("the same noisy gradients (σ = {s:g}, seed {seed}), three learning-rate schedules").format(
                s=self.settings.noise, seed=self.settings.seed
            ),
            hold=1.0,
        )
        self.roll_to(self.last_step // 3, seconds=3.5)
        self.caption(_("a constant η keeps every step as noisy as the first"), hold=1.0)
        self.roll_to(self.last_step)
        far = [
            _("{schedule}: {d:.3f}").format(
                schedule=schedule_name(b.traj.settings.schedule), d=self.spread(b)
            )
            for b in balls
        ]
        self.conclude(
            balls,
            _("mean distance from the minimum over the last 10 steps: {list}").format(list="; ".join(far)),
            hold=3.0,
        )

    @staticmethod
    def spread(ball: object) -> float:
        """Mean distance from the minimum (0, 0) over the last 10 points."""
        return float(np.linalg.norm(ball.traj.points[-10:], axis=1).mean())
