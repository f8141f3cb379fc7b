"""A real network's training loss on the plane of its path: the ball rolls on the slice, the
readouts give the true losses and the distance off the plane, both loss curves grow beside it.
With --optimizers, a ball per optimizer on one plane fitted to all their paths."""

from __future__ import annotations

from scenes.kit.network_parts import NetworkScene
from scenes.kit.readouts import FONT, Readouts, name_text, series_feed
from scenes.narration.network import model_words, plane_words
from scenes.words.i18n import _


class NetworkLandscape(NetworkScene):
    story_name = "network"
    roll_seconds = 10.0

    def construct(self) -> None:
        rec = self.record
        net = rec.run.net
        many = len(self.trajectories) > 1
        title = _("training loss of {model} on {data}, over {plane}").format(
            model=model_words(net), data=net.data, plane=plane_words(net.plane)
        )
        if many:
            title = _("training loss of {model} on {data}: {k} optimizers, one plane").format(
                model=model_words(net), data=net.data, k=len(self.trajectories)
            )
        self.words_title(title)
        self.slice_plane("train", width=7.9, height=5.4, left=-5.9, centre_y=-0.15)
        names = self.narration.names
        balls = [self.add_ball(t, name, radius=0.1) for t, name in zip(self.trajectories, names, strict=True)]
        panel = Readouts(left=2.75, top=2.7, width=4.1, row=0.44)
        self.column.step_row(panel)
        if many:
            for ball in balls:
                run = ball.traj.net.run
                panel.header(ball.name, ball.color, size=FONT - 8)
                cells = [
                    (name_text(words, size=FONT - 8), series_feed(values, self.balls.index_of(ball)), values)
                    for words, values in ((_("training"), run.train_loss), (_("held-out"), run.test_loss))
                ]
                panel.cells(cells)
            self.column.add(panel)
        else:
            ball = balls[0]
            self.live_row(panel, _("training loss"), rec.run.train_loss, ball)
            self.live_row(panel, _("held-out loss"), rec.run.test_loss, ball)
            self.live_row(panel, _("off the plane"), rec.distance, ball)
            self.column.add(panel)
            self.loss_curves(ball, left=3.45, top=0.35, width=3.3, height=2.0)
        self.show_balls()
        self.tell(self.narration.beats)
