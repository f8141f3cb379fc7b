"""Beyond the chapter: compare (several optimizers, one start), basins (many starts) and
custom (your own function). Their words are verdicts on where each ball ended."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from landscapes import Trajectory, classify
from landscapes.claims import Claim, Ground, at_critical, ending, fitted_view, off_the_map
from scenes.narration.beats import ZOOM_STEPS, Beat, Narration, Zoom
from scenes.narration.describe import distinct, stop_words
from scenes.words.i18n import _
from scenes.words.terms import (
    LEGEND_SAYS_THE_REST,
    kind_words,
    optimizer_label,
    optimizer_name,
    settings_label,
    status_short,
    status_words,
    stop_short,
)

SAME_MINIMUM = 0.05  # end points closer than this reached the same minimum


def ground_fitted(trajs: Sequence[Trajectory]) -> Ground:
    """The landscape over the view compare and custom draw: the domain, else where the balls went."""
    ls = trajs[0].settings.landscape_obj
    return Ground(ls, fitted_view([t.points for t in trajs], ls.domain))


def verdict(ground: Ground, t: Trajectory, ball: int) -> tuple[str, Claim]:
    """'→ minimum, f = -1.047' under a ball's readouts: how the run ended (claims.ending)."""
    end = ending(ground, t, ball)
    if end.name in ("at_minimum", "at_maximum", "at_saddle"):
        kind = end.name.removeprefix("at_")
        return _("→ {kind}, f = {f:.3f}").format(kind=kind_words(kind), f=t.values[-1]), end
    if end.name == "frozen":
        return _("→ {stop}, f = {f:.3f}").format(stop=stop_short(end.values["cause"]), f=t.values[-1]), end
    if end.name == "still_moving":
        return _("→ still moving, f = {f:.3f}").format(f=t.values[-1]), end
    return "→ " + status_short(t.status), end


def printed(v: float) -> float:
    """f as the legend prints it (three decimals): what "lowest" is judged on."""
    return float(f"{v:.3f}") + 0.0


def summary(
    ground: Ground, trajs: Sequence[Trajectory], name: Sequence[str], ends: Sequence[Claim]
) -> tuple[str, list[Claim]]:
    """Who got lowest, to the printed digits and in one basin; who is as low elsewhere; who was
    caught in a higher minimum; who is higher, not at a minimum; who left the map (the last two
    left to the legend's verdicts when it has more than LEGEND_SAYS_THE_REST balls)."""
    ranked = [k for k, t in enumerate(trajs) if not off_the_map(t)]
    gone = [k for k, t in enumerate(trajs) if off_the_map(t)]
    if not ranked:
        return _("no ball stayed on the map: {names}").format(names=", ".join(name[k] for k in gone)), []
    shown = {k: printed(trajs[k].values[-1]) for k in ranked}
    low = min(shown.values())
    best = min(ranked, key=lambda k: trajs[k].values[-1])

    def place(k: int) -> tuple[float, ...] | None:
        return tuple(ends[k].values["point"]) if ends[k].name == "at_minimum" else None

    def with_best(k: int) -> bool:
        if place(best) is not None:
            return place(k) == place(best)
        gap = float(np.linalg.norm(trajs[k].end - trajs[best].end))
        return place(k) is None and gap <= ground.near

    lowest = [k for k in ranked if shown[k] == low and with_best(k)]
    elsewhere = [k for k in ranked if shown[k] == low and k not in lowest]
    caught = [k for k in ranked if shown[k] > low and place(k) is not None]
    other = [k for k in ranked if shown[k] > low and place(k) is None]
    claims = [Claim("lowest", True, k, {"f": low, "best": best, "end": trajs[k].end}) for k in lowest]
    claims += [Claim("as_low_elsewhere", True, k, {"f": low, "end": trajs[k].end}) for k in elsewhere]
    claims += [
        Claim("caught_higher", True, k, {"f": shown[k], "lowest": low, **ends[k].values}) for k in caught
    ]
    claims += [Claim("higher", True, k, {"f": shown[k], "lowest": low}) for k in other]
    out = _("lowest (f = {f:.3f}): {names}").format(f=low, names=", ".join(name[k] for k in lowest))
    if elsewhere:
        out += _("; as low, in another place: {names}").format(names=", ".join(name[k] for k in elsewhere))
    if caught:
        out += _("; caught in a higher minimum: {names}").format(names=", ".join(name[k] for k in caught))
    if len(trajs) > LEGEND_SAYS_THE_REST:
        return out, claims
    if other:
        out += _("; higher, not at a minimum: {names}").format(names=", ".join(name[k] for k in other))
    if gone:
        out += _("; off the map: {names}").format(names=", ".join(name[k] for k in gone))
    return out, claims


