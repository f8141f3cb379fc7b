"""Every text readable, every ball and trail visible, in both themes, in every scene.

Each scene of the catalogue is rendered tiny in each theme, as a dry run: every frame's
updaters run as in a render, but no pixel is drawn and no movie written. Before and after
every `play` (a `wait` is one too) the test takes what is on screen: each text (Text,
MathTex, the kit's flattened captions and labels, live numbers) and each ball's dot, trail
and beads. For every one it works out, from the mobjects themselves (cairo 1.16 here: no
pixel tests), the colour that lies behind it: the background, with every filled mobject
drawn before it composited over it where it covers the point (the contour plane's bands,
the 3D mesh by its face nearest the text colour, shaded basins), in the camera's own
drawing order. Text must stand at 4.5:1 or more against the worst of that colour over its
box (at the most opaque the text has been: captions fade), balls and trails at 3:1 or more
along their whole path (a 3D ball also under the faces drawn after it). A mark with an
edge (a ring outside a ball or bead, a casing under a trail) at least 1 px wide at 1080p
meets the ground with its edge: that is the colour judged. The WCAG formula is written here
again, not imported from the palette it checks.

Below the scenes, the colour itself: the plane's ramp (its CIE lightness written here from
sRGB too), every ball style's edge and every text colour against every band, the levels
(log-spaced where f spans decades, bands where their values are), and stroke widths in
pixels at 1080p from manim's own camera.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pytest
from conftest import render_scene

from scenes.catalog import CATALOG

TEXT_RATIO = 4.5  # WCAG AA for text
MARK_RATIO = 3.0  # WCAG AA for graphical objects: balls, trails
THEMES = ("dark", "light")


# ---- WCAG 2, written from the definition ----------------------------------------------
def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """sRGB (..., 3) in [0, 1] -> WCAG relative luminance (...)."""
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    la, lb = relative_luminance(a), relative_luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def test_the_formula_is_wcags():
    white, black, grey = np.ones(3), np.zeros(3), np.full(3, 0x76 / 255)
    assert ratio(white, black) == pytest.approx(21.0)
    assert ratio(grey, white) == pytest.approx(4.54, abs=0.01)  # WCAG's own example


# ---- what the camera draws, as flat layers ----------------------------------------------
@dataclass
class Layer:
    """One filled mobject as the camera draws it: its outlines in frame coordinates."""

    order: int
    rgb: np.ndarray
    alpha: float
    outlines: list[np.ndarray]
    paths: list = field(default_factory=list)
    box: tuple = ()

    def covers(self, points: np.ndarray) -> np.ndarray:
        """Even-odd rule over the outlines (a band of the plane has holes)."""
        from matplotlib.path import Path

        if not self.paths:
            self.paths = [Path(ring) for ring in self.outlines]
            every = np.concatenate(self.outlines)
            self.box = (every.min(axis=0), every.max(axis=0))
        inside = np.zeros(len(points), dtype=bool)
        near = np.all((points >= self.box[0]) & (points <= self.box[1]), axis=1)
        if near.any():
            for path in self.paths:
                inside[near] ^= path.contains_points(points[near])
        return inside


def rgb_of(color: object) -> np.ndarray:
    return np.asarray(color.to_rgb(), dtype=float)  # type: ignore[attr-defined]


def outlines_of(mob, camera) -> list[np.ndarray]:
    """The mobject's subpaths as polygons of their anchors, where the camera puts them. A
    subpath ends where a cubic curve does not start at the end of the one before."""
    pts = camera.transform_points_pre_display(mob, mob.points)[:, :2]
    n = len(pts) // 4
    if n == 0:
        return []
    curves = pts[: 4 * n].reshape(n, 4, 2)
    breaks = np.flatnonzero(np.abs(curves[1:, 0] - curves[:-1, 3]).max(axis=1) > 1e-6) + 1
    rings = []
    for run in np.split(curves, breaks):
        ring = np.concatenate([run[:, 0], run[-1:, 3]])  # straight edges exact, arcs close enough
        if len(ring) >= 3:
            rings.append(ring)
    return rings


def is_text(mob, flat_ids: dict[int, tuple]) -> bool:
    from manim import MarkupText, SingleStringMathTex, Tex, Text

    from scenes.kit.numbers import LiveNumber

    return isinstance(mob, (Text, MarkupText, SingleStringMathTex, Tex, LiveNumber)) or id(mob) in flat_ids


def composite(background: np.ndarray, layers: Iterable[Layer], points: np.ndarray) -> np.ndarray:
    """The colour at each point after drawing `layers` in order over the background (cairo
    blends in sRGB, as here)."""
    out = np.tile(background, (len(points), 1))
    for layer in layers:
        hit = layer.covers(points)
        out[hit] = layer.alpha * layer.rgb + (1.0 - layer.alpha) * out[hit]
    return out


# ---- one scene, watched after every play --------------------------------------------------
@dataclass
class Finding:
    what: str
    worst: float
    needed: float

    def __str__(self) -> str:
        return f"{self.what}: {self.worst:.2f}:1 (needs {self.needed}:1)"


@dataclass
class Watch:
    """What a scene showed, play by play: each text and ball state checked once."""

    flat_ids: dict[int, tuple]  # id -> (the flattened text, its words)
    seen: set[tuple] = field(default_factory=set)
    texts: dict[tuple, tuple[float, np.ndarray]] = field(default_factory=dict)
    layers: dict[tuple, tuple] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    worst_text: float = np.inf
    worst_mark: float = np.inf

    def look(self, scene) -> None:
        from manim import VMobject

        camera = scene.renderer.camera
        if hasattr(camera, "reset_rotation_matrix"):  # 3D: refreshed only when a frame is drawn
            camera.reset_rotation_matrix()
        background = rgb_of(camera.background_color)
        drawn = [m for m in camera.get_mobjects_to_display(scene.mobjects) if isinstance(m, VMobject)]
        order = {id(m): k for k, m in enumerate(drawn)}
        ball_parts: set[int] = set()
        balls = scene.balls.every if hasattr(scene, "balls") else []
        for ball in balls:
            for part in (ball.dot, ball.trail, ball.beads):
                if part is not None:
                    ball_parts.update(id(m) for m in part.get_family())
        drawn_pointers = scene.pointers.drawn if hasattr(scene, "pointers") else []
        pointers = {id(m) for p in drawn_pointers for m in p.get_family()}
        texts: list = []
        inside_text: set[int] = set()
        stack = list(scene.mobjects)
        while stack:  # top-down: a MathTex has no points of its own, its glyphs do
            mob = stack.pop()
            if is_text(mob, self.flat_ids):
                texts.append(mob)
                inside_text.update(id(m) for m in mob.get_family())
            else:
                stack.extend(mob.submobjects)
        skip = ball_parts | pointers | inside_text
        ground = [
            self._layer(m, order[id(m)], camera)
            for m in drawn
            if id(m) not in skip and m.has_points() and m.get_fill_opacity() > 0
        ]
        ground = [g for g in ground if g.outlines]
        for mob in texts:
            self._text(mob, order, ground, background, camera)
        for ball in balls:
            self._ball(ball, order, ground, background, camera)

    def _layer(self, mob, order: int, camera) -> Layer:
        """Static parts are seen again after every play: their outlines are worked out once."""
        key = (id(mob), len(mob.points), float(mob.points.sum()))
        if key not in self.layers:
            self.layers[key] = (mob, outlines_of(mob, camera))  # the mobject held: ids stay unique
        rgb, alpha = rgb_of(mob.get_fill_color()), float(mob.get_fill_opacity())
        return Layer(order, rgb, alpha, self.layers[key][1])

    def _text(self, mob, order, ground, background, camera) -> None:
        """Remember the text at the most opaque it has been (a caption fading in or out is
        seen part-way): judged in `verdict`, against what lay behind it then."""
        parts = [m for m in mob.family_members_with_points() if m.get_fill_opacity() > 0.05]
        if not parts:
            return
        corners = np.concatenate([camera.transform_points_pre_display(m, m.points)[:, :2] for m in parts])
        (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
        words = (
            self.flat_ids.get(id(mob), (None, ""))[1]
            or getattr(mob, "text", None)
            or getattr(mob, "tex_string", None)
            or type(mob).__name__
        )
        first = min(order[id(m)] for m in parts)
        for colour in {tuple(rgb_of(m.get_fill_color())) for m in parts}:
            alpha = max(
                float(m.get_fill_opacity()) for m in parts if tuple(rgb_of(m.get_fill_color())) == colour
            )
            key = (words, colour, *np.round([x0, y0, x1, y1], 1))
            if key in self.texts and self.texts[key][0] >= alpha:
                continue
            gx, gy = np.meshgrid(np.linspace(x0, x1, 9), np.linspace(y0, y1, 4))
            points = np.column_stack([gx.ravel(), gy.ravel()])
            behind = composite(background, (g for g in ground if g.order < first), points)
            self.texts[key] = (alpha, behind)

    def verdict(self) -> list[Finding]:
        for (words, colour, *_), (alpha, behind) in self.texts.items():
            shown = alpha * np.asarray(colour) + (1 - alpha) * behind
            hex_ = "#" + "".join(f"{round(c * 255):02x}" for c in colour)
            self._record(f"text {words!r} in {hex_}", float(ratio(shown, behind).min()), TEXT_RATIO)
        self.texts.clear()
        return self.findings

    def _ball(self, ball, order, ground, background, camera) -> None:
        dot = ball.dot
        faces = [m for m in dot.family_members_with_points() if m.get_fill_opacity() > 0]
        if faces:
            colour = outer_colour(faces[0], "fill")
            key = ("dot", ball.name, tuple(colour), tuple(ball.coords[0]))
            if key not in self.seen:
                self.seen.add(key)
                where = camera.transform_points_pre_display(dot, ball.coords[ball.inside])[:, :2]
                front = max(order[id(m)] for m in faces)
                behind = composite(background, (g for g in ground if g.order < front), where)
                # 3D: surface faces nearer the camera than the ball are drawn over it
                shown = np.tile(colour, (len(where), 1))
                for g in ground:
                    if g.order > front:
                        hit = g.covers(where)
                        shown[hit] = g.alpha * g.rgb + (1 - g.alpha) * shown[hit]
                self._record(f"ball {ball.name!r} dot", float(ratio(shown, behind).min()), MARK_RATIO)
        for part, kind in ((ball.trail, "trail"), (ball.beads, "beads")):
            if part is None or not part.has_points() or id(part) not in order:
                continue
            stroke = kind == "trail"
            colour = outer_colour(part, "stroke" if stroke else "fill")
            alpha = float(part.get_stroke_opacity() if stroke else part.get_fill_opacity())
            if alpha == 0:
                continue
            where = camera.transform_points_pre_display(part, part.points)[:, :2]
            key = (kind, ball.name, tuple(colour), alpha, len(where))
            if key in self.seen:
                continue
            self.seen.add(key)
            behind = composite(background, (g for g in ground if g.order < order[id(part)]), where)
            shown = alpha * colour + (1 - alpha) * behind
            self._record(f"ball {ball.name!r} {kind}", float(ratio(shown, behind).min()), MARK_RATIO)

    def _record(self, what: str, worst: float, needed: float) -> None:
        if needed == TEXT_RATIO:
            self.worst_text = min(self.worst_text, worst)
        else:
            self.worst_mark = min(self.worst_mark, worst)
        if worst < needed:
            self.findings.append(Finding(what, worst, needed))


def edge_px(width: float) -> float:
    """Pixels at 1080p of a stroke of manim width `width`: the camera draws width times its
    cairo_line_width_multiple in frame units, and the frame is frame_height units high."""
    from manim import config
    from manim.camera.camera import Camera

    multiple = inspect.signature(Camera.__init__).parameters["cairo_line_width_multiple"].default
    return width * multiple * 1080 / config.frame_height


def outer_colour(mob, body: str) -> np.ndarray:
    """The colour where a mark meets what lies behind it: its edge, if it has one at least
    1 px wide outside its body at 1080p (a background stroke under a fill shows its outer
    half; a trail's casing shows what its wider width adds), else its body ("fill" or
    "stroke")."""
    body_width = mob.get_stroke_width() if body == "stroke" else 0.0
    edges = [(mob.get_stroke_width(background=True), mob.get_stroke_color(background=True), True)]
    if body == "fill":
        edges.append((mob.get_stroke_width(), mob.get_stroke_color(), False))
    for width, colour, background in edges:
        opaque = float(mob.get_stroke_opacity(background=background)) > 0.99
        if opaque and edge_px(width - body_width) / 2 >= 1.0:
            return rgb_of(colour)
    return rgb_of(mob.get_stroke_color() if body == "stroke" else mob.get_fill_color())


@pytest.fixture
def flat_ids(monkeypatch) -> Iterator[dict[int, tuple]]:
    """The kit flattens one-colour texts into a plain VMobject: remember which they are."""
    import sys

    import scenes.kit.mathtext as mt

    ids: dict[int, tuple] = {}
    original = mt.flat

    def flat(mob):
        out = original(mob)
        ids[id(out)] = (out, getattr(mob, "text", ""))  # held, so its id is never reused
        return out

    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("scenes") and getattr(module, "flat", None) is original:
            monkeypatch.setattr(module, "flat", flat)
    yield ids


def test_the_checker_finds_pale_text_on_a_band_and_nowhere_else(tiny, flat_ids):
    from manim import DOWN, ManimColor, Rectangle, Scene, Text

    scene = Scene()
    scene.camera.background_color = ManimColor("#000000")
    band = Rectangle(width=6, height=2, fill_color=ManimColor("#d0d0d0"), fill_opacity=1.0, stroke_width=0)
    scene.add(band, Text("band", color=ManimColor("#ffffff")), Text("beside").shift(3 * DOWN))
    watch = Watch(flat_ids)
    watch.look(scene)
    assert [f.what for f in watch.verdict()] == ["text 'band' in #ffffff"]
    assert watch.worst_text == pytest.approx(1.5, abs=0.1)  # #d0d0d0 under white


def watched(cls, watch: Watch) -> type:
    class Watched(cls):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            # updaters run at every frame as in a render; only the pixels are not drawn
            self.skip_animation_preview = True
            self.renderer.update_frame = lambda *args, **kwargs: None

        def play(self, *args, **kwargs) -> None:
            watch.look(self)  # a caption shown with no hold is fully opaque only here
            super().play(*args, **kwargs)
            watch.look(self)

    Watched.__name__ = cls.__name__
    return Watched


# known, to fix next (none today: basins' legend words were in the balls' colours, 3.8:1 on
# white; the key's dot carries the colour now)
KNOWN_LOW: set[tuple[str, str]] = set()
# none today: generalization's light panel had a live number over a band at 3.6:1 in some runs;
# its numbers now stand in the planes' header rows, off the bands (four runs in one process)
UNSTEADY: set[tuple[str, str]] = set()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_text_ball_and_trail_stands_out(tiny, flat_ids, name, theme, request):
    if (name, theme) in KNOWN_LOW:
        request.applymarker(pytest.mark.xfail(strict=True, reason="text under 4.5:1, to fix next"))
    if (name, theme) in UNSTEADY:
        request.applymarker(pytest.mark.xfail(strict=False, reason="text at 3.6:1 in some runs, to fix next"))
    from manim import tempconfig

    from scenes.catalog import get_story, scene_class
    from scenes.kit.palette import use_palette

    settings = get_story(name).settings
    watch = Watch(flat_ids)
    try:
        with tempconfig({"dry_run": True}):  # no movie: frames are not drawn (see `watched`)
            render_scene(name, cls=watched(scene_class(name, settings), watch), theme=theme)
    finally:
        use_palette("dark")
    findings = watch.verdict()
    assert np.isfinite(watch.worst_text) and np.isfinite(watch.worst_mark), "nothing was checked"
    assert not findings, "\n".join(sorted(set(map(str, findings))))


# ---- the colour itself: ramp, edges, text, levels, widths -------------------------------
BAND_SAMPLES = 64  # the ramp as finely as any plane will cut it (a plane has 13 bands)


def lightness(rgb: np.ndarray) -> np.ndarray:
    """CIE 1976 L* of sRGB colours: from the luminance Y (D65 white, Y = 1), as CIE defines it."""
    y = relative_luminance(np.asarray(rgb, dtype=float))
    f = np.where(y > (6 / 29) ** 3, np.cbrt(y), y / (3 * (6 / 29) ** 2) + 4 / 29)
    return 116 * f - 16


def test_lightness_is_cies():
    assert lightness(np.ones(3)) == pytest.approx(100.0)
    assert lightness(np.zeros(3)) == pytest.approx(0.0)
    assert lightness(np.full(3, 119 / 255)) == pytest.approx(50.0, abs=0.1)  # #777777, mid grey


def band_colours(theme: str) -> np.ndarray:
    """The ramp's colours as the palette hands them to a plane, lowest band first."""
    from scenes.kit.palette import PALETTES

    return np.array([rgb_of(c) for c in PALETTES[theme].ramp.colours(BAND_SAMPLES)])


