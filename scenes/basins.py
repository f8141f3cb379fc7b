"""Many balls released at once on f or g: each minimum's basin of attraction, coloured.

All balls come from one batched trajectory run, before the first frame: so each ball is
released in the colour of the minimum it will reach (and that basin's marker shape), and
where two basins meet the first steps are watched from close. At the end each ball's
stretch of the x-axis (half-way to its neighbours) is shaded in its colour: the basins.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from manim import DOWN, LEFT, RIGHT, UL, Dot, Rectangle, VGroup

from landscapes import classify
from scenes.kit.mathtext import Size, text
from scenes.kit.palette import ball_color, ball_style, palette
from scenes.kit.readouts import Readouts, name_math
from scenes.kit.story import StoryScene
from scenes.narration.beats import Beat
from scenes.words.i18n import _
from scenes.words.terms import kind_words


class Basins(StoryScene):
    rows_per_ball = False  # its legend has a row per basin
    story_name = "basins"

    def construct(self) -> None:
        self.column.title()
        ((lo, hi),) = self.landscape.domain
        self.add(self.plot.graph([lo, hi]))
        groups = self.narration.extras["groups"]
        radius = self.radius()
        for traj, name, group in zip(self.trajectories, self.narration.names, groups, strict=True):
            # the basin's colour and marker from the release: where the ball will end (the
            # numbers are computed before the first frame); its style's dash stays off, the
            # trails are thin
            style = replace(ball_style(int(group)), dash=None)
            ball = self.add_ball(traj, name, radius=radius, color=ball_color(int(group)))
            ball.style = style
            ball.dot.become(self.make_dot(ball.coords[ball.index(0)], radius, style.color, style))
            ball.trail.set_stroke(style.color, width=1.5, opacity=1.0)
        self.panel = self.column.add(self.make_panel())
        self.show_balls()
        opening, *rest, verdict = self.narration.beats
        self.say(opening)
        self.tell(rest)  # where two basins meet, from close
        self.roll_to(self.balls.last_step)
        self.colour_basins(verdict)

    def radius(self) -> float:
        """0.1, or less where starts crowd: neighbouring balls keep a gap of their own size."""
        starts = np.sort([t.points[0, 0] for t in self.trajectories])
        if len(starts) < 2:
            return 0.1
        unit = self.plot.axes.c2p(1.0, 0.0)[0] - self.plot.axes.c2p(0.0, 0.0)[0]
        return float(min(0.1, max(0.03, 0.25 * np.min(np.diff(starts)) * unit)))

    def make_panel(self) -> Readouts:
        """Step, η and the count of balls, in the layout's panel column (beside the plot)."""
        left, _bottom, right, top = self.column.box()
        panel = Readouts(left=left, top=top, width=right - left)
        self.column.step_row(panel)
        lr = f"{self.settings.lr:g}"
        panel.row(name_math(r"\eta", "η"), name_math(lr, lr))
        panel.words(_("balls"), str(len(self.balls)))
        return panel

    def colour_basins(self, verdict: Beat) -> None:
        labels, centres = self.narration.extras["groups"], self.narration.extras["centres"]
        colours = [ball_color(k) for k in range(len(centres))]
        starts = np.array([b.traj.points[0, 0] for b in self.balls])
        ((lo, hi),) = self.landscape.domain
        edges = np.concatenate([[lo], (starts[1:] + starts[:-1]) / 2, [hi]]) if len(starts) > 1 else [lo, hi]
        y0, y1 = self.plot.axes.y_range[:2]
        shades = VGroup()
        for k, _ball in enumerate(self.balls):
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
                    font_size=Size.SMALLEST,
                    color=palette().text,  # the key's dot carries the colour: words at 4.5:1
                ),
            ).arrange(RIGHT, buff=0.15)
            words = _("1 ball") if count == 1 else _("{n} balls").format(n=count)
            legend.add(
                VGroup(head, text(words, font_size=Size.SMALLEST, color=palette().text)).arrange(
                    DOWN, aligned_edge=LEFT, buff=0.1
                )
            )
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        left = self.column.box()[0]
        legend.move_to([left, self.panel.bottom - 0.2, 0], aligned_edge=UL)
        self.fade(legend, seconds=0.6)
        self.say(verdict)
