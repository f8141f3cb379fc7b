"""Optimizers with torch.optim's interface: a plain loop over the same class is the oracle."""

from __future__ import annotations

import csv
import json
import math
import re
import sys
import textwrap

import numpy as np
import pytest
import torch

from landscapes import Settings, SettingsError, run, run_batch
from landscapes.functions import get_landscape
from landscapes.plugins import REFUSED, available, refusal, resolve
from landscapes.settings import parse_opt
from scenes.cli.main import main

START = (-1.5, 2.5)  # inside rosenbrock's domain [-2, 2] x [-1, 3]


def plain_loop(cls, landscape: str, start, steps: int, **kwargs):
    """The oracle: the textbook torch loop, one parameter, its optimizer, `steps` steps."""
    fn = get_landscape(landscape).fn
    x = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    opt = cls([x], **kwargs)
    points, states = [x.detach().clone()], []
    for _ in range(steps):
        opt.zero_grad()
        fn(x.unsqueeze(0)).sum().backward()
        opt.step()
        points.append(x.detach().clone())
        states.append({k: v.clone() for k, v in opt.state[x].items() if isinstance(v, torch.Tensor)})
    return torch.stack(points).numpy(), states


def _po(name):
    import pytorch_optimizer

    return getattr(pytorch_optimizer, name)


ORACLES = [
    ("torch.optim:SGD", lambda: torch.optim.SGD, {"momentum": 0.9}, 1e-4, "ill"),
    ("torch.optim:SGD", lambda: torch.optim.SGD, {"momentum": 0.9}, 1e-4, "rosenbrock"),
    ("torch.optim:Adam", lambda: torch.optim.Adam, {}, 0.05, "rosenbrock"),
    ("adamw", lambda: torch.optim.AdamW, {"weight_decay": 0.1}, 0.05, "rosenbrock"),
    ("torch.optim:RMSprop", lambda: torch.optim.RMSprop, {"alpha": 0.9}, 0.01, "rosenbrock"),
    ("torch.optim:Adagrad", lambda: torch.optim.Adagrad, {}, 0.1, "rosenbrock"),
    ("lion", lambda: _po("Lion"), {"betas": (0.9, 0.99)}, 0.01, "rosenbrock"),
    ("adan", lambda: _po("Adan"), {}, 0.05, "rosenbrock"),
]


@pytest.mark.parametrize(("name", "cls", "kwargs", "lr", "landscape"), ORACLES, ids=[o[0] for o in ORACLES])
def test_a_plugged_in_optimizer_is_bit_identical_to_a_plain_loop(name, cls, kwargs, lr, landscape):
    start = START if landscape == "rosenbrock" else (-5.0, -2.0)
    s = Settings(landscape, start, optimizer=name, lr=lr, steps=60, tol=0.0, opt=parse_opt(_opt_text(kwargs)))
    tr = run(s)
    points, states = plain_loop(cls(), landscape, start, 60, lr=lr, **kwargs)
    assert tr.status == "max_steps" and tr.steps == 60
    assert np.array_equal(tr.points, points), "the same bits, step by step"
    assert not np.array_equal(tr.points[-1], tr.points[0])
    for key, mine in (("exp_avg", "v"), ("exp_avg_sq", "s"), ("momentum_buffer", "v"), ("sum", "s")):
        if key in states[-1]:
            assert np.array_equal(tr.state[mine][1:], np.stack([st[key].numpy() for st in states]))
            assert np.array_equal(tr.state[mine][0], [0.0, 0.0])


def _opt_text(kwargs) -> str:
    return ",".join(f"{k}={v!r}" for k, v in kwargs.items())


