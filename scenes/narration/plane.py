"""The chapter's 2D stories on 0.1·x1² + 2·x2² and x1² + 2·x2², seen from above: schedules,
ill-conditioning, momentum, adagrad, rmsprop, adadelta and adam."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from landscapes import Trajectory
from landscapes.claims import Claim, arrived, blew_up, is_optimizer, off_the_map, stalled, steeper
from scenes.narration.beats import BOOK_VIEW, Beat, Narration, Zoom
from scenes.narration.chapter import ground, lowest
from scenes.words.i18n import _
from scenes.words.terms import optimizer_name, schedule_name, settings_label, status_words


def numbers_2d(t: Trajectory, ball: int, name: str, **beat: Any) -> Beat:
    """'adam η=0.4: (x1, x2) = (…) after n steps', or how it stopped off the map."""
    off = off_the_map(t, ball)
    if off:
        return Beat(f"{name}: {status_words(t.status)}", warn=True, claims=(off,), **beat)
    return Beat(
        _("{name}: ({x1:.6f}, {x2:.6f}) after {n} steps").format(
            name=name, x1=t.end[0], x2=t.end[1], n=t.steps
        ),
        **beat,
    )


def names_of(trajs: Sequence[Trajectory]) -> list[str]:
    return [settings_label(t.settings) for t in trajs]


def sgd_schedules(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    n = Narration(names_of(trajs))
    s = trajs[0].settings
    kinds = [t.settings.schedule for t in trajs]
    three = Claim(
        "three_schedules",
        s.noise > 0
        and len(set(kinds)) == len(trajs) == 3
        and all(t.settings.noise == s.noise for t in trajs),
        None,
        {"schedules": kinds, "noise": s.noise},
    )
    if three:
        words = _("the same noisy gradients (σ = {s:g}, seed {seed}), three learning-rate schedules")
    elif s.noise > 0:
        words = _("noisy gradients (σ = {s:g}, seed {seed}): {list}")
    else:
        words = _("no gradient noise: {list}")
    listing = ", ".join(schedule_name(k) for k in kinds)
    n.add(Beat(words.format(s=s.noise, seed=s.seed, list=listing), hold=1.0, claims=(three,)))
    last = max(t.steps for t in trajs)
    constant = [k for k, t in enumerate(trajs) if t.settings.schedule == "constant" and t.settings.noise > 0]
    if constant:
        claim = Claim("constant_noisy", True, constant[0], {"schedule": "constant", "noise": s.noise})
        n.add(
            Beat(
                _("a constant η keeps every step as noisy as the first"),
                at=last // 3,
                seconds=3.5,
                hold=1.0,
                claims=(claim,),
            )
        )
    g = ground(trajs[0], BOOK_VIEW)
    low = lowest(g, trajs[0])
    # the positions after each ball's last k steps, one k for the sentence (the book's 10)
    last_k = max(1, min(10, min(t.steps for t in trajs)))
    far = []
    for t in trajs:
        k = last_k
        spread = float(np.linalg.norm(t.points[-k:] - np.asarray(low), axis=1).mean())
        far.append(_("{schedule}: {d:.3f}").format(schedule=schedule_name(t.settings.schedule), d=spread))
    offs = [off_the_map(t, k) for k, t in enumerate(trajs)]
    if any(offs):
        k = next(k for k, c in enumerate(offs) if c)
        n.add(numbers_2d(trajs[k], k, n.names[k], at=last, hold=3.0))
    else:
        n.add(
            Beat(
                _("mean distance from the minimum over the last {k} steps: {list}").format(
                    k=last_k, list="; ".join(far)
                ),
                at=last,
                hold=3.0,
                zoom=Zoom(last=last_k),  # the steps the sentence measures, from close
            )
        )
    return n


def ill_conditioned(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    n = Narration(names_of(trajs))
    order = sorted(range(len(trajs)), key=lambda k: trajs[k].settings.lr)
    kc, kw = order
    calm, wild = trajs[kc], trajs[kw]
    g = ground(calm, BOOK_VIEW)
    low = lowest(g, calm)
    steep = steeper(g, low)
    ratio = steep.values["ratio"]
    if steep:
        n.add(
            Beat(
                _("x2 is {r:g} times steeper than x1: one learning rate must suit both").format(
                    r=round(ratio, 3)
                ),
                hold=1.0,
                claims=(steep,),
            )
        )
    else:
        n.add(
            Beat(
                _("one learning rate for both coordinates: {list}").format(list=", ".join(n.names)), hold=1.0
            )
        )
    if wild.steps >= 3:  # the book's run; a shorter one skips this beat
        from landscapes.claims import overshooting

        jumps = overshooting(wild, kw, until=3, axis=1, centre=low[1])
        if jumps:
            words = _("η = {lr:g}: every step along x2 overshoots farther, x2 = {x2:.2f} at step 3")
        else:
            words = _("η = {lr:g}: x2 = {x2:.2f} at step 3")
        n.add(
            Beat(
                words.format(lr=wild.settings.lr, x2=wild.points[3, 1]),
                at=3,
                seconds=4.0,
                hold=1.2,
                claims=(jumps,),
            )
        )
    last = max(t.steps for t in trajs)
    x2_done = abs(calm.end[1] - low[1]) <= 0.01 * max(abs(calm.points[0, 1] - low[1]), 1e-12)
    crawl = Claim(
        "crawls_along_x1",
        x2_done and stalled(calm, low).holds and not off_the_map(calm),
        kc,
        {"end": calm.end, "minimum": low},
    )
    if crawl:
        n.add(
            Beat(
                _("η = {lr:g} crawls along x1: ({x1:.6f}, {x2:.6f}) after {n} steps").format(
                    lr=calm.settings.lr, x1=calm.end[0], x2=calm.end[1], n=calm.steps
                ),
                at=last,
                hold=1.5,
                claims=(crawl,),
            )
        )
    else:
        n.add(numbers_2d(calm, kc, n.names[kc], at=last, hold=1.5))
    up = blew_up(g, wild, 1, kw)
    if up:
        n.add(
            Beat(
                _("η = {lr:g} blew up along x2, out of view: ({x1:.6f}, {x2:.6f}) after {n} steps").format(
                    lr=wild.settings.lr, x1=wild.end[0], x2=wild.end[1], n=wild.steps
                ),
                at=last,
                warn=True,
                hold=2.5,
                claims=(up,),
            )
        )
    else:
        n.add(numbers_2d(wild, kw, n.names[kw], at=last, hold=2.5))
    return n


def momentum(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    main, low_b, gd = trajs
    n = Narration(names_of(trajs))
    g = ground(main, BOOK_VIEW)
    low = lowest(g, main)
    is_m = is_optimizer(main, "momentum", ball=0)
    if is_m:
        n.add(
            Beat(
                _("thin arrow: the gradient's own step −η·g; thick: the real step −η·v, with v ← β·v + g"),
                at=1,  # at step 0 v = g: the two arrows are one
                seconds=1.0,
                hold=1.5,
                claims=(is_m,),
            )
        )
    else:
        n.add(Beat(_("thin arrow: the gradient's own step −η·g; thick: each ball's real step"), hold=1.5))
    # the book's own run is not strictly alternating (∂f/∂x2 is -6.08 then -0.128 at steps 2
    # and 3), so the sentence says "keeps flipping": most steps change its sign
    k = min(4, main.steps)
    g2 = main.grads[: k + 1, 1]
    flips = int(np.sum(g2[1:] * g2[:-1] < 0))
    v = main.state.get("v")
    mean_g = float(np.abs(g2[:k]).mean()) if k else 0.0
    averaged = bool(v is not None and k >= 1 and abs(v[k, 1]) < 0.5 * mean_g)
    flip = Claim(
        "flips_and_averages",
        k >= 2 and flips >= 0.75 * k and averaged and is_m.holds,
        0,
        {"g2": g2.tolist(), "flips": flips, "v2": None if v is None else float(v[k, 1])},
    )
    if flip:
        n.add(
            Beat(
                _("along x2 the gradient keeps flipping sign and v averages it away"),
                at=4,
                seconds=4.5,
                hold=1.2,
                claims=(flip,),
            )
        )
    elif main.steps >= 1:
        n.add(
            Beat(
                _("step {k}: ∂f/∂x2 = {g:.3f}").format(k=k, g=main.grads[k, 1]),
                at=4,
                seconds=4.5,
                hold=1.2,
            )
        )
    last = max(t.steps for t in trajs)
    gd_up = blew_up(g, gd, 1, 2)
    # "where gd blew up" holds the momentum ball up as the one that did not: it must stay in view
    kept = Claim("on_map", not off_the_map(main) and g.in_view(main.end), 0, {"end": main.end})
    beat = (is_m, is_optimizer(gd, "gd", ball=2), gd_up, kept)
    if all(beat):
        n.add(
            Beat(
                _("β = {b:g}: ({x1:.6f}, {x2:.6f}) after {n} steps, where gd with η = {lr:g} blew up").format(
                    b=main.settings.beta, x1=main.end[0], x2=main.end[1], n=main.steps, lr=gd.settings.lr
                ),
                at=last,
                hold=2.0,
                claims=beat,
            )
        )
    else:
        n.add(numbers_2d(main, 0, n.names[0], at=last, hold=2.0))
        n.add(numbers_2d(gd, 2, n.names[2], hold=2.0))
    less = Claim(
        "less_memory",
        is_optimizer(low_b, "momentum").holds
        and low_b.settings.beta < main.settings.beta
        and not off_the_map(low_b),
        1,
        {"beta": low_b.settings.beta, "other": main.settings.beta},
    )
    if less:
        n.add(
            Beat(
                _("β = {b:g}: less memory, ({x1:.6f}, {x2:.6f})").format(
                    b=low_b.settings.beta, x1=low_b.end[0], x2=low_b.end[1]
                ),
                hold=2.0,
                claims=(less,),
            )
        )
    else:
        n.add(numbers_2d(low_b, 1, n.names[1], hold=2.0))
    del low
    return n


def carriers(trajs: Sequence[Trajectory], name: str = "s") -> list[int]:
    return [k for k, t in enumerate(trajs) if name in t.state]


def adagrad(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    n = Narration(names_of(trajs))
    g = ground(trajs[0], BOOK_VIEW)
    low = lowest(g, trajs[0])
    ada = [is_optimizer(t, "adagrad", ball=k) for k, t in enumerate(trajs)]
    if all(ada):
        n.add(
            Beat(
                _("bars: √s per coordinate, the divisor of each step; s ← s + g²"),
                hold=1.2,
                claims=tuple(ada),
            )
        )
    elif carriers(trajs):
        n.add(Beat(_("bars: √s per coordinate, the divisor of each step"), hold=1.2))
    else:
        n.add(Beat(", ".join(n.names), hold=1.2))
    t = trajs[0]
    if t.steps >= 4 and "s" in t.state:
        s4 = t.state["s"][4]
        dx = np.abs(np.diff(t.points[:5, 1]))
        grew = Claim(
            "s_grew_steps_shrank",
            ada[0].holds and s4[1] > s4[0] and dx[-1] < dx[0],
            0,
            {"s": s4.tolist(), "steps_x2": dx.tolist()},
        )
        if grew:
            n.add(
                Beat(
                    _("x2's gradients were large: its s grew, its steps shrank"),
                    at=4,
                    seconds=4.0,
                    hold=1.2,
                    claims=(grew,),
                )
            )
        else:
            n.add(
                Beat(
                    _("step 4: s = ({s1:.3f}, {s2:.3f})").format(s1=s4[0], s2=s4[1]),
                    at=4,
                    seconds=4.0,
                    hold=1.2,
                )
            )
    last = max(t.steps for t in trajs)
    order = sorted(range(len(trajs)), key=lambda k: trajs[k].settings.lr)
    ks, kf = order[0], order[-1]
    slow, fast = trajs[ks], trajs[kf]
    verdict = (stalled(slow, low, ks), arrived(fast, low, kf))
    if all(verdict) and ks != kf:
        n.add(
            Beat(
                _(
                    "η = {a:g} stalls at ({x1:.6f}, {x2:.6f}); η = {b:g} arrives at ({y1:.6f}, {y2:.6f})"
                ).format(
                    a=slow.settings.lr,
                    x1=slow.end[0],
                    x2=slow.end[1],
                    b=fast.settings.lr,
                    y1=fast.end[0],
                    y2=fast.end[1],
                ),
                at=last,
                hold=2.5,
                claims=verdict,
            )
        )
    else:
        for k, t in enumerate(trajs):
            n.add(numbers_2d(t, k, n.names[k], at=last if k == 0 else None, hold=2.5 if k else 1.5))
    return n


def rmsprop(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    n = Narration(names_of(trajs))
    rms, ada = trajs
    g = ground(rms, BOOK_VIEW)
    low = lowest(g, rms)
    kinds = (is_optimizer(rms, "rmsprop", ball=0), is_optimizer(ada, "adagrad", ball=1))
    if all(kinds):
        n.add(
            Beat(
                _("bars: √s per coordinate; rmsprop's s forgets old gradients, adagrad's only adds"),
                hold=1.2,
                claims=kinds,
            )
        )
    elif carriers(trajs):
        n.add(Beat(_("bars: √s per coordinate, the divisor of each step"), hold=1.2))
    else:
        n.add(Beat(", ".join(n.names), hold=1.2))
    if rms.steps >= 6 and ada.steps >= 6 and "s" in rms.state:
        s = rms.state["s"]
        mine = float(np.linalg.norm(rms.points[6] - rms.points[5]))
        theirs = float(np.linalg.norm(ada.points[6] - ada.points[5]))
        keeps = Claim(
            "s_shrinks_steps_long",
            all(kinds) and bool(np.all(s[6] < s[5])) and mine > theirs,
            0,
            {"s5": s[5].tolist(), "s6": s[6].tolist(), "step": mine, "other_step": theirs},
        )
        if keeps:
            n.add(
                Beat(
                    _("as the gradients shrink, rmsprop's s shrinks too: its steps stay long"),
                    at=6,
                    seconds=4.0,
                    hold=1.2,
                    claims=(keeps,),
                )
            )
        else:
            n.add(
                Beat(
                    _("step 6: {a} moves {d:.3f}, {b} {e:.3f}").format(
                        a=n.names[0], d=mine, b=n.names[1], e=theirs
                    ),
                    at=6,
                    seconds=4.0,
                    hold=1.2,
                )
            )
    last = max(t.steps for t in trajs)
    verdict = (*kinds, arrived(rms, low, 0), stalled(ada, low, 1))
    if all(verdict):
        n.add(
            Beat(
                _("rmsprop reaches ({x1:.6f}, {x2:.6f}); adagrad stalls at ({y1:.6f}, {y2:.6f})").format(
                    x1=rms.end[0], x2=rms.end[1], y1=ada.end[0], y2=ada.end[1]
                ),
                at=last,
                hold=2.5,
                claims=verdict,
            )
        )
    else:
        n.add(numbers_2d(rms, 0, n.names[0], at=last, hold=1.5))
        n.add(numbers_2d(ada, 1, n.names[1], hold=2.5))
    return n


def adam(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    n = Narration(names_of(trajs))
    g = ground(trajs[0], BOOK_VIEW)
    low = lowest(g, trajs[0])
    kinds = (is_optimizer(trajs[0], "adam", ball=0), is_optimizer(trajs[1], "adadelta", ball=1))
    if all(kinds):
        n.add(
            Beat(
                _("adam: momentum's v and rmsprop's s, bias-corrected; adadelta: no learning rate at all"),
                hold=1.5,
                claims=kinds,
            )
        )
    else:
        n.add(Beat(", ".join(n.names), hold=1.5))
    t = trajs[0]
    if t.steps >= 3:
        eta = t.settings.lr
        first = np.abs(np.diff(t.points[:4], axis=0))
        about = Claim(
            "steps_about_eta",
            kinds[0].holds and bool(np.all((first > 0.5 * eta) & (first < 1.5 * eta))),
            0,
            {"steps": first.tolist(), "lr": eta},
        )
        if about:
            n.add(
                Beat(
                    _("adam's first steps are about η long in each coordinate"),
                    at=10,
                    seconds=4.0,
                    hold=1.2,
                    claims=(about,),
                )
            )
        else:
            n.add(
                Beat(
                    _("{name}: first step ({d1:.3f}, {d2:.3f})").format(
                        name=n.names[0], d1=first[0, 0], d2=first[0, 1]
                    ),
                    at=10,
                    seconds=4.0,
                    hold=1.2,
                )
            )
    last = max(t.steps for t in trajs)
    offs = [off_the_map(t, k) for k, t in enumerate(trajs)]
    if any(offs):
        k = next(k for k, c in enumerate(offs) if c)
        n.add(numbers_2d(trajs[k], k, n.names[k], at=last, hold=3.0))
        return n
    dist = ", ".join(
        _("{name} {d:.3f}").format(
            name=optimizer_name(t.settings.optimizer), d=float(np.linalg.norm(t.end - np.asarray(low)))
        )
        for t in trajs
    )
    # adam's return loop from close: from its first step past the minimum's x1 to the end
    past = np.flatnonzero(t.points[:, 0] > low[0])
    back = int(past[0]) if len(past) else max(t.steps - 10, 0)
    n.add(
        Beat(
            _("distance from the minimum after {n} steps: {list}").format(n=last, list=dist),
            at=last,
            hold=3.0,
            zoom=Zoom(last=max(last - back, 1), balls=(0,)),
        )
    )
    return n


NARRATORS = {
    "sgd-schedules": sgd_schedules,
    "ill-conditioned": ill_conditioned,
    "momentum": momentum,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
}
