"""Newton's method: x ← x − η·f′/f″. On cosh(0.5x) it reaches 0 in a few steps where
gradient descent crawls; on x·cos(0.15πx) with η 1 it walks to a maximum (f″ < 0 there and
the rule does not care), with η 0.5 to a minimum."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import Mark, StoryScene
from scenes.kit.words import settings_label


class NewtonsMethod(StoryScene):
    story_name = "newton"
    clip_to_view = False
    roll_seconds = 5.0

    def construct(self) -> None:
        first = [t for t in self.trajectories if t.settings.landscape == self.settings.landscape]
        second = [t for t in self.trajectories if t.settings.landscape != self.settings.landscape]
        self.act(first, [-11, 11], 5)
        newton, gd = self.balls
        self.conclude(
            self.balls,
            _(
                "Newton: x = {x:.6f} after {n} steps; gradient descent (η = {lr:g}) is still at {g:.3f}"
            ).format(x=newton.traj.end[0], n=newton.traj.steps, lr=gd.traj.settings.lr, g=gd.traj.end[0]),
            hold=2.0,
        )
        if not second:
            return
        self.new_act(second[0].settings.landscape_obj)
        self.act(second, [-2, 30], 5)
        walk, half = self.balls
        self.conclude(
            self.balls,
            _("η = {a:g} walks to a maximum, x = {x:.4f}; η = {b:g} to a minimum, x = {y:.4f}").format(
                a=walk.traj.settings.lr, x=walk.traj.end[0], b=half.traj.settings.lr, y=half.traj.end[0]
            ),
            marks=[
                Mark(walk.traj.end[0], walk.traj.values[-1], _("maximum: f″ < 0")),
                Mark(half.traj.end[0], half.traj.values[-1], _("minimum")),
            ],
            hold=2.0,
        )

    def act(self, trajectories: list, x_range: list[float], x_step: float) -> None:
        self.title()
        self.plot(x_range, x_step=x_step)
        balls = [self.add_ball(t, settings_label(t.settings)) for t in trajectories]
        for ball in balls:
            self.show_tangent(ball)
            self.show_step(ball)
        self.ball_readouts(left=2.9, width=4.0)
        self.show_balls()
        self.caption(_("Newton's step is η·f′/f″: the slope divided by the curvature"), hold=1.0)
        self.roll_to(3, seconds=2.5)
        self.roll_to(self.last_step)
