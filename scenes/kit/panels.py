"""The panel column a scene shows beside its plot: the title, the step, the learning rate, and
per ball the numbers the story needs, live; the legend. A part of StoryScene
(scenes.kit.story): it builds each panel in the layout's column, shows it on the stage and
returns it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UL, Line, VGroup, VMobject

from scenes.kit.labels import Box
from scenes.kit.layout import regions
from scenes.kit.mathtext import Size, math, text
from scenes.kit.plot import Plot
from scenes.kit.readouts import FONT, NUMBER_SIZE, Readouts, name_math, name_text, series_feed
from scenes.kit.stage import Stage
from scenes.words.i18n import _
from scenes.words.terms import coordinate_names

CLEAR = 0.22  # between the panel's rows and the x axis' label


class Column:
    """The panel column: its title, then panels whose numbers are moving parts."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.title_mob: VMobject | None = None
        self.panels: list[Readouts] = []  # annotations keep clear of them
        stage.plot.on_layout.append(self._follow_layout)

    def _follow_layout(self, _regions: Any) -> None:
        if self.title_mob is not None:  # a new layout: the title to the top of its column
            self.place_title(self.title_mob)

    @property
    def plot(self) -> Plot:
        return self.stage.plot

    def ball_readouts(self, show_lr: bool = False) -> Readouts:
        """Step, then per ball its optimizer with every hyper-parameter in force and its live
        coordinates; f on a row of its own while the column has room for it (up to two balls
        on a plane, and above the column's floor); the learning rate in force, for schedules.
        The rest of the numbers are in beats.json and `roll trajectory`."""
        names = coordinate_names(self.plot.landscape)
        with_f = len(self.stage.balls) <= 2 or len(names) == 1
        panel = self._ball_rows(show_lr, with_f)
        if panel.overflow and with_f:
            panel = self._ball_rows(show_lr, with_f=False)
        return self.add(panel)

    def _ball_rows(self, show_lr: bool, with_f: bool) -> Readouts:
        left, bottom, right, top = self.box()
        panel = Readouts(left=left, top=top, width=right - left, row=0.46, floor=bottom)
        self.step_row(panel)
        panel.gap(0.06)
        balls = self.stage.balls
        names = coordinate_names(self.plot.landscape)
        for ball in balls:
            tr = ball.traj
            panel.header(ball.name, ball.color, style=ball.style)
            index = balls.index_of(ball)
            cols = [(tex, plain, tr.points[:, k]) for k, (tex, plain) in enumerate(names)]
            panel.cells([(name_math(tex, plain), series_feed(arr, index), arr) for tex, plain, arr in cols])
            rows = [("f", "f", tr.values)] if with_f else []
            if show_lr and tr.lrs is not None:  # the rate in force
                rows.append((r"\eta", "η", tr.lrs))
            if rows:
                cells = [(name_math(tex, plain), series_feed(arr, index), arr) for tex, plain, arr in rows]
                panel.cells(cells)
            panel.gap(0.06)
        return panel

    # ---- readouts ------------------------------------------------------------
    def readouts(
        self,
        dim_names: Sequence[str] = ("x",),
        extra: dict[int, list[tuple[str, str, np.ndarray]]] | None = None,
        gradients: bool = True,
    ) -> Readouts:
        """Step and learning rate, then per ball: x (y), f, gradient (and `extra` rows, as
        (tex, plain, values per step) by ball index), updated in place."""
        left, bottom, right, top = self.box()
        panel = Readouts(left=left, top=top, width=right - left, floor=bottom)
        self.step_row(panel)
        balls = self.stage.balls
        # η as the balls' rules have it: adadelta has none, a schedule changes it every step
        with_lr = [b for b in balls if "lr" in b.traj.settings.hyperparameters]
        scheduled = [b for b in with_lr if b.traj.settings.schedule != "constant" and b.traj.lrs is not None]
        if len(with_lr) == 1 and scheduled:
            ball = scheduled[0]
            panel.live(name_math(r"\eta", "η"), series_feed(ball.traj.lrs, balls.index_of(ball)))
        elif with_lr:
            lrs = sorted({b.traj.settings.lr for b in with_lr})
            lr_text = ", ".join(f"{v:g}" for v in lrs)
            panel.row(name_math(r"\eta", "η"), name_math(lr_text, lr_text, size=NUMBER_SIZE))
        panel.gap()
        for b, ball in enumerate(balls):
            sym = "g" if ball.traj.settings.landscape == "g" else "f"
            grad_names = (
                [(f"{sym}'(x)", f"{sym}′(x)")]
                if len(dim_names) == 1
                else [(rf"\partial {sym}/\partial {n}", f"∂{sym}/∂{n}") for n in dim_names]
            )
            panel.header(ball.name, ball.color, style=ball.style)
            series: list[tuple[str, str, np.ndarray]] = [
                (n, n, ball.traj.points[:, k]) for k, n in enumerate(dim_names)
            ]
            fname = f"{sym}(x)" if len(dim_names) == 1 else f"{sym}({', '.join(dim_names)})"
            series.append((fname, fname, ball.traj.values))
            if gradients:
                series += [(tex, plain, ball.traj.grads[:, k]) for k, (tex, plain) in enumerate(grad_names)]
            series += (extra or {}).get(b, [])
            for tex, plain, arr in series:
                panel.live(name_math(tex, plain), series_feed(arr, balls.index_of(ball)))
            panel.gap()
        return self.add(panel)

    def step_row(self, panel: Readouts) -> None:
        """The step counter every panel starts with."""
        n_max, tracker = self.stage.balls.last_step, self.stage.step
        step = name_text(_("step"), size=Size.NAME)
        panel.live(step, lambda: min(int(tracker.get_value()), n_max), digits=0)

    def add(self, panel: Readouts) -> Readouts:
        """Show a panel: its static rows now, its numbers as moving parts (see show_balls).
        Annotations keep clear of it."""
        panel.close_up()
        self.panels.append(panel)
        self.plot.keep_left_of(panel)
        self.stage.overlay(panel)
        self.plot.block(panel, *panel.numbers)
        for num, feed in panel.feeds:
            self.stage.live.add(num)
            self._live(num, feed)
        return panel

    def _live(self, num: Any, value: Callable[[], float]) -> None:
        """Update a number in place each frame (only when its value changed)."""

        def update(m: Any) -> None:
            v = value()
            if v != m.get_value():
                m.set_value(v)

        self.stage.movers.append((num, update))

    def place_title(self, t: VMobject) -> None:
        """Top left of the panel column; a formula wider than the column breaks, as a slide
        would: after ", " between formulas, after "=", then before a "+" or "−" outside
        brackets, as few lines as fit. Only a part too wide for a line of its own is shrunk."""
        panel = self._column()
        width = panel[2] - panel[0]
        words = getattr(t, "original_text", "")
        glyphs = t.submobjects
        if not hasattr(t, "one_line"):  # where each glyph sat on one line, from the first
            t.one_line = [g.get_center() - glyphs[0].get_center() for g in glyphs]
        for g, at in zip(glyphs, t.one_line, strict=True):  # a new layout: break afresh
            g.move_to(glyphs[0].get_center() + at)
        if t.width > width and len(glyphs) == len(words.replace(" ", "")):
            lines = formula_lines(words, glyphs, width)
            if len(lines) > 2 and not hasattr(t, "set_smaller"):  # over two lines: one size down
                t.set_smaller = True
                t.scale(Size.TITLE_LONG / Size.TITLE)
                t.one_line = [at * Size.TITLE_LONG / Size.TITLE for at in t.one_line]
                lines = formula_lines(words, glyphs, width)
            pitch = t.height + 0.12
            for k, (a, b) in enumerate(lines[1:], start=1):
                line = VGroup(*glyphs[a:b])
                line.shift(LEFT * (line.get_left()[0] - glyphs[0].get_left()[0]) + DOWN * pitch * k)
        if t.width > width:
            t.scale_to_fit_width(width)
        t.move_to([panel[0], panel[3], 0], aligned_edge=UL)
        self.plot.block(t)

    def title(self, tex: str | None = None, plain: str | None = None) -> VMobject:
        """The formula, at the top of the panel column."""
        ls = self.plot.landscape
        t = math(tex or ls.latex, plain or ls.plain, font_size=Size.TITLE)
        self.title_mob = t
        self.place_title(t)
        self.stage.overlay(t)
        return t

    def _column(self) -> Box:
        plot = self.plot
        return plot.regions.panel if plot.regions else regions("plane", 7 / 6).panel

    def box(self) -> Box:
        """Where readouts go: the panel column under the title, and above the x axis' label
        where that label, at the axis' end, reaches into the column."""
        panel = self._column()
        top = self.title_mob.get_bottom()[1] - 0.4 if self.title_mob is not None else panel[3] - 0.25
        bottom = panel[1]
        label = self.plot.x_label
        if label is not None and label.family_members_with_points():
            if label.get_right()[0] > panel[0] - CLEAR and label.get_top()[1] > bottom - CLEAR:
                bottom = label.get_top()[1] + CLEAR
        return (panel[0], bottom, panel[2], top)

    def legend(self, entries: Sequence[tuple[str, Any]]) -> VGroup:
        """Coloured line samples with names, a row each, at the top of the panel column (under
        the title): never over the plot or under the caption."""
        items = VGroup(
            *(
                VGroup(
                    Line(ORIGIN, RIGHT * 0.5, color=color, stroke_width=6),
                    text(name, font_size=FONT, color=color),
                ).arrange(RIGHT, buff=0.15)
                for name, color in entries
            )
        ).arrange(DOWN, buff=0.14, aligned_edge=LEFT)
        left, _bottom, right, top = self.box()
        if items.width > right - left:
            items.scale_to_fit_width(right - left)
        items.move_to([left, top + 0.15, 0], aligned_edge=UL)
        self.title_mob = VGroup(*([self.title_mob] if self.title_mob is not None else []), items)
        self.stage.overlay(items)
        self.plot.block(items)
        return items


