"""Train a small model with any optimizer the project rolls, and record every step.

The optimizer comes from a `Settings` as on the chapter's landscapes: the book's rules
(rules.py, stepping the flat parameter vector as one ball of P coordinates), torch.optim's and
pytorch-optimizer's classes (plugins.py, one instance on the flat vector), the schedules and
sgd's gradient noise. Full batch or minibatches (a seeded shuffle per epoch). Recorded per
step t: the flat parameters, the training loss on the whole training sample, the loss on the
fresh sample, the norm of the gradient step t uses and its learning rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import torch

from ..errors import SettingsError
from ..optimizers import learning_rate
from ..rules import RULES
from ..settings import Settings
from . import STAND_IN
from .data import DATA, FRESH, Sample, check_data, samples
from .models import Layout, ModelSpec, check_size, loss_fn, parse_model
from .surface import one_thread

MAX_SAMPLES = 100_000
NEWTON_MAX = 2000  # Newton solves with the P×P Hessian: kept to models it takes a moment for
PLANES = ("pca", "random", "line")


@dataclass(frozen=True)
class Net:
    """What is trained, on what: the model's name, the data's, the training sample's size,
    the minibatch size (0: the whole sample), the fresh sample's size, and the plane kind."""

    model: str = "mlp:16,16"
    data: str = "moons"
    samples: int = 200
    batch: int = 0
    fresh: int = FRESH
    plane: str = "pca"

    @cached_property
    def spec(self) -> ModelSpec:
        return parse_model(self.model)

    @property
    def d_in(self) -> int:
        from .data import POLY_DEGREE

        return POLY_DEGREE if self.data == "poly" else 2

    @property
    def task(self) -> str:
        return DATA[check_data(self.data)][1]

    def check(self, optimizer: str | None = None) -> Net:
        """Refuse what cannot be trained, in one line naming the flag; the checked Net."""
        check_data(self.data)
        spec = self.spec
        if spec.kind == "logistic" and self.task != "classify":
            raise SettingsError(
                f"--model logistic: {self.data} is a regression; give --model linear or mlp:16"
            )
        if spec.kind == "linear" and self.task != "regress":
            raise SettingsError(f"--model linear: {self.data} is a classification; give --model logistic")
        check_size(spec, self.d_in)
        for flag, value, low in (("samples", self.samples, 2), ("fresh", self.fresh, 2)):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_SAMPLES:
                raise SettingsError(f"--{flag} {value}: give a whole number from {low} to {MAX_SAMPLES:,}")
        if isinstance(self.batch, bool) or not isinstance(self.batch, int) or self.batch < 0:
            raise SettingsError(f"--batch {self.batch}: give a whole number ≥ 1 (or 0 for the whole sample)")
        if self.batch > self.samples:
            raise SettingsError(
                f"--batch {self.batch}: larger than the training sample ({self.samples} points); "
                f"give at most {self.samples}, or 0 for the whole sample"
            )
        if self.plane not in PLANES:
            raise SettingsError(f"--plane {self.plane!r}: choose one of {', '.join(PLANES)}")
        if optimizer == "newton" and spec.count(self.d_in) > NEWTON_MAX:
            raise SettingsError(
                f"--optimizer newton: {spec.count(self.d_in):,} parameters make a Hessian too large to "
                f"solve each step; give a model of at most {NEWTON_MAX:,} (e.g. --model mlp:8)"
            )
        return self

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "data": self.data,
            "samples": self.samples,
            "batch": self.batch,
            "fresh": self.fresh,
            "plane": self.plane,
        }


@dataclass(frozen=True)
class NetRun:
    """One training run. params and grads (n+1, P): the weights at step t and the gradient step
    t takes (its minibatch's); train_loss, test_loss, grad_norm, lrs (n+1,); status:
    max_steps, converged (full batch, gradient norm below tol), diverged or singular."""

    net: Net
    settings: Settings
    params: np.ndarray
    grads: np.ndarray
    train_loss: np.ndarray
    test_loss: np.ndarray
    grad_norm: np.ndarray
    lrs: np.ndarray
    status: str
    layout: Layout = field(repr=False)
    train: Sample = field(repr=False)
    fresh: Sample = field(repr=False)

    @property
    def steps(self) -> int:
        return len(self.params) - 1


