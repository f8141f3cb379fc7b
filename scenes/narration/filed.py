"""A story file's beats: its own captions, filled from the run, and checked where they ask.

Each `[[beats]]` table of the file gives one `Beat`. Its caption (in the language asked for,
the file's own words) has its placeholders filled from the trajectories at the beat's step.
A beat that names claims (`claims = { adam = "arrived" }`) shows its caption only when every
claim holds on the run; otherwise it says what did happen to the balls whose claims failed:
where each ended (`describe`, in the claims' vocabulary) once it has stopped, or where it is
at the beat's step before then, so the fallback never speaks of a future the frame has not
shown.
"""

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
    blew_up,
    crawling,
    escaped,
    flat,
    is_optimizer,
    local_minimum,
    lowest_minimum,
    near_saddle,
    off_the_map,
    overshooting,
    settles_first,
    stalled,
    still_moving,
)
from landscapes.storyfile import ClaimSpec, LabelSpec, StoryFile, axis_of, ball_values, fill
from scenes.narration.beats import Beat, Label, Narration, Zoom
from scenes.narration.describe import describe, plot_point, where
from scenes.words.i18n import _, language
from scenes.words.terms import settings_label


def words_in(words: Mapping[str, str], lang: str) -> str:
    """The file's text in `lang`, English where the file gives none (the command line refuses
    a language a file does not cover before it renders)."""
    return words.get(lang) or words["en"]


def ground_of(record: StoryFile, trajectories: Sequence[Trajectory]) -> Ground:
    return Ground(trajectories[0].settings.landscape_obj, record.bounds(trajectories))


def judge(spec: ClaimSpec, g: Ground, t: Trajectory, ball: int) -> Claim:
    """One claim of the vocabulary (landscapes.claims) on one ball's run."""
    low = g.lowest
    target = low.at if low is not None else None
    if spec.name == "lowest_minimum":
        return lowest_minimum(g, t, ball)
    if spec.name == "local_minimum":
        return local_minimum(g, t, ball)
    if spec.name == "maximum":
        return at_critical(g, t, "maximum", ball)
    if spec.name == "near_saddle":
        return near_saddle(g, t, ball)
    if spec.name == "still_moving":
        return still_moving(g, t, ball)
    if spec.name == "crawling":
        return crawling(g, t, ball)
    if spec.name == "escaped":
        return escaped(g, t, ball)
    if spec.name == "off_the_map":
        return off_the_map(t, ball)
    if spec.name == "flat":
        return flat(t, ball)
    if spec.name == "optimizer":
        return is_optimizer(t, *spec.args, ball=ball)
    if spec.name == "blew_up":
        axes = [axis_of(a) for a in spec.args] or list(range(t.points.shape[1]))
        claims = [blew_up(g, t, a, ball) for a in axes]
        return next((c for c in claims if c), claims[0])
    if target is None:  # the rest are judged against the lowest minimum in view
        return Claim(spec.name, False, ball, {"lowest": None})
    if spec.name == "arrived":
        return arrived(t, target, ball)
    if spec.name == "stalled":
        return stalled(t, target, ball)
    if spec.name == "overshooting":
        axis = axis_of(spec.args[0]) if spec.args else 0
        return overshooting(t, ball, axis=axis, centre=float(target[axis]))
    if spec.name == "settles_first":
        first, then = (axis_of(a) for a in spec.args)
        return settles_first(t, first, then, target, ball)
    raise ValueError(f"unknown claim {spec.name!r}")


def what_happened(
    g: Ground, t: Trajectory, name: str, ball: int, step: int
) -> tuple[str, list[Claim], list[Label], bool]:
    """The fallback for one ball: where it ended if it has stopped by `step`, else where it is."""
    if step >= t.steps:
        return describe(g, t, name, ball)
    text = _("{name} at step {k}: {where}").format(name=name, k=step, where=where(t, step))
    return text, [], [], False


def label_of(
    spec: LabelSpec, lang: str, g: Ground, record: StoryFile, trajs: Sequence[Trajectory], step: int
) -> Label | None:
    """A label at a ball (where it is at the beat's step) or at a critical point of the view."""
    words = words_in(spec.words, lang)
    if spec.ball is not None:
        k = record.ball_index(spec.ball)
        return Label(words, plot_point(trajs[k], min(step, trajs[k].steps)), k)
    points = [p for p in g.points if spec.point == "lowest" or p.kind == spec.point]
    if spec.point == "lowest":
        points = [g.lowest] if g.lowest is not None else []
    if not points:
        return None
    near = trajs[0].points[min(step, trajs[0].steps)]
    p = min(points, key=lambda q: float(np.linalg.norm(np.asarray(q.at) - near)))
    at = (p.at[0], p.value) if len(p.at) == 1 else (p.at[0], p.at[1])
    return Label(words, (float(at[0]), float(at[1])), None, p.kind)


def names_of(record: StoryFile, lang: str) -> list[str]:
    """The balls' names on screen: the file's labels, else optimizer and hyper-parameters."""
    return [words_in(b.label, lang) if b.label else settings_label(b.settings) for b in record.balls]


def narrate_file(
    record: StoryFile, trajectories: Sequence[Trajectory], options: Mapping[str, Any] | None = None
) -> Narration:
    """The file's beats for this run, in the current language."""
    lang = language()
    trajs = list(trajectories)
    names = names_of(record, lang)
    n = Narration(names, extras={"title": words_in(record.title, lang)})
    g = ground_of(record, trajs)
    for spec, step in zip(record.beats, record.steps_of(trajs), strict=True):
        claims = [
            judge(c, g, trajs[record.ball_index(c.ball)], record.ball_index(c.ball)) for c in spec.claims
        ]
        labels = [lab for lab in (label_of(s, lang, g, record, trajs, step) for s in spec.labels) if lab]
        warn = spec.warn
        if all(claims):
            values: dict[str, Any] = {"step": step}
            values.update({b.key: ball_values(trajs[k], names[k], step) for k, b in enumerate(record.balls)})
            caption = fill(words_in(spec.caption, lang), values)
        else:
            failed = list(
                dict.fromkeys(
                    record.ball_index(c.ball) for c, ok in zip(spec.claims, claims, strict=True) if not ok
                )
            )
            parts = []
            for k in failed:
                text, more, said, off = what_happened(g, trajs[k], names[k], k, step)
                parts.append(text)
                claims += more
                labels += said
                warn = warn or off
            caption = "; ".join(parts)
        at = None if step == 0 else step
        n.add(
            Beat(
                caption,
                at=at,
                seconds=spec.seconds,
                hold=spec.hold,
                warn=warn,
                labels=tuple(labels),
                claims=tuple(claims),
                zoom=zoom_of(spec.zoom),
            )
        )
    return n


def zoom_of(spec: str | tuple[tuple[float, float], ...] | None) -> Zoom | None:
    """The file's `zoom`: "end" watches the beat's last steps where they are small; a region
    is shown as given."""
    if spec is None:
        return None
    if spec == "end":
        return Zoom()
    return Zoom(x=spec[0], y=spec[1] if len(spec) > 1 else None)
