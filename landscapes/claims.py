"""What a caption may say about a run, as predicates on its arrays.

Each claim is evaluated on trajectories and on the landscape's critical points, which are
found numerically (`critical.critical_points`) over the part of the landscape in view, never
written in. A `Claim` carries whether it holds and the numbers it was judged on, so the
narration shows a sentence only when its claims hold and `beats.json` can say why.

Thresholds, and why (each written once, here):
- FLAT: |f'| (or |grad|) below 1e-2 reads as "≈ 0": the readouts print three decimals, where
  such a gradient shows as ±0.00x.
- NEAR: a ball is *at* a critical point when one lies within 2 % of the view's width of it
  (about one ball radius on screen). Critical points are places found by the search, never a
  small gradient alone: on a plateau the gradient is small and no point is there.
- TAIL, FROZEN: a ball is frozen when its path over its last TAIL (10) steps is shorter than
  FROZEN (0.1 %) of the view's width: about one pixel of a 1080p plot, so the eye sees it stand
  still, whatever stopped it (η decayed, --tol, the optimizer's own stop, a plateau). A ball
  whose steps ran out while that path is longer is still moving.
- CRAWL: crawling is a whole path shorter than 5 % of the view's width (what it travelled,
  not where it ended: a ball jumping to and fro is not crawling).
- ARRIVED: within 1 % of the start's distance from the minimum; STALLED/CRAWLED: still more
  than 10 % of it away.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from .critical import Point, basin, critical_near, critical_points, hessian
from .functions import Landscape
from .rules import RULES
from .trajectory import Trajectory

FLAT = 1e-2
NEAR = 0.02
TAIL = 10
FROZEN = 1e-3
CRAWL = 0.05
REACH = 50.0  # a runaway ball is followed this far from its start when a view is fitted to the paths
ARRIVED = 0.01
STALLED = 0.1
OFF_MAP = ("diverged", "left_domain", "undefined", "singular")


@dataclass(frozen=True)
class Claim:
    """One statement about a run: its name, the ball it is about, whether it holds, its numbers."""

    name: str
    holds: bool
    ball: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holds", bool(self.holds))  # numpy's bool_ is not a bool

    def __bool__(self) -> bool:
        return self.holds

    def to_dict(self, names: Sequence[str] = ()) -> dict[str, Any]:
        ball = names[self.ball] if self.ball is not None and self.ball < len(names) else self.ball
        return {"claim": self.name, "ball": ball, "holds": self.holds, "values": _plain(self.values)}


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if isinstance(v, np.ndarray):
            v = v.tolist()
        elif isinstance(v, (np.floating, np.integer, np.bool_)):
            v = v.item()
        elif isinstance(v, tuple):
            v = list(v)
        out[k] = v
    return out


class Ground:
    """A landscape over the part of it a story shows, with its critical points."""

    def __init__(self, landscape: Landscape, bounds: Sequence[Sequence[float]]) -> None:
        self.landscape = landscape
        self.bounds = tuple((float(b[0]), float(b[1])) for b in bounds)
        self._near: dict[tuple[float, ...], Point | None] = {}

    @cached_property
    def points(self) -> tuple[Point, ...]:
        return _points(self.landscape, self.bounds)

    @property
    def width(self) -> float:
        return max(hi - lo for lo, hi in self.bounds)

    @property
    def minima(self) -> list[Point]:
        return [p for p in self.points if p.kind == "minimum"]

    @property
    def lowest(self) -> Point | None:
        return min(self.minima, key=lambda p: p.value, default=None)

    def around(self, at: Sequence[float]) -> tuple[Point, ...]:
        """The points of the search, and the one Newton's method reaches from `at` (a ball's end
        may sit in a small well between the search's starts)."""
        key = tuple(float(v) for v in at)
        if key not in self._near:
            self._near[key] = critical_near(self.landscape, key, self.bounds)
        extra = self._near[key]
        if extra is None or any(
            np.linalg.norm(np.subtract(extra.at, p.at)) <= 1e-7 * self.width for p in self.points
        ):  # the search found it already: one place, one Point
            return self.points
        return (*self.points, extra)

    def nearest(self, at: Sequence[float]) -> tuple[Point | None, float]:
        """The critical point nearest `at` and its distance."""
        best, dist = None, np.inf
        for p in self.around(at):
            d = float(np.linalg.norm(np.asarray(at, dtype=float) - np.asarray(p.at)))
            if d < dist:
                best, dist = p, d
        return best, dist

    @property
    def near(self) -> float:
        """How close a ball must be to a critical point to be *at* it, in the plot's units."""
        return NEAR * self.width

    def nearest_of(self, at: Sequence[float], kind: str) -> tuple[Point | None, float]:
        """The critical point of this kind nearest `at` and its distance."""
        best, dist = None, np.inf
        for p in self.around(at):
            d = float(np.linalg.norm(np.asarray(at, dtype=float) - np.asarray(p.at)))
            if p.kind == kind and d < dist:
                best, dist = p, d
        return best, dist

    def in_view(self, at: Sequence[float]) -> bool:
        return all(lo <= float(v) <= hi for v, (lo, hi) in zip(at, self.bounds, strict=False))

    def basin_minimum(self, x: float) -> Point | None:
        """1D: the minimum whose basin holds x."""
        lo, hi = basin(self.points, x, self.bounds[0])
        inside = [p for p in self.minima if lo <= p.at[0] <= hi]
        return inside[0] if inside else None


