"""What every deck writer shares: a scene as a deck shows it (its beats, read from the
scene's NAME.beats.json), the themes' colours, and writing a deck whole or not at all.

No manim, python-pptx or PyAV here: the command line imports this on every `roll slides`.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import struct
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


@dataclass(frozen=True)
class Beat:
    """One step of a scene's story: the caption that opens it and the clip that shows it."""

    caption: str  # the caption that opens the beat: the slide's text, and the first line of its notes
    clip: Path  # the beat's video clip (H.264 mp4 from roll slides; the HTML deck plays webm too)
    poster: Path  # a PNG of the beat's last frame (roll slides): what a printed deck shows
    warn: bool = False  # the caption warns (a run that diverged, left the domain, ...), as on screen
    notes: str = ""  # what the speaker reads beside the caption (the labels on screen, the time)
    seconds: float | None = None  # the beat's length in the video (beats.json), when known


@dataclass(frozen=True)
class DeckScene:
    """A scene as a deck shows it: a title slide (title and story line), then its beats."""

    name: str  # e.g. "ripples"
    title: str  # e.g. "Optimization and deep learning: ripples"
    line: str  # the story line (or the run's settings), one sentence
    beats: tuple[Beat, ...]
    notes: str = ""  # the title slide's speaker notes


@dataclass(frozen=True)
class Theme:
    background: str  # hex colours, "RRGGBB"
    text: str
    muted: str  # story lines, the counter: still >= 4.5:1 against the background
    warn: str  # a warning caption: >= 4.5:1 against the background too


THEMES = {
    "dark": Theme(background="000000", text="EEEEEE", muted="B0B0B0", warn="FF8A65"),
    "light": Theme(background="FFFFFF", text="111111", muted="505050", warn="B3261E"),
}

# the page's language and fonts: a Chinese deck names the simplified-Chinese face first, or the
# browser may draw its words in Japanese glyph forms
PAGE_LANGS = {
    "en": ("en", '"Noto Sans", "DejaVu Sans", sans-serif'),
    "zh": ("zh-Hans", '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'),
}


def theme_of(name: str) -> Theme:
    """The theme's colours; an unknown name is an error, not a silent fallback to dark."""
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}: choose one of {', '.join(THEMES)}") from None


def check_scenes(scenes: Sequence[DeckScene]) -> None:
    """Fail before writing anything: a deck with no scenes or a missing file is a caller's bug."""
    if not scenes:
        raise ValueError("a deck needs at least one scene")
    for scene in scenes:
        for beat in scene.beats:
            for path in (beat.clip, beat.poster):
                if not Path(path).is_file():
                    raise FileNotFoundError(f"{scene.name}: no such file {path}")


