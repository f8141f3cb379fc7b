"""x1² + 2·x2² from (−5, −2), η 0.1: gradient descent seen from above, as the book draws it."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import StoryScene


class GradientDescent2D(StoryScene):
    story_name = "gd-2d"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        (traj,) = self.trajectories
        (ball,), _panel = self.book_plane()
        self.show_balls()
        self.caption(
            _("each step is −η·∇f: across the contour lines, steeper along x2, so x2 settles first"), hold=1.0
        )
        if traj.steps >= 5:  # the book's run; a shorter one (--steps, a blow-up) skips this beat
            self.roll_to(5, seconds=3.5)
            self.caption(
                _("after 5 steps x2 = {x2:.3f} while x1 = {x1:.3f}").format(
                    x1=traj.points[5, 0], x2=traj.points[5, 1]
                ),
                hold=1.0,
            )
        self.roll_to(self.last_step)
        self.conclude(
            [ball],
            _("after {n} steps: (x1, x2) = ({x1:.6f}, {x2:.6f})").format(
                n=traj.steps, x1=traj.end[0], x2=traj.end[1]
            ),
            hold=2.5,
        )
