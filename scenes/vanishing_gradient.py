"""tanh from x = 4: f' ≈ 0.0013, the ball crawls while one from a steep start runs."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class VanishingGradient(StoryScene):
    story_name = "vanishing-gradient"

    def construct(self) -> None:
        self.column.title()
        self.add(self.plot.graph(self.landscape.domain[0]))
        balls = [self.add_ball(t, n) for t, n in zip(self.trajectories, self.narration.names, strict=True)]
        self.pointers.tangent(self.balls.of(self.trajectories["flat"]))
        for ball in balls:
            self.pointers.step(ball)
        self.column.readouts()
        self.show_balls()
        self.tell(self.narration.beats)
