"""g's ripples: plain gradient descent is caught, gradient noise jumps out."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class EscapingRipples(StoryScene):
    story_name = "ripples"

    def construct(self) -> None:
        noisy, plain = self.trajectories
        names = self.narration.names
        self.title()
        self.plot([-1, 2])
        self.add_ball(plain, names[1])
        self.add_ball(noisy, names[0])
        self.readouts()
        self.show_balls()
        self.tell(self.narration.beats)
