"""x² from 10, ten steps of gradient descent: η 0.05 crawls, 0.2 arrives, 1.1 overshoots
ever wider. The step each ball is about to take is drawn as an arrow."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import StoryScene
from scenes.kit.words import settings_label


class LearningRate(StoryScene):
    story_name = "learning-rate"
    clip_to_view = False  # η = 1.1 leaves the view, as its numbers do
    roll_seconds = 11.0

    def construct(self) -> None:
        by_lr = sorted(self.trajectories, key=lambda t: t.settings.lr)
        self.title()
        self.plot([-20, 20], width=8.0, x_step=5)
        balls = [self.add_ball(t, settings_label(t.settings)) for t in by_lr]
        for ball in balls:
            self.show_step(ball)
        self.ball_readouts(left=2.45, width=4.4)
        self.show_balls()
        slow, mid, wild = balls
        self.caption(
            _("x² from x = {x:g}: the same {n} steps of gradient descent, three learning rates").format(
                x=mid.traj.points[0, 0], n=mid.traj.steps
            ),
            hold=1.0,
        )
        if wild.traj.steps >= 3:  # the book's run; a shorter one skips this beat
            self.roll_to(3, seconds=4.5)
            self.caption(
                _("η = {lr:g}: each step jumps past 0 and lands farther out, x = {x:.2f}").format(
                    lr=wild.traj.settings.lr, x=wild.traj.points[3, 0]
                ),
                hold=1.2,
            )
        self.roll_to(self.last_step)
        self.caption(
            _("η = {lr:g} crawls: x = {x:.6f} after {n} steps").format(
                lr=slow.traj.settings.lr, x=slow.traj.end[0], n=slow.traj.steps
            ),
            hold=1.5,
        )
        self.caption(
            _("η = {lr:g} arrives: x = {x:.6f} after {n} steps").format(
                lr=mid.traj.settings.lr, x=mid.traj.end[0], n=mid.traj.steps
            ),
            hold=1.5,
        )
        self.caption(
            _("η = {lr:g}: each step lands farther out, |x| = {x:.6f} after {n} steps").format(
                lr=wild.traj.settings.lr, x=abs(wild.traj.end[0]), n=wild.traj.steps
            ),
            hold=2.5,
        )
