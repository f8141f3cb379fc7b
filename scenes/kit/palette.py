"""Every colour on screen, in one object per theme.

Scenes and kit parts ask `palette()` for a role ("the second ball", "a warning"), never
for a hex value, so a new theme is one more `Palette` here and nothing else changes.

Two families of colour are built here rather than typed in, from CIELAB (the space in which
equal steps look equal): the landscape's height ramp (`Ramp`: lightness rising evenly from
the lowest band to the highest, hue turning from blue to green or yellow, so it reads in
greyscale and under every colour-vision deficiency), and the balls' colours, the Okabe–Ito
set moved in lightness until each stands 4.5:1 on its theme's background (`okabe_ito`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import ManimColor

from scenes.words.i18n import _


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    return message


def _c(hex_: str) -> ManimColor:
    return ManimColor(hex_)


# ---- CIELAB (D65) <-> sRGB ---------------------------------------------------------------
_WHITE = np.array([0.95047, 1.0, 1.08883])
_XYZ_TO_RGB = np.array(
    [
        [3.2404542, -1.5371385, -0.4985314],
        [-0.9692660, 1.8760108, 0.0415560],
        [0.0556434, -0.2040259, 1.0572252],
    ]
)


def _lab_to_rgb(lightness: float, a: float, b: float) -> np.ndarray:
    """sRGB in [0, 1] of a CIELAB colour, unclipped: out of gamut where a channel leaves [0, 1]."""
    fy = (lightness + 16.0) / 116.0
    f = np.array([fy + a / 500.0, fy, fy - b / 200.0])
    xyz = np.where(f > 6 / 29, f**3, 3 * (6 / 29) ** 2 * (f - 4 / 29)) * _WHITE
    lin = _XYZ_TO_RGB @ xyz
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * np.abs(lin) ** (1 / 2.4) * np.sign(lin) - 0.055)


def _rgb_to_lch(rgb: np.ndarray) -> tuple[float, float, float]:
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.linalg.solve(_XYZ_TO_RGB, lin) / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    a, b = 500 * (f[0] - f[1]), 200 * (f[1] - f[2])
    return 116 * f[1] - 16, float(np.hypot(a, b)), float(np.degrees(np.arctan2(b, a)) % 360)


def lch(lightness: float, chroma: float, hue: float) -> ManimColor:
    """The colour of CIELAB lightness L*, chroma and hue (degrees); where sRGB cannot show
    that chroma at that lightness and hue, the most it can (lightness and hue are kept)."""
    h = np.radians(hue)
    lo, hi = 0.0, chroma
    if np.any(np.abs(_lab_to_rgb(lightness, hi * np.cos(h), hi * np.sin(h)) - 0.5) > 0.5):
        for _step in range(30):  # bisection on chroma: in gamut below, out above
            mid = (lo + hi) / 2
            inside = np.all(np.abs(_lab_to_rgb(lightness, mid * np.cos(h), mid * np.sin(h)) - 0.5) <= 0.5)
            lo, hi = (mid, hi) if inside else (lo, mid)
        chroma = lo
    rgb = np.clip(_lab_to_rgb(lightness, chroma * np.cos(h), chroma * np.sin(h)), 0.0, 1.0)
    return ManimColor.from_rgb(tuple(float(c) for c in rgb))


def rgb_colour(rgb: np.ndarray) -> ManimColor:
    """A colour computed from the palette's own (a lit face of the mesh), as a ManimColor."""
    return ManimColor.from_rgb(tuple(float(c) for c in np.clip(rgb, 0.0, 1.0)))


# ---- the landscape's height -----------------------------------------------------------------
@dataclass(frozen=True)
class Ramp:
    """A sequential colour ramp in CIELCh: lightness, chroma and hue each run evenly from the
    lowest value (t = 0) to the highest (t = 1)."""

    lightness: tuple[float, float]
    chroma: tuple[float, float]
    hue: tuple[float, float]

    def at(self, t: float) -> ManimColor:
        t = float(np.clip(t, 0.0, 1.0))
        mix = [lo + t * (hi - lo) for lo, hi in (self.lightness, self.chroma, self.hue)]
        return lch(*mix)

    def colours(self, n: int) -> list[ManimColor]:
        """n colours from the lowest to the highest, evenly spaced: one per band."""
        return [self.at(k / max(n - 1, 1)) for k in range(n)]


