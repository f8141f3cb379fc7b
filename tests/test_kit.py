"""The drawing kit: one palette, one translation function, the contour plane, where
annotations and labels go, and the on-screen faults a lecturer would see."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import render_scene
from support import ROOT

from landscapes import parse_expression
from scenes.catalog import CATALOG, get_story
from scenes.kit.labels import box_of, densify
from scenes.words import i18n

SCENE_FILES = sorted(
    [p for p in (ROOT / "scenes").glob("*.py") if p.name not in ("__init__.py", "__main__.py", "catalog.py")]
    + [p for p in (ROOT / "scenes" / "kit").glob("*.py") if p.name != "palette.py"]
)
HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}(?:[0-9a-fA-F]{2})?$")


def _manim_colour_names() -> set[str]:
    from manim.utils.color import manim_colors

    return {n for n in dir(manim_colors) if n.isupper()}


def colour_literals(path: Path) -> list[str]:
    """Colours written into a file instead of taken from the palette."""
    names = _manim_colour_names()
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and HEX.match(node.value):
            found.append(node.value)
        elif isinstance(node, ast.Name) and node.id in names:
            found.append(node.id)
        elif isinstance(node, ast.alias) and node.name in names:
            found.append(node.name)
        elif isinstance(node, ast.Call):
            fn = node.func
            called = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
            if called in ("ManimColor", "from_hex", "from_rgb", "rgb_to_color", "hex_to_rgb"):
                found.append(f"{called}(...)")
    return found


def test_no_colour_literal_outside_the_palette():
    assert SCENE_FILES, "the scan sees the scene files"
    faults = {p.name: colour_literals(p) for p in SCENE_FILES}
    assert {k: v for k, v in faults.items() if v} == {}


def test_the_colour_scan_sees_literals(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from manim import WHITE, ManimColor\nA = ManimColor('#ffcc33')\nB = '#abc'\nC = WHITE\n")
    assert sorted(colour_literals(bad)) == sorted(["WHITE", "ManimColor(...)", "#ffcc33", "#abc", "WHITE"])


# ---- translation -------------------------------------------------------------------------
# every scene, and the 2D variants of compare and custom
VARIANTS = [(n, None) for n in CATALOG] + [
    ("compare", get_story("compare").settings.override(landscape="saddle", start=(0.95, 0.002))),
    (
        "custom",
        get_story("custom").settings.override(
            function="x**2 - y**2", domain=((-1.0, 1.0), (-1.0, 1.0)), start=(0.9, 0.05)
        ),
    ),
]
NUMBER = re.compile(r"[-+]?\d+(\.\d+)?(e[-+]?\d+)?")


def _unmarked_words(s: str) -> str:
    """What is left of a text once translated parts and numbers are taken out."""
    innermost = re.compile(f"{i18n.OPEN}[^{i18n.OPEN}{i18n.CLOSE}]*{i18n.CLOSE}")
    rest, n = innermost.subn("", s)
    while n:  # translated words may sit inside a translated sentence
        rest, n = innermost.subn("", rest)
    # a caption too long for one line is drawn as two: each half holds one end of the marks
    rest = re.sub(f"{i18n.OPEN}[^{i18n.CLOSE}]*$", "", re.sub(f"^[^{i18n.OPEN}]*{i18n.CLOSE}", "", rest))
    return re.sub(r"[^A-Za-z]", "", NUMBER.sub("", rest))


@pytest.fixture
def pseudo():
    i18n.use_language(i18n.PSEUDO)
    i18n.SEEN.clear()
    yield
    i18n.use_language(i18n.SOURCE)


@pytest.mark.parametrize(
    ("name", "settings"), VARIANTS, ids=[f"{n}-{k}" for k, (n, _) in enumerate(VARIANTS)]
)
def test_no_word_on_screen_escapes_translation(tiny, pseudo, monkeypatch, name, settings):
    """Under a pseudo-language that marks every translated text, every text mobject of a
    real (tiny) render is marked; math (MathTex) is math and stays as it is."""
    import scenes.kit.mathtext as mt

    shown: list[str] = []

    class Recorded(mt.Text):
        def __init__(self, text, **kwargs):
            shown.append(text)
            super().__init__(text, **kwargs)

    monkeypatch.setattr(mt, "Text", Recorded)
    render_scene(name, settings, lang=i18n.PSEUDO)
    assert shown, "the scene shows words"
    # a title wrapped into lines (the network scenes' column) is measured whole first: a
    # line is a piece of that translated sentence
    whole = [s for s in shown if s.startswith(i18n.OPEN) and s.endswith(i18n.CLOSE)]
    assert [s for s in shown if _unmarked_words(s) and not any(s.strip() in w for w in whole)] == []
    # every sentence asked for is one that extraction finds in the source: no dynamic msgids
    assert i18n.SEEN <= extracted_messages()


def extracted_messages() -> set[str]:
    """What `make messages` extracts: the scenes, the story lines, the optimizers' words."""
    from babel.messages.extract import extract_from_dir, extract_from_file

    found = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        # the story lines (a title slide's words): Scene(name, line, ...) in scenes/catalog.py
        str(ROOT / "scenes"),
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "Scene": (2,)},
    ):
        if isinstance(message, str):
            found.add(message)
    # the optimizers' words on screen: N_("gd") in their records, landscapes/rules.py
    for path, keywords in (("rules.py", {"N_": None}),):
        for _line, message, _comments, _ctx in extract_from_file(
            "python", str(ROOT / "landscapes" / path), keywords=keywords
        ):
            if isinstance(message, str):
                found.add(message)
    return found