def test_torchs_adam_is_not_the_books_rule_but_close():
    """torch.optim.Adam: eps is added to sqrt(s)/sqrt(1 - b2^t), the book adds it to sqrt(s/(1 - b2^t))
    (the same number), with eps 1e-8 against the book's 1e-6, and v by lerp: the same path, not the
    same bits."""
    book = run(Settings("ill", (-5.0, -2.0), optimizer="adam", lr=0.4, steps=50, tol=0.0))
    eps = (("eps", 1e-6),)
    torchs = run(
        Settings("ill", (-5.0, -2.0), optimizer="torch.optim:Adam", lr=0.4, steps=50, tol=0.0, opt=eps)
    )
    assert not np.array_equal(book.points, torchs.points)
    np.testing.assert_allclose(torchs.points, book.points, rtol=0, atol=1e-9)
    np.testing.assert_allclose(torchs.state["v"], book.state["v"], rtol=1e-12, atol=1e-14)


def test_lbfgs_steps_with_a_closure_as_its_own_loop_does():
    fn = get_landscape("rosenbrock").fn
    x = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([x], lr=0.5, max_iter=5)
    want = [x.detach().clone()]
    for _ in range(6):

        def closure():
            opt.zero_grad()
            loss = fn(x.unsqueeze(0)).sum()
            loss.backward()
            return loss

        opt.step(closure)
        want.append(x.detach().clone())
    opt_kw = (("max_iter", 5),)
    tr = run(Settings("rosenbrock", START, optimizer="lbfgs", lr=0.5, steps=6, tol=0.0, opt=opt_kw))
    assert np.array_equal(tr.points, torch.stack(want).numpy())
    assert tr.values[-1] < 0.5 * tr.values[0], "it descends"


def test_a_second_order_optimizer_gets_its_graph_and_is_deterministic():
    s = Settings("rosenbrock", START, optimizer="adahessian", lr=0.1, steps=30, tol=0.0)
    a, b = run(s), run(s)
    assert np.array_equal(a.points, b.points), "its Hutchinson draws are seeded"
    assert "hessian" in a.state and np.abs(a.state["hessian"][1:]).max() > 0
    assert a.values[-1] < a.values[0]
    before = torch.random.get_rng_state()
    run(s)
    assert torch.equal(before, torch.random.get_rng_state())


def test_each_ball_has_its_own_instance_and_a_stopped_ball_stops_stepping():
    s = Settings("rosenbrock", START, optimizer="adamw", lr=0.3, steps=40, tol=0.0)
    near_edge, inside = (1.95, 2.9), (-1.0, 1.0)
    both = run_batch(s, starts=[near_edge, inside])
    alone = [run(s.override(start=near_edge)), run(s.override(start=inside))]
    assert both[0].status == "left_domain" and both[0].steps < 40 and both[1].steps == 40
    for b, a in zip(both, alone, strict=True):
        assert np.array_equal(b.points, a.points), "one instance per ball: a batch is the balls alone"
        assert np.array_equal(b.state["v"], a.state["v"])


def test_noise_reaches_a_plugged_in_optimizer_seeded():
    s = Settings("rosenbrock", START, optimizer="adamw", lr=0.05, steps=20, noise=1.0, seed=4, tol=0.0)
    a, b, c = run(s), run(s), run(s.override(seed=5))
    assert np.array_equal(a.points, b.points) and not np.array_equal(a.points, c.points)


