"""0.1·x1² + 2·x2² from (−5, −2): gradient descent with η 0.4 crawls along the flat x1;
η 0.6 overshoots along the steep x2, farther each step, out of view."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import StoryScene


class IllConditioned(StoryScene):
    story_name = "ill-conditioned"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        calm, wild = sorted(self.trajectories, key=lambda t: t.settings.lr)
        self.book_plane([calm, wild])
        self.show_balls()
        self.caption(_("x2 is 20 times steeper than x1: one learning rate must suit both"), hold=1.0)
        if wild.steps >= 3:  # the book's run; a shorter one skips this beat
            self.roll_to(3, seconds=4.0)
            self.caption(
                _("η = {lr:g}: every step along x2 overshoots farther, x2 = {x2:.2f} at step 3").format(
                    lr=wild.settings.lr, x2=wild.points[3, 1]
                ),
                hold=1.2,
            )
        self.roll_to(self.last_step)
        self.caption(
            _("η = {lr:g} crawls along x1: ({x1:.6f}, {x2:.6f}) after {n} steps").format(
                lr=calm.settings.lr, x1=calm.end[0], x2=calm.end[1], n=calm.steps
            ),
            hold=1.5,
        )
        self.caption(
            _("η = {lr:g} blew up along x2, out of view: ({x1:.6f}, {x2:.6f}) after {n} steps").format(
                lr=wild.settings.lr, x1=wild.end[0], x2=wild.end[1], n=wild.steps
            ),
            warn=True,
            hold=2.5,
        )
