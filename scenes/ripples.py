"""g's ripples: plain gradient descent is caught, gradient noise jumps out."""

from __future__ import annotations

import numpy as np

from scenes.kit.i18n import _
from scenes.kit.story import Mark, StoryScene
from scenes.kit.words import optimizer_label, optimizer_name


class EscapingRipples(StoryScene):
    story_name = "ripples"

    def construct(self) -> None:
        noisy_traj, plain_traj = self.trajectories
        self.title()
        self.plot([-1, 2])
        plain = self.add_ball(
            plain_traj,
            _("{optimizer} (no noise)").format(optimizer=optimizer_name(plain_traj.settings.optimizer)),
        )
        noisy = self.add_ball(noisy_traj, optimizer_label(noisy_traj.settings))
        self.readouts()
        self.show_balls()
        self.caption(_("two balls, one start: without and with gradient noise"), hold=0.8)

        caught = self.first_step(plain, np.abs(plain_traj.grads[:, 0]) < 1e-3)
        self.roll_to(max(caught, 8), seconds=3.0)  # the escape happens in these first steps: show them
        x = plain_traj.end[0]
        self.conclude(
            [plain],
            _("no noise: caught by a ripple at x = {x:.2f}, where g′ ≈ 0").format(x=x),
            marks=[Mark(x, plain_traj.values[-1], _("caught"))],
            hold=1.2,
        )
        self.roll_to(self.last_step, seconds=6.5)
        self.conclude(
            [noisy],
            _("with noise: jumped out of the ripples, settles at x = {x:.2f}").format(x=noisy_traj.end[0]),
            marks=[Mark(noisy_traj.end[0], noisy_traj.values[-1], _("escaped"))],
            hold=2.7,
        )
