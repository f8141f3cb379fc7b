"""Gradient, Hessian and the kind of a critical point, by torch.autograd.functional.

The chapter's rule: all Hessian eigenvalues positive -> minimum, all negative ->
maximum, mixed -> saddle. Where an eigenvalue is zero (x³ at 0) the Hessian cannot
decide, so the function is probed along that eigenvector: if it rises on one side and
falls on the other, the point is a saddle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.autograd.functional import hessian as _hessian
from torch.autograd.functional import jacobian as _jacobian

from .functions import Landscape


@dataclass(frozen=True)
class Critical:
    """kind is "minimum", "maximum", "saddle" or "not critical"."""

    kind: str
    eigenvalues: tuple[float, ...]
    gradient: tuple[float, ...]


def _scalar_fn(ls: Landscape) -> Callable[[torch.Tensor], torch.Tensor]:
    """f of one point (d,), as torch.autograd.functional wants it."""
    return lambda p: ls.fn(p.unsqueeze(0))[0]


def _point(point: Sequence[float]) -> torch.Tensor:
    return torch.tensor(list(point), dtype=torch.float64)


def gradient(ls: Landscape, point: Sequence[float]) -> np.ndarray:
    return _jacobian(_scalar_fn(ls), _point(point)).numpy()


def hessian(ls: Landscape, point: Sequence[float]) -> np.ndarray:
    return _hessian(_scalar_fn(ls), _point(point)).numpy()


def classify(
    ls: Landscape, point: Sequence[float], grad_tol: float = 1e-4, eig_tol: float = 1e-6, probe: float = 1e-3
) -> Critical:
    """Minimum, maximum or saddle (or not critical), with the Hessian's eigenvalues; `probe`
    is how far f is sampled along a direction where the Hessian cannot decide.

    This judges one point by its gradient alone: whether a critical point lies *near* a ball is
    `critical_points`' question (a plateau's gradient is small and no point is there)."""
    g = gradient(ls, point)
    h = hessian(ls, point)
    eig, vecs = np.linalg.eigh((h + h.T) / 2)
    result = dict(eigenvalues=tuple(float(v) for v in eig), gradient=tuple(float(v) for v in g))
    if np.linalg.norm(g) > grad_tol:
        return Critical("not critical", **result)
    signs = set()
    for lam, vec in zip(eig, vecs.T, strict=True):
        if lam > eig_tol:
            signs.add(1)
        elif lam < -eig_tol:
            signs.add(-1)
        else:
            signs |= _probe(ls, point, vec, probe)
    if signs == {1}:
        kind = "minimum"
    elif signs == {-1}:
        kind = "maximum"
    else:
        kind = "saddle"  # mixed signs, or flat both ways
    return Critical(kind, **result)


def _probe(ls: Landscape, point: Sequence[float], direction: np.ndarray, h: float = 1e-3) -> set[int]:
    """Signs of f(p ± h·v) − f(p) along a flat direction: {1} rises both ways, {1, -1} a saddle."""
    p = np.asarray(point, dtype=np.float64)
    f0 = ls.value(*p)
    out = set()
    for side in (1, -1):
        df = ls.value(*(p + side * h * direction)) - f0
        out.add(1 if df > 0 else -1 if df < 0 else 0)
    return out


def curvatures(ls: Landscape, points: np.ndarray) -> np.ndarray:
    """Second derivatives along each axis at many points at once, (n, d): f'' in 1D."""
    p = torch.as_tensor(np.asarray(points, dtype=np.float64)).clone().requires_grad_(True)
    (g,) = torch.autograd.grad(ls.fn(p).sum(), p, create_graph=True)
    out = torch.empty_like(p)
    for k in range(p.shape[1]):
        (h,) = torch.autograd.grad(g[:, k].sum(), p, retain_graph=True)
        out[:, k] = h[:, k]
    return out.detach().numpy()


@dataclass(frozen=True)
class Point:
    """A critical point found numerically: where it is, its kind, f there."""

    at: tuple[float, ...]
    kind: str
    value: float


def _grads(ls: Landscape, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f and its gradient at many points, (n,) and (n, d)."""
    t = torch.as_tensor(p, dtype=torch.float64).clone().requires_grad_(True)
    f = ls.fn(t)
    (g,) = torch.autograd.grad(f.sum(), t)
    return f.detach().numpy(), g.numpy()


