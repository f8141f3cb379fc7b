"""A story file's mistakes: each `Fault` holds the key path, the file's line and the fix;
`StoryFileError` carries them all, one line each."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..errors import SettingsError


@dataclass(frozen=True)
class Fault:
    """One mistake: where (line, key path) and what to do about it."""

    path: tuple[str | int, ...]
    message: str
    line: int = 0

    @property
    def key(self) -> str:
        return key_path(self.path)

    def render(self, file: str) -> str:
        where = f"{file}:{self.line}" if self.line else file
        return f"{where}: {self.key or '(file)'}: {self.message}"


def key_path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class StoryFileError(SettingsError):
    """A story file that cannot be used; `lines` holds one line per fault."""

    def __init__(self, file: str, faults: Sequence[Fault]) -> None:
        self.file = file
        self.faults = list(faults)
        self.lines = [f.render(file) for f in self.faults]
        more = f" (and {len(self.lines) - 1} more: roll check {file})" if len(self.lines) > 1 else ""
        super().__init__(self.lines[0] + more)


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Key path -> the line (from 1) where the file sets it: table headers, `[[array]]` tables
    counted, dotted keys split. Keys inside inline tables and arrays map to their outer key."""
    lines: dict[tuple[str | int, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}
    table: tuple[str | int, ...] = ()

    def parts(raw: str) -> list[str]:
        return [p.strip().strip("\"'") for p in raw.split(".")]

    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[["):
            names = parts(line[2 : line.find("]]")])
            base = tuple(names)
            counts[base] = counts.get(base, -1) + 1
            table = _indexed(names, counts)
            lines.setdefault(table, n)
        elif line.startswith("["):
            table = _indexed(parts(line[1 : line.find("]")]), counts)
            lines.setdefault(table, n)
        else:
            m = re.match(r"([A-Za-z0-9_\-.\"' ]+?)\s*=", line)
            if m and not line.startswith("#"):
                key = (*table, *parts(m.group(1)))
                lines.setdefault(key, n)
    return lines


def _indexed(names: list[str], counts: Mapping[tuple[str, ...], int]) -> tuple[str | int, ...]:
    out: list[str | int] = []
    for k, name in enumerate(names):
        out.append(name)
        if tuple(names[: k + 1]) in counts:
            out.append(counts[tuple(names[: k + 1])])
    return tuple(out)


def _place(f: Fault, lines: Mapping[tuple[str | int, ...], int]) -> Fault:
    path = f.path
    while path and path not in lines:
        path = path[:-1]
    return replace(f, line=lines.get(path, 1))


def _kind(v: Any) -> str:
    return {bool: "a boolean", int: "a whole number", float: "a number", str: "a string", list: "an array",
            dict: "a table"}.get(type(v), type(v).__name__)  # fmt: skip


def _unflag(message: str) -> str:
    """The settings' messages name the command line's flags; a file has keys."""
    return re.sub(r"(?<!list )--([a-z0-9]+)", r"\1", message)


def shown(text: str) -> str:
    """Text from a file as a message quotes it: repr's quotes, control characters escaped."""
    return repr(text)
