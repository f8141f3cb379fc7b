"""`roll tune`: each optimizer's rate tuned on a log grid, the same in any process, the best
of the rates it tried on its own objective."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from support import ROOT

from landscapes import Settings
from landscapes.tune import ARRIVE, grid, objective, race_order, tune
from scenes.cli.main import main

ARGV = ["tune", "--landscape", "booth", "--optimizers", "gd,adam,adadelta", "--steps", "60"]


def test_the_same_rates_in_two_processes():
    code = "import sys; from scenes.cli.main import main; sys.exit(main(sys.argv[1:]))"
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, *ARGV, "--format", "json"], capture_output=True, text=True, cwd=ROOT
        )
        for _ in range(2)
    ]
    assert all(r.returncode == 0 and r.stderr == "" for r in runs), runs[0].stderr
    a, b = (json.loads(r.stdout) for r in runs)
    assert a == b
    assert [r["optimizer"] for r in a["results"]][0] in ("gd", "adam")
    assert a["search"] == {"method": "grid", "low": 1e-4, "high": 1.0, "points": 9, "refine": 4}


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adamw"])
def test_a_tuned_rate_beats_the_rates_next_to_it_on_the_search_objective(optimizer):
    s = Settings("rosenbrock", (-1.5, 2.0), optimizer=optimizer, steps=80)
    t = tune(s)
    rates = [lr for lr, _ in t.tried]
    k = rates.index(t.lr)
    scores = dict(t.tried)
    assert scores[t.lr] == min(scores.values()) == t.score
    for j in (k - 1, k + 1):
        if 0 <= j < len(rates):
            assert scores[rates[j]] >= t.score
            assert objective(s.override(lr=rates[j]), 0.0)[0] == scores[rates[j]], "scores are the runs' own"
    assert set(grid()) <= set(rates) and len(rates) == t.runs == 13


def test_arrival_means_staying_within_the_threshold():
    s = Settings("booth", (-8.0, 8.0), optimizer="gd", lr=0.05, steps=100)
    score, arrival, gap, status = objective(s, 0.0)
    from landscapes import run

    tr = run(s)
    gaps = tr.values / tr.values[0]
    assert arrival is not None and score == arrival
    assert np.all(gaps[arrival:] <= ARRIVE) and gaps[arrival - 1] > ARRIVE
    assert objective(s.override(lr=0.5), 0.0)[0] == float("inf"), "a diverged rate never wins"
    slow = objective(s.override(lr=1e-4), 0.0)
    assert slow[1] is None and 100 < slow[0] < 102


def test_table_csv_and_refusals(capsys):
    assert main(ARGV) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["#", "optimizer", "lr", "arrival", "gap", "status"]
    assert [line.split()[1] for line in table[1:]][-1] == "adadelta"
    assert main([*ARGV, "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "optimizer,lr,arrival,gap,status,runs"
    adadelta = next(r for r in rows if r.startswith("adadelta,"))
    assert adadelta.split(",")[1] == "" and adadelta.endswith(",1"), "no learning rate: one run"
    for argv, message in (
        (["tune", "--landscape", "ill", "--optimizers", "gd"], "--landscape ill: tuning needs a landscape"),
        (["tune", "--landscape", "nope", "--optimizers", "gd"], "--landscape 'nope': choose one of"),
        (["tune", "--landscape", "booth", "--optimizers", "gd,nope"], "--optimizers 'nope'"),
        ([*ARGV, "--format", "xml"], "--format 'xml': choose table, json or csv"),
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err


def test_race_order_is_by_score_then_name():
    s = Settings("booth", (-8.0, 8.0), steps=60)
    results = [tune(s.override(optimizer=o)) for o in ("adam", "gd")]
    ordered = race_order(results)
    assert [t.score for t in ordered] == sorted(t.score for t in results)
