"""f on [-1, 2]: one ball is stuck in the local minimum, one reaches the global one."""

from __future__ import annotations

from scenes.kit import StoryScene


class LocalMinimum(StoryScene):
    story_name = "local-minimum"

    def construct(self) -> None:
        left_traj, right_traj = self.trajectories
        self.title()
        self.plot(self.landscape.domain[0])
        left = self.add_ball(left_traj, f"start x = {left_traj.points[0, 0]:g}")
        right = self.add_ball(right_traj, f"start x = {right_traj.points[0, 0]:g}")
        self.readouts()
        self.show_balls()
        self.caption("two starts, plain gradient descent, the same learning rate", hold=0.8)
        self.roll_to(self.last_step)
        if self.status_caption(left) or self.status_caption(right):
            return
        self.marker(left_traj.end[0], left_traj.values[-1], "local minimum", at=(-0.6, -1.5))
        self.marker(right_traj.end[0], right_traj.values[-1], "global minimum", at=(0.75, 0.9))
        self.caption(
            f"f′ = 0 at both: stuck at x = {left_traj.end[0]:.2f} (f = {left_traj.values[-1]:.2f}), "
            f"best at x = {right_traj.end[0]:.2f} (f = {right_traj.values[-1]:.2f})",
            hold=2.0,
        )
