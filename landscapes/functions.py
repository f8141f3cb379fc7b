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
from .names import LANDSCAPES

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


# The rest of the chapter (gd, sgd, momentum, adagrad, rmsprop, adam sections), written as the
# book writes them. The book runs them unbounded, so they have no domain: the ill-conditioned
# run with eta 0.6 reaches x2 = -1673 and must not be stopped at an edge.
C_XCOS = 0.15 * math.pi


def _square(p: torch.Tensor) -> torch.Tensor:
    return p[..., 0] ** 2


def _xcos(p: torch.Tensor) -> torch.Tensor:
    x = p[..., 0]
    return x * torch.cos(C_XCOS * x)


def _cosh(p: torch.Tensor) -> torch.Tensor:
    return torch.cosh(0.5 * p[..., 0])


def _bowl(p: torch.Tensor) -> torch.Tensor:
    return p[..., 0] ** 2 + 2 * p[..., 1] ** 2


def _ill(p: torch.Tensor) -> torch.Tensor:
    return 0.1 * p[..., 0] ** 2 + 2 * p[..., 1] ** 2


_DEFINED = (
    ("f", 1, _f, ((-1.0, 2.0),), r"f(x) = x\cos(\pi x)"),
    ("g", 1, _g, ((-1.0, 2.0),), r"g(x) = f(x) + 0.2\cos(5\pi x)"),
    ("cube", 1, _cube, ((-2.0, 2.0),), r"f(x) = x^3"),
    ("saddle", 2, _saddle, ((-1.0, 1.0), (-1.0, 1.0)), r"f(x, y) = x^2 - y^2"),
    ("tanh", 1, _tanh, ((-2.0, 5.0),), r"f(x) = \tanh(x)"),
    ("square", 1, _square, None, r"f(x) = x^2"),
    ("xcos", 1, _xcos, None, r"f(x) = x\cos(0.15\pi x)"),
    ("cosh", 1, _cosh, None, r"f(x) = \cosh(0.5x)"),
    ("bowl", 2, _bowl, None, r"f(x_1, x_2) = x_1^2 + 2x_2^2"),
    ("ill", 2, _ill, None, r"f(x_1, x_2) = 0.1x_1^2 + 2x_2^2"),
)
# the plain formulas live in names.LANDSCAPES, which `--help` reads without torch
CHAPTER: dict[str, Landscape] = {
    name: Landscape(name, dim, fn, domain, latex, LANDSCAPES[name])
    for name, dim, fn, domain, latex in _DEFINED
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
