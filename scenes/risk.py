"""Risk f and empirical risk g: the same start settles at two different minima."""

from __future__ import annotations

from manim import ManimColor

from scenes.kit import StoryScene

F_COLOR = ManimColor("#b39ddb")
G_COLOR = ManimColor("#9aa5b1")


class RiskVsEmpiricalRisk(StoryScene):
    story_name = "risk"

    def construct(self) -> None:
        g_traj, f_traj = self.trajectories
        domain = g_traj.settings.landscape_obj.domain[0]
        f_ls = f_traj.settings.landscape_obj
        self.title(
            r"f(x) = x\cos(\pi x), \quad g(x) = f(x) + 0.2\cos(5\pi x)",
            "f(x) = x·cos(πx),  g(x) = f(x) + 0.2·cos(5πx)",
        )
        self.plot(domain, [f_ls, g_traj.settings.landscape_obj], y_label="risk", colors=(F_COLOR, G_COLOR))
        self.legend([("f: risk", F_COLOR), ("g: empirical risk", G_COLOR)])
        g_ball = self.add_ball(g_traj, "ball on g")
        f_ball = self.add_ball(f_traj, "ball on f")
        self.readouts()
        self.show_balls()
        self.caption("the same start, the same learning rate, on f and on g", hold=0.8)
        self.roll_to(self.last_step)
        if self.status_caption(g_ball) or self.status_caption(f_ball):
            return
        self.marker(g_traj.end[0], g_traj.values[-1], "min of empirical risk", at=(0.75, -1.3))
        self.marker(f_traj.end[0], f_traj.values[-1], "min of risk", at=(1.2, -0.45))
        self.caption(
            f"they settle apart: g at x = {g_traj.end[0]:.3f}, f at x = {f_traj.end[0]:.3f}", hold=2.0
        )
