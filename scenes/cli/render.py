"""`roll render`: validate everything first, render each scene with manim, then copy each
result into --out under a stable name (`ripples.gif`), atomically.

Rendering runs in-process for one job, in worker processes for `--jobs N`. Workers get
plain settings dicts (a custom landscape holds closures, which do not pickle) and only
render into manim's media tree; this process alone writes --out, through a temporary
file and a rename, so an interrupted or failed render never leaves a partial result
and never touches the previous one. SIGINT/SIGTERM stop every worker and exit 130/143.

Before any job is dispatched, this process looks each one up in the result cache
(`scenes.cli.cache`): a scene whose inputs are unchanged is copied back from it, says `up to
date`, and costs no worker; after a successful render, this process stores the result.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import fcntl
import io
import logging
import os
import queue
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from landscapes.errors import SettingsError
from landscapes.settings import Settings
from scenes.catalog import CHAPTER, cost, get_story, scene_class
from scenes.cli import stops, textcache
from scenes.cli.cache import Cache, Damaged, Sources, job_key
from scenes.cli.options import check_look, options_from_args, settings_from_args
from scenes.cli.progress import Progress, is_terminal
from scenes.cli.publish_set import publish_set
from scenes.cli.shards import describe, parse_shard, pick
from scenes.cli.storyfiles import open_story
from scenes.cli.subtitles import beats_path, srt_to_vtt

QUALITY_NAMES = {
    "l": "low_quality",
    "m": "medium_quality",
    "h": "high_quality",
    "p": "production_quality",
    "k": "fourk_quality",
}
FORMATS = ("mp4", "gif", "png", "webm")


@dataclass(frozen=True)
class Job:
    """One scene in one or more formats: everything a worker process needs."""

    name: str
    settings: dict[str, Any]
    options: dict[str, Any]
    quality: str
    formats: tuple[str, ...]
    out_dir: str
    media_dir: str
    progress: bool
    save_trajectory: bool = False
    sections: bool = False  # also write each beat (manim section) as its own clip, for decks
    theme: str = "dark"
    lang: str = "en"
    force: bool = False  # render even when the cache holds an up-to-date result (not part of the key)
    # the caption line drawn in the video; a deck's clips go without it, since the deck shows
    # each caption once, as slide text (the beats, their times and the subtitles are the same)
    captions: bool = True

    @property
    def variant(self) -> str:
        """A short name for what this job draws (settings, options, theme, language, sections,
        captions)."""
        import hashlib
        import json

        what = [self.settings, self.options, self.theme, self.lang, self.sections, self.captions]
        return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:12]

    def output_config(self, fmt: str) -> dict[str, Any]:
        """The manim config that decides what this job's result in one format holds (part of
        the cache key); render_job adds where files go and what shows on the terminal."""
        cfg: dict[str, Any] = {
            "quality": QUALITY_NAMES[self.quality],
            # a GIF is made here from the movie (write_gif): manim's own GIF maps its palette onto
            # the fixed 3-3-2 colours of rgb8, which turns the light theme's greys yellow
            "format": "mp4" if fmt in ("png", "gif") else fmt,
            "save_last_frame": fmt == "png",
            "write_to_movie": fmt != "png",
            "preview": False,
            "save_sections": self.sections and fmt in ("mp4", "webm"),
            # manim's own per-animation cache skips frames it has, and its clock then runs on
            # run times instead of frames: the subtitle cues (timed by that clock) moved by a
            # frame between two renders of the same scene. The result cache above it makes it
            # redundant, so every render runs on frames and the cues are the same each time.
            "disable_caching": True,
        }
        if fmt == "gif":
            # the GIF is made from an h264 movie; at the default crf its encoder noise changes
            # static pixels every frame and bloats the GIF (saddle-surface: 4.4 MB vs 2.3 MB
            # lossless, measured at -q l)
            cfg["video_encoder_options"] = {"crf": "0"}
        return cfg


def parse_formats(text: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise SettingsError(f"--format {text!r}: choose from {', '.join(FORMATS)} (several: gif,mp4)")
    return tuple(dict.fromkeys(formats))


def check_out_dir(out: str) -> Path:
    """--out: a folder that exists or can be made and written (scenes.cli.checks)."""
    from scenes.cli.checks import check_folder

    return check_folder("--out", out)


def scene_names(args: argparse.Namespace) -> list[str]:
    """The scenes NAME... or --all names (the chapter's), each known; -q and --jobs checked too:
    what every rendering command asks first."""
    if args.all and args.names:
        raise SettingsError("give scene names or --all, not both")
    if not args.all and not args.names:
        raise SettingsError(f"name a scene ({', '.join(CHAPTER)}) or use --all")
    names = list(CHAPTER) if args.all else list(dict.fromkeys(args.names))
    names = list(dict.fromkeys(open_story(n, args) for n in names))  # FILE.toml: its story's name
    for name in names:
        get_story(name)
    if args.quality not in QUALITY_NAMES:
        raise SettingsError(
            f"-q {args.quality!r}: choose one of {', '.join(QUALITY_NAMES)} (l = 480p15 … k = 2160p60)"
        )
    if args.jobs is None or args.jobs < 1:
        raise SettingsError(f"--jobs {args.jobs}: give a whole number >= 1")
    return names


def plan_jobs(args: argparse.Namespace) -> list[Job]:
    """Turn the command line into jobs, refusing any mistake before anything is written."""
    names = scene_names(args)
    formats = parse_formats(args.format)
    if args.jobs is None or args.jobs < 1:
        raise SettingsError(f"--jobs {args.jobs}: give a whole number >= 1")
    shard = shard_of(args)
    out = check_out_dir(args.out)
    theme, lang = check_look(args)
    progress = args.jobs == 1 and sys.stderr.isatty()
    jobs = [
        Job(
            name,
            settings_from_args(name, args).to_dict(),
            options_from_args(name, args),
            args.quality,
            formats,
            str(out),
            args.media_dir,
            progress,
            args.save_trajectory,
            theme=theme,
            lang=lang,
            force=getattr(args, "force", False),
        )
        for name in names
    ]
    return take_shard(jobs, shard)


def shard_of(args: argparse.Namespace) -> tuple[int, int] | None:
    """--shard K/N, checked (one line, exit 2, when it is not K/N with 1 <= K <= N)."""
    text = getattr(args, "shard", None)
    return None if text is None else parse_shard(text)


def job_cost(job: Job) -> float:
    return cost(job.name, Settings.from_dict(job.settings))


def take_shard(jobs: Sequence[Job], shard: tuple[int, int] | None) -> list[Job]:
    """The jobs of shard K/N (balanced by cost, the same on every machine), or all of them."""
    if shard is None:
        return list(jobs)
    names = pick([j.name for j in jobs], {j.name: job_cost(j) for j in jobs}, shard)
    print(describe(shard, names, len(jobs)), file=sys.stderr)
    return [j for j in jobs if j.name in names]


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

    settings = Settings.from_dict(job.settings)
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


def write_gif(movie: Path, dest: Path) -> Path:
    """The movie as a GIF for slides: one palette of 256 colours for the whole clip (ffmpeg's
    palettegen over every frame, then paletteuse without dithering), so static parts keep
    their pixels from frame to frame and every colour stays near its own. Two passes over
    the movie: no frame is held in memory for the palette. Written aside, then renamed."""
    import av

    with av.open(str(movie)) as source:
        stream = source.streams.video[0]
        graph = av.filter.Graph()
        frames = graph.add_buffer(template=stream)
        palettegen = graph.add("palettegen", "stats_mode=full")
        sink = graph.add("buffersink")
        frames.link_to(palettegen)
        palettegen.link_to(sink)
        graph.configure()
        for frame in source.decode(stream):
            graph.push(frame)
        graph.push(None)
        palette = graph.pull()

    tmp = dest.with_name(f".{dest.name}.part")
    try:
        with av.open(str(movie)) as source, av.open(str(tmp), "w", format="gif") as out:
            stream = source.streams.video[0]
            gif = out.add_stream("gif", rate=stream.average_rate)
            gif.width, gif.height = stream.codec_context.width, stream.codec_context.height
            gif.pix_fmt = "pal8"
            graph = av.filter.Graph()
            frames = graph.add_buffer(template=stream)
            colours = graph.add_buffer(
                width=palette.width,
                height=palette.height,
                format=palette.format.name,
                time_base=stream.time_base,
            )
            paletteuse = graph.add("paletteuse", "dither=none")
            sink = graph.add("buffersink")
            frames.link_to(paletteuse, 0, 0)
            colours.link_to(paletteuse, 0, 1)
            paletteuse.link_to(sink)
            graph.configure()
            colours.push(palette)
            colours.push(None)
            written = 0

            def drain() -> None:
                nonlocal written
                while True:
                    try:
                        frame = graph.pull()
                    except (av.error.BlockingIOError, av.error.EOFError):
                        return
                    frame.pts = written
                    if gif.codec_context.time_base is not None:
                        frame.time_base = gif.codec_context.time_base
                    written += 1
                    out.mux(gif.encode(frame))

            for frame in source.decode(stream):
                frames.push(frame)
                drain()
            frames.push(None)
            drain()
            out.mux(gif.encode())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def publish(job: Job, produced: Sequence[str]) -> list[str]:
    """Copy a job's files into --out under their stable names; returns the new paths. A video
    comes with its subtitles (NAME.srt, NAME.vtt) and its beats (NAME.beats.json)."""
    out_dir = Path(job.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pairs = zip(produced, job.formats, strict=True)
    written = {f"{job.name}.{fmt}": Path(src).read_bytes() for src, fmt in pairs}  # published together
    # a video's subtitles: manim's NAME.srt beside it in the media tree, and WebVTT from it
    videos = [
        Path(src) for src, fmt in zip(produced, job.formats, strict=True) if fmt in ("mp4", "webm", "gif")
    ]
    cues = next((v.with_suffix(".srt") for v in videos if v.with_suffix(".srt").exists()), None)
    if cues is not None:
        text = cues.read_text(encoding="utf-8")
        written[f"{job.name}.srt"], written[f"{job.name}.vtt"] = text.encode(), srt_to_vtt(text).encode()
    if videos:
        # the scene writes its beats beside each movie; every video of one job tells one story
        beats = beats_path(videos[0])
        if not beats.is_file():
            raise RuntimeError(f"{job.name}: the scene wrote no {beats.name} beside its video")
        written[f"{job.name}.beats.json"] = beats.read_bytes()
    if job.save_trajectory:
        written[f"{job.name}.json"] = trajectory_json(job).encode()
    sidecars = [f"{job.name}.{s}" for s in ("srt", "vtt", "beats.json")] if videos else []
    stale = [n for n in sidecars if n not in written]  # an earlier video's, this one has none
    return publish_set(out_dir, written, stale)  # the video and its subtitles together, or none


def trajectory_json(job: Job) -> str:
    """What `roll trajectory NAME` prints for the job's settings; a scene with several balls
    adds `balls`: every ball's trajectory, in the scene's order."""
    import json

    settings = Settings.from_dict(job.settings)
    trajectories = get_story(job.name).trajectories(settings, job.options)
    main = next((t for t in trajectories if t.settings == settings), trajectories[0])
    doc = main.to_dict()
    if len(trajectories) > 1:
        doc["balls"] = [t.to_dict() for t in trajectories]
    return json.dumps(doc, allow_nan=False) + "\n"


def write_atomic(dest: Path, data: bytes) -> Path:
    """Write dest through a temporary file in its folder, then rename: whole or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a published file is as readable as any other
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: unwind, clean up, exit 128 + signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Signals:
    """SIGINT and SIGTERM while jobs run: the first one stops the run (Interrupted); any later
    one (Ctrl-C pressed three times) is ignored, so the clean-up it would break (stopping the
    workers, removing temporary files) runs to its end and `roll` prints one line. Once a real
    signal came, the handlers stay that way until the process exits, which it is about to."""

    def __init__(self) -> None:
        self.came: int | None = None
        self.previous = {sig: signal.signal(sig, self.handle) for sig in (signal.SIGINT, signal.SIGTERM)}

    def handle(self, signum: int, _frame: object) -> None:
        # SIG_IGN, not a Python function that returns: Python resets its own handlers to the
        # default at exit, and a third Ctrl-C would then kill the process (exit -2, not 130)
        for sig in self.previous:
            signal.signal(sig, signal.SIG_IGN)
        if self.came is not None:
            return
        self.came = signum
        raise Interrupted(signum)

    def restore(self) -> None:
        if self.came is None:  # a real signal: leave later ones ignored while the process exits
            for sig, handler in self.previous.items():
                signal.signal(sig, handler)


def require_manim() -> None:
    """Refuse early, in one line, when manim or its system libraries are missing."""
    try:
        import manim  # noqa: F401
    except (ImportError, OSError) as exc:
        raise SettingsError(
            f"manim cannot be loaded ({exc}); run `make render` in the project folder to set it up"
        ) from None


def render_command(args: argparse.Namespace) -> int:
    jobs = plan_jobs(args)
    if not jobs:  # an empty shard: more parts than scenes
        return 0
    return run_jobs(jobs, args.jobs, args.verbose)[0]


Deliver = Callable[[Job, Sequence[str]], list[str]]


class _Run:
    """One run's state, shared by the serial and the parallel renderer: what to do with a
    result, the cache and each job's key, what finished and what failed, the progress line."""

    def __init__(self, jobs: Sequence[Job], workers: int, verbose: bool, deliver: Deliver) -> None:
        self.deliver = deliver
        self.verbose = verbose
        self.finished: list[str] = []
        self.failures: list[str] = []
        self.unprinted = 0  # paths not printed: stdout was closed (`roll render … | head -1`)
        self.cache = Cache.for_media(jobs[0].media_dir) if jobs else None
        self.keys: dict[str, str] = {}
        self.progress = Progress(
            {j.name: job_cost(j) for j in jobs}, enabled=workers > 1 and is_terminal(sys.stderr)
        )

    def look_up(self, jobs: Sequence[Job]) -> tuple[list[tuple[Job, list[str]]], list[Job]]:
        """Split the jobs into those up to date in the cache (with their files, copied back
        into the media tree) and those to render. Only I/O: no torch runs before the fork."""
        if self.cache is None:
            return [], list(jobs)
        sources = Sources()
        hits, todo = [], []
        for job in jobs:
            try:
                self.keys[job.name] = key = job_key(job, sources)
                produced = None if job.force else self.cache.fetch(job, key)
            except Damaged as exc:
                print(f"roll: {job.name}: cache entry damaged ({exc}); rendering again", file=sys.stderr)
                produced = None
            except Exception as exc:  # noqa: BLE001 - the cache is an optimisation: render instead
                if self.verbose:
                    raise
                print(f"roll: {job.name}: cache not used ({type(exc).__name__}: {exc})", file=sys.stderr)
                produced = None
            if produced is None:
                todo.append(job)
            else:
                hits.append((job, produced))
        return hits, todo

    def reuse(self, hits: Sequence[tuple[Job, list[str]]]) -> None:
        for job, produced in hits:
            try:
                paths = self.deliver(job, produced)
            except Exception as exc:  # noqa: BLE001 - report it and go on with the other scenes
                if self.verbose:
                    raise
                self.fail(job.name, f"{type(exc).__name__}: {exc}")
                continue
            self.finished.append(job.name)
            self.progress.settle(job.name, rendered=False)
            with self.progress.above():
                self.emit(paths)
                print(f"roll: {job.name}: up to date", file=sys.stderr)

    def keep(self, job: Job, produced: Sequence[str]) -> Sequence[str]:
        """A successful render enters the cache (only now, and whole, or not at all)."""
        key = self.keys.get(job.name)
        if self.cache is not None and key is not None:
            try:
                self.cache.store(job, key, produced)
            except Exception as exc:  # noqa: BLE001 - the result itself is fine: deliver it
                if self.verbose:
                    raise
                self.say(f"roll: {job.name}: result not cached ({type(exc).__name__}: {exc})")
        return produced

    def done(self, job: Job, paths: Sequence[str], seconds: float) -> None:
        self.finished.append(job.name)
        self.progress.settle(job.name)
        with self.progress.above():
            self.emit(paths)
            print(f"roll: {job.name} done in {seconds:.1f} s", file=sys.stderr)

    def emit(self, paths: Sequence[str]) -> None:
        """Print each path on stdout. A closed stdout (the reader quit) does not stop the run:
        the results still land in --out, and the end of the run says what was not printed."""
        for p in paths:
            if self.unprinted:
                self.unprinted += 1
                continue
            try:
                print(p, flush=True)
            except BrokenPipeError:
                self.unprinted += 1
                silence_stdout()

    def fail(self, name: str, what: str) -> None:
        self.failures.append(_failure(name, what))
        self.progress.settle(name)
        self.progress.draw()

    def say(self, text: str) -> None:
        with self.progress.above():
            print(text, file=sys.stderr)


def run_jobs(
    jobs: Sequence[Job], workers: int, verbose: bool = False, deliver: Deliver | None = None
) -> tuple[int, list[str]]:
    """Render every job that is not up to date in the cache and hand each job's files to
    `deliver` (default: publish them into --out) in this process; returns the exit code and
    the scenes finished."""
    run = _Run(jobs, workers, verbose, deliver or publish)
    signals = _Signals()
    try:
        hits, todo = run.look_up(jobs)
        if todo:
            require_manim()  # only now: a run with every scene up to date never loads manim
        run.progress.begin()
        if workers == 1 or len(todo) <= 1:
            run.reuse(hits)
            _render_serial(todo, run, signals)
        else:
            _render_parallel(todo, workers, run, hits)
    except Interrupted as stop:
        run.progress.close()
        done = ", ".join(run.finished) or "nothing"
        print(f"roll: interrupted by {stop}; finished: {done}", file=sys.stderr)
        return 128 + stop.signum, run.finished
    finally:
        run.progress.close()
        signals.restore()
        if run.unprinted:
            print(
                f"roll: stdout was closed, so {run.unprinted} paths were not printed; "
                "every result was still written",
                file=sys.stderr,
            )
    if run.failures:
        for line in run.failures:
            print(line, file=sys.stderr)
        print("roll: some scenes failed (run with --verbose --jobs 1 for the traceback)", file=sys.stderr)
        return 1, run.finished
    return 0, run.finished


def _render_serial(jobs: Sequence[Job], run: _Run, signals: _Signals | None = None) -> None:
    for job in jobs:
        run.say(f"roll: rendering {job.name} ({', '.join(job.formats)}, -q {job.quality})")
        t = time.perf_counter()
        try:
            with scene_lock(job):
                produced = render_job(job)
            paths = run.deliver(job, run.keep(job, produced))
        except Exception as exc:  # noqa: BLE001 - report it and go on with the other scenes
            if signals is not None and signals.came is not None:
                # the signal's Interrupted, turned into another error on its way out (a C
                # extension's import that it cut short raises ImportError): still an interrupt
                raise Interrupted(signals.came) from exc
            if run.verbose:
                raise
            run.fail(job.name, f"{type(exc).__name__}: {exc}")
            continue
        run.done(job, paths, time.perf_counter() - t)


def _worker(tasks: Any, results: Any, parent: int) -> None:
    """A worker process: render jobs until told to stop. Ctrl-C in a terminal reaches the
    whole process group; only the parent reacts, and it stops the workers with SIGTERM,
    which unwinds here so that manim discards its half-written segment files. A parent that
    dies without stopping them (kill -9) sends SIGTERM too: no worker outlives `roll`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    stops.rearm_in_finalizers(signal.SIGTERM, _worker_stop)  # no "Exception ignored" traceback
    _die_with(parent)
    import torch

    torch.set_num_threads(1)  # the workers already fill the cores
    while (job := tasks.get()) is not None:
        try:
            with scene_lock(job):
                produced = render_job(job)
            results.put((job.name, True, produced))
        except Exception as exc:  # noqa: BLE001 - the parent reports it with the scene's name
            results.put((job.name, False, f"{type(exc).__name__}: {exc}"))


def _worker_stop(signum: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second one must not cut the unwinding
    sys.exit(128 + signum)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """SIGTERM this process when `parent` dies: the kernel's parent-death signal on Linux,
    else a thread that watches the parent's pid."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        ok = sys.platform.startswith("linux") and libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        ok = False
    if os.getppid() != parent:  # it died before the signal was asked for
        os.kill(os.getpid(), signal.SIGTERM)
    if ok:
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def _render_parallel(
    jobs: Sequence[Job], workers: int, run: _Run, hits: Sequence[tuple[Job, list[str]]] = ()
) -> None:
    # fork, not spawn: require_manim() has already imported manim and torch here, so a
    # forked worker starts at once instead of paying ~2.5 s of imports (measured: --all -q l
    # with 2 jobs took 22.3 s spawned, 19.0 s forked). Nothing before this point has run a
    # torch op large enough to start its thread pool, which is what makes fork unsafe; the
    # up-to-date scenes are delivered only once the workers run (a gallery's JSON runs torch).
    ctx = get_context("fork")
    sys.stdout.flush()
    sys.stderr.flush()
    tasks, results = ctx.Queue(), ctx.Queue()
    n = min(workers, len(jobs))
    by_name = {job.name: job for job in jobs}
    # the costliest first (3D), so the last worker to finish is not left with it
    for job in sorted(jobs, key=lambda j: -job_cost(j)):
        tasks.put(job)
    for _ in range(n):
        tasks.put(None)
    parent = os.getpid()
    procs = [ctx.Process(target=_worker, args=(tasks, results, parent), daemon=True) for _ in range(n)]
    started = time.perf_counter()
    for p in procs:
        p.start()
    run.say(f"roll: rendering {len(jobs)} scenes in {n} processes")
    try:
        run.reuse(hits)
        pending = set(by_name)
        while pending:
            try:
                name, ok, payload = results.get(timeout=0.2)
            except queue.Empty:
                run.progress.tick()
                if any(p.is_alive() for p in procs):
                    continue
                # every worker has exited: a last result may still be on its way through the
                # pipe (a worker puts it, then exits), so wait for it before calling it lost
                try:
                    name, ok, payload = results.get(timeout=2.0)
                except queue.Empty:
                    codes = sorted({p.exitcode for p in procs})
                    for lost in sorted(pending):
                        run.fail(lost, f"its worker process ended (exit codes {codes})")
                    return
            pending.discard(name)
            job = by_name[name]
            if not ok:
                run.fail(name, payload)
                continue
            try:
                paths = run.deliver(job, run.keep(job, payload))
            except Exception as exc:  # noqa: BLE001 - report it and go on with the other scenes
                if run.verbose:
                    raise
                run.fail(name, f"{type(exc).__name__}: {exc}")
                continue
            run.done(job, paths, time.perf_counter() - started)
    finally:
        _stop(procs)


def _stop(procs: Sequence[Any], grace: float = 3.0) -> None:
    """End every worker: SIGTERM, a moment to clean up, then SIGKILL. Never leaves one behind."""
    for p in procs:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + grace
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1.0)


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit does not fail on the closed pipe."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing will flush into a pipe


def _failure(name: str, what: str) -> str:
    return f"roll: {name} failed: {what}"
