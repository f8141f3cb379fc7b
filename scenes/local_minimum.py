"""f on [-1, 2]: one ball is stuck in the local minimum, one reaches the global one."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import Mark, StoryScene


class LocalMinimum(StoryScene):
    story_name = "local-minimum"

    def construct(self) -> None:
        left_traj, right_traj = self.trajectories
        self.title()
        self.plot(self.landscape.domain[0])
        left = self.add_ball(left_traj, _("start x = {x:g}").format(x=left_traj.points[0, 0]))
        right = self.add_ball(right_traj, _("start x = {x:g}").format(x=right_traj.points[0, 0]))
        self.readouts()
        self.show_balls()
        self.caption(_("two starts, plain gradient descent, the same learning rate"), hold=0.8)
        self.roll_to(self.last_step)
        self.conclude(
            [left, right],
            _(
                "f′ = 0 at both: stuck at x = {x1:.2f} (f = {f1:.2f}), best at x = {x2:.2f} (f = {f2:.2f})"
            ).format(
                x1=left_traj.end[0], f1=left_traj.values[-1], x2=right_traj.end[0], f2=right_traj.values[-1]
            ),
            marks=[
                Mark(left_traj.end[0], left_traj.values[-1], _("local minimum")),
                Mark(right_traj.end[0], right_traj.values[-1], _("global minimum")),
            ],
        )
