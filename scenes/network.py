"""A real network's training loss on the plane of its path: the ball rolls on the slice, the
readouts give the true losses and the distance off the plane, both loss curves grow beside it.
With --optimizers, a ball per optimizer on one plane fitted to all their paths."""

from __future__ import annotations

from scenes.kit.network_parts import SMALL, NetworkScene
from scenes.kit.readouts import Readouts, name_text, series_feed
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
        r = self.with_panel(4.9 if many else 4.4)  # a ball's two losses side by side
        self.column_title(title)
        left, bottom, right, top = r.plot
        self.slice_plane(
            "train", width=right - left, height=top - bottom, left=left, centre_y=(top + bottom) / 2
        )
        names = self.narration.names
        balls = [self.add_ball(t, name, radius=0.1) for t, name in zip(self.trajectories, names, strict=True)]
        p_left, p_bottom, p_right, p_top = r.panel
        top_rows = self.title_words.get_bottom()[1] - 0.45
        panel = Readouts(left=p_left, top=top_rows, width=p_right - p_left, row=0.44)
        self.column.step_row(panel)
        if many:
            for ball in balls:
                run = ball.traj.net.run
                panel.header(ball.name, ball.color, size=SMALL)
                cells = [
                    (name_text(words, size=SMALL), series_feed(values, self.balls.index_of(ball)), values)
                    for words, values in ((_("training"), run.train_loss), (_("held-out"), run.test_loss))
                ]
                panel.cells(cells, size=SMALL + 2)  # both on one row: a ball's losses in two rows
            self.column.add(panel)
        else:
            ball = balls[0]
            self.live_row(panel, _("training loss"), rec.run.train_loss, ball)
            self.live_row(panel, _("held-out loss"), rec.run.test_loss, ball)
            self.live_row(panel, _("off the plane"), rec.distance, ball)
            self.column.add(panel)
            # the curves under the readouts, their keys above them, their numbers in the panel
            c_top = panel.bottom - 1.0
            c_bottom = p_bottom + 0.45
            self.loss_curves(
                ball, left=p_left + 0.75, top=c_top, width=p_right - p_left - 0.85, height=c_top - c_bottom
            )
        self.show_balls()
        self.tell(self.narration.beats)
