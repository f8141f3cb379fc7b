"""The race: each ball at the rate `roll tune` finds, the order of arrival from the runs' own
numbers, drawn on compare's plane."""

from __future__ import annotations

import json

import numpy as np
from conftest import render_scene

from landscapes import run
from landscapes.tune import best_value, judge, tune
from scenes.catalog import get_story
from scenes.cli.main import main
from scenes.narration.registry import narrate


def test_each_ball_runs_at_its_tuned_rate():
    story = get_story("race")
    trajs = story.trajectories()
    for ball, tr in zip(story.balls(), trajs, strict=True):
        t = tune(ball)
        assert tr.settings.lr == t.lr and tr.settings.optimizer == ball.optimizer
        assert np.array_equal(tr.points, run(ball.override(lr=t.lr)).points)
        assert judge(tr, 0.0)[0] == t.score, "the race scores as the search did"


def test_the_words_are_the_runs_order_of_arrival():
    story = get_story("race")
    trajs = story.trajectories()
    n = narrate("race", trajs, story.options)
    fstar = best_value(story.settings)
    scores = [judge(t, fstar) for t in trajs]
    arrived = sorted((s[1], k) for k, s in enumerate(scores) if s[1] is not None)
    assert arrived, "someone arrives on rosenbrock in 300 steps at a tuned rate"
    first = arrived[0][1]
    name = trajs[first].settings.optimizer
    bar = fstar + 1e-4 * (trajs[first].values[0] - fstar)  # the race's bar: 1e-4 of the start's gap
    caption = n.beats[-1].caption
    assert caption.startswith(f"first to stay below f = {bar:.2g}: {name}, from step {arrived[0][0]}")
    values, step = trajs[first].values, arrived[0][0]
    assert np.all(values[step:] <= bar) and values[step - 1] > bar
    for rank, (step, k) in enumerate(arrived, 1):
        assert n.extras["verdicts"][k] == f"→ #{rank} to arrive, step {step}"
        assert f"η={trajs[k].settings.lr:g}" in n.names[k]


def test_trajectory_prints_the_main_balls_tuned_run(capsys):
    assert main(["trajectory", "race", "--steps", "80", "--landscape", "booth"]) == 0
    doc = json.loads(capsys.readouterr().out)
    ball = get_story("race").balls()[0].override(steps=80, landscape="booth", start=(-8.0, 8.0))
    assert doc["lr"] == tune(ball).lr != get_story("race").settings.lr
    assert main(["trajectory", "race", "--landscape", "ill"]) == 2
    assert "--landscape 'ill': choose one of rosenbrock" in capsys.readouterr().err


def test_the_race_draws_its_balls_where_their_runs_end(tiny):
    settings = get_story("race").settings.override(landscape="booth", start=(-8.0, 8.0), steps=60)
    scene = render_scene("race", settings, {"optimizers": ("gd", "adam")})
    assert type(scene).__name__ == "Race"
    for ball in scene.balls:
        end = ball.traj.end
        np.testing.assert_allclose(ball.dot.get_center(), scene.plot.axes.c2p(end[0], end[1]), atol=1e-6)
        assert ball.traj.settings.lr == tune(ball.traj.settings.override(lr=1e-3)).lr
