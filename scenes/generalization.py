"""Empirical risk and risk on a real model, side by side on one plane through its weights:
the training loss (the sample's) and the held-out loss (a fresh sample's), the same path on
both, each surface's minimum marked."""

from __future__ import annotations

from manim import VGroup

from scenes.kit.mathtext import flat, text
from scenes.kit.network_parts import NetworkScene
from scenes.kit.palette import ball_color
from scenes.kit.readouts import FONT, Readouts
from scenes.narration.beats import Label
from scenes.narration.network import model_words
from scenes.words.i18n import _


class Generalization(NetworkScene):
    story_name = "generalization"
    roll_seconds = 10.0

    def construct(self) -> None:
        rec = self.record
        net = rec.run.net
        self.words_title(
            _("{model} on {n} points of {data}: empirical risk and risk").format(
                model=model_words(net), n=net.samples, data=net.data
            ),
            size=FONT - 4,
        )
        self.planes = []
        for k, (loss, left) in enumerate((("train", -5.95), ("test", 1.15))):
            plane = self.slice_plane(loss, width=5.4, height=4.7, left=left, centre_y=-0.45)
            self.planes.append(plane)
            ball = self.add_ball(self.trajectories[k], self.narration.names[k], radius=0.09)
            head = Readouts(left=left, top=2.45, width=5.4, row=0.44)
            name = _("empirical risk (training)") if k == 0 else _("risk (held-out)")
            values = rec.run.train_loss if k == 0 else rec.run.test_loss
            head.live(
                flat(text(name, font_size=FONT, color=ball_color(k))),
                self._feed(values, ball),
            )
            self.column.add(head)
        steps = Readouts(left=4.75, top=3.55, width=2.0, row=0.44)
        self.column.step_row(steps)
        self.column.add(steps)
        self.plot.use_plane(self.planes[0])
        self.show_balls()
        self.tell(self.narration.beats)

    def _feed(self, values, ball):
        index = self.balls.index_of(ball)
        return lambda: float(values[index()])

    def mark(self, label: Label) -> VGroup:
        """A minimum's label goes on the plane of its loss."""
        self.plot.use_plane(self.planes[label.ball or 0])
        return super().mark(label)