def fitted_view(
    paths: Sequence[np.ndarray], domain: Sequence[Sequence[float]] | None
) -> list[tuple[float, float]]:
    """The part of the landscape a scene fitted to its balls shows (compare, custom): the
    domain, else the stretch the paths visit (each followed up to REACH from the first start),
    padded by 15 % (at least 1)."""
    dim = paths[0].shape[1]
    if domain is not None:
        return [(float(domain[k][0]), float(domain[k][1])) for k in range(dim)]
    out = []
    for k in range(dim):
        start = paths[0][0, k]
        xs = np.concatenate([p[np.abs(p[:, k] - start) <= REACH, k] for p in paths])
        lo, hi = float(xs.min()), float(xs.max())
        pad = max(1.0, 0.15 * (hi - lo))
        out.append((lo - pad, hi + pad))
    return out


_CACHE: dict[tuple, tuple[Point, ...]] = {}


def _points(ls: Landscape, bounds: tuple) -> tuple[Point, ...]:
    key = (ls.name, ls.plain, ls.dim, ls.domain, bounds)
    if key not in _CACHE:
        _CACHE[key] = critical_points(ls, bounds)
    return _CACHE[key]


# ---- the vocabulary --------------------------------------------------------------------
def off_the_map(t: Trajectory, ball: int | None = None) -> Claim:
    """The run stopped off the map: diverged, left the domain, undefined, singular."""
    return Claim(
        t.status if t.status in OFF_MAP else "on_the_map", t.status in OFF_MAP, ball, {"status": t.status}
    )


def flat(t: Trajectory, ball: int | None = None, bound: float = FLAT, step: int = -1) -> Claim:
    """|gradient| below `bound` at a step (the end by default): "f′ ≈ 0"."""
    g = float(np.linalg.norm(t.grads[step]))
    return Claim("flat", g < bound, ball, {"grad": g, "bound": bound, "step": _step(t, step)})


def _step(t: Trajectory, step: int) -> int:
    return step if step >= 0 else len(t.points) + step


def at_critical(ground: Ground, t: Trajectory, kind: str, ball: int | None = None) -> Claim:
    """The ball ends at a critical point of this kind: the nearest one, within NEAR of the view,
    with a flat gradient."""
    p, d = ground.nearest(t.end)
    ok = (
        t.status not in OFF_MAP
        and p is not None
        and p.kind == kind
        and d < NEAR * ground.width
        and float(np.linalg.norm(t.grads[-1])) < FLAT
    )
    values: dict[str, Any] = {"end": t.end, "distance": d, "grad": float(np.linalg.norm(t.grads[-1]))}
    if p is not None:
        values.update(point=p.at, kind=p.kind, f=p.value)
    return Claim(f"at_{kind}", bool(ok), ball, values)


def lowest_minimum(ground: Ground, t: Trajectory, ball: int | None = None) -> Claim:
    """Reached the lowest minimum in view."""
    c = at_critical(ground, t, "minimum", ball)
    low = ground.lowest
    ok = c.holds and low is not None and tuple(c.values["point"]) == low.at
    return Claim("lowest_minimum", bool(ok), ball, {**c.values, "lowest": low.at if low else None})


def local_minimum(ground: Ground, t: Trajectory, ball: int | None = None) -> Claim:
    """Stuck in a minimum that is not the lowest in view."""
    c = at_critical(ground, t, "minimum", ball)
    low = ground.lowest
    ok = c.holds and low is not None and c.values["f"] > low.value + 1e-9
    return Claim("local_minimum", bool(ok), ball, {**c.values, "lowest": low.at if low else None})


