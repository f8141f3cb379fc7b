"""x² − y² as a surface: the ball rolls in along x, then slides off along y."""

from __future__ import annotations

import numpy as np

from landscapes import classify
from scenes.kit.i18n import _
from scenes.kit.palette import palette
from scenes.kit.readouts import FONT
from scenes.kit.surface import SurfaceScene
from scenes.kit.words import kind_words, optimizer_label


class SaddleSurface(SurfaceScene):
    story_name = "saddle-surface"
    roll_seconds = 8.0

    def construct(self) -> None:
        (traj,) = self.trajectories
        (x0, x1), (y0, y1) = self.landscape.domain
        self.setup_surface([x0, x1, 0.5], [y0, y1, 0.5], [-1, 1, 0.5])
        self.title()
        ball = self.add_ball(traj, optimizer_label(traj.settings), radius=0.16)
        panel = self.readouts(top=2.9, dim_names=("x", "y"))
        hess = classify(self.landscape, [0.0, 0.0])
        eig = ", ".join(f"{v:g}".replace("-", "−") for v in sorted(hess.eigenvalues, reverse=True))
        facts = type(panel)(top=panel.bottom - 0.35, row=0.4)
        facts.words(_("Hessian at (0, 0):"), size=FONT - 2)
        facts.words(_("eigenvalues: {values}").format(values=eig), color=palette().note, size=FONT - 2)
        facts.words(_("→ a {kind}").format(kind=kind_words(hess.kind)), color=palette().note, size=FONT - 2)
        self.add_panel(facts)
        self.show_balls()
        self.caption(
            _("start ({x:g}, {y:g}): almost on the x-axis").format(x=traj.points[0, 0], y=traj.points[0, 1]),
            hold=0.6,
        )

        inward = self.first_step(ball, np.abs(traj.points[:, 0]) < 0.05 * abs(traj.points[0, 0]))
        self.roll_to(inward)
        self.caption(_("rolls in along x: ∂f/∂x = 2x shrinks, ∂f/∂y = −2y grows"), hold=0.6)
        self.roll_to(self.last_step)
        if traj.status == "left_domain":
            self.caption(
                _("slides off along y: off the map at y = {y:.2f} after {n} steps").format(
                    y=traj.end[1], n=traj.steps
                ),
                hold=2.0,
            )
        else:
            self.conclude([ball], _("still near the saddle: x → 0 and y grows slowly"))
