"""The words of the network scenes: a real model's training loss (the empirical risk) and its
held-out loss (the risk) on a plane through its weights. Every sentence is a claim checked on
the run (landscapes/network/claims.py); a claim that does not hold gives way to what did happen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from landscapes import Trajectory
from landscapes.claims import Claim
from landscapes.network.claims import fell, lowest_step, minima_apart, monotone, near_plane, overfit
from scenes.narration.beats import Beat, Label, Narration
from scenes.words.i18n import _
from scenes.words.terms import optimizer_name, settings_label


def model_words(net: Any) -> str:
    """'a 2-16-16-1 MLP' / 'logistic regression' / 'linear regression'."""
    spec = net.spec
    if spec.kind == "mlp":
        sizes = "-".join(str(w) for w in (net.d_in, *spec.widths, 1))
        return _("a {sizes} MLP").format(sizes=sizes)
    return _("logistic regression") if spec.kind == "logistic" else _("linear regression")


def plane_words(kind: str) -> str:
    return {
        "pca": _("the plane of the path's two main directions"),
        "random": _("two filter-normalised random directions"),
        "line": _("the line from the initial to the final weights"),
    }[kind]


def batch_words(net: Any) -> str:
    if net.batch in (0, net.samples):
        return _("full batch")
    return _("batches of {b}").format(b=net.batch)


def opening(t: Trajectory) -> str:
    """What is trained on what, with which optimizer, on which slice."""
    net = t.net.run.net
    s = t.settings
    optimizer = optimizer_name(s.optimizer)
    if "lr" in s.hyperparameters:
        optimizer += f" η={s.lr:g}"
    return _("{model} on {n} points of {data}, {optimizer}, {batch}").format(
        model=model_words(net), n=net.samples, data=net.data, optimizer=optimizer, batch=batch_words(net)
    )


def diverged(t: Trajectory, ball: int) -> Beat | None:
    run = t.net.run
    if run.status not in ("diverged", "singular"):
        return None
    claim = Claim(run.status, True, ball, {"step": run.steps})
    words = (
        _("the run diverged at step {k}: the learning rate is too large")
        if run.status == "diverged"
        else _("Newton's Hessian is singular at step {k}: the run stops")
    )
    return Beat(words.format(k=run.steps), at=run.steps, hold=1.5, warn=True, claims=(claim,))


def held_out_beat(t: Trajectory, ball: int, overfitting_word: bool = True) -> Beat:
    """Where the held-out loss was lowest; overfitting if it rose after."""
    run = t.net.run
    over = overfit(run.test_loss, ball)
    k, low = over.values["step"], over.values["lowest"]
    if over:
        words = _("the held-out loss is lowest at step {k} ({low:.3g}) and rises after it to {end:.3g}")
        if overfitting_word:
            words = _(
                "overfitting: the held-out loss is lowest at step {k} ({low:.3g}), then rises to {end:.3g}"
            )
        return Beat(words.format(k=k, low=low, end=over.values["end"]), at=k, hold=1.5, claims=(over,))
    where = lowest_step(run.test_loss, ball)
    if k == run.steps:
        words = _("the held-out loss falls to the last step, {low:.3g}: no overfitting in {n} steps")
        return Beat(words.format(low=low, n=run.steps), at=k, hold=1.2, claims=(where, over))
    words = _("the held-out loss is lowest at step {k} ({low:.3g}) and ends within 2 % of it")
    return Beat(words.format(k=k, low=low), at=k, hold=1.2, claims=(where, over))


def fell_beat(t: Trajectory, ball: int) -> Beat:
    run = t.net.run
    c = fell(run.train_loss, ball)
    if c:
        words = _("the training loss fell from {a:.3g} to {b:.3g} in {n} steps")
        return Beat(
            words.format(a=c.values["start"], b=c.values["end"], n=run.steps), at=run.steps, claims=(c,)
        )
    words = _("the training loss did not fall: {a:.3g} at the start, {b:.3g} at the end")
    return Beat(words.format(a=c.values["start"], b=c.values["end"]), at=run.steps, warn=True, claims=(c,))


def plane_beat(t: Trajectory, ball: int, distance: np.ndarray | None = None) -> Beat:
    """How far the path strays from the slice: said, and a warning when it is not small."""
    rec = t.net
    d = rec.distance if distance is None else distance
    c = near_plane(rec.run.params, d, ball)
    what = _("the line") if rec.line else _("the plane")
    if c:
        words = _("the path stays within {d:.3g} of {what} ({p:.0%} of its length)")
    else:
        words = _(
            "the path strays up to {d:.3g} off {what} ({p:.0%} of its length): the slice is not its landscape"
        )
    text = words.format(d=c.values["distance"], what=what, p=c.values["ratio"])
    return Beat(text, hold=1.5, warn=not c, claims=(c,))


def race(trajs: Sequence[Trajectory], names: Sequence[str]) -> Narration:
    """Several optimizers on one model: each one's losses, then the plane's caveat."""
    net = trajs[0].net.run.net
    n = Narration(list(names))
    opening = _(
        "{model} on {n} points of {data}, {batch}: {k} optimizers, one plane fitted to all their paths"
    )
    n.add(
        Beat(
            opening.format(
                model=model_words(net), n=net.samples, data=net.data, batch=batch_words(net), k=len(trajs)
            ),
            hold=1.2,
        )
    )
    last = max(t.net.run.steps for t in trajs)
    for k, (t, name) in enumerate(zip(trajs, names, strict=True)):
        run = t.net.run
        stop = diverged(t, k)
        if stop:
            n.add(Beat(f"{name}: {stop.caption}", at=last, hold=1.2, warn=True, claims=stop.claims))
            continue
        c, low = fell(run.train_loss, k), lowest_step(run.test_loss, k)
        if c:
            words = _("{name}: training loss {a:.3g} → {b:.3g}; held-out loss at its lowest {low:.3g}")
        else:
            words = _(
                "{name}: the training loss did not fall, {a:.3g} → {b:.3g}; held-out at its lowest {low:.3g}"
            )
        text = words.format(name=name, a=c.values["start"], b=c.values["end"], low=low.values["lowest"])
        n.add(Beat(text, at=last, hold=1.2, warn=not c, claims=(c, low)))
    worst = max(
        range(len(trajs)),
        key=lambda k: near_plane(trajs[k].net.run.params, trajs[k].net.distance).values["ratio"],
    )
    far = near_plane(trajs[worst].net.run.params, trajs[worst].net.distance, worst)
    if far:
        words = _(
            "one plane for all paths, none more than {p:.0%} of its length off it: "
            "a shared slice, not each path's own landscape"
        )
    else:
        words = _(
            "one plane for all paths: {name} strays up to {d:.3g} off it ({p:.0%} of its length); beware"
        )
    text = words.format(name=names[worst], d=far.values["distance"], p=far.values["ratio"])
    n.add(Beat(text, hold=1.8, warn=not far, claims=(far,)))
    return n


def network(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    if len(trajs) > 1:  # --optimizers: a ball each, named by its settings
        return race(trajs, [settings_label(t.settings) for t in trajs])
    t = trajs[0]
    n = Narration([settings_label(t.settings)])
    n.add(Beat(opening(t), hold=1.2))
    stop = diverged(t, 0)
    if stop:
        n.add(stop)
        return n
    beats = [held_out_beat(t, 0), fell_beat(t, 0)]
    for beat in sorted(beats, key=lambda b: b.at):  # a caption leaves before the readouts pass its step
        n.add(beat)
    n.add(plane_beat(t, 0))
    return n


def generalization(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    train_t, test_t = trajs
    rec = train_t.net
    net = rec.run.net
    n = Narration([_("training loss"), _("held-out loss")])
    intro = _(
        "empirical risk: the loss on {n} training points; risk: on {m} fresh points; one path, one plane"
    )
    n.add(Beat(intro.format(n=net.samples, m=net.fresh), hold=1.2))
    stop = diverged(train_t, 0)
    if stop:
        n.add(stop)
        return n
    beats = [held_out_beat(test_t, 1), fell_beat(train_t, 0)]
    for beat in sorted(beats, key=lambda b: b.at):
        n.add(beat)
    sl = rec.slice
    apart = minima_apart(sl.xs, sl.ys, sl.train, sl.test)
    v = apart.values
    if apart:
        words = _(
            "the training minimum on the slice ({a:.3g}) is not the held-out one ({b:.3g}); "
            "there, held-out {c:.3g}"
        )
        labels = (
            Label(_("minimum"), tuple(v["train_at"]), 0, "minimum"),
            Label(_("minimum"), tuple(v["test_at"]), 1, "minimum"),
        )
        n.add(
            Beat(
                words.format(a=v["train_min"], b=v["test_min"], c=v["test_at_train_min"]),
                hold=2.0,
                labels=labels,
                claims=(apart,),
            )
        )
    else:
        words = _("on this slice both losses are lowest at the same point, ({x:.3g}, {y:.3g})")
        x, y = v["train_at"]
        n.add(Beat(words.format(x=x, y=y), hold=2.0, claims=(apart,)))
    n.add(plane_beat(train_t, 0))
    return n


def interpolation(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    train_t, test_t = trajs
    rec = train_t.net
    sl = rec.slice
    xs, train_line, test_line = sl.xs, sl.train[0], sl.test[0]
    n = Narration([_("training loss"), _("held-out loss")])
    n.add(
        Beat(
            _("both losses on the line from the initial weights (α = 0) to the final ones (α = 1)"), hold=1.2
        )
    )
    stop = diverged(train_t, 0)
    if stop:
        n.add(stop)
        return n
    last = rec.run.steps
    inside = (xs >= 0) & (xs <= 1)
    mono = monotone(train_line[inside], 0, at=xs[inside])
    a, b = mono.values["first"], mono.values["last"]
    if mono:
        words = _("along the line the training loss falls without a bump, from {a:.3g} to {b:.3g}")
        n.add(Beat(words.format(a=a, b=b), at=last // 2, hold=1.5, claims=(mono,)))
    else:
        at = mono.values["rise_at"]
        words = _("along the line the training loss rises at α = {x:.2f}: a bump on the way")
        n.add(Beat(words.format(x=at), at=last // 2, hold=1.5, claims=(mono,)))
    k = int(np.argmin(test_line))
    step = xs[1] - xs[0]
    short = Claim(
        "held_out_short_of_end",
        bool(xs[k] < 1 - step / 2 and test_line[k] < test_line[np.argmin(np.abs(xs - 1))]),
        1,
        {
            "alpha": float(xs[k]),
            "lowest": float(test_line[k]),
            "at_end": float(test_line[np.argmin(np.abs(xs - 1))]),
        },
    )
    if short:
        words = _(
            "on the line the held-out loss is lowest at α = {x:.2f} ({v:.3g}), before the end ({e:.3g})"
        )
        label = (Label(_("held-out minimum"), (float(xs[k]), float(test_line[k])), 1, "minimum"),)
    else:
        words = _("on the line the held-out loss is lowest at α = {x:.2f} ({v:.3g}); at the end {e:.3g}")
        label = ()
    text = words.format(x=short.values["alpha"], v=short.values["lowest"], e=short.values["at_end"])
    n.add(Beat(text, at=last, hold=1.8, labels=label, claims=(short,)))
    # the distance from the line itself: the plane's second axis is the path's sway off it
    sway = np.abs(rec.coords[:, 1]) * np.linalg.norm(rec.plane.axes[1])
    n.add(plane_beat(train_t, 0, np.sqrt(rec.distance**2 + sway**2)))
    return n


NARRATORS = {"network": network, "generalization": generalization, "interpolation": interpolation}
