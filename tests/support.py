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