def near_saddle(ground: Ground, t: Trajectory, ball: int | None = None) -> Claim:
    """Frozen near a saddle: at a saddle point with |f′| below FLAT."""
    c = at_critical(ground, t, "saddle", ball)
    return Claim("near_saddle", c.holds, ball, c.values)


def tail_path(t: Trajectory, steps: int = TAIL) -> float:
    """How far the ball travelled over its last `steps` steps (all of them if fewer)."""
    p = t.points[-(steps + 1) :]
    return float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum())


def path_length(t: Trajectory) -> float:
    """How far the ball travelled over the whole run, every step counted."""
    return float(np.linalg.norm(np.diff(t.points, axis=0), axis=1).sum())


def still_moving(ground: Ground, t: Trajectory, ball: int | None = None) -> Claim:
    """The steps ran out while the ball was moving: its last TAIL steps cover at least FROZEN of
    the view (a ball η or the optimizer has frozen is not moving, whatever its gradient)."""
    tail, bound = tail_path(t), FROZEN * ground.width
    ok = t.status == "max_steps" and tail >= bound
    lr = None if t.lrs is None else float(t.lrs[-1])
    g = float(np.linalg.norm(t.grads[-1]))
    return Claim(
        "still_moving", ok, ball, {"tail": tail, "bound": bound, "grad": g, "lr": lr, "steps": t.steps}
    )


def frozen(ground: Ground, t: Trajectory, ball: int | None = None) -> Claim:
    """Stopped: the last TAIL steps cover less than FROZEN of the view (or --tol ended the run).
    `cause` says why, from the run: "tol" (converged: |∇f| < --tol), "schedule" (η decayed to
    under a thousandth of its start), "optimizer" (it took no step at all: LBFGS's tolerance,
    Rprop's step floor), "plateau" (|∇f| < FLAT) or "slope" (none of these: the steps are
    simply too small)."""
    tail, bound = tail_path(t), FROZEN * ground.width
    g = float(np.linalg.norm(t.grads[-1]))
    lrs = t.lrs
    if t.status == "converged":
        cause = "tol"
    elif t.settings.schedule != "constant" and lrs is not None and lrs[-1] < 1e-3 * lrs[0]:
        cause = "schedule"
    elif t.steps >= 1 and tail == 0.0 and g >= FLAT and t.settings.optimizer not in RULES:
        cause = "optimizer"  # a plugged-in optimizer that takes no step (a book rule's vanish in rounding)
    elif g < FLAT:
        cause = "plateau"
    else:
        cause = "slope"
    ok = t.status not in OFF_MAP and (tail < bound or t.status == "converged")
    p, d = ground.nearest(t.end)
    values = {
        "tail": tail,
        "bound": bound,
        "grad": g,
        "cause": cause,
        "tol": t.settings.tol,
        "lr": None if lrs is None else float(lrs[-1]),
        "nearest": d,
        "near": ground.near,
        "point": None if p is None else p.at,
        "kind": None if p is None else p.kind,
    }
    return Claim("frozen", ok, ball, values)


def ending(ground: Ground, t: Trajectory, ball: int | None = None) -> Claim:
    """How a run ended, from what it did: off the map; at a minimum, maximum or saddle (one
    lies within NEAR); frozen or stopped elsewhere (with its cause); or still moving. Exactly
    one of these holds; the claim returned is that one."""
    off = off_the_map(t, ball)
    if off:
        return off
    for kind in ("minimum", "maximum", "saddle"):
        c = at_critical(ground, t, kind, ball)
        if c:
            return c
    stop = frozen(ground, t, ball)
    if stop:
        return stop
    return still_moving(ground, t, ball)


def moved(t: Trajectory) -> float:
    return float(np.linalg.norm(t.end - t.points[0]))


def crawling(ground: Ground, t: Trajectory, ball: int | None = None, share: float = CRAWL) -> Claim:
    """Travelled less than `share` of the view's width over the whole run (its path, every step
    counted, not its net move), and is still on the map."""
    d = path_length(t)
    ok = d < share * ground.width and t.status not in OFF_MAP
    return Claim(
        "crawling", ok, ball, {"path": d, "moved": moved(t), "bound": share * ground.width, "steps": t.steps}
    )


def overshooting(
    t: Trajectory, ball: int | None = None, until: int | None = None, axis: int = 0, centre: float = 0.0
) -> Claim:
    """Every step (up to `until`) jumps past `centre` along one axis and lands farther out."""
    xs = t.points[: (until + 1 if until is not None else None), axis] - centre
    ok = len(xs) >= 3 and bool(np.all(xs[1:] * xs[:-1] < 0) and np.all(np.abs(xs[1:]) > np.abs(xs[:-1])))
    return Claim(
        "overshooting", ok, ball, {"axis": axis, "until": len(xs) - 1, "last": float(xs[-1] + centre)}
    )


