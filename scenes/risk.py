"""Risk f and empirical risk g: the same start settles at two different minima."""

from __future__ import annotations

from scenes.kit.palette import palette
from scenes.kit.story import StoryScene
from scenes.words.i18n import _


class RiskVsEmpiricalRisk(StoryScene):
    story_name = "risk"

    def construct(self) -> None:
        g_traj, f_traj = self.trajectories["g"], self.trajectories["f"]
        domain = g_traj.settings.landscape_obj.domain[0]
        f_ls = f_traj.settings.landscape_obj
        f_color, g_color = palette().curves
        self.column.title(
            r"f(x) = x\cos(\pi x), \quad g(x) = f(x) + 0.2\cos(5\pi x)",
            "f(x) = x·cos(πx),  g(x) = f(x) + 0.2·cos(5πx)",
        )
        self.add(
            self.plot.graph(
                domain, [f_ls, g_traj.settings.landscape_obj], y_label=_("risk"), colors=(f_color, g_color)
            )
        )
        self.column.legend([(_("f: risk"), f_color), (_("g: empirical risk"), g_color)])
        self.add_ball(g_traj, self.label_of("g"))
        self.add_ball(f_traj, self.label_of("f"))
        self.column.readouts(gradients=False)
        self.show_balls()
        self.tell(self.narration.beats)
