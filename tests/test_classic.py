"""The classic test functions by name: their values and gradients at their known minima, the
minima found again from a start near each, and the commands that take --landscape."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from landscapes import LANDSCAPE_STARTS, Settings, classify, get_landscape, run
from landscapes.critical import critical_points, gradient
from landscapes.functions import CLASSIC
from scenes.cli.main import main

NAMES = ["rosenbrock", "rastrigin", "himmelblau", "beale", "booth", "camel", "styblinski-tang", "ackley"]
# the least root of 4x³ − 32x + 5 (styblinski-tang's minimum in each coordinate), as numpy finds it
ST = float(min(np.roots([4.0, 0.0, -32.0, 5.0]).real))
VALUES = {  # f at each known minimum, in the order the records list them
    "rosenbrock": [0.0],
    "rastrigin": [0.0],
    "himmelblau": [0.0] * 4,
    "beale": [0.0],
    "booth": [0.0],
    "camel": [0.0, 0.2986384422368, 0.2986384422368],
    "styblinski-tang": [ST**4 - 16 * ST**2 + 5 * ST],  # twice half of one coordinate's
    "ackley": [0.0],
}


def test_the_eight_are_named_with_domains_starts_and_formulas():
    assert list(CLASSIC) == NAMES
    for name in NAMES:
        ls = get_landscape(name)
        assert ls.dim == 2 and ls.domain is not None and ls.latex.startswith("f(x, y) = ") and ls.minima
        (x0, x1), (y0, y1) = ls.domain
        start = LANDSCAPE_STARTS[name]
        assert x0 <= start[0] <= x1 and y0 <= start[1] <= y1
        for m in ls.minima:
            assert x0 <= m[0] <= x1 and y0 <= m[1] <= y1
    assert (
        get_landscape("himmelblau").minima[0] == (3.0, 2.0) and len(get_landscape("himmelblau").minima) == 4
    )
    ((x, y),) = get_landscape("styblinski-tang").minima
    assert x == y == pytest.approx(ST, abs=1e-14) and abs(4 * x**3 - 32 * x + 5) < 1e-12


@pytest.mark.parametrize("name", NAMES)
def test_value_at_the_known_minima(name):
    ls = get_landscape(name)
    for m, want in zip(ls.minima, VALUES[name], strict=True):
        assert ls.value(*m) == pytest.approx(want, abs=1e-9), m


EXACT = [
    ("rosenbrock", (1, 1)),
    ("rastrigin", (0, 0)),
    ("himmelblau", (3, 2)),
    ("beale", (3, 0.5)),
    ("booth", (1, 3)),
    ("camel", (0, 0)),
]


@pytest.mark.parametrize(("name", "point"), EXACT)
def test_closed_form_minima_have_zero_value_and_gradient(name, point):
    ls = get_landscape(name)
    assert ls.value(*point) == 0.0
    assert np.abs(gradient(ls, point)).max() < 1e-12


@pytest.mark.parametrize("name", [n for n in NAMES if n != "ackley"])
def test_every_minimum_is_found_again_from_a_start_near_it(name):
    """Newton's rule (the book's, with autograd's Hessian) from 0.05 away lands on each known
    minimum to its printed digits, where the gradient vanishes and the Hessian says minimum."""
    ls = get_landscape(name)
    for m in ls.minima:
        start = (m[0] + 0.05, m[1] - 0.05)
        tr = run(Settings(name, start, optimizer="newton", lr=1.0, steps=50, tol=1e-12))
        assert tr.status == "converged", (m, tr.status)
        np.testing.assert_allclose(tr.end, m, rtol=0, atol=1e-6)
        assert classify(ls, tr.end).kind == "minimum"


def test_ackleys_minimum_is_a_kink_with_no_gradient():
    """At (0, 0) f has a cone's tip: its slope along x is ±20·0.2/√2 on either side, so there is no
    gradient (autograd gives NaN there); next to it the slope points away from the minimum."""
    ls = get_landscape("ackley")
    assert abs(ls.value(0.0, 0.0)) < 1e-15
    assert all(math.isnan(v) for v in gradient(ls, (0.0, 0.0)))
    slope = 20 * 0.2 / math.sqrt(2)
    assert gradient(ls, (1e-9, 0.0))[0] == pytest.approx(slope, rel=1e-6)
    assert gradient(ls, (-1e-9, 0.0))[0] == pytest.approx(-slope, rel=1e-6)


def test_compare_and_custom_take_them_by_name(capsys):
    assert (
        main(["trajectory", "compare", "--landscape", "rosenbrock", "--optimizer", "adam", "--lr", "0.05"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["landscape"] == "rosenbrock" and doc["start"] == [-2.0, 2.0]
    assert doc["values"][-1] < doc["values"][0]
    argv = [
        "trajectory",
        "custom",
        "--landscape",
        "booth",
        "--optimizer",
        "gd",
        "--lr",
        "0.05",
        "--steps",
        "500",
    ]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["status"] == "converged" and np.allclose(doc["points"][-1], [1, 3], atol=1e-6)
    assert main(["trajectory", "ripples", "--landscape", "booth"]) == 2
    assert "--landscape works with `compare`, `race`, `basins` and `custom`" in capsys.readouterr().err


@pytest.mark.parametrize("name", [n for n in NAMES if n != "ackley"])
def test_critical_points_finds_each_known_minimum_near_it(name):
    """landscapes/critical.py's finder, in a box of ±0.1 around each known minimum, finds it there."""
    ls = get_landscape(name)
    for m in ls.minima:
        found = critical_points(ls, [(m[0] - 0.1, m[0] + 0.1), (m[1] - 0.1, m[1] + 0.1)])
        minima = [p for p in found if p.kind == "minimum"]
        assert len(minima) == 1, (m, found)
        np.testing.assert_allclose(minima[0].at, m, rtol=0, atol=1e-6)
