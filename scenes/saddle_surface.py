"""x² − y² as a surface: the ball rolls in along x, then slides off along y."""

from __future__ import annotations

from landscapes import classify
from scenes.kit.palette import palette
from scenes.kit.readouts import FONT
from scenes.kit.surface import SurfaceScene
from scenes.words.i18n import _
from scenes.words.terms import kind_words


class SaddleSurface(SurfaceScene):
    story_name = "saddle-surface"
    roll_seconds = 8.0

    def construct(self) -> None:
        traj = self.trajectories["ball"]
        (x0, x1), (y0, y1) = self.landscape.domain
        self.setup_surface([x0, x1, 0.5], [y0, y1, 0.5], [-1, 1, 0.5])
        self.column.title()
        self.add_ball(traj, self.narration.names[0], radius=0.16)
        panel = self.column.readouts(dim_names=("x", "y"))
        hess = classify(self.landscape, [0.0, 0.0])
        eig = ", ".join(f"{v:g}".replace("-", "−") for v in sorted(hess.eigenvalues, reverse=True))
        facts = type(panel)(left=panel.left, top=panel.bottom - 0.3, width=panel.panel_width, row=0.46)
        facts.words(_("Hessian at (0, 0):"), size=FONT)
        facts.words(_("eigenvalues: {values}").format(values=eig), color=palette().note, size=FONT)
        facts.words(_("→ a {kind}").format(kind=kind_words(hess.kind)), color=palette().note, size=FONT)
        self.column.add(facts)
        self.show_balls()
        self.tell(self.narration.beats)
