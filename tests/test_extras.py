"""Beyond the chapter: compare, basins, custom, and --save-trajectory."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import numpy as np
import pytest
from conftest import render_scene

from landscapes import Settings, classify, run
from scenes.catalog import get_story
from scenes.cli.main import main

# a scene's length: 20 s of story, and up to 2 s more where the view zooms in and out
LONGEST = 22.0


def _render(name, settings=None, options=None):
    return render_scene(name, settings, options)


def _texts(scene) -> list[str]:
    return [
        m.text for m in scene.get_mobject_family_members() if hasattr(m, "text") and isinstance(m.text, str)
    ]


# compare ----------------------------------------------------------------------------------
def test_compare_balls_end_at_their_own_optimizer_trajectories(tiny):
    scene = _render("compare", options={"optimizers": ("gd", "momentum", "adam")})
    assert [b.traj.settings.optimizer for b in scene.balls] == ["gd", "momentum", "adam"]
    for ball in scene.balls:
        tr = run(ball.traj.settings)
        assert np.array_equal(ball.traj.points, tr.points)
        np.testing.assert_allclose(
            ball.dot.get_center(), scene.plot.axes.c2p(tr.end[0], tr.values[-1]), atol=1e-6
        )
    legend = " ".join(_texts(scene))  # a long name goes on in a row of its own ("momentum" / "η=0.02 β=0.9")
    named = re.findall(r"([A-Za-z]+) ?η=", legend)  # manim keeps a Text's words without spaces
    assert named == ["gd", "momentum", "adam"], "exactly the requested optimizers"
    gd, momentum, _ = scene.balls
    assert abs(gd.traj.end[0] - 0.6516) < 1e-3 and abs(momentum.traj.end[0] - 1.017) < 1e-3
    assert "lowest (f = -1.208): momentum; caught in a higher minimum: gd, adam" in scene.caption_text
    assert 8 <= scene.renderer.time <= LONGEST


def test_compare_in_two_dimensions_uses_the_plane_view(tiny):
    settings = get_story("compare").settings.override(landscape="saddle", start=(0.95, 0.002))
    scene = _render("compare", settings, {"optimizers": ("gd", "adam")})
    assert type(scene).__name__ == "CompareOptimizersPlane"
    for ball in scene.balls:
        end = ball.traj.end
        np.testing.assert_allclose(ball.dot.get_center(), scene.plot.axes.c2p(end[0], end[1]), atol=1e-6)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["render", "compare", "--optimizers", "gd,nope"],
            "--optimizers 'nope': choose one of gd, sgd, momentum, adagrad, rmsprop, adadelta, adam, newton",
        ),
        (["render", "ripples", "--optimizers", "gd"], "--optimizers works with `compare`"),
        (
            ["render", "compare", "--landscape", "h"],
            "--landscape 'h': choose one of f, g, cube, saddle, tanh",
        ),
        (["render", "basins", "--landscape", "cube"], "--landscape 'cube': choose one of f, g for basins"),
        (
            ["render", "risk", "--landscape", "g"],
            "--landscape works with `compare`, `race`, `basins` and `custom`",
        ),
        (["render", "basins", "--balls", "0"], "--balls 0: give a whole number from 1 to 200"),
        (["render", "basins", "--spread", "wide"], "--spread 'wide': choose even or random"),
        (["render", "compare", "--balls", "3"], "--balls works with `basins`"),
        (["render", "custom"], "custom: give --function"),
    ],
)
def test_scene_option_mistakes(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == []


# basins -----------------------------------------------------------------------------------
def test_basins_is_one_batched_run_and_colours_match_minima(tiny, monkeypatch):
    import landscapes.optimizers as opt

    calls = []
    real = opt._roll
    monkeypatch.setattr(opt, "_roll", lambda *a: calls.append(a[2].shape) or real(*a))
    scene = _render("basins", options={"balls": 24})
    assert calls == [(24, 1)], "all balls in one batched call"
    assert len(scene.balls) == 24
    assert 8 <= scene.renderer.time <= LONGEST
    ends = np.array([b.traj.end[0] for b in scene.balls])
    assert np.any(np.abs(ends + 0.2739) < 1e-3) and np.any(np.abs(ends - 1.0904) < 1e-3), "both minima"
    colours = {}
    for b in scene.balls:
        colours.setdefault(round(b.traj.end[0], 3), set()).add(b.dot.get_color().to_hex())
    assert all(len(c) == 1 for c in colours.values()), "one colour per minimum"
    assert len({next(iter(c)) for c in colours.values()}) == len(colours), (
        "different minima, different colours"
    )


def test_basins_random_starts_follow_the_seed():
    story = get_story("basins")
    a = story.starts(story.settings.override(seed=3), {"spread": "random", "balls": 10})
    b = story.starts(story.settings.override(seed=3), {"spread": "random", "balls": 10})
    c = story.starts(story.settings.override(seed=4), {"spread": "random", "balls": 10})
    assert a == b and a != c and all(-1 <= x <= 2 for (x,) in a)


# custom -----------------------------------------------------------------------------------
def _custom(function, start, domain=None):
    return replace(get_story("custom").settings, function=function, start=start, domain=domain)


def test_custom_curve_renders_and_ends_on_its_trajectory(tiny):
    settings = _custom("x*cos(0.15*pi*x)", (2.0,), ((-2.0, 12.0),))
    scene = _render("custom", settings)
    tr = run(settings)
    np.testing.assert_allclose(
        scene.balls[0].dot.get_center(), scene.plot.axes.c2p(tr.end[0], tr.values[-1]), atol=1e-6
    )
    assert "ends at a minimum" in scene.caption_text
    assert 8 <= scene.renderer.time <= LONGEST


@pytest.mark.parametrize(("function", "kind"), [("x**2 + y**2", "minimum"), ("x**2 - y**2", "saddle")])
def test_custom_surface_classifies_the_end(tiny, function, kind):
    settings = _custom(function, (0.5, 0.0), None).override(steps=300)
    scene = _render("custom", settings)
    assert type(scene).__name__ == "CustomSurface"
    tr = run(settings)
    assert classify(settings.landscape_obj, tr.end).kind == kind
    assert f"ends at a {kind}" in scene.caption_text
    end = tr.end
    # the ball sits on the surface: its centre its radius above the end point, where the
    # gradient vanishes and the normal is straight up
    ball = scene.balls[0]
    up = np.array([0.0, 0.0, ball.dot.radius])
    np.testing.assert_allclose(
        ball.dot.get_center(), scene.plot.axes.c2p(end[0], end[1], tr.values[-1]) + up, atol=1e-6
    )


def test_custom_divergence_is_shown_not_crashed(tiny):
    settings = _custom("x**2", (1.0,), None).override(lr=1.1, steps=5000)
    scene = _render("custom", settings)
    assert scene.balls[0].traj.status == "diverged"
    assert "diverged" in scene.caption_text
    x0, x1 = scene.plot.axes.x_range[:2]
    assert x0 - 1e-9 <= scene.plot.axes.p2c(scene.balls[0].dot.get_center())[0] <= x1 + 1e-9, (
        "the ball stays on screen"
    )


# --save-trajectory ------------------------------------------------------------------------
def test_save_trajectory_writes_what_roll_trajectory_prints(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "cubic-saddle", "--format", "png", "--lr", "0.05", "--save-trajectory"]) == 0
    written = capsys.readouterr().out.split()
    assert written == ["out/cubic-saddle.png", "out/cubic-saddle.json"]
    assert main(["trajectory", "cubic-saddle", "--lr", "0.05"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert json.loads((tmp_path / "out" / "cubic-saddle.json").read_text()) == printed


def test_save_trajectory_of_a_many_ball_scene_has_every_ball(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "local-minimum", "--format", "png", "--save-trajectory"]) == 0
    doc = json.loads((tmp_path / "out" / "local-minimum.json").read_text())
    assert doc["start"] == [-0.9] and [b["start"] for b in doc["balls"]] == [[-0.9], [0.6]]
    assert Settings.from_dict({k: doc["balls"][1][k] for k in Settings.__dataclass_fields__}).start == (0.6,)
