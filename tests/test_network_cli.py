"""The network scenes on the command line: their flags, refusals, `roll trajectory` in JSON
and CSV, a real render whose last drawn ball is the run's last step."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from landscapes.network.story import record
from landscapes.network.train import Net
from scenes.catalog import get_story
from scenes.cli.main import main

SMALL = ["--samples", "30", "--batch", "10", "--steps", "12"]


@pytest.mark.parametrize(
    "argv, flag",
    [
        (["--model", "resnet"], "--model"),
        (["--model", "mlp:0"], "--model"),
        (["--model", "mlp:16,0"], "--model"),
        (["--model", "mlp:400,400"], "--model"),
        (["--data", "mnist"], "--data"),
        (["--batch", "201"], "--batch"),
        (["--samples", "30", "--batch", "31"], "--batch"),
        (["--samples", "30"], "--samples"),  # the scene's own minibatch of 32 would not fit
        (["--batch", "x"], "--batch"),
        (["--plane", "hessian"], "--plane"),
        (["--start", "1,1"], "--start"),
        (["--domain", "-1,1,-1,1"], "--domain"),
        (["--lr", "-1"], "--lr"),
        (["--optimizers", "gd,adam", "--plane", "line"], "--plane"),
        (["--optimizers", "gd,nosuch"], "--optimizers"),
        (["--model", "mlp:200,200", "--steps", "1000"], "--steps"),  # 41,001 weights × 1,001 steps
    ],
)
def test_bad_input_is_one_line_naming_the_flag_and_exit_2(argv, flag, capsys, tmp_path):
    assert main(["render", "network", *argv, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and flag in err, err
    assert not any(tmp_path.iterdir())


def test_the_network_flags_belong_to_the_network_scenes(capsys):
    assert main(["render", "risk", "--model", "mlp:4"]) == 2
    err = capsys.readouterr().err
    assert "--model works with `compare`, `network`, `generalization` and `interpolation`" in err
    assert main(["trajectory", "interpolation", "--plane", "pca"]) == 2  # the line is its story
    assert "--plane" in capsys.readouterr().err


def test_trajectory_json_holds_every_steps_losses_projection_and_distance(capsys):
    argv = ["trajectory", "network", *SMALL, "--model", "mlp:8", "--plane", "random"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    story = get_story("network")
    s = story.settings.override(steps=12)
    rec = record(Net("mlp:8", "moons", 30, 10, plane="random"), s)
    assert out["train_loss"] == rec.run.train_loss.tolist() and out["test_loss"] == rec.run.test_loss.tolist()
    assert out["projection"] == rec.coords.tolist() and out["distance"] == rec.distance.tolist()
    assert out["points"] == rec.coords.tolist() and out["values"] == rec.run.train_loss.tolist()
    assert out["network"]["model"] == "mlp:8" and out["network"]["parameters"] == 2 * 8 + 8 + 8 + 1
    assert out["steps_taken"] == 12 and len(out["grad_norm"]) == 13 and out["lrs"] == [0.01] * 13
    assert "landscape" not in out and "start" not in out  # the stand-in is not the run's


def test_trajectory_csv_has_a_row_per_step(capsys):
    argv = ["trajectory", "generalization", *SMALL, "--batch", "0", "--model", "mlp:4", "--format", "csv"]
    assert main(argv) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 13
    assert list(rows[0]) == ["step", "a", "b", "distance", "train_loss", "test_loss", "grad_norm", "lr"]
    assert float(rows[-1]["a"]) == 0.0 and float(rows[-1]["distance"]) == 0.0  # the PCA plane's origin
    losses = [float(r["train_loss"]) for r in rows]
    assert all(np.isfinite(losses))


@pytest.mark.parametrize(
    "name, cls",
    [
        ("network", "NetworkLandscape"),
        ("generalization", "Generalization"),
        ("interpolation", "Interpolation"),
    ],
)
def test_each_scene_draws_its_run_to_the_last_step(name, cls, tiny):
    import importlib

    from manim import config

    module = importlib.import_module(f"scenes.{name}")
    story = get_story(name)
    scene = getattr(module, cls)(
        settings=story.settings.override(steps=15), options={"samples": 40, "batch": 10, "model": "mlp:8"}
    )
    scene.render()
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    for ball in scene.balls:
        assert np.allclose(ball.dot.get_center(), ball.coords[-1])
        assert len(ball.coords) == 16
    for panel in scene.column.panels:
        assert -half_w <= panel.get_left()[0] and panel.get_right()[0] <= half_w
        assert -half_h <= panel.get_bottom()[1] and panel.get_top()[1] <= half_h
    assert scene.recorder.beats and all(b["caption"] for b in scene.recorder.beats)


def test_several_optimizers_on_one_model_print_each_ball(capsys):
    argv = ["trajectory", "network", *SMALL, "--model", "mlp:4", "--optimizers", "gd,adam", "--lr", "0.05"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["optimizer"] == "adam" or out["optimizer"] == "gd"
    assert out["network"]["plane"] == "pca" and len(out["projection"]) == 13


def test_compare_on_a_model_rolls_each_optimizer_on_one_plane_fitted_to_all(capsys):
    """compare --model: the balls are compare's optimizers for a model, each with its own path,
    on one plane: the principal directions of every path's points through their ends' centre."""
    from scenes.catalog import entry
    from scenes.narration.registry import narrate

    assert main(["trajectory", "compare", "--model", "mlp:4", *SMALL]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["network"]["model"] == "mlp:4" and out["network"]["plane"] == "pca"
    record = entry("compare")
    assert record.options["optimizers"] == ("gd", "momentum", "rmsprop", "adam")
    story = get_story("compare")
    options = {"model": "mlp:4", "samples": 30, "batch": 10, "optimizers": record.options["optimizers"]}
    trajs = story.trajectories(story.settings.override(steps=12), options)
    recs = [t.net for t in trajs]
    assert [t.settings.optimizer for t in trajs] == list(record.options["optimizers"])
    assert len({id(r.plane) for r in recs}) == 1
    paths = [r.run.params for r in recs]
    assert len({p[-1].tobytes() for p in paths}) == len(paths)  # each its own path
    origin = np.mean([p[-1] for p in paths], axis=0)
    offsets = np.concatenate(paths) - origin
    _, _, vt = np.linalg.svd(offsets, full_matrices=False)
    plane = recs[0].plane
    assert np.allclose(plane.origin, origin)
    assert np.allclose(np.abs(plane.axes @ vt[:2].T), np.eye(2), atol=1e-8)
    # the caveat is on screen: the last beat says the plane is one for all the paths
    last = narrate("network", trajs, options).beats[-1]
    assert last.caption.startswith("one plane for all paths")
    assert any(c.name == "near_plane" for c in last.claims)


def test_compare_without_a_model_rolls_on_its_landscape(capsys):
    assert main(["trajectory", "compare", "--steps", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "network" not in out and len(out["points"][0]) == 1


@pytest.mark.parametrize("flag", [["--landscape", "rosenbrock"], ["--function", "x**2"], ["--start", "1"]])
def test_compare_on_a_model_refuses_a_landscape_in_one_line(flag, capsys, tmp_path):
    assert main(["render", "compare", "--model", "mlp:4", *flag, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and flag[0] in err, err
    assert not any(tmp_path.iterdir())
