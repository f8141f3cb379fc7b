"""The beats as a scene plays them: each caption opens one (a manim section, a subtitle cue, a
slide), a caption that leaves or the next one closes it, and the record is written as
NAME.beats.json beside the video. Times and steps are handed in by the scene; nothing here
draws."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from scenes.kit.typeset import typeset
from scenes.narration import beatsfile
from scenes.narration.beats import Beat


class BeatRecorder:
    """The beats shown so far, as dicts of start, end, section, step(s), caption, claims."""

    def __init__(self, names: Callable[[], list[str]], subtitle: Callable[..., None]) -> None:
        self.names = names  # the balls' names in the trajectories' order: labels and claims count them
        self.subtitle = subtitle  # manim's add_subcaption: a cue per beat, in the video's .srt
        self.beats: list[dict[str, Any]] = []

    @property
    def open(self) -> bool:
        """Whether the last beat's cue still runs."""
        return bool(self.beats) and "end" not in self.beats[-1]

    def start(self, beat: Beat, now: float, section: str, step: int) -> None:
        """A beat opens at `now` (seconds of video), at the shown `step`, in manim's `section`."""
        record = beat.to_dict(self.names())
        record["caption"] = typeset(record["caption"])  # as on screen: subtitles and decks say the same
        self.beats.append({"start": now, "section": section, "step": step, **record})

    def close(self, now: float, step: int) -> None:
        """The last beat's cue ends at `now`, at the shown `step`, unless it had ended already
        (its caption left early: it quoted a step)."""
        if not self.open:
            return
        last = self.beats[-1]
        last["end"] = now
        last["steps"] = [last["step"], step]
        if now > last["start"]:
            self.subtitle(last["caption"], duration=now - last["start"], offset=last["start"] - now)

    def document(self, scene: str, lang: str, theme: str, duration: float) -> beatsfile.Narration:
        return beatsfile.recorded(scene, lang, theme, duration, self.beats)

    def write(self, subtitles: Path | str, document: beatsfile.Narration) -> Path:
        """NAME.beats.json beside the video's NAME.srt: what decks and notes read."""
        return beatsfile.write(beatsfile.beats_path(subtitles), document)
