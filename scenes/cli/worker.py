"""What renders one job, in this process or a worker: the scene under manim's config for each
format, into manim's media tree, one render of a scene at a time per media tree (a lock), with
a TeX and a text cache per scene."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scenes.catalog import scene_class
from scenes.cli import textcache
from scenes.cli.gif import write_gif
from scenes.cli.job import Job
from scenes.cli.stretches import (
    END,
    NOT_YET,
    Stretch,
    keep_plan,
    recorded_plan,
    splittable,
    use_stretch_renderer,
    windows,
)


def tex_cache(media_dir: str, name: str) -> Path:
    """One TeX cache per scene, so parallel workers never write the same file at once
    (manim's TeX cache is not safe across processes) while re-renders still hit it. Kept
    out of manim's own media/Tex: manim deletes every non-SVG entry there, folders too."""
    return Path(media_dir) / "tex-cache" / name


def text_cache(media_dir: str, name: str) -> Path:
    """One cache of manim's Text SVGs per scene, for the reason tex_cache gives: two processes
    writing one SVG at once left the other reading half a file (ParseError: unclosed token)."""
    return Path(media_dir) / "text-cache" / name


@contextlib.contextmanager
def scene_lock(job: Job) -> Iterator[None]:
    """One render of a scene at a time in a media tree: two commands rendering the same scene
    into it share manim's files for it (its TeX and text caches, its partial movie segments),
    so the second waits for the first (a lock the kernel drops if the holder dies)."""
    folder = Path(job.media_dir) / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / f"{job.name}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"roll: {job.name}: waiting for another render of it in {job.media_dir} to finish",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


class _QuietWebm(logging.Filter):
    """manim warns on every webm render that the format "can be slower": not news to a user
    who asked for it, and its log line lands on stdout, where `render` prints its results."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Output format set as webm")


def manim_config(job: Job, fmt: str, video_dir: str | None = None, caches: str = "") -> dict[str, Any]:
    """The manim config of one job's render in one format: what decides the result
    (Job.output_config), where its files go, and what shows on the terminal. `video_dir`
    moves the movie elsewhere (a stretch's folder); `caches` names a private TeX and text
    cache (a stretch's, since stretches of one scene run at once)."""
    name = job.name + caches
    gif = "/gif" if fmt == "gif" else ""
    return {
        **job.output_config(fmt),
        "media_dir": job.media_dir,
        # manim names its files by scene and quality alone: a folder per settings and look
        # keeps two commands rendering the same scene differently from sharing one file
        # and a GIF's lossless source movie its own folder: beside the MP4 it overwrote it (the
        # MP4 of `--format mp4,gif` came out 4:4:4 and lossless, three times the size)
        "video_dir": video_dir or f"{{media_dir}}/videos/{{module_name}}/{{quality}}/{job.variant}{gif}",
        "images_dir": f"{{media_dir}}/images/{{module_name}}/{job.variant}",
        "verbosity": "WARNING",
        "progress_bar": "display" if job.progress else "none",
        "tex_dir": str(tex_cache(job.media_dir, name)),
        "text_dir": str(text_cache(job.media_dir, name)),
    }


def quiet_manim() -> None:
    quiet = logging.getLogger("manim")
    if not any(isinstance(f, _QuietWebm) for f in quiet.filters):
        quiet.addFilter(_QuietWebm())


def build_scene(job: Job) -> Any:
    """The job's scene, built under the config in force."""
    cls = scene_class(job.name, job.settings)
    return cls(
        settings=job.settings, options=job.options, theme=job.theme, lang=job.lang, captions=job.captions
    )


def sweep_caches(job: Job, caches: str = "") -> None:
    for cache in (tex_cache(job.media_dir, job.name + caches), text_cache(job.media_dir, job.name + caches)):
        textcache.sweep(cache)  # a damaged SVG (empty, cut short) is rendered again, not read


def render_job(job: Job) -> list[str]:
    """Render one scene in each requested format into manim's media tree; returns the files.
    A movie that could be drawn in stretches is cut on their segment grid here too (the same
    frames either way) and its timeline kept for the next split render."""
    from manim import tempconfig

    quiet_manim()
    sweep_caches(job)
    produced = []
    for fmt in job.formats:
        with tempconfig(manim_config(job, fmt)):
            scene = build_scene(job)
            if splittable(fmt) and not job.sections:
                use_stretch_renderer(scene)
            scene.render()
            if splittable(fmt) and not job.sections:
                keep_plan(job, recorded_plan(scene))
            writer = scene.renderer.file_writer
            if fmt == "png":
                produced.append(str(writer.image_file_path))
            elif fmt == "gif":  # beside its movie, so its subtitles and beats are beside it too
                movie = Path(writer.movie_file_path)
                produced.append(str(write_gif(movie, movie.with_suffix(".gif"))))
            else:
                produced.append(str(writer.movie_file_path))
    return produced


def render_stretch(stretch: Stretch) -> tuple[str | None, bool]:
    """Draw one stretch of a job's movie in its own folder: the scene's timeline (recorded by
    an earlier render, else a dry run that draws nothing) is cut the same way in every
    process, then the scene runs drawing only this stretch's window. Returns the stretch's
    movie (None when it has no frames) and whether it is the last one (its subtitles and
    beats, beside its movie, are the whole scene's)."""
    from manim import config, tempconfig

    quiet_manim()
    caches = f"@{stretch.fmt}-{stretch.index + 1}"  # stretches of one scene run at once: a cache each
    sweep_caches(stretch.job, caches)
    job = stretch.job
    base = manim_config(job, stretch.fmt)
    cfg = manim_config(job, stretch.fmt, f"{base['video_dir']}/stretches/{stretch.tag}", caches)
    with tempconfig(cfg):
        fps = config.frame_rate
    plan = stretch.plan
    if plan is None:
        with tempconfig({**cfg, "from_animation_number": NOT_YET}):
            scene = build_scene(job)
            use_stretch_renderer(scene)
            scene.render()
            plan = recorded_plan(scene)
    cuts = windows(plan, fps, stretch.count)
    if stretch.index >= len(cuts):
        return None, False
    lo, hi = cuts[stretch.index]
    last = hi == END
    upto = -1 if last else (hi[0] if hi[1] else hi[0] - 1)
    with tempconfig({**cfg, "from_animation_number": lo[0], "upto_animation_number": upto}):
        scene = build_scene(job)
        use_stretch_renderer(scene, (lo, hi))
        scene.render()
        if last:
            keep_plan(job, recorded_plan(scene))
        movie = Path(scene.renderer.file_writer.movie_file_path)
    return (str(movie) if movie.is_file() else None), last
