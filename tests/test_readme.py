"""Every `roll` command the README shows is accepted by the code as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from scenes.cli import runner
from scenes.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
COMMANDS = [shlex.split(line.split("#")[0])[1:] for line in re.findall(r"^\.venv/bin/roll .*$", README, re.M)]
# a story file the README names is the project's (the commands run from an empty folder)
COMMANDS = [[str(ROOT / a) if a.endswith(".toml") else a for a in argv] for argv in COMMANDS]


def test_the_readme_names_the_two_commands():
    assert "make render" in README and "make test" in README
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a)[:60] for a in COMMANDS])
def test_readme_command_is_valid(argv, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    planned = []

    def plan_only(jobs, workers, verbose=False, deliver=None):
        planned.extend(jobs)
        return 0, []

    monkeypatch.setattr(runner, "run_jobs", plan_only)
    if argv[0] == "bench":
        from scenes.cli.main import build_parser

        build_parser().parse_args(argv)  # parsing only: a bench renders every scene
        return
    assert main(argv) == 0, capsys.readouterr().err
    if argv[0] in ("render", "gallery", "slides"):
        assert planned, "the command plans at least one scene"
