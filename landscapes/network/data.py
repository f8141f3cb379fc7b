"""Seeded toy data, written here (nothing is downloaded): two moons, circles, spirals, the
book's noisy linear regression and its polynomial one.

A generator draws any number of points from one distribution, so a training sample (the
empirical risk's) and a large fresh sample (the risk's stand-in) come from the same source
with separate seeds. Inputs and targets are float64 tensors; a classification target is 0 or 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from ..errors import SettingsError

FRESH = 2000  # the held-out sample: four times a 500-point training sample, cheap on a grid
POLY_DEGREE = 20  # the book's polynomial regression keeps 20 features x^i / i!
LINEAR_W, LINEAR_B = (2.0, -3.4), 4.2  # d2l's synthetic_data: y = Xw + b + N(0, 0.01²)
POLY_W = (5.0, 1.2, -3.4, 5.6)  # d2l's underfitting/overfitting: true weights of x^i / i!


@dataclass(frozen=True)
class Sample:
    """Inputs (n, d) and targets (n, 1), float64; `task` is `classify` or `regress`."""

    x: torch.Tensor
    y: torch.Tensor
    task: str

    def __len__(self) -> int:
        return len(self.x)


def _moons(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    label = rng.integers(0, 2, n)
    t = rng.uniform(0.0, math.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    x = np.where(label[:, None] == 0, upper, lower) + rng.normal(0.0, 0.25, (n, 2))
    return x - [0.5, 0.25], label  # centred, so the first layer's biases start near the data


def _circles(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    label = rng.integers(0, 2, n)
    t = rng.uniform(0.0, 2 * math.pi, n)
    radius = np.where(label == 0, 1.0, 0.5)
    x = radius[:, None] * np.stack([np.cos(t), np.sin(t)], axis=1) + rng.normal(0.0, 0.12, (n, 2))
    return x, label


def _spirals(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    label = rng.integers(0, 2, n)
    t = np.sqrt(rng.uniform(0.0, 1.0, n)) * 3 * math.pi  # even density along the arm
    angle = t + math.pi * label
    r = t / (3 * math.pi)
    x = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1) + rng.normal(0.0, 0.04, (n, 2))
    return x, label


def _linear(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.normal(0.0, 1.0, (n, 2))
    return x, x @ np.asarray(LINEAR_W) + LINEAR_B + rng.normal(0.0, 0.01, n)


def _poly(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.normal(0.0, 1.0, n)
    feats = np.stack([x**i / math.factorial(i) for i in range(POLY_DEGREE)], axis=1)
    y = feats[:, : len(POLY_W)] @ np.asarray(POLY_W) + rng.normal(0.0, 0.1, n)
    return feats, y


Draw = Callable[[np.random.Generator, int], tuple[np.ndarray, np.ndarray]]
# name -> (generator, task, what it is)
DATA: dict[str, tuple[Draw, str, str]] = {
    "moons": (_moons, "classify", "two interleaved half circles, Gaussian noise 0.25"),
    "circles": (_circles, "classify", "two concentric circles, radii 1 and 0.5, noise 0.12"),
    "spirals": (_spirals, "classify", "two interleaved spiral arms, 1.5 turns, noise 0.04"),
    "linear": (_linear, "regress", "the book's y = 2·x1 − 3.4·x2 + 4.2 + N(0, 0.01²)"),
    "poly": (_poly, "regress", "the book's cubic in 20 features x^i/i!, noise N(0, 0.1²)"),
}


def check_data(name: str) -> str:
    """The name if known, else a one-line refusal naming --data."""
    if name not in DATA:
        raise SettingsError(f"--data {name!r}: choose one of {', '.join(DATA)}")
    return name


def draw(name: str, n: int, seed: int, stream: int) -> Sample:
    """n points of data set `name`; (seed, stream) seeds them: stream 0 trains, 1 holds out."""
    fn, task, _ = DATA[check_data(name)]
    x, y = fn(np.random.default_rng([seed, stream]), n)
    xt = torch.as_tensor(np.asarray(x, dtype=np.float64))
    yt = torch.as_tensor(np.asarray(y, dtype=np.float64)).reshape(-1, 1)
    return Sample(xt, yt, task)


def samples(name: str, n_train: int, seed: int, n_fresh: int = FRESH) -> tuple[Sample, Sample]:
    """The training sample and a large fresh sample from the same generator, seeded apart."""
    return draw(name, n_train, seed, 0), draw(name, n_fresh, seed, 1)
