"""One scene on several cores (scenes.cli.stretches): a scene cut into 1, 2 and 3 stretches
decodes to the frames of a one-process render, with the same beats and subtitles; the
windows cover every frame once; `roll render NAME --jobs 2` splits, a cached scene does not,
an interrupted split leaves no worker and no partial file; `roll bench --split` parses."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support import movie_frames, roll, roll_env, same_picture
from test_reliability import _children, _digest, _gone

from scenes.cli import worker
from scenes.cli.assembly import Assembly, piece_key
from scenes.cli.job import Job
from scenes.cli.stretches import END, Plan, can_split, read_plan, windows
from scenes.cli.worker import render_job, render_stretch


def _tiny(monkeypatch, tex: Path) -> None:
    """Renders at 126 px and 5 frames per second, with the run's TeX cache. 224 px wide, a
    whole number of x264's 16-px macroblocks: at 214 two renders of one frame differed by a
    level in a few pixels now and then, split or not (the partial column's padding, it seems)."""
    whole = worker.manim_config

    def tiny(job, fmt, video_dir=None, caches=""):
        return {
            **whole(job, fmt, video_dir, caches),
            "pixel_height": 126,
            "pixel_width": 224,
            "frame_rate": 5,
        }

    monkeypatch.setattr(worker, "manim_config", tiny)


def _job(name: str, media: Path) -> Job:
    from scenes.catalog import get_story

    story = get_story(name)
    return Job(
        name, story.settings, dict(story.options), "l", ("mp4",), str(media / "out"), str(media), False
    )


def _sides(movie: Path) -> tuple[dict, str]:
    beats = json.loads(movie.with_name(movie.stem + ".beats.json").read_text())
    return beats, movie.with_suffix(".srt").read_text()


def test_a_surface_is_not_split(tmp_path):
    """A surface renders whole (scenes.cli.stretches.can_split says why); curves and planes split."""
    media = tmp_path / "media"
    assert not can_split(_job("saddle-surface", media))
    assert can_split(_job("cubic-saddle", media)) and can_split(_job("gd-2d", media))
    done = roll("bench", "--split", "saddle-surface", "-q", "l", cwd=tmp_path)
    said = (
        "roll: error: bench --split: saddle-surface renders whole (a surface is not split); "
        "name a curve or a plane"
    )
    assert done.returncode == 2 and done.stderr.strip() == said, done.stderr


@pytest.mark.parametrize("name", ["cubic-saddle", "gd-2d"])  # a curve, a plane
def test_stretches_decode_to_the_frames_of_one_process(name, tmp_path, monkeypatch, tex_dir):
    _tiny(monkeypatch, tex_dir)
    job = _job(name, tmp_path / "media")
    (whole,) = map(Path, render_job(job))
    reference = whole.with_name("one-process.mp4")
    whole.replace(reference)
    frames, (beats, cues) = movie_frames(reference), _sides(whole)
    assert len(frames) > 20 and beats["beats"] and cues
    plan = read_plan(job)
    assert plan is not None and len(plan.durations) > 5, "the render kept the scene's timeline"
    for count in (1, 2, 3):
        if count == 3:  # no timeline kept: each stretch finds it with a dry run first
            monkeypatch.setattr("scenes.cli.assembly.read_plan", lambda job: None)
        whole.unlink(missing_ok=True)
        assembly = Assembly(job, count)
        assert assembly.count == count and len(assembly.pieces) == count
        movies = []
        for piece in assembly.pieces:
            result = render_stretch(piece)
            movies.append(result[0])
            assembly.take(piece_key(piece), result)
        assert all(movies) and len(set(movies)) == count
        assert sum(len(movie_frames(Path(m))) for m in movies) == len(frames), "each frame drawn once"
        (joined,) = map(Path, assembly.whole())
        assert joined == whole
        split = movie_frames(joined)
        assert len(split) == len(frames), f"{count} stretches: as many frames"
        for i, (a, b) in enumerate(zip(frames, split, strict=True)):
            assert (a == b).all(), f"{count} stretches: frame {i} differs by up to {abs(a - b).max()}"
        assert _sides(joined) == (beats, cues), f"{count} stretches: the same beats and subtitles"
        assert not (whole.parent / "stretches").exists(), "the stretches' folders are removed"


def test_windows_cover_every_frame_once_in_about_equal_shares():
    plan = Plan((1.0, 9.0, 0.5, 4.0, 2.0), (True, False, False, True, False))
    frames = plan.frames(15)
    assert frames == [15, 135, 8, 60, 30]
    for count in (1, 2, 3, 4):
        cuts = windows(plan, 15, count)
        assert len(cuts) == count and cuts[0][0] == (0, 0) and cuts[-1][1] == END
        assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:], strict=False)), "contiguous"
        assert all(lo < hi for lo, hi in cuts)
        drawn = [
            sum(1 for p, n in enumerate(frames) for f in range(n) if lo <= (p, f) < hi) for lo, hi in cuts
        ]
        assert sum(drawn) == sum(frames)
        moving = [
            sum(1 for p, n in enumerate(frames) if not plan.stills[p] for f in range(n) if lo <= (p, f) < hi)
            for lo, hi in cuts
        ]
        assert max(moving) - min(moving) <= 30 + 3, f"{count}: about equal: {moving}"
        # cut on the 2-second grid, so a one-process render encodes the same segments
        assert all(lo[1] % 30 == 0 for lo, _ in cuts)
    assert windows(Plan((), ()), 15, 3) == [((0, 0), END)]


