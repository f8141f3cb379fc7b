"""Adagrad on 0.1·x1² + 2·x2²: s ← s + g², x ← x − η·g/√(s + ε). Where gradients have been
large, s is large and the step small; s only grows, so η 0.4 slows to a stall and η 2 arrives."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class Adagrad(StoryScene):
    story_name = "adagrad"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        balls, panel = self.book_plane()
        self.pointers.state_bars(balls, panel)
        self.show_balls()
        self.tell(self.narration.beats)
