"""Many balls released at once on f or g: each minimum's basin of attraction, coloured.

All balls come from one batched trajectory run. At the end the balls take the colour of
the minimum they reached, and each ball's stretch of the x-axis (half-way to its
neighbours) is shaded in that colour: the basins.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, WHITE, Dot, ManimColor, Rectangle, VGroup

from landscapes import classify
from scenes.kit import BALL_COLORS, FONT, NUMBER_SIZE, PANEL_X, StoryScene, label_for
from scenes.mathtext import math, text
from scenes.numbers import LiveNumber

NEUTRAL = ManimColor("#e0e0e0")
SAME_MINIMUM = 1e-3  # end points closer than this reached the same minimum


def group_ends(ends: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Label each end point by the minimum it reached (sorted by x); returns labels, centres."""
    order = np.argsort(ends)
    labels = np.empty(len(ends), dtype=int)
    centres: list[list[float]] = []
    for i in order:
        if centres and abs(ends[i] - centres[-1][-1]) < SAME_MINIMUM:
            centres[-1].append(ends[i])
        else:
            centres.append([ends[i]])
        labels[i] = len(centres) - 1
    return labels, [float(np.mean(c)) for c in centres]


class Basins(StoryScene):
    story_name = "basins"

    def construct(self) -> None:
        self.title()
        ((lo, hi),) = self.landscape.domain
        self.plot([lo, hi])
        for k, traj in enumerate(self.trajectories):
            ball = self.add_ball(traj, f"ball {k + 1}", radius=0.1)
            ball.dot.set_color(NEUTRAL)
            ball.trail.set_stroke(NEUTRAL, width=1.5, opacity=0.35)
        self.panel()
        self.show_balls()
        self.caption(f"{len(self.balls)} balls released at once ({label_for(self.settings)})", hold=0.6)
        self.roll_to(self.last_step)
        self.colour_basins()

    def panel(self) -> None:
        n_max = self.last_step
        step = LiveNumber(0, decimals=0, include_sign=False, font_size=NUMBER_SIZE)
        step.place([PANEL_X + 3.3, 2.6, 0])
        self.live.add(step)
        self._live(step, lambda: min(int(self.step.get_value()), n_max))
        lr = f"{self.settings.lr:g}"
        rows = VGroup(
            text("step", font_size=FONT).move_to([PANEL_X, 2.6, 0], aligned_edge=LEFT),
            math(r"\eta", "η", font_size=FONT + 8).move_to([PANEL_X, 2.14, 0], aligned_edge=LEFT),
            math(lr, lr, font_size=NUMBER_SIZE).move_to([PANEL_X + 3.3, 2.14, 0], aligned_edge=RIGHT),
            text("balls", font_size=FONT).move_to([PANEL_X, 1.68, 0], aligned_edge=LEFT),
            text(str(len(self.balls)), font_size=FONT).move_to([PANEL_X + 3.3, 1.68, 0], aligned_edge=RIGHT),
        )
        self.overlay(rows)

    def colour_basins(self) -> None:
        ends = np.array([b.traj.end[0] for b in self.balls])
        labels, centres = group_ends(ends)
        colours = [BALL_COLORS[k % len(BALL_COLORS)] for k in range(len(centres))]
        starts = np.array([b.traj.points[0, 0] for b in self.balls])
        ((lo, hi),) = self.landscape.domain
        edges = np.concatenate([[lo], (starts[1:] + starts[:-1]) / 2, [hi]]) if len(starts) > 1 else [lo, hi]
        y0, y1 = self.axes.y_range[:2]
        shades = VGroup()
        for k, ball in enumerate(self.balls):
            ball.dot.set_color(colours[labels[k]])
            ball.trail.set_stroke(colours[labels[k]], opacity=0.5)
            left, right = self.axes.c2p(edges[k], y0), self.axes.c2p(edges[k + 1], y1)
            shades.add(
                Rectangle(
                    width=right[0] - left[0],
                    height=right[1] - left[1],
                    stroke_width=0,
                    fill_color=colours[labels[k]],
                    fill_opacity=0.16,
                ).move_to((left + right) / 2)
            )
        self.bring_to_back(shades)
        legend = VGroup()
        for c, centre in enumerate(centres):
            count = int(np.sum(labels == c))
            kind = classify(self.landscape, [centre]).kind
            kind = "near a minimum" if kind == "not critical" else kind
            head = VGroup(
                Dot(radius=0.09, color=colours[c]).set_stroke(WHITE, 1.5, background=False),
                text(f"{kind} x = {centre:.2f}", font_size=FONT - 6, color=colours[c]),
            ).arrange(RIGHT, buff=0.15)
            balls = text(f"{count} ball{'s' if count != 1 else ''}", font_size=FONT - 6, color=colours[c])
            legend.add(VGroup(head, balls).arrange(DOWN, aligned_edge=LEFT, buff=0.1))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        legend.move_to([PANEL_X, 0.9, 0], aligned_edge=UL)
        self.fade(legend, seconds=0.6)
        self.caption(f"{len(centres)} minima reached: each shaded stretch is one minimum's basin", hold=2.0)
