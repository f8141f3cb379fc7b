"""The chapter's first section: risk, local minima, ripples, saddles, vanishing gradients."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from landscapes import Trajectory
from landscapes.claims import (
    NEAR,
    Claim,
    Ground,
    at_critical,
    crawling,
    escaped,
    flat,
    is_optimizer,
    local_minimum,
    lowest_minimum,
    moved,
    near_saddle,
    off_the_map,
)
from scenes.narration.beats import Beat, Label, Narration, Zoom
from scenes.narration.describe import describe, describe_all, plot_point, unique
from scenes.words.i18n import _
from scenes.words.terms import optimizer_label, optimizer_name


def ground_of(t: Trajectory, view: Sequence[float] | None = None) -> Ground:
    """The landscape of a ball over the view (its domain when the story plots the domain)."""
    ls = t.settings.landscape_obj
    return Ground(ls, [view] if view is not None else ls.domain)


def first(condition: np.ndarray, last: int) -> int:
    """First index where `condition` holds (`last` if never), as StoryScene.first_step."""
    hits = np.flatnonzero(condition)
    return int(hits[0]) if len(hits) else last


def risk(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    g_t, f_t = trajs
    n = Narration([_("ball on g"), _("ball on f")])
    n.add(Beat(_("the same start, the same learning rate, on f and on g"), hold=0.8))
    grounds = [ground_of(g_t), ground_of(f_t)]
    on_min = [at_critical(grounds[k], t, "minimum", k) for k, t in enumerate(trajs)]
    apart = Claim(
        "apart", f"{g_t.end[0]:.3f}" != f"{f_t.end[0]:.3f}", None, {"g": g_t.end[0], "f": f_t.end[0]}
    )
    if all(on_min) and apart:
        n.add(
            Beat(
                _("they settle apart: g at x = {g:.3f}, f at x = {f:.3f}").format(g=g_t.end[0], f=f_t.end[0]),
                at=max(t.steps for t in trajs),
                hold=2.0,
                labels=(
                    Label(_("min of empirical risk"), plot_point(g_t), 0),
                    Label(_("min of risk"), plot_point(f_t), 1),
                ),
                claims=(*on_min, apart),
            )
        )
    else:
        words, claims, labels, warn = describe_all(grounds, trajs, n.names, [0, 1])
        n.add(
            Beat(
                words,
                at=max(t.steps for t in trajs),
                hold=2.0,
                warn=warn,
                labels=tuple(labels),
                claims=tuple(claims),
            )
        )
    return n


def local_min(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    left, right = trajs
    n = Narration([_("start x = {x:g}").format(x=t.points[0, 0]) for t in trajs])
    plain = [is_optimizer(t, "gd", ball=k) for k, t in enumerate(trajs)]
    if all(plain):
        n.add(
            Beat(
                _("two starts, plain gradient descent, the same learning rate"), hold=0.8, claims=tuple(plain)
            )
        )
    else:
        n.add(
            Beat(
                _("two starts, {optimizer}, the same learning rate").format(
                    optimizer=optimizer_label(left.settings)
                ),
                hold=0.8,
            )
        )
    ground = ground_of(left)
    claims = (
        flat(left, 0),
        flat(right, 1),
        local_minimum(ground, left, 0),
        lowest_minimum(ground, right, 1),
    )
    end = max(t.steps for t in trajs)
    if all(claims):
        n.add(
            Beat(
                _(
                    "f′ = 0 at both: stuck at x = {x1:.2f} (f = {f1:.2f}), best at x = {x2:.2f} (f = {f2:.2f})"  # noqa: E501
                ).format(x1=left.end[0], f1=left.values[-1], x2=right.end[0], f2=right.values[-1]),
                at=end,
                hold=2.0,
                labels=(
                    Label(_("local minimum"), plot_point(left), 0),
                    Label(_("global minimum"), plot_point(right), 1),
                ),
                claims=claims,
            )
        )
    else:
        words, cl, labels, warn = describe_all([ground, ground], trajs, n.names, [0, 1])
        n.add(Beat(words, at=end, hold=2.0, warn=warn, labels=tuple(labels), claims=tuple(cl)))
    return n


def ripples(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    noisy, plain = trajs
    n = Narration([optimizer_label(noisy.settings), ""])
    n.names[1] = (
        _("{optimizer} (no noise)").format(optimizer=optimizer_name(plain.settings.optimizer))
        if plain.settings.noise == 0
        else optimizer_label(plain.settings)
    )
    with_noise = Claim(
        "noise", noisy.settings.noise > 0 and plain.settings.noise == 0, 0, {"noise": noisy.settings.noise}
    )
    if with_noise:
        n.add(
            Beat(_("two balls, one start: without and with gradient noise"), hold=0.8, claims=(with_noise,))
        )
    else:
        n.add(Beat(_("two balls, one start: {a} and {b}").format(a=n.names[1], b=n.names[0]), hold=0.8))
    ground = ground_of(noisy, (-1.0, 2.0))
    near = NEAR * ground.width  # labels closer than this would sit on one another
    caught_at = first(np.abs(plain.grads[:, 0]) < 1e-3, plain.steps)
    at = max(caught_at, 8)
    caught = (local_minimum(ground, plain, 1), flat(plain, 1, bound=1e-3))
    x = plain.end[0]
    if all(caught):
        n.add(
            Beat(
                _("no noise: caught by a ripple at x = {x:.2f}, where g′ ≈ 0").format(x=x),
                at=at,
                seconds=3.0,
                hold=1.2,
                labels=(Label(_("caught"), plot_point(plain), 1),),
                claims=caught,
            )
        )
    else:
        words, cl, labels, warn = describe(ground, plain, n.names[1], 1)
        n.add(Beat(words, at=at, seconds=3.0, hold=1.2, warn=warn, labels=tuple(labels), claims=tuple(cl)))
    out = (escaped(ground, noisy, 0), with_noise)
    last = max(t.steps for t in trajs)
    if all(out):
        labels = unique([*n.beats[-1].labels, Label(_("escaped"), plot_point(noisy), 0)], near)
        n.add(
            Beat(
                _("with noise: jumped out of the ripples, settles at x = {x:.2f}").format(x=noisy.end[0]),
                at=last,
                seconds=6.5,
                hold=2.7,
                labels=tuple(labels[len(n.beats[-1].labels) :]),
                claims=out,
                zoom=Zoom(last=30),  # the dip where both end, from close
            )
        )
    else:
        words, cl, labels, warn = describe(ground, noisy, n.names[0], 0)
        shown = n.beats[-1].labels
        fresh = unique([*shown, *labels], near)[len(shown) :]
        n.add(
            Beat(
                words,
                at=last,
                seconds=6.5,
                hold=2.7,
                warn=warn,
                labels=tuple(fresh),
                claims=tuple(cl),
                zoom=Zoom(last=30),
            )
        )
    return n


def cubic_saddle(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    (t,) = trajs
    n = Narration([optimizer_label(t.settings)])
    ground = ground_of(t)
    towards = Claim(
        "towards", t.steps >= 1 and abs(t.points[1, 0]) < abs(t.points[0, 0]), 0, {"start": t.points[0, 0]}
    )
    gd = is_optimizer(t, "gd", ball=0)
    if gd and towards:
        n.add(Beat(_("plain gradient descent towards the flat point x = 0"), hold=0.6, claims=(gd, towards)))
    else:
        n.add(
            Beat(
                _("{optimizer} from x = {x:g}").format(
                    optimizer=optimizer_label(t.settings), x=t.points[0, 0]
                ),
                hold=0.6,
            )
        )
    slow = first(np.abs(t.grads[:, 0]) < 0.05, t.steps)
    if off_the_map(t) and slow >= t.steps:
        words, cl, labels, warn = describe(ground, t, n.names[0], 0)
        n.add(Beat(words, at=t.steps, hold=2.0, warn=warn, claims=tuple(cl)))
        return n
    steps = np.abs(np.diff(t.points[: slow + 1, 0]))
    shrinking = Claim(
        "shrinking",
        slow < t.steps and abs(t.grads[slow, 0]) < 0.05 and bool(np.all(steps[1:] < steps[:-1])),
        0,
        {"step": slow, "grad": t.grads[slow, 0]},
    )
    if shrinking:
        n.add(
            Beat(
                _("step {step}: f′ < 0.05, every step is shorter than the last").format(step=slow),
                at=slow,
                hold=0.6,
                claims=(shrinking,),
            )
        )
    elif slow < t.steps:
        n.add(
            Beat(
                _("step {step}: f′ = {g:.3f}").format(step=slow, g=t.grads[slow, 0]),
                at=slow,
                hold=0.6,
            )
        )
    frozen = near_saddle(ground, t, 0)
    if frozen:
        saddle = frozen.values["point"]
        n.add(
            Beat(
                _("gradient ≈ 0: frozen at the saddle, x = {x:.3f} after {steps} steps").format(
                    x=t.end[0], steps=t.steps
                ),
                at=t.steps,
                hold=2.0,
                labels=(
                    Label(
                        _("saddle point: f′ = f″ = 0"),
                        (float(saddle[0]), float(t.settings.landscape_obj.value(*saddle))),
                        None,
                        "saddle",
                    ),
                ),
                claims=(frozen,),
            )
        )
    else:
        words, cl, labels, warn = describe(ground, t, n.names[0], 0)
        n.add(Beat(words, at=t.steps, hold=2.0, warn=warn, labels=tuple(labels), claims=tuple(cl)))
    return n


def saddle_surface(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    (t,) = trajs
    n = Narration([optimizer_label(t.settings)])
    ground = ground_of(t)
    x0, y0 = t.points[0]
    axis = Claim("near_x_axis", abs(y0) < 0.05 * abs(x0), 0, {"start": t.points[0]})
    if axis:
        n.add(
            Beat(_("start ({x:g}, {y:g}): almost on the x-axis").format(x=x0, y=y0), hold=0.6, claims=(axis,))
        )
    else:
        n.add(Beat(_("start ({x:g}, {y:g})").format(x=x0, y=y0), hold=0.6))
    inward = first(np.abs(t.points[:, 0]) < 0.05 * abs(x0), t.steps)
    rolled = Claim(
        "rolls_in",
        inward < t.steps and abs(t.points[inward, 1]) > abs(y0) and is_optimizer(t, "gd").holds,
        0,
        {"step": inward, "at": t.points[inward]},
    )
    if rolled:
        n.add(
            Beat(
                _("rolls in along x: ∂f/∂x = 2x shrinks, ∂f/∂y = −2y grows"),
                at=inward,
                hold=0.6,
                claims=(rolled,),
            )
        )
    off_y = Claim(
        "off_along_y",
        t.status == "left_domain" and abs(t.end[1]) >= abs(t.end[0]),
        0,
        {"end": t.end},
    )
    if off_y:
        n.add(
            Beat(
                _("slides off along y: off the map at y = {y:.2f} after {n} steps").format(
                    y=t.end[1], n=t.steps
                ),
                at=t.steps,
                hold=2.0,
                claims=(off_y,),
            )
        )
        return n
    near = near_saddle(ground, t, 0)
    growing = Claim("y_grows", abs(t.end[1]) > abs(y0) and abs(t.end[0]) < abs(x0), 0, {"end": t.end})
    if near and growing:
        n.add(
            Beat(
                _("still near the saddle: x → 0 and y grows slowly"),
                at=t.steps,
                hold=2.0,
                claims=(near, growing),
            )
        )
    else:
        words, cl, labels, warn = describe(ground, t, n.names[0], 0)
        n.add(Beat(words, at=t.steps, hold=2.0, warn=warn, claims=tuple(cl)))
    return n


def vanishing(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    crawl, steep = trajs
    n = Narration([_("start x = {x:g}").format(x=t.points[0, 0]) for t in trajs])
    ground = ground_of(crawl)
    x0, g0 = crawl.points[0, 0], crawl.grads[0, 0]
    vanishing = flat(crawl, 0, step=0)
    slow = crawling(ground, crawl, 0)
    if vanishing and slow:
        n.add(
            Beat(
                _("f′({x:g}) ≈ {g:.4f}: crawling").format(x=x0, g=g0),
                hold=0.8,
                before=(Label(_("vanishing gradient"), plot_point(crawl, 0), 0),),
                claims=(vanishing, slow),
            )
        )
    else:
        n.add(Beat(_("f′({x:g}) = {g:.4f}").format(x=x0, g=g0), hold=0.8))
    last = max(t.steps for t in trajs)
    if off_the_map(crawl):
        words, cl, labels, warn = describe_all([ground, ground], trajs, n.names, [0, 1])
        n.add(Beat(words, at=last, hold=2.0, warn=warn, labels=tuple(labels), claims=tuple(cl)))
        return n
    a, b = moved(crawl), moved(steep)
    ran = Claim("ran_farther", slow.holds and b > a, 1, {"crawler": a, "steep": b})
    if ran and steep.status == "left_domain":
        words = _("after {n} steps the crawler moved {moved:.3f}; the steep start ran {ran:.2f} to the edge")
    elif ran:
        words = _("after {n} steps the crawler moved {moved:.3f}; the steep start ran {ran:.2f}")
    else:
        words = _(
            "after {n} steps the ball from x = {x:g} moved {moved:.3f}; the one from x = {y:g}, {ran:.2f}"
        )
    n.add(
        Beat(
            words.format(n=crawl.steps, moved=a, ran=b, x=x0, y=steep.points[0, 0]),
            at=last,
            hold=2.0,
            claims=(ran, slow),
        )
    )
    return n


NARRATORS = {
    "risk": risk,
    "local-minimum": local_min,
    "ripples": ripples,
    "cubic-saddle": cubic_saddle,
    "saddle-surface": saddle_surface,
    "vanishing-gradient": vanishing,
}
