"""Moved to `scenes.words.i18n` (below the kit and the narration); this name stays only for
`scenes/kit/story.py`, rewritten in parallel: import from `scenes.words.i18n`."""

from scenes.words.i18n import _, language, languages, use_language

__all__ = ["_", "language", "languages", "use_language"]
