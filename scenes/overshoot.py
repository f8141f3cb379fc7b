"""x·cos(0.15πx) from 10 with η 2: big steps jump past the near minimum into a poorer one."""

from __future__ import annotations

import numpy as np

from scenes.kit.i18n import _
from scenes.kit.story import Mark, StoryScene
from scenes.kit.words import settings_label


class Overshoot(StoryScene):
    story_name = "overshoot"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        (traj,) = self.trajectories
        self.title()
        self.plot([-13, 13], x_step=5)
        ball = self.add_ball(traj, settings_label(traj.settings))
        self.show_tangent(ball)
        self.show_step(ball)
        self.readouts()
        self.show_balls()
        self.caption(
            _("from x = {x:g} with η = {lr:g}: the step is η·f′, long where the slope is steep").format(
                x=traj.points[0, 0], lr=traj.settings.lr
            ),
            hold=1.0,
        )
        if traj.steps >= 1:  # a run that stopped at its start has no jump to show
            jump = int(np.argmax(np.abs(np.diff(traj.points[:, 0])))) + 1
            self.roll_to(jump, seconds=3.0)
            self.caption(
                _("step {k}: one jump of {d:.2f} carries the ball past the near minimum").format(
                    k=jump, d=abs(traj.points[jump, 0] - traj.points[jump - 1, 0])
                ),
                hold=1.2,
            )
        self.roll_to(self.last_step)
        self.conclude(
            [ball],
            _("it ends at x = {x:.6f} (f = {f:.2f}), in a poorer minimum than the one it jumped over").format(
                x=traj.end[0], f=traj.values[-1]
            ),
            marks=[Mark(traj.end[0], traj.values[-1], _("poorer minimum"))],
            hold=2.5,
        )
