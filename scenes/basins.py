"""Many balls released at once on f or g: each minimum's basin of attraction, coloured.

All balls come from one batched trajectory run. At the end the balls take the colour of
the minimum they reached, and each ball's stretch of the x-axis (half-way to its
neighbours) is shaded in that colour: the basins.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, Dot, Rectangle, VGroup

from landscapes import classify
from scenes.kit.mathtext import text
from scenes.kit.palette import ball_color, palette
from scenes.kit.readouts import FONT, PANEL_X, Readouts, name_math
from scenes.kit.story import StoryScene
from scenes.narration.beyond import group_ends
from scenes.words.i18n import _
from scenes.words.terms import kind_words


class Basins(StoryScene):
    story_name = "basins"

    def construct(self) -> None:
        self.column.title()
        ((lo, hi),) = self.landscape.domain
        self.add(self.plot.graph([lo, hi]))
        neutral = palette().neutral
        for traj, name in zip(self.trajectories, self.narration.names, strict=True):
            ball = self.add_ball(traj, name, radius=0.1, color=neutral)
            ball.trail.set_stroke(neutral, width=1.5, opacity=1.0)  # 3:1 on the background, as every trail
        self.panel = self.column.add(self.make_panel())
        self.show_balls()
        self.say(self.narration.beats[0])
        self.roll_to(self.balls.last_step)
        self.colour_basins()

    def make_panel(self) -> Readouts:
        panel = Readouts()
        self.column.step_row(panel)
        lr = f"{self.settings.lr:g}"
        panel.row(name_math(r"\eta", "η", size=FONT + 8), name_math(lr, lr))
        panel.words(_("balls"), str(len(self.balls)))
        return panel

    def colour_basins(self) -> None:
        ends = np.array([b.traj.end[0] for b in self.balls])
        labels, centres = group_ends(ends)
        colours = [ball_color(k) for k in range(len(centres))]
        starts = np.array([b.traj.points[0, 0] for b in self.balls])
        ((lo, hi),) = self.landscape.domain
        edges = np.concatenate([[lo], (starts[1:] + starts[:-1]) / 2, [hi]]) if len(starts) > 1 else [lo, hi]
        y0, y1 = self.plot.axes.y_range[:2]
        shades = VGroup()
        for k, ball in enumerate(self.balls):
            ball.dot.set_color(colours[labels[k]])
            ball.trail.set_stroke(colours[labels[k]], opacity=1.0)
            left, right = self.plot.axes.c2p(edges[k], y0), self.plot.axes.c2p(edges[k + 1], y1)
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
            kind_text = _("near a minimum") if kind == "not critical" else kind_words(kind)
            head = VGroup(
                Dot(radius=0.09, color=colours[c]).set_stroke(palette().ball_edge, 1.5, background=False),
                text(
                    _("{kind} x = {x:.2f}").format(kind=kind_text, x=centre),
                    font_size=FONT - 6,
                    color=palette().text,  # the key's dot carries the colour: words at 4.5:1
                ),
            ).arrange(RIGHT, buff=0.15)
            words = _("1 ball") if count == 1 else _("{n} balls").format(n=count)
            legend.add(
                VGroup(head, text(words, font_size=FONT - 6, color=palette().text)).arrange(
                    DOWN, aligned_edge=LEFT, buff=0.1
                )
            )
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        legend.move_to([PANEL_X, self.panel.bottom - 0.2, 0], aligned_edge=UL)
        self.fade(legend, seconds=0.6)
        self.say(self.narration.beats[1])
