"""`roll bench --split NAME`: one scene rendered by one process and split over --jobs
processes, timed side by side in the same run (the same machine, the same minute), with the
ratio, and whether the two movies decode to the same frames.

Both renders go through `roll render`'s own runner (uncached, into a temporary media folder
whose TeX and text caches are --media-dir's, as a real re-render finds them). The one-process
render goes first and records the scene's timeline, as any render does; the split render cuts
its stretches from it, as a lecturer's re-render at another quality would.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from landscapes.errors import SettingsError
from scenes.cli.bench import BENCH_QUALITIES
from scenes.cli.job import Job
from scenes.cli.plan import plan
from scenes.cli.stretches import can_split


def same_frames(a: Path, b: Path) -> tuple[bool, int]:
    """Whether two movies decode to the same frames (every pixel), and how many there are;
    decoded side by side, so a 4K movie is never held in memory whole."""
    import av
    import numpy as np

    with av.open(str(a)) as ca, av.open(str(b)) as cb:
        count, same = 0, True
        fa, fb = ca.decode(video=0), cb.decode(video=0)
        while True:
            x, y = next(fa, None), next(fb, None)
            if x is None or y is None:
                return same and x is None and y is None, count
            count += 1
            same = same and np.array_equal(x.to_ndarray(format="rgb24"), y.to_ndarray(format="rgb24"))


def _load() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the workers, once joined)."""
    import resource

    return sum(
        r.ru_utime + r.ru_stime
        for r in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def _timed(job: Job, workers: int, keep: Path) -> tuple[float, float, float]:
    """Wall and CPU seconds of `roll render` of one job with `workers` processes; the movie
    is kept. CPU over wall is the cores the render kept busy (manim encodes in threads beside
    the drawing, so one process already uses more than one)."""
    from scenes.cli import runner

    def deliver(_job: Job, produced: Sequence[str]) -> list[str]:
        shutil.copyfile(produced[0], keep)
        return []

    start, cpu, drawing = time.perf_counter(), _cpu(), time.thread_time()
    code, _ = runner.run_jobs([job], workers, deliver=deliver)
    seconds = time.perf_counter() - start
    if code:
        raise RuntimeError(f"{job.name}: the render with {workers} processes failed (exit {code})")
    return seconds, _cpu() - cpu, time.thread_time() - drawing


def split_bench(job: Job, workers: int) -> dict[str, Any]:
    from scenes.cli.bench import _timed_render
    from scenes.floors import floor_class
    from scenes.outputs import QUALITIES

    before = _load()
    with tempfile.TemporaryDirectory(prefix="roll-bench-split-") as tmp:
        media = Path(tmp) / "media"
        for cache in ("tex-cache", "text-cache"):  # as a real re-render finds them
            shared = Path(job.media_dir) / cache
            shared.mkdir(parents=True, exist_ok=True)
            media.mkdir(parents=True, exist_ok=True)
            (media / cache).symlink_to(shared.resolve(), target_is_directory=True)
        job = replace(job, media_dir=str(media), force=True)
        base = {"quality": QUALITIES["l"].manim, "media_dir": str(media), "disable_caching": True}
        _timed_render(floor_class(False, 1.0), {**base, "verbosity": "ERROR", "progress_bar": "none"})
        whole, split = Path(tmp) / "whole.mp4", Path(tmp) / "split.mp4"
        limit = os.environ.get("ROLL_CACHE_LIMIT")
        os.environ["ROLL_CACHE_LIMIT"] = "0"  # both render: nothing is stored or found
        try:
            one, one_cpu, one_main = _timed(job, 1, whole)
            many, many_cpu, _ = _timed(job, workers, split)
        finally:
            if limit is None:
                os.environ.pop("ROLL_CACHE_LIMIT", None)
            else:
                os.environ["ROLL_CACHE_LIMIT"] = limit
        same, frames = same_frames(whole, split)
        if os.environ.get("ROLL_BENCH_KEEP"):
            shutil.copyfile(whole, Path(os.environ["ROLL_BENCH_KEEP"]) / "whole.mp4")
            shutil.copyfile(split, Path(os.environ["ROLL_BENCH_KEEP"]) / "split.mp4")
    return {
        "scene": job.name,
        "quality": job.quality,
        "frames": frames,
        "jobs": workers,
        "one_process_seconds": round(one, 2),
        "split_seconds": round(many, 2),
        "ratio": round(many / one, 3),
        "one_process_cpu_seconds": round(one_cpu, 2),
        "split_cpu_seconds": round(many_cpu, 2),
        # the one-process render's drawing thread (its encoder threads run beside it): on an
        # idle machine its wall time is at least this
        "one_process_drawing_cpu_seconds": round(one_main, 2),
        "same_frames": same,
        "load_before": before,
        "load_after": _load(),
        "cpus": os.cpu_count(),
    }


def split_line(r: dict[str, Any]) -> str:
    return (
        f"{r['scene']} -q {r['quality']} ({r['frames']} frames): 1 process {r['one_process_seconds']:.1f} s, "
        f"{r['jobs']} processes {r['split_seconds']:.1f} s, ratio {r['ratio']:.2f}; CPU "
        f"{r['one_process_cpu_seconds']:.0f} s and {r['split_cpu_seconds']:.0f} s; "
        f"frames {'identical' if r['same_frames'] else 'DIFFERENT'}; "
        f"load {' '.join(map(str, r['load_before']))} before, {' '.join(map(str, r['load_after']))} after"
    )


def split_command(args: argparse.Namespace) -> int:
    names = list(getattr(args, "names", None) or [])
    if len(names) != 1 or getattr(args, "all", False):
        raise SettingsError("bench --split times one scene: name it (roll bench --split adam)")
    if args.jobs < 2:
        raise SettingsError(f"--jobs {args.jobs}: a split needs 2 or more processes")
    (job,) = plan(args, ("mp4",), qualities=BENCH_QUALITIES, who="bench")
    if not can_split(job):
        raise SettingsError(
            f"bench --split: {job.name} renders whole (a surface is not split); name a curve or a plane"
        )
    result = split_bench(job, args.jobs)
    print(json.dumps(result) if args.json else split_line(result))
    return 0 if result["same_frames"] else 1
