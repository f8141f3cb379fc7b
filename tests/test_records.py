"""One record per optimizer: the flags, --help, the words on screen, the JSON and the README's
table all come from landscapes/rules.py, so adding a rule is one record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from landscapes import Settings, SettingsError, run
from landscapes.rules import RULES, Hyper, Rule, flag_help, readme_table
from scenes.cli.main import build_parser, main
from scenes.words.terms import optimizer_name, settings_label

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def _nesterov(h, p, g, state, lr, k):
    """Nesterov's momentum, a rule the book does not have: v <- mu*v + g; x <- x - eta*(g + mu*v).
    A step reads its hyper-parameters' values by field (mu is kept in `momentum`)."""
    v = state["v"]
    v[...] = h["momentum"] * v + g
    p -= lr * (g + h["momentum"] * v)


MU = Hyper("mu", "momentum", 0.9, "μ", "nesterov's mu")
NESTEROV = Rule("nesterov", "nesterov", "v ← μ·v + g; x ← x − η·(g + μ·v)", (MU,), ("v",), _nesterov)


@pytest.fixture
def nesterov(monkeypatch):
    monkeypatch.setitem(RULES, "nesterov", NESTEROV)
    return NESTEROV


def test_the_readme_table_is_the_records():
    assert readme_table() in README, "regenerate the README's table from landscapes.rules.readme_table()"
    rows = readme_table().splitlines()[2:]
    assert [r.split("`")[1] for r in rows] == list(RULES)


def test_flags_help_and_refusals_come_from_the_records():
    help_text = build_parser()._subparsers._group_actions[0].choices["trajectory"].format_help()
    assert "momentum's beta in [0, 1) (default 0.9)" in help_text
    assert "adadelta's rho in (0, 1) (default 0.9)" in help_text
    assert re.search(r"^  adadelta +--rho --noise$", help_text, re.M)
    assert re.search(r"^  newton +--lr --schedule$", help_text, re.M), "newton takes no noise"
    with pytest.raises(SettingsError, match=r"--rho 0.0: give a number in \(0, 1\), e.g. --rho 0.9"):
        Settings("ill", (-5.0, -2.0), optimizer="adadelta", rho=0.0).validate()
    with pytest.raises(SettingsError, match="--noise: newton takes the exact gradient"):
        Settings("cosh", (10.0,), optimizer="newton", noise=1.0).validate()
    assert Settings("ill", (1.0, 1.0)).beta2 == RULES["adam"].hyper[1].default == 0.999


def test_adding_a_rule_is_one_record(nesterov, capsys):
    # its flag and help, in --help
    help_text = build_parser()._subparsers._group_actions[0].choices["trajectory"].format_help()
    assert "--mu MU" in help_text and flag_help("mu") in help_text
    assert re.search(r"^  nesterov +--lr --schedule --mu --noise$", help_text, re.M)
    # its settings on the command line, its state and hyper-parameters in the JSON
    assert main(["trajectory", "momentum", "--optimizer", "nesterov", "--mu", "0.5", "--steps", "4"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["hyperparameters"] == {"optimizer": "nesterov", "lr": 0.6, "schedule": "constant", "mu": 0.5}
    assert list(out["state"]) == ["v"] and out["momentum"] == 0.5
    x, v = np.array([-5.0, -2.0]), np.zeros(2)
    for t in range(4):  # the rule by hand on 0.1·x1² + 2·x2²
        g = np.array([0.2 * x[0], 4 * x[1]])
        v = 0.5 * v + g
        x = x - 0.6 * (g + 0.5 * v)
        assert out["points"][t + 1] == x.tolist() and out["state"]["v"][t + 1] == v.tolist()
    # a flag it does not take is refused by the records' takers
    assert main(["trajectory", "momentum", "--optimizer", "nesterov", "--gamma", "0.5"]) == 2
    assert "--gamma: only rmsprop takes it; add --optimizer rmsprop" in capsys.readouterr().err
    assert main(["trajectory", "momentum", "--optimizer", "nesterov", "--mu", "1"]) == 2
    assert "--mu 1.0: give a number in [0, 1), e.g. --mu 0.9" in capsys.readouterr().err
    # its words on screen, and its README row
    s = Settings("ill", (-5.0, -2.0), optimizer="nesterov", lr=0.6, momentum=0.5)
    assert optimizer_name("nesterov") == "nesterov" and settings_label(s) == "nesterov η=0.6 μ=0.5"
    row = "| `nesterov` | v ← μ·v + g; x ← x − η·(g + μ·v) | `--lr` (η), `--schedule`, "
    assert row + "`--mu` (μ, default 0.9), `--noise` (σ) |" in readme_table()
    assert run(s.override(steps=3, tol=0.0)).points.shape == (4, 2)
