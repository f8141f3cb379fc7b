"""A reader's check of the words beyond the chapter, written apart from the code it checks.

It reads the sentences a narration shows (compare's legend verdicts and summary, custom's
ending, basins' words, a story file's captions and their fallbacks) and judges each against
the run's arrays and the landscape, with its own critical-point search (a grid of f by
finite differences, sign changes refined by Brent's method in 1D, Newton's method on the
finite-difference gradient from the grid's dips in 2D) and its own thresholds, looser than the
narration's so that only clear contradictions count. It never calls `landscapes.critical` or
`landscapes.claims`.

`judge_*` return a list of findings `(claim, why)`; an empty list means every sentence held.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import torch
from scipy.optimize import brentq

OFF_MAP = {"diverged", "left_domain", "undefined", "singular"}
REACH = 50.0  # the scenes follow a runaway ball this far from its start when fitting the view
# the checker's own thresholds (the narration's are tighter: a sentence on the border is not
# counted against it)
NEAR = 0.03  # a ball is "at" a critical point within 3 % of the view's width
STILL = 1e-4  # "still moving" is false when the last 10 steps cover less than this share of the view
MOVING = 1e-2  # "stopped"/"frozen" is false when they cover more than this share
TAIL = 10
CRAWL = 0.06  # "crawling": the whole path under 6 % of the view


Finding = tuple[str, str]


def fvals(ls, pts: np.ndarray) -> np.ndarray:
    p = np.atleast_2d(np.asarray(pts, dtype=float))
    with torch.no_grad():
        return ls.fn(torch.as_tensor(p, dtype=torch.float64)).numpy()


def fd_grad(ls, pts: np.ndarray, h: float) -> np.ndarray:
    """Central differences at many points, (n, d)."""
    p = np.atleast_2d(np.asarray(pts, dtype=float))
    out = np.empty_like(p)
    for k in range(p.shape[1]):
        e = np.zeros(p.shape[1])
        e[k] = h
        out[:, k] = (fvals(ls, p + e) - fvals(ls, p - e)) / (2 * h)
    return out


def fd_hess(ls, p: np.ndarray, h: float) -> np.ndarray:
    d = len(p)
    out = np.zeros((d, d))
    for i in range(d):
        for j in range(d):
            ei, ej = np.zeros(d), np.zeros(d)
            ei[i], ej[j] = h, h
            f = fvals(ls, np.array([p + ei + ej, p + ei - ej, p - ei + ej, p - ei - ej]))
            out[i, j] = (f[0] - f[1] - f[2] + f[3]) / (4 * h * h)
    return out


def fitted_view(paths: Sequence[np.ndarray], domain) -> list[tuple[float, float]]:
    """What compare and custom draw: the domain, else the visited stretch (each path followed up
    to REACH from its start), padded by 15 % (at least 1)."""
    d = paths[0].shape[1]
    if domain is not None:
        return [tuple(map(float, domain[k][:2])) for k in range(d)]
    out = []
    for k in range(d):
        xs = np.concatenate([p[np.abs(p[:, k] - paths[0][0, k]) <= REACH, k] for p in paths])
        lo, hi = float(xs.min()), float(xs.max())
        pad = max(1.0, 0.15 * (hi - lo))
        out.append((lo - pad, hi + pad))
    return out


@dataclass(frozen=True)
class CPoint:
    at: np.ndarray
    kind: str
    f: float


class Land:
    """A landscape over a view, with the checker's own critical points."""

    def __init__(self, ls, view: Sequence[tuple[float, float]]) -> None:
        self.ls = ls
        self.view = [tuple(map(float, v[:2])) for v in view]
        self.width = max(hi - lo for lo, hi in self.view)

    @cached_property
    def points(self) -> list[CPoint]:
        return self._points_1d() if len(self.view) == 1 else self._points_2d()

    def _kind(self, p: np.ndarray) -> str:
        d = 1e-3 * self.width
        if len(p) == 1:
            f0 = fvals(self.ls, p[None])[0]
            fl, fr = fvals(self.ls, np.array([p - d, p + d]))
            tol = 1e-13 * max(1.0, abs(f0))
            up = (fl > f0 + tol, fr > f0 + tol)
            down = (fl < f0 - tol, fr < f0 - tol)
            if all(up):
                return "minimum"
            if all(down):
                return "maximum"
            return "saddle" if any(up) and any(down) else "flat"
        eig = np.linalg.eigvalsh(fd_hess(self.ls, p, d))
        scale = max(1e-12, float(np.abs(eig).max()))
        if eig.min() > 1e-6 * scale:
            return "minimum"
        if eig.max() < -1e-6 * scale:
            return "maximum"
        if eig.min() < -1e-6 * scale and eig.max() > 1e-6 * scale:
            return "saddle"
        return "flat"

    def _points_1d(self) -> list[CPoint]:
        (lo, hi) = self.view[0]
        h = 1e-6 * self.width
        xs = np.linspace(lo, hi, 4001)
        g = fd_grad(self.ls, xs[:, None], h)[:, 0]
        ok = np.isfinite(g)
        scale = float(np.abs(g[ok]).max()) if ok.any() else 0.0
        roots: list[float] = []

        def gp(x: float) -> float:
            return float(fd_grad(self.ls, np.array([[x]]), h)[0, 0])

        for i in np.flatnonzero(ok[:-1] & ok[1:] & (g[:-1] * g[1:] < 0)):
            try:
                roots.append(brentq(gp, xs[i], xs[i + 1], xtol=1e-13 * self.width))
            except ValueError:
                pass
        roots += list(xs[ok & (g == 0)])
        # touching zeros (x³ at 0): a dip of |f′| that reaches 0 to the differences' precision
        mag = np.where(ok, np.abs(g), np.inf)
        for i in range(1, len(xs) - 1):
            if mag[i] <= mag[i - 1] and mag[i] <= mag[i + 1] and mag[i] < 1e-3 * scale:
                a, b = xs[i - 1], xs[i + 1]
                for _ in range(60):
                    m1, m2 = a + (b - a) / 3, b - (b - a) / 3
                    if abs(gp(m1)) < abs(gp(m2)):
                        b = m2
                    else:
                        a = m1
                x = (a + b) / 2
                if abs(gp(x)) < 1e-8 * max(scale, 1e-300) and scale > 1e-6:
                    roots.append(x)
        out: list[CPoint] = []
        for x in sorted(roots):
            if out and abs(x - out[-1].at[0]) < 1e-6 * self.width:
                continue
            p = np.array([x])
            kind = self._kind(p)
            if kind != "flat":
                out.append(CPoint(p, kind, float(fvals(self.ls, p[None])[0])))
        return out

    def _points_2d(self) -> list[CPoint]:
        (x0, x1), (y0, y1) = self.view
        h = 1e-6 * self.width
        n = 41
        gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n), indexing="ij")
        grid = np.stack([gx.ravel(), gy.ravel()], axis=1)
        g2 = (fd_grad(self.ls, grid, h) ** 2).sum(1).reshape(n, n)
        g2 = np.where(np.isfinite(g2), g2, np.inf)
        c = g2[1:-1, 1:-1]
        dips = (
            (c <= g2[:-2, 1:-1])
            & (c <= g2[2:, 1:-1])
            & (c <= g2[1:-1, :-2])
            & (c <= g2[1:-1, 2:])
            & np.isfinite(c)
        )
        idx = np.argwhere(dips) + 1
        p = (
            np.stack([gx[idx[:, 0], idx[:, 1]], gy[idx[:, 0], idx[:, 1]]], axis=1)
            if len(idx)
            else np.zeros((0, 2))
        )
        dh = 1e-4 * self.width
        for _ in range(30):  # Newton on the finite-difference gradient, all starts at once
            if not len(p):
                break
            g = fd_grad(self.ls, p, h)
            gxp, gxm = fd_grad(self.ls, p + [dh, 0], h), fd_grad(self.ls, p - [dh, 0], h)
            gyp, gym = fd_grad(self.ls, p + [0, dh], h), fd_grad(self.ls, p - [0, dh], h)
            hxx, hxy = (gxp[:, 0] - gxm[:, 0]) / (2 * dh), (gxp[:, 1] - gxm[:, 1]) / (2 * dh)
            hyx, hyy = (gyp[:, 0] - gym[:, 0]) / (2 * dh), (gyp[:, 1] - gym[:, 1]) / (2 * dh)
            det = hxx * hyy - hxy * hyx
            with np.errstate(all="ignore"):
                dx = np.where(det != 0, (hyy * g[:, 0] - hxy * g[:, 1]) / det, 0.0)
                dy = np.where(det != 0, (hxx * g[:, 1] - hyx * g[:, 0]) / det, 0.0)
            p = p - np.stack([dx, dy], axis=1)
            p = p[np.isfinite(p).all(1)]
            if np.all(np.abs(dx) + np.abs(dy) < 1e-12 * self.width):
                break
        inside = (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
        p = p[inside]
        out: list[CPoint] = []
        r = 1e-3 * self.width
        ring = np.array([[np.cos(a), np.sin(a)] for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)])
        for q in p:
            if any(np.abs(q - o.at).max() < 1e-5 * self.width for o in out):
                continue
            # a place where the gradient vanishes: each component takes both signs around it
            around = fd_grad(self.ls, q + r * ring, h)
            if not ((around.min(0) < 0) & (around.max(0) > 0)).all():
                continue
            kind = self._kind(q)
            if kind != "flat":
                out.append(CPoint(q, kind, float(fvals(self.ls, q[None])[0])))
        return out

    def nearest(self, at: np.ndarray, kind: str | None = None) -> tuple[CPoint | None, float]:
        best, dist = None, np.inf
        for p in self.points:
            if kind is not None and p.kind != kind:
                continue
            d = float(np.linalg.norm(np.asarray(at, dtype=float) - p.at))
            if d < dist:
                best, dist = p, d
        return best, dist

    def at_kind(self, at: np.ndarray, kind: str, share: float = NEAR) -> bool:
        return self.nearest(at, kind)[1] <= share * self.width

    def lowest_minimum(self) -> float:
        fs = [p.f for p in self.points if p.kind == "minimum"]
        return min(fs) if fs else np.inf

    def same_basin(self, a: np.ndarray, b: np.ndarray) -> bool:
        """No climb on the straight way between two end points (beyond the printed digits)."""
        line = np.linspace(a, b, 801)
        f = fvals(self.ls, line)
        return bool(np.all(f <= max(f[0], f[-1]) + 5e-4))


