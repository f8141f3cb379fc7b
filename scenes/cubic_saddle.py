"""x³: the ball slows down and freezes at the saddle point 0, where f' = f'' = 0."""

from __future__ import annotations

import numpy as np

from landscapes import curvatures
from scenes.kit.i18n import _
from scenes.kit.story import Mark, StoryScene
from scenes.kit.words import optimizer_label


class CubicSaddle(StoryScene):
    story_name = "cubic-saddle"

    def construct(self) -> None:
        (traj,) = self.trajectories
        self.title()
        self.plot(self.landscape.domain[0])
        ball = self.add_ball(traj, optimizer_label(traj.settings))
        self.show_tangent(ball)
        self.show_step(ball)
        f2 = curvatures(self.landscape, traj.points)[:, 0]
        self.readouts(extra={0: [("f''(x)", "f″(x)", f2)]})
        self.show_balls()
        self.caption(_("plain gradient descent towards the flat point x = 0"), hold=0.6)
        slow = self.first_step(ball, np.abs(traj.grads[:, 0]) < 0.05)
        self.roll_to(slow)
        if not self.conclude(
            [ball],
            _("step {step}: f′ < 0.05, every step is shorter than the last").format(step=slow),
            hold=0.6,
        ):
            return
        self.roll_to(self.last_step)
        self.conclude(
            [ball],
            _("gradient ≈ 0: frozen at the saddle, x = {x:.3f} after {steps} steps").format(
                x=traj.end[0], steps=traj.steps
            ),
            marks=[Mark(0.0, 0.0, _("saddle point: f′ = f″ = 0"))],
        )
