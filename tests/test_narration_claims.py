"""Every sentence the narration shows is true of the run it describes.

For each scene, hypothesis draws command lines within what `roll` accepts for that scene
(optimizer, its hyper-parameters, --lr, --start, --steps, --noise, --seed, --schedule), the
command line's own parser turns them into settings, and the narration (no manim) gives the
beats. Each claim a beat shows is then checked here, from the trajectory arrays and the
landscape sampled by finite differences, never by calling the claim's own predicate; and
every number in a caption must be a number of the run, its settings or its landscape, to its
printed digits.
"""

from __future__ import annotations

import multiprocessing
import re
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from landscapes import SettingsError, Trajectory
from landscapes.names import HYPERPARAMETERS, OPTIMIZERS, SCHEDULES
from scenes.catalog import CATALOG, get_story
from scenes.cli.main import build_parser
from scenes.cli.options import settings_from_args
from scenes.narration.registry import narrate

EXAMPLES = int(__import__("os").environ.get("ROLL_EXAMPLES", 200))
PARSER = build_parser()
BOOK_VIEW = ((-5.5, 1.5), (-3.0, 3.0))
# where each scene draws its landscape (what "in view" means for its words)
VIEWS: dict[str, Sequence[tuple[float, float]]] = {
    "ripples": ((-1.0, 2.0),),
    "learning-rate": ((-20.0, 20.0),),
    "overshoot": ((-13.0, 13.0),),
    "newton": ((-11.0, 11.0),),
    **{
        n: BOOK_VIEW
        for n in ("gd-2d", "sgd-schedules", "ill-conditioned", "momentum", "adagrad", "rmsprop", "adam")
    },
}
OFF_MAP = {"diverged", "left_domain", "undefined", "singular"}
FLAT = 1e-2  # "≈ 0": the readouts' three decimals


# ---- the landscape, by finite differences -----------------------------------------------
def fvals(t: Trajectory, pts: np.ndarray) -> np.ndarray:
    """f at many points at once (the landscape's own function, no gradient taken)."""
    p = np.atleast_2d(np.asarray(pts, dtype=float))
    if p.shape[1] != t.points.shape[1]:
        p = p.T
    with torch.no_grad():
        return t.settings.landscape_obj.fn(torch.as_tensor(p, dtype=torch.float64)).numpy()


def fd_grad(t: Trajectory, p: np.ndarray, h: float = 1e-5) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    out = []
    for k in range(len(p)):
        e = np.zeros_like(p)
        e[k] = h
        out.append((fvals(t, p + e)[0] - fvals(t, p - e)[0]) / (2 * h))
    return np.array(out)


def fd_hessian(t: Trajectory, p: np.ndarray, h: float = 1e-3) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    d = len(p)
    out = np.zeros((d, d))
    for i in range(d):
        for j in range(d):
            ei, ej = np.zeros(d), np.zeros(d)
            ei[i], ej[j] = h, h
            f = fvals(t, np.array([p + ei + ej, p + ei - ej, p - ei + ej, p - ei - ej]))
            out[i, j] = (f[0] - f[1] - f[2] + f[3]) / (4 * h * h)
    return out


def view_of(name: str, t: Trajectory, first: Trajectory | None = None) -> Sequence[tuple[float, float]]:
    if name == "newton" and first is not None and t.settings.landscape != first.settings.landscape:
        return ((-2.0, 30.0),)  # newton's second act
    if name in VIEWS:
        return VIEWS[name] if t.points.shape[1] == len(VIEWS[name]) else BOOK_VIEW
    return t.settings.landscape_obj.domain


def sampled_minimum(name: str, t: Trajectory, first: Trajectory | None = None) -> tuple[np.ndarray, float]:
    """The lowest local minimum of f in view: a grid point below its neighbours (the view's
    edge is no minimum), then refined by zooming the grid in around it."""
    view = view_of(name, t, first)
    key = (name, t.settings.landscape_obj.plain, tuple(map(tuple, view)))
    if key not in _MINIMA:
        _MINIMA[key] = _sampled_minimum(t, view)
    return _MINIMA[key]