class Batches:
    """Minibatch indices: a seeded shuffle of the sample per epoch, cut in order; None for
    the whole sample (batch 0)."""

    def __init__(self, n: int, batch: int, seed: int) -> None:
        self.n, self.batch = n, batch
        self.gen = torch.Generator().manual_seed(seed)
        self.order = torch.empty(0, dtype=torch.long)
        self.at = 0

    def next(self) -> torch.Tensor | None:
        if self.batch == 0 or self.batch == self.n:
            return None
        if self.at >= len(self.order):
            self.order, self.at = torch.randperm(self.n, generator=self.gen), 0
        idx = self.order[self.at : self.at + self.batch]
        self.at += self.batch
        return idx


MAX_RECORDED = 20_000_000  # weights and gradients kept per step: 2 × 160 MB of float64 at most


def check_steps(net: Net, steps: int) -> None:
    """Refuse a run whose per-step weights would not fit in memory, naming --steps."""
    size = net.spec.count(net.d_in)
    if isinstance(steps, int) and (steps + 1) * size > MAX_RECORDED:
        most = MAX_RECORDED // size - 1
        raise SettingsError(
            f"--steps {steps}: {size:,} weights recorded at every step is too many numbers; "
            f"give at most {most:,} steps (or a smaller --model)"
        )


def optimizer_only(s: Settings) -> Settings:
    """The optimizer's part of the settings on a stand-in landscape, so `Settings.validate`
    judges the optimizer, its hyper-parameters, steps, noise and seed as it does everywhere."""
    return replace(s, landscape=STAND_IN, start=(0.0, 0.0), function=None, domain=None)


def train(net: Net, s: Settings) -> NetRun:
    """Train `net` with the optimizer of `s` for `s.steps` steps (all seeded by `s.seed`)."""
    net.check(s.optimizer)
    check_steps(net, s.steps)
    optimizer_only(s).validate()
    train_set, fresh = samples(net.data, net.samples, s.seed, net.fresh)
    layout = Layout(net.spec.build(net.d_in, s.seed))
    with np.errstate(over="ignore", invalid="ignore"), torch.random.fork_rng(devices=[]), one_thread():
        torch.manual_seed(s.seed)  # a plugged-in optimizer may draw from torch's generator
        return _train(net, s, layout, train_set, fresh)


