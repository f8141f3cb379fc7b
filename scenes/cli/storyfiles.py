"""Story files on the command line: `roll check FILE.toml`, and FILE.toml wherever a scene
name goes (`render`, `slides`, `trajectory`).

A file named on the command line is loaded and validated (landscapes.storyfile), then
entered under its name in the scene records for this process (`scenes.catalog.register_file`),
so the jobs, the cache, the workers and the decks treat it like any
scene. Its text travels in the job's options: the scene reads it from there, and the result
cache's key, which holds the options, holds the file's content.

A file is data: a ball's `module:Class` of any module outside the registry is refused unless
the command says `--trust-code`; a file may not take a built-in scene's name, nor two files
on one line one name. Each file is read once per command (RECORDS).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from landscapes.errors import SettingsError
from landscapes.settings import Settings
from landscapes.storyfile import StoryFile, StoryFileError, check_run, load, parse
from landscapes.storyfile.loading import read_text
from scenes.catalog import CATALOG, Scene, register_file, shadows_built_in
from scenes.cli.safe import shown

SUFFIX = ".toml"
RUN_FLAGS = ("optimizer", "lr", "schedule", "beta", "gamma", "rho", "beta1", "beta2", "start", "steps",
             "noise", "seed", "function", "domain", "landscape", "optimizers", "balls", "spread")  # fmt: skip


PATHS: dict[str, str] = {}  # a story file's name -> the path the command line gave it
RECORDS: dict[str, StoryFile] = {}  # a story file's name -> its record, read once per command


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
        return model_scene(name, args)
    claimed = _claimed(args)
    if name in claimed.values():  # the same file twice on one line: one scene
        return next(n for n, p in claimed.items() if p == name)
    record = load(name, trust=bool(getattr(args, "trust_code", False)))
    claim_name(record, name, claimed)
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
    RECORDS[record.name] = record
    return register_file(record)


def model_scene(name: str, args: argparse.Namespace | None) -> str:
    """A built-in scene that rolls on a model when a model flag is given (compare --model):
    entered for this command as its model's record (scenes.catalog.on_model). A landscape
    flag beside a model flag is refused: the balls roll on the model's loss."""
    from scenes.catalog import CATALOG, NETWORK, on_model

    record = CATALOG.get(name)
    if args is None or record is None or not record.on_model:
        return name
    given = [o for o in NETWORK if getattr(args, o, None) is not None]
    if given:
        for flag in ("landscape", "function"):
            if getattr(args, flag, None) is not None:
                raise SettingsError(
                    f"--{flag}: with --{given[0]}, {name} rolls on the model's loss; give one of the two"
                )
    return on_model(name, given)


def _claimed(args: argparse.Namespace | None) -> dict[str, str]:
    """The story files this command has read so far: scene name -> path."""
    if args is None:
        return {}
    if not isinstance(getattr(args, "story_files", None), dict):
        args.story_files = {}
    return args.story_files


def claim_name(record: StoryFile, path: str, claimed: dict[str, str]) -> None:
    """Refuse, before any work, a file that takes a built-in scene's name (but the built-in's
    own file, scenes/stories/NAME.toml) or the name of another file on the same line."""
    if shadows_built_in(record.name, path):
        raise SettingsError(
            f"{shown(path)}: name {record.name!r} is a built-in scene's; give the file another "
            'name = "…" (or rename the file)'
        )
    other = claimed.setdefault(record.name, path)
    if other != path:
        raise SettingsError(
            f"{shown(other)} and {shown(path)} both name their scene {record.name!r}, so their "
            'results would overwrite each other; give one of them another name = "…"'
        )


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
    record = _filed(name)
    if record is None:
        return None
    story = RECORDS.get(name)
    if story is None:  # entered by other means than open_story (a test's register_file)
        options = record.options
        story = parse(str(options["story"]), name, str(options["name"]), trust=True)
    return story.title.get(lang) or story.title["en"]


def file_optimizers(options: Mapping[str, object]) -> list[str]:
    """Every ball's optimizer in a job's story file (a module:Class one keys the cache by its code)."""
    text, name = options.get("story"), options.get("name")
    if not isinstance(text, str):
        return []
    record = RECORDS.get(str(name))
    if record is None or record.text != text:  # read once: only a job not planned here parses
        record = parse(text, "story.toml", str(name), trust=bool(options.get("trust_code")))
    return [b.settings.optimizer for b in record.balls]


def check_command(args: argparse.Namespace) -> int:
    """Validate each file (shape and run) without rendering: exit 0, or 2 with a line per fault."""
    bad = False
    trust = bool(getattr(args, "trust_code", False))
    claimed: dict[str, str] = {}
    for path in args.files:
        if not is_story_file(path):
            print(f"roll: error: {shown(path)}: a story file's name ends in {SUFFIX}", file=sys.stderr)
            bad = True
            continue
        try:
            record = read_story(path, trust)
            claim_name(record, path, claimed)
            trajs = check_run(record)  # the run once: the check's and the line's
        except StoryFileError as exc:
            for line in exc.lines:
                print(f"roll: error: {shown(line)}", file=sys.stderr)
            bad = True
            continue
        except SettingsError as exc:
            print(f"roll: error: {shown(str(exc))}", file=sys.stderr)
            bad = True
            continue
        steps = max(t.steps for t in trajs)
        print(
            f"{shown(path)}: ok: {record.name}, {record.view}, {len(record.balls)} ball(s), "
            f"{len(record.beats)} beat(s), the run ends at step {steps}"
        )
    return 2 if bad else 0


def read_story(path: str, trust: bool) -> StoryFile:
    """A file's shape, read once (the run is checked by the caller)."""
    return parse(read_text(path), path, Path(path).stem, trust)
