"""The rest of the chapter's scenes against their trajectories, rendered tiny: where each
ball is drawn, where its step arrow and tangent point, and the figures its captions give."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import render_scene, tiny_config

from scenes.catalog import CATALOG, CHAPTER, get_story
from scenes.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
NEW = [n for n, r in CATALOG.items() if r.section not in ("intro", "beyond")]  # past the first section


def data_point(scene, ball, i: int) -> np.ndarray:
    """Where step i of a ball is in the axes' own coordinates: (x, f) on a curve, (x, y) on a plane."""
    tr = ball.traj
    if scene.plot.plane is not None:
        return tr.points[i]
    return np.array([tr.points[i, 0], tr.values[i]])


def to_data(scene, point) -> np.ndarray:
    return np.asarray(scene.plot.axes.p2c(point))[:2]


def at_step(scene, i: int) -> None:
    """Put the scene at step i, as a frame of the roll would."""
    scene.step.set_value(i)
    for mob, fn in scene.movers:
        fn(mob)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, tex_dir):
    from manim import tempconfig

    cfg = {**tiny_config(tmp_path_factory.mktemp("scenes"), tex_dir), "write_to_movie": False}
    cache = {}

    def get(name):
        if name not in cache:
            with tempconfig(cfg):
                cache[name] = render_scene(name)
        return cache[name]

    return get


