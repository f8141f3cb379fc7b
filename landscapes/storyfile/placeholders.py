"""A caption's placeholders: what `{adam.x:.3f}` reads from a run, how a caption is filled,
and which placeholders a file may write."""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .faults import Fault
from .vocabulary import BALL_FIELDS, HYPER_FIELDS, INT_FIELDS, SPEC, STATE_FIELD, STR_FIELDS

if TYPE_CHECKING:
    from ..trajectory import Trajectory


@dataclass(frozen=True)
class BallValues:
    """What `{name.field}` reads: the ball at the beat's step, and its whole run."""

    x: float
    y: float
    x1: float
    x2: float
    f: float
    g: float
    step: int
    steps: int
    status: str
    lr: float
    rate: float
    optimizer: str
    name: str
    beta: float
    gamma: float
    rho: float
    beta1: float
    beta2: float
    noise: float
    seed: int
    state: Mapping[str, tuple[float, ...]] = field(default_factory=dict)  # {adam.s2}: s's 2nd coordinate


def ball_values(t: Trajectory, name: str, step: int) -> BallValues:
    import numpy as np

    i = min(max(step, 0), len(t.points) - 1)
    p = t.points[i]
    y = float(p[1]) if len(p) > 1 else math.nan
    s = t.settings
    rate = float(t.lrs[i]) if t.lrs is not None and i < len(t.lrs) else s.lr
    return BallValues(
        x=float(p[0]),
        y=y,
        x1=float(p[0]),
        x2=y,
        f=float(t.values[i]),
        g=float(np.linalg.norm(t.grads[i])),
        step=i,
        steps=t.steps,
        status=t.status,
        lr=s.lr,
        rate=rate,
        optimizer=s.optimizer,
        name=name,
        beta=s.momentum,
        gamma=s.gamma,
        rho=s.rho,
        beta1=s.beta1,
        beta2=s.beta2,
        noise=s.noise,
        seed=s.seed,
        state={k: tuple(float(v) for v in rows[i]) for k, rows in t.state.items()},
    )


class _Fill(string.Formatter):
    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> tuple[Any, str]:
        head, _, attr = field_name.partition(".")
        if head == "step" and not attr:
            return self.values["step"], field_name
        m = None if attr in BALL_FIELDS + HYPER_FIELDS else STATE_FIELD.fullmatch(attr)
        if m:
            return self.values[head].state[m.group(1)][int(m.group(2)) - 1], field_name
        return getattr(self.values[head], attr), field_name


def fill(text: str, values: Mapping[str, Any]) -> str:
    """A caption with its placeholders replaced ({adam.x:.3f}; {step} is the beat's step)."""
    return _Fill(values).format(text)


def placeholder_faults(text: str, path: tuple[str | int, ...], balls: Mapping[str, int]) -> list[Fault]:
    """Every placeholder must name a ball and one of its fields, with a plain number format."""
    faults: list[Fault] = []
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [Fault(path, f"{exc}; write a brace as {{{{ or }}}}")]
    fields = ", ".join(BALL_FIELDS + HYPER_FIELDS)
    for _lit, name, spec, conv in parsed:
        if name is None:
            continue
        if conv:
            faults.append(Fault(path, f"{{{name}!{conv}}}: no conversions; drop !{conv}"))
        if spec and not SPEC.match(spec):
            faults.append(Fault(path, f"{{{name}:{spec}}}: give a number format such as .3f, .2e or g"))
        head, dot, attr = name.partition(".")
        kind = "int" if name == "step" or attr in INT_FIELDS else "str" if attr in STR_FIELDS else "float"
        if spec and SPEC.match(spec) and not _spec_fits(spec, kind):
            what = {"str": "words", "int": "a whole number", "float": "a number"}[kind]
            faults.append(
                Fault(path, f"{{{name}:{spec}}}: {name} is {what}; drop :{spec} or give one that fits")
            )
        if name == "step":
            continue
        if not dot:
            faults.append(
                Fault(path, f"{{{name}}}: write {{BALL.FIELD}}, e.g. {{{name}.x:.3f}}, or {{step}}")
            )
        elif head not in balls:
            known = ", ".join(balls) or "none"
            faults.append(
                Fault(path, f"{{{name}}}: no ball is named {head!r} (balls: {known}); fix the name")
            )
        elif attr not in BALL_FIELDS + HYPER_FIELDS and STATE_FIELD.fullmatch(attr):
            if int(attr[-1]) > max(balls[head], 1):
                faults.append(Fault(path, f"{{{name}}}: the landscape has one variable; use {attr[:-1]}1"))
        elif attr not in BALL_FIELDS + HYPER_FIELDS:
            faults.append(
                Fault(
                    path,
                    f"{{{name}}}: {attr!r} is not a field of a ball; choose from {fields}, "
                    "or its optimizer's state per coordinate (v1, s2, …)",
                )
            )
        elif attr in ("y", "x2") and balls[head] == 1:
            faults.append(Fault(path, f"{{{name}}}: the landscape has one variable; use {head}.x"))
    return faults


def _spec_fits(spec: str, kind: str) -> bool:
    """Whether a number format applies to a field's kind: words take only a width, a
    float no `d`."""
    if kind == "str":
        return re.fullmatch(r"[<>^]?\d{0,2}", spec) is not None
    return kind == "int" or not spec.endswith("d")
