"""`roll slides NAME...|--all --to pptx|html --out DIR`: a deck to present the story beat by beat.

Each scene renders once with manim's sections on (a section per caption: the kit opens one
at every caption), so the deck's slides, the subtitle cues and the speaker notes all come
from the same captions. The clips are the sections' own videos; a slide's poster is its
clip's first frame. Both decks take H.264 mp4: PowerPoint and Impress need it, and every
current browser plays it (Debian's Chromium included, tested); VP9 webm would cost about three
times the render time for the same clips (measured: all sixteen scenes at -q l, 225 s as webm
against 70 s as mp4).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from landscapes.errors import SettingsError
from landscapes.stories import get_story
from scenes.catalog import SECTIONS, entry
from scenes.cli import render
from scenes.cli.cache import LIMIT_ENV, Cache
from scenes.cli.render import Job, check_out_dir, shard_of, take_shard

TARGETS = {"pptx": "mp4", "html": "mp4"}


def plan(args: argparse.Namespace) -> list[Job]:
    from scenes.cli.options import check_look, options_from_args, settings_from_args

    if args.to not in TARGETS:
        raise SettingsError(f"--to {args.to!r}: choose pptx or html")
    names = render.scene_names(args)
    shard = shard_of(args)
    if shard is not None and Cache.for_media(args.media_dir) is None:
        raise SettingsError(f"--shard with slides fills the result cache, and {LIMIT_ENV}=0 turns it off")
    out = check_out_dir(args.out)
    theme, lang = check_look(args)
    fmt = TARGETS[args.to]
    jobs = [
        Job(
            name,
            settings_from_args(name, args).to_dict(),
            options_from_args(name, args),
            args.quality,
            (fmt,),
            str(out),
            args.media_dir,
            progress=False,
            sections=True,
            theme=theme,
            lang=lang,
            force=getattr(args, "force", False),
        )
        for name in names
    ]
    return take_shard(jobs, shard)


def first_frame(clip: Path, dest: Path) -> Path:
    """The clip's first frame as a PNG: the slide's poster."""
    import av

    with av.open(str(clip)) as container:
        frame = next(container.decode(video=0))
        frame.to_image().save(dest)
    return dest


def beats_of(job: Job, produced: Sequence[str]) -> list[tuple[str, Path]]:
    """(caption, clip) per beat, from manim's section index and the scene's subtitle cues
    (both written by the same captions)."""
    import srt

    movie = Path(produced[0])
    index = json.loads((movie.parent / "sections" / f"{movie.stem}.json").read_text(encoding="utf-8"))
    clips = [movie.parent / "sections" / s["video"] for s in index]
    cues = [c.content for c in srt.parse(movie.with_suffix(".srt").read_text(encoding="utf-8"))]
    if len(cues) != len(clips):
        raise RuntimeError(f"{job.name}: {len(clips)} sections but {len(cues)} captions")
    return list(zip(cues, clips, strict=True))


def title_of(name: str, lang: str = "en") -> str:
    """'Gradient descent: learning rate', the section in the deck's language."""
    from scenes.kit.i18n import _, use_language

    use_language(lang)
    e = entry(name)
    return f"{_(SECTIONS[e.section])}: {name.replace('-', ' ')}"


def slides_command(args: argparse.Namespace) -> int:
    from scenes.cli.decks import Beat, DeckScene, write_html, write_pptx

    jobs = plan(args)
    if not jobs:  # an empty shard
        return 0
    collected: dict[str, list[tuple[str, Path]]] = {}

    def collect(job: Job, produced: Sequence[str]) -> list[str]:
        collected[job.name] = beats_of(job, produced)
        return []

    code, finished = render.run_jobs(jobs, args.jobs, verbose=args.verbose, deliver=collect)
    if getattr(args, "shard", None) is not None:
        # a deck is one file: a shard only fills the cache with its scenes' clips, and the
        # same command without --shard, where the shards' caches are, writes the whole deck
        print(
            f"roll: shard {args.shard}: {len(finished)} scenes' clips are in the result cache; "
            "no deck written (run the same command without --shard where the caches are gathered)",
            file=sys.stderr,
        )
        return code
    if code not in (0, 1) or not finished:
        return code
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    posters = Path(args.media_dir) / "posters"
    posters.mkdir(parents=True, exist_ok=True)
    scenes = []
    for job in jobs:
        if job.name not in collected:
            continue
        beats = tuple(
            Beat(caption, clip, first_frame(clip, posters / f"{job.name}-{k:02d}.png"))
            for k, (caption, clip) in enumerate(collected[job.name])
        )
        scenes.append(DeckScene(job.name, title_of(job.name, job.lang), get_story(job.name).line, beats))
    if args.to == "pptx":
        path = write_pptx(scenes, out / "slides.pptx", theme=args.theme)
    else:
        path = write_html(scenes, out, theme=args.theme, lang=args.lang)
    print(path, flush=True)
    return code
