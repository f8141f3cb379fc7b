"""The network's speed figures (`roll bench` reports them): 500 training steps of a 2-16-16-1
MLP on 500 points, and a 61×61 grid of both losses over its plane."""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..settings import Settings
from . import STAND_IN
from .plane import pca_plane
from .surface import Losses
from .train import Net, train

STEPS, POINTS, GRID = 500, 500, 61


def measure(batch: int = 32) -> dict[str, Any]:
    """Wall and CPU seconds of the training run and of the grid (both losses), after a warm-up.
    Both run on one thread, so on a busy machine the CPU seconds are what an idle one takes."""
    s = Settings(STAND_IN, (0.0, 0.0), optimizer="adam", lr=0.01, steps=STEPS, tol=0.0)
    net = Net("mlp:16,16", "moons", POINTS, batch)
    train(net, s.override(steps=2))  # torch's first calls pay for its set-up
    t, c = time.perf_counter(), time.process_time()
    run = train(net, s)
    train_s, train_cpu = time.perf_counter() - t, time.process_time() - c
    plane = pca_plane(run.params)
    coords = plane.coords(run.params)
    xs = np.linspace(coords[:, 0].min() - 1, coords[:, 0].max() + 1, GRID)
    ys = np.linspace(coords[:, 1].min() - 1, coords[:, 1].max() + 1, GRID)
    t, c = time.perf_counter(), time.process_time()
    Losses(run.layout, run.train).grid(plane, xs, ys)
    Losses(run.layout, run.fresh).grid(plane, xs, ys)
    grid_s, grid_cpu = time.perf_counter() - t, time.process_time() - c
    return {
        "model": net.model,
        "points": POINTS,
        "fresh": net.fresh,
        "batch": batch,
        "steps": STEPS,
        "train_seconds": round(train_s, 3),
        "train_cpu_seconds": round(train_cpu, 3),
        "grid": f"{GRID}x{GRID}",
        "grid_seconds": round(grid_s, 3),
        "grid_cpu_seconds": round(grid_cpu, 3),
    }
