"""g's ripples: plain gradient descent is caught, gradient noise jumps out."""

from __future__ import annotations

import numpy as np

from scenes.kit import StoryScene, label_for


class EscapingRipples(StoryScene):
    story_name = "ripples"

    def construct(self) -> None:
        noisy_traj, plain_traj = self.trajectories
        self.title()
        self.plot([-1, 2])
        plain = self.add_ball(plain_traj, f"{label_for(plain_traj.settings)} (no noise)")
        noisy = self.add_ball(noisy_traj, label_for(noisy_traj.settings))
        self.readouts()
        self.show_balls()
        self.caption("two balls, one start: without and with gradient noise", hold=0.8)

        caught = self.first_step(plain, np.abs(plain_traj.grads[:, 0]) < 1e-3)
        self.roll_to(max(caught, 8), seconds=3.0)  # the escape happens in these first steps: show them
        if not self.status_caption(plain):
            x = plain_traj.end[0]
            self.caption(f"no noise: caught by a ripple at x = {x:.2f}, where g′ ≈ 0")
            self.marker(x, plain_traj.values[-1], "caught", at=(x - 0.2, plain_traj.values[-1] - 0.9))
        self.roll_to(self.last_step, seconds=6.5)
        if not self.status_caption(noisy):
            self.caption(f"with noise: jumped out of the ripples, settles at x = {noisy_traj.end[0]:.2f}")
            end_x, end_f = noisy_traj.end[0], noisy_traj.values[-1]
            self.marker(end_x, end_f, "escaped", at=(end_x + 0.45, end_f - 0.5))
        self.wait(1.5)
