"""The readout panel: rows of name and live value at the right of the frame.

A `Readouts` is a VGroup of the static parts (names, headers, fixed values); its live
numbers are kept beside it in `numbers`, because the scene adds them last, as moving parts,
so that Cairo draws the static panel once per animation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import LEFT, ORIGIN, RIGHT, Dot, VGroup, VMobject

from scenes.kit.mathtext import Size, math, text
from scenes.kit.numbers import LiveNumber
from scenes.kit.palette import palette

PANEL_X = 2.3  # left edge of the readout column when no layout says otherwise
PANEL_WIDTH = 4.5
ROW = 0.5  # a row of Size.NUMBER digits and Size.NAME names, with air between rows
FONT = Size.HEADER  # words in the panel
NUMBER_SIZE = Size.NUMBER

Feed = Callable[[], float]


class Readouts(VGroup):
    """A column of readout rows, top-down from (left, top)."""

    def __init__(
        self, left: float = PANEL_X, top: float = 2.6, width: float = PANEL_WIDTH, row: float = ROW
    ) -> None:
        super().__init__()
        self.left, self.y, self.panel_width, self.row_height = left, top, width, row
        self.numbers: list[LiveNumber] = []
        self.feeds: list[tuple[LiveNumber, Feed]] = []

    @property
    def right(self) -> float:
        return self.left + self.panel_width

    @property
    def bottom(self) -> float:
        """The y of the next row: where more parts may go under the panel."""
        return self.y + self.row_height / 2

    def gap(self, height: float = 0.12) -> Readouts:
        self.y -= height
        return self

    def row(self, label: VMobject, value: VMobject | None = None) -> Readouts:
        """A name on the left and a fixed value flush right."""
        self.add(label.move_to([self.left, self.y, 0], aligned_edge=LEFT))
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
        """A ball's marker (its shape and edge, as on the plot) and name, in its colour."""
        if style is not None:
            from scenes.kit.markers import ball_marker

            key = ball_marker(style, ORIGIN, 0.1)
        else:
            key = Dot(radius=0.09, color=color).set_stroke(palette().ball_edge, 1.5, background=False)
        head = VGroup(key, text(name, font_size=size, color=color)).arrange(RIGHT, buff=0.15)
        if head.width > self.panel_width:  # a long legend (adam with both betas) stays in the panel
            head.scale_to_fit_width(self.panel_width)
        return self.row(head)

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
