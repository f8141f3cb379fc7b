"""Roll balls downhill: the book's update rules on a batch of starts, with autograd gradients.

All balls of a run are one (batch, dim) float64 parameter. The chapter's functions act
on each row separately, so the gradient of the summed values is every ball's own
gradient (and the Hessian of the sum, row by row, every ball's own Hessian), and every
rule is element-wise per ball. A ball that stops (converged, left the domain, diverged,
undefined, singular) is frozen in place while the others go on; its arrays end where it
stopped.

Each rule is written as the book's code writes it (d2l, "Optimization Algorithms"), in the
same order of operations, so the book's printed numbers come out to the printed digit:

    gd, sgd   x <- x - eta*g                      (sgd: g plus seeded Gaussian noise)
    momentum  v <- beta*v + g;  x <- x - eta*v    (= torch.optim.SGD, momentum, dampening 0)
    adagrad   s <- s + g^2;  x <- x - eta/sqrt(s + 1e-6)*g      (torch.optim: eps outside sqrt)
    rmsprop   s <- gamma*s + (1-gamma)*g^2;  x <- x - eta/sqrt(s + 1e-6)*g    (same)
    adadelta  s <- rho*s + (1-rho)*g^2;  g' <- sqrt(delta + 1e-5)/sqrt(s + 1e-5)*g;
              x <- x - g';  delta <- rho*delta + (1-rho)*g'*g'   (no learning rate)
    adam      v <- b1*v + (1-b1)*g;  s <- b2*s + (1-b2)*g^2;  t = 1, 2, ...;
              x <- x - eta*(v/(1-b1^t))/(sqrt(s/(1-b2^t)) + 1e-6)
    newton    x <- x - eta*g/f'' (1D), x <- x - eta*H^-1 g (2D); H by autograd, even where
              it is not positive definite; a singular H ends the ball's run (`singular`)

The rules and their steps are records in rules.py. They are written out rather than taken
from torch.optim: adagrad and rmsprop put epsilon elsewhere there, adam differs in rounding
(lerp, scaled eps), every rule's state is kept per step, and a schedule changes the rate at
every step. The tests hold momentum, adam and adadelta against torch.optim, where the maths
is the same.

Any other optimizer with torch.optim's interface (plugins.py) rolls through the same loop:
the same gradient, checks and records, with one float64 parameter and one optimizer instance
per ball (a `Stepper`), and its state read after each step under the names it has.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from .errors import SettingsError
from .functions import Landscape
from .plugins import Stepper, resolve
from .rules import RULES
from .settings import Settings, check_start
from .trajectory import Trajectory

DIVERGE_AT = 1e100  # beyond this |x| a run counts as diverged: no drawing can show it
NOISE_CHUNK = 256  # noise is drawn per ball in fixed chunks, so batch and single runs agree


def schedule_factor(schedule: str, k: int) -> float:
    """The factor on eta of step k (k = 0 is the first step), as the book's sgd section has it.

    The book keeps a global t = 1 and its schedule functions advance it before use
    (`t += 1; return math.exp(-0.1 * t)`), so the first step uses t = 2: step k uses t = k + 2.
    """
    if schedule == "constant":
        return 1.0
    t = k + 2
    if schedule == "exponential":
        return math.exp(-0.1 * t)
    return (1 + 0.1 * t) ** (-0.5)


def learning_rate(s: Settings, k: int) -> float:
    """The rate of step k: eta times the schedule's factor (the book's eta_t = eta * lr());
    1 for a rule without one: adadelta's step x <- x - g' (torch.optim.Adadelta's lr = 1)."""
    rule = RULES.get(s.optimizer)
    if not (rule.has_lr if rule else resolve(s.optimizer).has_lr):
        return 1.0
    return s.lr * schedule_factor(s.schedule, k)


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


def _hessians(grad: torch.Tensor, param: torch.Tensor) -> np.ndarray:
    """Every ball's Hessian (batch, dim, dim) from a gradient taken with create_graph=True.

    A gradient that does not depend on the point (a linear f) has no graph: its Hessian is 0.
    """
    batch, dim = param.shape
    out = np.zeros((batch, dim, dim))
    if not grad.requires_grad:
        return out
    for k in range(dim):
        (row,) = torch.autograd.grad(grad[:, k].sum(), param, retain_graph=k < dim - 1, allow_unused=True)
        if row is not None:
            out[:, k, :] = row.numpy()
    return out


def _singular(h: np.ndarray) -> np.ndarray:
    """Per ball: is the Hessian not invertible (numpy's matrix_rank tolerance; 1D: f'' == 0)?"""
    if h.shape[-1] == 1:  # the same test for a 1x1 matrix, without the SVD's cost
        return h[:, 0, 0] == 0
    sv = np.linalg.svd(h, compute_uv=False)
    return sv[:, -1] <= sv[:, 0] * h.shape[-1] * np.finfo(np.float64).eps


def _roll(ls: Landscape, s: Settings, start: torch.Tensor, seeds: list[int]) -> list[Trajectory]:
    # The gradient (and Newton's Hessian) is torch autograd; the update and the bookkeeping
    # (checks, records, the edge point) act on the same memory through numpy views, whose
    # per-call cost on a few numbers is a fraction of a torch op's. Non-finite numbers are
    # expected here (they become statuses), so numpy's warnings about them are off in this
    # loop and nowhere else.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        if s.optimizer in RULES:
            return _roll_quietly(ls, s, start, seeds)
        # a plugged-in optimizer may draw from torch's global generator (a Hutchinson estimate
        # of the Hessian): seeded here, and the caller's generator left as it was
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seeds[0])
            return _roll_quietly(ls, s, start, seeds)


