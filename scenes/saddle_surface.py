"""x² − y² as a surface: the ball rolls in along x, then slides off along y. The camera starts
wide, turns to show the saddle's two directions (up along x, down along y), and ends looking
along the direction in which the ball escapes."""

from __future__ import annotations

import numpy as np

from landscapes import classify
from scenes.kit.camera3d import Pose
from scenes.kit.mathtext import Size
from scenes.kit.palette import palette
from scenes.kit.surface import WIDE, SurfaceScene
from scenes.words.i18n import _
from scenes.words.terms import kind_words

ACROSS = Pose(phi=62.0, theta=-18.0, zoom=1.0)  # x rolls toward the viewer, y's hump side-on


def escape_pose(end: np.ndarray) -> Pose:
    """Behind the saddle and above it, looking along the way the ball left it (from (0, 0) to
    its end): high enough that sliding away and down shows as a climb up the picture."""
    d = np.asarray(end[:2], dtype=float)
    theta = float(np.degrees(np.arctan2(-d[1], -d[0]))) if np.linalg.norm(d) > 1e-9 else -90.0
    return Pose(phi=42.0, theta=theta, zoom=1.0)


class SaddleSurface(SurfaceScene):
    story_name = "saddle-surface"
    roll_seconds = 8.0

    def construct(self) -> None:
        traj = self.trajectories["ball"]
        (x0, x1), (y0, y1) = self.landscape.domain
        self.setup_surface([x0, x1, 0.5], [y0, y1, 0.5], [-1, 1, 0.5], pose=WIDE)
        self.column.title()
        self.add_ball(traj, self.narration.names[0], radius=0.16)
        panel = self.column.readouts(dim_names=("x", "y"))
        hess = classify(self.landscape, [0.0, 0.0])
        eig = ", ".join(f"{v:g}".replace("-", "−") for v in sorted(hess.eigenvalues, reverse=True))
        floor = self.column.box()[1]
        facts = type(panel)(panel.left, panel.bottom - 0.3, panel.panel_width, row=0.46, floor=floor)
        small = Size.SMALLEST  # three facts under five readouts: a line each, at the least size
        facts.wrapped(_("Hessian at (0, 0):"), size=small)
        facts.wrapped(_("eigenvalues: {values}").format(values=eig), color=palette().note, size=small)
        facts.wrapped(_("→ a {kind}").format(kind=kind_words(hess.kind)), color=palette().note, size=small)
        self.column.add(facts)
        self.show_balls()
        beats = self.narration.beats
        # wide for the start; across the saddle while it rolls in; along the escape at the end
        poses = [None] + [ACROSS] * (len(beats) - 2) + [escape_pose(traj.end)] if len(beats) > 1 else [None]
        self.tell_with_camera(beats, poses)
