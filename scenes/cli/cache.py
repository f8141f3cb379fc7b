"""The result cache: a scene renders again only when something that makes its result changed.

The key of a job is the sha256 of one JSON document (`key_document`) holding everything that
decides the bytes manim writes, and nothing else (no file times, no absolute paths, so a key
made on one machine means the same on another with the same set-up):

- the scene: its name, module and class (a 2D landscape picks another class);
- its code: the source bytes of `scenes/<module>.py` and of every project module it imports,
  walked with `ast` through `scenes/` and `landscapes/` (`Sources`), plus the catalogue of
  the job's language under `scenes/words/locale/<lang>/` (the words on screen);
- what the job asks for: settings, options, quality, formats, theme, language, sections (a
  deck's clips), and the config `render_job` hands manim for each format;
- the set-up (`environment`): Python and the machine's architecture, the versions of manim,
  torch, numpy, contourpy, manimpango and the other packages that draw or encode, of pango,
  cairo and ffmpeg's libraries, the first line of `latex --version` and `dvisvgm --version`
  (or their absence: math then falls back to Unicode text), whether the scenes' fonts are
  installed and a digest of every installed font family (pango falls back silently), and
  manim's user and folder config files;
- FORMAT, the cache's own version: raise it when a change to the rendering path alters the
  results in a way the above cannot see.

An entry is a folder `<root>/<name>-<key>/` with `files/` (each file at its path under manim's
media tree: the results, the subtitles and beats beside a video, a deck's section index and clips)
and `manifest.json` (every file's size and sha256). It is made in a temporary folder and
renamed into place only after a complete, successful render; it is reused only when every
file matches its manifest, and then copied back into the media tree, so a damaged entry means
a fresh render, never a wrong file. The cache keeps at most ROLL_CACHE_LIMIT bytes (default
2G; 0 turns it off), dropping the least recently used entries after each store; entries used
by the running command are never dropped by it. Delete the folder to clear it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from landscapes.errors import SettingsError
from scenes.cli.cache_key import FORMAT
from scenes.cli.job import Job
from scenes.narration.beatsfile import beats_path

DIR_ENV, LIMIT_ENV = "ROLL_CACHE_DIR", "ROLL_CACHE_LIMIT"
DEFAULT_LIMIT = 2 * 1024**3
MAX_LIMIT = 1024**5
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# roll's result cache: delete this folder to clear it\n"
STALE = 24 * 3600  # leftovers of a killed store older than this are removed

# an entry stored or used this recently (seconds) is never evicted: shards of one job, run at
# once on a shared cache, must find each other's results when the deck is built from them
FRESH = 3600.0


# -- entries ---------------------------------------------------------------------------------
class Damaged(Exception):
    """A cache entry that does not match its manifest; it has been removed."""


def parse_limit(text: str) -> int:
    """'2G', '500M', '64k', '1000000' -> bytes (powers of 1024); 0 turns the cache off."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)i?[bB]?\s*", text)
    if not match:
        raise SettingsError(f"{LIMIT_ENV}={text!r}: give a size such as 500M or 2G (0 turns the cache off)")
    size = float(match[1]) * 1024 ** " KMGT".index(match[2].upper() or " ")
    if not size <= MAX_LIMIT:  # 400 nines: inf, which int() refuses
        shown = repr(text) if len(text) <= 20 else repr(text[:20]) + "…"
        raise SettingsError(f"{LIMIT_ENV}={shown}: give a size up to 1024T, such as 500M or 2G")
    return int(size)


def related_files(job: Job, produced: Sequence[str]) -> list[Path]:
    """Everything a job's deliver step reads: each result, the subtitles and the beats beside a
    video, and for a deck (sections) manim's section index and the clips it lists."""
    files: list[Path] = []
    for src, fmt in zip(produced, job.formats, strict=True):
        path = Path(src)
        files.append(path)
        if fmt in job.movies:
            files.extend(p for p in (path.with_suffix(".srt"), beats_path(path)) if p.is_file())
        index = path.parent / "sections" / f"{path.stem}.json"
        if job.cut(fmt) and index.is_file():
            files.append(index)
            files.extend(index.parent / s["video"] for s in json.loads(index.read_text(encoding="utf-8")))
    return list(dict.fromkeys(files))