def tail_path(t, k: int = TAIL) -> float:
    p = t.points[-(k + 1) :]
    return float(np.linalg.norm(np.diff(p, axis=0), axis=1).sum()) if len(p) > 1 else 0.0


def path_length(t) -> float:
    return float(np.linalg.norm(np.diff(t.points, axis=0), axis=1).sum())


# ---- sentences about one ball's end --------------------------------------------------------
KINDS = {"minimum", "maximum", "saddle"}


def judge_end_words(words: str, land: Land, t, who: str) -> list[Finding]:
    """One clause about where a ball ended, in any of the narration's phrasings (old and new)."""
    out: list[Finding] = []
    end = t.end
    moving = tail_path(t) / land.width
    w = words.lower()
    if t.status in OFF_MAP:
        return out
    # the kind of point claimed
    claimed = None
    for pat, kind in (
        (r"at the lowest minimum|→ minimum|ends at a minimum|local minimum|caught by a ripple", "minimum"),
        (r"→ maximum|ends at a maximum|on a maximum", "maximum"),
        (r"→ saddle|ends at a saddle|at a saddle|at the saddle", "saddle"),
    ):
        if re.search(pat, w):
            claimed = kind
            break
    if claimed:
        if not land.at_kind(end, claimed):
            p, d = land.nearest(end)
            out.append(
                (f"at_{claimed}", f"{who}: {words!r}, nearest critical point {p and p.kind} at {d:.3g}")
            )
        if "lowest minimum" in w and land.at_kind(end, "minimum"):
            if float(t.values[-1]) > land.lowest_minimum() + 1e-3 * max(1.0, abs(land.lowest_minimum())):
                out.append(
                    ("lowest_minimum", f"{who}: f = {t.values[-1]:.4g} above {land.lowest_minimum():.4g}")
                )
        if "local minimum" in w and land.at_kind(end, "minimum"):
            if float(t.values[-1]) <= land.lowest_minimum() + 1e-4:
                out.append(("local_minimum", f"{who}: this is the lowest minimum"))
    if "still moving" in w:
        if t.status != "max_steps" or moving < STILL:
            out.append(
                (
                    "still_moving",
                    f"{who}: status {t.status}, last {TAIL} steps cover {moving:.2g} of the view",
                )
            )
    # a stop --tol made is judged by the status and the gradient below, not by the motion before it
    if re.search(r"stopped|frozen|takes no more steps", w) and not claimed and "--tol" not in w:
        if moving > MOVING:
            out.append(("frozen", f"{who}: {words!r} but the last steps cover {moving:.2g} of the view"))
    if "--tol" in w:
        tol = t.settings.tol
        g = float(np.linalg.norm(fd_grad(land.ls, end[None], 1e-6 * land.width)[0]))
        if t.status != "converged" or not g < tol * 1.01 + 1e-9:
            out.append(("stopped_by_tol", f"{who}: status {t.status}, |g| = {g:.3g}, tol {tol:g}"))
    m = re.search(r"no critical point within ([0-9.e+-]+)", w)
    if m:
        r = float(m.group(1))
        p, d = land.nearest(end)
        if d < 0.5 * r:
            out.append(("no_critical_point", f"{who}: a {p.kind} at {d:.3g} < {r:g}"))
    if "no critical point in view" in w and land.points:
        p, d = land.nearest(end)
        out.append(("no_critical_point", f"{who}: a {p.kind} in view, {d:.3g} away"))
    m = re.search(r"([0-9.e+-]+) from a (minimum|maximum|saddle)", w)
    if m:
        d, kind = float(m.group(1)), m.group(2)
        found = land.nearest(end, kind)[1]
        if not 0.5 * d - 1e-9 <= found <= 2 * d + 1e-9:
            why = f"{who}: said {d:g} from a {kind}; the checker finds {found:.3g}"
            out.append(("no_critical_point", why))
    if "plateau" in w:
        g = float(np.linalg.norm(fd_grad(land.ls, end[None], 1e-6 * land.width)[0]))
        if g > 0.02:
            out.append(("plateau", f"{who}: |g| = {g:.3g}"))
    if "not a critical point" in w or "not at a minimum" in w:
        if land.at_kind(end, "minimum", 0.005) and np.linalg.norm(t.grads[-1]) < 1e-3:
            out.append(("not_critical", f"{who}: a minimum lies within 0.5 % of the view"))
    return out


