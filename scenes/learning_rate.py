"""x² from 10, ten steps of gradient descent: η 0.05 crawls, 0.2 arrives, 1.1 overshoots
ever wider. The step each ball is about to take is drawn as an arrow."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class LearningRate(StoryScene):
    story_name = "learning-rate"
    clip_to_view = False  # η = 1.1 leaves the view, as its numbers do
    roll_seconds = 11.0

    def construct(self) -> None:
        by_lr = sorted(self.trajectories, key=lambda t: t.settings.lr)
        self.column.title()
        self.add(self.plot.graph([-20, 20], x_step=5))
        names = dict(zip(map(id, self.trajectories), self.narration.names, strict=True))
        balls = [self.add_ball(t, names[id(t)]) for t in by_lr]
        for ball in balls:
            self.pointers.step(ball)
        self.column.ball_readouts()
        self.show_balls()
        self.tell(self.narration.beats)
