"""Math labels: LaTeX when the machine has it, Unicode text when it does not.

A lecturer's laptop may have no TeX; the scenes must still render, with the same
labels in plain Unicode, and say once why they look different.
"""

from __future__ import annotations

import logging
import shutil
from typing import Any

import numpy as np
from manim import MathTex, Text, VMobject

from scenes.kit.palette import palette
from scenes.words.i18n import language

_log = logging.getLogger("roll")
_warned = False


def has_latex() -> bool:
    """MathTex needs both `latex` and `dvisvgm` on PATH."""
    return shutil.which("latex") is not None and shutil.which("dvisvgm") is not None


def use_latex() -> bool:
    """Whether to typeset with LaTeX; warns once per process when falling back."""
    global _warned
    ok = has_latex()
    if not ok and not _warned:
        _warned = True
        _log.warning("latex or dvisvgm not found: math is drawn as Unicode text (install TeX for MathTex)")
    return ok


TEXT_FONT = "DejaVu Sans"  # clear at 480p; pango falls back to a default font where it is missing
FONTS = {"zh": "Noto Sans CJK SC"}  # without it pango picks a Japanese face for Chinese text


def text_font() -> str:
    """The font for words in the current language."""
    return FONTS.get(language(), TEXT_FONT)


def require_font(lang: str) -> None:
    """A missing font draws empty boxes with only a log warning: refuse instead."""
    import manimpango

    font = FONTS.get(lang)
    if font is not None and font not in manimpango.list_fonts():
        raise RuntimeError(f"the font {font!r} for {lang} is missing (fonts-noto-cjk): run `make render`")


def text(s: str, **kwargs: Any) -> Text:
    """Text in the scenes' sans-serif font (the language's own font where it needs one)."""
    kwargs.setdefault("font", text_font())
    kwargs.setdefault("color", palette().text)
    return Text(s, **kwargs)


def flat(mob: VMobject) -> VMobject:
    """One path holding every glyph of a one-colour text: Cairo draws it in one call per
    frame instead of one per character (a caption has ~50)."""
    parts = mob.family_members_with_points()
    out = VMobject(fill_color=parts[0].get_fill_color(), fill_opacity=1.0, stroke_width=0)
    out.points = np.concatenate([p.points for p in parts])
    return out


def math(tex: str, plain: str, **kwargs: Any) -> VMobject:
    """`MathTex(tex)` or, without TeX, `Text(plain)` at the same font size."""
    kwargs.setdefault("color", palette().text)
    if use_latex():
        return MathTex(tex, **kwargs)
    kwargs.setdefault("font_size", 48)
    kwargs["font_size"] *= 0.8  # Text's glyphs run larger than MathTex's at equal font_size
    return text(plain, **kwargs)


def number_class() -> type[VMobject]:
    """The mobject class DecimalNumber and axis labels should build their digits from."""
    return MathTex if use_latex() else Text
