"""x1² + 2·x2² with unit gradient noise and η 0.1: a constant rate keeps jittering; the
book's exponential and polynomial decays shrink the steps and settle."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class SGDSchedules(StoryScene):
    story_name = "sgd-schedules"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        balls, _panel = self.book_plane(steps=False, radius=0.11, show_lr=True)
        self.show_balls()
        self.tell(self.narration.beats)
