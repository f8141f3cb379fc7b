"""A real network's training loss on the plane of its path: the ball rolls on the slice, the
readouts give the true losses and the distance off the plane, both loss curves grow beside it."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.network_parts import NetworkScene
from scenes.kit.readouts import Readouts
from scenes.narration.network import model_words, plane_words


class NetworkLandscape(NetworkScene):
    story_name = "network"
    roll_seconds = 10.0

    def construct(self) -> None:
        rec = self.record
        net = rec.run.net
        self.words_title(
            _("training loss of {model} on {data}, over {plane}").format(
                model=model_words(net), data=net.data, plane=plane_words(net.plane)
            )
        )
        self.slice_plane("train", width=7.9, height=5.4, left=-5.9, centre_y=-0.15)
        ball = self.add_ball(self.trajectories[0], self.narration.names[0], radius=0.1)
        panel = Readouts(left=2.75, top=2.7, width=4.1, row=0.44)
        self.step_row(panel)
        self.live_row(panel, _("training loss"), rec.run.train_loss, ball)
        self.live_row(panel, _("held-out loss"), rec.run.test_loss, ball)
        self.live_row(panel, _("off the plane"), rec.distance, ball, decimals=3)
        self.add_panel(panel)
        self.loss_curves(ball, left=3.45, top=0.35, width=3.3, height=2.0)
        self.show_balls()
        self.tell(self.narration.beats)
