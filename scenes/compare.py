"""One landscape, one start, several optimizers at once: who is caught, who escapes.

1D landscapes are drawn as a curve with the balls on it; 2D ones as a banded heat map
(a filled-contour view from above) with the balls moving over it.
"""

from __future__ import annotations

import numpy as np
from manim import LEFT, RIGHT, WHITE, Dot, ManimColor, VGroup, VMobject

from landscapes import Settings, Trajectory, classify, sample
from scenes.custom import view_range
from scenes.kit import FONT, NUMBER_SIZE, Ball, StoryScene
from scenes.mathtext import math, text
from scenes.numbers import LiveNumber

BANDS = 12
PANEL = 2.3  # left edge of the legend: wider than the chapter scenes' readouts
PANEL_WIDTH = 4.5


def describe(s: Settings) -> str:
    """'gd η=0.02' / 'sgd η=0.02 σ=3': the legend's settings for one ball."""
    out = f"{s.optimizer} η={s.lr:g}"
    if s.optimizer == "momentum":
        out += f" β={s.momentum:g}"
    if s.noise:
        out += f" σ={s.noise:g}"
    return out


class CompareOptimizers(StoryScene):
    """Several optimizers from one start on a 1D landscape."""

    story_name = "compare"

    def construct(self) -> None:
        self.title()
        domain = self.landscape.domain[0] if self.landscape.domain else None
        self.plot(view_range(self.trajectories[0], 0, domain), width=8.2)
        self.compare()

    def compare(self) -> None:
        for traj in self.trajectories:
            self.add_ball(traj, describe(traj.settings))
        self.legend_panel()
        self.show_balls()
        names = ", ".join(t.settings.optimizer for t in self.trajectories)
        self.caption(f"the same start for {names}", hold=0.6)
        self.roll_to(self.last_step)
        self.verdicts()
        self.caption(self.summary(), hold=2.0)

    def legend_panel(self, top: float = 2.7) -> None:
        """Per ball: its optimizer and settings, then live x (y) and f on one line."""
        static = VGroup()
        y = top
        dims = ("x", "y")[: self.landscape.dim]
        self.verdict_rows: list[float] = []
        for ball in self.balls:
            header = VGroup(
                Dot(radius=0.09, color=ball.color).set_stroke(WHITE, 1.5, background=False),
                text(ball.name, font_size=FONT - 6, color=ball.color),
            ).arrange(RIGHT, buff=0.15)
            static.add(header.move_to([PANEL, y, 0], aligned_edge=LEFT))
            y -= 0.42
            cols = [*((d, ball.traj.points[:, k]) for k, d in enumerate(dims)), ("f", ball.traj.values)]
            width = PANEL_WIDTH / len(cols)
            for c, (name, arr) in enumerate(cols):
                x0 = PANEL + c * width
                static.add(math(name, name, font_size=NUMBER_SIZE - 6).move_to([x0, y, 0], aligned_edge=LEFT))
                num = LiveNumber(arr[0], decimals=3 if len(cols) == 3 else 4, font_size=NUMBER_SIZE - 6)
                num.place([x0 + width - 0.12, y, 0])
                self.live.add(num)
                self._live(num, lambda arr=arr, ball=ball: float(arr[ball.index(self.step.get_value())]))
            y -= 0.4
            self.verdict_rows.append(y)
            y -= 0.5
        self.overlay(static)

    def verdicts(self) -> None:
        """Where each ball ended, under its readouts."""
        rows = VGroup()
        for ball, y in zip(self.balls, self.verdict_rows, strict=True):
            rows.add(
                text(self.verdict(ball), font_size=FONT - 6, color=ball.color).move_to(
                    [PANEL + 0.3, y, 0], aligned_edge=LEFT
                )
            )
        self.fade(rows, seconds=0.5)

    def verdict(self, ball: Ball) -> str:
        tr = ball.traj
        if tr.status in ("diverged", "left_domain"):
            return "→ " + tr.status.replace("_", " ")
        kind = classify(self.landscape, tr.end).kind
        kind = "still moving" if kind == "not critical" else kind
        return f"→ {kind}, f = {tr.values[-1]:.3f}"

    def summary(self) -> str:
        """Who got lowest, and who was caught higher up."""
        best = min(b.traj.values[-1] for b in self.balls)
        low = [b.traj.settings.optimizer for b in self.balls if b.traj.values[-1] <= best + 0.01]
        high = [b.traj.settings.optimizer for b in self.balls if b.traj.values[-1] > best + 0.01]
        text = f"lowest (f = {best:.3f}): {', '.join(low)}"
        return text + (f"; caught higher: {', '.join(high)}" if high else "")


class CompareOptimizersPlane(CompareOptimizers):
    """Several optimizers from one start on a 2D landscape, seen from above."""

    def construct(self) -> None:
        self.title()
        domain = self.landscape.domain or (None, None)
        xr = view_range(self.trajectories[0], 0, domain[0])
        yr = view_range(self.trajectories[0], 1, domain[1])
        self.make_axes(xr, yr, width=6.2, height=5.6, x_label="x", y_label="y")
        self.bring_to_back(self.heatmap(xr, yr))
        self.compare()

    def heatmap(self, xr: list[float], yr: list[float]) -> VGroup:
        """Banded colours of f over the plane: a filled-contour view. One VMobject per band,
        made of square cells (manim 0.22's ImageMobject fails with current Pillow)."""
        n = 60
        xe, ye = np.linspace(xr[0], xr[1], n + 1), np.linspace(yr[0], yr[1], n + 1)
        xc, yc = (xe[1:] + xe[:-1]) / 2, (ye[1:] + ye[:-1]) / 2
        z = sample(self.landscape, xc, yc)  # (rows: y, cols: x)
        finite = z[np.isfinite(z)]
        lo, hi = np.percentile(finite, [2, 98]) if finite.size else (0.0, 1.0)
        band = np.floor(np.clip((np.nan_to_num(z, nan=lo) - lo) / max(hi - lo, 1e-12), 0, 0.999) * BANDS)
        low, high = np.array([0.08, 0.16, 0.32]), np.array([0.90, 0.75, 0.35])
        bands = VGroup()
        for b in range(BANDS):
            cells = np.argwhere(band == b)
            if not len(cells):
                continue
            rgb = low + (high - low) * b / (BANDS - 1)
            shape = VMobject(fill_color=ManimColor.from_rgb(rgb), fill_opacity=0.9, stroke_width=0)
            for i, j in cells:
                corners = [
                    self.axes.c2p(xe[j], ye[i]),
                    self.axes.c2p(xe[j + 1], ye[i]),
                    self.axes.c2p(xe[j + 1], ye[i + 1]),
                    self.axes.c2p(xe[j], ye[i + 1]),
                ]
                shape.start_new_path(corners[0])
                shape.add_points_as_corners([*corners[1:], corners[0]])
            bands.add(shape)
        return bands

    def scene_points(self, traj: Trajectory) -> np.ndarray:
        (x0, x1), (y0, y1) = self.axes.x_range[:2], self.axes.y_range[:2]
        x, y = np.clip(traj.points[:, 0], x0, x1), np.clip(traj.points[:, 1], y0, y1)
        return np.array([self.axes.c2p(a, b) for a, b in zip(x, y, strict=True)])