_MINIMA: dict[tuple, tuple[np.ndarray, float]] = {}


def _sampled_minimum(t: Trajectory, view: Sequence[tuple[float, float]]) -> tuple[np.ndarray, float]:
    if len(view) == 1:
        xs = np.linspace(*view[0], 20001)
        f = fvals(t, xs[:, None])
        inner = np.flatnonzero((f[1:-1] < f[:-2]) & (f[1:-1] <= f[2:])) + 1
        if not len(inner):
            return np.array([np.nan]), np.inf
        k = inner[np.argmin(f[inner])]
        x, h = xs[k], xs[1] - xs[0]
        for _ in range(4):  # zoom in: 41 points over the two cells around the best one
            zs = np.linspace(x - h, x + h, 41)
            fz = fvals(t, zs[:, None])
            x, h = zs[int(np.argmin(fz))], zs[1] - zs[0]
        return np.array([x]), float(fvals(t, [[x]])[0])
    xs, ys = np.linspace(*view[0], 281), np.linspace(*view[1], 241)
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    f = fvals(t, np.stack([gx.ravel(), gy.ravel()], axis=1)).reshape(gx.shape)
    c = f[1:-1, 1:-1]
    low = (c < f[:-2, 1:-1]) & (c <= f[2:, 1:-1]) & (c < f[1:-1, :-2]) & (c <= f[1:-1, 2:])
    idx = np.argwhere(low) + 1
    if not len(idx):
        return np.array([np.nan, np.nan]), np.inf
    i, j = idx[np.argmin(f[idx[:, 0], idx[:, 1]])]
    p, h = np.array([xs[i], ys[j]]), np.array([xs[1] - xs[0], ys[1] - ys[0]])
    for _ in range(5):  # zoom in: 41 x 41 points over the cells around the best one
        zx, zy = np.linspace(p[0] - h[0], p[0] + h[0], 41), np.linspace(p[1] - h[1], p[1] + h[1], 41)
        mx, my = np.meshgrid(zx, zy, indexing="ij")
        fz = fvals(t, np.stack([mx.ravel(), my.ravel()], axis=1))
        k = int(np.argmin(fz))
        p, h = np.array([mx.ravel()[k], my.ravel()[k]]), np.array([zx[1] - zx[0], zy[1] - zy[0]])
    return p, float(fvals(t, p[None, :])[0])


def kind_at(t: Trajectory, p: np.ndarray) -> str:
    """minimum / maximum / saddle from the finite-difference Hessian (1D: f″ and probes)."""
    h = fd_hessian(t, p)
    eig = np.linalg.eigvalsh((h + h.T) / 2)
    if np.all(eig > 1e-4):
        return "minimum"
    if np.all(eig < -1e-4):
        return "maximum"
    if np.any(eig > 1e-4) and np.any(eig < -1e-4):
        return "saddle"
    # flat along some direction: a saddle if f rises on one side and falls on the other
    f0 = fvals(t, p)[0]
    for s in (1e-2, 3e-2):
        up, down = fvals(t, p + s)[0] - f0, fvals(t, p - s)[0] - f0
        if up * down < 0:
            return "saddle"
    return "flat"


def gnorm(t: Trajectory, step: int = -1) -> float:
    return float(np.linalg.norm(t.grads[step]))


