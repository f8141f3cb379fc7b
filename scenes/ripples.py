"""g's ripples: plain gradient descent is caught, gradient noise jumps out."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class EscapingRipples(StoryScene):
    story_name = "ripples"

    def construct(self) -> None:
        self.column.title()
        self.add(self.plot.graph([-1, 2]))
        self.add_ball(self.trajectories["plain"], self.label_of("plain"))
        self.add_ball(self.trajectories["noisy"], self.label_of("noisy"))
        self.column.readouts()
        self.show_balls()
        self.tell(self.narration.beats)