def critical_points(ls: Landscape, bounds: Sequence[Sequence[float]], grid: int = 2001) -> tuple[Point, ...]:
    """Every critical point of f inside `bounds` that a dense search finds, sorted by position.

    1D: sign changes of f' on a fine grid, refined by bisection, and near-zero dips of |f'|
    that touch 0 without crossing it (x³ at 0), refined by ternary search. 2D: Newton's
    method on the gradient from a grid of starts, the converged points merged. A point is kept
    only where f′ changes sign across it or the gradient vanishes *there* (`isolated`): on a
    plateau (exp(-x) at 15, a Gaussian's flank) the gradient is tiny everywhere but nowhere
    zero, and no point is found.
    Each is classified by `classify` (Hessian eigenvalues, probes where one is 0); where f′
    changes sign across a kink (|x|), f itself says which kind it is."""
    box = [tuple(float(v) for v in b[:2]) for b in bounds]
    width = max(hi - lo for lo, hi in box)
    found = _critical_1d(ls, box[0], grid) if ls.dim == 1 else _critical_2d(ls, box)
    out = []
    for p, crossing in found:
        c = classify(ls, p, grad_tol=1e-6, probe=PROBE * width)
        kind = c.kind
        if kind == "not critical" and crossing:  # a kink: f′ jumps across 0 without passing it
            kind = _kink(ls, p, PROBE * width)
        elif kind != "not critical" and not crossing and not isolated(ls, p, PROBE * width):
            kind = "not critical"
        if kind != "not critical":
            out.append(Point(tuple(float(v) for v in p), kind, ls.value(*p)))
    return tuple(sorted(out, key=lambda q: q.at))


# a critical point is judged against its surroundings at a thousandth of the view's width:
# about a pixel on screen, far below any distance a sentence states
PROBE = 1e-3
# the gradient vanishes at a point when it is a millionth of the largest one at PROBE around it
VANISHES = 1e-6


def isolated(ls: Landscape, point: Sequence[float], r: float) -> bool:
    """The gradient vanishes here, not merely is small everywhere around: each component of
    ∇f(p) is below VANISHES of its largest value on a ring (1D: the two neighbours) of radius
    r. On a plateau (tanh's far flank, a Gaussian's) the component along it is as small around
    the point as at it, and the point is refused."""
    p = np.asarray(point, dtype=np.float64)
    if len(p) == 1:
        ring = np.array([[1.0], [-1.0]])
    else:
        a = np.linspace(0, 2 * np.pi, 12, endpoint=False)
        ring = np.stack([np.cos(a), np.sin(a)], axis=1)
    _, g = _grads(ls, np.vstack([p[None, :], p + r * ring]))
    if not np.isfinite(g).all():
        return False
    here, around = np.abs(g[0]), np.abs(g[1:]).max(axis=0)
    return bool(np.all(around > 0) and np.all(here <= VANISHES * around))


def _kink(ls: Landscape, point: Sequence[float], h: float) -> str:
    """1D, where f′ changes sign without vanishing: f rises both ways (minimum), falls both
    ways (maximum), or neither (not critical)."""
    x = float(point[0])
    f0, fl, fr = ls.value(x), ls.value(x - h), ls.value(x + h)
    if fl > f0 and fr > f0:
        return "minimum"
    if fl < f0 and fr < f0:
        return "maximum"
    return "not critical"


def _critical_1d(ls: Landscape, span: tuple[float, float], grid: int) -> list[tuple[tuple[float], bool]]:
    """Candidates, each with whether f′ changes sign across it."""
    lo, hi = span
    xs = np.linspace(lo, hi, grid)
    _, g = _grads(ls, xs[:, None])
    g = g[:, 0]
    ok = np.isfinite(g)
    scale = max(1.0, float(np.abs(g[ok]).max())) if ok.any() else 1.0
    roots: list[float] = []
    # crossings: bisection on every bracket at once
    cross = np.flatnonzero(ok[:-1] & ok[1:] & (np.sign(g[:-1]) * np.sign(g[1:]) < 0))
    a, b = xs[cross].copy(), xs[cross + 1].copy()
    ga = g[cross].copy()
    for _ in range(80):
        m = (a + b) / 2
        _, gm = _grads(ls, m[:, None])
        left = np.sign(gm[:, 0]) == np.sign(ga)
        a, ga = np.where(left, m, a), np.where(left, gm[:, 0], ga)
        b = np.where(left, b, m)
    crossed = [float(x) for x in (a + b) / 2]
    roots += [float(x) for x in xs[ok & (g == 0.0)]]
    # touching zeros: local dips of |f'| that come near 0
    mag = np.where(ok, np.abs(g), np.inf)
    # a dip is a candidate only where |f'| is already small and no crossing is beside it
    near = set(cross.tolist()) | set((cross + 1).tolist())
    dips = [
        i
        for i in range(1, grid - 1)
        if mag[i] <= mag[i - 1] and mag[i] <= mag[i + 1] and mag[i] < 1e-2 * scale and i not in near
    ]
    for i in dips:
        a1, b1 = xs[i - 1], xs[i + 1]
        for _ in range(100):
            m1, m2 = a1 + (b1 - a1) / 3, b1 - (b1 - a1) / 3
            _, gg = _grads(ls, np.array([[m1], [m2]]))
            if abs(gg[0, 0]) < abs(gg[1, 0]):
                b1 = m2
            else:
                a1 = m1
        x = (a1 + b1) / 2
        if abs(_grads(ls, np.array([[x]]))[1][0, 0]) < 1e-9 * scale:
            roots.append(float(x))
    merged = _merge(sorted(roots + crossed), (hi - lo) * 1e-7)
    return [((x,), any(abs(x - c) <= (hi - lo) * 1e-7 for c in crossed)) for x in merged]


