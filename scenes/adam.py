"""Adadelta and Adam on 0.1·x1² + 2·x2², beside gradient descent and momentum."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class AdadeltaAndAdam(StoryScene):
    story_name = "adam"
    clip_to_view = False
    roll_seconds = 11.0

    def construct(self) -> None:
        balls, _panel = self.book_plane(steps=False, radius=0.11)
        self.pointers.step(self.balls.of(self.trajectories["adam"]))
        self.show_balls()
        self.tell(self.narration.beats)
