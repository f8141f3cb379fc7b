"""What can be checked before anything renders, checked: one line naming the flag and the fix.

`main` calls `check_args` once the command line is parsed, before any command runs, and
`attach_dash_values` before parsing. Each check here costs no torch and no manim: the paths
(`--out`, `--media-dir`, `ROLL_CACHE_DIR`), the environment (`ROLL_CACHE_LIMIT`), `--shard`,
and, for the commands that draw, whether the axes can draw the asked-for `--domain` and
`--start`. The settings' own checks (a constant `--function`, a start where f or its gradient
is not finite) live with the settings, in `landscapes.settings`.
"""

from __future__ import annotations

import argparse
import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from landscapes.errors import SettingsError
from landscapes.limits import MAX_COORD, MIN_SPAN  # the axes' limits, a story file's too

NAME_MAX = 255  # bytes of one path component (ext4, tmpfs, …)
PATH_MAX = 4095  # bytes of a whole path, as the kernel takes it
DRAWING = ("render", "slides", "gallery", "bench")


def _shown(text: str, limit: int = 60) -> str:
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "…"


def check_folder(flag: str, text: str) -> Path:
    """A folder that exists or can be made, and can be written: refused in one line if it is
    empty, too long, a file, a dangling symlink or a loop, or on a read-only file system."""
    if text == "":
        raise SettingsError(f"{flag} '': give a folder name, e.g. {flag} out")
    if "\x00" in text:
        raise SettingsError(f"{flag} {_shown(text)}: a path cannot hold a NUL character; give a folder name")
    raw = os.fsencode(text)
    if len(raw) > PATH_MAX:
        raise SettingsError(f"{flag} {_shown(text)}: the path is {len(raw)} bytes; give one under {PATH_MAX}")
    longest = max((len(part) for part in raw.split(b"/")), default=0)
    if longest > NAME_MAX:
        raise SettingsError(
            f"{flag} {_shown(text)}: a folder name is {longest} bytes; give names of at most {NAME_MAX}"
        )
    path = Path(text)
    for prefix in _prefixes(path):
        try:
            os.stat(prefix)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise SettingsError(
                    f"{flag} {_shown(text)}: {prefix} is a symlink loop; remove it or give another folder"
                ) from None
            if exc.errno == errno.ENOENT and os.path.islink(prefix):
                target = os.readlink(prefix)
                raise SettingsError(
                    f"{flag} {_shown(text)}: {prefix} is a symlink to {target}, which does not exist; "
                    "make that folder, remove the link or give another folder"
                ) from None
            if exc.errno == errno.ENOTDIR:
                break  # a file on the way: said below
            if exc.errno != errno.ENOENT:
                raise SettingsError(f"{flag} {_shown(text)}: {prefix}: {exc.strerror}") from None
    if path.exists() and not path.is_dir():
        raise SettingsError(f"{flag} {text}: this is a file; give a folder")
    probe = path
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir():
        raise SettingsError(f"{flag} {text}: {probe} is a file, so no folder can be made under it")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise SettingsError(f"{flag} {text}: {probe} is not writable; give a folder you can write to")
    # permissions can say yes where the file system says no (/proc, a read-only mount, root on
    # a chmod 555 folder is fine but not on a read-only mount): make and remove a folder there
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".roll-probe-", dir=probe))
    except OSError as exc:
        where = "in" if probe == path else f"in {probe}, so not"
        raise SettingsError(
            f"{flag} {text}: no folder can be made {where} there ({exc.strerror}); "
            "give a folder you can write to"
        ) from None
    return path


def _prefixes(path: Path) -> Iterator[Path]:
    """path's leading parts, shortest first: a/b/c -> a, a/b, a/b/c."""
    parts = path.parts
    for k in range(1, len(parts) + 1):
        yield Path(*parts[:k])


def check_environment() -> None:
    """ROLL_CACHE_LIMIT parses; ROLL_CACHE_DIR, when the cache is on, is a folder to write."""
    from scenes.cli.cache import DEFAULT_LIMIT, DIR_ENV, LIMIT_ENV, parse_limit

    limit = parse_limit(os.environ.get(LIMIT_ENV, "") or str(DEFAULT_LIMIT))
    where = os.environ.get(DIR_ENV)
    if limit and where is not None and where != "":
        check_folder(DIR_ENV, where)


def check_drawable(args: argparse.Namespace) -> None:
    """A --domain and a --start the axes can draw (the numbers themselves need no axes:
    `roll trajectory` takes any finite ones)."""
    from landscapes.settings import parse_domain, parse_start

    domain = getattr(args, "domain", None)
    if domain:
        for lo, hi in parse_domain(domain):
            if max(abs(lo), abs(hi)) > MAX_COORD:
                raise SettingsError(
                    f"--domain {domain}: the axes draw coordinates up to ±{MAX_COORD:g}; "
                    "give bounds within it, e.g. --domain -10,10"
                )
            if hi - lo < MIN_SPAN:
                raise SettingsError(
                    f"--domain {domain}: a span of {hi - lo:g} is too narrow for the axes; "
                    f"give bounds at least {MIN_SPAN:g} apart, e.g. --domain -1,1"
                )
    start = getattr(args, "start", None)
    if start is not None and getattr(args, "command", "") != "trajectory":
        values = parse_start(start)
        if max(map(abs, values)) > MAX_COORD:
            raise SettingsError(
                f"--start {start}: the axes draw coordinates up to ±{MAX_COORD:g}; "
                "give a start within it, e.g. --start 2"
            )


def check_args(args: argparse.Namespace) -> None:
    """Everything a command line says that can be refused before the command runs."""
    if args.command not in DRAWING:
        return
    for flag, attr in (("--out", "out"), ("--media-dir", "media_dir")):
        value = getattr(args, attr, None)
        if value is not None:
            check_folder(flag, str(value))
    if args.command in ("render", "slides", "gallery"):
        check_environment()
        shard = getattr(args, "shard", None)
        if shard is not None:
            from scenes.cli.shards import parse_shard

            parse_shard(shard)
    check_drawable(args)


def _flags(parser: argparse.ArgumentParser) -> tuple[set[str], set[str]]:
    """Every option string of the parser and its sub-commands, and those that take a value."""
    every: set[str] = set()
    valued: set[str] = set()
    todo = [parser]
    while todo:
        p = todo.pop()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo.extend(action.choices.values())
                continue
            every.update(action.option_strings)
            if action.nargs != 0:
                valued.update(action.option_strings)
    return every, valued


def _is_flag(token: str, every: set[str]) -> bool:
    if token in every or token == "--":
        return True
    if token.startswith("--"):  # argparse takes an unambiguous prefix (--qual) or --flag=value
        head = token.split("=", 1)[0]
        return any(f.startswith(head) for f in every if f.startswith("--"))
    return token[:2] in every  # -ql is -q l


def attach_dash_values(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """`--start -inf`, `--function -x**2`, `--domain -5,5` -> `--flag=value`: argparse takes any
    word that starts with '-' for an option and says only "expected one argument". A word after
    a flag that takes a value is that value unless it is itself one of the parser's flags."""
    every, valued = _flags(parser)
    out: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        flag, eq, value = tok.partition("=")
        if eq and value == "--" and flag in valued:  # argparse drops the '--' and hands on a list
            raise SettingsError(f"{flag} '--': not a value; give one, e.g. {flag}=VALUE")
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        dashed = nxt is not None and nxt.startswith("-") and len(nxt) > 1
        if tok in valued and dashed and not _is_flag(nxt, every):
            out.append(f"{tok}={nxt}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out
