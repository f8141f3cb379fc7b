"""Story files with a [model] table: the balls train a real model (landscapes/network) instead
of rolling on a landscape. The reader, the JSON Schema and `roll check` know the table; the
run is the network's own (each ball's weights those of a plain training run), on one plane for
all the balls; the captions' numbers are the run's."""

from __future__ import annotations

import json
import tomllib

import numpy as np
import pytest
from support import ROOT

from landscapes.network.train import Net, train
from landscapes.storyfile import StoryFileError, load, loads
from scenes.cli.main import main

EXAMPLE = ROOT / "examples" / "stories" / "two-optimizers-one-mlp.toml"
SCHEMA = json.loads((ROOT / "landscapes" / "story.schema.json").read_text(encoding="utf-8"))
SMALL = """
name = "small"
[model]
model = "mlp:4"
data = "circles"
samples = 30
batch = 10
seed = 3

[[balls]]
name = "gd"
optimizer = "gd"
lr = 0.2
steps = 15

[[balls]]
name = "adam"
optimizer = "adam"
lr = 0.02
steps = 12

[[beats]]
at = "end"
caption = "gd {gd.f:.4f}, adam {adam.f:.4f} after {adam.steps} steps"
"""


@pytest.fixture(autouse=True)
def forget_files():
    from scenes.catalog import reset
    from scenes.cli.storyfiles import PATHS

    yield
    reset()
    PATHS.clear()


def test_the_example_reads_its_model_and_checks(capsys):
    record = load(EXAMPLE)
    assert record.model == Net("mlp:16,16", "moons", 200, 32, plane="pca")
    assert [b.settings.seed for b in record.balls] == [0, 0]  # [model]'s seed for every ball
    assert main(["check", str(EXAMPLE)]) == 0
    assert "ok: two-optimizers-one-mlp, plane, 2 ball(s), 3 beat(s)" in capsys.readouterr().out


def test_each_ball_is_a_plain_training_run_on_one_plane_and_the_captions_quote_it():
    from scenes.narration.filed import narrate_file

    record = loads(SMALL, "small.toml")
    trajs = record.trajectories()
    net = Net("mlp:4", "circles", 30, 10)
    for t, ball in zip(trajs, record.balls, strict=True):
        own = train(net, ball.settings)
        assert ball.settings.seed == 3 and ball.settings.steps == own.steps
        assert np.array_equal(t.net.run.params, own.params)  # bit for bit
        assert np.array_equal(t.values, own.train_loss)  # {ball.f} is the training loss
    assert trajs[0].net.plane is trajs[1].net.plane
    beat = narrate_file(record, trajs).beats[-1]
    gd, adam = (t.net.run.train_loss for t in trajs)
    assert beat.caption == f"gd {gd[-1]:.4f}, adam {adam[-1]:.4f} after 12 steps"


@pytest.mark.parametrize(
    ("old", "new", "key", "line"),
    [
        ('model = "mlp:4"', 'model = "mlp:0"', "model.model", 4),
        ('model = "mlp:4"', 'model = "mlp:400,400"', "model.model", 4),
        ('data = "circles"', 'data = "mnist"', "model.data", 5),
        ("batch = 10", "batch = 31", "model.batch", 7),
        ("seed = 3", "seed = -1", "model.seed", 8),
        ("seed = 3", 'seed = 3\nplane = "hessian"', "model.plane", 9),
        ("[model]", '[landscape]\nname = "bowl"\n[model]', "model", 5),
        ('name = "gd"', 'name = "gd"\nstart = [1, 2]', "balls[0].start", 12),
        ('name = "gd"', 'name = "gd"\nseed = 1', "balls[0].seed", 12),
        ('at = "end"', 'at = "end"\nclaims = { gd = "stalled" }', "beats[0].claims", 24),
        ('name = "small"', 'name = "small"\nview = "surface"', "view", 3),
        # Newton solves with the Hessian: refused for a model of 4,417 weights
        (
            ('model = "mlp:4"', 'optimizer = "gd"'),
            ('model = "mlp:64,64"', 'optimizer = "newton"'),
            "balls[0].optimizer",
            12,
        ),
    ],
)
def test_a_wrong_model_table_is_named_by_line_and_key(old, new, key, line, tmp_path, capsys):
    path = tmp_path / "small.toml"
    text = SMALL
    for a, b in zip(*((old, new) if isinstance(old, tuple) else ((old,), (new,))), strict=True):
        assert a in text
        text = text.replace(a, b, 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StoryFileError):
        load(path)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"small.toml:{line}: {key}:" in err, err
    assert err.count(f"{key}:") == 1, err  # said once, not repeated by a second check


def test_the_schema_knows_the_model_table():
    import jsonschema

    doc = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    for change in (
        lambda d: d["balls"][0].update(start=[1.0, 2.0]),  # a model's balls start at its weights
        lambda d: d["model"].update(data="mnist"),
        lambda d: d["model"].update(model="resnet"),
        lambda d: d.update(landscape={"name": "bowl"}),  # one or the other
        lambda d: d["model"].pop("model"),
        lambda d: d.update(view="surface"),
    ):
        broken = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
        change(broken)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMA)


def test_a_model_story_renders_each_ball_to_its_last_step(tiny, tmp_path):
    from conftest import render_scene

    from scenes.catalog import register_file

    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    from scenes.catalog import entry

    name = register_file(load(path))
    scene = render_scene(name, options=entry(name).options)
    assert type(scene).__name__ == "StoryFileModel"
    for ball, traj in zip(scene.balls, scene.trajectories, strict=True):
        assert np.allclose(ball.dot.get_center(), ball.coords[-1])
        assert len(ball.coords) == len(traj.points)
    assert scene.recorder.beats[-1]["caption"].startswith("gd ")
