"""f on [-1, 2]: one ball is stuck in the local minimum, one reaches the global one."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class LocalMinimum(StoryScene):
    story_name = "local-minimum"

    def construct(self) -> None:
        self.column.title()
        self.add(self.plot.graph(self.landscape.domain[0]))
        for traj, name in zip(self.trajectories, self.narration.names, strict=True):
            self.add_ball(traj, name)
        self.column.readouts()
        self.show_balls()
        self.tell(self.narration.beats)
