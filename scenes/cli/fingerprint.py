"""The set-up's fingerprint: what besides the code and the job decides a result's bytes
(Python, the packages that draw and encode, pango, cairo, ffmpeg, TeX, fonts, manim.cfg)."""

from __future__ import annotations

import hashlib
import platform
import shutil
import subprocess
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

# the packages whose versions can change a result's bytes: drawing, text, TeX's SVGs, encoding
DISTRIBUTIONS = (
    "manim",
    "torch",
    "pytorch-optimizer",  # a plugged-in optimizer's steps
    "numpy",
    "contourpy",
    "manimpango",
    "pycairo",
    "av",
    "pillow",
    "scipy",
    "skia-pathops",
    "mapbox-earcut",
    "svgelements",
    "babel",
    "srt",
)
FONTS = ("DejaVu Sans", "Noto Sans CJK SC")  # the kit's text font and the zh font, by name


# -- the set-up ------------------------------------------------------------------------------
def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _first_line(program: str) -> str | None:
    path = shutil.which(program)
    if path is None:
        return None
    try:
        run = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"unusable: {type(exc).__name__}"
    lines = (run.stdout or run.stderr).splitlines()
    return lines[0].strip() if lines else f"exit {run.returncode}"


def _libraries() -> dict[str, Any]:
    found: dict[str, Any] = {}
    try:
        import manimpango

        found["pango"] = manimpango.pango_version()
        found["cairo"] = manimpango.cairo_version()
        installed = sorted(set(manimpango.list_fonts()))
        found["fonts"] = {f: f in installed for f in FONTS}
        # any font installed or removed can change pango's fallback for a glyph
        found["font_families"] = hashlib.sha256("\n".join(installed).encode()).hexdigest()
    except (ImportError, OSError, AttributeError) as exc:
        found["manimpango"] = f"unusable: {type(exc).__name__}"
    try:
        import av

        found["ffmpeg"] = {k: list(v) for k, v in sorted(av.library_versions.items())}
    except (ImportError, OSError, AttributeError) as exc:
        found["av"] = f"unusable: {type(exc).__name__}"
    return found


def _manim_config_files() -> dict[str, str | None]:
    """manim reads a user-wide and a folder-wide manim.cfg on import (the places its
    config_file_paths() names; its own default.cfg is covered by its version): their bytes
    count. Found here without importing manim, so an up-to-date run never loads it."""
    if sys.platform.startswith("win32"):
        user = Path.home() / "AppData" / "Roaming" / "Manim" / "manim.cfg"
    else:
        user = Path.home() / ".config" / "manim" / "manim.cfg"
    out: dict[str, str | None] = {}
    for where, path in (("user", user), ("folder", Path("manim.cfg"))):
        try:
            out[where] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            out[where] = None
    return out


@cache
def environment() -> dict[str, Any]:
    """What besides the project's code and the job decides a result's bytes (once per process)."""
    return {
        "python": f"{sys.implementation.name} {platform.python_version()}",
        "machine": platform.machine(),
        "packages": {d: _version(d) for d in DISTRIBUTIONS},
        "libraries": _libraries(),
        "tex": {p: _first_line(p) for p in ("latex", "dvisvgm")},
        "manim_cfg": _manim_config_files(),
    }
