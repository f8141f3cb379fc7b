"""A beat as data: its caption, the labels it brings and the claims behind them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from landscapes.claims import Claim

# d2l's show_trace_2d view of its 2D examples, a little wider so every path of the chapter fits
BOOK_VIEW = ((-5.5, 1.5, 1.0), (-3.0, 3.0, 1.0))


NEGATIVE_ZERO = re.compile(r"-(0(?:\.0+)?)(?![\d.])")


def no_negative_zero(words: str) -> str:
    """ "-0.000000" reads as a number below zero that is not there: print it as 0.000000."""
    return NEGATIVE_ZERO.sub(r"\1", words)


@dataclass(frozen=True)
class Label:
    """Words at a point of the plot, naming the ball there (`ball`) or a critical point (`kind`).

    `at` is in the plot's coordinates: (x, f(x)) on a curve, (x1, x2) on a plane or a surface."""

    words: str
    at: tuple[float, float]
    ball: int | None = None
    kind: str = "ball"

    def to_dict(self, names: Sequence[str]) -> dict[str, Any]:
        ball = names[self.ball] if self.ball is not None and self.ball < len(names) else None
        return {"words": self.words, "target": {"kind": self.kind, "ball": ball, "at": list(self.at)}}


ZOOM_STEPS = 10  # a zoom beat's last roll: the steps watched from close


@dataclass(frozen=True)
class Zoom:
    """Where a beat's last roll is watched from close (scenes.kit.zoom): the region holding the
    steps its balls take in it (the last `last` steps up to the beat's step; `balls`: only
    these balls, by index, the others are pointed at on the view's edge), or a region given in
    the plot's coordinates (`x`, `y`; a curve's `y` may be left to the curve). The view moves
    in only where that region covers less than 5 % of the plot, and back out after the beat."""

    last: int = ZOOM_STEPS
    balls: tuple[int, ...] | None = None
    x: tuple[float, float] | None = None
    y: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.x is not None:
            return {"x": list(self.x), **({"y": list(self.y)} if self.y is not None else {})}
        return {"last": self.last, **({"balls": list(self.balls)} if self.balls is not None else {})}


@dataclass(frozen=True)
class Beat:
    """One caption and what it brings: first every ball rolls to step `at` (if given) over
    `seconds`, then the caption, then the labels; the beat holds for `hold` seconds."""

    caption: str
    at: int | None = None
    seconds: float | None = None
    hold: float = 1.2
    warn: bool = False
    labels: tuple[Label, ...] = ()
    claims: tuple[Claim, ...] = ()
    act: int = 0  # a story in parts (newton): which part the beat belongs to
    via: tuple[tuple[int, float], ...] = ()  # (step, seconds) rolls before the one to `at`
    before: tuple[Label, ...] = ()  # labels shown before the caption
    zoom: Zoom | None = None  # watch the roll to `at` from close (and back out after the beat)

    def __post_init__(self) -> None:
        object.__setattr__(self, "caption", no_negative_zero(self.caption))

    def to_dict(self, names: Sequence[str]) -> dict[str, Any]:
        return {
            "caption": self.caption,
            "warn": self.warn,
            "annotations": [lab.to_dict(names) for lab in (*self.before, *self.labels)],
            "claims": [c.to_dict(names) for c in self.claims],
        }


@dataclass
class Narration:
    """The balls' names (in the trajectories' order) and the beats."""

    names: list[str]
    beats: list[Beat] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)  # words a scene shows beside the beats

    def add(self, beat: Beat | None) -> None:
        if beat is not None:
            self.beats.append(beat)

    @property
    def captions(self) -> list[str]:
        return [b.caption for b in self.beats]
