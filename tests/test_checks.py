"""Everything checkable is checked before rendering: one stderr line naming the flag and the
fix, exit 2, nothing written; and what cannot be refused (a flat or steep custom landscape)
draws in normal time, without a warning."""

from __future__ import annotations

import os
import time
import warnings
from pathlib import Path

import numpy as np
import pytest

from landscapes import parse_expression
from scenes.cli import runner
from scenes.cli.main import main


@pytest.fixture
def empty(tmp_path, monkeypatch):
    """A fresh folder to run in, and no render: nothing here may get as far as rendering."""
    monkeypatch.chdir(tmp_path)

    def no_render(job):
        raise AssertionError(f"{job.name} was rendered")

    monkeypatch.setattr(runner, "render_job", no_render)
    os.symlink("/nonexistent/roll", tmp_path / "dangling")
    os.symlink("loop", tmp_path / "loop")
    (tmp_path / "a-file").write_text("x")
    return tmp_path


CUSTOM = ["render", "custom", "--out", "o"]
REFUSED = [
    (CUSTOM + ["--function", "log(x)", "--start", "0"], "--start 0: f(x) = log(x) or its gradient"),
    (["trajectory", "custom", "--function", "1"], "--function '1': a constant"),
    (["trajectory", "custom", "--function", "pi"], "--function 'pi': a constant"),
    (["trajectory", "custom", "--function", "log(0)"], "--function 'log(0)': a constant"),
    (["trajectory", "custom", "--function", "9**9**9**9"], "--function '9**9**9**9': a constant"),
    (
        CUSTOM + ["--function", "x**2", "--domain", "-1e-320,1e-320", "--start", "0"],
        "too narrow for",
    ),
    (CUSTOM + ["--function", "x**2", "--start", "1e20"], "--start 1e20: the axes draw coordinates up to"),
    (CUSTOM + ["--function", "x**2", "--domain", "1e308,1.7e308"], "--domain 1e308,1.7e308: the axes draw"),
    (
        ["trajectory", "custom", "--function", "x**2", "--domain", "1e308,1.7e308"],
        "--domain 1e308,1.7e308: f(x) = x² is not defined at 1.35e+308, the default start; give --start",
    ),
    (CUSTOM + ["--function", "x**2", "--start", "-inf"], "--start '-inf': coordinates must be finite"),
    (CUSTOM + ["--function", "x**2", "--domain", "-inf,1"], "--domain '-inf,1': bounds must be finite"),
    (["render", "ripples", "--shard", "0/99999999999999999999999999"], "K must be from 1 to"),
    (["render", "ripples", "--shard", "1/" + "9" * 5000], "K and N have at most 100 digits"),
    (["render", "ripples", "--out", ""], "--out '': give a folder name"),
    (["render", "ripples", "--out", "x" * 300], "a folder name is 300 bytes; give names of at most 255"),
    (["render", "ripples", "--out", "/".join(["abcdefgh"] * 500)], "bytes; give one under 4095"),
    (
        ["render", "ripples", "--out", "dangling"],
        "dangling is a symlink to /nonexistent/roll",
    ),
    (["render", "ripples", "--out", "loop/x"], "--out 'loop/x': loop is a symlink loop"),
    (["render", "ripples", "--media-dir", "a-file"], "--media-dir a-file: this is a file; give a folder"),
    (["render", "ripples", "--media-dir", "/proc/roll"], "--media-dir /proc/roll: no folder can be made"),
    (["slides", "ripples", "--to", "html", "--out", "loop"], "--out 'loop': loop is a symlink loop"),
    (["gallery", "--out", "a-file/g"], "--out a-file/g: a-file is a file, so no folder can be made"),
    (["bench", "--media-dir", "a-file"], "--media-dir a-file: this is a file"),
    (["trajectory", "custom", "--start=--"], "--start '--': not a value; give one, e.g. --start=VALUE"),
    (
        ["trajectory", "custom", "--function", "x**2", "--start", "-nan"],
        "--start '-nan': coordinates",
    ),
]


@pytest.mark.parametrize(("argv", "message"), REFUSED, ids=[" ".join(a)[:60] for a, _ in REFUSED])
def test_refused_up_front_in_one_line(empty, capsys, argv, message):
    before = sorted(os.listdir(empty))
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err, err
    assert sorted(os.listdir(empty)) == before, "nothing written"


