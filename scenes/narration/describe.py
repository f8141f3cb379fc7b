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
    frozen,
    local_minimum,
    lowest_minimum,
    near_saddle,
    off_the_map,
    still_moving,
)
from scenes.narration.beats import Label
from scenes.words.i18n import _
from scenes.words.terms import kind_words, status_words


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
    stop = frozen(ground, t, ball)
    if stop:
        text = _("{name}: {what}").format(name=name, what=stop_words(t, stop, where(t)))
        return text, [stop], [], False
    moving = still_moving(ground, t, ball)
    g = float(np.linalg.norm(t.grads[-1]))
    if moving:
        text = _("{name}: still moving when the steps ran out, {where}, |∇f| = {g:.3f}").format(
            name=name, where=where(t), g=g
        )
        if t.settings.schedule != "constant" and t.lrs is not None:
            text += _(", η fell to {lr:.3g}").format(lr=float(t.lrs[-1]))
        return text, [moving], [], False
    text = _("{name}: ends at {where}, |∇f| = {g:.3f}").format(name=name, where=where(t), g=g)
    return text, [Claim("ends", True, ball, {"end": t.end, "grad": g})], [], False


def stop_words(t: Trajectory, stop: Claim, at: str) -> str:
    """Why a ball that is not at a critical point stopped (claims.frozen's cause), at `at`, and
    how far the nearest critical point is: 'stopped by --tol at x = 1.2: |∇f| = 0.28 < 0.3'."""
    v = stop.values
    g = v["grad"]
    d = v["nearest"]
    if v["point"] is None:
        near = _("no critical point in view")
    elif d >= v["near"]:
        near = _("no critical point within {r:.3g}").format(r=v["near"])
    else:
        near = _("{d:.3g} from a {kind}").format(d=d, kind=kind_words(v["kind"]))
    cause = v["cause"]
    if cause == "tol":
        return _("stopped by --tol at {where}: |∇f| = {g:.3g} < {tol:g}; {near}").format(
            where=at, g=g, tol=v["tol"], near=near
        )
    if cause == "schedule":
        text = _("frozen at {where} after {n} steps: η fell to {lr:.3g}, |∇f| = {g:.3g}; {near}")
    elif cause == "optimizer":
        text = _(
            "stopped at {where} after {n} steps: the optimizer takes no more steps, |∇f| = {g:.3g}; {near}"
        )
    elif cause == "plateau":
        text = _("stopped on a plateau at {where} after {n} steps: |∇f| = {g:.3g}; {near}")
    else:
        text = _("frozen on a slope at {where} after {n} steps: |∇f| = {g:.3g}; {near}")
    return text.format(where=at, n=t.steps, lr=v["lr"] or 0.0, g=g, near=near)


def distinct(names: Sequence[str], optimizers: Sequence[str]) -> list[str]:
    """The balls' names, each told apart: a name two balls share gets the library its optimizer
    comes from ('RAdam (torch.optim)', 'RAdam (pytorch_optimizer)'), then a number ('AdamW',
    'AdamW #2') where that is not enough."""
    from landscapes.plugins import resolve
    from landscapes.rules import RULES

    def source(o: str) -> str:
        return "d2l" if o in RULES else resolve(o).source

    out = list(names)
    for k, nm in enumerate(names):
        same = [j for j, other in enumerate(names) if other == nm]
        if len(same) > 1 and len({source(optimizers[j]) for j in same}) > 1:
            out[k] = f"{nm} ({source(optimizers[k])})"
    seen: dict[str, int] = {}
    for k, nm in enumerate(out):
        if out.count(nm) > 1:
            seen[nm] = seen.get(nm, 0) + 1
            if seen[nm] > 1:
                out[k] = f"{nm} #{seen[nm]}"
    return out


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