# ---- compare -------------------------------------------------------------------------------
def printed(v: float) -> str:
    s = f"{v:.3f}"
    return "0.000" if s == "-0.000" else s


def judge_compare(trajs, narration, names: Sequence[str], land: Land) -> list[Finding]:
    out: list[Finding] = []
    if len(set(narration.names)) < len(narration.names):
        out.append(("distinct_names", f"legend names {narration.names}"))
    for k, (t, v) in enumerate(zip(trajs, narration.extras["verdicts"], strict=True)):
        out += judge_end_words(v, land, t, f"ball {k} ({narration.names[k]})")
    summary = narration.beats[-1].caption
    on_map = [k for k, t in enumerate(trajs) if t.status not in OFF_MAP]
    if not on_map:
        return out
    low_printed = min(float(printed(trajs[k].values[-1])) for k in on_map)
    parts = {}
    for part in summary.split("; "):
        head, _, rest = part.partition(": ")
        parts[head] = rest
    lowest_head = next((h for h in parts if h.startswith("lowest")), None)
    if lowest_head is None:
        out.append(("lowest", f"no lowest in {summary!r}"))
        return out
    m = re.search(r"f = (-?[0-9.]+)", lowest_head)
    if m and abs(float(m.group(1)) - low_printed) > 1e-9:
        out.append(("lowest", f"says f = {m.group(1)}, the lowest printed f is {low_printed:.3f}"))
    named = split_names(parts[lowest_head], names)
    best = min(on_map, key=lambda k: trajs[k].values[-1])
    for k in named:
        if float(printed(trajs[k].values[-1])) != low_printed:
            out.append(("lowest", f"{names[k]} named lowest with f = {printed(trajs[k].values[-1])}"))
        elif not land.same_basin(trajs[k].end, trajs[best].end):
            out.append(("lowest_one_basin", f"{names[k]} ends in another basin than {names[best]}"))
    said_caught = []
    for h, rest in parts.items():
        if "caught" in h:
            said_caught += split_names(rest, names)
    for k in on_map:
        t = trajs[k]
        higher = float(printed(t.values[-1])) > low_printed
        at_min = land.at_kind(t.end, "minimum", 0.01) and np.linalg.norm(t.grads[-1]) < 1e-3
        if higher and at_min and k not in said_caught:
            out.append(("caught_higher", f"{names[k]} sits in a higher minimum, untold"))
        if k in said_caught and not land.at_kind(t.end, "minimum"):
            out.append(("caught_higher", f"{names[k]} said caught in a minimum, none near"))
    return out


