"""A video's beats and subtitles, as the command line reads them.

The scene writes `NAME.beats.json` beside its movie (the narration: per beat its times,
caption, annotations and claims) and manim writes `NAME.srt` from the same beats (a cue per
beat, timed as on screen). Decks and notes read the beats; browsers want WebVTT, so NAME.vtt
is written from the SRT's cues.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BEATS_SUFFIX = ".beats.json"
BEATS_VERSION = 1


def beats_path(movie: Path | str) -> Path:
    """Where the scene writes a movie's beats: `Scene.mp4` -> `Scene.beats.json`, beside it."""
    return Path(movie).with_suffix(BEATS_SUFFIX)


@dataclass(frozen=True)
class StoryBeat:
    """One beat as the narration recorded it (times in seconds of the video)."""

    index: int
    start: float
    end: float
    section: str
    caption: str
    warn: bool
    annotations: tuple[dict[str, Any], ...]
    claims: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Narration:
    """A video's beats.json, read and checked."""

    scene: str
    lang: str
    theme: str
    duration: float
    beats: tuple[StoryBeat, ...]


def read_beats(path: Path | str) -> Narration:
    """Read a beats.json; a file that is not one (another version, beats out of order or out
    of time) is an error naming the file, never a deck with slides in the wrong place."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("version") != BEATS_VERSION:
            raise ValueError(f"version {doc.get('version')!r}, expected {BEATS_VERSION}")
        beats = tuple(
            StoryBeat(
                index=int(b["index"]),
                start=float(b["start"]),
                end=float(b["end"]),
                section=str(b["section"]),
                caption=str(b["caption"]),
                warn=bool(b.get("warn", False)),
                annotations=tuple(b.get("annotations", ())),
                claims=tuple(b.get("claims", ())),
            )
            for b in doc["beats"]
        )
        narration = Narration(
            str(doc["scene"]), str(doc["lang"]), str(doc["theme"]), float(doc["duration"]), beats
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path}: not a beats file ({type(exc).__name__}: {exc})") from None
    if [b.index for b in beats] != list(range(len(beats))):
        raise ValueError(f"{path}: the beats are not numbered 0, 1, …")
    ends_before_next = all(a.end <= b.start + 1e-6 for a, b in zip(beats, beats[1:], strict=False))
    if any(b.end < b.start for b in beats) or not ends_before_next:
        raise ValueError(f"{path}: the beats' times overlap or run backwards")
    return narration


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def srt_to_vtt(text: str) -> str:
    """The same cues, in order, as WebVTT."""
    import srt

    from scenes.cli.safe import cue_text

    lines = ["WEBVTT", ""]
    for k, cue in enumerate(srt.parse(text), start=1):
        lines += [str(k), f"{_stamp(cue.start.total_seconds())} --> {_stamp(cue.end.total_seconds())}"]
        lines += [cue_text(cue.content), ""]
    return "\n".join(lines)
