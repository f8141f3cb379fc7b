"""x·cos(0.15πx) from 10 with η 2: big steps jump past the near minimum into a poorer one."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class Overshoot(StoryScene):
    story_name = "overshoot"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        traj = self.trajectories["ball"]
        self.column.title()
        self.add(self.plot.graph([-13, 13], x_step=5))
        ball = self.add_ball(traj, self.narration.names[0])
        self.pointers.tangent(ball)
        self.pointers.step(ball)
        self.column.readouts()
        self.show_balls()
        self.tell(self.narration.beats)
