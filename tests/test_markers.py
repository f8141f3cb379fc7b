"""Eight balls told apart: a style per ball (colour, marker shape, dash), the markers and dashed
trails the kit draws from it, and colour words that name only what the theme draws."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.kit.palette import PALETTES, ball_style, colour_name, use_palette
from scenes.words import i18n


@pytest.fixture
def theme():
    """Put the theme and language back for the tests after this one."""
    yield use_palette
    use_palette("dark")
    i18n.use_language("en")


def polygon_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_the_first_four_balls_differ_in_colour_the_next_four_in_shape_and_dash_too(theme, name):
    theme(name)
    styles = [ball_style(k) for k in range(8)]
    assert [s.color for s in styles] == list(PALETTES[name].balls)
    assert {s.shape for s in styles[:4]} == {"circle"} and all(s.dash is None for s in styles[:4])
    assert len({s.shape for s in styles[4:]}) == 4 and "circle" not in {s.shape for s in styles[4:]}
    assert all(s.dash for s in styles[4:]) and len({s.dash for s in styles[4:]}) == 4
    assert all(s.edge == PALETTES[name].ball_edge for s in styles)
    # past eight the colours come round with another shape: no two of the first 40 alike
    looks = {(str(s.color), s.shape, s.dash) for s in map(ball_style, range(40))}
    assert len(looks) == 40


@pytest.mark.parametrize("shape", ["circle", "square", "triangle", "diamond", "star"])
def test_a_marker_sits_on_its_point_and_weighs_about_a_disc(shape):
    from manim import ManimColor

    from scenes.kit.markers import marker

    mob = marker(shape, [1.0, -2.0, 0.0], 0.2, ManimColor("#e69f00"), ManimColor("#ffffff"))
    assert mob.get_center()[:2] == pytest.approx([1.0, -2.0], abs=1e-6)
    outline = mob.points[::4] if shape != "circle" else mob.points
    area = polygon_area(np.vstack([outline, outline[:1]]))
    low, high = (0.9, 1.1) if shape != "star" else (0.6, 1.2)
    assert low * np.pi * 0.2**2 <= area <= high * np.pi * 0.2**2, shape
    assert mob.get_fill_color() == ManimColor("#e69f00") and mob.get_fill_opacity() == 1.0
    assert mob.get_stroke_color(background=True) == ManimColor("#ffffff")
    with pytest.raises(ValueError, match="unknown marker shape 'blob'"):
        marker("blob", [0, 0, 0], 0.2, ManimColor("#e69f00"), ManimColor("#ffffff"))


def polyline(points: list[tuple[float, float]]) -> np.ndarray:
    """Step segments as the kit holds them: (n, 4, 3) straight cubics."""
    p = np.array([[x, y, 0.0] for x, y in points])
    thirds = np.linspace(0.0, 1.0, 4)[None, :, None]
    return p[:-1, None, :] + thirds * (p[1:] - p[:-1])[:, None, :]


def test_dashes_run_on_along_the_path_and_grow_step_by_step():
    from scenes.kit.markers import DashedTrail

    segments = polyline([(0, 0), (1, 0), (1, 0.5), (1, 0.5), (3, 0.5)])  # a bend, a step of 0
    dashed = DashedTrail(segments, (0.2, 0.1))
    whole = dashed.points(len(segments))
    pieces = whole.reshape(-1, 4, 3)
    lengths = np.linalg.norm(pieces[:, 3] - pieces[:, 0], axis=1)
    assert lengths.sum() == pytest.approx(3.5 * 2 / 3, abs=0.2 + 1e-9)  # on two thirds of the way
    assert lengths.max() <= 0.2 + 1e-9
    # every dash lies on the path: on y = 0, x = 1 or y = 0.5
    on = (np.abs(whole[:, 1]) < 1e-9) | (np.abs(whole[:, 0] - 1) < 1e-9) | (np.abs(whole[:, 1] - 0.5) < 1e-9)
    assert on.all()
    # the trail after i steps is a prefix of the whole, ending within step i
    for i in range(len(segments) + 1):
        part = dashed.points(i)
        assert np.array_equal(part, whole[: len(part)])
    assert len(dashed.points(0)) == 0 and len(dashed.points(1)) < len(dashed.points(2))
    assert (dashed.points(1)[:, 0] <= 1 + 1e-9).all() and np.array_equal(dashed.points(2), dashed.points(3))
    # the dash that spans the bend goes on around it (the phase does not restart at a step)
    starts = pieces[:, 0]
    assert any(np.allclose(s, [1.0, 0.0, 0.0]) for s in starts), "a dash continues past the corner"
    with pytest.raises(ValueError, match="pairs of positive"):
        DashedTrail(segments, (0.2,))


def test_a_legend_swatch_draws_the_balls_trail_and_marker(theme):
    from scenes.kit.markers import TRAIL_WIDTH, swatch

    theme("light")
    solid, dashed = swatch(ball_style(0)), swatch(ball_style(5))
    assert solid[0].get_stroke_width() == TRAIL_WIDTH and len(solid[0].points) == 4
    assert len(dashed[0].points) > 8, "a dashed ball's key is dashed"
    assert dashed[1].get_fill_color() == ball_style(5).color


@pytest.mark.parametrize(
    ("name", "lang", "words"),
    [("dark", "en", "white"), ("light", "en", "black"), ("dark", "zh", "白色"), ("light", "zh", "黑色")],
)
def test_the_gradients_colour_is_named_as_the_theme_draws_it(theme, name, lang, words):
    p = theme(name)
    i18n.use_language(lang)
    assert colour_name(p.gradient) == words
    assert colour_name(p.balls[0]) and colour_name(p.balls[0].to_hex()) == colour_name(p.balls[0])


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_ball_has_a_name_and_no_undrawn_colour_is_named(theme, name):
    from manim import ManimColor

    p = theme(name)
    names = [colour_name(b) for b in p.balls]
    assert len(set(names)) == len(names)
    other = PALETTES["light" if name == "dark" else "dark"]
    with pytest.raises(ValueError, match="not a colour"):
        colour_name(other.gradient)
    with pytest.raises(ValueError, match="not a colour"):
        colour_name(ManimColor("#123456"))


def test_the_colour_words_have_chinese_translations(theme):
    i18n.use_language("zh")
    for p in PALETTES.values():
        for _colour, words in p.names:
            assert i18n._(words) != words


# Machado, Oliveira & Fernandes (2009), full dichromacy (severity 1), on linear sRGB
DICHROMACY = {
    "protanopia": [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ],
    "deuteranopia": [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ],
    "tritanopia": [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ],
    "typical": np.eye(3).tolist(),
}


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of sRGB colours, from the definitions."""
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    to_xyz = [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
    xyz = lin @ np.array(to_xyz).T / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1
    )


