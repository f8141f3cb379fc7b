"""Reading a story file: the bytes, the TOML, the shape (`parse`), then the run (`loads`).

A file is read only if it is a regular file under the size limit (`limits.FILE_BYTES`): a
FIFO is refused without blocking, a link to /dev/zero without reading it."""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import replace
from pathlib import Path

from ..errors import SettingsError
from ..limits import FILE_BYTES
from .checks import check_run
from .faults import Fault, StoryFileError, key_lines, shown
from .reader import _Reader
from .records import StoryFile
from .trust import Trust


def read_bytes(path: str | Path) -> bytes:
    """A story file's bytes: a regular file of at most FILE_BYTES, opened without blocking."""
    where = shown(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SettingsError(f"{where}: cannot read the story file ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise SettingsError(f"{where}: not a regular file; give a story file saved on disk")
        if info.st_size > FILE_BYTES:
            raise SettingsError(
                f"{where}: {info.st_size:,} bytes; a story file is at most {FILE_BYTES:,} (split the story)"
            )
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(FILE_BYTES + 1)
    except OSError as exc:
        raise SettingsError(f"{where}: cannot read the story file ({exc.strerror})") from None
    finally:
        os.close(fd)
    if len(data) > FILE_BYTES:  # it grew while read
        raise SettingsError(f"{where}: over {FILE_BYTES:,} bytes; a story file is at most that")
    return data


def load(path: str | Path, trust: Trust = False) -> StoryFile:
    """Read and validate a story file (shape, then the run). `trust`: the modules whose
    `module:Class` a ball may name (True: any; the default, none: the registry's names only)."""
    return loads(read_text(path), str(path), Path(path).stem, trust)


def read_text(path: str | Path) -> str:
    """A story file's text (read_bytes, decoded as UTF-8)."""
    try:
        return read_bytes(path).decode("utf-8").removeprefix("\ufeff")  # Notepad's byte-order mark
    except UnicodeDecodeError:
        raise SettingsError(f"{shown(str(path))}: a story file is UTF-8 text; save it as UTF-8") from None


def loads(text: str, file: str = "story.toml", stem: str = "story", trust: Trust = False) -> StoryFile:
    record = parse(text, file, stem, trust)
    check_run(record)
    return record


def parse(text: str, file: str = "story.toml", stem: str = "story", trust: Trust = False) -> StoryFile:
    """The shape of a story file, without running anything. A text is parsed once per process:
    the command line, the cache's key and an in-process render all ask for the same record."""
    key = (text, stem, trust) if isinstance(trust, bool) else None
    hit = _PARSED.get(key) if key else None
    if hit is not None:  # a record is frozen: sharing it is safe
        return hit if hit.file == file else replace(hit, file=file)
    record = _parse(text, file, stem, trust)
    if key:
        if len(_PARSED) >= 32:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = record
    return record


_PARSED: dict[tuple[str, str, bool], StoryFile] = {}  # the records parsed in this process


def _parse(text: str, file: str, stem: str, trust: Trust) -> StoryFile:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else 0
        why = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "not TOML"
        raise StoryFileError(file, [Fault((), f"not valid TOML: {why}; fix the syntax", line)]) from None
    except (RecursionError, MemoryError):  # arrays in arrays thousands deep: tomllib recurses
        fault = Fault((), "arrays or tables nest too deep; a story file nests at most 4")
        raise StoryFileError(file, [fault]) from None
    reader = _Reader(doc, key_lines(text), trust)
    record = reader.read(stem, text, file)
    if reader.faults or record is None:
        raise StoryFileError(file, reader.faults)
    return record
