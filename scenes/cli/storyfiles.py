"""Story files on the command line: `roll check FILE.toml`, and FILE.toml wherever a scene
name goes (`render`, `slides`, `trajectory`).

A file named on the command line is loaded and validated (landscapes.storyfile), then
entered under its name in the scene records for this process (`scenes.catalog.register_file`),
so the jobs, the cache, the workers and the decks treat it like any
scene. Its text travels in the job's options: the scene reads it from there, and the result
cache's key, which holds the options, holds the file's content.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Mapping

from landscapes.errors import SettingsError
from landscapes.settings import Settings
from landscapes.storyfile import StoryFileError, load
from scenes.catalog import CATALOG, Scene, register_file

SUFFIX = ".toml"
RUN_FLAGS = ("optimizer", "lr", "schedule", "beta", "gamma", "rho", "beta1", "beta2", "start", "steps",
             "noise", "seed", "function", "domain", "landscape", "optimizers", "balls", "spread")  # fmt: skip


PATHS: dict[str, str] = {}  # a story file's name -> the path the command line gave it


def command_name(name: str) -> str:
    """What a command line says to render this scene again: its name, or its file's path."""
    return PATHS.get(name, name) if is_filed(name) else name


class Default(str):
    """A flag's default, told apart from the same value given: a story file's own theme and
    language come in where the command line gives none."""


def is_story_file(name: str) -> bool:
    return name.endswith(SUFFIX)


def open_story(name: str, args: argparse.Namespace | None = None) -> str:
    """A scene name as it is, or a story file loaded, checked and entered: its name. The
    file's theme and language are the defaults of a command that gives none."""
    if not is_story_file(name):
        return name
    record = load(name)
    if args is not None:
        if isinstance(getattr(args, "theme", None), Default) and record.theme is not None:
            args.theme = record.theme
        if isinstance(getattr(args, "lang", None), Default) and record.lang is not None:
            args.lang = record.lang
        lang = str(getattr(args, "lang", "en"))
        gaps = record.missing_words(lang)
        if gaps:
            raise SettingsError(
                f"--lang {lang}: {name} has no {lang} words for {', '.join(gaps[:3])}"
                f'{" …" if len(gaps) > 3 else ""}; add {lang} = "…" beside each, or render --lang en'
            )
    PATHS[record.name] = name
    return register_file(record)


def _filed(name: str) -> Scene | None:
    """The record a story file entered under this name (None for a built-in scene)."""
    from scenes.catalog import CATALOG

    record = CATALOG.get(name)
    return record if record is not None and record.filed else None


def is_filed(name: str) -> bool:
    return _filed(name) is not None


def file_settings(name: str, args: argparse.Namespace) -> Settings:
    """A story file's main ball: its balls keep the file's settings, so run flags are refused."""
    given = [f for f in RUN_FLAGS if getattr(args, f, None) is not None]
    if given:
        raise SettingsError(
            f"--{given[0]}: a story file's balls have their own settings; edit them in the file ({name})"
        )
    return CATALOG[name].settings


def file_options(name: str) -> dict[str, object]:
    return dict(CATALOG[name].options)


def file_title(name: str, lang: str) -> str | None:
    """A story file's title in `lang` (None for a built-in scene)."""
    from landscapes.storyfile import parse

    record = _filed(name)
    if record is None:
        return None
    options = record.options
    title = parse(str(options["story"]), name, str(options["name"])).title
    return title.get(lang) or title["en"]


def file_optimizers(options: Mapping[str, object]) -> list[str]:
    """Every ball's optimizer in a job's story file (a module:Class one keys the cache by its code)."""
    text = options.get("story")
    if not isinstance(text, str):
        return []
    balls = tomllib.loads(text).get("balls", [])
    return [str(b.get("optimizer", "gd")) for b in balls if isinstance(b, dict)]


def check_command(args: argparse.Namespace) -> int:
    """Validate each file (shape and run) without rendering: exit 0, or 2 with a line per fault."""
    bad = False
    for path in args.files:
        if not is_story_file(path):
            print(f"roll: error: {path}: a story file's name ends in {SUFFIX}", file=sys.stderr)
            bad = True
            continue
        try:
            record = load(path)
        except StoryFileError as exc:
            for line in exc.lines:
                print(f"roll: error: {line}", file=sys.stderr)
            bad = True
            continue
        except SettingsError as exc:
            print(f"roll: error: {exc}", file=sys.stderr)
            bad = True
            continue
        trajs = record.trajectories()
        steps = max(t.steps for t in trajs)
        print(
            f"{path}: ok: {record.name}, {record.view}, {len(record.balls)} ball(s), "
            f"{len(record.beats)} beat(s), the run ends at step {steps}"
        )
    return 2 if bad else 0