@pytest.mark.parametrize("name", NEW)
def test_balls_end_on_their_trajectories(rendered, name):
    scene = rendered(name)
    expected = get_story(name).trajectories()
    drawn = scene.balls.every
    assert len(drawn) == len(expected)
    for tr in expected:
        ball = next(b for b in drawn if b.traj.settings == tr.settings)
        assert np.array_equal(ball.traj.points, tr.points), "the scene draws the story's own numbers"
    for ball in scene.balls:  # the balls on screen at the end stand on their last points
        np.testing.assert_allclose(
            to_data(scene, ball.dot.get_center()), data_point(scene, ball, -1), rtol=1e-9, atol=1e-9
        )
        for i in (0, len(ball.coords) // 2, len(ball.coords) - 1):
            at_step(scene, i)
            np.testing.assert_allclose(
                to_data(scene, ball.dot.get_center()), data_point(scene, ball, i), rtol=1e-9, atol=1e-9
            )
    assert 8 <= scene.renderer.time <= 24, "each scene runs 8-24 s"


@pytest.mark.parametrize(
    "name", ["learning-rate", "overshoot", "gd-2d", "newton", "ill-conditioned", "momentum"]
)
def test_step_arrows_point_at_the_next_trajectory_point(rendered, name):
    from scenes.kit.step import StepArrow

    scene = rendered(name)
    arrows = [m for m in scene.pointers.drawn if isinstance(m, StepArrow) and not hasattr(m, "targets")]
    assert arrows, "the step is the story: it is drawn"
    checked = 0
    for i in range(scene.balls.last_step):
        at_step(scene, i)
        for ball in scene.balls:
            box = scene.plot.box()
            nxt = ball.coords[min(i + 1, len(ball.coords) - 1)]
            if i + 1 >= len(ball.coords) or not (box[0] <= nxt[0] <= box[2] and box[1] <= nxt[1] <= box[3]):
                continue
            if np.linalg.norm(nxt - ball.coords[i]) < 1e-6:  # no step to show: no arrow
                continue
            tips = [
                a for a in arrows if a.has_points() and np.allclose(a.get_start(), ball.coords[i], atol=1e-9)
            ]
            assert tips, f"step {i}: an arrow leaves the ball"
            assert any(
                np.allclose(to_data(scene, a.get_end()), data_point(scene, ball, i + 1), rtol=1e-9, atol=1e-9)
                for a in tips
            ), f"step {i}: its tip is the next point"
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("name", ["overshoot", "newton", "cubic-saddle", "vanishing-gradient"])
def test_tangents_have_the_gradient_as_slope(rendered, name):
    from scenes.kit.step import Tangent

    scene = rendered(name)
    tangents = [m for m in scene.pointers.drawn if isinstance(m, Tangent)]
    assert tangents
    for i in range(0, scene.balls.last_step + 1, max(1, scene.balls.last_step // 7)):
        at_step(scene, i)
        for t in tangents:
            (x0, y0), (x1, y1) = to_data(scene, t.get_start()), to_data(scene, t.get_end())
            centre = to_data(scene, (t.get_start() + t.get_end()) / 2)
            ball = next(
                b for b in scene.balls if np.allclose(centre, data_point(scene, b, b.index(i)), atol=1e-9)
            )
            slope = (y1 - y0) / (x1 - x0)
            assert slope == pytest.approx(ball.traj.grads[ball.index(i), 0], rel=1e-9, abs=1e-9)


def test_momentum_shows_the_gradient_step_beside_the_real_one(rendered):
    from scenes.kit.step import StepArrow

    scene = rendered("momentum")
    ball = scene.balls[0]
    grad_arrow = next(m for m in scene.pointers.drawn if isinstance(m, StepArrow) and hasattr(m, "targets"))
    tr = ball.traj
    for i in (1, 3, 6):
        at_step(scene, i)
        plain = tr.points[i] - tr.lrs[i] * tr.grads[i]
        end = to_data(scene, grad_arrow.get_end())
        (x0, x1), (y0, y1) = scene.plot.axes.x_range[:2], scene.plot.axes.y_range[:2]
        if x0 <= plain[0] <= x1 and y0 <= plain[1] <= y1:
            np.testing.assert_allclose(end, plain, atol=1e-9)
        else:  # the arrow stops at the plot's edge, pointing the same way
            way, drawn = plain - tr.points[i], end - tr.points[i]
            assert way[0] * drawn[1] - way[1] * drawn[0] == pytest.approx(0.0, abs=1e-9)
            assert np.dot(way, drawn) > 0
            assert min(abs(end[0] - x0), abs(end[0] - x1), abs(end[1] - y0), abs(end[1] - y1)) < 1e-9
        assert not np.allclose(plain, tr.points[i + 1]), "momentum's step is not the gradient's"


@pytest.mark.parametrize("name", ["adagrad", "rmsprop"])
def test_state_bars_follow_s(rendered, name):
    from scenes.kit.bars import StateBars

    scene = rendered(name)
    charts = [m for m in scene.mobjects if isinstance(m, StateBars)]
    assert len(charts) == len(scene.balls)
    for chart, ball in zip(charts, scene.balls, strict=True):
        s = ball.traj.state["s"]
        for i in (0, 5, len(s) - 1):
            at_step(scene, i)
            heights = [b.height for b in chart.bars]
            want = [max(chart.bar_max * np.sqrt(s[i, k]) / chart.top, 0.01) for k in range(2)]
            np.testing.assert_allclose(heights, want, atol=1e-9)
    if name == "rmsprop":  # the leaky average: rmsprop's s2 falls back, adagrad's never does
        rms, ada = scene.balls
        assert rms.traj.state["s"][-1, 1] < rms.traj.state["s"][:, 1].max() / 5
        assert np.all(np.diff(ada.traj.state["s"][:, 1]) >= 0)


CAPTIONS = {
    "learning-rate": ["crawls: x = 3.486784", "arrives: x = 0.060466", "|x| = 61.917364 after 10 steps"],
    "overshoot": ["it ends at x = -1.528166"],
    "gd-2d": ["(-0.057646, -0.000073)"],
    "newton": ["Newton: x = 0.000000 after 10 steps", "η = 1 walks to a maximum, x = 26.8341"],
    "ill-conditioned": ["(-0.943467, -0.000073)", "(-0.387814, -1673.365109)"],
    "momentum": ["β = 0.5: (0.007188, 0.002553)", "β = 0.25: less memory, (-0.126340, -0.186632)"],
    "adagrad": ["η = 0.4 stalls at (-2.382563, -0.158591)"],
    "rmsprop": ["rmsprop reaches (-0.010599, 0.000000)"],
}


@pytest.mark.parametrize("name", list(CAPTIONS))
def test_captions_give_the_books_figures(rendered, name):
    said = " | ".join(rendered(name).captions)
    for words in CAPTIONS[name]:
        assert words in said


def test_sgd_schedules_caption_is_the_trajectories_spread(rendered):
    scene = rendered("sgd-schedules")
    for ball in scene.balls:
        d = np.linalg.norm(ball.traj.points[-10:], axis=1).mean()
        assert f"{d:.3f}" in scene.caption_text


def test_list_groups_the_scenes_by_section_then_the_story_files(capsys):
    assert main(["list"]) == 0  # for scripts (not a terminal): one scene per line, as before
    plain = capsys.readouterr().out.splitlines()
    files = sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("*/stories/*.toml"))
    files.sort(key=lambda f: not f.startswith("scenes"))  # the project's own first, then the examples
    assert [ln.split()[0] for ln in plain] == list(CATALOG) + files
    assert main(["list", "--sections"]) == 0
    out = capsys.readouterr().out.splitlines()
    sections = [ln for ln in out if ln.startswith("# ")]
    assert sections == [
        "# Optimization and deep learning",
        "# Gradient descent",
        "# Stochastic gradient descent",
        "# Momentum",
        "# Adagrad",
        "# RMSProp",
        "# Adadelta and Adam",
        "# Beyond the chapter",
        "# Story files (roll render FILE.toml)",
    ]
    names = [ln.split()[0] for ln in out if not ln.startswith("#")]
    assert names[: len(CATALOG)] == list(CATALOG)
    assert out[-len(files) - 1] == "# Story files (roll render FILE.toml)"
    assert out.index("# Momentum") < out.index(next(ln for ln in out if ln.startswith("momentum ")))


def test_all_renders_the_sixteen_chapter_scenes(monkeypatch, tmp_path):
    from scenes.cli import runner

    monkeypatch.chdir(tmp_path)
    planned = []
    monkeypatch.setattr(
        runner, "run_jobs", lambda jobs, workers, verbose=False: (planned.extend(jobs), (0, []))[1]
    )
    assert main(["render", "--all"]) == 0
    chapter = [n for n, r in CATALOG.items() if r.section != "beyond"]  # read apart from CHAPTER
    assert [j.name for j in planned] == CHAPTER == chapter
    assert set(NEW) <= set(CHAPTER)


OVERRIDES = [(name, {"steps": 1}) for name in NEW] + [
    ("overshoot", {"lr": 1e200}),  # stops at its start: no step at all
    ("gd-2d", {"lr": 1e60}),  # diverges after one step
    ("adagrad", {"optimizer": "gd"}),  # no state s to draw
    ("rmsprop", {"optimizer": "momentum"}),
]


@pytest.mark.parametrize(("name", "changes"), OVERRIDES, ids=[f"{n}-{c}" for n, c in OVERRIDES])
def test_scenes_tell_any_run_the_command_line_accepts(tiny, name, changes):
    """A story's beats are the book's run; a shorter or wilder one (accepted flags) still
    renders, skipping what it cannot show, and its balls still end on their trajectories."""
    settings = get_story(name).settings.override(**changes)
    settings.validate()
    scene = render_scene(name, settings)
    for ball in scene.balls:
        want = data_point(scene, ball, -1)
        # a runaway at 1e17 maps back through the axes' affine map to that magnitude's precision
        scale = max(1.0, float(np.abs(want).max()))
        np.testing.assert_allclose(to_data(scene, ball.coords[-1]), want, rtol=1e-9, atol=1e-9 * scale)
    assert scene.captions, "it still says what happened"
