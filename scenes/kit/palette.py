"""Every colour on screen, in one object per theme.

Scenes and kit parts ask `palette()` for a role ("the second ball", "a warning"), never
for a hex value, so a new theme is one more `Palette` here and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import ManimColor


def _c(hex_: str) -> ManimColor:
    return ManimColor(hex_)


@dataclass(frozen=True)
class Palette:
    name: str
    background: ManimColor
    text: ManimColor  # labels, readout names, numbers
    axis: ManimColor
    curve: ManimColor  # the landscape when it is the only curve
    curves: tuple[ManimColor, ...]  # several landscapes on one axes (risk: f, g)
    balls: tuple[ManimColor, ...]  # one per ball, in order; chosen apart from the curves
    ball_edge: ManimColor  # the ring that keeps a ball visible on a curve of its own colour
    note: ManimColor  # captions and annotations that tell the story
    warn: ManimColor  # a run that diverged, left the domain or became undefined
    neutral: ManimColor  # balls not yet told apart (basins before they settle)
    fill_low: ManimColor  # contour plane fill at the landscape's lowest values
    fill_high: ManimColor  # ... and at its highest
    contour: ManimColor  # iso-lines
    surface: tuple[ManimColor, ManimColor]  # checkerboard of a 3D surface
    surface_edge: ManimColor
    tangent: ManimColor  # the tangent at a ball: its slope is f′
    gradient: ManimColor  # the step the gradient alone would take (beside momentum's)


# Bright colours on black; the plane's fill and the surface stay dark enough that every ball
# and trail keeps 3:1 on them.
DARK = Palette(
    name="dark",
    background=_c("#000000"),
    text=_c("#ffffff"),
    axis=_c("#c8ced6"),
    curve=_c("#9aa5b1"),
    curves=(_c("#ce93d8"), _c("#80cbc4")),
    balls=(_c("#ffcc33"), _c("#4fc3f7"), _c("#ff7a7a"), _c("#81c784")),
    ball_edge=_c("#ffffff"),
    note=_c("#ffe082"),
    warn=_c("#ef9a9a"),
    neutral=_c("#e0e0e0"),
    fill_low=_c("#16233a"),
    fill_high=_c("#2a3650"),
    contour=_c("#b0bec5"),
    surface=(_c("#2f5c88"), _c("#234566")),
    surface_edge=_c("#8fb3d9"),
    tangent=_c("#ffffff"),
    gradient=_c("#ffffff"),
)

# For white slides and the book's look: dark text, colours deep enough for white. Names are
# written in their ball's or curve's colour (readout headers, legends, verdicts), so those
# colours are text colours too: 4.5:1 or more on white. Balls and trails keep 3:1 or more on
# the plane's fill and the surface as well, which is why both stay pale. tests/test_themes.py
# checks the palettes, tests/test_contrast.py every scene as drawn.
LIGHT = Palette(
    name="light",
    background=_c("#ffffff"),
    text=_c("#1a1a1a"),
    axis=_c("#37474f"),
    curve=_c("#607d8b"),
    curves=(_c("#8e24aa"), _c("#00796b")),
    balls=(_c("#b85c00"), _c("#0072b2"), _c("#c2185b"), _c("#2e7d32")),
    ball_edge=_c("#1a1a1a"),
    note=_c("#6a4500"),
    warn=_c("#b71c1c"),
    neutral=_c("#616161"),
    fill_low=_c("#e0eaf5"),
    fill_high=_c("#fbfcfe"),
    contour=_c("#4f6475"),
    surface=(_c("#cfe0f1"), _c("#b9d1ea")),
    surface_edge=_c("#2c5478"),
    tangent=_c("#000000"),
    gradient=_c("#000000"),
)

PALETTES: dict[str, Palette] = {p.name: p for p in (DARK, LIGHT)}
_current = [DARK]


def palette() -> Palette:
    """The palette of the scene being drawn."""
    return _current[0]


def use_palette(name: str) -> Palette:
    """Switch the theme for the scenes drawn from now on in this process."""
    try:
        _current[0] = PALETTES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(PALETTES)}") from None
    return _current[0]


def ball_color(k: int) -> ManimColor:
    p = palette()
    return p.balls[k % len(p.balls)]


def luminance(color: ManimColor) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    channels = []
    for c in color.to_rgb():
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: ManimColor, b: ManimColor) -> float:
    """WCAG contrast ratio, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
