"""Story files: a scene written as data (TOML, read with the standard library's `tomllib`).

`load(path)` reads a file and validates it into a `StoryFile` record, or raises
`StoryFileError` holding one `Fault` per mistake, each with the file's line, the key path
and the fix. Validation runs in two passes: the file's shape (`reader`: keys, types, names,
the expression's whitelist, every placeholder and claim a caption uses), then, only when the
shape is sound, the run itself (`checks`: each ball's trajectory), against which every beat's
moment is resolved to a step (`when`) and refused when it lies past the run's end.

Numbers only: no drawing, no translation. `StoryFile.story()` turns the record into the same
`Story` the built-in scenes have (the first ball is the main one), so the command line, the
cache and `roll trajectory` treat a file like any scene.

The package's files, by job: `vocabulary` (the words a file may use), `faults` (mistakes with
their lines), `records`, `when`, `placeholders`, `fields` and `reader` (the first pass),
`checks` (the second), `loading`, `trust` (whose code a file may name), `schema` (the JSON
Schema, generated).


Names are loaded on first use, as in `landscapes`: no file of the package then imports
another through this one.
"""

from importlib import import_module
from typing import Any

_WHERE = {
    "check_run": "checks",
    "Fault": "faults",
    "StoryFileError": "faults",
    "key_lines": "faults",
    "key_path": "faults",
    "load": "loading",
    "loads": "loading",
    "parse": "loading",
    "BallValues": "placeholders",
    "ball_values": "placeholders",
    "fill": "placeholders",
    "placeholder_faults": "placeholders",
    "BallSpec": "records",
    "BeatSpec": "records",
    "ClaimSpec": "records",
    "LabelSpec": "records",
    "StoryFile": "records",
    "Words": "records",
    "BALL_FIELDS": "vocabulary",
    "BALL_KEYS": "vocabulary",
    "BEAT_KEYS": "vocabulary",
    "CLAIMS": "vocabulary",
    "ENTERS_KEYS": "vocabulary",
    "HYPER_FIELDS": "vocabulary",
    "INT_FIELDS": "vocabulary",
    "LABEL_KEYS": "vocabulary",
    "LANDSCAPE_KEYS": "vocabulary",
    "NAME": "vocabulary",
    "POINTS": "vocabulary",
    "REACH": "vocabulary",
    "SECTIONS": "vocabulary",
    "SHOW": "vocabulary",
    "SPEC": "vocabulary",
    "STATE_FIELD": "vocabulary",
    "STR_FIELDS": "vocabulary",
    "TOP_KEYS": "vocabulary",
    "TRANSLATIONS": "vocabulary",
    "VIEWS": "vocabulary",
    "WHEN_KEYS": "vocabulary",
    "axis_of": "vocabulary",
    "parse_claim": "vocabulary",
    "Moment": "when",
    "entered": "when",
    "resolve": "when",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
