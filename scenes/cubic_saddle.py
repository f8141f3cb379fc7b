"""x³: the ball slows down and freezes at the saddle point 0, where f' = f'' = 0."""

from __future__ import annotations

from landscapes import curvatures
from scenes.kit.story import StoryScene


class CubicSaddle(StoryScene):
    story_name = "cubic-saddle"

    def construct(self) -> None:
        traj = self.trajectories["ball"]
        self.column.title()
        self.add(self.plot.graph(self.landscape.domain[0]))
        ball = self.add_ball(traj, self.narration.names[0])
        self.pointers.tangent(ball)
        self.pointers.step(ball)
        f2 = curvatures(self.landscape, traj.points)[:, 0]
        self.column.readouts(extra={0: [("f''(x)", "f″(x)", f2)]})
        self.show_balls()
        self.tell(self.narration.beats)
