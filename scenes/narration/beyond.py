"""Beyond the chapter: compare (several optimizers, one start), basins (many starts) and
custom (your own function). Their words are verdicts on where each ball ended."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from landscapes import Landscape, Trajectory, classify
from landscapes.claims import Claim, off_the_map
from scenes.narration.beats import Beat, Narration
from scenes.words.i18n import _
from scenes.words.terms import (
    kind_words,
    optimizer_label,
    optimizer_name,
    settings_label,
    status_short,
    status_words,
)

SAME_MINIMUM = 0.05  # end points closer than this reached the same minimum


def kind_at_end(t: Trajectory) -> str:
    """What the ball's end point is (landscapes.classify): minimum, maximum, saddle, not critical."""
    return classify(t.settings.landscape_obj, t.end).kind


def verdict(t: Trajectory, ball: int) -> tuple[str, Claim]:
    """'→ minimum, f = -1.047' under a ball's readouts."""
    off = off_the_map(t, ball)
    if off:
        return "→ " + status_short(t.status), off
    kind = kind_at_end(t)
    claim = Claim(f"ends_{kind.replace(' ', '_')}", True, ball, {"end": t.end, "f": float(t.values[-1])})
    if kind == "not critical":
        return _("→ still moving, f = {f:.3f}").format(f=t.values[-1]), claim
    return _("→ {kind}, f = {f:.3f}").format(kind=kind_words(kind), f=t.values[-1]), claim


def summary(trajs: Sequence[Trajectory]) -> str:
    """Who got lowest; who was caught higher (at a minimum that is not the lowest), who was
    still moving higher up; balls that left the map are not ranked."""
    name = [optimizer_name(t.settings.optimizer) for t in trajs]
    ranked = [k for k, t in enumerate(trajs) if not off_the_map(t)]
    gone = [name[k] for k, t in enumerate(trajs) if off_the_map(t)]
    if not ranked:
        return _("no ball stayed on the map: {names}").format(names=", ".join(gone))
    best = min(trajs[k].values[-1] for k in ranked)
    low = [name[k] for k in ranked if trajs[k].values[-1] <= best + 0.01]
    high = [k for k in ranked if trajs[k].values[-1] > best + 0.01]
    caught = [name[k] for k in high if kind_at_end(trajs[k]) == "minimum"]
    other = [name[k] for k in high if kind_at_end(trajs[k]) != "minimum"]
    out = _("lowest (f = {f:.3f}): {names}").format(f=best, names=", ".join(low))
    if caught:
        out += _("; caught higher: {names}").format(names=", ".join(caught))
    if other:
        out += _("; higher, not at a minimum: {names}").format(names=", ".join(other))
    if gone:
        out += _("; off the map: {names}").format(names=", ".join(gone))
    return out


