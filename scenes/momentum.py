"""Momentum on 0.1·x1² + 2·x2²: v ← β·v + g, x ← x − η·v. With η 0.6 (where gradient
descent blew up) β 0.5 arrives; the real step differs from the gradient's own, shown beside it."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class Momentum(StoryScene):
    story_name = "momentum"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        balls, _panel = self.book_plane(steps=False)
        self.pointers.gradient_step(self.balls.of(self.trajectories["momentum"]))
        for ball in balls:
            self.pointers.step(ball)
        self.show_balls()
        self.tell(self.narration.beats)