def planes(theme: str):
    """Contour planes as the scenes build them, in the theme: the chapter's ill-conditioned
    bowl, gd-2d's bowl, rosenbrock and the saddle."""
    from landscapes.expression import parse_expression
    from landscapes.functions import NAMED
    from scenes.kit.contour import ContourPlane
    from scenes.kit.palette import use_palette

    use_palette(theme)
    try:
        cases = [
            (parse_expression("0.1*x**2 + 2*y**2"), (-5.5, 1.5, 1.0), (-3.0, 3.0, 1.0)),
            (parse_expression("x**2 + 2*y**2"), (-5.5, 1.5, 1.0), (-3.0, 3.0, 1.0)),
            (NAMED["rosenbrock"], (-2.0, 2.0, 1.0), (-1.0, 3.0, 1.0)),
            (parse_expression("x**2 - y**2"), (-1.0, 1.0, 0.5), (-1.0, 1.0, 0.5)),
        ]
        return [(ls, ContourPlane(ls, xr, yr, width=8.6, height=6.2)) for ls, xr, yr in cases]
    finally:
        use_palette("dark")


@pytest.mark.parametrize("theme", THEMES)
def test_the_ramp_rises_evenly_over_40_lightness_units(theme):
    lstar = lightness(band_colours(theme))
    steps = np.diff(lstar)
    assert lstar[-1] - lstar[0] >= 40.0, f"{theme}: L* {lstar[0]:.1f} to {lstar[-1]:.1f}"
    assert (steps > 0).all(), "lightness rises from the lowest band to the highest"
    assert steps.max() <= 2.0 * steps.min(), "in even steps (8-bit rounding aside)"
    for _ls, plane in planes(theme):  # and the planes' bands are the ramp's, lowest darkest
        drawn = lightness(np.array([rgb_of(b.get_fill_color()) for b in plane.fill]))
        assert (np.diff(drawn) > 0).all() and drawn[-1] - drawn[0] >= 40.0


