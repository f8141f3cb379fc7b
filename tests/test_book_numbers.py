"""The numbers d2l's "Optimization Algorithms" chapter prints, to the printed digit.

Each is compared as the book prints it (`f'{x:f}'`, six decimals; Newton's 1D runs print a
float32 torch tensor, four decimals), once through `roll trajectory custom ...` as a user
would type it, and once through the story the scene draws.
"""

import json

import pytest

from landscapes import CHAPTER, LANDSCAPES
from landscapes.functions import CLASSIC
from scenes.catalog import get_story
from scenes.cli.main import main

SQUARE, XCOS, COSH = "x**2", "x*cos(0.15*pi*x)", "cosh(0.5*x)"
BOWL, ILL = "x**2 + 2*y**2", "0.1*x**2 + 2*y**2"

# (what the book runs, as flags) -> what it prints
BOOK = [
    # gd section: x² from 10, 10 epochs
    ([SQUARE, "10", "10", "--lr", "0.05"], ["3.486784"]),
    ([SQUARE, "10", "10", "--lr", "0.2"], ["0.060466"]),
    ([SQUARE, "10", "10", "--lr", "1.1"], ["61.917364"]),
    # gd section: x*cos(0.15πx) from 10, eta 2 overshoots into a poor minimum
    ([XCOS, "10", "10", "--lr", "2"], ["-1.528166"]),
    # gd section, 2D: x1² + 2·x2² from (-5, -2), eta 0.1, 20 epochs
    ([BOWL, "-5,-2", "20", "--lr", "0.1"], ["-0.057646", "-0.000073"]),
    # momentum section: the ill-conditioned 0.1·x1² + 2·x2²
    ([ILL, "-5,-2", "20", "--lr", "0.4"], ["-0.943467", "-0.000073"]),
    ([ILL, "-5,-2", "20", "--lr", "0.6"], ["-0.387814", "-1673.365109"]),
    (
        [ILL, "-5,-2", "20", "--optimizer", "momentum", "--lr", "0.6", "--beta", "0.5"],
        ["0.007188", "0.002553"],
    ),
    (
        [ILL, "-5,-2", "20", "--optimizer", "momentum", "--lr", "0.6", "--beta", "0.25"],
        ["-0.126340", "-0.186632"],
    ),
    # adagrad section
    ([ILL, "-5,-2", "20", "--optimizer", "adagrad", "--lr", "0.4"], ["-2.382563", "-0.158591"]),
    ([ILL, "-5,-2", "20", "--optimizer", "adagrad", "--lr", "2"], ["-0.002295", "-0.000000"]),
    # rmsprop section
    (
        [ILL, "-5,-2", "20", "--optimizer", "rmsprop", "--lr", "0.4", "--gamma", "0.9"],
        ["-0.010599", "0.000000"],
    ),
    # gd section, Newton: cosh(0.5x) from 10 reaches 0 (the book prints tensor(0.))
    ([COSH, "10", "10", "--optimizer", "newton", "--lr", "1"], ["0.000000"]),
]
# Newton on x*cos(0.15πx): the book prints float32 tensors, tensor(26.8341) and tensor(7.2699)
NEWTON_XCOS = [("1", "26.8341"), ("0.5", "7.2699")]


