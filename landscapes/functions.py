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
    minima: tuple[tuple[float, ...], ...] = ()  # the known (global, then local) minima, where known

    def __call__(self, points: torch.Tensor) -> torch.Tensor:
        return self.fn(points)

    def value(self, *coords: float) -> float:
        """f at one point, as a Python float (for labels and tests)."""
        p = torch.tensor([coords], dtype=torch.float64)
        return float(self.fn(p)[0])

    def with_domain(self, domain: Bounds | None) -> Landscape:
        return Landscape(self.name, self.dim, self.fn, domain, self.latex, self.plain, self.minima)


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


# The classic test functions of optimization, in two variables, on their usual domains (the
# minima to the printed digits of the literature; exact where the form is closed).
def _rosenbrock(p: torch.Tensor) -> torch.Tensor:
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _rastrigin(p: torch.Tensor) -> torch.Tensor:
    x, y = p[..., 0], p[..., 1]
    return 20 + (x**2 - 10 * torch.cos(2 * math.pi * x)) + (y**2 - 10 * torch.cos(2 * math.pi * y))


def _himmelblau(p: torch.Tensor) -> torch.Tensor:
    x, y = p[..., 0], p[..., 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _beale(p: torch.Tensor) -> torch.Tensor:
    x, y = p[..., 0], p[..., 1]
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _booth(p: torch.Tensor) -> torch.Tensor:
    x, y = p[..., 0], p[..., 1]
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def _camel(p: torch.Tensor) -> torch.Tensor:
    x, y = p[..., 0], p[..., 1]
    return 2 * x**2 - 1.05 * x**4 + x**6 / 6 + x * y + y**2


def _styblinski(p: torch.Tensor) -> torch.Tensor:
    return 0.5 * (p**4 - 16 * p**2 + 5 * p).sum(dim=-1)


def _ackley(p: torch.Tensor) -> torch.Tensor:
    x, y = p[..., 0], p[..., 1]
    r = torch.sqrt(0.5 * (x**2 + y**2))
    waves = 0.5 * (torch.cos(2 * math.pi * x) + torch.cos(2 * math.pi * y))
    return -20 * torch.exp(-0.2 * r) - torch.exp(waves) + math.e + 20


# styblinski-tang's minimum in each coordinate: the least root of 4x³ − 32x + 5 = 0, i.e. of
# x³ + px + q with p = −8, q = 1.25, by the trigonometric form of the cubic's roots
_ST = 2 * math.sqrt(8 / 3) * math.cos(math.acos(3 * 1.25 / (2 * -8) * math.sqrt(3 / 8)) / 3 - 4 * math.pi / 3)
_CLASSIC = (
    (
        "rosenbrock",
        _rosenbrock,
        ((-2.0, 2.0), (-1.0, 3.0)),
        r"f(x, y) = (1 - x)^2 + 100(y - x^2)^2",
        ((1, 1),),
    ),
    (
        "rastrigin",
        _rastrigin,
        ((-5.12, 5.12), (-5.12, 5.12)),
        r"f(x, y) = 20 + x^2 - 10\cos(2\pi x) + y^2 - 10\cos(2\pi y)",
        ((0, 0),),
    ),
    (
        "himmelblau",
        _himmelblau,
        ((-5.0, 5.0), (-5.0, 5.0)),
        r"f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        ((3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
    ),
    (
        "beale",
        _beale,
        ((-4.5, 4.5), (-4.5, 4.5)),
        r"f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
        ((3, 0.5),),
    ),
    (
        "booth",
        _booth,
        ((-10.0, 10.0), (-10.0, 10.0)),
        r"f(x, y) = (x + 2y - 7)^2 + (2x + y - 5)^2",
        ((1, 3),),
    ),
    (
        "camel",
        _camel,
        ((-5.0, 5.0), (-5.0, 5.0)),
        r"f(x, y) = 2x^2 - 1.05x^4 + \frac{x^6}{6} + xy + y^2",
        ((0, 0), (-1.747552, 0.873776), (1.747552, -0.873776)),
    ),
    (
        "styblinski-tang",
        _styblinski,
        ((-5.0, 5.0), (-5.0, 5.0)),
        r"f(x, y) = \tfrac{1}{2}(x^4 - 16x^2 + 5x + y^4 - 16y^2 + 5y)",
        ((_ST, _ST),),
    ),
    (
        "ackley",
        _ackley,
        ((-5.0, 5.0), (-5.0, 5.0)),
        r"f(x, y) = -20e^{-0.2\sqrt{(x^2 + y^2)/2}} - e^{(\cos 2\pi x + \cos 2\pi y)/2} + e + 20",
        ((0, 0),),
    ),
)
CLASSIC: dict[str, Landscape] = {
    name: Landscape(
        name, 2, fn, domain, latex, LANDSCAPES[name], tuple(tuple(float(v) for v in m) for m in minima)
    )
    for name, fn, domain, latex, minima in _CLASSIC
}
NAMED: dict[str, Landscape] = {**CHAPTER, **CLASSIC}


def get_landscape(name: str) -> Landscape:
    try:
        return NAMED[name]
    except KeyError:
        raise SettingsError(
            f"unknown landscape {name!r}; choose one of {', '.join(NAMED)} or give --function"
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


def sample_gradients(ls: Landscape, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f and its autograd gradient at many points (n, d), for drawing on a surface: (n,), (n, d)."""
    t = torch.as_tensor(np.asarray(points, dtype=np.float64)).clone().requires_grad_(True)
    f = ls.fn(t)
    (g,) = torch.autograd.grad(f.sum(), t)
    return f.detach().numpy(), g.numpy()