# ---- the balls: Okabe–Ito ---------------------------------------------------------------------
# Okabe & Ito, "Color Universal Design" (2002): eight colours told apart under every common
# colour-vision deficiency. In the order the balls take them: the first four are the four most
# apart; the last four also get a marker shape and a dashed trail (`ball_style`).
OKABE_ITO = {
    N_("orange"): "#e69f00",
    N_("sky blue"): "#56b4e9",
    N_("bluish green"): "#009e73",
    N_("reddish purple"): "#cc79a7",
    N_("yellow"): "#f0e442",
    N_("blue"): "#0072b2",
    N_("vermilion"): "#d55e00",
    N_("black"): "#000000",
}


def okabe_ito(name: str, lightness: float | None = None) -> ManimColor:
    """An Okabe–Ito colour, moved to CIELAB lightness `lightness` with its hue kept."""
    colour = _c(OKABE_ITO[name])
    if lightness is None:
        return colour
    _l, chroma, hue = _rgb_to_lch(np.asarray(colour.to_rgb(), dtype=float))
    return lch(lightness, chroma, hue)


@dataclass(frozen=True)
class Palette:
    name: str
    background: ManimColor
    text: ManimColor  # labels, readout names, numbers
    axis: ManimColor
    curve: ManimColor  # the landscape when it is the only curve
    curves: tuple[ManimColor, ...]  # several landscapes on one axes (risk: f, g)
    balls: tuple[ManimColor, ...]  # one per ball, in order (`ball_style`); chosen apart from the curves
    ball_edge: ManimColor  # the ring and casing of balls, trails and beads: 3:1 on every band
    note: ManimColor  # captions and annotations that tell the story
    warn: ManimColor  # a run that diverged, left the domain or became undefined
    neutral: ManimColor  # balls not yet told apart (basins before they settle)
    ramp: Ramp  # the contour plane's bands, lowest to highest value
    contour: ManimColor  # iso-lines, drawn over the bands at `contour_opacity`
    contour_opacity: float
    tangent: ManimColor  # the tangent at a ball: its slope is f′
    gradient: ManimColor  # the step the gradient alone would take (beside momentum's)
    names: tuple[tuple[ManimColor, str], ...] = ()  # what the words call a colour drawn here

    @property
    def fill_low(self) -> ManimColor:
        """The plane's band at the landscape's lowest values."""
        return self.ramp.at(0.0)

    @property
    def fill_high(self) -> ManimColor:
        """... and at its highest."""
        return self.ramp.at(1.0)


# Bright colours on black. The ramp is a dimmed viridis-like one, L* 8.5 to 49.5: white text
# keeps 4.5:1 on its brightest band and the balls' white edge 3:1 on every band.
_DARK_BALLS = (
    okabe_ito("orange"),
    okabe_ito("sky blue"),
    okabe_ito("bluish green"),
    okabe_ito("reddish purple"),
    okabe_ito("yellow"),
    okabe_ito("blue", 52.0),  # Okabe–Ito's blue is 4.0:1 on black
    okabe_ito("vermilion"),
    lch(82.0, 0.0, 0.0),  # black's place: a light grey
)
DARK = Palette(
    name="dark",
    background=_c("#000000"),
    text=_c("#ffffff"),
    axis=_c("#c8ced6"),
    curve=_c("#9aa5b1"),
    curves=(_c("#ce93d8"), _c("#80cbc4")),
    balls=_DARK_BALLS,
    ball_edge=_c("#ffffff"),
    note=_c("#ffe082"),
    warn=_c("#ef9a9a"),
    neutral=_c("#e0e0e0"),
    ramp=Ramp(lightness=(8.5, 49.5), chroma=(30.0, 40.0), hue=(295.0, 150.0)),
    contour=_c("#ffffff"),
    contour_opacity=0.3,
    tangent=_c("#ffffff"),
    gradient=_c("#ffffff"),
    names=(
        # what each looks like here: the Okabe-Ito names, and a light grey in black's place
        *zip(_DARK_BALLS, (*list(OKABE_ITO)[:7], N_("light grey")), strict=True),
        (_c("#ffffff"), N_("white")),
    ),
)

