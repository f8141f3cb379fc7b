"""The gradient-descent section on curves: learning rates, overshooting, Newton's method;
and its 2D example on the plane."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from landscapes import Trajectory
from landscapes.claims import (
    Claim,
    Ground,
    arrived,
    at_critical,
    is_optimizer,
    nearer,
    off_the_map,
    overshooting,
    settles_first,
    stalled,
)
from scenes.narration.beats import BOOK_VIEW, Beat, Label, Narration
from scenes.narration.describe import describe, describe_all, plot_point
from scenes.words.i18n import _
from scenes.words.terms import optimizer_label, optimizer_name, settings_label, status_words


def ground(t: Trajectory, view: Sequence[float] | Sequence[Sequence[float]]) -> Ground:
    bounds = view if isinstance(view[0], (tuple, list)) else [view]
    return Ground(t.settings.landscape_obj, [b[:2] for b in bounds])


def lowest(g: Ground, t: Trajectory) -> tuple[float, ...]:
    """The lowest minimum in view (where the story's balls head), or the origin if none is."""
    low = g.lowest
    return low.at if low is not None else tuple(0.0 for _ in t.end)


def generic(g: Ground, t: Trajectory, name: str, ball: int, **beat: Any) -> Beat:
    words, claims, labels, warn = describe(g, t, name, ball)
    return Beat(words, warn=warn, labels=tuple(labels), claims=tuple(claims), **beat)


def learning_rate(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    order = sorted(range(len(trajs)), key=lambda k: trajs[k].settings.lr)
    names = [settings_label(t.settings) for t in trajs]
    n = Narration(names)
    slow, mid, wild = (trajs[k] for k in order)
    ks, km, kw = order
    g = ground(mid, (-20.0, 20.0))
    same = Claim(
        "three_rates",
        len({t.settings.lr for t in trajs}) == 3
        and len({t.steps for t in trajs}) == 1
        and all(is_optimizer(t, "gd") for t in trajs),
        None,
        {"lrs": [t.settings.lr for t in trajs]},
    )
    if same:
        n.add(
            Beat(
                _("x² from x = {x:g}: the same {n} steps of gradient descent, three learning rates").format(
                    x=mid.points[0, 0], n=mid.steps
                ),
                hold=1.0,
                claims=(same,),
            )
        )
    else:
        n.add(
            Beat(
                _("x² from x = {x:g}: {names}").format(x=mid.points[0, 0], names=", ".join(names)),
                hold=1.0,
            )
        )
    centre = lowest(g, mid)[0]
    if wild.steps >= 3:  # the book's run; a shorter one skips this beat
        jumps = overshooting(wild, kw, until=3, centre=centre)
        if jumps:
            words = _("η = {lr:g}: each step jumps past 0 and lands farther out, x = {x:.2f}")
        else:
            words = _("η = {lr:g}: x = {x:.2f} at step 3")
        n.add(
            Beat(
                words.format(lr=wild.settings.lr, x=wild.points[3, 0]),
                at=3,
                seconds=4.5,
                hold=1.2,
                claims=(jumps,),
            )
        )
    end = max(t.steps for t in trajs)
    crawls = stalled(slow, (centre,), ks)
    if crawls and not off_the_map(slow):
        n.add(
            Beat(
                _("η = {lr:g} crawls: x = {x:.6f} after {n} steps").format(
                    lr=slow.settings.lr, x=slow.end[0], n=slow.steps
                ),
                at=end,
                hold=1.5,
                claims=(crawls,),
            )
        )
    else:
        n.add(numbers_1d(slow, ks, at=end, hold=1.5))
    gets = arrived(mid, (centre,), km)
    if gets:
        n.add(
            Beat(
                _("η = {lr:g} arrives: x = {x:.6f} after {n} steps").format(
                    lr=mid.settings.lr, x=mid.end[0], n=mid.steps
                ),
                at=end,
                hold=1.5,
                claims=(gets,),
            )
        )
    else:
        n.add(numbers_1d(mid, km, at=end, hold=1.5))
    wider = overshooting(wild, kw, centre=centre)
    if wider and not off_the_map(wild):
        n.add(
            Beat(
                _("η = {lr:g}: each step lands farther out, |x| = {x:.6f} after {n} steps").format(
                    lr=wild.settings.lr, x=abs(wild.end[0]), n=wild.steps
                ),
                at=end,
                hold=2.5,
                claims=(wider,),
            )
        )
    else:
        n.add(numbers_1d(wild, kw, at=end, hold=2.5))
    return n


def numbers_1d(t: Trajectory, ball: int, **beat: Any) -> Beat:
    """'η = 0.3: x = 0.000001 after 10 steps', or how it stopped off the map."""
    off = off_the_map(t, ball)
    if off:
        return Beat(
            _("η = {lr:g}: {status}").format(lr=t.settings.lr, status=status_words(t.status)),
            warn=True,
            claims=(off,),
            **beat,
        )
    return Beat(
        _("η = {lr:g}: x = {x:.6f} after {n} steps").format(lr=t.settings.lr, x=t.end[0], n=t.steps), **beat
    )


def overshoot(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    (t,) = trajs
    n = Narration([settings_label(t.settings)])
    g = ground(t, (-13.0, 13.0))
    gd = is_optimizer(t, "gd", ball=0)
    if gd:
        words = _("from x = {x:g} with η = {lr:g}: the step is η·f′, long where the slope is steep")
    else:
        words = _("from x = {x:g} with η = {lr:g}")
    n.add(Beat(words.format(x=t.points[0, 0], lr=t.settings.lr), hold=1.0, claims=(gd,)))
    near = g.basin_minimum(float(t.points[0, 0]))
    if t.steps >= 1:  # a run that stopped at its start has no jump to show
        jump = int(np.argmax(np.abs(np.diff(t.points[:, 0])))) + 1
        a, b = sorted((t.points[jump - 1, 0], t.points[jump, 0]))
        past = Claim(
            "jumps_past",
            near is not None and a < near.at[0] < b,
            0,
            {"step": jump, "minimum": near.at if near else None},
        )
        d = abs(t.points[jump, 0] - t.points[jump - 1, 0])
        if past:
            words = _("step {k}: one jump of {d:.2f} carries the ball past the near minimum")
        else:
            words = _("step {k}: the longest jump, {d:.2f}")
        n.add(Beat(words.format(k=jump, d=d), at=jump, seconds=3.0, hold=1.2, claims=(past,)))
    end = g.basin_minimum(float(t.end[0])) if g.in_view(t.end) else None
    # "ends … in a poorer minimum": in its basin and within NEAR of it (the book's ball, 0.30 from
    # it after 10 steps, still rolls in), not on a slope far from it (--steps 1: 2.4 away)
    gap = abs(float(t.end[0]) - end.at[0]) if end is not None else np.inf
    poorer = Claim(
        "poorer_minimum",
        not off_the_map(t)
        and near is not None
        and end is not None
        and gap < g.near
        and end.at != near.at
        and end.value > near.value,
        0,
        {
            "end": t.end,
            "jumped": near.at if near else None,
            "ends_in": end.at if end else None,
            "distance": gap,
            "near": g.near,
        },
    )
    if poorer:
        n.add(
            Beat(
                _(
                    "it ends at x = {x:.6f} (f = {f:.2f}), in a poorer minimum than the one it jumped over"
                ).format(x=t.end[0], f=t.values[-1]),
                at=t.steps,
                hold=2.5,
                labels=(Label(_("poorer minimum"), (end.at[0], end.value), None, "minimum"),),
                claims=(poorer,),
            )
        )
    else:
        n.add(generic(g, t, n.names[0], 0, at=t.steps, hold=2.5))
    return n


def gd_2d(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    (t,) = trajs
    n = Narration([settings_label(t.settings)])
    g = ground(t, BOOK_VIEW)
    low = lowest(g, t)
    first = (is_optimizer(t, "gd", ball=0), settles_first(t, 1, 0, low, 0))
    if all(first):
        n.add(
            Beat(
                _("each step is −η·∇f: across the contour lines, steeper along x2, so x2 settles first"),
                hold=1.0,
                claims=first,
            )
        )
    else:
        n.add(
            Beat(
                _("{optimizer} from ({x1:g}, {x2:g})").format(
                    optimizer=settings_label(t.settings), x1=t.points[0, 0], x2=t.points[0, 1]
                ),
                hold=1.0,
            )
        )
    if t.steps >= 5:  # the book's run; a shorter one (--steps, a blow-up) skips this beat
        n.add(
            Beat(
                _("after 5 steps x2 = {x2:.3f} while x1 = {x1:.3f}").format(
                    x1=t.points[5, 0], x2=t.points[5, 1]
                ),
                at=5,
                seconds=3.5,
                hold=1.0,
            )
        )
    off = off_the_map(t, 0)
    if off:
        n.add(Beat(f"{n.names[0]}: {status_words(t.status)}", at=t.steps, hold=2.5, warn=True, claims=(off,)))
    else:
        n.add(
            Beat(
                _("after {n} steps: (x1, x2) = ({x1:.6f}, {x2:.6f})").format(
                    n=t.steps, x1=t.end[0], x2=t.end[1]
                ),
                at=t.steps,
                hold=2.5,
            )
        )
    return n


def newton(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    main = trajs[0].settings.landscape
    acts = [[k for k, t in enumerate(trajs) if t.settings.landscape == main]]
    acts.append([k for k, t in enumerate(trajs) if t.settings.landscape != main])
    n = Narration([settings_label(t.settings) for t in trajs])
    views = [(-11.0, 11.0), (-2.0, 30.0)]
    for act, balls in enumerate(acts):
        if not balls:
            continue
        ts = [trajs[k] for k in balls]
        grounds = [ground(t, views[act]) for t in ts]
        newtons = [is_optimizer(t, "newton", ball=k) for k, t in zip(balls, ts, strict=True)]
        end = max(t.steps for t in ts)
        if newtons[0]:
            n.add(
                Beat(
                    _("Newton's step is η·f′/f″: the slope divided by the curvature"),
                    hold=1.0,
                    act=act,
                    claims=(newtons[0],),
                )
            )
        else:
            n.add(Beat(", ".join(n.names[k] for k in balls), hold=1.0, act=act))
        if act == 0 and len(ts) == 2:
            nt, gt = ts
            low = lowest(grounds[0], nt)
            beat_claims = (
                newtons[0],
                is_optimizer(gt, "gd", ball=balls[1]),
                nearer(nt, gt, low, (balls[0], balls[1])),
            )
            if all(beat_claims) and not off_the_map(nt) and not off_the_map(gt):
                n.add(
                    Beat(
                        _(
                            "Newton: x = {x:.6f} after {n} steps; gradient descent (η = {lr:g}) is still at {g:.3f}"  # noqa: E501
                        ).format(x=nt.end[0], n=nt.steps, lr=gt.settings.lr, g=gt.end[0]),
                        at=end,
                        via=((3, 2.5),),
                        hold=2.0,
                        act=act,
                        claims=beat_claims,
                    )
                )
                continue
        if act == 1 and len(ts) == 2:
            wt, ht = ts
            walk = at_critical(grounds[0], wt, "maximum", balls[0])
            half = at_critical(grounds[1], ht, "minimum", balls[1])
            if walk and half:
                n.add(
                    Beat(
                        _(
                            "η = {a:g} walks to a maximum, x = {x:.4f}; η = {b:g} to a minimum, x = {y:.4f}"
                        ).format(a=wt.settings.lr, x=wt.end[0], b=ht.settings.lr, y=ht.end[0]),
                        at=end,
                        via=((3, 2.5),),
                        hold=2.0,
                        act=act,
                        labels=(
                            Label(_("maximum: f″ < 0"), plot_point(wt), balls[0]),
                            Label(_("minimum"), plot_point(ht), balls[1]),
                        ),
                        claims=(walk, half),
                    )
                )
                continue
        words, claims, labels, warn = describe_all(
            [*grounds], ts, [n.names[k] for k in balls], range(len(ts))
        )
        claims = [
            Claim(c.name, c.holds, balls[c.ball] if c.ball is not None else None, c.values) for c in claims
        ]
        labels = [
            Label(lab.words, lab.at, balls[lab.ball] if lab.ball is not None else None, lab.kind)
            for lab in labels
        ]
        n.add(
            Beat(
                words,
                at=end,
                via=((3, 2.5),),
                hold=2.0,
                act=act,
                warn=warn,
                labels=tuple(labels),
                claims=tuple(claims),
            )
        )
    return n


__all__ = ["generic", "ground", "lowest", "optimizer_label", "optimizer_name"]


NARRATORS = {
    "learning-rate": learning_rate,
    "overshoot": overshoot,
    "gd-2d": gd_2d,
    "newton": newton,
}
