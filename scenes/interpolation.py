"""Both losses on the straight line from the initial to the final weights (Goodfellow et al.
2015): each step at its foot on the line, the readouts with the run's own losses and how far
the path strays from the line."""

from __future__ import annotations

import numpy as np
from manim import DL, DR

from scenes.kit.axes import curve, curve_points
from scenes.kit.network_parts import NetworkScene, line_axes
from scenes.kit.palette import ball_color
from scenes.kit.readouts import Readouts
from scenes.narration.network import model_words
from scenes.words.i18n import _

PANEL = 3.9  # the readouts need "at the step" and a loss side by side; the plot keeps 50 %


class Interpolation(NetworkScene):
    story_name = "interpolation"
    roll_seconds = 9.0

    def construct(self) -> None:
        from landscapes.network.story import slice_landscape

        rec = self.record
        net = rec.run.net
        r = self.with_panel(PANEL)
        self.column_title(
            _("{model} on {data}: both losses on the line from init (α = 0) to end (α = 1)").format(
                model=model_words(net), data=net.data
            )
        )
        left, bottom, right, top = r.plot
        y_max = float(max(rec.slice.train.max(), rec.slice.test.max()))
        axes, labels = line_axes(
            rec.bounds[0], y_max, right - left, top - bottom, left, (top + bottom) / 2, right
        )
        self.plot.axes, self.plot.axis_labels = axes, labels
        self.add(axes.drawn, labels)  # the box, its ticks and numbers (the Axes only map)
        self.plot.block(labels, *axes.x_axis.numbers, *axes.y_axis.numbers)
        self.plot.obstacles.add_line(np.array([axes.frame.get_corner(DL), axes.frame.get_corner(DR)]))
        self.plot.area = (left, bottom, right, top)
        for k, loss in enumerate(("train", "test")):
            pts = curve_points(self.plot.axes, slice_landscape(rec, loss), rec.bounds[0])
            self.plot.obstacles.add_line(pts)
            self.add(curve(pts, ball_color(k)))
        balls = [self.add_ball(self.trajectories[k], self.narration.names[k], radius=0.1) for k in range(2)]
        sway = np.abs(rec.coords[:, 1]) * np.linalg.norm(rec.plane.axes[1])
        off_line = np.sqrt(rec.distance**2 + sway**2)
        p_left, _p_bottom, p_right, p_top = r.panel
        top_rows = self.title_words.get_bottom()[1] - 0.45
        panel = Readouts(left=p_left, top=top_rows, width=p_right - p_left, row=0.44)
        self.column.step_row(panel)
        self.live_row(panel, "α", rec.coords[:, 0], balls[0])
        panel.header(self.narration.names[0], ball_color(0))
        self.live_row(panel, _("at the step"), rec.run.train_loss, balls[0])
        self.live_row(panel, _("on the line"), balls[0].traj.values, balls[0])
        panel.header(self.narration.names[1], ball_color(1))
        self.live_row(panel, _("at the step"), rec.run.test_loss, balls[1])
        self.live_row(panel, _("on the line"), balls[1].traj.values, balls[1])
        panel.gap()
        self.live_row(panel, _("off the line"), off_line, balls[0])
        self.column.add(panel)
        self.show_balls()
        self.tell(self.narration.beats)
