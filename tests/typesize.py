"""How large a text on screen is set, measured from its outlines against the same characters
typeset afresh at a known size: a checker written apart from the kit's sizes.

A text's scale is the median, over its glyphs, of a glyph's height over the same character's
height at REFERENCE points; a text whose glyphs are merged into one path (the kit's captions,
labels and live numbers) is compared whole, line for line, against the same words. The digits'
cap height and a subscript's height then follow from the reference font's own glyphs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from manim import Text, config

REFERENCE = 24.0
SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"


def _wide(s: str, font: str, size: float) -> Text:
    """Typeset as on a 4K frame, so pango never wraps a long line."""
    width = config.pixel_width
    config.pixel_width = max(width, 3840)
    try:
        return Text(s, font=font, font_size=size)
    finally:
        config.pixel_width = width


def font_for(words: str) -> str:
    return "Noto Sans CJK SC" if any("\u4e00" <= c <= "\u9fff" for c in words) else "DejaVu Sans"


@lru_cache(maxsize=4096)
def _glyph_height(ch: str, font: str) -> float:
    return float(_wide(ch, font, REFERENCE).height)


@lru_cache(maxsize=4096)
def _words_height(words: str, font: str) -> float:
    return float(_wide(words, font, REFERENCE).height)


def cap_height(font: str = "DejaVu Sans") -> float:
    """A digit's cap at REFERENCE points: the height of "0"…"9", the tallest."""
    return max(_glyph_height(d, font) for d in "0123456789")


def subscript_height(font: str = "DejaVu Sans") -> float:
    return max(_glyph_height(d, font) for d in SUBSCRIPTS)


def scale_of(m, words: str) -> float:
    """The mobject's size relative to REFERENCE points (2.0: set at twice REFERENCE)."""
    font = font_for(words)
    chars = [c for c in words if not c.isspace()]
    glyphs = m.submobjects if isinstance(m, Text) else []
    if glyphs and len(glyphs) == len(chars):  # glyph by glyph: a line broken by hand still reads true
        ratios = [
            g.height / _glyph_height(c, font)
            for g, c in zip(glyphs, chars, strict=True)
            if g.has_points() and _glyph_height(c, font) > 0.05
        ]
        if ratios:
            return float(np.median(ratios))
    return float(m.height / _words_height(words, font))


def type_sizes(m, words: str) -> tuple[float, float | None]:
    """(the digits' cap height, a subscript's height or None) of the text as shown, in scene units."""
    s = scale_of(m, words)
    font = font_for(words)
    cap = s * cap_height("DejaVu Sans" if font == "DejaVu Sans" else font)
    sub = s * subscript_height() if any(c in SUBSCRIPTS for c in words) else None
    return cap, sub
