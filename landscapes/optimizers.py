"""Roll balls downhill: torch optimizers on a batch of starts, with autograd gradients.

All balls of a run are one (batch, dim) float64 parameter. The chapter's functions act
on each row separately, so the gradient of the summed values is every ball's own
gradient, and SGD, momentum and Adam (all element-wise) treat each ball on its own.
A ball that stops (converged, left the domain, diverged) is frozen in place while the
others go on; its arrays end where it stopped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from .errors import SettingsError
from .functions import Landscape
from .settings import Settings, check_start
from .trajectory import Trajectory

DIVERGE_AT = 1e100  # beyond this |x| a run counts as diverged: no drawing can show it
NOISE_CHUNK = 256  # noise is drawn per ball in fixed chunks, so batch and single runs agree


def _optimizer(param: torch.Tensor, s: Settings) -> torch.optim.Optimizer | None:
    """torch.optim for the stateful rules; None for plain steps, done in place in the loop.

    A plain step is the chapter's x <- x - lr * grad, the same in-place add that
    torch.optim.SGD does; taking it directly skips ~45 us of optimizer bookkeeping per step.
    """
    if s.optimizer in ("gd", "sgd"):
        return None
    if s.optimizer == "momentum":
        return torch.optim.SGD([param], lr=s.lr, momentum=s.momentum, foreach=False)
    return torch.optim.Adam([param], lr=s.lr, foreach=False)


class _Noise:
    """Gaussian gradient noise: one seeded generator per ball, drawn in chunks."""

    def __init__(self, seeds: Sequence[int], dim: int, s: Settings) -> None:
        self.gens = [torch.Generator().manual_seed(seed) for seed in seeds]
        self.dim, self.scale, self.steps, self.anneal = dim, s.noise, s.steps, s.anneal
        self.buf = torch.empty(0)
        self.offset = 0

    def scale_at(self, t: int) -> float:
        """Noise scale at step t: annealed linearly to zero at the last step."""
        return self.scale * (1 - t / self.steps) if self.anneal else self.scale

    def draw(self, t: int) -> torch.Tensor:
        if t - self.offset >= len(self.buf):
            self.offset = t
            chunks = [torch.randn(NOISE_CHUNK, self.dim, generator=g, dtype=torch.float64) for g in self.gens]
            self.buf = torch.stack(chunks, dim=1)  # (chunk, batch, dim)
        return self.buf[t - self.offset]


def _edge_point(prev: np.ndarray, new: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Where each segment prev -> new crosses the box boundary (prev is inside)."""
    delta = new - prev
    safe = np.where(delta == 0, 1.0, delta)
    frac_hi = np.where(new > hi, (hi - prev) / safe, 1.0)
    frac_lo = np.where(new < lo, (lo - prev) / safe, 1.0)
    frac = np.clip(np.minimum(frac_hi, frac_lo).min(axis=-1, keepdims=True), 0.0, 1.0)
    return np.clip(prev + frac * delta, lo, hi)


def run_batch(
    settings: Settings,
    starts: Sequence[Sequence[float]] | None = None,
    seeds: Sequence[int] | None = None,
) -> list[Trajectory]:
    """One batched run: a ball per start (or per seed); same inputs, same bits."""
    ls = settings.validate()
    if starts is None and seeds is None:
        starts, seeds = [settings.start], [settings.seed]
    elif starts is None:
        starts = [settings.start] * len(seeds)
    elif seeds is None:
        seeds = [settings.seed] * len(starts)
    if len(starts) != len(seeds):
        raise SettingsError("give as many seeds as starts")
    for st in starts:
        check_start(ls, tuple(st))
    return _roll(ls, settings, torch.tensor(starts, dtype=torch.float64), list(seeds))


def run(settings: Settings) -> Trajectory:
    """The trajectory of one ball with these settings."""
    return run_batch(settings)[0]


def _roll(ls: Landscape, s: Settings, start: torch.Tensor, seeds: list[int]) -> list[Trajectory]:
    # The update itself (autograd gradient, noise, optimizer step) is torch; the bookkeeping
    # (checks, records, the edge point) reads the same memory through numpy views, whose
    # per-call cost on a few numbers is a fraction of a torch op's.
    batch, dim = start.shape
    steps = s.steps
    points = np.empty((steps + 1, batch, dim))
    values = np.empty((steps + 1, batch))
    grads = np.empty((steps + 1, batch, dim))
    lengths = [0] * batch
    status = [""] * batch
    active = np.ones(batch, dtype=bool)
    pending_edge = np.zeros(batch, dtype=bool)
    bounded = ls.domain is not None
    if bounded:
        lo = np.array([b[0] for b in ls.domain])
        hi = np.array([b[1] for b in ls.domain])

    param = start.clone().requires_grad_(True)
    p = param.detach().numpy()  # a live view: it sees every in-place update of param
    opt = _optimizer(param, s)
    noise = _Noise(seeds, dim, s) if s.noise > 0 else None
    tol2 = s.tol * s.tol

    def stop(mask: np.ndarray, why: str, length: int) -> None:
        for i in np.flatnonzero(mask & active):
            status[i], lengths[i] = why, length
            active[i] = False

    all_active = True
    for t in range(steps + 1):
        val = ls.fn(param)
        (grad,) = torch.autograd.grad(val.sum(), param)
        v, g = val.detach().numpy(), grad.numpy()
        sq = (g * g).sum(axis=-1)
        # one check per step; the cases are told apart only when something happened
        bad = ~(np.isfinite(v + sq) & (np.abs(p).max(axis=-1) < DIVERGE_AT))
        scale = noise.scale_at(t) if noise else 0.0
        settled = sq < tol2 if scale == 0.0 else False
        if t == steps or (bad | settled | pending_edge).any():
            if t == 0 and bad.any():
                raise SettingsError(f"--start: {ls.plain} or its gradient is not defined at the start")
            stop(bad, "diverged", t)
            stop(pending_edge, "left_domain", t + 1)
            stop(settled, "converged", t + 1)
            if t == steps:
                stop(active, "max_steps", t + 1)
            all_active = bool(active.all())
            if not active.any():
                points[t], values[t], grads[t] = p, v, g
                break
        points[t], values[t], grads[t] = p, v, g
        prev = p.copy()
        step_grad = grad + scale * noise.draw(t) if scale else grad
        if opt is None:
            param.data.add_(step_grad, alpha=-s.lr)  # .data: the same in-place add, untracked
        else:
            param.grad = step_grad
            opt.step()
        if not all_active:
            p[~active] = prev[~active]
        if bounded:
            outside = ((p < lo) | (p > hi)).any(axis=-1) & active
            if outside.any():
                p[outside] = _edge_point(prev[outside], p[outside], lo, hi)
                pending_edge |= outside

    return [
        Trajectory(
            points=points[: lengths[i], i].copy(),
            values=values[: lengths[i], i].copy(),
            grads=grads[: lengths[i], i].copy(),
            status=status[i],
            settings=s if len(seeds) == 1 else s.override(start=tuple(start[i].tolist()), seed=seeds[i]),
        )
        for i in range(batch)
    ]


def endpoints(trajectories: Sequence[Trajectory]) -> np.ndarray:
    """The last point of each trajectory, (batch, dim)."""
    return np.stack([tr.end for tr in trajectories])
