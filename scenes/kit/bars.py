"""Optimizer state as bars: adagrad's and rmsprop's per-coordinate s, so the viewer sees
why the step along a steep coordinate shrinks (and, with a leaky average, stops shrinking)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DOWN, Line, VGroup, VMobject

from scenes.kit.mathtext import Size, math
from scenes.kit.numbers import LiveNumber
from scenes.kit.palette import palette

BAR_WIDTH = 0.42
GAP = 0.9


class StateBars(VGroup):
    """One bar per coordinate; a bar's height is √s (the divisor of the step) over the
    largest √s of the run, so bars of different balls and coordinates compare directly.
    The static parts (baseline, names) are this group; `bars` and `numbers` move."""

    def __init__(
        self,
        values: np.ndarray,  # (steps + 1, dims): s per step and coordinate
        names: Sequence[tuple[str, str]],  # (tex, plain) per coordinate
        color: Any,
        origin: Sequence[float],  # bottom-left of the chart
        height: float = 1.3,
        scale_max: float | None = None,
    ) -> None:
        super().__init__()
        self.values = np.asarray(values, dtype=float)
        self.bar_max = height
        self.origin = np.array([origin[0], origin[1], 0.0])
        top = scale_max if scale_max is not None else float(np.sqrt(self.values.max(initial=0.0)))
        self.top = max(top, 1e-12)
        dims = self.values.shape[1]
        self.bars: list[VMobject] = []
        self.numbers: list[LiveNumber] = []
        base = Line(
            self.origin, self.origin + [GAP * dims, 0, 0], stroke_color=palette().axis, stroke_width=2
        )
        self.add(base)
        for k in range(dims):
            x = self.origin[0] + GAP * k + 0.1
            bar = VMobject(fill_color=color, fill_opacity=0.85, stroke_width=0)
            self.bars.append(bar)
            name = math(names[k][0], names[k][1], font_size=Size.NAME)
            name.next_to([x + BAR_WIDTH / 2, self.origin[1], 0], DOWN, buff=0.12)
            self.add(name)
            num = LiveNumber(self.values[0, k], digits=2, font_size=Size.NUMBER - 2)
            num.place([x + GAP - 0.12, self.origin[1] - 0.62, 0])
            self.numbers.append(num)
        self.show(0)

    def bar_height(self, i: int, k: int) -> float:
        return self.bar_max * float(np.sqrt(max(self.values[i, k], 0.0))) / self.top

    def show(self, i: int) -> None:
        """Bars and numbers at step index i."""
        i = min(i, len(self.values) - 1)
        for k, (bar, num) in enumerate(zip(self.bars, self.numbers, strict=True)):
            x = self.origin[0] + GAP * k + 0.1
            h = max(self.bar_height(i, k), 0.01)
            y = self.origin[1]
            bar.set_points_as_corners(
                [[x, y, 0], [x + BAR_WIDTH, y, 0], [x + BAR_WIDTH, y + h, 0], [x, y + h, 0], [x, y, 0]]
            )
            if num.get_value() != self.values[i, k]:
                num.set_value(self.values[i, k])