def _train(net: Net, s: Settings, layout: Layout, data: Sample, fresh: Sample) -> NetRun:
    loss = loss_fn(data.task)
    size, steps = layout.size, s.steps
    theta = layout.flat().requires_grad_(True)
    p = theta.detach().numpy()  # a live view of theta
    rule = RULES.get(s.optimizer)
    hyper = rule.values(lambda field: getattr(s, field)) if rule else {}  # what its step reads
    plugin = opt = None
    state: dict[str, np.ndarray] = {}
    if rule is not None:
        state = {name: np.zeros((1, size)) for name in rule.state}
    else:
        from ..plugins import resolve

        plugin = resolve(s.optimizer)
        opt = plugin.build(theta, s)
    batches = Batches(len(data), net.batch, s.seed)
    noise = torch.Generator().manual_seed(s.seed) if s.noise > 0 else None
    params, grads = np.empty((steps + 1, size)), np.empty((steps + 1, size))
    train_loss, test_loss = np.empty(steps + 1), np.empty(steps + 1)
    grad_norm, lrs = np.empty(steps + 1), np.empty(steps + 1)
    graph = plugin is not None and plugin.graph
    status, n = "max_steps", steps + 1
    for t in range(steps + 1):
        idx = batches.next()
        xb, yb = (data.x, data.y) if idx is None else (data.x[idx], data.y[idx])
        value = loss(layout(theta, xb), yb)
        (grad,) = torch.autograd.grad(value, theta, create_graph=graph or rule is not None and rule.hessian)
        g = grad.detach().numpy()
        params[t], grads[t] = p, g
        with torch.no_grad():
            train_loss[t] = float(value) if idx is None else float(loss(layout(theta, data.x), data.y))
            test_loss[t] = float(loss(layout(theta, fresh.x), fresh.y))
        grad_norm[t] = float(np.sqrt((g * g).sum()))
        lrs[t] = learning_rate(s, t)
        if not (np.isfinite(train_loss[t]) and np.isfinite(grad_norm[t]) and np.isfinite(p).all()):
            if t == 0:
                raise SettingsError(f"--model {net.model}: its loss is not finite at the initial weights")
            status, n = "diverged", t  # the arrays end at the last finite step, as a landscape's do
            break
        if t == steps:
            break
        if s.tol > 0 and idx is None and noise is None and grad_norm[t] < s.tol:
            status, n = "converged", t + 1
            break
        step = g
        if noise is not None:
            scale = s.noise * (1 - t / steps) if s.anneal else s.noise
            step = g + scale * torch.randn(size, generator=noise, dtype=torch.float64).numpy()
        if rule is not None and rule.hessian:
            if not _newton(p, theta, grad, lrs[t]):
                status, n = "singular", t + 1
                break
        elif rule is not None:
            rule.step(hyper, p[None], step[None], state, lrs[t], t)
        else:
            _plugged(
                plugin, opt, s, theta, grad, step, lrs[t], lambda xb=xb, yb=yb: loss(layout(theta, xb), yb)
            )
    return NetRun(
        net,
        s,
        params[:n].copy(),
        grads[:n].copy(),
        train_loss[:n].copy(),
        test_loss[:n].copy(),
        grad_norm[:n].copy(),
        lrs[:n].copy(),
        status,
        layout,
        data,
        fresh,
    )


def _newton(p: np.ndarray, theta: torch.Tensor, grad: torch.Tensor, lr: float) -> bool:
    """x <- x - eta*H^-1 g with the Hessian of the step's loss by autograd; False if singular."""
    rows = [torch.autograd.grad(grad[k], theta, retain_graph=True)[0] for k in range(len(grad))]
    h = torch.stack(rows).detach().numpy()
    if not np.isfinite(h).all():
        return False
    sv = np.linalg.svd(h, compute_uv=False)
    if sv[-1] <= sv[0] * len(h) * np.finfo(np.float64).eps:
        return False
    p -= lr * np.linalg.solve(h, grad.detach().numpy())
    return True


def _plugged(
    plugin: Any,
    opt: Any,
    s: Settings,
    theta: torch.Tensor,
    grad: torch.Tensor,
    step: np.ndarray,
    lr: float,
    batch_loss: Any,
) -> None:
    """One step of a torch.optim-style optimizer on the flat parameter vector."""
    if s.schedule != "constant" and plugin.has_lr:
        for group in opt.param_groups:
            group["lr"] = lr
    try:
        if plugin.closure:

            def closure() -> torch.Tensor:
                with torch.enable_grad():
                    opt.zero_grad()
                    value = batch_loss()
                    value.backward()
                return value.detach()

            opt.step(closure)
        elif plugin.graph:
            theta.grad = grad if s.noise == 0 else grad + torch.from_numpy(step - grad.detach().numpy())
            opt.step()
            theta.grad = None
        else:
            theta.grad = torch.from_numpy(step.copy())
            opt.step()
    except (
        ValueError,
        TypeError,
        RuntimeError,
        KeyError,
        IndexError,
        AttributeError,
        NotImplementedError,
    ) as exc:
        why = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
        raise SettingsError(f"--optimizer {s.optimizer}: {plugin.word}'s step failed ({why})") from None