def compare(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    n = Narration([settings_label(t.settings) for t in trajs])
    names = ", ".join(optimizer_name(t.settings.optimizer) for t in trajs)
    n.add(Beat(_("the same start for {names}").format(names=names), hold=0.6))
    verdicts = [verdict(t, k) for k, t in enumerate(trajs)]
    n.extras["verdicts"] = [v for v, _c in verdicts]
    n.add(
        Beat(summary(trajs), at=max(t.steps for t in trajs), hold=2.0, claims=tuple(c for _v, c in verdicts))
    )
    return n


def group_ends(ends: np.ndarray) -> tuple[np.ndarray, list[float]]:
    """Label each end point by the minimum it reached (sorted by x); returns labels, centres."""
    order = np.argsort(ends)
    labels = np.empty(len(ends), dtype=int)
    centres: list[list[float]] = []
    for i in order:
        if centres and abs(ends[i] - centres[-1][-1]) < SAME_MINIMUM:
            centres[-1].append(ends[i])
        else:
            centres.append([ends[i]])
        labels[i] = len(centres) - 1
    return labels, [float(np.mean(c)) for c in centres]


def basins(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    n = Narration([_("ball {k}").format(k=k + 1) for k in range(len(trajs))])
    n.add(
        Beat(
            _("{n} balls released at once ({optimizer})").format(
                n=len(trajs), optimizer=optimizer_label(trajs[0].settings)
            ),
            hold=0.6,
        )
    )
    ends = np.array([t.end[0] for t in trajs])
    _labels, centres = group_ends(ends)
    ls = trajs[0].settings.landscape_obj
    kinds = [classify(ls, [c]).kind for c in centres]
    n.extras["centres"] = centres
    n.extras["kinds"] = kinds
    minima = Claim(
        "all_minima",
        all(k == "minimum" for k in kinds) and not any(off_the_map(t) for t in trajs),
        None,
        {"centres": centres, "kinds": kinds},
    )
    if minima:
        words = _("{n} minima reached: each shaded stretch is one minimum's basin")
    else:
        words = _("{n} places where balls ended: each shaded stretch holds the starts that ended at one")
    n.add(Beat(words.format(n=len(centres)), hold=2.0, claims=(minima,)))
    return n


def ending(ls: Landscape, t: Trajectory) -> tuple[str, bool]:
    """The caption for where the ball ended, and whether it is a warning."""
    words = status_words(t.status)
    if words:
        return words, True
    c = classify(ls, t.end)
    eig = ", ".join(f"{v:.3g}" for v in c.eigenvalues)
    where = ", ".join(f"{v:.3f}" for v in t.end)
    if c.kind == "not critical":
        return _("still moving at ({where}) after {n} steps: not a critical point yet").format(
            where=where, n=t.steps
        ), False
    if len(c.eigenvalues) > 1:
        text = _("ends at a {kind} ({where}): Hessian eigenvalues {eig}")
    else:
        text = _("ends at a {kind} ({where}): f″ = {eig}")
    return text.format(kind=kind_words(c.kind), where=where, eig=eig), False


def custom(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    (t,) = trajs
    n = Narration([optimizer_label(t.settings)])
    if t.points.shape[1] == 1:
        first = _("start x = {x:g}, learning rate {lr:g}").format(x=t.points[0, 0], lr=t.settings.lr)
    else:
        first = _("start ({x:g}, {y:g}), learning rate {lr:g}").format(
            x=t.points[0, 0], y=t.points[0, 1], lr=t.settings.lr
        )
    n.add(Beat(first, hold=0.6))
    words, warn = ending(t.settings.landscape_obj, t)
    kind = "off_the_map" if warn else f"ends_{kind_at_end(t).replace(' ', '_')}"
    n.add(Beat(words, at=t.steps, hold=2.0, warn=warn, claims=(Claim(kind, True, 0, {"end": t.end}),)))
    return n


def race(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    """Each ball ran at its tuned rate: who arrived (and stayed) first, by the runs' own numbers
    (landscapes.tune's objective: within 1e-4 of the start's gap to f*, to the end)."""
    from landscapes.tune import best_value, judge

    n = Narration([settings_label(t.settings) for t in trajs])
    fstar = best_value(trajs[0].settings)
    judged = [judge(t, fstar) for t in trajs]
    n.add(
        Beat(
            _("each learning rate tuned first for this landscape and start, then one start for all"), hold=0.6
        )
    )
    order = sorted(range(len(trajs)), key=lambda k: (judged[k][0], k))
    arrived = [k for k in order if judged[k][1] is not None]
    rank = {k: r + 1 for r, k in enumerate(arrived)}
    verdicts, claims = [], []
    for k, t in enumerate(trajs):
        step = judged[k][1]
        if step is not None:
            verdicts.append(_("→ #{rank} to arrive, step {step}").format(rank=rank[k], step=step))
            claims.append(Claim("arrived_in_f", True, k, {"step": step, "rank": rank[k], "fstar": fstar}))
        else:  # compare's verdict: off the map, or what its end point is (caught at a minimum, moving)
            words, claim = verdict(t, k)
            verdicts.append(words)
            claims.append(claim)
    n.extras["verdicts"] = verdicts
    n.extras["order"] = order
    name = [optimizer_name(t.settings.optimizer) for t in trajs]
    if arrived:
        first = arrived[0]
        words = _("first to arrive: {name}, at step {step}").format(name=name[first], step=judged[first][1])
        if len(arrived) > 1:
            words += _("; then {names}").format(names=", ".join(name[k] for k in arrived[1:]))
    else:
        near = order[0]
        words = _("no ball arrived in {steps} steps; nearest: {name}, f = {f:.3f}").format(
            steps=trajs[near].settings.steps, name=name[near], f=trajs[near].values[-1]
        )
    n.add(Beat(words, at=max(t.steps for t in trajs), hold=2.0, claims=tuple(claims)))
    return n


NARRATORS = {
    "compare": compare,
    "race": race,
    "basins": basins,
    "custom": custom,
}