@pytest.mark.parametrize("theme", THEMES)
def test_balls_trails_and_beads_stand_out_on_every_band(theme):
    """Eight ball styles: where a ball's own colour is under 3:1 on a band, its edge must be
    3:1 there, and every mark built for the style must draw that edge, wide enough to see."""
    from scenes.kit.markers import ball_marker, style_beads, style_trail
    from scenes.kit.palette import PALETTES, ball_style, use_palette

    bands = band_colours(theme)
    use_palette(theme)
    try:
        styles = [ball_style(k) for k in range(8)]
    finally:
        use_palette("dark")
    assert len({(str(s.color), s.shape, s.dash) for s in styles}) == 8
    background = rgb_of(PALETTES[theme].background)
    for k, style in enumerate(styles):
        colour, edge = rgb_of(style.color), rgb_of(style.edge)
        own = ratio(np.tile(colour, (len(bands), 1)), bands)
        on_edge = ratio(np.tile(edge, (len(bands), 1)), bands)
        assert (np.maximum(own, on_edge) >= MARK_RATIO).all(), f"{theme} ball {k}: {own.min():.2f}"
        assert ratio(colour, background) >= TEXT_RATIO, f"{theme} ball {k}: its name is written in it"
        if (own >= MARK_RATIO).all():
            continue
        from manim import VMobject

        marks = {
            "ball": ball_marker(style, [0.0, 0.0, 0.0], 0.13),
            "beads": style_beads(VMobject(), style),
            "trail": style_trail(VMobject(), style),
        }
        for kind, mob in marks.items():
            body = "stroke" if kind == "trail" else "fill"
            assert outer_colour(mob, body) == pytest.approx(edge), f"{theme} ball {k}: its {kind}'s edge"
        assert edge_px(marks["trail"].get_stroke_width()) >= 5.0, "trails 5 px wide or more at 1080p"


