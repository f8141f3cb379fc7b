"""Losses at many weight vectors at once: the slice of the loss over a plane.

`torch.func.functional_call` runs the model at a flat weight vector and `vmap` runs it at a
batch of them, so a 61×61 grid is a few batched matrix products per chunk, not 3,721 models
one after another.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np
import torch
from torch.func import vmap

from .data import Sample
from .models import Layout, loss_fn
from .plane import Plane

CHUNK_FLOATS = 250_000  # one chunk's activations, 2 MB of float64: in cache, not in memory


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one intra-op thread here, as before afterwards. A chunk's products are small
    (cache-sized): a second OpenMP thread gains little and, on a busy machine, spins; measured
    on this 2-core machine under load, one thread took a quarter of the CPU time of two."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class Losses:
    """The mean loss of one sample at any batch of flat weight vectors."""

    def __init__(self, layout: Layout, data: Sample) -> None:
        self.layout, self.data = layout, data
        loss = loss_fn(data.task)
        self._one = lambda theta: loss(layout(theta, data.x), data.y)
        self._many = vmap(self._one)
        widest = max(s[0] for s in layout.shapes)
        self.chunk = max(1, CHUNK_FLOATS // max(1, len(data) * widest))

    def at(self, thetas: np.ndarray) -> np.ndarray:
        """(m,) losses at weights (m, P)."""
        t = torch.as_tensor(np.atleast_2d(np.asarray(thetas, dtype=np.float64)))
        out = np.empty(len(t))
        with torch.no_grad(), one_thread():
            for a in range(0, len(t), self.chunk):
                out[a : a + self.chunk] = self._many(t[a : a + self.chunk]).numpy()
        return out

    def on_plane(self, plane: Plane, coords: np.ndarray) -> np.ndarray:
        """(m,) losses at plane coordinates (m, 2)."""
        return self.at(plane.point(coords))

    def grid(self, plane: Plane, xs: Sequence[float], ys: Sequence[float]) -> np.ndarray:
        """(len(ys), len(xs)) losses over the xs × ys mesh of plane coordinates."""
        gx, gy = np.meshgrid(np.asarray(xs, dtype=float), np.asarray(ys, dtype=float))
        return self.on_plane(plane, np.stack([gx.ravel(), gy.ravel()], axis=1)).reshape(gx.shape)
