"""The one planner: a rendering command's line turned into `Job`s, every mistake refused
before anything is written (render, slides, gallery and bench all plan here).

The checks every such command needs are made here once: the scenes (NAME..., FILE.toml or
--all), the quality against the table (or a command's subset of it), --jobs, --shard, --out,
the look, and each scene's settings and options. A command says only what is its own: which
formats, whether clips are cut at the beats, whether captions are drawn.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Sequence

from landscapes.errors import SettingsError
from scenes.catalog import CHAPTER, get_story
from scenes.cli import options
from scenes.cli.job import Job
from scenes.cli.shards import describe, parse_shard, pick
from scenes.cli.storyfiles import file_options, is_filed, open_story
from scenes.outputs import FORMATS, check_quality


def scene_names(args: argparse.Namespace, every: Sequence[str] | None = None) -> list[str]:
    """The scenes NAME... (a FILE.toml: its story's name), --all (the chapter's), or `every`
    when none is named and the command has a default; each known."""
    given = list(getattr(args, "names", None) or [])
    if getattr(args, "all", False):
        if given:
            raise SettingsError("give scene names or --all, not both")
        given = list(CHAPTER)
    elif not given:
        if every is None:
            raise SettingsError(f"name a scene ({', '.join(CHAPTER)}) or use --all")
        given = list(every)
    names = list(dict.fromkeys(open_story(n, args) for n in dict.fromkeys(given)))
    for name in names:
        get_story(name)
    return names


def check_jobs(args: argparse.Namespace) -> int:
    jobs = getattr(args, "jobs", 1)
    if jobs is None or jobs < 1:
        raise SettingsError(f"--jobs {jobs}: give a whole number >= 1")
    return jobs


def shard_of(args: argparse.Namespace) -> tuple[int, int] | None:
    """--shard K/N, checked (one line, exit 2, when it is not K/N with 1 <= K <= N)."""
    text = getattr(args, "shard", None)
    return None if text is None else parse_shard(text)


def check_out_dir(out: str) -> str:
    """--out: a folder that exists or can be made and written (scenes.cli.checks)."""
    from scenes.cli.checks import check_folder

    return str(check_folder("--out", out))


def job_cost(job: Job) -> float:
    from scenes.catalog import cost

    return cost(job.name, job.settings)


def take_shard(jobs: Sequence[Job], shard: tuple[int, int] | None) -> list[Job]:
    """The jobs of shard K/N (balanced by cost, the same on every machine), or all of them."""
    if shard is None:
        return list(jobs)
    names = pick([j.name for j in jobs], {j.name: job_cost(j) for j in jobs}, shard)
    print(describe(shard, names, len(jobs)), file=sys.stderr)
    return [j for j in jobs if j.name in names]


def plan(
    args: argparse.Namespace,
    formats: Iterable[str],
    *,
    every: Sequence[str] | None = None,
    qualities: Iterable[str] | None = None,
    who: str = "",
    sections: bool = False,
    captions: bool = True,
    save_trajectory: bool = False,
    bars: bool = False,
    whole: bool = False,
    before: Callable[[tuple[int, int] | None], None] | None = None,
) -> list[Job]:
    """The jobs a command line asks for (a shard's, with --shard), each checked.

    `every`: the scenes when none is named (gallery's, bench's); `qualities`: the command's
    subset of the quality table (bench's, named `who` in the refusal); `bars`: manim's
    progress bar, when one scene renders at a time on a terminal; `whole`: every job, not
    only --shard's (the gallery indexes them all); `before`: the command's own checks, run
    once the line is known good and before any settings are built (a deck's tools). A
    command without the settings flags renders each story as it is told."""
    names = scene_names(args, every)
    quality = check_quality(args.quality, qualities, who).letter
    check_jobs(args)
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"{fmt!r} is not a format of the table")  # a command's mistake
    shard = shard_of(args)
    out = check_out_dir(args.out) if hasattr(args, "out") else ""
    theme, lang = options.check_look(args)
    if before is not None:
        before(shard)
    told = not hasattr(args, "optimizer")  # no settings flags: the story's own run
    jobs = [
        Job(
            name,
            get_story(name).settings if told else options.settings_from_args(name, args),
            (file_options(name) if is_filed(name) else {}) if told else options.options_from_args(name, args),
            quality,
            formats,
            out,
            getattr(args, "media_dir", "media"),
            progress=bars and getattr(args, "jobs", 1) == 1 and sys.stderr.isatty(),
            save_trajectory=save_trajectory,
            sections=sections,
            theme=theme,
            lang=lang,
            force=getattr(args, "force", False),
            captions=captions,
        )
        for name in names
    ]
    return jobs if whole else take_shard(jobs, shard)
