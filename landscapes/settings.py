"""The settings of one optimization run, validated in one place.

Scenes, the command line and the tests all build a `Settings`, so a value that is
refused here is refused everywhere with the same message.
"""

from __future__ import annotations

import ast
import math
from dataclasses import asdict, dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .errors import SettingsError
from .limits import OPT_CHARS
from .names import SCHEDULES, canonical_optimizer
from .resolve import is_constant, landscape, plugin
from .rules import BETA, BETA1, BETA2, GAMMA, RHO, RULES, hypers

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
    momentum: float = BETA.default  # momentum's beta (JSON also `beta`, flag --beta)
    tol: float = 1e-8  # the run stops (converged) where the gradient's norm is below it; 0 never
    gamma: float = GAMMA.default  # rmsprop's leak
    rho: float = RHO.default  # adadelta's leak
    beta1: float = BETA1.default  # adam's first moment
    beta2: float = BETA2.default  # adam's second moment
    schedule: str = "constant"  # the learning rate over the steps (the book's sgd section)
    # a plugged-in optimizer's constructor keywords (--opt key=value,...), sorted by key
    opt: tuple[tuple[str, Any], ...] = ()

    @property
    def beta(self) -> float:
        """Momentum's beta, the book's name for the `momentum` field."""
        return self.momentum

    @property
    def hyperparameters(self) -> dict[str, Any]:
        """The hyper-parameters in force for this optimizer, the book's names, in the book's order;
        a plugged-in optimizer's: the rate, then every keyword of its constructor."""
        rule = RULES.get(self.optimizer)
        if rule is None:
            return plugin(self.optimizer).hyperparameters(self)
        out: dict[str, Any] = {"optimizer": self.optimizer}
        fields = {h.flag: h.field for h in rule.hyper}
        for name in rule.flags:
            if name == "noise":
                if self.noise > 0:
                    out.update(noise=self.noise, anneal=self.anneal, seed=self.seed)
            else:
                out[name] = getattr(self, fields.get(name, name))
        return out

    @property
    def shown_hyperparameters(self) -> dict[str, Any]:
        """What a legend shows: those in force, but of a plugged-in optimizer's keywords only the
        ones given (--opt), not every default of its constructor."""
        out = self.hyperparameters
        if self.optimizer in RULES:
            return out
        keep = {"optimizer", "lr", "schedule", "noise", "anneal", "seed", *dict(self.opt)}
        return {k: v for k, v in out.items() if k in keep}

    @cached_property
    def landscape_obj(self) -> Landscape:
        """The landscape these settings run on, with the domain in force."""
        return landscape(self.landscape, self.function, self.domain)

    def override(self, **changes: Any) -> Settings:
        """A copy with the given fields replaced (None means: keep the story's value)."""
        given = {k: v for k, v in changes.items() if v is not None}
        if "start" in given:
            given["start"] = tuple(float(v) for v in given["start"])
        rule = RULES.get(given.get("optimizer", ""))
        if rule is not None and not rule.takes_noise and "noise" not in given:
            given["noise"] = 0.0
        if "optimizer" in given:  # torch.optim.NAdam is torch.optim:NAdam
            given["optimizer"] = canonical_optimizer(str(given["optimizer"]))
        if "opt" in given:
            given["opt"] = tuple(sorted((str(k), _frozen(v)) for k, v in dict(given["opt"]).items()))
        if "beta" in given:  # the book's name for momentum's beta
            given["momentum"] = given.pop("beta")
        return replace(self, **given)

    def validate(self) -> Landscape:
        """Refuse anything that cannot run; returns the resolved landscape."""
        rule = RULES.get(self.optimizer)
        plugged = None
        if rule is None:
            plugged = plugin(self.optimizer)  # torch.optim's, pytorch-optimizer's or module:Class
            plugged.check(self.opt)
        elif self.opt:
            raise SettingsError(
                f"--opt: {self.optimizer} is the book's rule, set with its flags "
                f"({', '.join('--' + f for f in rule.flags)}); --opt is for torch.optim-style optimizers"
            )
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
        no_noise = rule.no_noise if rule else plugged.no_noise
        if no_noise and self.noise > 0:
            raise SettingsError(f"--noise: {no_noise}")
        if not _finite(self.tol) or self.tol < 0:
            raise SettingsError(f"--tol {self.tol}: the gradient-norm stop must be a finite number >= 0")
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**63:
            raise SettingsError(f"--seed {self.seed}: give a whole number from 0 to 2**63-1")
        own = rule.hyper if rule else ()  # the optimizer's own first: its flag names the mistake
        for h in (*own, *hypers().values()):
            why = h.refusal(getattr(self, h.field))
            if why:
                raise SettingsError(why)
        if self.schedule not in SCHEDULES:
            raise SettingsError(f"--schedule {self.schedule!r}: choose one of {', '.join(SCHEDULES)}")
        ls = self.landscape_obj
        if self.function is not None:
            if is_constant(self.function):  # parsed above: the text is valid
                raise SettingsError(
                    f"--function {self.function!r}: a constant, with no x or y, so no ball can roll on it; "
                    "give an expression in x (and y), e.g. 'x**2'"
                )
        check_start(ls, self.start)
        check_defined(ls, self.start)
        if plugged is not None:  # its constructor's and first step's own checks, before any run
            plugged.trial(self, ls)
        return ls

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (to a worker process) without the resolved landscape: a custom one holds
        closures, which do not pickle; the worker resolves it again."""
        return {k: v for k, v in self.__dict__.items() if k != "landscape_obj"}

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
        if "opt" in fields:
            fields["opt"] = tuple(sorted((str(k), _frozen(v)) for k, v in dict(fields["opt"]).items()))
        if fields.get("domain") is not None:
            fields["domain"] = tuple(tuple(b) for b in fields["domain"])
        return cls(**fields)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = list(self.start)
        d["domain"] = [list(b) for b in self.domain] if self.domain else None
        d["beta"] = self.momentum
        d["opt"] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.opt}
        return d


def _frozen(v: Any) -> Any:
    """A keyword's value as a settings field keeps it: lists (JSON's tuples) as tuples."""
    return tuple(_frozen(x) for x in v) if isinstance(v, (list, tuple)) else v


def parse_opt(text: str) -> tuple[tuple[str, Any], ...]:
    """`--opt betas=(0.9,0.99),weight_decay=0.01` -> keywords, each value read as a Python
    literal (numbers, booleans, None, strings, tuples), never evaluated."""
    if len(text) > OPT_CHARS:  # the parser recurses per nesting level: bounded before it runs
        raise SettingsError(f"--opt: {len(text):,} characters; give at most {OPT_CHARS:,}")
    try:
        call = ast.parse(f"f({text})", mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise SettingsError(f"--opt {text!r}: expected key=value,... e.g. --opt betas=(0.9,0.99)") from None
    if not isinstance(call, ast.Call) or call.args or any(k.arg is None for k in call.keywords):
        raise SettingsError(f"--opt {text!r}: expected key=value,... e.g. --opt weight_decay=0.01")
    out: dict[str, Any] = {}
    for kw in call.keywords:
        try:
            value = ast.literal_eval(kw.value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            raise SettingsError(
                f"--opt {kw.arg}: {ast.unparse(kw.value)!r} is not a literal (a number, True/False, "
                "None, a 'string' or a tuple)"
            ) from None
        if isinstance(value, (dict, set, bytes, complex)) or (
            isinstance(value, (list, tuple)) and not all(isinstance(x, (int, float, bool)) for x in value)
        ):
            raise SettingsError(
                f"--opt {kw.arg}: give a number, True/False, None, a 'string' or a tuple of numbers"
            )
        if any(isinstance(x, float) and not math.isfinite(x) for x in _frozen((value,))):
            raise SettingsError(f"--opt {kw.arg}: {ast.unparse(kw.value)} is not a finite number; give one")
        out[kw.arg] = _frozen(value)
    return tuple(sorted(out.items()))


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


def check_defined(ls: Landscape, start: tuple[float, ...]) -> None:
    """f and its gradient finite at the start: a run from anywhere else has no first step."""
    import numpy as np
    import torch

    p = torch.tensor([start], dtype=torch.float64, requires_grad=True)
    with np.errstate(all="ignore"):
        value = ls.fn(p)
        if value.requires_grad:
            (grad,) = torch.autograd.grad(value.sum(), p)
        else:  # a function that does not depend on the point: its gradient is 0
            grad = torch.zeros_like(p)
    if not (torch.isfinite(value).all() and torch.isfinite(grad).all()):
        raise SettingsError(
            f"--start {_fmt(start)}: {ls.plain} or its gradient is not defined at the start; "
            "give a start where both are finite numbers"
        )


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
