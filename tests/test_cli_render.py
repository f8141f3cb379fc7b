"""`roll render` against its contract: stable names, real files, clean refusals."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from support import roll

from scenes.cli.main import main


def test_render_gif_at_the_smallest_quality(tmp_path):
    out = tmp_path / "slides"
    proc = roll("render", "cubic-saddle", "--format", "gif", "-q", "l", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    gif = out / "cubic-saddle.gif"
    assert proc.stdout.splitlines() == [
        str(gif),
        str(out / "cubic-saddle.srt"),
        str(out / "cubic-saddle.vtt"),
        str(out / "cubic-saddle.beats.json"),
    ]
    with Image.open(gif) as im:
        assert im.format == "GIF" and im.n_frames > 10
        assert im.size[1] == 480
    assert (tmp_path / "media").is_dir(), "manim's own tree stays where manim puts it"
    assert sorted(p.name for p in out.iterdir()) == [
        "cubic-saddle.beats.json",
        "cubic-saddle.gif",
        "cubic-saddle.srt",
        "cubic-saddle.vtt",
    ], "the result, its subtitles and beats, no temporary files left behind"


def test_render_png_is_the_last_frame_and_not_blank(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "vanishing-gradient", "--format", "png", "--out", "o", "--lr", "0.7"]) == 0
    png = tmp_path / "o" / "vanishing-gradient.png"
    assert capsys.readouterr().out.splitlines() == [str(Path("o") / "vanishing-gradient.png")]
    pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
    assert pixels.shape == (480, 854)
    assert pixels.std() > 10 and (pixels > 200).mean() > 0.005, "text and curves drawn, not a blank frame"
    assert oct(png.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


BAD = [
    (["render"], "name a scene (risk, local-minimum"),
    (["render", "ripples", "--all"], "give scene names or --all, not both"),
    (["render", "nope"], "unknown scene 'nope'; choose one of: risk"),
    (["render", "ripples", "-q", "z"], "-q 'z': choose one of l, m, h, p, k"),
    (["render", "ripples", "--format", "avi"], "--format 'avi': choose from mp4, gif, png, webm"),
    (["render", "ripples", "--jobs", "0"], "--jobs 0: give a whole number >= 1"),
    (["render", "ripples", "--lr", "-1"], "--lr -1.0: the learning rate must be"),
    (["render", "--all", "--start", "1"], "--start 1: f(x, y) = x² − y² has 2 variable(s)"),
    (["render", "ripples", "--out", "afile"], "--out afile: this is a file; give a folder"),
    (["render", "ripples", "--out", "/proc/nope"], "--out /proc/nope: no folder can be made in /proc"),
]


@pytest.mark.parametrize(("argv", "message"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_render_input_writes_nothing(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("keep me")
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"], "no out/ and no media/ created"
    assert (tmp_path / "afile").read_text() == "keep me"


def test_parallel_jobs_give_the_same_files_as_one_job(tmp_path):
    scenes = ["cubic-saddle", "vanishing-gradient"]
    one = roll("render", *scenes, "--format", "png", "--out", "one", cwd=tmp_path)
    # --force: the same inputs would otherwise be up to date in the cache, and nothing would render
    two = roll("render", *scenes, "--format", "png", "--out", "two", "--jobs", "2", "--force", cwd=tmp_path)
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert "in 2 processes" in two.stderr
    for name in scenes:
        a, b = tmp_path / "one" / f"{name}.png", tmp_path / "two" / f"{name}.png"
        assert a.read_bytes() == b.read_bytes()
    assert sorted(two.stdout.split()) == sorted(str(Path("two") / f"{n}.png") for n in scenes)


def test_a_failing_scene_is_named_and_the_others_finish(tmp_path):
    # bad settings are refused up front, so break a scene at render time instead: a file
    # where its text cache folder should be makes manim fail inside the worker
    media = tmp_path / "media"
    media.mkdir()
    (media / "text-cache").mkdir()
    (media / "text-cache" / "cubic-saddle").write_text("not a folder")
    proc = roll(
        "render",
        "cubic-saddle",
        "vanishing-gradient",
        "--format",
        "png",
        "--jobs",
        "2",
        "--out",
        "o",
        "--media-dir",
        str(media),
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert "roll: cubic-saddle failed:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (tmp_path / "o" / "vanishing-gradient.png").is_file()
    assert not (tmp_path / "o" / "cubic-saddle.png").exists()


def test_plain_manim_renders_a_scene_beside_roll_renders(tmp_path):
    """`manim scenes/<file>.py <Class>` works too, also in a folder where roll has rendered."""
    import shutil
    import subprocess
    import sys

    from support import ROOT, roll_env

    shutil.copy(ROOT / "manim.cfg", tmp_path / "manim.cfg")
    assert roll("render", "cubic-saddle", "--format", "png", cwd=tmp_path).returncode == 0
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "manim",
            "-s",
            "--disable_caching",
            str(ROOT / "scenes" / "cubic_saddle.py"),
            "CubicSaddle",
        ],
        cwd=tmp_path,
        env=roll_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    pngs = list((tmp_path / "media" / "images").rglob("CubicSaddle*.png"))
    assert pngs and Image.open(pngs[0]).size == (854, 480), "manim.cfg's low quality by default"
