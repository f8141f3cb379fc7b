"""The record a story file is read into (`StoryFile`, its balls, beats, labels and claims),
and what the record says about a run: its view's bounds, its scene record, its trajectories."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..settings import Settings
from .vocabulary import REACH
from .when import Moment, resolve

if TYPE_CHECKING:
    from ..stories import Story
    from ..trajectory import Trajectory

Words = Mapping[str, str]  # language -> text ("en" always)


@dataclass(frozen=True)
class BallSpec:
    key: str  # the name captions use: {adam.x}
    settings: Settings
    label: Words | None = None  # the name on screen; default: optimizer and hyper-parameters
    show: tuple[str, ...] = ()


@dataclass(frozen=True)
class LabelSpec:
    words: Words
    ball: str | None = None
    point: str | None = None


@dataclass(frozen=True)
class ClaimSpec:
    ball: str
    name: str
    args: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return f"{self.name}({', '.join(self.args)})" if self.args else self.name


@dataclass(frozen=True)
class BeatSpec:
    caption: Words
    when: Moment = field(default_factory=lambda: Moment("start"))
    claims: tuple[ClaimSpec, ...] = ()
    show: tuple[tuple[str, str], ...] = ()  # (ball, part) added at this beat
    labels: tuple[LabelSpec, ...] = ()
    hold: float = 1.2
    seconds: float | None = None
    warn: bool = False
    # the beat's last steps from close: "end" (where they cover under 5 % of the plot), or a
    # region ((x0, x1), (y0, y1)) in the plot's coordinates (a curve's y may be left out)
    zoom: str | tuple[tuple[float, float], ...] | None = None


@dataclass(frozen=True)
class StoryFile:
    name: str
    view: str
    settings: Settings  # the landscape's fields, shared by every ball
    window: tuple[tuple[float, float], ...] | None  # what the view shows (None: around the paths)
    balls: tuple[BallSpec, ...]
    beats: tuple[BeatSpec, ...]
    title: Words
    section: str = "beyond"
    theme: str | None = None
    lang: str | None = None
    text: str = ""  # the file's own bytes, decoded: the cache's key holds them
    file: str = ""
    trust_code: bool = False  # a ball names a module:Class the user said they trust

    @property
    def dim(self) -> int:
        return self.settings.landscape_obj.dim

    def bounds(self, trajectories: Sequence[Trajectory]) -> tuple[tuple[float, float], ...]:
        """What the view shows: the window, else the domain, else the stretch the balls visit
        (each path followed up to REACH from its start), padded."""
        import numpy as np

        if self.window is not None:
            return self.window
        out = []
        for k in range(self.dim):
            seen = []
            for t in trajectories:
                xs = t.points[:, k]
                seen.append(xs[np.abs(xs - xs[0]) <= REACH])
            xs = np.concatenate(seen)
            lo, hi = float(xs.min()), float(xs.max())
            pad = max(1.0, 0.15 * (hi - lo))
            out.append(_round_out(lo - pad, hi + pad))
        return tuple(out)

    def missing_words(self, lang: str) -> list[str]:
        """The key paths of the words on screen that have no text in `lang`."""
        if lang == "en":
            return []
        out = [] if lang in self.title or self.title["en"] == self.name else ["title"]
        out += [f"balls[{k}].label" for k, b in enumerate(self.balls) if b.label and lang not in b.label]
        for k, beat in enumerate(self.beats):
            if lang not in beat.caption:
                out.append(f"beats[{k}].caption")
            out += [f"beats[{k}].labels[{j}]" for j, lab in enumerate(beat.labels) if lang not in lab.words]
        return out

    def ball_index(self, key: str) -> int:
        return [b.key for b in self.balls].index(key)

    def story(self) -> Story:
        """The file as a scene record: the first ball is the main one, the others its companions."""
        from ..stories import Story

        main = self.balls[0].settings
        companions = tuple(_changes(b.settings) for b in self.balls[1:])
        names = tuple(b.key for b in self.balls)
        return Story(self.name, self.title["en"], main, companions=companions, names=names)

    def trajectories(self) -> list[Trajectory]:
        from ..optimizers import run

        return [run(b.settings) for b in self.balls]

    def steps_of(self, trajectories: Sequence[Trajectory]) -> list[int]:
        """Each beat's step, resolved on the run (`check_run` has refused what cannot be)."""
        keys = [b.key for b in self.balls]
        return [resolve(keys, b.when, trajectories) for b in self.beats]


def _round_out(lo: float, hi: float, ticks: int = 10) -> tuple[float, float]:
    """(lo, hi) widened to whole multiples of a round step (1, 2, 2.5 or 5 times a power of
    ten), about `ticks` of them: the view then ends on a tick."""
    raw = (hi - lo) / ticks
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return math.floor(lo / step) * step, math.ceil(hi / step) * step


def _changes(s: Settings) -> dict[str, Any]:
    """Every field of a ball's settings: a companion gives all of them, so it is itself, whatever
    the main ball's are."""
    d = {k: v for k, v in s.to_dict().items() if v is not None and k != "beta"}
    d["start"] = tuple(s.start)
    if s.domain is not None:
        d["domain"] = s.domain
    return d
