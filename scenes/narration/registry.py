"""Scene name -> its narrator; `narrate` gives a scene's beats for a run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from landscapes import Trajectory
from scenes.narration.beats import Narration

Narrator = Callable[[Sequence[Trajectory], Mapping[str, Any]], Narration]


def narrators() -> dict[str, Narrator]:
    """Scene name -> its narrator, from the modules that hold them."""
    from scenes.narration import beyond, chapter, intro, network, plane

    return {
        **intro.NARRATORS,
        **chapter.NARRATORS,
        **plane.NARRATORS,
        **beyond.NARRATORS,
        **network.NARRATORS,
    }


def narrate(
    name: str, trajectories: Sequence[Trajectory], options: Mapping[str, Any] | None = None
) -> Narration:
    """The beats of scene `name` for these trajectories (in the story's order); a scene with no
    narrator of its own (a record added outside the project) is told where each ball ended."""
    return narrators().get(name, ends)(list(trajectories), dict(options or {}))


def ends(trajectories: Sequence[Trajectory], options: Mapping[str, Any]) -> Narration:
    """The words any scene can have: who rolls, then where each ball ended, as claims."""
    import numpy as np

    from landscapes.claims import Ground
    from scenes.narration.beats import Beat
    from scenes.narration.describe import describe_all
    from scenes.words.i18n import _
    from scenes.words.terms import settings_label

    names = [settings_label(t.settings) for t in trajectories]
    n = Narration(names)
    if len({t.settings.start for t in trajectories}) == 1:  # said only where it is so
        n.add(Beat(_("the same start for {names}").format(names=", ".join(dict.fromkeys(names))), hold=0.6))
    grounds = []
    for t in trajectories:  # the landscape over its domain, or over where the balls went
        ls = t.settings.landscape_obj
        pts = np.concatenate([u.points for u in trajectories if u.settings.landscape == t.settings.landscape])
        span = [(float(lo) - 1.0, float(hi) + 1.0) for lo, hi in zip(pts.min(0), pts.max(0), strict=True)]
        grounds.append(Ground(ls, list(ls.domain) if ls.domain else span))
    words, claims, labels, warn = describe_all(grounds, trajectories, names, range(len(trajectories)))
    at = max(t.steps for t in trajectories)
    n.add(Beat(words, at=at, hold=2.0, claims=tuple(claims), labels=tuple(labels), warn=warn))
    return n


def narrate_settings(name: str, settings: Any = None, options: Mapping[str, Any] | None = None) -> Narration:
    """The beats of scene `name` for a run with these settings (the story's own by default)."""
    from scenes.catalog import get_story

    story = get_story(name)
    return narrate(name, story.trajectories(settings or story.settings, options), options)
