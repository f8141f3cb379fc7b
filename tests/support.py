"""Running `roll` as users do: a real process, from a folder of the test's choosing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def roll_env(*first: Path) -> dict[str, str]:
    """The environment of a `python -m scenes` process; `first` folders shadow the project."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([*map(str, first), str(ROOT)])}


def roll(
    *argv: str, cwd: Path, timeout: float = 300, first: tuple[Path, ...] = ()
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scenes", *argv],
        capture_output=True,
        text=True,
        env=roll_env(*first),
        cwd=cwd,
        timeout=timeout,
    )


def movie_frames(path: Path) -> list:
    """Every frame of a movie, decoded from the start, as int RGB arrays."""
    import av

    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]


def same_picture(a: Path, b: Path, tolerance: int = 4) -> bool:
    """Two encodings of one scene: as many frames, none differing anywhere by more than
    `tolerance` levels. Two processes drawing one scene can differ by a level in an
    anti-aliased pixel (float sums whose order depends on memory alignment), which x264 then
    encodes into different bytes; the picture is the same."""
    fa, fb = movie_frames(a), movie_frames(b)
    return len(fa) == len(fb) and all(abs(x - y).max() <= tolerance for x, y in zip(fa, fb, strict=True))
