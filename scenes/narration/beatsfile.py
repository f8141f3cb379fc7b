"""The beats file, `NAME.beats.json`: one type, written and read here alone.

The scene writes it beside its video as it tears down (per beat its times, its manim section,
caption, annotations and claims); subtitles, decks, the gallery and the result cache find and
read it through this module (as manim-slides writes and reads one PresentationConfig). It
imports neither manim nor the command line, so the kit and `scenes.cli` both use it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUFFIX = ".beats.json"
VERSION = 1


def beats_path(movie: Path | str) -> Path:
    """Where a movie's beats are: `Scene.mp4` (or its `Scene.srt`) -> `Scene.beats.json`, beside it."""
    return Path(movie).with_suffix(SUFFIX)


@dataclass(frozen=True)
class StoryBeat:
    """One beat as the scene recorded it (times in seconds of the video)."""

    index: int
    start: float
    end: float
    section: str
    caption: str
    warn: bool
    annotations: tuple[dict[str, Any], ...]
    claims: tuple[dict[str, Any], ...]

    @classmethod
    def from_dict(cls, b: Mapping[str, Any]) -> StoryBeat:
        return cls(
            index=int(b["index"]),
            start=float(b["start"]),
            end=float(b["end"]),
            section=str(b["section"]),
            caption=str(b["caption"]),
            warn=bool(b.get("warn", False)),
            annotations=tuple(b.get("annotations", ())),
            claims=tuple(b.get("claims", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": self.start,
            "end": self.end,
            "section": self.section,
            "caption": self.caption,
            "warn": self.warn,
            "annotations": list(self.annotations),
            "claims": list(self.claims),
        }


@dataclass(frozen=True)
class Narration:
    """A video's beats file: the scene, its look, the video's length and the beats."""

    scene: str
    lang: str
    theme: str
    duration: float
    beats: tuple[StoryBeat, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "scene": self.scene,
            "lang": self.lang,
            "theme": self.theme,
            "duration": self.duration,
            "beats": [b.to_dict() for b in self.beats],
        }


def recorded(
    scene: str, lang: str, theme: str, duration: float, beats: Sequence[Mapping[str, Any]]
) -> Narration:
    """The beats as a scene keeps them while it plays (each a dict of start, end, section,
    caption, warn, annotations, claims), numbered in order."""
    return Narration(
        scene,
        lang,
        theme,
        float(duration),
        tuple(StoryBeat.from_dict({**b, "index": k}) for k, b in enumerate(beats)),
    )


def write(path: Path | str, narration: Narration) -> Path:
    """Write the beats file (its folder made if need be); returns its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(narration.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read(path: Path | str) -> Narration:
    """Read a beats file; one that is not one (another version, beats out of order or out of
    time) is an error naming the file, never a deck with slides in the wrong place."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("version") != VERSION:
            raise ValueError(f"version {doc.get('version')!r}, expected {VERSION}")
        beats = tuple(StoryBeat.from_dict(b) for b in doc["beats"])
        narration = Narration(
            str(doc["scene"]), str(doc["lang"]), str(doc["theme"]), float(doc["duration"]), beats
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"{path}: not a beats file ({type(exc).__name__}: {exc})") from None
    if [b.index for b in beats] != list(range(len(beats))):
        raise ValueError(f"{path}: the beats are not numbered 0, 1, …")
    ends_before_next = all(a.end <= b.start + 1e-6 for a, b in zip(beats, beats[1:], strict=False))
    if any(b.end < b.start for b in beats) or not ends_before_next:
        raise ValueError(f"{path}: the beats' times overlap or run backwards")
    return narration
