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

from scenes.catalog import scene_class
from scenes.cli import textcache
from scenes.cli.gif import write_gif
from scenes.cli.job import Job


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


def render_job(job: Job) -> list[str]:
    """Render one scene in each requested format into manim's media tree; returns the files."""
    from manim import tempconfig

    quiet = logging.getLogger("manim")
    if not any(isinstance(f, _QuietWebm) for f in quiet.filters):
        quiet.addFilter(_QuietWebm())

    settings = job.settings
    cls = scene_class(job.name, settings)
    for cache in (tex_cache(job.media_dir, job.name), text_cache(job.media_dir, job.name)):
        textcache.sweep(cache)  # a damaged SVG (empty, cut short) is rendered again, not read
    produced = []
    for fmt in job.formats:
        cfg = {
            **job.output_config(fmt),
            "media_dir": job.media_dir,
            # manim names its files by scene and quality alone: a folder per settings and look
            # keeps two commands rendering the same scene differently from sharing one file
            "video_dir": f"{{media_dir}}/videos/{{module_name}}/{{quality}}/{job.variant}",
            "images_dir": f"{{media_dir}}/images/{{module_name}}/{job.variant}",
            "verbosity": "WARNING",
            "progress_bar": "display" if job.progress else "none",
            "tex_dir": str(tex_cache(job.media_dir, job.name)),
            "text_dir": str(text_cache(job.media_dir, job.name)),
        }
        with tempconfig(cfg):
            scene = cls(
                settings=settings,
                options=job.options,
                theme=job.theme,
                lang=job.lang,
                captions=job.captions,
            )
            scene.render()
            writer = scene.renderer.file_writer
            if fmt == "png":
                produced.append(str(writer.image_file_path))
            elif fmt == "gif":  # beside its movie, so its subtitles and beats are beside it too
                movie = Path(writer.movie_file_path)
                produced.append(str(write_gif(movie, movie.with_suffix(".gif"))))
            else:
                produced.append(str(writer.movie_file_path))
    return produced

