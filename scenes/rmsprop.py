"""RMSProp on 0.1·x1² + 2·x2²: s ← γ·s + (1 − γ)·g², a leaky average, so s stops growing
and the steps stay alive where adagrad's stall."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class RMSProp(StoryScene):
    story_name = "rmsprop"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        balls, panel = self.book_plane()
        self.pointers.state_bars(balls, panel)
        self.show_balls()
        self.tell(self.narration.beats)