def _json(capsys, argv):
    assert main(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def _custom(function, start, steps, *flags):
    return ["trajectory", "custom", "--function", function, f"--start={start}", "--steps", steps, *flags]


def _six(point):
    return [f"{v:f}" for v in point]


@pytest.mark.parametrize(("run", "printed"), BOOK, ids=[f"{' '.join(r)} -> {p}" for r, p in BOOK])
def test_the_book_through_the_command_line(capsys, run, printed):
    out = _json(capsys, _custom(*run))
    if out["status"] == "converged":  # Newton on cosh: the gradient is below 1e-8 before epoch 10
        assert out["steps_taken"] < int(run[2])
    else:
        assert (out["status"], out["steps_taken"]) == ("max_steps", int(run[2])), "the book's epochs"
    assert _six(out["points"][-1]) == printed


@pytest.mark.parametrize(("eta", "printed"), NEWTON_XCOS)
def test_newton_on_xcos_through_the_command_line(capsys, eta, printed):
    out = _json(capsys, _custom(XCOS, "10", "10", "--optimizer", "newton", "--lr", eta))
    assert f"{out['points'][-1][0]:.4f}" == printed


def _ends(name):
    """Every ball of a story: (landscape, optimizer, lr, its hyper-parameter) -> end, 6 decimals."""
    return [(tr.settings, _six(tr.end), tr.steps) for tr in get_story(name).trajectories()]


def test_learning_rate_story():
    ends = _ends("learning-rate")
    assert [(s.landscape, s.lr, e, n) for s, e, n in ends] == [
        ("square", 0.2, ["0.060466"], 10),
        ("square", 0.05, ["3.486784"], 10),
        ("square", 1.1, ["61.917364"], 10),
    ]


def test_overshoot_story():
    ((s, end, n),) = _ends("overshoot")
    assert (s.landscape, s.lr, end, n) == ("xcos", 2.0, ["-1.528166"], 10)


def test_gd_2d_story():
    ((s, end, n),) = _ends("gd-2d")
    assert (s.landscape, s.start, s.lr, end, n) == ("bowl", (-5.0, -2.0), 0.1, ["-0.057646", "-0.000073"], 20)


def test_ill_conditioned_story():
    ends = _ends("ill-conditioned")
    assert [(s.landscape, s.optimizer, s.lr, e) for s, e, _ in ends] == [
        ("ill", "gd", 0.4, ["-0.943467", "-0.000073"]),
        ("ill", "gd", 0.6, ["-0.387814", "-1673.365109"]),
    ]


def test_momentum_story():
    ends = _ends("momentum")
    assert [(s.optimizer, s.lr, s.beta, e) for s, e, _ in ends] == [
        ("momentum", 0.6, 0.5, ["0.007188", "0.002553"]),
        ("momentum", 0.6, 0.25, ["-0.126340", "-0.186632"]),
        ("gd", 0.6, 0.5, ["-0.387814", "-1673.365109"]),  # beta is the main ball's, not in force
    ]


def test_adagrad_story():
    ends = _ends("adagrad")
    assert [(s.optimizer, s.lr, e) for s, e, _ in ends] == [
        ("adagrad", 0.4, ["-2.382563", "-0.158591"]),
        ("adagrad", 2.0, ["-0.002295", "-0.000000"]),
    ]


def test_rmsprop_story():
    ends = _ends("rmsprop")
    assert [(s.optimizer, s.lr, s.gamma, e) for s, e, _ in ends] == [
        ("rmsprop", 0.4, 0.9, ["-0.010599", "0.000000"]),
        ("adagrad", 0.4, 0.9, ["-2.382563", "-0.158591"]),
    ]


def test_newton_story():
    trs = get_story("newton").trajectories()
    assert [(t.settings.landscape, t.settings.optimizer, t.settings.lr) for t in trs] == [
        ("cosh", "newton", 1.0),
        ("cosh", "gd", 0.1),
        ("xcos", "newton", 1.0),
        ("xcos", "newton", 0.5),
    ]
    newton, gd, up, down = trs
    assert newton.steps == 10 and _six(newton.end) == ["0.000000"]
    assert abs(gd.end[0]) > 3, "gd crawls where Newton arrives"
    assert f"{up.end[0]:.4f}" == "26.8341" and f"{down.end[0]:.4f}" == "7.2699"
    # eta 1 ends at a maximum of x*cos(0.15πx) (f'' < 0 there); eta 0.5, which halves the
    # distance each step, is 1e-3 from a minimum after 10 steps
    from landscapes import classify, get_landscape

    xcos = get_landscape("xcos")
    assert classify(xcos, up.end).kind == "maximum"
    assert classify(xcos, down.end, grad_tol=1e-2).kind == "minimum"


def test_sgd_schedules_story():
    trs = get_story("sgd-schedules").trajectories()
    assert [(t.settings.schedule, t.settings.noise, t.settings.anneal) for t in trs] == [
        ("constant", 1.0, False),
        ("exponential", 1.0, False),
        ("polynomial", 1.0, False),
    ]
    const, expo, poly = trs
    assert const.lrs.tolist() == [0.1] * 51
    assert expo.lrs[0] == pytest.approx(0.1 * 0.8187307530779818, abs=1e-15)  # e^-0.2: the book's t = 2
    assert poly.lrs[0] == pytest.approx(0.1 * 1.2**-0.5, abs=1e-15)
    # the same seeded noise for all three: the first step differs by the rate alone
    noise = [(t.points[0] - t.points[1]) / t.lrs[0] - t.grads[0] for t in trs]
    assert all(n == pytest.approx(noise[0], abs=1e-12) for n in noise)


def test_adam_story():
    adam, adadelta, gd, momentum = get_story("adam").trajectories()
    assert [t.settings.optimizer for t in (adam, adadelta, gd, momentum)] == [
        "adam",
        "adadelta",
        "gd",
        "momentum",
    ]
    # adam's first step is eta per coordinate (bias-corrected v/sqrt(s) = sign(g)), adadelta's
    # about sqrt(1e-5)/sqrt(0.1 g²): it creeps
    assert (adam.points[1] - adam.points[0]) == pytest.approx([0.4, 0.4], abs=1e-5)
    assert max(abs(adadelta.points[1] - adadelta.points[0])) < 0.011
    assert list(adam.state) == ["v", "s"] and list(adadelta.state) == ["s", "delta"]
    assert (momentum.settings.lr, momentum.settings.beta) == (0.6, 0.5)


def test_every_landscape_has_its_formula():
    # every landscape by name (the chapter's, then the classic test functions) has its formula for --help
    assert [*CHAPTER, *CLASSIC] == list(LANDSCAPES)
    assert CHAPTER["ill"].value(-5.0, -2.0) == 0.1 * 25 + 2 * 4
    assert CHAPTER["bowl"].value(-5.0, -2.0) == 25 + 2 * 4
    assert CHAPTER["cosh"].value(10.0) == pytest.approx(74.20994852478785, rel=1e-15)
    for name in ("square", "xcos", "cosh", "bowl", "ill"):
        assert CHAPTER[name].domain is None, "the book runs them unbounded"
