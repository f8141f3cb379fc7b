"""0.1·x1² + 2·x2² from (−5, −2): gradient descent with η 0.4 crawls along the flat x1;
η 0.6 overshoots along the steep x2, farther each step, out of view."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class IllConditioned(StoryScene):
    story_name = "ill-conditioned"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        self.book_plane()
        self.show_balls()
        self.tell(self.narration.beats)
