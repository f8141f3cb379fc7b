"""Subtitles beside a video: manim writes NAME.srt from the scene's subcaptions (a cue per
caption, timed as on screen); browsers want WebVTT, so NAME.vtt is written from the same cues."""

from __future__ import annotations

import srt


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def srt_to_vtt(text: str) -> str:
    """The same cues, in order, as WebVTT."""
    lines = ["WEBVTT", ""]
    for k, cue in enumerate(srt.parse(text), start=1):
        lines += [str(k), f"{_stamp(cue.start.total_seconds())} --> {_stamp(cue.end.total_seconds())}"]
        lines += [cue.content.replace("-->", "→"), ""]
    return "\n".join(lines)