def _copy_hashing(src: Path, dest: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with src.open("rb") as fin, dest.open("wb") as fout:
        while chunk := fin.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            fout.write(chunk)
    return digest.hexdigest(), size


MANIFEST_MAX = 16 * 1024**2  # a manifest lists a few dozen files: anything bigger is not one


def _open_regular(path: Path, size: int | None = None) -> int:
    """A file descriptor of `path` if it is a regular file (of `size` bytes, when given);
    Damaged otherwise. A FIFO would block a read forever and /dev/zero would never end, so
    nothing but a regular file is opened: not followed through a symlink, checked before the
    open (lstat: a device is never opened) and after it (fstat: the file opened is the one
    checked)."""
    try:
        before = os.lstat(path)
    except FileNotFoundError:
        raise Damaged(f"{path.name} is missing") from None
    if not stat.S_ISREG(before.st_mode):
        raise Damaged(f"{path.name} is not a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise Damaged(f"{path.name} cannot be opened ({exc.strerror})") from None
    now = os.fstat(fd)
    if not stat.S_ISREG(now.st_mode) or (size is not None and now.st_size != size):
        os.close(fd)
        raise Damaged(f"{path.name} is not a regular file of {size} bytes")
    return fd


def _read_manifest(path: Path) -> Any:
    fd = _open_regular(path)
    with os.fdopen(fd, "rb") as f:
        data = f.read(MANIFEST_MAX + 1)
    if len(data) > MANIFEST_MAX:
        raise Damaged("the manifest is too large to be one")
    return json.loads(data.decode("utf-8"))


def _copy_verified(src: Path, dest: Path, size: int) -> tuple[str, int]:
    """As _copy_hashing, from a regular file of exactly `size` bytes, reading no more than that."""
    fd = _open_regular(src, size)
    digest, got = hashlib.sha256(), 0
    with os.fdopen(fd, "rb") as fin, dest.open("wb") as fout:
        while got <= size and (chunk := fin.read(min(1 << 20, size + 1 - got))):
            digest.update(chunk)
            got += len(chunk)
            fout.write(chunk)
    return digest.hexdigest(), got


def _inside(path: Path, root: Path) -> bool:
    """Whether path, its symlinked folders resolved, lies under root (resolved)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def _safe_relative(text: str) -> Path:
    rel = Path(text)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise Damaged(f"manifest names a path outside the entry: {text!r}")
    return rel


class Cache:
    """Entries under `root`, at most `limit` bytes of them."""

    def __init__(self, root: Path, limit: int = DEFAULT_LIMIT) -> None:
        self.root = Path(root)
        self.limit = limit
        self.used: set[str] = set()  # entries this process has stored or reused: never evicted by it

    @classmethod
    def for_media(cls, media_dir: str) -> Cache | None:
        """The cache of a run: ROLL_CACHE_DIR, or roll-cache/ in manim's media tree; None when
        ROLL_CACHE_LIMIT is 0."""
        limit = parse_limit(os.environ.get(LIMIT_ENV, "") or str(DEFAULT_LIMIT))
        if limit == 0:
            return None
        return cls(Path(os.environ.get(DIR_ENV) or Path(media_dir) / "roll-cache"), limit)

    def folder(self, job: Job, key: str) -> Path:
        return self.root / f"{job.name}-{key}"

    def entries(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith("."))

    # reuse ----------------------------------------------------------------------------------
    def fetch(self, job: Job, key: str) -> list[str] | None:
        """The job's results copied back into its media tree from a verified entry; None if
        there is no entry; Damaged (after removing the entry) if it does not verify."""
        entry = self.folder(job, key)
        manifest_path = entry / "manifest.json"
        if not os.path.lexists(manifest_path):
            return None
        temps: list[tuple[Path, Path]] = []
        try:
            try:
                manifest = _read_manifest(manifest_path)
                files = {f["path"]: (f["sha256"], int(f["size"])) for f in manifest["files"]}
                produced = list(manifest["produced"])
                ok = manifest["format"] == FORMAT and manifest["key"] == key
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise Damaged(f"unreadable manifest ({type(exc).__name__})") from None
            if not ok or len(produced) != len(job.formats) or not set(produced) <= set(files):
                raise Damaged("the manifest does not describe this job")
            media = Path(job.media_dir)
            for rel_text, (sha, size) in files.items():
                rel = _safe_relative(rel_text)
                dest = media / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                tmp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.part")
                temps.append((tmp, dest))
                src = entry / "files" / rel
                if not _inside(src.parent, entry):
                    raise Damaged(f"{rel_text} lies outside the entry (a symlinked folder)")
                try:
                    got = _copy_verified(src, tmp, size)
                except FileNotFoundError:
                    raise Damaged(f"{rel_text} is missing") from None
                except Damaged as exc:
                    raise Damaged(f"{rel_text}: {exc}") from None
                if got != (sha, size):
                    raise Damaged(f"{rel_text} does not match its sha256")
            for tmp, dest in temps:
                os.replace(tmp, dest)
            temps.clear()
        except Damaged:
            shutil.rmtree(entry, ignore_errors=True)
            raise
        finally:
            for tmp, _ in temps:
                tmp.unlink(missing_ok=True)
        self.used.add(entry.name)
        with contextlib.suppress(OSError):
            os.utime(manifest_path)  # most recently used: the last to be evicted
        return [str(media / p) for p in produced]

    # store ----------------------------------------------------------------------------------
    def store(self, job: Job, key: str, produced: Sequence[str]) -> Path | None:
        """Keep a successful render's files as an entry (written aside, renamed into place).
        None when a result lies outside the job's media tree (nothing to put it back to)."""
        media = Path(job.media_dir).resolve()
        files = related_files(job, produced)
        rels = []
        for path in files:
            try:
                rels.append(path.resolve().relative_to(media))
            except ValueError:
                return None
        self.root.mkdir(parents=True, exist_ok=True)
        tag = self.root / "CACHEDIR.TAG"
        if not tag.exists():
            with contextlib.suppress(OSError):
                tag.write_text(TAG)
        entry = self.folder(job, key)
        tmp = self.root / f".tmp-{entry.name}-{uuid.uuid4().hex[:8]}"
        try:
            listed = []
            for path, rel in zip(files, rels, strict=True):
                dest = tmp / "files" / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                sha, size = _copy_hashing(path, dest)
                listed.append({"path": rel.as_posix(), "sha256": sha, "size": size})
            manifest = {
                "format": FORMAT,
                "key": key,
                "name": job.name,
                "quality": job.quality,
                "formats": list(job.formats),
                "theme": job.theme,
                "lang": job.lang,
                "sections": job.sections,
                "captions": job.captions,
                "produced": [Path(p).resolve().relative_to(media).as_posix() for p in produced],
                "files": listed,
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
            self._put(tmp, entry)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self.used.add(entry.name)
        self.evict()
        return entry

    def _put(self, tmp: Path, entry: Path) -> None:
        """Rename tmp to entry; an older entry of the same key (a --force render, or a damaged
        one) is moved aside first and removed after."""
        old = None
        if entry.exists():
            old = self.root / f".old-{entry.name}-{uuid.uuid4().hex[:8]}"
            with contextlib.suppress(FileNotFoundError):
                os.rename(entry, old)
        try:
            os.rename(tmp, entry)
        except OSError:
            if not (entry / "manifest.json").is_file():
                raise  # not another process storing the same result at the same moment
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)

    # bound ----------------------------------------------------------------------------------
    def size_of(self, entry: Path) -> int:
        try:
            manifest = _read_manifest(entry / "manifest.json")
            return sum(int(f["size"]) for f in manifest["files"])
        except (OSError, ValueError, KeyError, TypeError, Damaged):
            total = 0
            for p in entry.rglob("*"):
                with contextlib.suppress(OSError):  # another process may be removing it
                    st = p.lstat()
                    total += st.st_size if stat.S_ISREG(st.st_mode) else 0
            return total

    def evict(self) -> list[Path]:
        """Drop the least recently used entries (not those of this run) until the cache fits
        its limit; also remove what a killed store left behind."""
        now = time.time()
        for leftover in [*self.root.glob(".tmp-*"), *self.root.glob(".old-*")]:
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime > STALE:
                    shutil.rmtree(leftover, ignore_errors=True)
        sized = []
        for entry in self.entries():
            try:
                used_at = (entry / "manifest.json").stat().st_mtime
            except OSError:
                used_at = float("-inf")  # no manifest: broken, first to go
            sized.append((used_at, entry.name, entry, self.size_of(entry)))
        total = sum(s for *_, s in sized)
        dropped = []
        for used_at, name, entry, size in sorted(sized):
            if total <= self.limit:
                break
            if name in self.used or now - used_at < FRESH:
                continue  # this run's, or another shard's that a later command will read
            shutil.rmtree(entry, ignore_errors=True)
            total -= size
            dropped.append(entry)
        return dropped
