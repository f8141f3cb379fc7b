"""The chapter's loss landscapes as batched torch functions.

Every function takes points of shape (batch, dim) and returns values of shape (batch,),
so many balls are evaluated in one call and autograd gives every ball its own gradient.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from .errors import SettingsError

TorchFn = Callable[[torch.Tensor], torch.Tensor]
Bounds = tuple[tuple[float, float], ...]  # (lower, upper) per coordinate


@dataclass(frozen=True)
class Landscape:
    """A named function of 1 or 2 variables, with where it lives and how to write it."""

    name: str
    dim: int
    fn: TorchFn
    domain: Bounds | None
    latex: str
    plain: str

    def __call__(self, points: torch.Tensor) -> torch.Tensor:
        return self.fn(points)

    def value(self, *coords: float) -> float:
        """f at one point, as a Python float (for labels and tests)."""
        p = torch.tensor([coords], dtype=torch.float64)
        return float(self.fn(p)[0])

    def with_domain(self, domain: Bounds | None) -> Landscape:
        return Landscape(self.name, self.dim, self.fn, domain, self.latex, self.plain)


def _f(p: torch.Tensor) -> torch.Tensor:
    x = p[..., 0]
    return x * torch.cos(math.pi * x)


def _g(p: torch.Tensor) -> torch.Tensor:
    return _f(p) + 0.2 * torch.cos(5 * math.pi * p[..., 0])


def _cube(p: torch.Tensor) -> torch.Tensor:
    return p[..., 0] ** 3


def _saddle(p: torch.Tensor) -> torch.Tensor:
    return p[..., 0] ** 2 - p[..., 1] ** 2


def _tanh(p: torch.Tensor) -> torch.Tensor:
    return torch.tanh(p[..., 0])


CHAPTER: dict[str, Landscape] = {
    ls.name: ls
    for ls in (
        Landscape("f", 1, _f, ((-1.0, 2.0),), r"f(x) = x\cos(\pi x)", "f(x) = x·cos(πx)"),
        Landscape(
            "g",
            1,
            _g,
            ((-1.0, 2.0),),
            r"g(x) = f(x) + 0.2\cos(5\pi x)",
            "g(x) = f(x) + 0.2·cos(5πx)",
        ),
        Landscape("cube", 1, _cube, ((-2.0, 2.0),), r"f(x) = x^3", "f(x) = x³"),
        Landscape(
            "saddle", 2, _saddle, ((-1.0, 1.0), (-1.0, 1.0)), r"f(x, y) = x^2 - y^2", "f(x, y) = x² − y²"
        ),
        Landscape("tanh", 1, _tanh, ((-2.0, 5.0),), r"f(x) = \tanh(x)", "f(x) = tanh(x)"),
    )
}


def get_landscape(name: str) -> Landscape:
    try:
        return CHAPTER[name]
    except KeyError:
        raise SettingsError(
            f"unknown landscape {name!r}; choose one of {', '.join(CHAPTER)} or give --function"
        ) from None


def sample(ls: Landscape, xs: np.ndarray, ys: np.ndarray | None = None) -> np.ndarray:
    """Values on a grid, for drawing: f(xs) in 1D, f on the xs × ys mesh (len(ys), len(xs)) in 2D."""

    with torch.no_grad():
        if ys is None:
            pts = torch.as_tensor(np.asarray(xs, dtype=np.float64))[:, None]
            return ls.fn(pts).numpy()
        gx, gy = np.meshgrid(np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64))
        pts = torch.as_tensor(np.stack([gx.ravel(), gy.ravel()], axis=1))
        return ls.fn(pts).numpy().reshape(gx.shape)
