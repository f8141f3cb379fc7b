"""Splitting a run: `--shard K/N` parts that are disjoint, whole, balanced and the same on
every machine; and the one progress line a parallel run shows on a terminal."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from support import ROOT, roll_env

from scenes.catalog import CATALOG, CHAPTER, cost, get_story
from scenes.catalog import CATALOG as SCENES
from scenes.cli import runner
from scenes.cli.main import main
from scenes.cli.progress import Progress, clock, estimate_left, progress_line
from scenes.cli.shards import parse_shard, split

COSTS = {name: cost(name, get_story(name).settings) for name in CATALOG}
PARTS_IN_PYTHON = (
    "import json; from scenes.catalog import CHAPTER, cost; from scenes.cli.shards import split; "
    "print(json.dumps({n: split(CHAPTER, {s: cost(s) for s in CHAPTER}, n) for n in range(1, 6)}))"
)


# 1. the parts ------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_parts_are_disjoint_whole_balanced_and_in_the_catalogue_order(n):
    parts = split(CHAPTER, COSTS, n)
    assert len(parts) == n
    flat = [name for part in parts for name in part]
    assert sorted(flat) == sorted(CHAPTER) and len(flat) == len(set(flat)), "disjoint, and together the whole"
    for part in parts:
        assert part == [name for name in CHAPTER if name in part], "each part keeps the list's order"
    loads = [sum(COSTS[s] for s in part) for part in parts]
    assert max(loads) - min(loads) <= max(COSTS.values()), "balanced to within one scene"
    if n == 2:
        assert sorted(loads) == [8.0, 9.0]  # 15 scenes of cost 1 and one (3D) of 2


def test_parts_are_the_same_in_other_processes():
    """Two fresh interpreters, with different hash seeds, agree with this one."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", PARTS_IN_PYTHON],
            env={**roll_env(), "PYTHONHASHSEED": seed},
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in ("1", "2")
    ]
    outs = [json.loads(p.communicate(timeout=120)[0]) for p in runs]
    here = {str(n): split(CHAPTER, COSTS, n) for n in range(1, 6)}
    assert outs[0] == outs[1] == here


