"""tanh from x = 4: f' ≈ 0.0013, the ball crawls while one from a steep start runs."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import Mark, StoryScene


class VanishingGradient(StoryScene):
    story_name = "vanishing-gradient"

    def construct(self) -> None:
        crawl_traj, steep_traj = self.trajectories
        self.title()
        self.plot(self.landscape.domain[0])
        crawl = self.add_ball(crawl_traj, _("start x = {x:g}").format(x=crawl_traj.points[0, 0]))
        steep = self.add_ball(steep_traj, _("start x = {x:g}").format(x=steep_traj.points[0, 0]))
        self.show_tangent(crawl)
        for ball in (crawl, steep):
            self.show_step(ball)
        self.readouts()
        self.show_balls()
        self.mark(Mark(crawl_traj.points[0, 0], crawl_traj.values[0], _("vanishing gradient")))
        self.caption(
            _("f′({x:g}) ≈ {g:.4f}: crawling").format(x=crawl_traj.points[0, 0], g=crawl_traj.grads[0, 0]),
            hold=0.8,
        )
        self.roll_to(self.last_step)
        moved = abs(crawl_traj.end[0] - crawl_traj.points[0, 0])
        ran = abs(steep_traj.end[0] - steep_traj.points[0, 0])
        if steep_traj.status == "left_domain":
            words = _(
                "after {n} steps the crawler moved {moved:.3f}; the steep start ran {ran:.2f} to the edge"
            )
        else:
            words = _("after {n} steps the crawler moved {moved:.3f}; the steep start ran {ran:.2f}")
        self.conclude([crawl], words.format(n=crawl_traj.steps, moved=moved, ran=ran))
