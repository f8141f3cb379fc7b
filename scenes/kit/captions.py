"""The caption line: which size, which lines, drawn as one path.

A caption takes the largest size at which it fits the frame's width on one line (a smaller
one only when it holds no subscript), else two lines split at the clause break nearest the
middle; beside a square plot (a narrower column) it wraps at the spaces between words. The
layout asks the same function how many lines a story's captions need.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import DOWN, VMobject

from scenes.kit.layout import EDGE, FRAME_W, Box
from scenes.kit.mathtext import SUBSCRIPTS, Size, flat, text, text_width
from scenes.kit.typeset import typeset

CAPTION_FONT = Size.CAPTION
CAPTION_WIDTH = FRAME_W - 2 * EDGE - 0.3


def caption_sizes(words: str) -> tuple[float, ...]:
    """The sizes a one-line caption may take, largest first: subscripts need 30 or more to stay
    70 % of a digit's 15 px at 480p."""
    small = any(ch in SUBSCRIPTS or ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in words)
    return (CAPTION_FONT, Size.CAPTION_MIN) if small else (CAPTION_FONT, Size.CAPTION_MIN, Size.CAPTION_TIGHT)


def top_level(words: str, mark: str) -> int | None:
    """Where `mark` first stands outside every bracket in `words` (not the comma of f(x, y))."""
    depth = 0
    for i, ch in enumerate(words):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and words.startswith(mark, i):
            return i
    return None


def split_caption(words: str) -> tuple[str, str] | None:
    """Two halves at the clause break ("; ", ": ", ", ", then a space) nearest the middle."""
    for sep in ("; ", "：", "；", ": ", ", ", "，", " "):
        cuts = [i for i in range(len(words)) if words.startswith(sep, i)]
        if cuts:
            i = min(cuts, key=lambda c: abs(c - len(words) / 2))
            if 0.2 * len(words) < i < 0.8 * len(words):
                return words[: i + len(sep)].rstrip(), words[i + len(sep) :].lstrip()
    return None


def wrap(words: str, width: float, size: float) -> list[str]:
    """Lines of at most `width` at `size`, broken at spaces outside brackets (never inside
    "(f = 0.100)") and not beside "=" ("f = 0.17" stays whole), each as full as it can be; a
    word wider than the column stands alone."""
    depth, cuts = 0, []
    for i, ch in enumerate(words):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == " " and depth == 0 and "=" not in words[max(i - 1, 0) : i + 2]:
            cuts.append(i)
    cuts.append(len(words))
    rows: list[str] = []
    start = 0
    while start < len(words):
        later = [c for c in cuts if c > start]
        end = later[0]
        for c in later[1:]:  # the line grows word by word until the next one would not fit
            if text_width(words[start:c], size) > width:
                break
            end = c
        rows.append(words[start:end].strip())
        start = end + 1
    return rows


def caption_rows(words: str, width: float = CAPTION_WIDTH) -> tuple[list[str], float]:
    """The caption's lines as shown (typeset) and their size, measured once."""
    shown = typeset(words)
    for size in caption_sizes(shown):
        if text_width(shown, size) <= width:
            return [shown], size
    if width < CAPTION_WIDTH:  # a column beside the plot: as many lines as it takes
        return wrap(shown, width, Size.CAPTION_MIN), Size.CAPTION_MIN
    halves = split_caption(shown)
    return (list(halves) if halves is not None else [shown]), Size.CAPTION_MIN


def caption_line(words: str, color: Any, strip: Box) -> VMobject:
    """The caption centred in `strip` with its lowest line at the strip's bottom; only a
    caption too long for its lines is shrunk."""
    width = min(CAPTION_WIDTH, strip[2] - strip[0])
    rows_words, size = caption_rows(words, width)
    rows = [flat(text(r, font_size=size, color=color)) for r in rows_words]
    for k in range(1, len(rows)):
        rows[k].next_to(rows[k - 1], DOWN, buff=0.1)
    for r in rows:
        r.set_x(0)
    line = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
    line.points = np.concatenate([r.points for r in rows])
    line.words = "\n".join(rows_words)
    if line.width > width:
        line.scale_to_fit_width(width)
    line.move_to([0, strip[1], 0], aligned_edge=DOWN)
    line.set_x((strip[0] + strip[2]) / 2)
    return line


def caption_lines(beats: Callable[[], Sequence[Any]], width: float = CAPTION_WIDTH) -> int:
    """How many lines the longest of the beats' captions takes in a strip `width` wide."""
    try:
        shown = beats()
    except Exception:  # a scene without words yet (a story file's own) takes one line
        return 1
    return max((len(caption_rows(b.caption, min(width, CAPTION_WIDTH))[0]) for b in shown), default=1)
