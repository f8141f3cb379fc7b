"""RMSProp on 0.1·x1² + 2·x2²: s ← γ·s + (1 − γ)·g², a leaky average, so s stops growing
and the steps stay alive where adagrad's stall."""

from __future__ import annotations

from scenes.kit.i18n import _
from scenes.kit.story import StoryScene


class RMSProp(StoryScene):
    story_name = "rmsprop"
    clip_to_view = False
    roll_seconds = 10.0

    def construct(self) -> None:
        balls, panel = self.book_plane()
        self.state_bars(balls, panel)
        self.show_balls()
        self.caption(
            _("bars: √s per coordinate; rmsprop's s forgets old gradients, adagrad's only adds"), hold=1.2
        )
        self.roll_to(6, seconds=4.0)
        self.caption(_("as the gradients shrink, rmsprop's s shrinks too: its steps stay long"), hold=1.2)
        self.roll_to(self.last_step)
        rms, ada = balls
        self.conclude(
            balls,
            _("rmsprop reaches ({x1:.6f}, {x2:.6f}); adagrad stalls at ({y1:.6f}, {y2:.6f})").format(
                x1=rms.traj.end[0], x2=rms.traj.end[1], y1=ada.traj.end[0], y2=ada.traj.end[1]
            ),
            hold=2.5,
        )