def _merge(xs: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for x in xs:
        if not out or x - out[-1] > tol:
            out.append(x)
    return out


def _critical_2d(
    ls: Landscape, box: list[tuple[float, float]], n: int = 15
) -> list[tuple[tuple[float, ...], bool]]:
    (x0, x1), (y0, y1) = box
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    p = torch.tensor(np.stack([gx.ravel(), gy.ravel()], axis=1), dtype=torch.float64)
    for _ in range(60):
        q = p.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(ls.fn(q).sum(), q, create_graph=True)
        rows = [torch.autograd.grad(g[:, k].sum(), q, retain_graph=True)[0] for k in range(2)]
        h = torch.stack(rows, dim=1).detach()
        g = g.detach()
        det = h[:, 0, 0] * h[:, 1, 1] - h[:, 0, 1] * h[:, 1, 0]
        safe = det.abs() > 1e-12
        d0 = torch.where(
            safe, (h[:, 1, 1] * g[:, 0] - h[:, 0, 1] * g[:, 1]) / torch.where(safe, det, 1.0), 0.0
        )
        d1 = torch.where(
            safe, (h[:, 0, 0] * g[:, 1] - h[:, 1, 0] * g[:, 0]) / torch.where(safe, det, 1.0), 0.0
        )
        p = p - torch.stack([d0, d1], dim=1)
        p = torch.where(torch.isfinite(p), p, torch.tensor(np.inf, dtype=torch.float64))
    pts = p.numpy()
    keep = np.isfinite(pts).all(axis=1)
    pts = pts[keep]
    inside = (pts[:, 0] >= x0) & (pts[:, 0] <= x1) & (pts[:, 1] >= y0) & (pts[:, 1] <= y1)
    pts = pts[inside]
    if not len(pts):
        return []
    _, g = _grads(ls, pts)
    pts = pts[np.linalg.norm(g, axis=1) < 1e-8]
    tol = 1e-6 * max(x1 - x0, y1 - y0)
    out: list[np.ndarray] = []
    for q in pts:
        if all(np.abs(q - r).max() > tol for r in out):
            out.append(q)
    return [(tuple(float(v) for v in q), False) for q in out]


def basin(points: Sequence[Point], x: float, span: Sequence[float]) -> tuple[float, float]:
    """1D: the stretch around x between the nearest critical points that are not minima (or the
    view's edges): gradient descent with small steps from anywhere in it ends at one minimum."""
    lo, hi = float(span[0]), float(span[1])
    for p in points:
        if p.kind == "minimum":
            continue
        if p.at[0] <= x:
            lo = max(lo, p.at[0])
        else:
            hi = min(hi, p.at[0])
    return lo, hi


def critical_near(ls: Landscape, at: Sequence[float], bounds: Sequence[Sequence[float]]) -> Point | None:
    """The critical point Newton's method on the gradient reaches from `at` (a ball's end), if
    it converges inside `bounds` to a place where the gradient vanishes: the grid search can
    miss one of many small wells (ackley, rastrigin) that a ball sits in."""
    box = [tuple(float(v) for v in b[:2]) for b in bounds]
    width = max(hi - lo for lo, hi in box)
    p = torch.tensor([list(at)], dtype=torch.float64)
    for _ in range(40):
        q = p.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(ls.fn(q).sum(), q, create_graph=True)
        h = torch.stack([torch.autograd.grad(g[0, k], q, retain_graph=True)[0][0] for k in range(ls.dim)])
        g = g.detach()[0]
        try:
            step = torch.linalg.solve(h.detach(), g)
        except RuntimeError:  # a singular Hessian: no Newton step from here
            return None
        p = p - step[None, :]
        if not torch.isfinite(p).all():
            return None
        if float(step.abs().max()) <= 1e-13 * width:  # converged: Newton's steps shrink quadratically
            break
    x = tuple(float(v) for v in p[0])
    if not all(lo <= v <= hi for v, (lo, hi) in zip(x, box, strict=True)):
        return None
    _f, g = _grads(ls, np.array([x]))
    if not np.linalg.norm(g[0]) < 1e-8 or not isolated(ls, x, PROBE * width):
        return None
    c = classify(ls, x, grad_tol=1e-6, probe=PROBE * width)
    return None if c.kind == "not critical" else Point(x, c.kind, ls.value(*x))