def escaped(ground: Ground, t: Trajectory, ball: int | None = None, share: float = 0.1) -> Claim:
    """1D: ends in the basin of the lowest minimum in view, and stayed in it over the last
    `share` of its steps (so it settles there, not merely passes)."""
    low = ground.lowest
    if low is None or t.status in OFF_MAP:
        return Claim("escaped", False, ball, {"end": t.end})
    lo, hi = basin(ground.points, low.at[0], ground.bounds[0])
    tail = t.points[-max(1, int(share * len(t.points))) :, 0]
    ok = bool(np.all((tail > lo) & (tail < hi)))
    return Claim("escaped", ok, ball, {"end": t.end, "basin": (lo, hi), "minimum": low.at})


def distance(t: Trajectory, point: Sequence[float], step: int = -1) -> float:
    return float(np.linalg.norm(t.points[step] - np.asarray(point, dtype=float)))


def arrived(t: Trajectory, point: Sequence[float], ball: int | None = None) -> Claim:
    """Ends within ARRIVED of the start's distance from `point`."""
    d0, d = distance(t, point, 0), distance(t, point)
    ok = t.status not in OFF_MAP and d <= ARRIVED * max(d0, 1e-12)
    return Claim("arrived", ok, ball, {"distance": d, "start_distance": d0, "point": tuple(point)})


def stalled(t: Trajectory, point: Sequence[float], ball: int | None = None) -> Claim:
    """Still more than STALLED of the start's distance from `point` when it stopped, and
    never beyond its start's distance (it did not overshoot)."""
    d0 = distance(t, point, 0)
    ds = np.linalg.norm(t.points - np.asarray(point, dtype=float), axis=1)
    ok = t.status not in OFF_MAP and ds[-1] > STALLED * d0 and bool(np.all(ds <= d0 + 1e-12))
    return Claim(
        "stalled", ok, ball, {"distance": float(ds[-1]), "start_distance": d0, "point": tuple(point)}
    )


def nearer(
    a: Trajectory, b: Trajectory, point: Sequence[float], balls: tuple[int, int] | None = None
) -> Claim:
    """Ball a ends nearer `point` than ball b."""
    da, db = distance(a, point), distance(b, point)
    return Claim(
        "nearer",
        da < db,
        balls[0] if balls else None,
        {"a": da, "b": db, "other": balls[1] if balls else None},
    )


def blew_up(ground: Ground, t: Trajectory, axis: int, ball: int | None = None) -> Claim:
    """Ended out of view along `axis`, at least ten times farther out than it started."""
    v0, v = abs(float(t.points[0, axis])), abs(float(t.end[axis]))
    lo, hi = ground.bounds[axis]
    ok = (t.status == "diverged" or v > 10 * max(v0, 1e-12)) and not lo <= float(t.end[axis]) <= hi
    return Claim("blew_up", ok, ball, {"axis": axis, "end": t.end, "start": t.points[0]})


def settles_first(
    t: Trajectory, first: int, then: int, point: Sequence[float], ball: int | None = None
) -> Claim:
    """Coordinate `first` comes within 1 % of its start's offset before coordinate `then` does."""

    def when(k: int) -> int:
        off = np.abs(t.points[:, k] - point[k])
        # within 1 % of its start's offset, or already at the minimum (1e-7: a start on it has
        # nothing left to settle, so the other coordinate cannot settle "first")
        hit = np.flatnonzero(off <= max(ARRIVED * off[0], 1e-7))
        return int(hit[0]) if len(hit) else len(off) + 1

    a, b = when(first), when(then)
    return Claim("settles_first", a < b and a <= t.steps, ball, {"first": a, "then": b})


def is_optimizer(t: Trajectory, *names: str, ball: int | None = None) -> Claim:
    return Claim("optimizer", t.settings.optimizer in names, ball, {"optimizer": t.settings.optimizer})


def steeper(ground: Ground, at: Sequence[float], ball: int | None = None) -> Claim:
    """2D: the curvature along x2 at `at` is more than 1.5 times that along x1 ("x2 is 20 times
    steeper"); `ratio` is the Hessian's diagonal, x2 over x1."""
    h = np.diag(hessian(ground.landscape, at))
    ratio = float(h[1] / h[0]) if h[0] > 0 else float("inf")
    ok = bool(np.isfinite(ratio) and ratio > 1.5)
    return Claim("steeper_x2", ok, ball, {"curvatures": h.tolist(), "ratio": ratio})
