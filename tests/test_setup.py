"""The set-up script's contract, without touching the machine: fake dpkg-query and id."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from support import ROOT


def _fake_bin(tmp_path: Path, uid: str, installed: bool) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    status = "install ok installed" if installed else "unknown ok not-installed"
    (bin_dir / "dpkg-query").write_text(f"#!/bin/sh\nprintf '{status}'\n")
    (bin_dir / "apt-get").write_text("#!/bin/sh\necho apt-get must not run here >&2\nexit 99\n")
    for f in bin_dir.iterdir():
        f.chmod(0o755)
    return bin_dir


def _run(tmp_path: Path, bin_dir: Path) -> subprocess.CompletedProcess:
    repo = tmp_path / "repo"
    (repo / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "bootstrap.sh", repo / "scripts" / "bootstrap.sh")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "scripts/bootstrap.sh", "test"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_not_root_with_packages_missing_prints_the_apt_line_and_stops(tmp_path):
    proc = _run(tmp_path, _fake_bin(tmp_path, "1000", installed=False))
    assert proc.returncode == 1
    line = next(ln for ln in proc.stderr.splitlines() if "apt-get install" in ln).strip()
    assert line == (
        "apt-get update && apt-get install -y --no-install-recommends libcairo2-dev libpango1.0-dev "
        "pkg-config texlive-latex-base texlive-latex-recommended texlive-latex-extra "
        "texlive-fonts-recommended dvisvgm cm-super-minimal fonts-noto-cjk "
        "chromium libreoffice-impress poppler-utils"
    )
    assert "run as root" in proc.stderr
    assert not (tmp_path / "repo" / ".venv").exists(), "stops before anything else"


def test_second_run_skips_what_is_there(tmp_path):
    """Packages present and a .venv stamped newer than pyproject.toml: nothing to do."""
    bin_dir = _fake_bin(tmp_path, "1000", installed=True)
    repo = tmp_path / "repo"
    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "python").symlink_to(shutil.which("python3"))
    (repo / "pyproject.toml").write_text("")
    os.utime(repo / "pyproject.toml", (1, 1))
    (repo / ".venv" / ".installed").write_text("")
    reveal = repo / ".vendor" / "node_modules" / "reveal.js"
    reveal.mkdir(parents=True)
    version = re.search(r"^REVEAL=(\S+)", (ROOT / "scripts" / "bootstrap.sh").read_text(), re.M).group(1)
    (reveal / "package.json").write_text(f'{{\n\t"version": "{version}",\n}}\n')
    proc = _run(tmp_path, bin_dir)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and proc.stderr == ""
