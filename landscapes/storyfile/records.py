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
    from ..network.train import Net
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
class CameraSpec:
    """Where a surface's camera turns before a beat: phi (from straight above, degrees), theta
    (around the vertical, degrees), zoom (1: the whole box in view); None keeps the current."""

    phi: float | None = None
    theta: float | None = None
    zoom: float | None = None


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
    camera: CameraSpec | None = None  # a surface's camera move before the beat's roll
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
    model: Net | None = None  # [model]: the balls train it, on one plane through its weights

    @property
    def dim(self) -> int:
        return self.settings.landscape_obj.dim

    def bounds(self, trajectories: Sequence[Trajectory]) -> tuple[tuple[float, float], ...]:
        """What the view shows: the window, else the domain, else the stretch the balls visit
        (each path followed up to REACH from its start), padded."""
        import numpy as np

        if self.model is not None:  # the view around every path on their plane
            return trajectories[0].net.bounds  # type: ignore[attr-defined]
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
            out.append((lo - pad, hi + pad))
        if self.dim == 2:
            out = _fitted_aspect(out)
        return tuple(_round_out(lo, hi) for lo, hi in out)

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
        if self.model is not None:  # each ball trains the model: one record each, one plane for all
            from ..network.story import NetworkStory

            return NetworkStory(self.name, self.title["en"], main, companions, self.model.to_dict(), names)
        return Story(self.name, self.title["en"], main, companions=companions, names=names)

    def trajectories(self) -> list[Trajectory]:
        from ..optimizers import run

        if self.model is not None:
            return list(self.story().trajectories())
        return [run(b.settings) for b in self.balls]

    def steps_of(self, trajectories: Sequence[Trajectory]) -> list[int]:
        """Each beat's step, resolved on the run (`check_run` has refused what cannot be)."""
        keys = [b.key for b in self.balls]
        return [resolve(keys, b.when, trajectories) for b in self.beats]


# A view fitted to the paths keeps its width over its height within these: the plane is drawn
# with equal aspect beside the panel, and a view wider than 1.6 (or taller than wide) would
# leave it under 40 % of the frame. The shorter side grows about its middle: more landscape.
FITTED_ASPECT = (1.0, 1.6)


def _fitted_aspect(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    (x0, x1), (y0, y1) = spans
    w, h = x1 - x0, y1 - y0
    low, high = FITTED_ASPECT
    if w > high * h:
        mid, h = (y0 + y1) / 2, w / high
        return [(x0, x1), (mid - h / 2, mid + h / 2)]
    if w < low * h:
        mid, w = (x0 + x1) / 2, h * low
        return [(mid - w / 2, mid + w / 2), (y0, y1)]
    return spans


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
