"""A video's subtitles, as the command line writes them.

The scene writes `NAME.beats.json` beside its movie (`scenes.narration.beatsfile`) and manim
writes `NAME.srt` from the same beats (a cue per beat, timed as on screen). Browsers want
WebVTT: `webvtt` is its one writer, for a video's NAME.vtt (from the SRT's cues) and for a
deck's clip (its beat's caption as the one cue).
"""

from __future__ import annotations

from collections.abc import Iterable

from scenes.cli.safe import cue_text


def _stamp(seconds: float) -> str:
    ms = max(0, round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def webvtt(cues: Iterable[tuple[float, float, str]]) -> str:
    """WebVTT of (start, end, text) cues in seconds, numbered from 1; each text through
    `cue_text` (a blank line, a control character or a `-->` would end or break its cue)."""
    lines = ["WEBVTT", ""]
    for k, (start, end, text) in enumerate(cues, start=1):
        lines += [str(k), f"{_stamp(start)} --> {_stamp(end)}", cue_text(text), ""]
    return "\n".join(lines)


def srt_to_vtt(text: str) -> str:
    """The same cues, in order, as WebVTT."""
    import srt

    return webvtt((c.start.total_seconds(), c.end.total_seconds(), c.content) for c in srt.parse(text))