def test_opt_is_read_as_literals_never_evaluated():
    assert parse_opt("betas=(0.9,0.99),weight_decay=0.01,amsgrad=True,foreach=None") == (
        ("amsgrad", True),
        ("betas", (0.9, 0.99)),
        ("foreach", None),
        ("weight_decay", 0.01),
    )
    for bad in ("x=__import__('os')", "1", "**{'a': 1}", "a=", "a={'b': 1}", "a=[1, 'x']"):
        with pytest.raises(SettingsError, match="^--opt"):
            parse_opt(bad)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--optimizer", "nope"], "--optimizer 'nope': choose one of gd, sgd"),
        (["--optimizer", "os:path"], "--optimizer 'os:path': path is not a torch.optim.Optimizer subclass"),
        (["--optimizer", "nowhere:Adam"], "--optimizer 'nowhere:Adam': cannot import 'Adam' from 'nowhere'"),
        (["--optimizer", "muon"], "--optimizer muon: Muon cannot roll here: updates 2-D weight matrices"),
        (["--optimizer", "adamw", "--opt", "foo=1"], "--opt foo: AdamW has no keyword 'foo'; it takes betas"),
        (["--optimizer", "adamw", "--opt", "lr=1"], "--opt lr: give the learning rate as --lr"),
        (
            ["--optimizer", "adamw", "--opt", "betas=(2.0,0.9)"],
            "--opt: AdamW(betas=(2.0, 0.9), lr=0.1) refused",
        ),
        (["--optimizer", "adamw", "--beta1", "0.5"], "--beta1: only adam takes it; add --optimizer adam"),
        (
            ["--optimizer", "adam", "--opt", "eps=1e-8"],
            "--opt: adam are the book's rules, set with their flags",
        ),
        (["--optimizer", "lbfgs", "--noise", "1"], "--noise: LBFGS evaluates f itself (a closure)"),
        (["--optimizer", "ranger21"], "--opt: Ranger21 needs num_iterations; give --opt num_iterations=..."),
        (["--optimizer", "adamw", "--tol", "-1"], "--tol -1.0: the gradient-norm stop must be"),
    ],
)
def test_every_refusal_is_one_line_naming_the_flag(capsys, argv, message):
    assert main(["trajectory", "custom", "--function", "x**2 + y**2", "--start=1,1", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("roll: error: ")
    assert message in err


def test_a_users_own_module_class_rolls(tmp_path, monkeypatch, capsys):
    (tmp_path / "mysign.py").write_text(
        textwrap.dedent(
            '''
            import torch

            class SignDescent(torch.optim.Optimizer):
                """x <- x - lr * sign(g)"""

                def __init__(self, params, lr=0.1, shrink=1.0):
                    super().__init__(params, {"lr": lr, "shrink": shrink})

                @torch.no_grad()
                def step(self, closure=None):
                    for group in self.param_groups:
                        for p in group["params"]:
                            p.add_(torch.sign(p.grad), alpha=-group["lr"])
                            group["lr"] *= group["shrink"]
            '''
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    argv = ["trajectory", "custom", "--function", "x**2 + y**2", "--start=1,-2", "--tol", "0"]
    argv += ["--optimizer", "mysign:SignDescent", "--lr", "0.25", "--opt", "shrink=0.5", "--steps", "3"]
    assert main(argv) == 0, capsys.readouterr().err
    out = json.loads(capsys.readouterr().out)
    assert out["points"] == [[1.0, -2.0], [0.75, -1.75], [0.625, -1.625], [0.5625, -1.5625]]
    assert out["hyperparameters"] == {
        "optimizer": "mysign:SignDescent",
        "lr": 0.25,
        "schedule": "constant",
        "shrink": 0.5,
    }
    assert out["opt"] == {"shrink": 0.5} and out["state"] == {}
    sys.modules.pop("mysign", None)
    resolve.cache_clear()


def test_json_and_csv_carry_the_plugged_in_state_and_keywords(capsys):
    argv = [
        "trajectory",
        "compare",
        "--landscape",
        "rosenbrock",
        "--optimizer",
        "adamw",
        "--lr",
        "0.05",
        "--opt",
        "betas=(0.8,0.99)",
        "--steps",
        "5",
    ]
    assert main(argv) == 0, capsys.readouterr().err
    doc = json.loads(capsys.readouterr().out)
    assert doc["optimizer"] == "adamw" and doc["opt"] == {"betas": [0.8, 0.99]}
    assert doc["hyperparameters"]["betas"] == [0.8, 0.99] and doc["hyperparameters"]["weight_decay"] == 0.01
    assert list(doc["state"]) == ["v", "s"] and len(doc["state"]["v"]) == 6
    assert main([*argv, "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert rows[0]["hp_betas"] == "(0.8, 0.99)" and rows[0]["hp_optimizer"] == "adamw"
    assert float(rows[5]["v_x"]) == doc["state"]["v"][5][0]
    assert Settings.from_dict(_settings_of(doc)).opt == (("betas", (0.8, 0.99)),), "JSON reads back"


def _settings_of(doc):
    keys = Settings.__dataclass_fields__.keys() | {"beta"}
    return {k: v for k, v in doc.items() if k in keys}


def _rollable():
    out = []
    for plugin in available():
        if refusal(plugin):
            continue
        opt = tuple((k, 100) for k in plugin.required)  # Ranger21's num_iterations
        out.append((plugin.name, opt))
    return out


def test_every_listed_optimizer_rolls_or_is_refused_with_its_reason(capfd):
    import warnings

    rolled = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name, opt in _rollable():
            tr = run(Settings("rosenbrock", (-1.5, 2.0), optimizer=name, lr=1e-3, steps=20, opt=opt))
            assert tr.steps >= 1 and np.isfinite(tr.points).all(), name
            rolled += 1
    out, err = capfd.readouterr()
    assert err == "" and out == ""
    assert rolled == len(available()) - len(REFUSED) > 100, (
        "torch.optim's and pytorch-optimizer's, less the refused"
    )
    resolve.cache_clear()
    for key, why in REFUSED.items():
        source, cls = key.split(":")
        plugin = next(p for p in available() if p.cls.__name__ == cls and p.source == source)
        with pytest.raises(SettingsError, match=re.escape(f"cannot roll here: {why}")):
            run(Settings("rosenbrock", START, optimizer=plugin.name, lr=1e-3, steps=20))


def test_the_refusals_are_true(monkeypatch):
    """Without the table, each refused optimizer fails: the reasons are not guesses."""
    monkeypatch.setattr("landscapes.plugins.REFUSED", {})
    resolve.cache_clear()
    for key in REFUSED:
        source, cls = key.split(":")
        plugin = next(p for p in available() if p.cls.__name__ == cls and p.source == source)
        opt = tuple((k, 100) for k in plugin.required if k != "optimizer")
        with pytest.raises(Exception):  # noqa: B017 - each fails its own way (TypeError, KeyError, ...)
            tr = run(Settings("rosenbrock", START, optimizer=plugin.name, lr=1e-3, steps=20, opt=opt))
            assert not math.isnan(tr.values[-1])
    resolve.cache_clear()


def test_roll_list_optimizers_lists_sources_keywords_and_refusals(capsys):
    assert main(["list", "--optimizers"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines]
    assert names[:8] == ["gd", "sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "newton"]
    assert len(lines) == 8 + len(available())
    adamw = next(line for line in lines if line.startswith("adamw "))
    assert "torch.optim" in adamw and "betas=(0.9,0.999)" in adamw and "weight_decay=0.01" in adamw
    assert any(line.startswith("lion ") and "pytorch_optimizer" in line for line in lines)
    refused = [line for line in lines if "refused:" in line]
    assert len(refused) == len(REFUSED) and lines[-len(refused) :] == refused


def test_compare_draws_plugged_in_balls_on_a_classic_landscape(tiny):
    from conftest import render_scene

    from scenes.catalog import get_story

    base = get_story("compare").settings
    settings = base.override(
        landscape="rosenbrock", start=(-1.5, 2.0), lr=0.002, steps=150, opt=(("betas", (0.9, 0.99)),)
    )
    scene = render_scene("compare", settings, {"optimizers": ("gd", "adamw", "lion")})
    assert type(scene).__name__ == "CompareOptimizersPlane"
    assert [b.traj.settings.optimizer for b in scene.balls] == ["gd", "adamw", "lion"]
    betas = (("betas", (0.9, 0.99)),)
    assert [b.traj.settings.opt for b in scene.balls] == [(), betas, betas], "--opt reaches the plugged-in"
    for ball in scene.balls:
        tr = run(ball.traj.settings)
        assert np.array_equal(ball.traj.points, tr.points)
        end = tr.end
        np.testing.assert_allclose(ball.dot.get_center(), scene.plot.axes.c2p(end[0], end[1]), atol=1e-6)
    assert [b.name for b in scene.balls] == [
        "gd η=0.002",
        "AdamW η=0.002 betas=(0.9, 0.99)",
        "Lion η=0.002 betas=(0.9, 0.99)",
    ]
    assert "AdamW" in scene.caption_text and "Lion" in scene.caption_text


def test_a_schedule_sets_a_plugged_in_rate_before_every_step():
    from landscapes import schedule_factor

    s = Settings("rosenbrock", START, optimizer="adamw", lr=0.05, steps=20, tol=0.0, schedule="polynomial")
    tr = run(s)
    fn = get_landscape("rosenbrock").fn
    x = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.AdamW([x], lr=0.05)
    want = [x.detach().clone()]
    for k in range(20):  # the oracle: the book's schedule written into the group before each step
        opt.param_groups[0]["lr"] = 0.05 * schedule_factor("polynomial", k)
        opt.zero_grad()
        fn(x.unsqueeze(0)).sum().backward()
        opt.step()
        want.append(x.detach().clone())
    assert np.array_equal(tr.points, torch.stack(want).numpy())
    assert tr.lrs[3] == 0.05 * (1 + 0.1 * 5) ** -0.5
    assert not np.array_equal(tr.points, run(s.override(schedule="constant")).points)


def test_a_step_that_fails_is_one_line_naming_the_optimizer(tmp_path, monkeypatch, capsys):
    (tmp_path / "brittle.py").write_text(
        "import torch\n\n"
        "class Brittle(torch.optim.Optimizer):\n"
        "    def __init__(self, params, lr=0.1):\n"
        "        super().__init__(params, {'lr': lr})\n\n"
        "    def step(self, closure=None):\n"
        "        raise ValueError('needs a batch\\nof data')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    argv = ["trajectory", "custom", "--function", "x**2", "--start", "3", "--optimizer", "brittle:Brittle"]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    want = "--optimizer brittle:Brittle: Brittle's step failed (ValueError: needs a batch of data)"
    assert out == "" and err == f"roll: error: {want}\n"
    sys.modules.pop("brittle", None)
    resolve.cache_clear()


def test_a_users_optimizer_file_keys_the_render_cache(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from scenes.cli import cache_key

    path = tmp_path / "keyed.py"
    path.write_text("import torch\n\nclass Keyed(torch.optim.SGD):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    job = SimpleNamespace(
        settings=SimpleNamespace(optimizer="gd"), options={"optimizers": ("gd", "keyed:Keyed", "lion")}
    )
    before = cache_key._plugin_sources(job)
    assert list(before) == ["keyed:Keyed"] and len(before["keyed:Keyed"]) == 64, (
        "lion's version is in the set-up"
    )
    path.write_text(path.read_text() + "# changed\n")
    assert cache_key._plugin_sources(job) != before
    adamw = SimpleNamespace(settings=SimpleNamespace(optimizer="adamw"), options={})
    assert cache_key._plugin_sources(adamw) == {}
    sys.modules.pop("keyed", None)
    resolve.cache_clear()


def test_opt_reaches_compares_plugged_in_balls_from_the_command_line(monkeypatch, capsys, tmp_path):
    from scenes.catalog import get_story
    from scenes.cli import runner

    planned = []
    monkeypatch.setattr(
        runner,
        "run_jobs",
        lambda jobs, workers, verbose=False, deliver=None: (planned.extend(jobs), (0, []))[1],
    )
    monkeypatch.chdir(tmp_path)
    argv = [
        "render",
        "compare",
        "--landscape",
        "rosenbrock",
        "--optimizers",
        "gd,adamw,lion",
        "--opt",
        "betas=(0.8,0.9)",
    ]
    assert main(argv) == 0, capsys.readouterr().err
    (job,) = planned
    balls = get_story("compare").balls(job.settings, job.options)
    assert [b.opt for b in balls] == [(), (("betas", (0.8, 0.9)),), (("betas", (0.8, 0.9)),)]
    assert job.settings.opt == (), "the main ball is the story's sgd"
    assert main([*argv[:-1], "amsgrad=True"]) == 2
    assert "--opt amsgrad: Lion has no keyword 'amsgrad'" in capsys.readouterr().err
    assert main(["render", "compare", "--optimizers", "gd,adam", "--opt", "eps=1"]) == 2
    assert "--opt: gd and adam are the book's rules" in capsys.readouterr().err
