"""The picture at every beat's last frame, measured from the mobjects' boxes: the plot takes
most of the frame, text reads from the back row, nothing collides or leaves the frame, the
numbers are typeset for slides, a caption never outlives the step it quotes, and the first
roll draws its trail.

The snapshot is taken where a beat ends (its subtitle cue closes), from what is on screen
then; the thresholds are the issue's, written here, not read from the kit. A text's size is
its digits' cap height and its subscripts' height, measured against the same characters set
afresh (tests/typesize.py), not its box: a box stays tall around a shrunk "β₁".
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from conftest import render_scene
from manim import Text
from typesize import type_sizes

from scenes.catalog import CHAPTER
from scenes.kit.numbers import LiveNumber
from scenes.kit.recorder import BeatRecorder
from scenes.kit.story import StoryScene

FRAME_W, FRAME_H = 128 / 9, 8.0
FRAME_AREA = FRAME_W * FRAME_H
SMALLEST_TEXT = FRAME_H / 32  # 1/32 of the frame height
PLANE_SHARE, CURVE_SHARE, SURFACE_SHARE = 0.40, 0.50, 0.30
EIGHT = "gd,momentum,adam,adamw,lion,adan,rmsprop,adagrad"
NETWORK_SCENES = ("network", "generalization", "interpolation")


def box(m) -> tuple[float, float, float, float]:
    lo, hi = m.get_corner([-1, -1, 0]), m.get_corner([1, 1, 0])
    return (lo[0], lo[1], hi[0], hi[1])


def overlap(a, b, pad: float = 0.0) -> bool:
    return a[0] < b[2] - pad and b[0] < a[2] - pad and a[1] < b[3] - pad and b[1] < a[3] - pad


def shown_texts(scene) -> list:
    """Every text on screen now: Text, live numbers, and the kit's flattened captions and labels."""
    out = []
    for top in scene.mobjects:
        for m in top.get_family():
            if not hasattr(m, "fill_opacity") or (not m.has_points() and not isinstance(m, Text)):
                continue
            if m.get_fill_opacity() < 0.5:
                continue
            if isinstance(m, (Text, LiveNumber)) or getattr(m, "words", None):
                out.append(m)
    # a Text's glyphs are its family too: keep the Text, not each glyph
    texts = {id(m) for m in out if isinstance(m, Text)}
    return [
        m for m in out if not any(id(p) in texts for p in getattr(m, "parents", [])) or isinstance(m, Text)
    ]


def words_of(m) -> str:
    if isinstance(m, LiveNumber):
        return m.text_of(m.get_value())
    return getattr(m, "original_text", None) or getattr(m, "words", "") or ""


class Snapshot:
    def __init__(self, scene) -> None:
        self.texts = [(words_of(m), box(m), m) for m in shown_texts(scene) if m.family_members_with_points()]
        self.balls = [(b.name, box(b.dot)) for b in scene.balls if b.dot.get_fill_opacity() > 0.5]
        self.marks = [(m[0], box(m[0])) for m in scene.marks if m[0].get_fill_opacity() > 0.5]
        self.plot = None
        planes = getattr(scene, "planes", None)
        if planes:  # side by side (generalization): the landscape is every plane's box
            boxes = [box(p.frame_box) for p in planes]
            self.plot = ("plane", boxes[0], sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes))
        elif scene.plot.plane is not None:
            self.plot = ("plane", box(scene.plot.plane.frame_box))
        elif getattr(scene.plot.axes, "frame", None) is not None:
            self.plot = ("curve", box(scene.plot.axes.frame))
        elif hasattr(scene, "framer"):  # a surface: its box as the camera projects it now
            flat = np.array([scene.project(c) for c in scene.framer.corners])
            self.plot = ("surface", (*flat[:, :2].min(axis=0), *flat[:, :2].max(axis=0)))
        self.caption = box(scene.caption_mob) if scene.caption_mob is not None else None
        self.panels = [box(p) for p in scene.column.panels]


