"""The settings of one optimization run, validated in one place.

Scenes, the command line and the tests all build a `Settings`, so a value that is
refused here is refused everywhere with the same message.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .errors import SettingsError
from .names import HYPERPARAMETERS, OPTIMIZERS, SCHEDULES

if TYPE_CHECKING:  # torch is imported only when a landscape is needed: `roll list` stays fast
    from .functions import Bounds, Landscape

MAX_STEPS = 1_000_000


@dataclass(frozen=True)
class Settings:
    """Everything that determines a trajectory: same settings, same numbers."""

    landscape: str
    start: tuple[float, ...]
    optimizer: str = "gd"
    lr: float = 0.1
    steps: int = 100
    noise: float = 0.0
    seed: int = 0
    function: str | None = None
    domain: Bounds | None = None
    anneal: bool = True
    momentum: float = 0.9  # momentum's beta (JSON also `beta`, flag --beta)
    tol: float = 1e-8
    gamma: float = 0.9  # rmsprop's leak
    rho: float = 0.9  # adadelta's leak
    beta1: float = 0.9  # adam's first moment
    beta2: float = 0.999  # adam's second moment
    schedule: str = "constant"  # the learning rate over the steps (the book's sgd section)

    @property
    def beta(self) -> float:
        """Momentum's beta, the book's name for the `momentum` field."""
        return self.momentum

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """The hyper-parameters in force for this optimizer, the book's names, in the book's order."""
        names = HYPERPARAMETERS.get(self.optimizer, ())
        out: dict[str, Any] = {"optimizer": self.optimizer}
        for name in names:
            if name == "noise":
                if self.noise > 0:
                    out.update(noise=self.noise, anneal=self.anneal, seed=self.seed)
            else:
                out[name] = getattr(self, name)
        return out

    @cached_property
    def landscape_obj(self) -> Landscape:
        """The landscape these settings run on, with the domain in force."""
        from .expression import parse_expression
        from .functions import get_landscape

        if self.landscape == "custom" or self.function is not None:
            if self.function is None:
                raise SettingsError("custom landscape: give --function EXPR, e.g. 'x*cos(0.15*pi*x)'")
            return parse_expression(self.function, self.domain)
        base = get_landscape(self.landscape)
        if self.domain is None:
            return base
        if len(self.domain) != base.dim:
            want = "a,b" if base.dim == 1 else "a,b,c,d"
            raise SettingsError(f"--domain: {base.name} has {base.dim} variable(s), so give {want}")
        return base.with_domain(self.domain)

    def override(self, **changes: Any) -> Settings:
        """A copy with the given fields replaced (None means: keep the story's value)."""
        given = {k: v for k, v in changes.items() if v is not None}
        if "start" in given:
            given["start"] = tuple(float(v) for v in given["start"])
        if given.get("optimizer") in ("gd", "newton") and "noise" not in given:
            given["noise"] = 0.0
        if "beta" in given:  # the book's name for momentum's beta
            given["momentum"] = given.pop("beta")
        return replace(self, **given)

    def validate(self) -> Landscape:
        """Refuse anything that cannot run; returns the resolved landscape."""
        if self.optimizer not in OPTIMIZERS:
            raise SettingsError(f"--optimizer {self.optimizer!r}: choose one of {', '.join(OPTIMIZERS)}")
        if not _finite(self.lr) or self.lr <= 0:
            raise SettingsError(f"--lr {self.lr}: the learning rate must be a finite number > 0")
        if (
            isinstance(self.steps, bool)
            or not isinstance(self.steps, int)
            or not 1 <= self.steps <= MAX_STEPS
        ):
            raise SettingsError(f"--steps {self.steps}: give a whole number from 1 to {MAX_STEPS:,}")
        if not _finite(self.noise) or self.noise < 0:
            raise SettingsError(f"--noise {self.noise}: the noise scale must be a finite number >= 0")
        if self.optimizer == "gd" and self.noise > 0:
            raise SettingsError("--noise: plain gradient descent (gd) has no noise; use --optimizer sgd")
        if self.optimizer == "newton" and self.noise > 0:
            raise SettingsError("--noise: newton takes the exact gradient and Hessian; drop --noise")
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**63:
            raise SettingsError(f"--seed {self.seed}: give a whole number from 0 to 2**63-1")
        for name, value, closed, example in (
            ("beta", self.momentum, False, 0.9),
            ("gamma", self.gamma, False, 0.9),
            ("rho", self.rho, True, 0.9),
            ("beta1", self.beta1, False, 0.9),
            ("beta2", self.beta2, False, 0.999),
        ):
            low_ok = _finite(value) and (0 < value if closed else 0 <= value)
            if not (low_ok and value < 1):
                where = "(0, 1)" if closed else "[0, 1)"
                raise SettingsError(f"--{name} {value}: give a number in {where}, e.g. --{name} {example}")
        if self.schedule not in SCHEDULES:
            raise SettingsError(f"--schedule {self.schedule!r}: choose one of {', '.join(SCHEDULES)}")
        ls = self.landscape_obj
        check_start(ls, self.start)
        return ls

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Settings:
        """The inverse of to_dict (lists back to tuples)."""
        fields = dict(d)
        beta = fields.pop("beta", None)  # the book's name for momentum, written beside it
        if beta is not None:
            fields.setdefault("momentum", beta)
            if fields["momentum"] != beta:
                raise SettingsError(f"beta {beta} and momentum {fields['momentum']} disagree; give one")
        fields["start"] = tuple(fields["start"])
        if fields.get("domain") is not None:
            fields["domain"] = tuple(tuple(b) for b in fields["domain"])
        return cls(**fields)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = list(self.start)
        d["domain"] = [list(b) for b in self.domain] if self.domain else None
        d["beta"] = self.momentum
        return d


def _finite(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_start(ls: Landscape, start: tuple[float, ...]) -> None:
    if len(start) != ls.dim:
        want = "X" if ls.dim == 1 else "X,Y"
        raise SettingsError(f"--start {_fmt(start)}: {ls.plain} has {ls.dim} variable(s), so give {want}")
    if not all(_finite(v) for v in start):
        raise SettingsError(f"--start {_fmt(start)}: coordinates must be finite numbers")
    if ls.domain is not None:
        for v, (lo, hi) in zip(start, ls.domain, strict=True):
            if not lo <= v <= hi:
                box = " x ".join(f"[{a:g}, {b:g}]" for a, b in ls.domain)
                raise SettingsError(f"--start {_fmt(start)}: outside the domain {box}")


def _fmt(start: tuple[float, ...]) -> str:
    return ",".join(f"{v:g}" for v in start)


def parse_start(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(s) for s in text.split(","))
    except ValueError:
        raise SettingsError(f"--start {text!r}: expected numbers like 1.5 or -0.5,0.01") from None
    if not all(math.isfinite(v) for v in values):
        raise SettingsError(f"--start {text!r}: coordinates must be finite numbers")
    return values


def parse_domain(text: str, dim: int | None = None) -> Bounds:
    """'a,b' or 'a,b,c,d' -> ((a, b),) or ((a, b), (c, d)), each lower < upper."""
    parts = [s.strip() for s in text.split(",")]
    try:
        nums = [float(s) for s in parts]
    except ValueError:
        raise SettingsError(f"--domain {text!r}: expected numbers like -1,2 or -1,1,-1,1") from None
    if len(nums) not in (2, 4) or (dim is not None and len(nums) != 2 * dim):
        want = "a,b" if dim == 1 else "a,b,c,d" if dim == 2 else "a,b or a,b,c,d"
        raise SettingsError(f"--domain {text!r}: expected {want}")
    if not all(math.isfinite(v) for v in nums):
        raise SettingsError(f"--domain {text!r}: bounds must be finite numbers")
    bounds = tuple((nums[i], nums[i + 1]) for i in range(0, len(nums), 2))
    for lo, hi in bounds:
        if not lo < hi:
            raise SettingsError(f"--domain {text!r}: each lower bound must be below its upper bound")
    return bounds
