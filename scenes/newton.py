"""Newton's method: x ← x − η·f′/f″. On cosh(0.5x) it reaches 0 in a few steps where
gradient descent crawls; on x·cos(0.15πx) with η 1 it walks to a maximum (f″ < 0 there and
the rule does not care), with η 0.5 to a minimum."""

from __future__ import annotations

from scenes.kit.story import StoryScene


class NewtonsMethod(StoryScene):
    story_name = "newton"
    clip_to_view = False
    roll_seconds = 5.0

    def construct(self) -> None:
        beats = self.narration.beats
        for act in sorted({b.act for b in beats}):
            # act 0 is the main ball's landscape (cosh), act 1 the other (x·cos(0.15πx))
            balls = [
                name
                for name, t in zip(self.trajectories.names, self.trajectories, strict=True)
                if (t.settings.landscape == self.settings.landscape) == (act == 0)
            ]
            if act:
                self.new_act(self.trajectories[balls[0]].settings.landscape_obj)
            self.act(balls, [[-11, 11], [-2, 30]][act], 5)
            self.tell([b for b in beats if b.act == act])

    def act(self, balls: list[str], x_range: list[float], x_step: float) -> None:
        self.column.title()
        self.add(self.plot.graph(x_range, x_step=x_step))
        added = [self.add_ball(self.trajectories[name], self.label_of(name)) for name in balls]
        for ball in added:
            self.pointers.tangent(ball)
            self.pointers.step(ball)
        self.column.ball_readouts()
        self.show_balls()
