"""Small torch models by name: `logistic` (logistic regression), `linear` (the book's linear
regression), `mlp:W` or `mlp:W1,W2` (one or two ReLU hidden layers of those widths).

A model is float64, its initial weights torch's default init under a seed. Its parameters
are read and written as one flat vector (`Layout`), which the optimizers step and the planes
project; `functional_call` runs the model at any flat vector without copying it in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import nn
from torch.func import functional_call

from ..errors import SettingsError

MAX_PARAMS = 100_000
MAX_HIDDEN = 2
MODELS = {
    "logistic": "logistic regression: one linear unit, the sigmoid's log loss",
    "linear": "the book's linear regression: one linear unit, the squared loss ½(ŷ − y)²",
    "mlp:W[,W2]": "one or two ReLU hidden layers of width W (and W2)",
}


@dataclass(frozen=True)
class ModelSpec:
    """What `--model` names: a kind and its hidden widths."""

    kind: str
    widths: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return self.kind + (":" + ",".join(map(str, self.widths)) if self.widths else "")

    def build(self, d_in: int, seed: int) -> nn.Module:
        """The model for inputs of `d_in` features, torch's default init seeded with `seed`."""
        sizes = [d_in, *self.widths, 1]
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            layers: list[nn.Module] = []
            for k in range(len(sizes) - 1):
                layers.append(nn.Linear(sizes[k], sizes[k + 1], dtype=torch.float64))
                if k < len(sizes) - 2:
                    layers.append(nn.ReLU())
            return nn.Sequential(*layers)

    def count(self, d_in: int) -> int:
        """How many parameters it has for `d_in` input features."""
        sizes = [d_in, *self.widths, 1]
        return sum((sizes[k] + 1) * sizes[k + 1] for k in range(len(sizes) - 1))


def parse_model(text: str) -> ModelSpec:
    """`logistic`, `linear`, `mlp:16` or `mlp:16,16`; anything else a one-line refusal."""
    kind, _, rest = str(text).strip().partition(":")
    if kind in ("logistic", "linear"):
        if rest:
            raise SettingsError(f"--model {text!r}: {kind} has no hidden layers; give --model {kind}")
        return ModelSpec(kind)
    if kind != "mlp":
        raise SettingsError(f"--model {text!r}: choose logistic, linear, mlp:W or mlp:W1,W2 (e.g. mlp:16,16)")
    try:
        widths = tuple(int(w) for w in rest.split(","))
    except ValueError:
        raise SettingsError(
            f"--model {text!r}: give the hidden widths as whole numbers, e.g. mlp:16,16"
        ) from None
    if not 1 <= len(widths) <= MAX_HIDDEN:
        raise SettingsError(f"--model {text!r}: give one or two hidden widths, e.g. mlp:16 or mlp:16,16")
    if any(w < 1 for w in widths):
        raise SettingsError(f"--model {text!r}: a hidden layer needs a width of at least 1, e.g. mlp:16,16")
    return ModelSpec("mlp", widths)


def check_size(spec: ModelSpec, d_in: int) -> None:
    """Refuse a model of more than MAX_PARAMS parameters (the grid evaluates thousands of them)."""
    n = spec.count(d_in)
    if n > MAX_PARAMS:
        raise SettingsError(
            f"--model {spec.text}: {n:,} parameters on {d_in} inputs; give at most {MAX_PARAMS:,} "
            "(narrower layers)"
        )


def loss_fn(task: str) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """The mean loss of a task: the log loss on logits, or the book's squared loss ½(ŷ − y)²."""
    if task == "classify":
        return nn.functional.binary_cross_entropy_with_logits
    return lambda out, y: ((out - y) ** 2 / 2).mean()


class Layout:
    """A model's parameters as one flat vector: names, shapes and where each sits in it."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.names = [n for n, _ in model.named_parameters()]
        self.shapes = [tuple(p.shape) for _, p in model.named_parameters()]
        sizes = [p.numel() for _, p in model.named_parameters()]
        self.offsets = [sum(sizes[:k]) for k in range(len(sizes) + 1)]

    @property
    def size(self) -> int:
        return self.offsets[-1]

    def flat(self) -> torch.Tensor:
        """The model's own parameters as one new float64 vector."""
        return torch.cat([p.detach().reshape(-1) for p in self.model.parameters()])

    def views(self, theta: torch.Tensor) -> dict[str, torch.Tensor]:
        """Each parameter as a view of `theta` (no copy: autograd reaches theta through them)."""
        return {
            n: theta[a:b].view(s)
            for n, s, a, b in zip(self.names, self.shapes, self.offsets[:-1], self.offsets[1:], strict=True)
        }

    def __call__(self, theta: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """The model's output at the flat parameters `theta`."""
        return functional_call(self.model, self.views(theta), (x,))

    def filters(self) -> list[tuple[int, int, tuple[int, ...]]]:
        """Where each weight matrix sits: (start, end, shape); biases are left out (Li et al.)."""
        return [
            (a, b, s)
            for s, a, b in zip(self.shapes, self.offsets[:-1], self.offsets[1:], strict=True)
            if len(s) >= 2
        ]
