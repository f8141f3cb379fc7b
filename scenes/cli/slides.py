"""`roll slides NAME...|--all --to pptx|html|pdf --out DIR`: a deck to present the story beat by beat.

Each scene renders once with manim's sections on (beat k is section k: the narration opens
one at every caption) and its caption line off: the deck shows each caption once, as slide
text under the clip, which a lecturer can edit or translate where a burned-in copy could not
be changed, and which never cross-fades from the previous beat's words when a slide opens.
The slides' words come from the scene's `beats.json` (the narration the subtitles are made
from too), the clips are the sections' own videos, and a slide's poster is its beat's last
frame: the picture with the beat's annotations fully shown, which a printed deck keeps.

Every deck takes H.264 mp4: PowerPoint and Impress need it, and every current browser plays it
(Debian's Chromium included, tested); VP9 webm would cost about three times the render time for
the same clips (measured: all sixteen scenes at -q l, 225 s as webm against 70 s as mp4).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from landscapes.errors import SettingsError
from scenes.catalog import SECTIONS, entry, get_story
from scenes.cli import runner
from scenes.cli.cache import LIMIT_ENV, Cache
from scenes.cli.decks import Beat, DeckScene, writer_for
from scenes.cli.job import Job
from scenes.cli.plan import plan
from scenes.narration.beatsfile import Narration, StoryBeat, beats_path
from scenes.narration.beatsfile import read as read_beats


def plan_deck(args: argparse.Namespace) -> list[Job]:
    """The deck's jobs: each scene once as sections of mp4 clips, without its caption line."""
    from scenes.cli.reveal_deck import ToolMissing
    from scenes.cli.storyfiles import Default

    try:
        writer = writer_for(args.to)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    # a default stays one: a story file's own theme still comes in over the writer's
    if writer.theme is not None and isinstance(args.theme, Default):
        args.theme = Default(writer.theme)

    def tools(shard: tuple[int, int] | None) -> None:
        if shard is not None and Cache.for_media(args.media_dir) is None:
            raise SettingsError(f"--shard with slides fills the result cache, and {LIMIT_ENV}=0 turns it off")
        if shard is None:  # a shard writes no deck: it only fills the cache
            try:
                writer.check()  # reveal.js, Chromium: missing ones are named before any rendering
            except ToolMissing as exc:
                raise SettingsError(f"--to {args.to}: {exc}") from None

    # the deck shows the caption as slide text, once
    return plan(args, (writer.clip_format,), sections=True, captions=False, before=tools)


def last_frame(clip: Path, dest: Path) -> Path:
    """The clip's last frame as a PNG: the slide's poster, the beat as it ends."""
    import av

    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        last = None
        # a beat's clip is seconds long: seek to the last key frame before its end and decode
        # from there; from the start if the seek finds nothing (a clip of one key frame)
        if container.duration:
            container.seek(max(0, container.duration - 1_000_000), backward=True, any_frame=False)
            for frame in container.decode(stream):
                last = frame
        if last is None:
            container.seek(0)
            for frame in container.decode(stream):
                last = frame
        if last is None:
            raise ValueError(f"{clip}: no video frame")
        last.to_image().save(dest)
    return dest


@dataclass(frozen=True)
class SceneBeats:
    """A rendered scene as a deck needs it: its narration and a clip per beat."""

    narration: Narration
    clips: tuple[Path, ...]


def beats_of(job: Job, produced: Sequence[str]) -> SceneBeats:
    """The scene's beats (its beats.json) and each beat's clip (manim's section k)."""
    movie = Path(produced[0])
    narration = read_beats(beats_path(movie))
    index = json.loads((movie.parent / "sections" / f"{movie.stem}.json").read_text(encoding="utf-8"))
    clips = tuple(movie.parent / "sections" / s["video"] for s in index if s.get("video"))
    if len(clips) != len(narration.beats):
        raise RuntimeError(f"{job.name}: {len(clips)} sections but {len(narration.beats)} beats")
    return SceneBeats(narration, clips)


def title_of(name: str, lang: str = "en") -> str:
    """'Gradient descent: learning-rate': the book's section in the deck's language, and the
    scene's name (an identifier, as in `roll render learning-rate` and its files)."""
    from scenes.words.i18n import _, use_language

    use_language(lang)
    source = SECTIONS[entry(name).section]
    section = _(source)
    if section == source and source.lower() == name.replace("-", " "):  # not "Momentum: momentum"
        return section
    return _("{section}: {name}").format(section=section, name=name)


def is_the_story_run(job: Job) -> bool:
    """Whether the job runs the story's own settings and options, the run its line tells."""
    story = get_story(job.name)
    options = {**story.options, **job.options}
    return job.settings == story.settings and options == dict(story.options)


