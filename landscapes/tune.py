"""A learning rate tuned per optimizer, for one landscape and one start, before a fair race.

The search is a grid, not a sampler: `POINTS` rates evenly spaced in log10 over
[`LOW`, `HIGH`], then `REFINE` more between the best one's two neighbours. It is
deterministic (no seed enters it: the same settings give the same rate in any process), its
cost is known in advance (at most POINTS + REFINE runs of `steps` steps; a run that diverges
or converges early costs less), and on a 1D search it finds what a sampler such as hyperopt's
TPE would, without its dependency. The objective, smaller is better:

    arrived at step k   ->  k            (from point k on, f - f* <= ARRIVE·(f(start) - f*) to the end)
    still on its way    ->  steps + 1 + (f_end - f*)/(f(start) - f*)
    diverged, undefined or left the domain  ->  infinity

so a rate that arrives beats every rate that does not, and sooner beats later. f* is the
landscape's known global minimum value (`Landscape.minima`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from .errors import SettingsError
from .optimizers import run
from .settings import Settings
from .trajectory import Trajectory

LOW, HIGH = 1e-4, 1.0
POINTS, REFINE = 9, 4
ARRIVE = 1e-4


@dataclass(frozen=True)
class Tuned:
    """An optimizer's tuned rate and what it did with it (None: it has no learning rate)."""

    optimizer: str
    lr: float | None
    score: float
    arrival: int | None
    gap: float
    status: str
    runs: int
    tried: tuple[tuple[float, float], ...] = ()  # (rate, score) of every run, by rate

    def to_dict(self) -> dict[str, object]:
        def finite(v: float) -> float | None:
            return None if math.isinf(v) else v

        tried = [[lr, finite(score)] for lr, score in self.tried]
        return {**self.__dict__, "score": finite(self.score), "tried": tried}


def best_value(s: Settings) -> float:
    """f at the landscape's known global minimum; refused where none is known."""
    ls = s.landscape_obj
    if not ls.minima:
        raise SettingsError(
            f"--landscape {s.landscape}: tuning needs a landscape with known minima "
            "(rosenbrock, rastrigin, himmelblau, beale, booth, camel, styblinski-tang, ackley)"
        )
    return min(ls.value(*m) for m in ls.minima)


def objective(s: Settings, fstar: float) -> tuple[float, int | None, float, str]:
    """(score, arrival step or None, final relative gap, status) of one run with these settings."""
    return judge(run(s), fstar)


def judge(tr: Trajectory, fstar: float) -> tuple[float, int | None, float, str]:
    """(score, arrival step or None, final relative gap, status) of a run: the search's objective."""
    s = tr.settings
    span = float(tr.values[0]) - fstar
    gaps = (tr.values - fstar) / span if span > 0 else np.zeros_like(tr.values)
    gap = float(gaps[-1])
    if tr.status in ("diverged", "undefined", "left_domain", "singular"):
        return math.inf, None, gap, tr.status
    away = np.flatnonzero(gaps > ARRIVE)  # a ball that passes through and leaves has not arrived
    k = 0 if not away.size else int(away[-1]) + 1
    if k < len(gaps):
        return float(k), k, gap, tr.status
    return s.steps + 1 + gap, None, gap, tr.status


def grid(low: float = LOW, high: float = HIGH, points: int = POINTS) -> list[float]:
    """`points` rates evenly spaced in log10 from low to high, each to 3 significant digits (the
    rate run is the rate shown)."""
    return [float(f"{v:.3g}") for v in np.logspace(math.log10(low), math.log10(high), points)]


def tune(s: Settings, low: float = LOW, high: float = HIGH) -> Tuned:
    """The rate on the grid (then refined) with the best objective; ties go to the smaller rate."""
    from .plugins import resolve
    from .rules import RULES

    s.validate()
    fstar = best_value(s)
    rule = RULES.get(s.optimizer)
    if not (rule.has_lr if rule else resolve(s.optimizer).has_lr):
        score, arrival, gap, status = objective(s, fstar)
        return Tuned(s.optimizer, None, score, arrival, gap, status, 1)
    tried: dict[float, tuple[float, int | None, float, str]] = {}

    def at(lr: float) -> tuple[float, int | None, float, str]:
        if lr not in tried:
            tried[lr] = objective(s.override(lr=lr), fstar)
        return tried[lr]

    coarse = grid(low, high)
    for lr in coarse:
        at(lr)
    k = min(range(len(coarse)), key=lambda i: (at(coarse[i])[0], coarse[i]))
    lo, hi = coarse[max(k - 1, 0)], coarse[min(k + 1, len(coarse) - 1)]
    for lr in grid(lo, hi, REFINE + 2)[1:-1]:
        at(lr)
    lr = min(tried, key=lambda v: (tried[v][0], v))
    score, arrival, gap, status = tried[lr]
    every = tuple((v, tried[v][0]) for v in sorted(tried))
    return Tuned(s.optimizer, lr, score, arrival, gap, status, len(tried), every)


@cache
def tuned(s: Settings) -> Tuned:
    """`tune`, once per settings in a process (a scene and its narration ask for the same)."""
    return tune(s)


def tuned_settings(s: Settings) -> Settings:
    """The settings with the optimizer's tuned rate in force."""
    t = tuned(s)
    return s if t.lr is None else s.override(lr=t.lr)


def race_order(results: list[Tuned]) -> list[Tuned]:
    """The order of arrival: by score (arrival step, then how near the rest got), then by name."""
    return sorted(results, key=lambda t: (t.score, t.optimizer))
