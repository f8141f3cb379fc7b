"""The hyper-parameter flags, the schedules, the new stories and statuses on the command line."""

import csv
import json

import numpy as np
import pytest
from support import roll

from landscapes import OPTIMIZERS, Settings, run
from scenes.catalog import CATALOG, get_story
from scenes.cli.main import build_parser, main
from scenes.cli.options import options_from_args

NEW_STORIES = [
    "learning-rate",
    "overshoot",
    "gd-2d",
    "newton",
    "sgd-schedules",
    "ill-conditioned",
    "momentum",
    "adagrad",
    "rmsprop",
    "adam",
]
STATE = {
    "gd": [],
    "sgd": [],
    "momentum": ["v"],
    "adagrad": ["s"],
    "rmsprop": ["s"],
    "adadelta": ["s", "delta"],
    "adam": ["v", "s"],
    "newton": [],
}


def _json(capsys, *argv):
    assert main(list(argv)) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_the_rest_of_the_chapter_has_a_record_per_story_in_the_books_order():
    rest = [n for n, r in CATALOG.items() if r.section not in ("intro", "beyond")]
    assert rest == NEW_STORIES
    assert next(iter(CATALOG)) == "risk" and list(CATALOG)[-1] == "custom"


@pytest.mark.parametrize("name", NEW_STORIES)
def test_trajectory_prints_every_new_story_with_state_and_rates(capsys, name):
    out = _json(capsys, "trajectory", name)
    tr = run(get_story(name).settings)
    assert out["points"] == tr.points.tolist() and out["status"] == tr.status
    n = len(out["points"])
    assert sorted(out["state"]) == sorted(STATE[out["optimizer"]])
    for rows in out["state"].values():
        assert len(rows) == n and rows[0] == [0.0] * len(out["points"][0])
    assert len(out["lrs"]) == n and out["lrs"][0] == pytest.approx(tr.lrs[0])
    for key in (
        "beta",
        "momentum",
        "gamma",
        "rho",
        "beta1",
        "beta2",
        "schedule",
        "anneal",
        "hyperparameters",
    ):
        assert key in out
    assert out["beta"] == out["momentum"]
    for ball in get_story(name).balls():
        ball.validate()


def test_hyperparameters_in_force_are_named_the_books_way(capsys):
    out = _json(capsys, "trajectory", "momentum", "--beta", "0.25")
    assert out["hyperparameters"] == {
        "optimizer": "momentum",
        "lr": 0.6,
        "schedule": "constant",
        "beta": 0.25,
    }
    assert (out["beta"], out["momentum"]) == (0.25, 0.25)
    v = np.array(out["state"]["v"])
    x = np.array(out["points"])
    g = np.array(out["grads"])
    np.testing.assert_allclose(v[1:], 0.25 * v[:-1] + g[:-1], rtol=0, atol=1e-12)
    np.testing.assert_allclose(x[1:], x[:-1] - 0.6 * v[1:], rtol=0, atol=1e-12)
    adadelta = _json(capsys, "trajectory", "adam", "--optimizer", "adadelta", "--rho", "0.95", "--steps", "3")
    assert adadelta["hyperparameters"] == {"optimizer": "adadelta", "rho": 0.95}, "no lr in force"
    assert adadelta["lrs"] == [1.0] * 4
    adam = _json(
        capsys, "trajectory", "adam", "--beta1", "0.5", "--beta2", "0.75", "--schedule", "exponential"
    )
    assert adam["hyperparameters"] == {
        "optimizer": "adam",
        "lr": 0.4,
        "schedule": "exponential",
        "beta1": 0.5,
        "beta2": 0.75,
    }
    assert adam["lrs"][3] == pytest.approx(0.4 * np.exp(-0.5), abs=1e-15)