def story_line(job: Job) -> str:
    """What the title slide says under the title, in the job's language. The story's line
    states the book's run, numbers and outcomes both ("η 0.05 crawls to 3.486784"); for other
    settings neither holds, and the beats say what did happen. So a changed run's title slide
    gives the settings in force instead: true by construction, and what a lecturer needs to
    repeat the run."""
    from scenes.cli.gallery import settings_line
    from scenes.words.i18n import _, use_language

    use_language(job.lang)
    from scenes.cli.storyfiles import file_title

    if (title := file_title(job.name, job.lang)) is not None:  # a story file's words are its own
        return title
    if is_the_story_run(job):
        return _(get_story(job.name).line)
    return _("this run: {settings}").format(settings=settings_line(job.settings))


def _seconds(value: float) -> str:
    return f"{value:.1f}"


def _value(v: Any) -> str:
    """A claim's value as a speaker reads it: a few significant digits, U+2212, ×10ⁿ."""
    from scenes.kit.typeset import figure

    if isinstance(v, bool) or v is None:
        return str(v).lower()
    if isinstance(v, int):
        return str(v).replace("-", "\u2212")
    if isinstance(v, float):
        return figure(v, 4)
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_value(x) for x in v) + ")"
    return str(v)


def claim_line(claim: Mapping[str, Any]) -> str:
    """One checked claim with its numbers, named as story files and beats.json name it (an
    identifier in every language): `✓ near_saddle(gd): distance = 0.01609, grad = 0.0007770`."""
    who = f"({claim['ball']})" if claim.get("ball") else ""
    values = ", ".join(f"{k} = {_value(v)}" for k, v in dict(claim.get("values", {})).items())
    mark = "✓" if claim.get("holds", True) else "✗"
    return f"{mark} {claim['claim']}{who}" + (f": {values}" if values else "")


def beat_notes(beat: StoryBeat, following: StoryBeat | None, lang: str) -> str:
    """A beat's speaker notes beside its caption: the claims it rests on, checked on this run,
    with their numbers (to answer "how do you know?"), the labels on screen, what the next beat
    shows (to lead into it), and the beat's time in the scene's video."""
    from scenes.words.i18n import _, use_language

    use_language(lang)
    lines = []
    if beat.claims:
        lines.append(_("checked on this run:"))
        lines.extend(claim_line(c) for c in beat.claims)
    labels = [str(a["words"]) for a in beat.annotations if a.get("words")]
    if labels:
        lines.append(_("on screen: {labels}").format(labels=_(", ").join(labels)))
    if following is not None:
        lines.append(_("next: {caption}").format(caption=following.caption))
    else:
        lines.append(_("next: the scene ends here"))
    lines.append(
        _("in the video from {start} s to {end} s").format(start=_seconds(beat.start), end=_seconds(beat.end))
    )
    return "\n".join(lines)


def title_notes(job: Job, narration: Narration) -> str:
    """A title slide's speaker notes (after its story line): how many beats follow, and how
    long the scene's video runs."""
    from scenes.words.i18n import _, use_language

    use_language(job.lang)
    return _("{n} beats, {seconds} s of video").format(
        n=len(narration.beats), seconds=_seconds(narration.duration)
    )


def deck_scene(job: Job, got: SceneBeats, posters: Path) -> DeckScene:
    """A rendered scene as every deck writer takes it: its beats from beats.json, each with its
    clip, its poster (the clip's last frame) and its notes."""
    beats = tuple(
        Beat(
            b.caption,
            clip,
            last_frame(clip, posters / f"{job.variant}-{job.name}-{b.index:02d}.png"),
            warn=b.warn,
            notes=beat_notes(b, following, job.lang),
            seconds=b.end - b.start,
        )
        for b, following, clip in zip(
            got.narration.beats, [*got.narration.beats[1:], None], got.clips, strict=True
        )
    )
    return DeckScene(
        job.name, title_of(job.name, job.lang), story_line(job), beats, notes=title_notes(job, got.narration)
    )


def slides_command(args: argparse.Namespace) -> int:
    jobs = plan_deck(args)
    if not jobs:  # an empty shard
        return 0
    collected: dict[str, SceneBeats] = {}

    def collect(job: Job, produced: Sequence[str]) -> list[str]:
        collected[job.name] = beats_of(job, produced)
        return []

    code, finished = runner.run_jobs(jobs, args.jobs, verbose=args.verbose, deliver=collect)
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
    scenes = [deck_scene(job, collected[job.name], posters) for job in jobs if job.name in collected]
    path = writer_for(args.to).write(scenes, out, jobs[0].theme, jobs[0].lang)
    print(path, flush=True)
    return code
