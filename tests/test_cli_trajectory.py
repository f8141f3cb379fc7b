"""`roll trajectory` and `roll list` against their contract."""

import json
import subprocess
import sys
import time

import numpy as np
import pytest
from support import ROOT, roll

from landscapes import run
from scenes.catalog import get_story
from scenes.cli.main import main


def _json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_trajectory_without_flags_is_the_story_run(capsys):
    out = _json(capsys, "trajectory", "ripples")
    tr = run(get_story("ripples").settings)
    assert out["points"] == tr.points.tolist() and out["grads"] == tr.grads.tolist()
    assert out["values"] == tr.values.tolist()
    assert out["status"] == tr.status
    for key in ("optimizer", "lr", "start", "steps", "noise", "seed", "landscape"):
        assert key in out
    assert (out["optimizer"], out["noise"], out["seed"]) == ("sgd", 3.0, 0)


def test_overrides_change_the_numbers(capsys):
    out = _json(capsys, "trajectory", "cubic-saddle", "--lr", "0.05", "--steps", "7", "--start", "1")
    assert len(out["points"]) == 8 and out["lr"] == 0.05
    x = 1.0
    for p in out["points"]:
        assert p[0] == pytest.approx(x, abs=1e-12)
        x -= 0.05 * 3 * x * x


@pytest.mark.parametrize("spelling", [["--start", "-0.5,-0.01"], ["--start=-0.5,-0.01"]])
def test_negative_starts_in_both_spellings(capsys, spelling):
    out = _json(capsys, "trajectory", "saddle-surface", *spelling, "--steps", "3")
    assert out["points"][0] == [-0.5, -0.01]


def test_custom_function_with_negative_domain(capsys):
    out = _json(
        capsys,
        "trajectory",
        "custom",
        "--function",
        "x*cos(0.15*pi*x)",
        "--domain",
        "-1,5",
        "--start",
        "-0.5",
        "--lr",
        "0.2",
        "--steps",
        "10",
    )
    assert out["domain"] == [[-1.0, 5.0]] and out["function"] == "x*cos(0.15*pi*x)"
    assert out["status"] == "left_domain" and out["points"][-1] == [-1.0]


def test_csv_has_one_row_per_point(capsys):
    assert main(["trajectory", "saddle-surface", "--steps", "4", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "step,x,y,f,grad_x,grad_y,lr,hp_optimizer,hp_lr,hp_schedule", "the header first"
    assert len(rows) == 6 and rows[1].endswith(",gd,0.05,constant"), "the hyper-parameters in force"
    x, y = (float(v) for v in rows[1].split(",")[1:3])
    assert (x, y) == (0.95, 0.002)


def test_diverging_run_reports_its_status(capsys):
    out = _json(capsys, "trajectory", "custom", "--function", "x**2", "--lr", "1.1", "--steps", "100000")
    assert out["status"] == "diverged"
    assert np.all(np.isfinite(out["points"]))


BAD = [
    (["trajectory", "nope"], "unknown scene 'nope'; choose one of: risk"),
    (
        ["trajectory", "ripples", "--optimizer", "nope"],
        "--optimizer 'nope': choose one of gd, sgd, momentum, adagrad, rmsprop, adadelta, adam, newton",
    ),
    (["trajectory", "ripples", "--lr", "0"], "--lr 0.0: the learning rate must be a finite number > 0"),
    (["trajectory", "ripples", "--lr", "-1"], "--lr -1.0: the learning rate must be"),
    (["trajectory", "ripples", "--lr", "nan"], "--lr nan: the learning rate must be a finite number"),
    (["trajectory", "ripples", "--lr", "inf"], "--lr inf: the learning rate must be a finite number"),
    (["trajectory", "ripples", "--lr", "fast"], "argument --lr: invalid float value: 'fast'"),
    (["trajectory", "ripples", "--steps", "0"], "--steps 0: give a whole number from 1 to 1,000,000"),
    (["trajectory", "ripples", "--steps", "1000001"], "--steps 1000001: give a whole number"),
    (["trajectory", "ripples", "--noise", "-0.1"], "--noise -0.1: the noise scale must be"),
    (["trajectory", "ripples", "--optimizer", "gd", "--noise", "1"], "gd) has no noise; use --optimizer sgd"),
    (["trajectory", "ripples", "--start", "1,2"], "--start 1,2: g(x) = f(x) + 0.2·cos(5πx) has 1 variable"),
    (["trajectory", "saddle-surface", "--start", "1"], "so give X,Y"),
    (["trajectory", "ripples", "--start", "3"], "--start 3: outside the domain [-1, 2]"),
    (["trajectory", "ripples", "--start", "nan"], "coordinates must be finite"),
    (
        ["trajectory", "saddle-surface", "--start", "-2,0"],
        "--start -2,0: outside the domain [-1, 1] x [-1, 1]",
    ),
    (["trajectory", "custom", "--function", "__import__('os').system('id')"], "attribute access '.system'"),
    (["trajectory", "custom", "--function", "x.__class__"], "attribute access '.__class__'"),
    (["trajectory", "custom", "--function", "().__class__"], "attribute access '.__class__'"),
    (["trajectory", "custom", "--function", "x" * 501], "the limit is 500"),
    (["trajectory", "custom", "--function", "x", "--domain", "2,1"], "lower bound must be below"),
    (["trajectory", "custom", "--function", "x", "--domain", "1,1"], "lower bound must be below"),
    (["trajectory", "custom"], "custom: give --function"),
    (["trajectory", "ripples", "--function", "x"], "--function works with `compare` and `custom`"),
    (["trajectory", "ripples", "--format", "xml"], "--format 'xml': choose json or csv"),
    (["trajectory", "ripples", "--seed", "-1"], "--seed -1: give a whole number"),
    (["bogus"], "invalid choice: 'bogus'"),
]


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a)[:40] for a, _ in BAD])
def test_bad_input_is_one_line_and_exit_two(capsys, argv, message):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("roll: error: ")
    assert message in err


def test_real_process_exit_code_and_no_traceback(tmp_path):
    before = set(tmp_path.iterdir())
    proc = roll("trajectory", "custom", "--function", "__import__('os').system('touch pwned')", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
    assert set(tmp_path.iterdir()) == before


def test_help_is_quick_and_imports_neither_torch_nor_manim():
    code = (
        "import sys, time; t=time.perf_counter(); from scenes.cli.main import main\n"
        "try: main(['--help'])\nexcept SystemExit: pass\n"
        "main(['list']); assert 'torch' not in sys.modules and 'manim' not in sys.modules\n"
        "print(time.perf_counter()-t, file=sys.stderr)"
    )
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert time.perf_counter() - t < 5  # generous: a loaded CI machine; measured ~0.05 s
