"""Planes through parameter space, and the path projected on them.

- `pca`: the plane of the path's first two principal directions, through the final weights
  (loss-landscape-anim): the SVD of every step's offset from the end. The end sits at (0, 0).
- `random`: two filter-normalised Gaussian directions through the final weights (Li et al.
  2018): each filter (a weight matrix's row: one unit's incoming weights) of a direction is
  scaled to the norm of the same filter of the weights; biases get no direction (their
  `ignore biasbn`).
- `line`: the line from the initial to the final weights (Goodfellow et al. 2015), α = 0 at
  the start and 1 at the end, and as a second axis the path's main sway off that line, of
  the same length.

A step's coordinates are its least-squares projection on the plane; its distance off the
plane is what the projection leaves out: the slice is not the path's landscape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from .models import Layout


@dataclass(frozen=True)
class Plane:
    """origin (P,) + a·axes[0] + b·axes[1]; `share`: the part of the path's squared offsets
    from the origin that the plane holds (1 when the path lies in it)."""

    kind: str
    origin: np.ndarray
    axes: np.ndarray  # (2, P)

    def coords(self, thetas: np.ndarray) -> np.ndarray:
        """(n, 2): each point's least-squares coordinates on the plane."""
        offsets = np.atleast_2d(thetas) - self.origin
        gram = self.axes @ self.axes.T
        return np.linalg.solve(gram, self.axes @ offsets.T).T

    def point(self, coords: np.ndarray) -> np.ndarray:
        """(m, P): the weights at plane coordinates (m, 2)."""
        return self.origin + np.atleast_2d(coords) @ self.axes

    def distance(self, thetas: np.ndarray) -> np.ndarray:
        """(n,): each point's Euclidean distance from the plane."""
        thetas = np.atleast_2d(thetas)
        return np.linalg.norm(thetas - self.point(self.coords(thetas)), axis=1)

    def share(self, thetas: np.ndarray) -> float:
        """How much of the path's squared distance from the origin lies in the plane."""
        off = np.atleast_2d(thetas) - self.origin
        total = float((off**2).sum())
        return 1.0 if total == 0 else 1.0 - float((self.distance(thetas) ** 2).sum()) / total


def signed(axes: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Fix each axis's sign so the path's first point has a coordinate ≤ 0 along it (the ball
    rolls from the left and from below), making a plane the same on every machine."""
    start = axes @ offsets[0]
    return axes * np.where(start > 0, -1.0, 1.0)[:, None]


def pca_plane(params: np.ndarray) -> Plane:
    """The plane of the path's first two principal directions, through its last point."""
    origin = params[-1]
    offsets = params - origin
    _, _, vt = np.linalg.svd(offsets, full_matrices=False)
    axes = _unit_pair(vt, offsets)
    return Plane("pca", origin.copy(), signed(axes, offsets))


def _unit_pair(vt: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """The first two right singular vectors; a path with fewer directions (a model of one
    parameter, a path that is a line) is completed with any unit vector orthogonal to them."""
    axes = vt[:2].copy()
    if len(axes) == 2 and np.isfinite(axes).all():
        return axes
    size = offsets.shape[1]
    first = axes[0] if len(axes) else np.eye(size)[0]
    other = np.eye(size)[int(np.argmin(np.abs(first)))]
    other = other - (other @ first) * first
    return np.stack([first, other / np.linalg.norm(other)])


def random_plane(params: np.ndarray, layout: Layout, seed: int) -> Plane:
    """Two filter-normalised Gaussian directions (seeded) through the last point."""
    origin = params[-1]
    gen = torch.Generator().manual_seed(seed)
    axes = np.zeros((2, len(origin)))
    for k in range(2):
        d = torch.randn(len(origin), generator=gen, dtype=torch.float64).numpy()
        axes[k] = filter_normalised(d, origin, layout)
    return Plane("random", origin.copy(), signed(axes, params - origin))


def filter_normalised(direction: np.ndarray, weights: np.ndarray, layout: Layout) -> np.ndarray:
    """A direction with each filter scaled to the norm of the weights' same filter, and no
    component along the biases."""
    out = np.zeros_like(direction)
    for a, b, shape in layout.filters():
        d = direction[a:b].reshape(shape[0], -1)
        w = weights[a:b].reshape(shape[0], -1)
        norms = np.linalg.norm(d, axis=1, keepdims=True)
        out[a:b] = (d / np.where(norms == 0, 1.0, norms) * np.linalg.norm(w, axis=1, keepdims=True)).ravel()
    return out


def line_plane(params: np.ndarray) -> Plane:
    """The line from the first to the last point (α from 0 to 1), and the path's main sway off
    it as the second axis, of the same length."""
    origin, end = params[0], params[-1]
    d1 = end - origin
    length = float(np.linalg.norm(d1))
    if length == 0:
        return pca_plane(params)
    unit = d1 / length
    offsets = params - origin
    rest = offsets - np.outer(offsets @ unit, unit)
    _, _, vt = np.linalg.svd(rest, full_matrices=False)
    d2 = vt[0] - (vt[0] @ unit) * unit
    if not np.isfinite(d2).all() or np.linalg.norm(d2) < 1e-12:
        d2 = _unit_pair(unit[None], offsets)[1]
    d2 = d2 / np.linalg.norm(d2) * length
    if (rest @ d2).sum() < 0:  # sway shown upwards
        d2 = -d2
    return Plane("line", origin.copy(), np.stack([d1, d2]))


def plane_of(kind: str, params: np.ndarray, layout: Layout, seed: int) -> Plane:
    """The plane `--plane` names for this path."""
    if kind == "random":
        return random_plane(params, layout, seed)
    if kind == "line":
        return line_plane(params)
    return pca_plane(params)
