"""What did happen, in the claims' vocabulary: the sentence a beat falls back on when the
story's own sentence does not hold for this run."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from landscapes import Trajectory
from landscapes.claims import (
    Claim,
    Ground,
    at_critical,
    local_minimum,
    lowest_minimum,
    near_saddle,
    off_the_map,
    still_moving,
)
from scenes.narration.beats import Label
from scenes.words.i18n import _
from scenes.words.terms import status_words


def where(t: Trajectory, step: int = -1) -> str:
    """'x = 0.652' or '(x1, x2) = (-0.058, 0.000)' (three decimals)."""
    p = t.points[step]
    if len(p) == 1:
        return _("x = {x:.3f}").format(x=p[0])
    return f"({p[0]:.3f}, {p[1]:.3f})"


def plot_point(t: Trajectory, step: int = -1) -> tuple[float, float]:
    """Where a ball is drawn: (x, f) on a curve, (x1, x2) on a plane."""
    p = t.points[step]
    return (float(p[0]), float(t.values[step])) if len(p) == 1 else (float(p[0]), float(p[1]))


def describe(
    ground: Ground, t: Trajectory, name: str, ball: int
) -> tuple[str, list[Claim], list[Label], bool]:
    """One clause about where a ball ended: (words, the claim that holds, labels, warn)."""
    off = off_the_map(t, ball)
    if off:
        return f"{name}: {status_words(t.status)}", [off], [], True
    for claim, words, label in (
        (
            lowest_minimum(ground, t, ball),
            _("{name}: at the lowest minimum in view, {where}"),
            _("lowest minimum"),
        ),
        (
            local_minimum(ground, t, ball),
            _("{name}: stuck in a local minimum, {where} (f = {f:.3f})"),
            _("local minimum"),
        ),
        (at_critical(ground, t, "maximum", ball), _("{name}: balanced on a maximum, {where}"), _("maximum")),
        (near_saddle(ground, t, ball), _("{name}: frozen at a saddle point, {where}"), _("saddle point")),
    ):
        if claim:
            text = words.format(name=name, where=where(t), f=float(t.values[-1]))
            return text, [claim], [Label(label, plot_point(t), ball)], False
    moving = still_moving(t, ball)
    g = float(np.linalg.norm(t.grads[-1]))
    if moving:
        text = _("{name}: still moving when the steps ran out, {where}, |∇f| = {g:.3f}").format(
            name=name, where=where(t), g=g
        )
        if t.settings.schedule != "constant" and t.lrs is not None:
            text += _(", η fell to {lr:.4f}").format(lr=float(t.lrs[-1]))
        return text, [moving], [], False
    text = _("{name}: ends at {where}, |∇f| = {g:.3f}").format(name=name, where=where(t), g=g)
    return text, [Claim("ends", True, ball, {"end": t.end, "grad": g})], [], False


def describe_all(
    grounds: Sequence[Ground], trajectories: Sequence[Trajectory], names: Sequence[str], balls: Sequence[int]
) -> tuple[str, list[Claim], list[Label], bool]:
    """`describe` for several balls, one clause each, joined."""
    words, claims, labels, warn = [], [], [], False
    for k in balls:
        w, c, lab, wr = describe(grounds[k], trajectories[k], names[k], k)
        words.append(w)
        claims += c
        labels += lab
        warn = warn or wr
    return "; ".join(words), claims, unique(labels), warn


def unique(labels: Sequence[Label], near: float = 1e-9) -> list[Label]:
    """Two labels never share one target unless they say the same thing: of the labels within
    `near` of each other (in the plot's units), the first is kept."""
    out: list[Label] = []
    for lab in labels:
        if any(np.linalg.norm(np.subtract(lab.at, o.at)) <= near for o in out):
            continue
        out.append(lab)
    return out