def formula_breaks(words: str) -> list[tuple[int, int]]:
    """Where a formula may break, best first, as (rank, glyph index a new line starts at):
    after ", " between formulas, after "=", before "+" or "−", each outside brackets."""
    out, depth, glyph = [], 0, 0
    for i, ch in enumerate(words):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and ch == " ":
            before, after = words[:i].rstrip(), words[i + 1 :].lstrip()
            if before.endswith(","):
                out.append((0, glyph))
            elif before.endswith("="):
                out.append((1, glyph))
            elif after[:1] in "+−" and not before.endswith(("+", "−")):
                out.append((2, glyph))
        glyph += not ch.isspace()
    return out


def formula_lines(words: str, glyphs: Sequence[VMobject], width: float) -> list[tuple[int, int]]:
    """The lines (first glyph, past the last) of a formula broken to fit `width`: the fewest
    lines, and among those the best-ranked breaks (after "," before after "=" before at "+")."""
    n = len(glyphs)
    rank = {g: r for r, g in sorted(formula_breaks(words), reverse=True) if 0 < g < n}

    def span(a: int, b: int) -> float:
        return glyphs[b - 1].get_right()[0] - glyphs[a].get_left()[0]

    # best[i]: (lines, ranks' sum, where the line from i ends) for the formula from glyph i
    best: dict[int, tuple[int, int, int]] = {n: (0, 0, n)}
    for i in sorted([0, *rank], reverse=True):
        later = [e for e in [*rank, n] if e > i]
        ends = [e for e in later if span(i, e) <= width] or [min(later)]  # too wide: its own line
        best[i] = min((best[e][0] + 1, best[e][1] + rank.get(e, 0), e) for e in ends)
    lines, start = [], 0
    while start < n:
        end = best[start][2]
        lines.append((start, end))
        start = end
    return lines