@pytest.mark.parametrize("theme", THEMES)
def test_text_stands_out_on_every_band_and_the_background(theme):
    from scenes.kit.palette import PALETTES

    p = PALETTES[theme]
    behind = np.vstack([band_colours(theme), rgb_of(p.background)])
    worst = ratio(np.tile(rgb_of(p.text), (len(behind), 1)), behind).min()
    assert worst >= TEXT_RATIO, f"{theme}: text at {worst:.2f}:1"


class _AsDrawn:
    """A still 2D camera: scene points are frame points."""

    def transform_points_pre_display(self, mob, points):
        return points


AS_DRAWN = _AsDrawn()


def test_levels_are_log_spaced_where_f_spans_decades_and_bands_hold_their_values():
    from matplotlib.path import Path

    for ls, plane in planes("dark"):
        levels = plane.levels
        assert (np.diff(levels) > 0).all() and (np.diff(plane.band_edges()) > 0).all(), "monotone"
        # f over the view, sampled here, from its 1st to its 99th percentile above its minimum
        xs = np.linspace(*plane.axes.x_range[:2], 97)
        ys = np.linspace(*plane.axes.y_range[:2], 89)
        gx, gy = np.meshgrid(xs, ys)
        f = np.array([ls.value(x, y) for x, y in zip(gx.ravel(), gy.ravel(), strict=True)])
        d = f - f.min()
        spans_decades = np.log10(np.percentile(d, 99) / np.percentile(d, 1)) > 2.0
        above = levels - plane.z_lo
        if spans_decades:  # equal ratios between levels' heights above the minimum
            assert plane.log_levels and np.ptp(np.diff(np.log(above))) < 1e-6 * np.log(above[-1] / above[0])
        else:  # equal differences
            assert not plane.log_levels and np.ptp(np.diff(levels)) < 1e-6 * np.ptp(levels)
        # each band lies where f is between its edges (holes left open for the bands inside):
        # a point of the view inside band k has f within its edges, up to a tenth of the band
        # (the outlines follow a 120-point grid, not f itself)
        edges = plane.band_edges()
        at = np.array([plane.axes.c2p(x, y)[:2] for x, y in zip(gx.ravel(), gy.ravel(), strict=True)])
        for k, band in enumerate(plane.fill):
            winding = np.zeros(len(at), dtype=int)  # cairo fills by the nonzero rule
            for ring in outlines_of(band, AS_DRAWN):
                area = np.sum(ring[:-1, 0] * ring[1:, 1] - ring[1:, 0] * ring[:-1, 1])
                winding += int(np.sign(area)) * Path(ring).contains_points(at)
            inside = winding != 0
            tol = 0.1 * (min(edges[k + 1], plane.z_hi) - max(edges[k], plane.z_lo))
            wrong = inside & ((f < edges[k] - tol) | (f > edges[k + 1] + tol))
            assert inside.any(), f"band {k} covers part of the view"
            assert wrong.mean() < 0.002, f"band {k} holds values outside [{edges[k]:.3g}, {edges[k + 1]:.3g}]"


