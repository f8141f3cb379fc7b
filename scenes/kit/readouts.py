"""The readout panel: rows of name and live value at the right of the frame.

A `Readouts` is a VGroup of the static parts (names, headers, fixed values); its live
numbers are kept beside it in `numbers`, because the scene adds them last, as moving parts,
so that Cairo draws the static panel once per animation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import LEFT, ORIGIN, RIGHT, UP, Dot, VGroup, VMobject

from scenes.kit.captions import wrap
from scenes.kit.mathtext import Size, math, text
from scenes.kit.numbers import LiveNumber
from scenes.kit.palette import palette

PANEL_X = 2.3  # left edge of the readout column when no layout says otherwise
PANEL_WIDTH = 4.5
ROW = 0.5  # a row of Size.NUMBER digits and Size.NAME names, with air between rows
FONT = Size.HEADER  # words in the panel
CONTINUED_GAP = 0.05  # between a text's rows
NUMBER_SIZE = Size.NUMBER

Feed = Callable[[], float]


class Readouts(VGroup):
    """A column of readout rows, top-down from (left, top)."""

    def __init__(
        self,
        left: float = PANEL_X,
        top: float = 2.6,
        width: float = PANEL_WIDTH,
        row: float = ROW,
        floor: float | None = None,
    ) -> None:
        super().__init__()
        self.left, self.y, self.panel_width, self.row_height = left, top, width, row
        self.top = top
        self.floor = floor  # the rows keep above it (the caption, an axis label at the plot's end)
        self.later: list[VMobject] = []  # rows kept free for parts shown later (compare's verdicts)
        self.numbers: list[LiveNumber] = []
        self.feeds: list[tuple[LiveNumber, Feed]] = []

    @property
    def right(self) -> float:
        return self.left + self.panel_width

    @property
    def bottom(self) -> float:
        """The y of the next row: where more parts may go under the panel."""
        return self.y + self.row_height / 2

    @property
    def overflow(self) -> float:
        """How far the rows so far reach under the floor (0: they keep above it)."""
        return 0.0 if self.floor is None else max(self.floor - self.bottom, 0.0)

    def close_up(self) -> None:
        """Rows that reach under the floor close up towards the top: every text keeps its
        size, the air between rows is given up (a shrunk panel read under 9 px at 480p)."""
        if not self.overflow:
            return
        k = (self.top - self.floor) / (self.top - self.bottom)

        def to(y: float) -> float:
            return self.top - (self.top - y) * k

        for m in [*self.submobjects, *self.later]:
            m.shift(UP * (to(m.get_y()) - m.get_y()))
        for n in self.numbers:
            n.place([n.anchor[0], to(n.anchor[1]), 0])
        self.y = to(self.y)

    def gap(self, height: float = 0.12) -> Readouts:
        self.y -= height
        return self

    def row(self, label: VMobject, value: VMobject | None = None, indent: float = 0.0) -> Readouts:
        """A name on the left (`indent` in) and a fixed value flush right."""
        self.add(label.move_to([self.left + indent, self.y, 0], aligned_edge=LEFT))
        if value is not None:
            self.add(value.move_to([self.right, self.y, 0], aligned_edge=RIGHT))
        self.y -= self.row_height
        return self

    def live(
        self,
        label: VMobject,
        feed: Feed,
        digits: int = 3,
        size: float = NUMBER_SIZE,
    ) -> LiveNumber:
        """A name on the left and a number flush right that follows `feed` every frame
        (`digits` significant; 0 for a whole number)."""
        self.add(label.move_to([self.left, self.y, 0], aligned_edge=LEFT))
        num = self._number(feed, digits, size).place([self.right, self.y, 0])
        self.y -= self.row_height
        return num

    def cells(
        self,
        cells: Sequence[tuple[VMobject, Feed, Sequence[float]]],
        size: float = NUMBER_SIZE,
        digits: int = 3,
    ) -> None:
        """Several name/number pairs on one row, each as wide as its widest value needs
        (`values` are every value the number will show), so they never run together."""
        gap_in, gap_out = 0.12, 0.36
        nums = [self._number(feed, digits, size) for _, feed, _ in cells]
        widths = [n.widest(vals) for n, (_, _, vals) in zip(nums, cells, strict=True)]
        total = sum(lab.width + gap_in + w for (lab, _, _), w in zip(cells, widths, strict=True))
        total += gap_out * (len(cells) - 1)
        if total > self.panel_width:  # fewer digits before anything overlaps
            for n in nums:
                n.digits = 2
            widths = [n.widest(vals) for n, (_, _, vals) in zip(nums, cells, strict=True)]
            total = sum(lab.width + gap_in + w for (lab, _, _), w in zip(cells, widths, strict=True))
            total += gap_out * (len(cells) - 1)
        if total > self.panel_width and len(cells) > 1:  # still too wide: a row per number
            self.numbers = self.numbers[: -len(nums)]
            self.feeds = self.feeds[: -len(nums)]
            for lab, feed, _vals in cells:
                self.live(lab, feed, digits=2, size=size)
            return
        x = self.left
        for (lab, _, _), num, w in zip(cells, nums, widths, strict=True):
            self.add(lab.move_to([x, self.y, 0], aligned_edge=LEFT))
            x += lab.width + gap_in + w
            num.place([x, self.y, 0])
            x += gap_out
        self.y -= self.row_height

    def header(self, name: str, color: object, size: float = FONT, style: object = None) -> Readouts:
        """A ball's marker (its shape and edge, as on the plot) and name, in its colour. A name
        too long for the column (adam with both betas) goes on in rows under it, at the same
        size, broken between its settings: shrunk, its subscripts fell under 9 px at 480p."""
        if style is not None:
            from scenes.kit.markers import ball_marker

            key = ball_marker(style, ORIGIN, 0.1)
        else:
            key = Dot(radius=0.09, color=color).set_stroke(palette().ball_edge, 1.5, background=False)
        indent = key.width + 0.15
        lines = wrap(name, self.panel_width - indent, size)
        head = VGroup(key, text(lines[0], font_size=size, color=color)).arrange(RIGHT, buff=0.15)
        self._fit(head)
        self.row(head)
        for line in lines[1:]:
            self._continue(self._fit(text(line, font_size=size, color=color), indent), indent)
        return self

    def _continue(self, mob: VMobject, indent: float) -> None:
        """A text's next row: a row down, or further where a tall line (β₁'s descender and
        subscript) would touch the one above."""
        above = self[-1].get_bottom()[1]
        self.y = min(self.y, above - CONTINUED_GAP - mob.height / 2)
        self.row(mob, indent=indent)

    def _fit(self, mob: VMobject, indent: float = 0.0) -> VMobject:
        """Only a single word wider than the column (a plugin's long class name) is shrunk."""
        if mob.width > self.panel_width - indent:
            mob.scale_to_fit_width(self.panel_width - indent)
        return mob

    def wrapped(
        self,
        words: str,
        color: object | None = None,
        size: float = FONT,
        indent: float = 0.0,
        later: bool = False,
    ) -> VGroup:
        """Words in rows as wide as the column (`indent` in), at `size`: never shrunk. `later`:
        their rows are kept free, and the words are returned to be shown later."""
        color = color or palette().text
        rows = VGroup()
        for k, line in enumerate(wrap(words, self.panel_width - indent, size)):
            mob = self._fit(text(line, font_size=size, color=color), indent)
            rows.add(mob)
            if k:
                self._continue(mob, indent)
            else:
                self.row(mob, indent=indent)
        if later:
            self.remove(*rows)
            self.later.append(rows)
        return rows

    def words(
        self, name: str, value: str | None = None, color: object | None = None, size: float = FONT
    ) -> Readouts:
        """A row of words (and a value in words flush right)."""
        color = color or palette().text
        shown = text(value, font_size=size, color=color) if value else None
        return self.row(text(name, font_size=size, color=color), shown)

    def _number(self, feed: Feed, digits: int, size: float) -> LiveNumber:
        num = LiveNumber(feed(), digits=digits, font_size=size, color=palette().text)
        self.numbers.append(num)
        self.feeds.append((num, feed))
        return num


def series_feed(values: np.ndarray, index: Callable[[], int]) -> Feed:
    """A feed that reads one array at the current step index."""
    return lambda: float(values[index()])


def name_text(words: str, size: float = FONT) -> VMobject:
    return text(words, font_size=size, color=palette().text)


def name_math(tex: str, plain: str, size: float = Size.NAME) -> VMobject:
    return math(tex, plain, font_size=size, color=palette().text)
