"""x³: the ball slows down and freezes at the saddle point 0, where f' = f'' = 0."""

from __future__ import annotations

import numpy as np

from landscapes import curvatures
from scenes.kit import StoryScene, label_for


class CubicSaddle(StoryScene):
    story_name = "cubic-saddle"

    def construct(self) -> None:
        (traj,) = self.trajectories
        self.title()
        self.plot(self.landscape.domain[0])
        ball = self.add_ball(traj, label_for(traj.settings))
        f2 = curvatures(self.landscape, traj.points)[:, 0]
        self.readouts(extra={0: [("f''(x)", "f″(x)", f2)]})
        self.show_balls()
        self.caption("plain gradient descent towards the flat point x = 0", hold=0.6)
        slow = self.first_step(ball, np.abs(traj.grads[:, 0]) < 0.05)
        self.roll_to(slow)
        if self.status_caption(ball):
            return
        self.caption(f"step {slow}: f′ < 0.05, every step is shorter than the last", hold=0.6)
        self.roll_to(self.last_step)
        if self.status_caption(ball):
            return
        self.marker(0.0, 0.0, "saddle point: f′ = f″ = 0", at=(-1.2, 7.0))
        self.caption(
            f"gradient ≈ 0: frozen at the saddle, x = {traj.end[0]:.3f} after {traj.steps} steps", hold=2.0
        )