def test_the_message_template_is_up_to_date():
    """locale/roll.pot is what `make messages` (pybabel extract) writes from the code today."""
    from babel.messages.pofile import read_po

    with (ROOT / "scenes" / "words" / "locale" / "roll.pot").open("rb") as f:
        shipped = {m.id for m in read_po(f) if m.id}
    assert shipped == extracted_messages(), "run `make messages`"


def test_english_is_the_source_and_unknown_languages_are_refused():
    assert i18n._("caught") == "caught"
    with pytest.raises(ValueError, match="unknown language 'xx'"):
        i18n.use_language("xx")


# ---- the contour plane -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expr", "xr", "yr"),
    [("x**2 - y**2", (-1, 1, 0.5), (-1, 1, 0.5)), ("0.1*x**2 + 2*y**2", (-5.5, 1, 1), (-3, 1, 1))],
)
def test_contour_lines_lie_on_their_level_sets(expr, xr, yr):
    from scenes.kit.contour import ContourPlane

    ls = parse_expression(expr)
    plane = ContourPlane(ls, xr, yr, width=5.6, height=4.9, centre=(-3.0, -0.2))
    assert len({lvl for lvl, _ in plane.lines}) >= 8, "a dozen levels, as the book's plots"
    span = plane.z_hi - plane.z_lo
    for level, mob in plane.lines:
        pts = mob.points[:: max(1, len(mob.points) // 40)]
        coords = np.array([plane.axes.p2c(p) for p in pts])
        values = np.array([ls.value(x, y) for x, y in coords])
        assert np.max(np.abs(values - level)) <= 0.01 * span, f"level {level}"
    # the fill sits under the lines and inside the box
    box = plane.frame_box
    fill_pts = np.concatenate([b.points for b in plane.fill])
    assert (
        fill_pts[:, 0].min() >= box.get_left()[0] - 1e-6 and fill_pts[:, 0].max() <= box.get_right()[0] + 1e-6
    )


# ---- where things go ---------------------------------------------------------------------
def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("name", ["risk", "local-minimum", "ripples", "cubic-saddle", "vanishing-gradient"])
def test_annotations_are_clear_of_everything_and_inside_the_frame(tiny, name):
    scene = render_scene(name)
    assert scene.marks, "the story annotates its moment"
    boxes = [box_of(m[0]) for m in scene.marks]
    things = [
        box_of(n)
        for n in (*scene.plot.axes.x_axis.numbers, *scene.plot.axes.y_axis.numbers, *scene.plot.axis_labels)
    ]
    lines = [densify(c.points) for c in scene.plot.curves]
    # what is drawn of the axes: the box's edges (the numbers sit outside it)
    frame = scene.plot.axes.frame
    corners = [frame.get_corner(d) for d in ([-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0], [-1, -1, 0])]
    lines += [densify(np.array([a, b])) for a, b in zip(corners, corners[1:], strict=False)]
    for k, box in enumerate(boxes):
        assert -7.1 <= box[0] and box[2] <= 7.1 and -3.4 <= box[1] and box[3] <= 4.0, "inside the frame"
        assert not any(_overlap(box, other) for j, other in enumerate(boxes) if j != k), "clear of each other"
        assert not any(_overlap(box, t) for t in things), "clear of tick and axis labels"
        for pts in lines:
            inside = (pts[:, 0] > box[0]) & (pts[:, 0] < box[2]) & (pts[:, 1] > box[1]) & (pts[:, 1] < box[3])
            assert not inside.any(), "clear of curves and axes"
        for ball in scene.balls:
            c = ball.dot.get_center()
            assert not (box[0] < c[0] < box[2] and box[1] < c[1] < box[3]), "clear of the balls"


def test_risk_curves_differ_and_the_x_label_clears_the_last_tick(tiny):
    scene = render_scene("risk")
    f_curve, g_curve = scene.plot.curves
    assert f_curve.get_stroke_color() != g_curve.get_stroke_color()
    x_label = box_of(scene.plot.axis_labels[0])
    assert not any(_overlap(x_label, box_of(n)) for n in scene.plot.axes.x_axis.numbers)


@pytest.mark.parametrize("name", ["saddle-surface", "custom-surface"])
def test_3d_axis_labels_are_upright_letters_beside_their_axes(tiny, name):
    if name == "custom-surface":
        settings = get_story("custom").settings.override(
            function="x**2 + 2*y**2", domain=((-5.0, 5.0), (-3.0, 3.0)), start=(4.0, 2.0)
        )
        scene = render_scene("custom", settings)
    else:
        scene = render_scene(name)
    fixed = scene.renderer.camera.fixed_in_frame_mobjects
    for name_, label, axis in zip("xyf", scene.plot.axis_labels, scene.relief.axis_lines, strict=True):
        assert label in fixed, "pinned to the frame, not rotated into 3D"
        assert label.height >= 0.2, "at least 12 px high at 480p"
        # x and y beside the middle of their floor edge, f beside its axis' top
        near = scene.project(axis.get_end() if name_ == "f" else axis.get_center())
        assert np.linalg.norm(label.get_center()[:2] - near[:2]) < 0.6, f"{name_} beside its axis"
    # the surface's box sits in the middle of the space left of the panel, not in the top half
    ax = scene.plot.axes
    corners = [
        scene.project(ax.c2p(x, y, z)) for x in ax.x_range[:2] for y in ax.y_range[:2] for z in ax.z_range[:2]
    ]
    ys = np.array(corners)[:, 1]
    region = scene.framer.region
    assert abs((ys.min() + ys.max()) / 2 - (region[1] + region[3]) / 2) < 0.05
    assert region[2] <= scene.plot.regions.panel[0], "left of the panel"


def test_plane_readouts_keep_apart_and_off_map_balls_are_not_ranked(tiny):
    settings = get_story("compare").settings.override(landscape="saddle", start=(0.95, 0.002))
    scene = render_scene("compare", settings)
    assert all(b.traj.status in ("diverged", "left_domain", "undefined", "singular") for b in scene.balls)
    assert "lowest" not in scene.caption_text and "caught in a higher minimum" not in scene.caption_text
    assert scene.caption_text.startswith("no ball stayed on the map")
    # name/number pairs on a row never touch
    from scenes.kit.readouts import Readouts

    panels = [m for m in scene.get_mobject_family_members() if isinstance(m, Readouts)]
    assert panels, "the legend is a readout panel"
    names = [label for panel in panels for label in panel.submobjects]
    parts = [box_of(m) for m in scene.live] + [box_of(m) for m in names]
    for i, a in enumerate(parts):
        assert not any(_overlap(a, b) for b in parts[i + 1 :])
    # the y label sits left of the plane, where no ball goes
    plane = scene.plot.plane
    assert plane.y_label.get_right()[0] < plane.frame_box.get_left()[0]


def test_every_record_names_a_class_its_module_has(tmp_path):
    """Read from the source, not imported: a record naming a missing class fails here."""
    import ast

    for name, record in CATALOG.items():
        tree = ast.parse((ROOT / record.path).read_text(encoding="utf-8"))
        classes = {n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
        for cls in filter(None, (record.cls, record.plane_cls)):
            assert cls in classes, f"{name}: {record.path} has no class {cls}"


def test_long_legend_headers_stay_inside_the_frame(tiny):
    """compare's adam header names both betas: the panel shrinks it to its width, not past the edge."""
    from manim import config

    from scenes.kit.readouts import Readouts

    scene = render_scene("compare")
    panels = [m for m in scene.get_mobject_family_members() if isinstance(m, Readouts)]
    headers = [part for panel in panels for part in panel.submobjects]
    assert any("β₂" in getattr(t, "text", "") for h in headers for t in h.get_family())
    for part in headers:
        assert part.get_right()[0] <= config.frame_width / 2 - 0.05
