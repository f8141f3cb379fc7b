"""Words and math in one sans family, at sizes that read from the back of a lecture hall.

Math is drawn as Unicode text in the same sans face as the words (DejaVu Sans has the
subscripts, Greek letters and operators), so "x₂" is one glyph in a caption, a readout and
an axis; LaTeX's Computer Modern beside sans words read as two typefaces. `has_latex` stays
for the set-up checks.
"""

from __future__ import annotations

import shutil
from functools import lru_cache
from typing import Any

import numpy as np
from manim import Text, VMobject, config

from scenes.kit.palette import palette
from scenes.kit.typeset import typeset
from scenes.words.i18n import language


def has_latex() -> bool:
    """MathTex needs both `latex` and `dvisvgm` on PATH."""
    return shutil.which("latex") is not None and shutil.which("dvisvgm") is not None


TEXT_FONT = "DejaVu Sans"  # clear at 480p; pango falls back to a default font where it is missing
SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"
MATH_FONT = TEXT_FONT  # numbers and math in every language: Noto Sans CJK has no ₁ ₂
FONTS = {"zh": "Noto Sans CJK SC"}  # without it pango picks a Japanese face for Chinese text


class Size:
    """Font sizes (manim's Text points) for a frame 8 units high. At 24 a digit's cap is 0.25
    units (1/32 of the frame, 15 px at 480p); a subscript digit is 0.56 of the size's cap, so
    text holding subscripts is set at 30 or more (≥ 70 % of 15 px). Measured, not taken from
    here, by tests/typesize.py."""

    TITLE = 34
    TITLE_LONG = 30  # a title that breaks into more than two lines
    CAPTION = 32
    CAPTION_MIN = 30  # a long caption shrinks to this, then takes a second line
    CAPTION_TIGHT = 28  # or to this, when it holds no subscript (digits 0.30 high, 18 px at 480p)
    NAME = 34  # the panel's names (x₁, ∂f/∂x₂, η) and axis labels: a lone "x" is 0.26 high
    NUMBER = 30  # the panel's live numbers: 0.32 units high, 19 px at 480p
    HEADER = 30  # a ball's name in the panel: "adam η=0.4 β₁=0.9 β₂=0.999" holds subscripts
    TICK = 26
    LABEL = 30  # annotations at a ball or a critical point
    SMALLEST = 24  # nothing on screen is set smaller
    SUBSCRIPTED = 30  # nor anything that holds a subscript (β₁, x₂) smaller than this


def text_font() -> str:
    """The font for words in the current language."""
    return FONTS.get(language(), TEXT_FONT)


def require_font(lang: str) -> None:
    """A missing font draws empty boxes with only a log warning: refuse instead."""
    import manimpango

    font = FONTS.get(lang)
    if font is not None and font not in manimpango.list_fonts():
        raise RuntimeError(f"the font {font!r} for {lang} is missing (fonts-noto-cjk): run `make render`")


class MathText(Text):
    """Math drawn as text in the numbers' face: a formula, not words (translation leaves it
    as it is, as it left MathTex)."""


def laid_out(s: str, cls: type[Text] | None = None, **kwargs: Any) -> Text:
    """manim's Text: pango lays it out on an SVG as wide as the movie's pixels, and wraps a
    line longer than that (a caption at 120 px wide came out on two lines, at half its
    width): lay every text out as on a 4K frame, so sizes do not depend on the quality.
    A text holding a subscript is set at Size.SUBSCRIPTED at least."""
    if any(c in SUBSCRIPTS for c in s):
        kwargs["font_size"] = max(kwargs.get("font_size", Size.SUBSCRIPTED), Size.SUBSCRIPTED)
    width = config.pixel_width
    config.pixel_width = max(width, 3840)
    try:
        return (cls or Text)(s, **kwargs)
    finally:
        config.pixel_width = width


def text(s: str, **kwargs: Any) -> Text:
    """Text in the scenes' sans-serif font (the language's own font where it needs one)."""
    kwargs.setdefault("font", text_font())
    kwargs.setdefault("color", palette().text)
    return laid_out(typeset(s), **kwargs)


def text_width(s: str, size: float) -> float:
    """How wide `s` is set at `size`: a caption's layout asks the same widths several times
    (the layout cuts the frame by them, then the caption is set), and pango takes ~40 ms each."""
    return _width(s, size, text_font())


@lru_cache(maxsize=1024)
def _width(s: str, size: float, font: str) -> float:
    return float(text(s, font_size=size, font=font).width)


def flat(mob: VMobject) -> VMobject:
    """One path holding every glyph of a one-colour text: Cairo draws it in one call per
    frame instead of one per character (a caption has ~50)."""
    parts = mob.family_members_with_points()
    out = VMobject(fill_color=parts[0].get_fill_color(), fill_opacity=1.0, stroke_width=0)
    out.points = np.concatenate([p.points for p in parts])
    out.words = getattr(mob, "original_text", None)  # what it says: the layout tests read it
    return out


def math(tex: str, plain: str, **kwargs: Any) -> VMobject:
    """Math as Unicode text (`plain`) in the sans face of the numbers; `tex` is the formula's
    LaTeX, kept by the callers for the records (beats, decks), not drawn."""
    kwargs.setdefault("color", palette().text)
    kwargs.setdefault("font_size", Size.NAME)
    kwargs.setdefault("font", MATH_FONT)
    return laid_out(typeset(plain), MathText, **kwargs)
