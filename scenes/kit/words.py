"""Moved to `scenes.words.terms` (below the kit and the narration); this name stays only for
`scenes/kit/story.py`, rewritten in parallel: import from `scenes.words.terms`."""

from scenes.words.terms import coordinate_names, settings_label

__all__ = ["coordinate_names", "settings_label"]
