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

if TYPE_CHECKING:  # torch is imported only when a landscape is needed: `roll list` stays fast
    from .functions import Bounds, Landscape

OPTIMIZERS = ("gd", "sgd", "momentum", "adam")
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
    momentum: float = 0.9
    tol: float = 1e-8

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
        if given.get("optimizer") == "gd" and "noise" not in given:
            given["noise"] = 0.0
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
        if not isinstance(self.seed, int) or not 0 <= self.seed < 2**63:
            raise SettingsError(f"--seed {self.seed}: give a whole number from 0 to 2**63-1")
        if not 0 <= self.momentum < 1:
            raise SettingsError(f"momentum {self.momentum}: must be in [0, 1)")
        ls = self.landscape_obj
        check_start(ls, self.start)
        return ls

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Settings:
        """The inverse of to_dict (lists back to tuples)."""
        fields = dict(d)
        fields["start"] = tuple(fields["start"])
        if fields.get("domain") is not None:
            fields["domain"] = tuple(tuple(b) for b in fields["domain"])
        return cls(**fields)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"] = list(self.start)
        d["domain"] = [list(b) for b in self.domain] if self.domain else None
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