def test_the_chapters_bowl_and_rosenbrock_get_log_levels_the_saddle_linear():
    kinds = [plane.log_levels for _ls, plane in planes("light")]
    assert kinds == [True, True, True, False]


def test_isolines_are_2px_wide_at_1080p_and_drawn_over_the_bands():
    for _ls, plane in planes("dark"):
        assert plane.lines, "iso-lines drawn"
        for _level, mob in plane.lines:
            assert edge_px(mob.get_stroke_width()) >= 2.0
        order = list(plane.family_members_with_points())
        assert max(order.index(b) for b in plane.fill) < min(order.index(m) for _l, m in plane.lines)


@pytest.mark.parametrize("theme", THEMES)
def test_words_in_any_palette_colour_stand_out_over_the_bands_on_a_backing(theme):
    """What cairo draws: the plate blended over each band (sRGB, its opacity), then the words."""
    from manim import Text

    from scenes.kit.markers import backing
    from scenes.kit.palette import PALETTES, use_palette

    p = PALETTES[theme]
    use_palette(theme)
    try:
        plate = backing(Text("x"))
    finally:
        use_palette("dark")
    assert plate.get_fill_color() == p.background
    alpha = float(plate.get_fill_opacity())
    behind = alpha * rgb_of(p.background) + (1 - alpha) * band_colours(theme)
    for role in ("text", "note", "warn", "balls"):
        for colour in np.atleast_1d(getattr(p, role)):
            worst = ratio(np.tile(rgb_of(colour), (len(behind), 1)), behind).min()
            assert worst >= TEXT_RATIO, f"{theme}.{role} {colour}: {worst:.2f}:1 on a backed band"


