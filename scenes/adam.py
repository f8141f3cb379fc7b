"""Adadelta and Adam on 0.1·x1² + 2·x2², beside gradient descent and momentum."""

from __future__ import annotations

import numpy as np

from scenes.kit.i18n import _
from scenes.kit.story import StoryScene
from scenes.kit.words import optimizer_name


class AdadeltaAndAdam(StoryScene):
    story_name = "adam"
    clip_to_view = False
    roll_seconds = 11.0

    def construct(self) -> None:
        balls, _panel = self.book_plane(steps=False, radius=0.11)
        self.show_step(balls[0])
        self.show_balls()
        self.caption(
            _("adam: momentum's v and rmsprop's s, bias-corrected; adadelta: no learning rate at all"),
            hold=1.5,
        )
        self.roll_to(10, seconds=4.0)
        self.caption(_("adam's first steps are about η long in each coordinate"), hold=1.2)
        self.roll_to(self.last_step)
        dist = ", ".join(
            _("{name} {d:.3f}").format(
                name=optimizer_name(b.traj.settings.optimizer), d=np.linalg.norm(b.traj.end)
            )
            for b in balls
        )
        self.conclude(
            balls,
            _("distance from the minimum after {n} steps: {list}").format(n=self.last_step, list=dist),
            hold=3.0,
        )