def seen_as(rgb: np.ndarray, kind: str) -> np.ndarray:
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lin = np.clip(lin @ np.array(DICHROMACY[kind]).T, 0.0, 1.0)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


@pytest.mark.parametrize("kind", sorted(DICHROMACY))
@pytest.mark.parametrize("name", sorted(PALETTES))
def test_balls_alike_in_shape_and_trail_differ_in_colour_for_every_eye(theme, name, kind):
    """Two balls with the same marker and trail must differ by 8 or more in CIELAB (ΔE*76) as
    a viewer with that dichromacy sees them; balls with different markers may look alike."""
    theme(name)
    styles = [ball_style(k) for k in range(8)]
    seen = lab(seen_as(np.array([s.color.to_rgb() for s in styles]), kind))
    for i in range(8):
        for j in range(i + 1, 8):
            if (styles[i].shape, styles[i].dash) == (styles[j].shape, styles[j].dash):
                gap = float(np.linalg.norm(seen[i] - seen[j]))
                assert gap >= 8.0, f"{name}, {kind}: balls {i} and {j} are {gap:.1f} apart"


def test_beads_are_spaced_a_bead_apart_and_skip_only_points_near_the_last_one():
    from scenes.kit.trails import spaced

    rng = np.random.default_rng(3)
    pts = np.c_[np.cumsum(rng.normal(0, 0.05, (400, 2)), axis=0), np.zeros(400)]
    gap = 0.1
    keep = spaced(pts, gap)
    assert keep[0]
    kept = np.flatnonzero(keep)
    assert np.all(np.linalg.norm(np.diff(pts[kept, :2], axis=0), axis=1) >= gap)
    for k in range(len(pts)):  # a point without a bead lies within `gap` of the last bead before it
        if not keep[k]:
            last = kept[kept < k][-1]
            assert np.linalg.norm(pts[k, :2] - pts[last, :2]) < gap
    assert spaced(pts, 0.0).all()


@pytest.mark.parametrize("words", ["x = −24.88 ←", "x₂ = −1673 ↓", "x₂ = 5.60×10⁶ ↑", "f = 0.00021 →"])
def test_a_label_from_set_glyphs_matches_the_same_words_set_by_pango(words):
    """The edge marker's words are rewritten every step from glyphs set once: the same outline
    count, height and (within the digits' spacing) width as pango's own setting of them."""
    from manim import Text

    from scenes.kit.mathtext import MATH_FONT
    from scenes.kit.numbers import label_points

    pts = label_points(words, 30, MATH_FONT)
    ref = Text(words, font=MATH_FONT, font_size=30).get_all_points()
    assert pts is not None and pts.shape == ref.shape
    span, ref_span = np.ptp(pts[:, :2], axis=0), np.ptp(ref[:, :2], axis=0)
    assert span[1] == pytest.approx(ref_span[1], abs=1e-6)
    assert span[0] == pytest.approx(ref_span[0], rel=0.06)
    assert label_points("no number here", 30, MATH_FONT) is None