@pytest.mark.parametrize("theme", THEMES)
def test_the_ramp_reads_in_order_for_every_eye(theme):
    """Under each dichromacy (Machado 2009) the bands still rise in lightness, and each band
    of a 13-band plane is told from its neighbour (ΔE*76 of 3 or more)."""
    from test_markers import DICHROMACY, lab, seen_as

    from scenes.kit.palette import PALETTES

    bands = np.array([rgb_of(c) for c in PALETTES[theme].ramp.colours(13)])
    for kind in DICHROMACY:
        seen = seen_as(bands, kind)
        assert (np.diff(lightness(seen)) > 0).all(), f"{theme}, {kind}: lightness falls somewhere"
        steps = np.linalg.norm(np.diff(lab(seen), axis=0), axis=1)
        assert steps.min() >= 3.0, f"{theme}, {kind}: neighbouring bands {steps.min():.1f} apart"


def test_levels_on_grids_with_decades_a_flat_floor_and_none():
    from scenes.kit.contour import contour_levels

    x = np.linspace(-2.0, 2.0, 120)
    gx, gy = np.meshgrid(x, x)
    cases = {
        "exp": (np.exp(3 * gx) + gy**2, True),  # about four decades above its minimum
        "floor": (np.maximum(gx, 0.0) ** 2 + 0 * gy, True),  # half the view at f = 0
        "saddle": (gx**2 - gy**2, False),
        "ripples": (np.sin(3 * gx) * np.cos(3 * gy), False),
    }
    for name, (z, log) in cases.items():
        levels, is_log = contour_levels(z, 12)
        assert is_log == log and len(levels) == 12 and (np.diff(levels) > 0).all(), name
        assert z.min() < levels[0] and levels[-1] <= z.max(), name
        if log:  # geometric above the minimum, from its lowest tenth of a decade or more
            above = levels - z.min()
            assert np.ptp(np.diff(np.log10(above))) < 1e-9 and np.log10(above[-1] / above[0]) < 8, name
    flat, is_log = contour_levels(np.zeros((10, 10)), 12)
    assert len(flat) == 0 and not is_log


def test_a_plane_takes_its_own_levels_and_ramp():
    from landscapes.expression import parse_expression
    from scenes.kit.contour import ContourPlane
    from scenes.kit.palette import Ramp

    grey = Ramp(lightness=(20.0, 80.0), chroma=(0.0, 0.0), hue=(0.0, 0.0))
    plane = ContourPlane(
        parse_expression("x**2 + y**2"), (-2, 2, 1), (-2, 2, 1), levels=[3.0, 1.0, 2.0], ramp=grey
    )
    assert list(plane.levels) == [1.0, 2.0, 3.0] and not plane.log_levels
    drawn = np.array([rgb_of(b.get_fill_color()) for b in plane.fill])
    assert len(drawn) == 4 and np.allclose(drawn, drawn[:, :1], atol=1 / 255), "greys, as asked"
    assert lightness(drawn[0]) == pytest.approx(20.0, abs=0.5) and lightness(drawn[-1]) == pytest.approx(
        80.0, abs=0.5
    )
