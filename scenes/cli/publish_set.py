"""A scene's result as a set: the video with its NAME.srt, NAME.vtt and NAME.beats.json (and
whatever else the job writes) lands in --out together, or not at all.

Each file alone was already written whole (a temporary file, then a rename); a disk that
fills up after the video but before its subtitles left a new video beside old subtitles.
`publish_set` writes every new file beside its destination first, keeps a hard link to every
file it replaces, and only then renames them into place; any failure puts the old ones back.
Renames in one folder need no new space, so the step that can fail for want of it (the
writing) comes before anything a reader sees has changed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path


def _write(dest: Path, data: bytes) -> Path:
    """`data` in a new temporary file beside dest, flushed; its path."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a published file is as readable as any
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def publish_set(out_dir: Path, files: Mapping[str, bytes], stale: Sequence[str] = ()) -> list[str]:
    """Write `files` (name in out_dir -> bytes) into out_dir all together, and remove the
    `stale` names (an earlier result's files this one does not have) with them: after it
    returns every name is new; after it raises every name is as it was. The paths written."""
    out_dir = Path(out_dir)
    temps: dict[Path, Path] = {}
    backups: dict[Path, Path] = {}
    moved: list[Path] = []
    try:
        for name, data in files.items():  # 1. every new file, beside its place (may run out of space)
            temps[out_dir / name] = _write(out_dir / name, data)
        for dest in [*temps, *(out_dir / n for n in stale)]:  # 2. the old ones kept under another name
            if dest.exists():
                backup = dest.with_name(f".{dest.name}.old")
                backup.unlink(missing_ok=True)
                try:
                    os.link(dest, backup)
                except OSError as exc:
                    if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP):
                        raise
                    os.replace(dest, backup)  # a file system without hard links: moved aside
                backups[dest] = backup
        for dest, tmp in temps.items():  # 3. the new ones in place: renames, no new space
            os.replace(tmp, dest)
            moved.append(dest)
        for name in stale:
            (out_dir / name).unlink(missing_ok=True)
    except BaseException:
        for dest in moved:  # undo: the old file back, or none where there was none
            if dest not in backups:
                dest.unlink(missing_ok=True)
        for dest, backup in list(backups.items()):
            if dest in moved or not dest.exists():  # replaced, or moved aside
                os.replace(backup, dest)
                del backups[dest]
        raise
    finally:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        for backup in backups.values():
            with contextlib.suppress(OSError):
                backup.unlink(missing_ok=True)
    return [str(p) for p in temps]