# ---- the checker: one function per claim name ---------------------------------------------
def check_claim(name: str, trajs: Sequence[Trajectory], claim: dict, scene: str) -> None:
    cname, values = claim["claim"], claim["values"]
    k = claim["ball"]
    t = trajs[k] if isinstance(k, int) else None
    where = f"{scene}: claim {cname} of ball {k} ({values})"

    def at_kind(kind: str) -> None:
        """A critical point of this kind lies within 2 % of the view's width of the end."""
        assert t is not None and t.status not in OFF_MAP, where
        assert gnorm(t) < FLAT and np.linalg.norm(fd_grad(t, t.end)) < FLAT * 1.01 + 1e-6, where
        r = 0.02 * max(hi - lo for lo, hi in view_of(scene, t, trajs[0]))
        if t.points.shape[1] == 2:
            eig = np.linalg.eigvalsh(fd_hessian(t, t.end))
            want = {"minimum": eig.min() > 0, "maximum": eig.max() < 0, "saddle": eig.min() < 0 < eig.max()}
            assert want[kind], where
            return
        xs = np.linspace(t.end[0] - r, t.end[0] + r, 4001)
        f = fvals(t, xs[:, None])
        inner = slice(1, -1)
        if kind == "minimum":
            assert f[inner].min() < min(f[0], f[-1]), where
        elif kind == "maximum":
            assert f[inner].max() > max(f[0], f[-1]), where
        else:  # a saddle of a curve: f monotone through a point where f′ vanishes
            g = np.gradient(f, xs)
            assert np.all(g >= -1e-9) or np.all(g <= 1e-9), where
            assert np.abs(g).min() < 1e-4, where

    def lowest_in_view() -> float:
        return sampled_minimum(scene, t, trajs[0])[1]

    if cname in OFF_MAP:
        assert t is not None and t.status == cname, where
    elif cname == "flat":
        assert values["bound"] <= FLAT and gnorm(t, values["step"]) < values["bound"], where
    elif cname in ("at_minimum", "lowest_minimum", "local_minimum"):
        at_kind("minimum")
        low = lowest_in_view()
        f = float(t.values[-1])
        if cname == "lowest_minimum":
            assert f <= low + 1e-3 * max(1.0, abs(low)), where
        if cname == "local_minimum":
            assert f > low + 1e-3, where
    elif cname == "at_maximum":
        at_kind("maximum")
    elif cname == "near_saddle":
        at_kind("saddle")
    elif cname == "at_saddle":
        at_kind("saddle")
    elif cname in ("still_moving", "frozen"):
        # moving: the last 10 steps cover at least a ten-thousandth of the view (the narration's
        # bound is ten times that); frozen: they cover under 1 % of it, or --tol ended the run
        width = max(hi - lo for lo, hi in view_of(scene, t, trajs[0]))
        tail = float(np.linalg.norm(np.diff(t.points[-11:], axis=0), axis=1).sum())
        if cname == "still_moving":
            assert t.status == "max_steps" and tail >= 1e-4 * width, where
        else:
            assert t.status not in OFF_MAP and (tail < 1e-2 * width or t.status == "converged"), where
            # the distances it states: the radius is 2 % of the view; the nearest critical
            # point is one (the gradient vanishes there) at that distance
            assert abs(values["near"] - 0.02 * width) <= 1e-9 * width, where
            if values["point"] is not None:
                p = np.asarray(values["point"], dtype=float)
                assert np.linalg.norm(fd_grad(t, p)) < 1e-4, where
                assert abs(np.linalg.norm(t.end - p) - values["nearest"]) <= 1e-9 * width, where
    elif cname == "crawling":
        width = max(hi - lo for lo, hi in view_of(scene, t, trajs[0]))
        path = float(np.linalg.norm(np.diff(t.points, axis=0), axis=1).sum())
        assert path < 0.05 * width and t.status not in OFF_MAP, where
    elif cname in ("lowest", "as_low_elsewhere", "caught_higher", "higher"):
        # compare's summary: f as printed (three decimals) against the lowest printed f
        on_map = [u for u in trajs if u.status not in OFF_MAP]
        low = min(float(f"{u.values[-1]:.3f}") for u in on_map)
        mine = float(f"{t.values[-1]:.3f}")
        assert t.status not in OFF_MAP, where
        assert (mine == low) == (cname in ("lowest", "as_low_elsewhere")), where
        if cname == "caught_higher":
            at_kind("minimum")
    elif cname == "overshooting":
        axis, until = values["axis"], values["until"]
        m = sampled_minimum(scene, t, trajs[0])[0]
        xs = t.points[: until + 1, axis] - m[axis]
        assert len(xs) >= 3, where
        assert all(xs[i] * xs[i + 1] < 0 and abs(xs[i + 1]) > abs(xs[i]) for i in range(len(xs) - 1)), where
    elif cname == "escaped":
        # the basin of the lowest minimum: from each of the last points, f falls all the way
        # along the straight line to it
        m, _ = sampled_minimum(scene, t, trajs[0])
        for x in t.points[-max(1, len(t.points) // 10) :, 0]:
            f = fvals(t, np.linspace(x, m[0], 2001)[:, None])
            assert np.all(np.diff(f) <= 1e-6), where
    elif cname in ("arrived", "stalled"):
        m = sampled_minimum(scene, t, trajs[0])[0]
        d0, d = np.linalg.norm(t.points[0] - m), np.linalg.norm(t.end - m)
        grid_err = 1e-6  # the refined grid search finds the minimum to about 1e-7
        if cname == "arrived":
            assert t.status not in OFF_MAP and d <= 0.01 * d0 + grid_err, where
        else:
            ds = np.linalg.norm(t.points - m, axis=1)
            assert t.status not in OFF_MAP and d > 0.1 * d0 - grid_err and np.all(ds <= d0 + grid_err), where
    elif cname == "arrived_in_f":
        # a race's arrival: from its step to the end, f stays within 1e-4 of the start's gap
        # above the lowest value in view (found here by the grid search); ranks follow the steps
        fstar = sampled_minimum(scene, t, trajs[0])[1]
        step = values["step"]
        gap = t.values[0] - fstar
        assert np.all(t.values[step:] - fstar <= 1e-4 * gap + 1e-9 * max(1.0, abs(fstar))), where
        assert step == 0 or np.any(t.values[:step] - fstar > 1e-4 * gap - 1e-9), where
        # the bar the caption quotes: f stays under it from the step on, and is over it before
        assert np.all(t.values[step:] <= values["bar"] + 1e-9), where
        assert step == 0 or t.values[step - 1] > values["bar"] - 1e-9, where
    elif cname == "blew_up":
        axis = values["axis"]
        lo, hi = BOOK_VIEW[axis] if t.points.shape[1] == 2 else view_of(scene, t, trajs[0])[0]
        v0, v = abs(t.points[0, axis]), abs(t.end[axis])
        assert t.status == "diverged" or v > 10 * v0, where
        assert not lo <= t.end[axis] <= hi, where
    elif cname == "settles_first":
        m = sampled_minimum(scene, t, trajs[0])[0]

        def when(c: int) -> int:
            off = np.abs(t.points[:, c] - m[c])
            hit = np.flatnonzero(off <= 0.01 * off[0] + 1e-7)
            return int(hit[0]) if len(hit) else 10**9

        assert when(1) <= when(0), where
    elif cname == "optimizer":
        assert values["optimizer"] == t.settings.optimizer, where
    elif cname == "nearer":
        m = sampled_minimum(scene, t, trajs[0])[0]
        other = trajs[values["other"]]
        assert np.linalg.norm(t.end - m) < np.linalg.norm(other.end - m) + 1e-6, where
    elif cname == "apart":
        assert f"{trajs[0].end[0]:.3f}" != f"{trajs[1].end[0]:.3f}", where
    elif cname == "noise":
        assert trajs[0].settings.noise > 0 and trajs[1].settings.noise == 0, where
    elif cname == "towards":
        assert abs(t.points[1, 0]) < abs(t.points[0, 0]), where
    elif cname == "shrinking":
        s = values["step"]
        steps = np.abs(np.diff(t.points[: s + 1, 0]))
        assert abs(t.grads[s, 0]) < 0.05 and np.all(np.diff(steps) < 0), where
    elif cname == "near_x_axis":
        assert abs(t.points[0, 1]) < 0.05 * abs(t.points[0, 0]), where
    elif cname == "rolls_in":
        s = values["step"]
        assert abs(t.points[s, 0]) < 0.05 * abs(t.points[0, 0]) and abs(t.points[s, 1]) > abs(
            t.points[0, 1]
        ), where
    elif cname == "off_along_y":
        assert t.status == "left_domain" and abs(t.end[1]) >= abs(t.end[0]), where
    elif cname == "y_grows":
        assert abs(t.end[1]) > abs(t.points[0, 1]) and abs(t.end[0]) < abs(t.points[0, 0]), where
    elif cname == "ran_farther":
        a = np.linalg.norm(trajs[0].end - trajs[0].points[0])
        b = np.linalg.norm(trajs[1].end - trajs[1].points[0])
        assert b > a, where
    elif cname == "three_rates":
        assert len({x.settings.lr for x in trajs}) == 3 and len({x.steps for x in trajs}) == 1, where
        assert {x.settings.optimizer for x in trajs} == {"gd"}, where
    elif cname == "jumps_past":
        s = values["step"]
        a, b = sorted((t.points[s - 1, 0], t.points[s, 0]))
        # a minimum of f (f′ changes sign from - to +) lies between the two points
        xs = np.linspace(a, b, 4001)
        g = np.gradient(fvals(t, xs[:, None]), xs)
        ends = fd_grad(t, np.array([a]))[0] < 0 < fd_grad(t, np.array([b]))[0]
        assert ends or np.any((g[:-1] < 0) & (g[1:] >= 0)), where
        # and it is the first minimum downhill from the start
        x0, m = t.points[0, 0], values["minimum"][0]
        assert a < m < b, where
        assert np.all(np.diff(fvals(t, np.linspace(x0, m, 2001)[:, None])) <= 1e-9), where
    elif cname == "poorer_minimum":
        # it ends in the basin of a minimum higher than the one it jumped over: f falls all the
        # way from the end to that minimum, which is one (f′ changes sign there)
        jumped, ends_in = values["jumped"][0], values["ends_in"][0]
        assert t.status not in OFF_MAP, where
        assert np.all(np.diff(fvals(t, np.linspace(t.end[0], ends_in, 2001)[:, None])) <= 1e-9), where
        assert kind_at(t, np.array([ends_in])) == "minimum" and kind_at(t, np.array([jumped])) == "minimum", (
            where
        )
        assert fvals(t, [[ends_in]])[0] > fvals(t, [[jumped]])[0] + 1e-6, where
        # and it is in that minimum: within 2 % of the view's width of it
        ((lo, hi),) = view_of(scene, t, trajs[0])
        assert abs(t.end[0] - ends_in) < 0.02 * (hi - lo), where
    elif cname == "three_schedules":
        assert len({x.settings.schedule for x in trajs}) == 3 and trajs[0].settings.noise > 0, where
    elif cname == "constant_noisy":
        assert t.settings.schedule == "constant" and t.settings.noise > 0, where
    elif cname == "steeper_x2":
        h = np.diag(fd_hessian(trajs[0], np.zeros(2)))
        assert h[1] > 1.5 * h[0] > 0, where
    elif cname == "crawls_along_x1":
        m = sampled_minimum(scene, t, trajs[0])[0]
        assert abs(t.end[1] - m[1]) <= 0.01 * abs(t.points[0, 1] - m[1]) + 1e-6, where
        assert np.linalg.norm(t.end - m) > 0.1 * np.linalg.norm(t.points[0] - m) - 1e-6, where
    elif cname == "flips_and_averages":
        g2 = np.array(values["g2"])
        flips = int(np.sum(g2[1:] * g2[:-1] < 0))
        assert len(g2) >= 3 and flips >= 0.75 * (len(g2) - 1), where
        assert abs(values["v2"]) < 0.5 * np.abs(g2[:-1]).mean(), where
        assert abs(t.state["v"][len(g2) - 1, 1] - values["v2"]) == 0, where
    elif cname == "less_memory":
        assert t.settings.optimizer == "momentum" and t.settings.beta < trajs[0].settings.beta, where
    elif cname == "s_grew_steps_shrank":
        s4 = t.state["s"][4]
        dx = np.abs(np.diff(t.points[:5, 1]))
        assert s4[1] > s4[0] and dx[-1] < dx[0], where
    elif cname == "s_shrinks_steps_long":
        s = t.state["s"]
        other = trajs[1]
        assert np.all(s[6] < s[5]), where
        assert np.linalg.norm(t.points[6] - t.points[5]) > np.linalg.norm(
            other.points[6] - other.points[5]
        ), where
    elif cname == "steps_about_eta":
        first = np.abs(np.diff(t.points[:4], axis=0))
        eta = t.settings.lr
        assert np.all((first > 0.5 * eta) & (first < 1.5 * eta)), where
    elif cname == "all_minima":
        for c in values["centres"]:
            assert np.linalg.norm(fd_grad(trajs[0], np.array([c]))) < FLAT * 1.01 + 1e-6, where
            assert kind_at(trajs[0], np.array([c])) == "minimum", where
    elif cname == "roll_apart":
        # basins: two neighbouring starts (no start between them) that end at different places
        a, b = values["balls"]
        starts = [u.points[0, 0] for u in trajs]
        lo, hi = sorted((starts[a], starts[b]))
        assert not any(lo < s < hi for s in starts), where
        assert abs(trajs[a].end[0] - trajs[b].end[0]) > 1e-3, where
        assert values["steps"] >= 1, where
    elif cname.startswith("ends"):
        # compare / custom / describe: the verdict says what kind of point the end is
        kind = cname.removeprefix("ends").strip("_").replace("_", " ")
        if kind in ("minimum", "maximum", "saddle"):
            assert np.linalg.norm(fd_grad(t, t.end)) < 1e-3, where
            assert kind_at(t, t.end) in (kind, "flat"), where
        elif kind == "not critical":
            assert np.linalg.norm(fd_grad(t, t.end)) > 1e-5, where
        else:
            assert kind == "", where
            assert np.isclose(values["grad"], gnorm(t)), where
    elif cname == "on_map":
        assert t.status not in OFF_MAP, where
        if t.points.shape[1] == 2 and scene in VIEWS:
            assert all(lo <= v <= hi for v, (lo, hi) in zip(t.end, VIEWS[scene], strict=True)), where
    else:
        pytest.fail(f"{scene}: no checker for claim {cname!r}")


# ---- numbers in captions ------------------------------------------------------------------
NUMBER = re.compile(r"(?<![\w.′″])[-−]?\d+(?:\.\d+)?(?:e[-+]?\d+)?")
CONSTANTS = {0.0, 0.05, 2.0}  # the sentences' own: "x = 0", "f′ < 0.05", "∂f/∂x = 2x"


def pool(trajs: Sequence[Trajectory]) -> np.ndarray:
    """Every number a caption may print: the arrays, their distances, the settings, the steps."""
    out: list[np.ndarray] = [np.array(sorted(CONSTANTS))]
    for t in trajs:
        p = t.points
        out += [p.ravel(), t.values, t.grads.ravel(), np.linalg.norm(t.grads, axis=1)]
        out += [np.linalg.norm(p, axis=1), np.linalg.norm(p - p[0], axis=1)]
        out += [np.linalg.norm(np.diff(p, axis=0), axis=1), np.abs(np.diff(p, axis=0)).ravel()]
        out += [np.array([np.linalg.norm(p[-k:], axis=1).mean() for k in range(1, min(10, len(p)) + 1)])]
        out += [a.ravel() for a in t.state.values()]
        if t.lrs is not None:
            out.append(t.lrs)
        s = t.settings
        out.append(
            np.array([s.lr, s.beta, s.gamma, s.rho, s.beta1, s.beta2, s.noise, s.seed, s.steps, *s.start])
        )
        out.append(np.arange(len(p) + 1, dtype=float))
        out.append(np.arange(len(trajs) + 1, dtype=float))  # counts of balls (basins' groups)
        if p.shape[1] == 2:  # curvature ratios (ill-conditioned's "x2 is 20 times steeper")
            h = np.diag(fd_hessian(t, np.zeros(2)))
            if h[0] != 0:
                out.append(np.array([h[1] / h[0]]))
        for num in NUMBER.findall(t.settings.landscape_obj.plain):
            out.append(np.array([float(num.replace("−", "-"))]))
    allv = np.concatenate([np.asarray(a, dtype=float).ravel() for a in out])
    allv = allv[np.isfinite(allv)]
    return np.concatenate([allv, -allv])


def check_numbers(caption: str, trajs: Sequence[Trajectory], scene: str, values: np.ndarray) -> None:
    for text in NUMBER.findall(caption):
        v = float(text.replace("−", "-"))
        decimals = len(text.split(".")[1].split("e")[0]) if "." in text else 0
        exponent = int(text.split("e")[1]) if "e" in text else 0
        # to the printed digits (and to :g's six significant ones)
        tol = max(0.5 * 10.0 ** (exponent - decimals), 5e-6 * abs(v)) * (1 + 1e-9)
        assert np.any(np.abs(values - v) <= tol), f"{scene}: {text} in {caption!r} is no number of the run"


# ---- the command lines -------------------------------------------------------------------
def scene_names() -> list[str]:
    # the network scenes' sentences are judged against a plain nn.Module in
    # tests/test_network_narration.py: their numbers are losses and weights, not a landscape's
    return [n for n in CATALOG if n != "custom" and not CATALOG[n].story_class]


@st.composite
def command_line(draw: Callable, name: str) -> list[str]:
    story = get_story(name)
    argv = ["trajectory", name]
    optimizer = draw(st.one_of(st.none(), st.sampled_from(OPTIMIZERS)))
    opt = optimizer or story.settings.optimizer
    if optimizer:
        argv += ["--optimizer", optimizer]
    hyper = HYPERPARAMETERS[opt]
    if "lr" in hyper and draw(st.booleans()):
        argv += ["--lr", repr(draw(st.floats(1e-3, 3.0)))]
    # always a step count, and at most 100: the suite's time goes into the runs, and the book's
    # own longer runs are checked by test_book_runs_say_the_book_sentences
    argv += ["--steps", str(draw(st.integers(1, 100)))]
    if "noise" in hyper and draw(st.booleans()):
        argv += ["--noise", repr(draw(st.floats(0.0, 4.0)))]
    if draw(st.booleans()):
        argv += ["--seed", str(draw(st.integers(0, 2**31)))]
    if "schedule" in hyper and draw(st.booleans()):
        argv += ["--schedule", draw(st.sampled_from(SCHEDULES))]
    flags = {"beta": "beta", "gamma": "gamma", "rho": "rho", "beta1": "beta1", "beta2": "beta2"}
    for key, flag in flags.items():
        if key in hyper and draw(st.booleans()):
            lo = 1e-3 if key == "rho" else 0.0
            argv += [f"--{flag}", repr(draw(st.floats(lo, 0.999)))]
    if draw(st.booleans()):
        ls = story.settings.landscape_obj
        box = ls.domain or (VIEWS.get(name) or ((-12.0, 12.0),) * ls.dim)
        start = [draw(st.floats(lo, hi)) for lo, hi in box[: ls.dim]]
        argv += [f"--start={','.join(repr(v) for v in start)}"]
    return argv


def run_narration(argv: list[str]) -> tuple[list[Trajectory], object]:
    args = PARSER.parse_args(argv)
    try:
        s = settings_from_args(args.name, args)
    except SettingsError:
        assume(False)
    story = get_story(args.name)
    trajs = story.trajectories(s)
    return trajs, narrate(args.name, trajs)


def check_run(name: str, trajs: Sequence[Trajectory], narration: object) -> int:
    values = pool(trajs)
    shown = 0
    shown_labels: list = []
    now = 0
    for beat in narration.beats:
        check_zoom(name, trajs, beat, now)
        now = beat.at if beat.at is not None else now
        for claim in beat.claims:
            if claim.holds:
                check_claim(
                    claim.name, trajs, {"claim": claim.name, "ball": claim.ball, "values": claim.values}, name
                )
                if claim.name == "frozen":  # its distances, checked above, may be printed
                    values = np.concatenate([values, [claim.values["near"], claim.values["nearest"]]])
                shown += 1
        check_numbers(beat.caption, trajs, name, values)
        assert not re.search(r"-0(\.0+)?(?![\d.])", beat.caption), (
            f"{name}: a negative zero in {beat.caption!r}"
        )
        for lab in (*beat.before, *beat.labels):
            if lab.ball is not None:  # a label at a ball points where the ball is drawn
                t = trajs[lab.ball]
                drawn = [
                    (p[0], v) if len(p) == 1 else tuple(p) for p, v in zip(t.points, t.values, strict=True)
                ]
                assert any(np.allclose(lab.at, d) for d in drawn), f"{name}: {lab.words} points at no ball"
        for lab in beat.labels:  # labels stay up for the rest of their act
            shown_labels.append((beat.act, lab))
    width = max(hi - lo for lo, hi in view_of(name, trajs[0], trajs[0]))
    for i, (act, a) in enumerate(shown_labels):
        for act2, b in shown_labels[i + 1 :]:
            close = act == act2 and np.linalg.norm(np.subtract(a.at, b.at)) <= 0.02 * width
            assert not close or a.words == b.words, f"{name}: {a.words!r} and {b.words!r} on one target"
    return shown


def check_zoom(name: str, trajs: Sequence[Trajectory], beat: object, now: int) -> None:
    """A zoom beat rolls, watches balls that exist, and what its labels point at lies in the
    region it watches (the zoomed view holds that region): the picture shows what is said."""
    if beat.zoom is None:
        return
    assert beat.at is not None, f"{name}: a zoom beat watches a roll"
    watched = range(len(trajs)) if beat.zoom.balls is None else beat.zoom.balls
    assert watched and all(0 <= k < len(trajs) for k in watched), f"{name}: the zoom watches no ball"
    if beat.zoom.x is not None:
        return
    first = max(now, beat.at - beat.zoom.last)
    parts = []
    for k in watched:
        t = trajs[k]
        steps = np.arange(min(first, t.steps), min(beat.at, t.steps) + 1)
        ys = t.points[steps, 1] if t.points.shape[1] == 2 else t.values[steps]
        parts.append(np.column_stack([t.points[steps, 0], ys]))
    pts = np.concatenate(parts)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    pad = 1e-9 + 1e-6 * np.abs(pts).max()
    for lab in beat.labels:
        inside = np.all(np.asarray(lab.at) >= lo - pad) and np.all(np.asarray(lab.at) <= hi + pad)
        assert inside, f"{name}: {lab.words!r} points outside the zoomed region {lo}..{hi}"


def property_check(name: str) -> None:
    """The hypothesis run of one scene: EXAMPLES command lines, each checked."""

    @settings(
        # a race tunes every ball's rate first (up to 13 runs per ball): fewer examples for it
        max_examples=EXAMPLES if name != "race" else max(EXAMPLES // 8, 1),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(command_line(name))
    def check(argv: list[str]) -> None:
        trajs, narration = run_narration(argv)
        check_run(name, trajs, narration)

    check()


def _in_worker(name: str) -> str | None:
    """One scene's property run in a worker process; the failure's report, or None."""
    torch.set_num_threads(1)
    try:
        property_check(name)
    except BaseException:  # the report travels back as text, hypothesis's example included
        return traceback.format_exc()
    return None


@pytest.fixture(scope="module")
def runs() -> Iterator[dict[str, Future]]:
    """Every scene's run, started at once on two worker processes: the rest of the suite is
    single-threaded, so the machine's second core takes half of the work."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        yield {name: pool.submit(_in_worker, name) for name in scene_names()}


@pytest.mark.parametrize("name", scene_names())
def test_every_shown_claim_holds(name: str, runs: dict[str, Future]) -> None:
    report = runs[name].result()
    assert report is None, report