def _roll_quietly(ls: Landscape, s: Settings, start: torch.Tensor, seeds: list[int]) -> list[Trajectory]:
    batch, dim = start.shape
    steps = s.steps
    points = np.empty((steps + 1, batch, dim))
    values = np.empty((steps + 1, batch))
    grads = np.empty((steps + 1, batch, dim))
    rule = RULES.get(s.optimizer)
    names = rule.state if rule else ()  # a plugged-in optimizer's state is named as it appears
    state = {name: np.zeros((batch, dim)) for name in names}
    states = {name: np.empty((steps + 1, batch, dim)) for name in names}
    lrs = np.empty(steps + 1)
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
    newton = rule is not None and rule.hessian
    stepper = None if rule else Stepper(resolve(s.optimizer), s, ls, start.numpy())
    hyper = rule.values(lambda field: getattr(s, field)) if rule else {}  # what its step reads
    noise = _Noise(seeds, dim, s) if s.noise > 0 else None
    tol2 = s.tol * s.tol

    def stop(mask: np.ndarray, why: str, length: int) -> None:
        for i in np.flatnonzero(mask & active):
            status[i], lengths[i] = why, length
            active[i] = False

    all_active = True
    for t in range(steps + 1):
        val = ls.fn(param)
        (grad,) = torch.autograd.grad(val.sum(), param, create_graph=newton)
        v, g = val.detach().numpy(), grad.detach().numpy()
        sq = (g * g).sum(axis=-1)
        # one check per step; the cases are told apart only when something happened
        far = ~(np.abs(p).max(axis=-1) < DIVERGE_AT)  # NaN too
        bad = far | ~np.isfinite(v + sq)
        for st in state.values():  # a state that overflowed (adagrad's sum of g²) is divergence too
            bad |= ~np.isfinite(st).all(axis=-1)
        scale = noise.scale_at(t) if noise else 0.0
        settled = sq < tol2 if scale == 0.0 else False
        lr = learning_rate(s, t)
        if t == steps or (bad | settled | pending_edge).any():
            if t == 0 and bad.any():
                raise SettingsError(f"--start: {ls.plain} or its gradient is not defined at the start")
            # NaN at a finite point, or an infinite slope where the value is finite: f is not
            # defined there (sqrt or log of a negative number); an infinite value is overflow
            nan = np.isnan(v) | np.isnan(g).any(axis=-1) | (np.isinf(g).any(axis=-1) & np.isfinite(v))
            stop(bad & ~far & nan, "undefined", t)
            stop(bad, "diverged", t)
            stop(pending_edge, "left_domain", t + 1)
            stop(settled, "converged", t + 1)
            if t == steps:
                stop(active, "max_steps", t + 1)
            all_active = bool(active.all())
        points[t], values[t], grads[t], lrs[t] = p, v, g, lr
        for name in state:
            states[name][t] = state[name]
        if not active.any():
            break
        prev = p.copy()
        extra = scale * noise.draw(t).numpy() if scale else None
        step_grad = g + extra if scale else g
        if newton:
            h = _hessians(grad, param)
            broken = ~np.isfinite(h).all(axis=(1, 2))
            stop(broken, "undefined", t + 1)
            stop(_singular(np.where(broken[:, None, None], 1.0, h)), "singular", t + 1)
            all_active = bool(active.all())
            if not active.any():
                break
            _newton_step(p, step_grad, h, lr, active)
        elif stepper is not None:
            for i in np.flatnonzero(active):
                p[i] = stepper.step(i, step_grad[i], lr, None if extra is None else extra[i])
                for name, value in stepper.state(i).items():
                    if name not in state:  # appears at its first step: zeros before, as the book's
                        state[name] = np.zeros((batch, dim))
                        states[name] = np.zeros((steps + 1, batch, dim))
                    state[name][i] = value
        else:
            rule.step(hyper, p, step_grad, state, lr, t)
        if not all_active:
            p[~active] = prev[~active]
        if bounded:
            outside = ((p < lo) | (p > hi)).any(axis=-1) & active & np.isfinite(p).all(axis=-1)
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
            state={name: states[name][: lengths[i], i].copy() for name in states},
            lrs=lrs[: lengths[i]].copy(),
        )
        for i in range(batch)
    ]


def _newton_step(p: np.ndarray, g: np.ndarray, h: np.ndarray, lr: float, active: np.ndarray) -> None:
    """x <- x - eta*H^-1 g for the active balls (the book's 1D form: x -= eta*f'(x)/f''(x))."""
    if p.shape[1] == 1:
        step = lr * g / h[:, :, 0]
        p[active] -= step[active]
        return
    idx = np.flatnonzero(active)
    p[idx] -= lr * np.linalg.solve(h[idx], g[idx][..., None])[..., 0]


def endpoints(trajectories: Sequence[Trajectory]) -> np.ndarray:
    """The last point of each trajectory, (batch, dim)."""
    return np.stack([tr.end for tr in trajectories])
