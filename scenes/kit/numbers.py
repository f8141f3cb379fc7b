"""A live number that changes every frame without building new mobjects.

manim's DecimalNumber deep-copies a glyph mobject per character on every set_value
(about 25 ms for a short number, measured with cProfile), which made the readouts the
most expensive part of every frame. Here the glyphs are typeset once per process and
style; a new value only concatenates glyph outlines (small numpy arrays) into the
number's one path.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import ManimColor, VMobject

from scenes.kit.mathtext import math, use_latex
from scenes.kit.palette import palette

CHARS = "0123456789.+-e"
SCIENTIFIC_AT = 1e5  # from here on a value is shown as +1.2346e+07: a runaway stays readable


def _glyphs(font_size: float) -> dict[str, tuple[np.ndarray, float]]:
    return _typeset(font_size, use_latex())


@lru_cache(maxsize=8)
def _typeset(font_size: float, latex: bool) -> dict[str, tuple[np.ndarray, float]]:
    """Each character's outline relative to (its left edge, the row's centre line), and its width."""
    row = math(CHARS, " ".join(CHARS), font_size=font_size)
    parts = row.family_members_with_points()
    if len(parts) != len(CHARS):
        raise RuntimeError(f"expected {len(CHARS)} glyphs, got {len(parts)}")
    mid_y = row.get_center()[1]
    out = {}
    for ch, part in zip(CHARS, parts, strict=True):
        pts = part.points.copy()
        pts[:, 0] -= part.get_left()[0]
        pts[:, 1] -= mid_y
        out[ch] = (pts, float(part.width))
    return out


class LiveNumber(VMobject):
    """Right-aligned number at a fixed anchor; `set_value` rewrites its outline in place.

    All characters are subpaths of this one VMobject, so Cairo draws a number with one
    path per frame instead of one per character."""

    def __init__(
        self,
        value: float,
        decimals: int = 4,
        include_sign: bool = True,
        font_size: float = 34,
        color: ManimColor | None = None,
    ) -> None:
        super().__init__(fill_color=color or palette().text, fill_opacity=1.0, stroke_width=0)
        self.glyphs = _glyphs(font_size)
        self.decimals, self.include_sign = decimals, include_sign
        self.gap = 0.06 * font_size / 48
        self.anchor = np.zeros(3)  # right end of the centre line
        self.value = float("nan")
        self.set_value(value)

    def text_of(self, value: float) -> str:
        kind = "e" if abs(value) >= SCIENTIFIC_AT and self.decimals > 0 else "f"
        s = f"{value:+.{self.decimals}{kind}}" if self.include_sign else f"{value:.{self.decimals}{kind}}"
        if s.lstrip("+-").strip("0.") == "":  # -0.0000 reads as a sign flip: show +0.0000
            s = s.replace("-", "+" if self.include_sign else "")
        return s

    def text_width(self, s: str) -> float:
        return sum(self.glyphs[ch][1] for ch in s) + self.gap * max(len(s) - 1, 0)

    def widest(self, values: object) -> float:
        """Width of the widest text this number takes for any of `values`."""
        texts = {self.text_of(float(v)) for v in np.asarray(values, dtype=float).ravel()}
        return max(self.text_width(t) for t in texts) if texts else 0.0

    def get_value(self) -> float:
        return self.value

    def set_value(self, value: float) -> LiveNumber:
        self.value = float(value)
        x = self.anchor[0]
        outlines = []
        for ch in reversed(self.text_of(value)):
            pts, width = self.glyphs[ch]
            x -= width
            outlines.append(pts + np.array([x, self.anchor[1], 0.0]))
            x -= self.gap
        self.points = np.concatenate(outlines[::-1])
        return self

    def place(self, right_end: np.ndarray) -> LiveNumber:
        """Pin the right end of the centre line at `right_end` (a scene point)."""
        self.anchor = np.array(right_end, dtype=float)
        return self.set_value(self.value)