@pytest.fixture
def snapshots(monkeypatch):
    """Record a Snapshot where each beat ends."""
    shots: list[Snapshot] = []
    close = BeatRecorder.close

    def closing(self, now, step):
        if self.open:  # the recorder's subtitle callback is its scene's add_subcaption
            shots.append(Snapshot(self.subtitle.__self__))
        return close(self, now, step)

    monkeypatch.setattr(BeatRecorder, "close", closing)
    return shots


CASES = [(n, None) for n in CHAPTER] + [
    ("compare", {"optimizers": EIGHT, "landscape": "rosenbrock"}),
    ("race", {"optimizers": EIGHT, "landscape": "himmelblau"}),
    ("compare", {"optimizers": EIGHT, "function": "x**4 - 2*x**2 + 0.3*x"}),
    *((n, None) for n in NETWORK_SCENES),
    ("network", {"optimizers": "gd,momentum,adam"}),
    ("compare", {"model": "mlp:16,16"}),
    ("basins", None),
    ("compare", None),
    ("race", None),
]
ROOT = Path(__file__).resolve().parents[1]
STORY_FILES = sorted(ROOT.glob("examples/stories/*.toml"))


def render_case(name, options):
    if options is None:
        return render_scene(name)
    from scenes.catalog import get_story

    if "model" in options:  # compare --model: the network's scene with compare's optimizers
        from scenes.catalog import entry, on_model

        on_model(name, ["model"])
        record = entry(name)
        return render_scene(name, settings=record.settings, options={**record.options, **options})
    settings = get_story(name).settings
    optimizers = tuple(options["optimizers"].split(","))
    if "landscape" not in options and "function" not in options:  # several optimizers on one model
        return render_scene(name, settings=settings, options={"optimizers": optimizers})
    if "landscape" in options:
        settings = settings.override(landscape=options["landscape"], start=(-1.5, 2.0))
    if "function" in options:
        settings = settings.override(landscape="custom", function=options["function"], start=(0.3,))
    return render_scene(name, settings=settings, options={"optimizers": optimizers})


@pytest.mark.parametrize(("name", "options"), CASES)
def test_every_beat_end_meets_the_picture_targets(tiny, snapshots, name, options):
    scene = render_case(name, options)
    meets_the_targets(scene, snapshots, name)


@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_every_shipped_story_file_meets_the_picture_targets(tiny, snapshots, path):
    from landscapes.storyfile import load
    from scenes.catalog import entry, register_file

    name = register_file(load(path))
    scene = render_scene(name, options=entry(name).options)
    meets_the_targets(scene, snapshots, path.stem)


def meets_the_targets(scene, snapshots, name: str) -> None:
    assert snapshots, "the scene has beats"
    small: set[str] = set()  # every text set too small, named at once
    for k, shot in enumerate(snapshots):
        where = f"{name} beat {k}"
        kind, plot, *area = shot.plot
        share = (area[0] if area else (plot[2] - plot[0]) * (plot[3] - plot[1])) / FRAME_AREA
        need = {"plane": PLANE_SHARE, "curve": CURVE_SHARE, "surface": SURFACE_SHARE}[kind]
        assert share >= need - 1e-3, f"{where}: plot {share:.1%}"
        for words, b, m in shot.texts:
            cap, sub = type_sizes(m, words)
            if cap < SMALLEST_TEXT - 1e-3:
                small.add(f"{where}: {words!r} has digits {cap * 60:.1f} px high at 480p")
            if sub is not None and sub < SMALLEST_TEXT * 0.7 - 1e-3:
                small.add(f"{where}: {words!r} has subscripts {sub * 60:.1f} px high at 480p")
            assert b[0] >= -FRAME_W / 2 and b[2] <= FRAME_W / 2, f"{where}: {words!r} leaves the frame"
            assert b[1] >= -FRAME_H / 2 and b[3] <= FRAME_H / 2, f"{where}: {words!r} leaves the frame"
        for i, (wa, ba, _) in enumerate(shot.texts):
            for wb, bb, _ in shot.texts[i + 1 :]:
                assert not overlap(ba, bb, pad=0.01), f"{where}: {wa!r} overlaps {wb!r}"
        for mark, mb in shot.marks:
            named = mark.words
            for ball, bb in shot.balls:
                if ball not in named and named not in ball:
                    assert not overlap(mb, bb), f"{where}: the label {named!r} covers the ball {ball!r}"
        if shot.caption is not None:
            for p in shot.panels:
                assert not overlap(shot.caption, p), f"{where}: the caption runs into a panel"
    assert not small, "\n".join(sorted(small))
    assert scene.recorder.beats


