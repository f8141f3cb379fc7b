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
        if t - self.offset >= len(self.buf) or t == 0:
            self.offset = t
            chunks = [torch.randn(NOISE_CHUNK, self.dim, generator=g, dtype=torch.float64) for g in self.gens]
            self.buf = torch.stack(chunks, dim=1)  # (chunk, batch, dim)
        return self.buf[t - self.offset]


def _edge_point(prev: torch.Tensor, new: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor) -> torch.Tensor:
    """Where the segment prev -> new crosses the box boundary (prev is inside)."""
    delta = new - prev
    safe = torch.where(delta == 0, torch.ones_like(delta), delta)
    frac_hi = torch.where(new > hi, (hi - prev) / safe, torch.ones_like(delta))
    frac_lo = torch.where(new < lo, (lo - prev) / safe, torch.ones_like(delta))
    s = torch.minimum(frac_hi, frac_lo).amin(dim=-1, keepdim=True).clamp(0, 1)
    return torch.maximum(torch.minimum(prev + s * delta, hi), lo)


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
    batch, dim = start.shape
    steps = s.steps
    points = torch.empty(steps + 1, batch, dim, dtype=torch.float64)
    values = torch.empty(steps + 1, batch, dtype=torch.float64)
    grads = torch.empty(steps + 1, batch, dim, dtype=torch.float64)
    lengths = [0] * batch
    status = [""] * batch
    active = torch.ones(batch, dtype=torch.bool)
    pending_edge = torch.zeros(batch, dtype=torch.bool)
    bounded = ls.domain is not None
    if bounded:
        lo = torch.tensor([b[0] for b in ls.domain], dtype=torch.float64)
        hi = torch.tensor([b[1] for b in ls.domain], dtype=torch.float64)

    param = start.clone().requires_grad_(True)
    opt = _optimizer(param, s)
    noise = _Noise(seeds, dim, s) if s.noise > 0 else None
    tol2 = s.tol * s.tol

    def stop(mask: torch.Tensor, why: str, length: int) -> None:
        for i in (mask & active).nonzero().flatten().tolist():
            status[i], lengths[i] = why, length
            active[i] = False

    all_active = True
    for t in range(steps + 1):
        val = ls.fn(param)
        (grad,) = torch.autograd.grad(val.sum(), param)
        p = param.detach()
        sq = (grad * grad).sum(dim=-1)
        # one check per step; the cases are told apart only when something happened
        bad = ~(torch.isfinite(val + sq) & (p.abs().amax(dim=-1) < DIVERGE_AT))
        scale = noise.scale_at(t) if noise else 0.0
        settled = sq < tol2 if scale == 0.0 else torch.zeros_like(bad)
        if t == steps or bool((bad | settled | pending_edge).any()):
            if t == 0 and bool(bad.any()):
                raise SettingsError(f"--start: {ls.plain} or its gradient is not defined at the start")
            stop(bad, "diverged", t)
            stop(pending_edge, "left_domain", t + 1)
            stop(settled, "converged", t + 1)
            if t == steps:
                stop(active, "max_steps", t + 1)
            all_active = bool(active.all())
        points[t], values[t], grads[t] = p, val.detach(), grad
        if not all_active and not bool(active.any()):
            break
        prev = p.clone()
        step_grad = grad + scale * noise.draw(t) if scale else grad
        if opt is None:
            with torch.no_grad():
                param.add_(step_grad, alpha=-s.lr)
        else:
            param.grad = step_grad
            opt.step()
        with torch.no_grad():
            if not all_active:
                param.copy_(torch.where(active[:, None], param, prev))
            if bounded:
                outside = ((param < lo) | (param > hi)).any(dim=-1)
                if bool(outside.any()):
                    outside &= active
                    edge = _edge_point(prev, param, lo, hi)
                    param.copy_(torch.where(outside[:, None], edge, param))
                    pending_edge |= outside

    pts, vals, grs = points.numpy(), values.numpy(), grads.numpy()
    return [
        Trajectory(
            points=pts[: lengths[i], i].copy(),
            values=vals[: lengths[i], i].copy(),
            grads=grs[: lengths[i], i].copy(),
            status=status[i],
            settings=s if len(seeds) == 1 else s.override(start=tuple(start[i].tolist()), seed=seeds[i]),
        )
        for i in range(batch)
    ]


def endpoints(trajectories: Sequence[Trajectory]) -> np.ndarray:
    """The last point of each trajectory, (batch, dim)."""
    return np.stack([tr.end for tr in trajectories])