@pytest.mark.parametrize("limit", ["9" * 400, "1e999", "2000T"])
def test_a_cache_limit_too_large_is_refused(empty, capsys, monkeypatch, limit):
    monkeypatch.setenv("ROLL_CACHE_LIMIT", limit)
    assert main(["render", "ripples"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ROLL_CACHE_LIMIT=" in err and "give a size" in err
    assert sorted(os.listdir(empty)) == ["a-file", "dangling", "loop"], "nothing written"


def test_a_cache_folder_that_cannot_be_one_is_refused(empty, capsys, monkeypatch):
    monkeypatch.setenv("ROLL_CACHE_DIR", "a-file")
    assert main(["render", "ripples"]) == 2
    assert capsys.readouterr().err == "roll: error: ROLL_CACHE_DIR a-file: this is a file; give a folder\n"


def test_negative_values_are_values(capsys):
    """A word starting with '-' after a flag that takes a value is that value, unless it is a flag."""
    assert main(["trajectory", "custom", "--function", "-x**2", "--start", "-0.5", "--steps", "2"]) == 0
    assert '"function": "-x**2"' in capsys.readouterr().out
    assert main(["trajectory", "custom", "--function", "x**2", "--domain", "-5,-1", "--steps", "1"]) == 0
    capsys.readouterr()
    # a flag after a flag is still a missing value, said by argparse in one line
    assert main(["trajectory", "custom", "--function", "--steps", "2"]) == 2
    assert "--function: expected one argument" in capsys.readouterr().err


@pytest.mark.parametrize("n", ["99999999999999999999999999", "100000000"])
def test_any_shard_count_is_served_at_once(empty, monkeypatch, capsys, n):
    planned = []
    monkeypatch.setattr(runner, "run_jobs", lambda jobs, *a, **k: (planned.extend(jobs), (0, []))[1])
    t = time.perf_counter()
    assert main(["render", "ripples", "risk", "--shard", f"1/{n}"]) == 0
    assert main(["render", "ripples", "risk", "--shard", f"{n}/{n}"]) == 0
    assert time.perf_counter() - t < 5
    assert len(planned) == 1, "the costliest first, in the first part; the last part is empty"
    assert "has no scenes" in capsys.readouterr().err


def test_trajectory_takes_the_scene_options(capsys):
    assert main(["trajectory", "compare", "--optimizers", "gd,adam", "--steps", "3"]) == 0
    assert '"optimizer": "gd"' in capsys.readouterr().out
    assert main(["trajectory", "risk", "--optimizers", "gd,adam"]) == 2
    assert "--optimizers works with `compare`, `race` and `network`" in capsys.readouterr().err


def test_bench_keeps_its_tex_cache_under_media_dir(tmp_path, monkeypatch, capsys):
    from scenes.cli import bench

    seen = {}

    def fake_bench(names, quality, media, theme, lang, tex_root="media"):
        seen["tex_root"] = tex_root
        return {"scenes": {}, "floor_2d_ms_per_frame": None, "floor_3d_ms_per_frame": None}

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(bench, "bench", fake_bench)
    assert main(["bench", "cubic-saddle", "--media-dir", "elsewhere"]) == 0
    assert seen == {"tex_root": "elsewhere"} and not Path("media").exists()


# what cannot be refused draws in normal time ------------------------------------------------
@pytest.mark.parametrize("lo_hi", [(0.0, 0.0), (-1e-10, 3e-10), (1e-300, 2e-300), (5.0, 5.0 + 1e-9)])
def test_a_flat_range_draws_flat(lo_hi):
    from scenes.kit.axes import nice_range

    start, stop, step = nice_range(*lo_hi, ticks=4)
    assert stop - start >= 2.0 and step >= 0.5 and start <= lo_hi[0] <= lo_hi[1] <= stop


def test_flat_surfaces_build_their_axes_at_once():
    """0*x*y's z range once gave manim's 3D axes thousands of ticks (its tick range pads by 1e-6)."""
    from manim import ThreeDAxes

    from scenes.kit.axes import nice_range

    for expr in ("0*x*y", "x*y*1e-10", "1e-300*x*y"):
        ls = parse_expression(expr)
        xs = np.linspace(-1, 3, 17)
        from landscapes import sample

        grid = sample(ls, xs, xs)
        z = nice_range(float(grid.min()), float(grid.max()), ticks=4)
        t = time.perf_counter()
        axes = ThreeDAxes(x_range=[-1, 3, 1], y_range=[-1, 3, 1], z_range=z, tips=False)
        assert time.perf_counter() - t < 2 and len(axes.z_axis.ticks) < 10, expr


def test_a_steep_curve_draws_without_a_warning():
    """x**x**x**x from 2 reaches 1e300 in view: numpy's overflow in manim's line lengths."""
    from scenes.kit.axes import story_axes, value_range, view_range

    ls = parse_expression("x**x**x**x")
    x_range = view_range(np.array([[2.0], [-5.0]]), 0, None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y_range = value_range([ls], x_range)
        story_axes(x_range[:2] + [1.0], y_range, 6.0, 4.0, "x", "f(x)")
    assert abs(y_range[1]) <= 2e12


def test_a_flat_custom_surface_renders_in_normal_time(tmp_path, monkeypatch, capsys):
    """The one real render here: 0*x*y never finished (600 s, 1 GB); a 2D custom takes 8-14 s."""
    monkeypatch.chdir(tmp_path)
    t = time.perf_counter()
    argv = ["render", "custom", "--function", "0*x*y", "--start", "1,1", "--format", "png", "--steps", "3"]
    assert main(argv) == 0
    assert time.perf_counter() - t < 60
    assert (tmp_path / "out" / "custom.png").stat().st_size > 0
    assert "Warning" not in capsys.readouterr().err
