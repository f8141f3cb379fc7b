"""The command line under fuzzing: hypothesis writes argument lists from the flags' names and
odd values (negative, infinite, huge, empty, expressions, paths that cannot be folders), and
`roll` runs them in-process. Rendering is stubbed out where manim would start, after every
check: a fake writes files where manim would, so publishing and the cache run for real.

Whatever the line: exit 0, 1 (only for a scene that failed) or 2; on 2 exactly one line on
stderr, nothing on stdout and nothing written; never a traceback (no --verbose here).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scenes.cli import runner
from scenes.cli.main import main

NAMES = ["custom", "compare", "ripples", "cubic-saddle", "gd-2d", "basins", "risk", "nosuch", ""]
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["-inf", "inf", "nan", "-nan", "1e308", "-1e-320", "1e20", "0", "-0", "1e999"]),
)
PAIRS = st.lists(NUMBERS, min_size=1, max_size=5).map(",".join)
EXPRESSIONS = st.sampled_from(
    ["x**2", "-x**2", "0*x*y", "x*y*1e-10", "log(x)", "1", "pi", "x*y", "sin(x)+y", "9**9**9**9"]
    + ["x**x**x**x", "sqrt(-x)", "1/x", "x+", "__import__('os')", "", "y"]
)
ODD = st.sampled_from(["", "-", "--", "a" * 300, ",", "1,2,3", "-q", "--out", "é", "x=1"])
PATHS = st.sampled_from(["o", "o/x", "a-file", "a-file/x", "dangling", "loop", "loop/x", "", "/proc/x"])
# a fair share of lines that should work, so that rendering, publishing and the cache are fuzzed too
PLAUSIBLE_START = st.sampled_from(["1", "-0.5", "0.5,0.5", "-5,-2", "2", "0.9,0.05"])
PLAUSIBLE_DOMAIN = st.sampled_from(["-1,2", "-5,5", "-1,1,-1,1", "-6,6,-3,3", "0,10"])
VALUES = {
    "--start": st.one_of(PLAUSIBLE_START, NUMBERS, PAIRS, ODD),
    "--domain": st.one_of(PLAUSIBLE_DOMAIN, PAIRS, ODD),
    "--function": st.one_of(EXPRESSIONS, ODD),
    "--lr": st.one_of(st.sampled_from(["0.1", "0.02", "1e-3"]), NUMBERS, ODD),
    "--steps": st.sampled_from(["0", "-1", "3", "x", "2.5", "1e9", "1000001"]),
    "--optimizer": st.sampled_from(
        ["gd", "adam", "newton", "adamw", "nosuch", "torch.optim:Adam", "os:path"]
    ),
    "--optimizers": st.sampled_from(["gd,adam", "gd", ",", "nosuch", "adam,adamw", ""]),
    "--noise": st.one_of(NUMBERS, ODD),
    "--seed": st.one_of(NUMBERS, ODD),
    "--beta": st.one_of(NUMBERS, ODD),
    "--tol": st.one_of(NUMBERS, ODD),
    "--schedule": st.sampled_from(["constant", "exponential", "polynomial", "x", ""]),
    "--landscape": st.sampled_from(["f", "g", "rosenbrock", "nosuch", ""]),
    "--opt": st.sampled_from(["lr=1", "betas=(0.9,0.99)", "x", "weight_decay=-1", "eps=1e-8", ""]),
    "--balls": st.sampled_from(["1", "0", "200", "201", "x"]),
    "--spread": st.sampled_from(["even", "random", "x"]),
    "--theme": st.sampled_from(["dark", "light", "x"]),
    "--lang": st.sampled_from(["en", "x"]),
}
RENDER_ONLY = {
    "--format": st.sampled_from(["mp4", "gif", "png", "gif,png", "mov", ""]),
    "--out": PATHS,
    "--media-dir": PATHS,
    "--shard": st.sampled_from(
        ["1/2", "2/2", "0/1", "1/0", "1/99999999999999999999999999", "1/100000000", "x"]
    ),
    "-q": st.sampled_from(["l", "h", "x", ""]),
    "--jobs": st.sampled_from(["1", "0", "-1", "x"]),
}
SWITCHES = ["--force", "--save-trajectory", "--all"]


@st.composite
def command_lines(draw) -> list[str]:
    command = draw(st.sampled_from(["trajectory", "render"]))
    values = {**VALUES, **(RENDER_ONLY if command == "render" else {})}
    argv = [command, "--steps", "3"]  # a later --steps wins: runs stay short
    if command == "render":
        argv += ["--format", "png"]
    argv += draw(st.lists(st.sampled_from(NAMES), min_size=0 if command == "render" else 1, max_size=2))
    for flag in draw(st.lists(st.sampled_from([*values, *SWITCHES]), max_size=4)):
        if flag in SWITCHES:
            if command == "render":
                argv.append(flag)
            continue
        value = draw(values[flag])
        argv += [f"{flag}={value}"] if draw(st.booleans()) else [flag, value]
    return argv


def fake_render(job):
    """Files where manim puts them, with the beats a video has beside it."""
    produced = []
    for fmt in job.formats:
        path = Path(job.media_dir) / "fake" / job.variant / f"{job.name}.{fmt}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{fmt} {job.name}".encode())
        if fmt != "png":
            path.with_suffix(".beats.json").write_text(json.dumps({"version": 1, "beats": []}))
        produced.append(str(path))
    return produced


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@settings(
    max_examples=int(os.environ.get("ROLL_FUZZ_EXAMPLES", "80")),  # a long search: e.g. 3000
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=command_lines())
def test_any_command_line_ends_in_a_documented_way(monkeypatch, capsys, argv):
    monkeypatch.setattr(runner, "render_job", fake_render)
    monkeypatch.delenv("ROLL_CACHE_DIR", raising=False)
    monkeypatch.delenv("ROLL_CACHE_LIMIT", raising=False)
    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="roll-fuzz-") as tmp:
        root = Path(tmp)
        (root / "a-file").write_text("x")
        os.symlink("/nonexistent/roll", root / "dangling")
        os.symlink("loop", root / "loop")
        before = _tree(root)
        os.chdir(root)
        try:
            code = main(argv)
        finally:
            os.chdir(here)
        out, err = capsys.readouterr()
        event(f"exit {code}")
        assert code in (0, 1, 2), (argv, code, err)
        assert "Traceback" not in err and "internal error" not in err, (argv, err)
        if code == 1:
            assert "some scenes failed" in err, (argv, err)
        if code == 2:
            assert out == "" and err.count("\n") == 1 and err.startswith("roll: error: "), (argv, out, err)
            assert _tree(root) == before, (argv, "wrote files on a refusal")
