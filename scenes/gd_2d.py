"""x1² + 2·x2² from (−5, −2), η 0.1: gradient descent seen from above, as the book draws it."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class GradientDescent2D(StoryScene):
    story_name = "gd-2d"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        self.book_plane()
        self.show_balls()
        self.tell(self.narration.beats)
