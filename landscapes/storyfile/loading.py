"""Reading a story file: the bytes, the TOML, the shape (`parse`), then the run (`loads`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from ..errors import SettingsError
from .checks import check_run
from .faults import Fault, StoryFileError, key_lines
from .reader import _Reader
from .records import StoryFile


def load(path: str | Path) -> StoryFile:
    """Read and validate a story file (shape, then the run)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read the story file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: a story file is UTF-8 text; save it as UTF-8") from None
    return loads(text, str(path), p.stem)


def loads(text: str, file: str = "story.toml", stem: str = "story") -> StoryFile:
    record = parse(text, file, stem)
    check_run(record)
    return record


def parse(text: str, file: str = "story.toml", stem: str = "story") -> StoryFile:
    """The shape of a story file, without running anything."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else 0
        why = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not TOML"
        raise StoryFileError(file, [Fault((), f"not valid TOML: {why}; fix the syntax", line)]) from None
    reader = _Reader(doc, key_lines(text))
    record = reader.read(stem, text, file)
    if reader.faults or record is None:
        raise StoryFileError(file, reader.faults)
    return record
