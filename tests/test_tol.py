"""--tol, the gradient-norm stop, on every command that takes settings: with 0 the book's
10-step Newton runs come out of `custom` exactly as the newton story runs them."""

from __future__ import annotations

import json

import pytest

from landscapes import run
from scenes.catalog import get_story
from scenes.cli.main import build_parser, main


def _run(capsys, *argv):
    assert main(list(argv)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("function", "story_ball", "early"),
    [("cosh(0.5*x)", 0, 8), ("x*cos(0.15*pi*x)", 2, 6)],
)
def test_tol_zero_reproduces_the_books_newton_runs_through_custom(capsys, function, story_ball, early):
    argv = ["trajectory", "custom", "--function", function, "--start=10", "--steps", "10"]
    argv += ["--optimizer", "newton", "--lr", "1"]
    default = _run(capsys, *argv)
    assert (default["steps_taken"], default["status"], default["tol"]) == (early, "converged", 1e-8)
    book = _run(capsys, *argv, "--tol", "0")
    assert (book["steps_taken"], book["status"], book["tol"]) == (10, "max_steps", 0.0)
    story = run(get_story("newton").balls()[story_ball])  # the scene's ball: tol 0, 10 steps
    assert book["points"] == story.points.tolist(), "bit for bit the story's run"
    assert book["points"][: early + 1] == default["points"]


def test_a_larger_tol_stops_sooner_and_its_value_is_checked(capsys):
    argv = ["trajectory", "gd-2d", "--steps", "200"]
    loose = _run(capsys, *argv, "--tol", "1e-2")
    tight = _run(capsys, *argv, "--tol", "1e-6")
    assert loose["status"] == tight["status"] == "converged"
    assert loose["steps_taken"] < tight["steps_taken"] < 200
    g = loose["grads"]
    assert sum(v * v for v in g[-1]) ** 0.5 < 1e-2 <= sum(v * v for v in g[-2]) ** 0.5
    for bad in ("-1", "nan", "inf"):
        assert main([*argv, "--tol", bad]) == 2
        assert "--tol" in capsys.readouterr().err


def test_every_command_that_takes_settings_takes_tol():
    sub = build_parser()._subparsers._group_actions[0].choices
    for command, extra in (("trajectory", []), ("render", []), ("slides", ["--to", "html"])):
        assert sub[command].parse_args(["compare", "--tol", "0", *extra]).tol == 0.0
    for command in ("list", "gallery", "bench"):
        assert "--tol" not in sub[command].format_help()
