"""`roll render`: validate everything first, render each scene with manim, then copy each
result into --out under a stable name (`ripples.gif`), atomically.

Rendering runs in-process for one job, in separate processes for `--jobs N`. Workers get
plain settings dicts (a custom landscape holds closures, which do not pickle).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from landscapes.errors import SettingsError
from landscapes.settings import Settings
from landscapes.stories import STORIES, get_story

QUALITY_NAMES = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
    "p": "production_quality",
    "k": "fourk_quality",
}
FORMATS = ("mp4", "gif", "png", "webm")
HEAVY = {"saddle-surface"}  # 3D: about twice the others' render time


@dataclass(frozen=True)
class Job:
    """One scene in one or more formats: everything a worker process needs."""

    name: str
    settings: dict[str, Any]
    quality: str
    formats: tuple[str, ...]
    out_dir: str
    media_dir: str
    progress: bool


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise SettingsError(f"--format {text!r}: choose from {', '.join(FORMATS)} (several: gif,mp4)")
    return tuple(dict.fromkeys(formats))


def check_out_dir(out: str) -> Path:
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise SettingsError(f"--out {out}: this is a file; give a folder")
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not os.access(probe, os.W_OK | os.X_OK):
        raise SettingsError(f"--out {out}: {probe} is not writable; give a folder you can write to")
    return path


def plan_jobs(args: argparse.Namespace) -> list[Job]:
    """Turn the command line into jobs, refusing any mistake before anything is written."""
    from .cli import settings_from_args

    if args.all and args.names:
        raise SettingsError("give scene names or --all, not both")
    if not args.all and not args.names:
        raise SettingsError(f"name a scene ({', '.join(STORIES)}) or use --all")
    names = list(STORIES) if args.all else list(dict.fromkeys(args.names))
    for name in names:
        get_story(name)
    if args.quality not in QUALITY_NAMES:
        raise SettingsError(
            f"-q {args.quality!r}: choose one of {', '.join(QUALITY_NAMES)} (l = 480p15 … k = 2160p60)"
        )
    formats = parse_formats(args.format)
    if args.jobs is None or args.jobs < 1:
        raise SettingsError(f"--jobs {args.jobs}: give a whole number >= 1")
    out = check_out_dir(args.out)
    progress = args.jobs == 1 and sys.stderr.isatty()
    return [
        Job(
            name,
            settings_from_args(name, args).to_dict(),
            args.quality,
            formats,
            str(out),
            args.media_dir,
            progress,
        )
        for name in names
    ]


def scene_class(name: str) -> type:
    """The scene class of a story, imported from its module in scenes/."""
    from importlib import import_module

    story = get_story(name)
    return getattr(import_module(f"scenes.{story.module}"), story.scene_class)


def render_job(job: Job) -> list[str]:
    """Render one scene in each requested format; returns the written paths."""
    from manim import tempconfig

    settings = Settings.from_dict(job.settings)
    cls = scene_class(job.name)
    out_dir = Path(job.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in job.formats:
        cfg = {
            "quality": QUALITY_NAMES[job.quality],
            "media_dir": job.media_dir,
            "verbosity": "WARNING",
            "progress_bar": "display" if job.progress else "none",
            "format": "mp4" if fmt == "png" else fmt,
            "save_last_frame": fmt == "png",
            "write_to_movie": fmt != "png",
            "preview": False,
            # one TeX cache per scene: parallel workers never write the same file at once
            # (manim's TeX cache is not safe across processes), and re-renders still hit it
            "tex_dir": str(Path(job.media_dir) / "Tex" / job.name),
        }
        if fmt == "gif":
            # manim builds a GIF from its h264 segments; at the default crf their encoder noise
            # changes static pixels every frame and bloats the GIF (saddle-surface: 4.4 MB vs
            # 2.3 MB lossless, measured at -q l)
            cfg["video_encoder_options"] = {"crf": "0"}
        with tempconfig(cfg):
            scene = cls(settings=settings)
            scene.render()
            writer = scene.renderer.file_writer
            produced = Path(writer.image_file_path if fmt == "png" else writer.movie_file_path)
        written.append(str(_publish(produced, out_dir / f"{job.name}.{fmt}")))
    return written


def _publish(src: Path, dest: Path) -> Path:
    """Copy src to dest through a temporary file in dest's folder, then rename."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            while chunk := inp.read(1 << 20):
                out.write(chunk)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a published file is as readable as any other
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def render_command(args: argparse.Namespace) -> int:
    jobs = plan_jobs(args)
    failures: list[str] = []
    if args.jobs == 1 or len(jobs) == 1:
        for job in jobs:
            _report_start(job, len(jobs))
            t = time.perf_counter()
            try:
                paths = render_job(job)
            except SettingsError:
                raise
            except Exception as exc:  # noqa: BLE001 - report and go on with the other scenes
                if args.verbose:
                    raise
                failures.append(_failure(job.name, exc))
                continue
            _report_done(job, paths, time.perf_counter() - t)
    else:
        failures = _render_parallel(jobs, args.jobs)
    if failures:
        for line in failures:
            print(line, file=sys.stderr)
        print("roll: some scenes failed (run with --verbose --jobs 1 for the traceback)", file=sys.stderr)
        return 1
    return 0


def _render_parallel(jobs: Sequence[Job], workers: int) -> list[str]:
    failures: list[str] = []
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=get_context("spawn")) as pool:
        # the costliest first (3D), so the last worker to finish is not left with it
        ordered = sorted(jobs, key=lambda j: j.name not in HEAVY)
        pending: dict[Future, Job] = {pool.submit(render_job, job): job for job in ordered}
        print(f"roll: rendering {len(jobs)} scenes in {min(workers, len(jobs))} processes", file=sys.stderr)
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                job = pending.pop(fut)
                try:
                    _report_done(job, fut.result(), time.perf_counter() - started)
                except Exception as exc:  # noqa: BLE001
                    failures.append(_failure(job.name, exc))
    return failures


def _report_start(job: Job, total: int) -> None:
    print(f"roll: rendering {job.name} ({', '.join(job.formats)}, -q {job.quality})", file=sys.stderr)


def _report_done(job: Job, paths: Sequence[str], seconds: float) -> None:
    for p in paths:
        print(p, flush=True)
    print(f"roll: {job.name} done in {seconds:.1f} s", file=sys.stderr)


def _failure(name: str, exc: BaseException) -> str:
    return f"roll: {name} failed: {type(exc).__name__}: {exc}"
