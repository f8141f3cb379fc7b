"""Empirical risk and risk on a real model, side by side on one plane through its weights:
the training loss (the sample's) and the held-out loss (a fresh sample's), the same path on
both, each surface's minimum marked."""

from __future__ import annotations

from manim import VGroup

from scenes.kit.layout import EDGE, FRAME, LABEL_ROOM, Y_TICK_ROOM
from scenes.kit.mathtext import Size, flat, text
from scenes.kit.network_parts import NetworkScene
from scenes.kit.palette import ball_color
from scenes.kit.readouts import FONT, Readouts
from scenes.narration.beats import Label
from scenes.narration.network import model_words
from scenes.words.i18n import _

STEP_WIDTH = 2.2  # the step counter at the title's right
HEAD = 0.55  # a plane's header row: its loss's name and live value


class Generalization(NetworkScene):
    story_name = "generalization"
    roll_seconds = 10.0
    beads = False

    def construct(self) -> None:
        rec = self.record
        net = rec.run.net
        # the step counter at the title's right, the two planes side by side under it
        steps = Readouts(left=FRAME[2] - EDGE - STEP_WIDTH, top=FRAME[3] - 0.5, width=STEP_WIDTH, row=0.44)
        self.words_title(
            _("{model} on {n} points of {data}: empirical risk and risk").format(
                model=model_words(net), n=net.samples, data=net.data
            ),
            size=Size.SMALLEST,
            width=steps.left - 0.3 - (FRAME[0] + 0.3),
        )
        r = self.under_title()
        left, bottom, _right, top = r.plot
        right = FRAME[2] - EDGE - LABEL_ROOM
        width = (right - left - LABEL_ROOM - Y_TICK_ROOM) / 2
        head_top = top - 0.1
        top = head_top - HEAD
        self.planes = []
        for k, loss in enumerate(("train", "test")):
            at = left + k * (width + LABEL_ROOM + Y_TICK_ROOM)
            plane = self.slice_plane(
                loss, width=width, height=top - bottom, left=at, centre_y=(top + bottom) / 2
            )
            self.planes.append(plane)
            ball = self.add_ball(self.trajectories[k], self.narration.names[k], radius=0.09)
            head = Readouts(left=at, top=head_top - 0.22, width=width, row=0.44)
            name = _("empirical risk (training)") if k == 0 else _("risk (held-out)")
            values = rec.run.train_loss if k == 0 else rec.run.test_loss
            # the number right after the name (cells measure its widest value), not flush
            # right, where a long name would run into it
            head.cells(
                [(flat(text(name, font_size=FONT, color=ball_color(k))), self._feed(values, ball), values)]
            )
            self.column.add(head)
        self.column.step_row(steps)  # once the balls are in: it counts to their last step
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
