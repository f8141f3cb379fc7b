"""The second pass: a file whose shape is sound is checked against its run (each beat's moment
reached and in order, a labelled point in view, a state placeholder the optimizer keeps)."""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .faults import Fault, StoryFileError, _place, key_lines
from .records import StoryFile
from .vocabulary import BALL_FIELDS, HYPER_FIELDS, STATE_FIELD
from .when import resolve

if TYPE_CHECKING:
    from ..trajectory import Trajectory


def check_run(record: StoryFile) -> list[Trajectory]:
    """Run every ball and refuse a beat whose moment the run does not reach."""
    lines = key_lines(record.text)
    trajectories = record.trajectories()
    last = max(t.steps for t in trajectories)
    faults: list[Fault] = []
    previous = 0
    for k, beat in enumerate(record.beats):
        w = beat.when
        path: tuple[str | int, ...] = ("beats", k, "at")
        if w.kind == "step" and (w.step or 0) > last:
            longest = max(record.balls, key=lambda b: trajectories[record.ball_index(b.key)].steps)
            faults.append(
                Fault(
                    path,
                    f"step {w.step} is past the run's end (the longest ball, {longest.key}, stops at step "
                    f'{last}); give at most {last}, or at = "end"',
                )
            )
            continue
        step = resolve([b.key for b in record.balls], w, trajectories)
        if step < previous:
            faults.append(
                Fault(
                    ("beats", k),
                    f"comes at step {step}, before the beat above it (step {previous}): beats play in "
                    "order; move it up",
                )
            )
        previous = max(previous, step)
    faults += _label_faults(record, trajectories)
    faults += _state_faults(record, trajectories)
    if faults:
        raise StoryFileError(record.file, [_place(f, lines) for f in faults])
    return trajectories


def _state_faults(record: StoryFile, trajectories: Sequence[Trajectory]) -> list[Fault]:
    """A placeholder of an optimizer's state ({adam.s2}) needs that state in the ball's run."""
    keys = [b.key for b in record.balls]
    out = []
    for k, beat in enumerate(record.beats):
        for lang, text in beat.caption.items():
            for _lit, name, _spec, _conv in string.Formatter().parse(text):
                head, _, attr = (name or "").partition(".")
                m = None if attr in BALL_FIELDS + HYPER_FIELDS else STATE_FIELD.fullmatch(attr)
                if not m or head not in keys:
                    continue
                t = trajectories[keys.index(head)]
                if m.group(1) not in t.state:
                    has = ", ".join(f"{n}1" for n in t.state) or "none"
                    out.append(
                        Fault(
                            ("beats", k, "caption" if lang == "en" else lang),
                            f"{{{name}}}: {t.settings.optimizer} keeps no state {m.group(1)!r} "
                            f"(its state fields: {has}, …); fix the name",
                        )
                    )
    return out


def _label_faults(record: StoryFile, trajectories: Sequence[Trajectory]) -> list[Fault]:
    """A label at a critical point needs one of that kind in view (found numerically)."""
    wanted = [
        (k, j, lab.point)
        for k, beat in enumerate(record.beats)
        for j, lab in enumerate(beat.labels)
        if lab.point is not None
    ]
    if not wanted:
        return []
    from ..claims import Ground

    ground = Ground(trajectories[0].settings.landscape_obj, record.bounds(trajectories))
    kinds = {p.kind for p in ground.points} | ({"lowest"} if ground.lowest is not None else set())
    found = ", ".join(sorted(kinds)) or "none"
    return [
        Fault(
            ("beats", k, "labels", j, "point"),
            f"no {point} point in view (found: {found}); label a ball or another point",
        )
        for k, j, point in wanted
        if point not in kinds
    ]