def split_names(text: str, names: Sequence[str]) -> list[int]:
    """Which balls a comma-separated list names (longest names first, each once)."""
    found = []
    rest = text
    for k in sorted(range(len(names)), key=lambda k: -len(names[k])):
        pat = re.escape(names[k]) + r"(?=$|,| \(|;)"
        m = re.search(r"(?:^|, )" + pat, rest)
        if m:
            found.append(k)
            rest = rest[: m.start()] + rest[m.end() :]
    return found


# ---- custom --------------------------------------------------------------------------------
def judge_custom(trajs, narration, land: Land) -> list[Finding]:
    (t,) = trajs
    return judge_end_words(narration.beats[-1].caption, land, t, "ball")


# ---- basins --------------------------------------------------------------------------------
def judge_basins(trajs, narration, land: Land) -> list[Finding]:
    out: list[Finding] = []
    words = narration.beats[-1].caption
    ends = np.array([t.end[0] for t in trajs])
    if "each shaded stretch is one minimum's basin" in words:
        order = np.argsort([t.points[0, 0] for t in trajs])
        # which minimum each ball reached, by the checker's own points
        label = []
        for k in order:
            p, d = land.nearest(np.array([ends[k]]), "minimum")
            if p is None or d > NEAR * land.width:
                out.append(("basins", f"ball {k} ended at {ends[k]:.3f}, no minimum near"))
                return out
            label.append(round(float(p.at[0]), 6))
        stretches = 1 + sum(1 for a, b in zip(label, label[1:], strict=False) if a != b)
        if stretches != len(set(label)):
            out.append(("basins", f"{len(set(label))} minima from {stretches} stretches"))
    return out