def test_a_3d_scene_weighs_twice():
    assert split(["saddle-surface", "risk", "ripples"], COSTS, 2) == [["saddle-surface"], ["risk", "ripples"]]
    assert split(["b", "a", "c", "d"], dict.fromkeys("abcd", 1.0), 2) == [["a", "c"], ["b", "d"]], (
        "ties by name"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0/2", "--shard 0/2: K must be from 1 to 2"),
        ("3/2", "--shard 3/2: K must be from 1 to 2"),
        ("1/0", "--shard 1/0: N must be at least 1"),
        ("x", "--shard 'x': give K/N, the K-th of N parts, e.g. --shard 1/4"),
        ("1/2/3", "--shard '1/2/3': give K/N"),
        ("-1/2", "--shard '-1/2': give K/N"),
    ],
)
@pytest.mark.parametrize("command", ["render", "slides", "gallery"])
def test_a_bad_shard_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys, command, text, message):
    monkeypatch.chdir(tmp_path)
    extra = {"render": ["--all"], "slides": ["--all", "--to", "pptx"], "gallery": ["--out", "g"]}[command]
    assert main([command, *extra, f"--shard={text}"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == [], "nothing written"


def test_a_shard_is_read_with_spaces_too():
    assert parse_shard(" 2 / 4 ") == (2, 4) and parse_shard("1/1") == (1, 1)


# 2. on the command line --------------------------------------------------------------------
@pytest.fixture
def planned(monkeypatch, tmp_path):
    """Plan only: the jobs each command would render, reported as finished."""
    monkeypatch.chdir(tmp_path)
    jobs = []

    def plan_only(js, workers, verbose=False, deliver=None):
        jobs.extend(js)
        return 0, [j.name for j in js]

    monkeypatch.setattr(runner, "run_jobs", plan_only)
    return jobs


@pytest.mark.parametrize("n", [2, 3])
def test_render_shards_cover_all_scenes(planned, capsys, n):
    seen = []
    for k in range(1, n + 1):
        assert main(["render", "--all", "--shard", f"{k}/{n}", "-q", "h"]) == 0
        names = [j.name for j in planned]
        assert names == split(CHAPTER, COSTS, n)[k - 1]
        assert (
            f"roll: shard {k}/{n}: {len(names)} of 16 scenes ({', '.join(names)})" in capsys.readouterr().err
        )
        seen += names
        planned.clear()
    assert sorted(seen) == sorted(CHAPTER)


def test_an_empty_shard_does_nothing(planned, tmp_path, capsys):
    assert main(["render", "risk", "ripples", "--shard", "3/3"]) == 0
    assert (
        planned == []
        and "roll: shard 3/3 has no scenes (2 scenes in 3 parts); nothing to do" in capsys.readouterr().err
    )
    assert not (tmp_path / "media").exists()


def test_gallery_shards_write_the_same_index_so_gathering_is_a_copy(planned, tmp_path):
    for k in (1, 2):
        assert main(["gallery", "--out", f"g{k}", "--shard", f"{k}/2"]) == 0
    picked = [[j.name for j in planned if j.out_dir == f"g{k}"] for k in (1, 2)]
    assert picked == split(list(SCENES), COSTS, 2)
    for name in ("index.html", "README.md"):
        one, two = (tmp_path / f"g{k}" / name for k in (1, 2))
        assert one.read_bytes() == two.read_bytes()
        assert all(f"{s}.gif" in one.read_text() for s in SCENES), "the whole gallery's index"


def test_a_slides_shard_renders_its_clips_and_writes_no_deck(planned, tmp_path, capsys, monkeypatch):
    assert main(["slides", "--all", "--to", "pptx", "-q", "l", "--out", "deck", "--shard", "2/4"]) == 0
    assert [j.name for j in planned] == split(CHAPTER, COSTS, 4)[1] and all(j.sections for j in planned)
    assert "no deck written (run the same command without --shard" in capsys.readouterr().err
    assert not (tmp_path / "deck" / "slides.pptx").exists()
    monkeypatch.setenv("ROLL_CACHE_LIMIT", "0")
    assert main(["slides", "--all", "--to", "pptx", "--shard", "2/4"]) == 2
    assert "--shard with slides fills the result cache, and ROLL_CACHE_LIMIT=0" in capsys.readouterr().err


# 3. progress -------------------------------------------------------------------------------
def test_clock_and_estimate():
    assert [clock(s) for s in (0, 7.4, 59.6, 754, 3723)] == ["0:00", "0:07", "1:00", "12:34", "1:02:03"]
    assert estimate_left(elapsed=30, cost_done=3, cost_left=5) == 50
    assert estimate_left(30, 0, 5) is None, "no pace before a scene has rendered"
    assert estimate_left(30, 3, 0) == 0
    assert progress_line(5, 16, 42, 70) == "roll: 5 of 16 scenes done, 0:42 elapsed, about 1:10 left"
    assert (
        progress_line(0, 16, 3, None) == "roll: 0 of 16 scenes done, 0:03 elapsed, estimating the time left"
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_is_rewritten_in_place_on_a_terminal_and_absent_elsewhere():
    t = [100.0]
    costs = {"risk": 1.0, "ripples": 1.0, "saddle-surface": 2.0, "newton": 1.0}
    screen = Terminal()
    p = Progress(costs, stream=screen, now=lambda: t[0])
    p.settle("newton", rendered=False)  # up to date: done, but says nothing about the pace
    p.begin()
    t[0] += 20
    p.settle("saddle-surface")
    p.tick()
    t[0] += 0.75
    p.tick()  # within a second of the last drawing: not redrawn
    with p.above():
        screen.write("roll: saddle-surface done in 20.0 s\n")
    p.close()
    assert screen.getvalue() == (
        "\rroll: 1 of 4 scenes done, 0:00 elapsed, estimating the time left\x1b[K"
        "\rroll: 2 of 4 scenes done, 0:20 elapsed, about 0:20 left\x1b[K"
        "\r\x1b[Kroll: saddle-surface done in 20.0 s\n"
        "\rroll: 2 of 4 scenes done, 0:21 elapsed, about 0:21 left\x1b[K"
        "\r\x1b[K"
    )
    pipe = io.StringIO()
    q = Progress(costs, stream=pipe)
    q.begin()
    q.settle("risk")
    q.tick()
    with q.above():
        pass
    q.close()
    assert pipe.getvalue() == "", "quiet when not a terminal"


def test_a_parallel_run_shows_the_line_only_on_a_terminal(tmp_path, monkeypatch, capsys):
    from test_cache import fake_render

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "render_job", fake_render)
    argv = ["render", "risk", "ripples", "--jobs", "2", "--force", "--out", "o"]
    assert main(argv) == 0
    assert "\r" not in capsys.readouterr().err, "no progress line in a pipe"
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    assert main(argv) == 0
    err = screen.getvalue()
    assert "\rroll: 0 of 2 scenes done" in err and "\rroll: 2 of 2 scenes done" in err
    assert err.endswith("\r\x1b[K"), "the line is cleared at the end"