SIGN_HYPHEN = re.compile(r"(^|[\s(\[=,:])-[\d.]")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["momentum", "ill-conditioned", "learning-rate", "ripples", "adagrad"])
def test_numbers_on_screen_are_typeset_for_slides(tiny, snapshots, name, lang):
    render_scene(name, lang=lang)
    seen = [w for shot in snapshots for w, _b, _m in shot.texts]
    assert seen
    for words in seen:
        assert not SIGN_HYPHEN.search(words), f"{name}: a hyphen as minus in {words!r}"
        assert "e+" not in words and "e-0" not in words, f"{name}: a terminal's exponent in {words!r}"
        assert not re.search(r"(^|\s)\+\d", words), f"{name}: a '+' on a plain value in {words!r}"


@pytest.mark.parametrize("function", ["x**4 - 2*x**2 + 0.3*x", "x**2 - y**2 - 0.5*x*y"])
def test_a_custom_formula_is_typeset_on_screen(tiny, snapshots, function):
    """The title of `--function` is the formula, not the code: no '**', '*' or hyphen-minus."""
    from scenes.catalog import get_story

    two = "y" in function
    settings = get_story("custom").settings.override(
        landscape="custom",
        function=function,
        start=(0.9, 0.05) if two else (0.3,),
        domain=((-1.0, 1.0), (-1.0, 1.0)) if two else None,
    )
    render_scene("custom", settings=settings)
    seen = [w for shot in snapshots for w, _b, _m in shot.texts]
    assert any(w.startswith("f(x") for w in seen), seen
    for words in seen:
        assert "*" not in words and not re.search(r"(^|\s)-(\s|\d|[a-z(])", words), words


@pytest.mark.parametrize("name", ["cubic-saddle", "learning-rate", "gd-2d", "momentum", "sgd-schedules"])
def test_a_caption_quoting_a_step_leaves_before_the_balls_move_past_it(tiny, name):
    scene = render_scene(name)
    for beat in scene.recorder.beats:
        if any(c in "0123456789" for c in beat["caption"]):
            first, last = beat["steps"]
            assert last == first, f"{name}: {beat['caption']!r} said at step {first}, still up at {last}"


@pytest.mark.parametrize("name", ["gd-2d", "adam", "ripples"])
def test_the_first_roll_redraws_the_trails_every_frame(tiny, monkeypatch, name):
    """manim redraws, per frame, only the parts from the first moving one on: a trail before
    it is drawn once, empty, and the path appears only at the next beat."""
    seen: list[bool] = []
    play = StoryScene.play

    def playing(self, *animations, **kwargs):
        moving, _static = self.get_moving_and_static_mobjects(animations)
        family = {id(m) for m in moving}
        if self.balls and any(getattr(a, "mobject", None) is self.step for a in animations):
            seen.append(all(id(b.trail) in family for b in self.balls))
        return play(self, *animations, **kwargs)

    monkeypatch.setattr(StoryScene, "play", playing)
    scene = render_scene(name)
    assert seen and seen[0], f"{name}: the first roll draws its trails once"
    assert all(seen)
    ball = scene.balls[0]
    n = ball.index(scene.step.get_value())
    assert len(ball.trail.points) == 4 * min(n, len(ball.segments)) or not ball.inside.all()


def test_plane_and_curve_regions_meet_their_shares():
    from scenes.kit.layout import regions

    for aspect in (7 / 6, 1.0, 1.5):
        r = regions("plane", aspect, caption_lines=1)
        w, h = r.plot[2] - r.plot[0], r.plot[3] - r.plot[1]
        assert w / h == pytest.approx(aspect)
        assert w * h / FRAME_AREA >= PLANE_SHARE
    r = regions("curve", None, caption_lines=2)
    assert (r.plot[2] - r.plot[0]) * (r.plot[3] - r.plot[1]) / FRAME_AREA >= CURVE_SHARE - 0.04
    assert np.all(np.array(r.panel) <= FRAME_W / 2)