def test_csv_header_holds_every_hyperparameter_in_force_and_reads_back(capsys):
    argv = ["trajectory", "sgd-schedules", "--schedule", "polynomial", "--seed", "3", "--steps", "5"]
    doc = _json(capsys, *argv)
    assert main([*argv, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split(",")
    rows = list(csv.DictReader(lines))  # line 1 is the header, as any CSV reader expects
    pairs = {k[3:]: rows[0][k] for k in header if k.startswith("hp_")}
    assert pairs == {
        "optimizer": "sgd",
        "lr": "0.1",
        "schedule": "polynomial",
        "noise": "1.0",
        "anneal": "false",
        "seed": "3",
    }
    assert all(row[k] == rows[0][k] for row in rows for k in header if k.startswith("hp_")), (
        "constant columns"
    )
    assert {k: str(v).lower() for k, v in doc["hyperparameters"].items()} == pairs
    assert header[:7] == ["step", "x", "y", "f", "grad_x", "grad_y", "lr"]
    np.testing.assert_array_equal([[float(r["x"]), float(r["y"])] for r in rows], doc["points"])
    np.testing.assert_array_equal([float(r["lr"]) for r in rows], doc["lrs"])

    argv = ["trajectory", "adam", "--optimizer", "adam", "--steps", "4"]
    doc = _json(capsys, *argv)
    assert main([*argv, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "step,x,y,f,grad_x,grad_y,v_x,v_y,s_x,s_y,lr,hp_optimizer,hp_lr,hp_schedule,hp_beta1,hp_beta2"
    )
    rows = list(csv.DictReader(lines))
    assert rows[0]["hp_optimizer"] == "adam" and rows[0]["hp_beta2"] == "0.999"
    np.testing.assert_array_equal([[float(r["v_x"]), float(r["v_y"])] for r in rows], doc["state"]["v"])
    np.testing.assert_array_equal([[float(r["s_x"]), float(r["s_y"])] for r in rows], doc["state"]["s"])


BAD = [
    (["momentum", "--beta", "1"], "--beta 1.0: give a number in [0, 1), e.g. --beta 0.9"),
    (["momentum", "--beta", "-0.1"], "--beta -0.1: give a number in [0, 1)"),
    (["momentum", "--beta", "nan"], "--beta nan: give a number in [0, 1)"),
    (["rmsprop", "--gamma", "1"], "--gamma 1.0: give a number in [0, 1), e.g. --gamma 0.9"),
    (["rmsprop", "--gamma", "-0.5"], "--gamma -0.5: give a number in [0, 1)"),
    (["adam", "--optimizer", "adadelta", "--rho", "0"], "--rho 0.0: give a number in (0, 1), e.g. --rho 0.9"),
    (["adam", "--optimizer", "adadelta", "--rho", "1"], "--rho 1.0: give a number in (0, 1)"),
    (["adam", "--beta1", "1"], "--beta1 1.0: give a number in [0, 1), e.g. --beta1 0.9"),
    (["adam", "--beta2", "1.5"], "--beta2 1.5: give a number in [0, 1), e.g. --beta2 0.999"),
    (["adam", "--beta2", "-1"], "--beta2 -1.0: give a number in [0, 1)"),
    (
        ["gd-2d", "--schedule", "cosine"],
        "--schedule 'cosine': choose one of constant, exponential, polynomial",
    ),
    (["ill-conditioned", "--beta", "0.5"], "--beta: only momentum takes it; add --optimizer momentum"),
    (["momentum", "--gamma", "0.5"], "--gamma: only rmsprop takes it; add --optimizer rmsprop"),
    (["rmsprop", "--rho", "0.5"], "--rho: only adadelta takes it; add --optimizer adadelta"),
    (["rmsprop", "--beta1", "0.5"], "--beta1: only adam takes it; add --optimizer adam"),
    (["momentum", "--beta2", "0.5"], "--beta2: only adam takes it; add --optimizer adam"),
    (["gd-2d", "--optimizer", "adadelta", "--lr", "1"], "--lr: adadelta has no learning rate"),
    (
        ["gd-2d", "--optimizer", "adadelta", "--schedule", "polynomial"],
        "--schedule: adadelta has no learning rate",
    ),
    (["ripples", "--optimizer", "nope", "--lr", "0.1"], "--optimizer 'nope': choose one of gd, sgd"),
    (["compare", "--gamma", "0.5"], "--gamma: only rmsprop takes it; add rmsprop to --optimizers"),
    (["newton", "--noise", "1"], "--noise: newton takes the exact gradient and Hessian; drop --noise"),
]


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_hyperparameters_are_one_line_and_exit_two(capsys, argv, message):
    assert main(["trajectory", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("roll: error: ")
    assert message in err


def test_render_refuses_them_before_writing_anything(tmp_path, capsys):
    for argv in (["compare", "--gamma", "0.5"], ["ripples", "--beta", "1"], ["ripples", "--schedule", "x"]):
        out = tmp_path / "out"
        assert main(["render", *argv, "--out", str(out), "--media-dir", str(tmp_path / "media")]) == 2
        assert capsys.readouterr().err.count("\n") == 1
        assert list(tmp_path.iterdir()) == []


def test_compare_takes_every_optimizer_and_passes_their_flags(capsys):
    args = build_parser().parse_args(["render", "compare", "--optimizers", ",".join(OPTIMIZERS)])
    options = options_from_args("compare", args)
    assert options["optimizers"] == OPTIMIZERS
    story = get_story("compare")
    balls = story.balls(story.settings, options)
    assert [b.optimizer for b in balls] == list(OPTIMIZERS)
    assert [b.noise > 0 for b in balls] == [o == "sgd" for o in OPTIMIZERS], "noise is sgd's alone"
    for b in balls:
        b.validate()
    # a flag of one of the chosen optimizers reaches that ball
    args = build_parser().parse_args(["render", "compare", "--optimizers", "gd,rmsprop", "--gamma", "0.5"])
    from scenes.cli.options import settings_from_args

    main_ball = settings_from_args("compare", args)
    gd, rms = story.balls(main_ball, options_from_args("compare", args))
    assert (gd.optimizer, rms.optimizer, rms.gamma) == ("gd", "rmsprop", 0.5)


@pytest.mark.parametrize(
    ("landscape", "start"),
    [("square", [10.0]), ("xcos", [10.0]), ("cosh", [10.0]), ("bowl", [-5.0, -2.0]), ("ill", [-5.0, -2.0])],
)
def test_compare_moves_onto_the_chapters_landscapes(capsys, landscape, start):
    out = _json(capsys, "trajectory", "compare", "--landscape", landscape, "--steps", "5")
    assert out["landscape"] == landscape and out["points"][0] == start and out["domain"] is None


def test_trajectory_help_names_the_landscapes_and_every_optimizer(capsys):
    with pytest.raises(SystemExit):
        main(["trajectory", "--help"])
    text = capsys.readouterr().out
    for name, formula in [
        ("square", "f(x) = x²"),
        ("xcos", "f(x) = x·cos(0.15πx)"),
        ("cosh", "f(x) = cosh(0.5x)"),
        ("bowl", "f(x1, x2) = x1² + 2·x2²"),
        ("ill", "f(x1, x2) = 0.1·x1² + 2·x2²"),
    ]:
        assert any(line.split() == [name, *formula.split()] for line in text.splitlines()), name
    assert "gd, sgd, momentum, adagrad, rmsprop, adadelta, adam or newton" in " ".join(text.split())
    for flag in ("--beta", "--gamma", "--rho", "--beta1", "--beta2", "--schedule"):
        assert flag in text


def test_settings_round_trip_with_the_books_name_for_beta():
    s = Settings("ill", (-5.0, -2.0), optimizer="momentum", momentum=0.25, gamma=0.5, schedule="polynomial")
    d = s.to_dict()
    assert d["beta"] == d["momentum"] == 0.25
    assert Settings.from_dict(d) == s
    assert Settings.from_dict({k: v for k, v in d.items() if k != "momentum"}) == s
    assert s.override(beta=0.5).momentum == 0.5


def test_newton_on_a_linear_function_is_singular_in_the_json(capsys):
    out = _json(
        capsys, "trajectory", "custom", "--function", "2*x + 1", "--start", "1", "--optimizer", "newton"
    )
    assert out["status"] == "singular" and out["steps_taken"] == 0
    for key in ("points", "values", "grads", "lrs"):
        assert np.all(np.isfinite(np.array(out[key], dtype=float)))


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["custom", "--function", "sqrt(x)", "--start", "1", "--lr", "1"], "undefined"),
        (["ripples", "--lr", "1e308"], "diverged"),
        (["adagrad", "--lr", "1e308"], "diverged"),
        (
            ["custom", "--function", "log(x)", "--start", "0.5", "--optimizer", "adam", "--lr", "1"],
            "undefined",
        ),
    ],
)
def test_a_real_process_says_nothing_on_stderr(tmp_path, argv, status):
    proc = roll("trajectory", *argv, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    out = json.loads(proc.stdout)
    assert out["status"] == status
    assert np.all(np.isfinite(np.array(out["points"], dtype=float)))


def test_a_flag_that_reaches_some_ball_of_the_scene_is_taken(capsys):
    """The adam story draws an adadelta ball: --rho reaches it, so it is not refused."""
    from scenes.catalog import get_story
    from scenes.cli.main import build_parser
    from scenes.cli.options import settings_from_args

    args = build_parser().parse_args(["render", "adam", "--rho", "0.5"])
    settings = settings_from_args("adam", args)
    balls = get_story("adam").balls(settings)
    assert [b.rho for b in balls if b.optimizer == "adadelta"] == [0.5]
