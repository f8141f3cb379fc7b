"""x·cos(0.15πx) from 10 with η 2: big steps jump past the near minimum into a poorer one."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class Overshoot(StoryScene):
    story_name = "overshoot"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        traj = self.trajectories["ball"]
        self.title()
        self.plot([-13, 13], x_step=5)
        ball = self.add_ball(traj, self.narration.names[0])
        self.show_tangent(ball)
        self.show_step(ball)
        self.readouts()
        self.show_balls()
        self.tell(self.narration.beats)