def safe_name(name: str) -> str:
    """A scene name as a file name: letters, digits, '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "scene"


# a number's minus sign and the digits after it: a line may break before the number, never in it
_SIGNED = re.compile(r"(?<![\w)\]])-(?=\d|\.\d)")


def unbroken_numbers(text: str) -> str:
    """The text with each negative number's hyphen-minus made U+2212, the minus sign.

    A text engine may break a line after a hyphen-minus ("(-0.126340, -" / "0.186632)" in
    Impress); after the minus sign, a prefix of numbers in Unicode's line-breaking rules, it
    does not. The words and digits stay the same; a subtraction (`x - 1`) keeps its hyphen."""
    return _SIGNED.sub("\u2212", text)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(dest: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write dest through a temporary file in its folder, then rename: whole or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes 0600: as readable as any other file
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def publish_page(
    out_dir: Path,
    page_name: str,
    assets: str,
    page: Callable[[str], bytes],
    files: Mapping[str, Path | bytes],
) -> Path:
    """Publish a page and the files it names as one: either the new deck or the old one works.

    The files go into a new folder of their own, `assets/<build>/`, and the page is written
    aside naming that folder (`page(folder)` returns its bytes); only then is the page renamed
    over the old one, the one step that publishes. A failure before it (a full disk while the
    clips or the page are written, an interrupt) leaves the old page and the folder it names
    untouched; the older builds' folders are removed after it, and by the next write."""
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir / assets
    if root.exists() and not root.is_dir():
        raise FileExistsError(f"{root} is a file: the deck keeps its clips in a folder of that name")
    root.mkdir(exist_ok=True)
    os.chmod(root, 0o777 & ~umask())
    dest = out_dir / page_name
    live = _named_build(dest, assets)
    for stale in root.iterdir():  # what an interrupted earlier write left, and older builds
        if stale.name.startswith(".") or (live is not None and stale.name != live):
            _remove(stale)
    build = _build_name(files)  # the same files, the same name: a deck written twice is the same
    if build == live and (root / build).is_dir():  # already published: only the page may differ
        write_atomic(dest, lambda out: out.write(page(f"{assets}/{build}")))
        return dest
    fresh = root / f".{build}.{secrets.token_hex(4)}.part"
    fresh.mkdir()
    try:
        for name, src in files.items():
            target = fresh / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(src, bytes):
                target.write_bytes(src)
            else:
                shutil.copyfile(src, target)
        os.chmod(fresh, 0o777 & ~umask())
        os.rename(fresh, root / build)
        try:
            write_atomic(dest, lambda out: out.write(page(f"{assets}/{build}")))
        except BaseException:
            shutil.rmtree(root / build, ignore_errors=True)
            raise
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    for old in root.iterdir():
        if old.name != build:
            _remove(old)
    return dest


def _build_name(files: Mapping[str, Path | bytes]) -> str:
    """A build folder's name from its files' names and contents (8 hex digits)."""
    digest = hashlib.sha256()
    for name in sorted(files):
        src = files[name]
        data = src if isinstance(src, bytes) else Path(src).read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()[:8]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _named_build(page: Path, assets: str) -> str | None:
    """The build folder the published page names (None when there is no page, or it names none)."""
    try:
        text = page.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = re.search(rf'"{re.escape(assets)}/([0-9a-f]{{8}})/', text)
    return found[1] if found else None


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header, so the movie keeps the clip's aspect without Pillow."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def mp4_duration_ms(path: Path) -> int | None:
    """The movie's length from its `moov/mvhd` box, or None when the file is not an MP4.

    PowerPoint writes the clip's length on the play command's time node; only the boxes'
    headers are read (the media data is skipped), so a long clip costs nothing.
    """

    def boxes(f, end: int):
        while f.tell() + 8 <= end:
            start = f.tell()
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0]
            elif size == 0:
                size = end - start
            if size < 8:
                return
            yield kind, start, f.tell(), start + size
            f.seek(start + size)

    with open(path, "rb") as f:
        end = f.seek(0, os.SEEK_END)
        f.seek(0)
        for kind, _, body, stop in boxes(f, end):
            if kind != b"moov":
                continue
            f.seek(body)
            for inner, _, ibody, _ in boxes(f, stop):
                if inner != b"mvhd":
                    continue
                f.seek(ibody)
                version = f.read(1)[0]
                f.read(3)
                if version == 1:
                    f.read(16)
                    timescale, duration = struct.unpack(">IQ", f.read(12))
                else:
                    f.read(8)
                    timescale, duration = struct.unpack(">II", f.read(8))
                return round(duration * 1000 / timescale) if timescale else None
    return None


def clip_seconds(beat: Beat) -> float:
    """The clip's length: from the MP4's header, else the beat's length in the video."""
    ms = mp4_duration_ms(beat.clip) if Path(beat.clip).is_file() else None
    if ms is not None:
        return ms / 1000
    return beat.seconds if beat.seconds is not None else 0.0


def beat_vtt(beat: Beat) -> str:
    """WebVTT for one beat's clip: its caption as the one cue, over the whole clip."""
    from scenes.cli.subtitles import webvtt

    return webvtt([(0.0, max(clip_seconds(beat), 0.001), beat.caption)])