def test_render_splits_one_scene_and_a_cached_scene_is_not_split(tmp_path):
    args = ["render", "vanishing-gradient", "-q", "l", "--format", "mp4,png"]
    split = roll(*args, "--jobs", "2", "--out", "split", cwd=tmp_path)
    assert split.returncode == 0, split.stderr
    assert "vanishing-gradient in 2 stretches" in split.stderr and "(2 stretches)" in split.stderr
    again = roll(*args, "--jobs", "2", "--out", "split", cwd=tmp_path)
    assert again.returncode == 0 and "vanishing-gradient: up to date" in again.stderr, again.stderr
    assert "stretch" not in again.stderr, "a cached scene costs no worker and is not split"
    one = roll(*args, "--jobs", "1", "--force", "--out", "one", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    # -q l is 854 px wide, not a multiple of 16: two renders of one scene, split or not, may
    # differ by a level in a few pixels (see _tiny); compared as the cache compares pictures
    one_mp4, split_mp4 = tmp_path / "one/vanishing-gradient.mp4", tmp_path / "split/vanishing-gradient.mp4"
    assert same_picture(one_mp4, split_mp4, 4)
    for side in ("beats.json", "srt", "vtt", "png"):
        assert (tmp_path / "one" / f"vanishing-gradient.{side}").read_bytes() == (
            tmp_path / "split" / f"vanishing-gradient.{side}"
        ).read_bytes(), side
    assert not list((tmp_path / "media").rglob("stretches")), "no stretch folder left"


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_split_leaves_no_worker_and_no_partial_file(tmp_path, sig, code):
    out = tmp_path / "out"
    out.mkdir()
    (out / "adam.mp4").write_bytes(b"an earlier lecture's movie")
    before = _digest(out)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scenes",
            "render",
            "adam",
            "-q",
            "l",
            "--jobs",
            "2",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        env=roll_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # until both stretches draw: a partial movie exists
        time.sleep(0.1)
        workers |= _children(proc.pid)
        if len(list((tmp_path / "media").rglob("stretches/*/partial_movie_files/*/*.mp4"))) >= 1:
            break
    assert proc.poll() is None and len(workers) >= 2, "still rendering, in two processes"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=90)
    assert proc.returncode == code, err
    assert "Traceback" not in err, err
    assert _digest(out) == before, "the earlier movie is untouched, no partial file"
    assert not list((tmp_path / "media").rglob("stretches")), "no stretch left behind"
    assert not list((tmp_path / "media").rglob("*.joining*")), "no half-joined movie"
    _gone(workers)


def test_bench_split_reports_both_times_and_the_ratio(tmp_path):
    done = roll("bench", "--split", "vanishing-gradient", "--json", "--media-dir", "media", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    r = json.loads(done.stdout)
    assert r["scene"] == "vanishing-gradient" and r["quality"] == "l" and r["jobs"] == 2
    assert r["frames"] > 100 and r["same_frames"] is True
    assert r["one_process_seconds"] > 0 and r["split_seconds"] > 0
    assert abs(r["ratio"] - r["split_seconds"] / r["one_process_seconds"]) < 0.01
    assert len(r["load_before"]) == 3
    text = roll("bench", "--split", "vanishing-gradient", "gd-2d", cwd=tmp_path)
    assert text.returncode == 2 and "bench --split times one scene" in text.stderr


def test_the_progress_line_counts_a_split_scenes_pieces():
    from io import StringIO

    from scenes.cli.progress import Progress

    t = [0.0]
    p = Progress({"adam": 2.0, "ripples": 1.0}, stream=StringIO(), enabled=True, now=lambda: t[0])
    p.begin()
    p.split("adam", 2)
    t[0] = 10.0
    p.piece("adam")
    assert p.line() == ("roll: 0 of 2 scenes done (adam: 1 of 2 pieces), 0:10 elapsed, about 0:20 left"), (
        "half of adam's cost (1 of 3) in 10 s: 2 units left, 20 s"
    )
    p.settle("adam")
    assert p.line() == "roll: 1 of 2 scenes done, 0:10 elapsed, about 0:05 left"
