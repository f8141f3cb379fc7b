"""Momentum on 0.1·x1² + 2·x2²: v ← β·v + g, x ← x − η·v. With η 0.6 (where gradient
descent blew up) β 0.5 arrives; the real step differs from the gradient's own, shown beside it."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import StoryScene


class Momentum(StoryScene):
    story_name = "momentum"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        main, low, gd = self.trajectories
        balls, _panel = self.book_plane([main, low, gd], steps=False)
        self.show_gradient_step(balls[0])
        for ball in balls:
            self.show_step(ball)
        self.show_balls()
        self.caption(
            _("white: the gradient's own step −η·g; coloured: the real step −η·v, with v ← β·v + g"), hold=1.5
        )
        self.roll_to(4, seconds=4.5)
        self.caption(_("along x2 the gradient flips sign each step and v averages it away"), hold=1.2)
        self.roll_to(self.last_step)
        self.caption(
            _("β = {b:g}: ({x1:.6f}, {x2:.6f}) after {n} steps, where gd with η = {lr:g} blew up").format(
                b=main.settings.beta, x1=main.end[0], x2=main.end[1], n=main.steps, lr=gd.settings.lr
            ),
            hold=2.0,
        )
        self.caption(
            _("β = {b:g}: less memory, ({x1:.6f}, {x2:.6f})").format(
                b=low.settings.beta, x1=low.end[0], x2=low.end[1]
            ),
            hold=2.0,
        )