# For white slides and the book's look: dark text, colours deep enough for white. Names are
# written in their ball's or curve's colour (readout headers, legends, verdicts), so those
# colours are text colours too: the Okabe–Ito hues at L* 46, 4.5:1 or more on white. The ramp
# runs light, L* 55 to 97 (blue to pale yellow): dark text keeps 4.5:1 on its deepest band and
# the balls' dark edge 3:1 on every band. tests/test_themes.py checks the palettes,
# tests/test_contrast.py the ramp and every scene as drawn.
_LIGHT_BALLS = (
    okabe_ito("orange", 48.0),
    okabe_ito("sky blue", 42.0),
    okabe_ito("bluish green", 46.0),
    okabe_ito("reddish purple", 46.0),
    okabe_ito("yellow", 48.0),
    okabe_ito("blue", 32.0),
    okabe_ito("vermilion", 46.0),
    okabe_ito("black"),
)
LIGHT = Palette(
    name="light",
    background=_c("#ffffff"),
    text=_c("#1a1a1a"),
    axis=_c("#37474f"),
    curve=_c("#607d8b"),
    curves=(_c("#8e24aa"), _c("#00796b")),
    balls=_LIGHT_BALLS,
    ball_edge=_c("#1a1a1a"),
    note=_c("#6a4500"),
    warn=_c("#b71c1c"),
    neutral=_c("#616161"),
    ramp=Ramp(lightness=(55.5, 97.0), chroma=(30.0, 20.0), hue=(250.0, 95.0)),
    contour=_c("#000000"),
    contour_opacity=0.3,
    tangent=_c("#000000"),
    gradient=_c("#000000"),
    names=(
        # darkened for white, orange reads brown, yellow olive, sky blue a plain blue
        *zip(
            _LIGHT_BALLS,
            (
                N_("brown"),
                N_("blue"),
                N_("bluish green"),
                N_("reddish purple"),
                N_("olive"),
                N_("dark blue"),
                N_("vermilion"),
                N_("black"),
            ),
            strict=True,
        ),
        (_c("#000000"), N_("black")),
    ),
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


# ---- a ball's look ------------------------------------------------------------------------------
BALL_SHAPES = ("circle", "circle", "circle", "circle", "square", "triangle", "diamond", "star")
# beyond the fourth ball its trail is dashed too, so a path is told apart with no ball on it:
# on/off lengths in scene units, one pattern per ball
DASHES: tuple[tuple[float, ...] | None, ...] = (
    None,
    None,
    None,
    None,
    (0.22, 0.10),
    (0.06, 0.08),
    (0.22, 0.08, 0.05, 0.08),
    (0.12, 0.12),
)


@dataclass(frozen=True)
class BallStyle:
    """How ball k is drawn: its colour, its marker shape, its trail's dash pattern (None: solid),
    and the edge colour that keeps the ball, its trail and its beads 3:1 on every band."""

    color: ManimColor
    shape: str
    dash: tuple[float, ...] | None
    edge: ManimColor


def ball_style(k: int) -> BallStyle:
    """The look of the k-th ball (0-based) in the current theme; past eight, the colours come
    round again, each with a shape it has not had yet, so no two of the first 40 look alike."""
    p = palette()
    rounds, j = divmod(k, len(p.balls))
    shapes = list(dict.fromkeys(BALL_SHAPES))  # circle, square, triangle, diamond, star
    shape = shapes[(shapes.index(BALL_SHAPES[j]) + rounds) % len(shapes)]
    return BallStyle(p.balls[j], shape, DASHES[j], p.ball_edge)


def ball_color(k: int) -> ManimColor:
    return ball_style(k).color


def colour_name(color: ManimColor | str) -> str:
    """The colour in words, in the current language ("white", "白色"), as the current theme
    draws it. Only colours the palette names are named: a caption can never say "white" in
    a theme that draws black."""
    want = _c(color).to_hex().lower() if isinstance(color, str) else color.to_hex().lower()
    for drawn, name in palette().names:
        if drawn.to_hex().lower() == want:
            return _(name)
    raise ValueError(f"{want} is not a colour the {palette().name} theme names")


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
