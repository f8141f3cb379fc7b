"""How much work one input may ask for, checked before any of it starts.

A story file comes from anyone, and the command line and the notebook take numbers from
anyone's script: each limit below bounds the time, memory or frames a single input can cost,
and `roll check`, `roll render` and the notebook apply the same ones (the README's "Limits"
lists them with these reasons). Every number is a constant here, declared once.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

# A story file is read only if it is a regular file (a FIFO would block, /dev/zero never ends)
# of at most this many bytes: the shipped ones are 1-3 KB; 60 beats of the longest captions in
# English and Chinese (3 bytes a character) with a label each take about 160 KB; reading and
# parsing 256 KiB takes milliseconds.
FILE_BYTES = 256 * 1024
# A scene's name names its output files, pages' anchors and links: letters, digits, - _ .
NAME_CHARS = 64
# Words on screen (caption, label, title): about three caption lines at the smallest size the
# kit shrinks a caption to; longer text is unreadable in a frame and only costs Pango time.
TEXT_CHARS = 300
# Balls of a story file: the palette has eight ball colours, and the panel a readout row each.
FILE_BALLS = 8
# Balls of a scene option (basins' --balls): the command line's limit, the notebook's too.
MAX_BALLS = 200
# Beats of a story file: a slide each in a deck; 60 is an hour's lecture at a slide a minute.
MAX_BEATS = 60
# Steps times balls of one scene: one ball at settings.MAX_STEPS (what --steps already allowed),
# or 200 balls of 5,000 steps; never 200 balls of a million. Measured: a step of gd or adam took
# 400-460 µs with the machine's load average at 13 on 2 cores (a million: about 7 minutes).
BALL_STEPS = 1_000_000
# Video of one story file, estimated from its beats (below): ten minutes, a long lecture clip
# (at -q k, 36,000 frames).
VIDEO_SECONDS = 600.0
# The axes' limits (the command line's --domain and --start, a file's domain and window):
# beyond ±MAX_COORD tick labels run to a dozen digits and neighbouring floats stop being
# distinct points (1e20 ± 1 is one number); below MIN_SPAN the four decimals of a tick label
# cannot tell two ticks apart, and manim's own tick range (it pads by 1e-6) would draw thousands
# of ticks.
MAX_COORD = 1e6
MIN_SPAN = 1e-3
# --opt's text: a constructor's keywords fit in a line; the parser recurses per nesting level.
OPT_CHARS = 1000
# The story file's TOML nesting: the deepest a valid file goes is 4 (beats, labels, a table
# in it); Python's own parser recurses per level.
MAX_DEPTH = 16

# characters that never reach Pango, a subtitle file or a terminal: C0 and C1 controls (a
# single newline inside words is allowed), the bidirectional overrides and isolates that
# reorder what a reader sees, and the Unicode line and paragraph separators
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
SEPARATORS = set("\u2028\u2029\x85")


def bad_character(text: str) -> str | None:
    """The first character words may not hold, as U+XXXX (None if there is none)."""
    for ch in text:
        if ch == "\n":
            continue
        if unicodedata.category(ch) == "Cc" or ch in BIDI or ch in SEPARATORS:
            return f"U+{ord(ch):04X}"
    return None


def text_refusal(text: str) -> str | None:
    """Why words cannot be shown (None if they can): empty, too long, a control character,
    or a blank line (a subtitle file would read it as the end of a cue)."""
    if not text.strip():
        return "empty; give the words to show"
    if len(text) > TEXT_CHARS:
        return f"{len(text)} characters; give at most {TEXT_CHARS}"
    bad = bad_character(text)
    if bad:
        return f"holds the control character {bad}; remove it (words are plain text)"
    lines = text.split("\n")
    if any(not line.strip() for line in lines):
        return "holds a blank line (or starts or ends with a newline); write the words without one"
    return None


def bounds_refusal(bounds: Sequence[tuple[float, float]]) -> str | None:
    """Why a domain or window cannot be drawn (None if it can)."""
    for lo, hi in bounds:
        if not (math.isfinite(lo) and math.isfinite(hi)) or max(abs(lo), abs(hi)) > MAX_COORD:
            return f"the axes draw coordinates up to ±{MAX_COORD:g}; give bounds within it"
        if hi - lo < MIN_SPAN:
            return f"give bounds at least {MIN_SPAN:g} apart"
    return None


def steps_refusal(balls: int, steps: int) -> str | None:
    """Why a scene's balls × steps is too much work (None if it is not)."""
    if balls * steps > BALL_STEPS:
        most = max(BALL_STEPS // max(balls, 1), 1)
        return (
            f"{balls} balls × {steps:,} steps is {balls * steps:,} steps of work; "
            f"give at most {BALL_STEPS:,} in all (here: steps up to {most:,})"
        )
    return None


def video_seconds(beats: Sequence[tuple[float | None, float, int]], roll: float = 10.0) -> float:
    """A story file's video length, estimated from above: each beat as (its roll's seconds or
    None, its hold, its labels). The scene rolls `roll` seconds in all where a beat gives none
    (at least 0.5 a beat), fades each caption in (about 1 s) and each label (0.5 s)."""
    total = roll
    for seconds, hold, labels in beats:
        total += (seconds if seconds is not None else 0.5) + hold + 1.0 + 0.5 * labels
    return total


def depth(value: object, limit: int = MAX_DEPTH) -> int:
    """How deep tables and arrays nest (counted up to `limit + 1`, no further)."""
    deepest, todo = 0, [(value, 0)]
    while todo:
        v, d = todo.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(v, dict):
            todo.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            todo.extend((x, d + 1) for x in v)
    return deepest