def compare(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    optimizers = [t.settings.optimizer for t in trajs]
    n = Narration(distinct([settings_label(t.settings) for t in trajs], optimizers))
    short = distinct([optimizer_name(o) for o in optimizers], optimizers)
    n.extras["short_names"] = short
    if len(trajs) > LEGEND_SAYS_THE_REST:  # the legend names them, the line stays one line
        n.add(Beat(_("the same start for all {count} balls").format(count=len(trajs)), hold=0.6))
    else:
        n.add(Beat(_("the same start for {names}").format(names=", ".join(short)), hold=0.6))
    ground = ground_fitted(trajs)
    verdicts = [verdict(ground, t, k) for k, t in enumerate(trajs)]
    n.extras["verdicts"] = [v for v, _c in verdicts]
    words, claims = summary(ground, trajs, short, [c for _v, c in verdicts])
    # where the paths end crowded (under 5 % of the plot), their last steps from close
    end = max(t.steps for t in trajs)
    n.add(Beat(words, at=end, hold=2.0, claims=(*(c for _v, c in verdicts), *claims), zoom=Zoom()))
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


def boundary(trajs: Sequence[Trajectory], labels: Sequence[int]) -> Beat | None:
    """Where two basins meet: the closest neighbouring starts that end apart, their first
    steps from close (the view moves in only where those steps are small)."""
    order = np.argsort([t.points[0, 0] for t in trajs], kind="stable")
    pairs = [(int(a), int(b)) for a, b in zip(order, order[1:], strict=False) if labels[a] != labels[b]]
    if not pairs:
        return None
    a, b = min(pairs, key=lambda p: trajs[p[1]].points[0, 0] - trajs[p[0]].points[0, 0])
    # the steps while both stay near where they started (a tenth of the domain): the parting
    ls = trajs[a].settings.landscape_obj
    width = float(np.ptp(ls.domain[0])) if ls.domain else 1.0
    steps = min(ZOOM_STEPS, trajs[a].steps, trajs[b].steps)
    moved = [np.abs(trajs[k].points[: steps + 1, 0] - trajs[k].points[0, 0]) for k in (a, b)]
    near = np.flatnonzero((moved[0] <= 0.1 * width) & (moved[1] <= 0.1 * width))
    steps = max(1, min(steps, int(near[-1]) if len(near) else 1))
    apart = Claim(
        "roll_apart",
        bool(labels[a] != labels[b]) and steps > 0,
        None,
        {"balls": [a, b], "starts": [float(trajs[k].points[0, 0]) for k in (a, b)], "steps": steps},
    )
    words = _("where basins meet: x = {a:.3f} and {b:.3f} roll apart").format(
        a=trajs[a].points[0, 0], b=trajs[b].points[0, 0]
    )
    return Beat(words, at=steps, seconds=3.0, hold=1.5, claims=(apart,), zoom=Zoom(last=steps, balls=(a, b)))


def stretches(starts: Sequence[float], labels: Sequence[int]) -> int:
    """How many shaded stretches the scene draws: runs of one label along the sorted starts."""
    seq = [int(labels[k]) for k in np.argsort(starts, kind="stable")]
    return 1 + sum(1 for a, b in zip(seq, seq[1:], strict=False) if a != b)


def basins(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    n = Narration([_("ball {k}").format(k=k + 1) for k in range(len(trajs))])
    ends = np.array([t.end[0] for t in trajs])
    labels, centres = group_ends(ends)
    n.extras["groups"] = labels  # each ball's colour, from its release: where it will end
    n.add(
        Beat(
            _("{n} balls released ({optimizer}), coloured by where each will end").format(
                n=len(trajs), optimizer=optimizer_label(trajs[0].settings)
            ),
            hold=0.8,
        )
    )
    n.add(boundary(trajs, labels))
    ls = trajs[0].settings.landscape_obj
    ground = Ground(ls, ls.domain)

    at_min = [at_critical(ground, t, "minimum", k) for k, t in enumerate(trajs)]

    def kind(group: int) -> str:
        """A minimum where every ball of the group sits at one (claims.at_critical: within NEAR,
        the gradient flat), else the kind of a critical point at the group's centre, if any."""
        balls = [k for k in range(len(trajs)) if labels[k] == group]
        if all(at_min[k] for k in balls) and len({at_min[k].values["point"] for k in balls}) == 1:
            return "minimum"
        p, d = ground.nearest([centres[group]])
        return p.kind if p is not None and d < ground.near and p.kind != "minimum" else "not critical"

    kinds = [kind(c) for c in range(len(centres))]
    runs = stretches([t.points[0, 0] for t in trajs], labels)
    n.extras["centres"] = centres
    n.extras["kinds"] = kinds
    minima = Claim(
        "all_minima",
        all(k == "minimum" for k in kinds) and not any(off_the_map(t) for t in trajs),
        None,
        {"centres": centres, "kinds": kinds, "stretches": runs},
    )
    if minima and runs == len(centres):
        words = _("{n} minima reached: each shaded stretch is one minimum's basin")
    elif minima:
        words = _("{n} minima reached from {m} shaded stretches: one minimum's starts need not lie together")
    else:
        words = _("{n} places where balls ended: each shaded stretch holds the starts that ended at one")
    n.add(Beat(words.format(n=len(centres), m=runs), hold=2.0, claims=(minima,)))
    return n


def ending_words(ground: Ground, t: Trajectory) -> tuple[str, Claim, bool]:
    """custom's caption for where the ball ended, the claim behind it, and whether it warns."""
    end = ending(ground, t, 0)
    words = status_words(t.status)
    if words:
        return words, end, True
    where = ", ".join(f"{v:.3f}" for v in t.end)
    if end.name in ("at_minimum", "at_maximum", "at_saddle"):
        c = classify(t.settings.landscape_obj, t.end)
        eig = ", ".join(f"{v:.3g}" for v in c.eigenvalues)
        if len(c.eigenvalues) > 1:
            text = _("ends at a {kind} ({where}): Hessian eigenvalues {eig}")
        else:
            text = _("ends at a {kind} ({where}): f″ = {eig}")
        return text.format(kind=kind_words(end.name.removeprefix("at_")), where=where, eig=eig), end, False
    if end.name == "frozen":
        return stop_words(t, end, f"({where})"), end, False
    return (
        _("still moving at ({where}) after {n} steps: not a critical point yet").format(
            where=where, n=t.steps
        ),
        end,
        False,
    )


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
    words, claim, warn = ending_words(ground_fitted(trajs), t)
    n.add(Beat(words, at=t.steps, hold=2.0, warn=warn, claims=(claim,), zoom=Zoom()))
    return n


def race(trajs: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    """Each ball ran at its tuned rate: who arrived (and stayed) first, by the runs' own numbers
    (landscapes.tune's objective: within 1e-4 of the start's gap to f*, to the end)."""
    from landscapes.tune import ARRIVE, best_value, judge

    optimizers = [t.settings.optimizer for t in trajs]
    n = Narration(distinct([settings_label(t.settings) for t in trajs], optimizers))
    ground = ground_fitted(trajs)
    fstar = best_value(trajs[0].settings)
    judged = [judge(t, fstar) for t in trajs]
    n.add(Beat(_("each η tuned for this landscape and start, then all roll"), hold=0.6))
    order = sorted(range(len(trajs)), key=lambda k: (judged[k][0], k))
    arrived = [k for k in order if judged[k][1] is not None]
    rank = {k: r + 1 for r, k in enumerate(arrived)}
    verdicts, claims = [], []
    for k, t in enumerate(trajs):
        step = judged[k][1]
        if step is not None:
            verdicts.append(_("→ #{rank} to arrive, step {step}").format(rank=rank[k], step=step))
            bar = fstar + ARRIVE * (float(t.values[0]) - fstar)
            claims.append(
                Claim("arrived_in_f", True, k, {"step": step, "rank": rank[k], "fstar": fstar, "bar": bar})
            )
        else:  # compare's verdict: off the map, or what its end point is (caught at a minimum, moving)
            words, claim = verdict(ground, t, k)
            verdicts.append(words)
            claims.append(claim)
    n.extras["verdicts"] = verdicts
    n.extras["order"] = order
    name = distinct([optimizer_name(o) for o in optimizers], optimizers)
    if arrived:
        first = arrived[0]
        # "arrive" is the race's own bar, said in numbers: on rosenbrock a ball within it can
        # still be a visible way from the minimum
        bar = fstar + ARRIVE * (float(trajs[first].values[0]) - fstar)
        words = _("first to stay below f = {bar:.2g}: {name}, from step {step}").format(
            bar=bar, name=name[first], step=judged[first][1]
        )
        if 1 < len(arrived) and len(trajs) <= LEGEND_SAYS_THE_REST:  # else: each rank under its name
            words += _("; then {names}").format(names=", ".join(name[k] for k in arrived[1:]))
    else:
        near = order[0]
        words = _("no ball arrived in {steps} steps; nearest: {name}, f = {f:.3f}").format(
            steps=trajs[near].settings.steps, name=name[near], f=trajs[near].values[-1]
        )
    # the finish from close: the last steps of those that arrived (the others pointed at on the edge)
    finish = Zoom(last=3 * ZOOM_STEPS, balls=tuple(sorted(arrived)) or None)
    n.add(Beat(words, at=max(t.steps for t in trajs), hold=2.0, claims=tuple(claims), zoom=finish))
    return n


NARRATORS = {
    "compare": compare,
    "race": race,
    "basins": basins,
    "custom": custom,
}
