"""A live number that changes every frame without building new mobjects.

manim's DecimalNumber deep-copies a glyph mobject per character on every set_value
(about 25 ms for a short number, measured with cProfile), which made the readouts the
most expensive part of every frame. Here the glyphs are typeset once per process and
style; a new value only concatenates glyph outlines (small numpy arrays) into the
number's one path.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
from manim import ManimColor, Text, VMobject

from scenes.kit.mathtext import MATH_FONT, Size
from scenes.kit.palette import palette
from scenes.kit.typeset import MINUS, figure

CHARS = "0123456789." + MINUS + "×⁰¹²³⁴⁵⁶⁷⁸⁹⁻∞nan"


@lru_cache(maxsize=8)
def _glyphs(font_size: float) -> dict[str, tuple[np.ndarray, float]]:
    """Each character's outline relative to (its left edge, the row's centre line), and its
    width: typeset once per size, in the numbers' sans face (superscripts keep their rise)."""
    chars = "".join(dict.fromkeys(CHARS))
    row = Text(" ".join(chars), font=MATH_FONT, font_size=font_size)
    parts = row.family_members_with_points()
    if len(parts) != len(chars):
        raise RuntimeError(f"expected {len(chars)} glyphs, got {len(parts)}")

    digit = parts[0]
    out = {}
    for ch, part in zip(chars, parts, strict=True):
        pts = part.points.copy()
        pts[:, 0] -= part.get_left()[0]
        pts[:, 1] -= digit.get_center()[1]  # the digits' middle is the row's centre line
        out[ch] = (pts, float(part.width))
    return out


class LiveNumber(VMobject):
    """Right-aligned number at a fixed anchor; `set_value` rewrites its outline in place.

    All characters are subpaths of this one VMobject, so Cairo draws a number with one
    path per frame instead of one per character."""

    def __init__(
        self,
        value: float,
        digits: int = 3,
        font_size: float = Size.NUMBER,
        color: ManimColor | None = None,
    ) -> None:
        super().__init__(fill_color=color or palette().text, fill_opacity=1.0, stroke_width=0)
        self.glyphs = _glyphs(font_size)
        self.digits = digits  # significant digits; 0: a whole number (the step counter)
        self.gap = 0.045 * font_size / 30
        self.anchor = np.zeros(3)  # right end of the centre line
        self.value = float("nan")
        self.set_value(value)

    def text_of(self, value: float) -> str:
        """As a slide prints it (scenes.kit.typeset): −0.0576, 5.60×10⁶, a whole step count."""
        if self.digits == 0:
            return f"{round(value):d}".replace("-", MINUS)
        return figure(value, self.digits)

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


_IN_NUMBER = "[" + re.escape(CHARS.replace("nan", "")) + "]*"
_NUMBER = re.compile(_IN_NUMBER + r"\d" + _IN_NUMBER)


@lru_cache(maxsize=64)
def _around(before: str, after: str, size: float, font: str) -> tuple[np.ndarray, np.ndarray, float, float]:
    """The words either side of a number, set once with a stand-in number between them: their
    outlines, and where the number's left edge and centre line are."""
    row = Text(f"{before}0{after}", font=font, font_size=size)
    parts = row.family_members_with_points()
    k = len(before.replace(" ", ""))
    zero = parts[k]
    left = np.concatenate([m.points for m in parts[:k]]) if k else np.zeros((0, 3))
    right = np.concatenate([m.points for m in parts[k + 1 :]]) if k + 1 < len(parts) else np.zeros((0, 3))
    return left, right, float(zero.get_left()[0]), float(zero.get_center()[1])


def label_points(words: str, size: float, font: str = MATH_FONT) -> np.ndarray | None:
    """Outline of a short label holding one number ("x = −24.88 ←"), from glyphs set once:
    the words around the number are set once per wording, the number from the digits'
    glyphs. A label rewritten every step costs numpy, not pango (~35 ms a Text). None when
    the words hold no number."""
    m = _NUMBER.search(words)
    if m is None:
        return None
    left, right, x0, centre = _around(words[: m.start()], words[m.end() :], size, font)
    glyphs, gap = _glyphs(size), 0.045 * size / 30
    x, outlines = x0, []
    for ch in m.group():
        pts, width = glyphs[ch]
        outlines.append(pts + np.array([x, centre, 0.0]))
        x += width + gap
    shift = (x - gap) - (x0 + glyphs["0"][1])  # the number's width against the stand-in's
    moved = right + np.array([shift, 0.0, 0.0])
    return np.concatenate([left, *outlines, moved])
