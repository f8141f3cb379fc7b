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
    ls: Landscape, point: Sequence[float], grad_tol: float = 1e-4, eig_tol: float = 1e-6
) -> Critical:
    """Minimum, maximum or saddle (or not critical), with the Hessian's eigenvalues."""
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
            signs |= _probe(ls, point, vec)
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
