"""tanh from x = 4: f' ≈ 0.0013, the ball crawls while one from a steep start runs."""

from __future__ import annotations

from scenes.kit import StoryScene


class VanishingGradient(StoryScene):
    story_name = "vanishing-gradient"

    def construct(self) -> None:
        crawl_traj, steep_traj = self.trajectories
        self.title()
        self.plot(self.landscape.domain[0])
        crawl = self.add_ball(crawl_traj, f"start x = {crawl_traj.points[0, 0]:g}")
        self.add_ball(steep_traj, f"start x = {steep_traj.points[0, 0]:g}")
        self.readouts()
        self.show_balls()
        self.marker(crawl_traj.points[0, 0], crawl_traj.values[0], "vanishing gradient", at=(2.2, 0.3))
        self.caption(f"f′({crawl_traj.points[0, 0]:g}) ≈ {crawl_traj.grads[0, 0]:.4f}: crawling", hold=0.8)
        self.roll_to(self.last_step)
        if self.status_caption(crawl):
            return
        moved = abs(crawl_traj.end[0] - crawl_traj.points[0, 0])
        ran = abs(steep_traj.end[0] - steep_traj.points[0, 0])
        where = " to the domain's edge" if steep_traj.status == "left_domain" else ""
        self.caption(
            f"after {crawl_traj.steps} steps the crawler moved {moved:.3f}; "
            f"the steep start ran {ran:.2f}{where}",
            hold=2.0,
        )
