"""Scene name -> its narrator; `narrate` gives a scene's beats for a run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from landscapes import Trajectory
from scenes.narration.beats import Narration

Narrator = Callable[[Sequence[Trajectory], Mapping[str, Any]], Narration]


def narrators() -> dict[str, Narrator]:
    """Scene name -> its narrator, from the modules that hold them."""
    from scenes.narration import beyond, chapter, intro, plane

    return {**intro.NARRATORS, **chapter.NARRATORS, **plane.NARRATORS, **beyond.NARRATORS}


def narrate(
    name: str, trajectories: Sequence[Trajectory], options: Mapping[str, Any] | None = None
) -> Narration:
    """The beats of scene `name` for these trajectories (in the story's order)."""
    return narrators()[name](list(trajectories), dict(options or {}))


def narrate_settings(name: str, settings: Any = None, options: Mapping[str, Any] | None = None) -> Narration:
    """The beats of scene `name` for a run with these settings (the story's own by default)."""
    from landscapes import get_story

    story = get_story(name)
    return narrate(name, story.trajectories(settings or story.settings, options), options)
