"""Every update rule against a hand recurrence in plain Python floats, and the closed forms.

The hand recurrences are the book's code (d2l, "Optimization Algorithms") with the
gradient written out; points, state and learning rates must agree to 1e-12 over 50 steps.
"""

import math
import warnings

import numpy as np
import pytest
import torch

from landscapes import STATUSES, Settings, run, run_batch
from landscapes.optimizers import schedule_factor

STEPS = 50
ILL = "ill"  # 0.1*x1**2 + 2*x2**2, gradient (0.2*x1, 4*x2)
START = (-5.0, -2.0)


def ill_grad(x):
    return [0.2 * x[0], 4 * x[1]]


def close(a, b, tol=1e-12):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=0, atol=tol)


def by_hand(step, x0, state0, steps=STEPS, lr=lambda k: 1.0):
    """Run `step(x, state, k, lr_k) -> (x, state)` from x0; every point, state and rate."""
    xs, states, lrs = [list(x0)], [dict(state0)], []
    x, st = list(x0), dict(state0)
    for k in range(steps):
        lrs.append(lr(k))
        x, st = step(x, st, k, lr(k))
        xs.append(list(x))
        states.append(dict(st))
    lrs.append(lr(steps))
    return xs, states, lrs


def check(tr, xs, states, lrs, names):
    assert tr.status == "max_steps" and tr.steps == STEPS
    close(tr.points, xs)
    assert sorted(tr.state) == sorted(names)
    for name in names:
        close(tr.state[name], [st[name] for st in states])
        assert tr.state[name].shape == tr.points.shape
    close(tr.lrs, lrs)
    assert tr.lrs.shape == (len(tr.points),)


def test_adagrad_is_the_books_rule():
    eta, eps = 0.4, 1e-6

    def step(x, st, k, lr):
        g = ill_grad(x)
        s = [st["s"][i] + g[i] ** 2 for i in range(2)]
        return [x[i] - lr / math.sqrt(s[i] + eps) * g[i] for i in range(2)], {"s": s}

    xs, states, lrs = by_hand(step, START, {"s": [0.0, 0.0]}, lr=lambda k: eta)
    tr = run(Settings(ILL, START, optimizer="adagrad", lr=eta, steps=STEPS, tol=0.0))
    check(tr, xs, states, lrs, ["s"])


def test_rmsprop_is_the_books_rule():
    eta, gamma, eps = 0.4, 0.7, 1e-6

    def step(x, st, k, lr):
        g = ill_grad(x)
        s = [gamma * st["s"][i] + (1 - gamma) * g[i] ** 2 for i in range(2)]
        return [x[i] - lr / math.sqrt(s[i] + eps) * g[i] for i in range(2)], {"s": s}

    xs, states, lrs = by_hand(step, START, {"s": [0.0, 0.0]}, lr=lambda k: eta)
    tr = run(Settings(ILL, START, optimizer="rmsprop", lr=eta, gamma=gamma, steps=STEPS, tol=0.0))
    check(tr, xs, states, lrs, ["s"])


def test_adadelta_is_the_books_rule():
    rho, eps = 0.8, 1e-5

    def step(x, st, k, lr):
        g = ill_grad(x)
        s = [rho * st["s"][i] + (1 - rho) * g[i] ** 2 for i in range(2)]
        gp = [math.sqrt(st["delta"][i] + eps) / math.sqrt(s[i] + eps) * g[i] for i in range(2)]
        delta = [rho * st["delta"][i] + (1 - rho) * gp[i] * gp[i] for i in range(2)]
        return [x[i] - gp[i] for i in range(2)], {"s": s, "delta": delta}

    xs, states, lrs = by_hand(step, START, {"s": [0.0, 0.0], "delta": [0.0, 0.0]})
    # lr is not in force for adadelta: a story's lr (here 0.4) changes nothing
    tr = run(Settings(ILL, START, optimizer="adadelta", lr=0.4, rho=rho, steps=STEPS, tol=0.0))
    check(tr, xs, states, lrs, ["s", "delta"])
    assert np.all(tr.lrs == 1.0)


def test_adam_is_the_books_rule():
    eta, b1, b2, eps = 0.3, 0.8, 0.99, 1e-6

    def step(x, st, k, lr):
        g = ill_grad(x)
        t = k + 1
        v = [b1 * st["v"][i] + (1 - b1) * g[i] for i in range(2)]
        s = [b2 * st["s"][i] + (1 - b2) * g[i] ** 2 for i in range(2)]
        vh = [v[i] / (1 - b1**t) for i in range(2)]
        sh = [s[i] / (1 - b2**t) for i in range(2)]
        return [x[i] - lr * vh[i] / (math.sqrt(sh[i]) + eps) for i in range(2)], {"v": v, "s": s}

    xs, states, lrs = by_hand(step, START, {"v": [0.0, 0.0], "s": [0.0, 0.0]}, lr=lambda k: eta)
    tr = run(Settings(ILL, START, optimizer="adam", lr=eta, beta1=b1, beta2=b2, steps=STEPS, tol=0.0))
    check(tr, xs, states, lrs, ["v", "s"])


def test_adam_defaults_are_the_books():
    s = Settings(ILL, START, optimizer="adam")
    assert (s.beta1, s.beta2, s.gamma, s.rho, s.momentum, s.beta) == (0.9, 0.999, 0.9, 0.9, 0.9, 0.9)
    assert s.schedule == "constant"


def test_momentum_is_the_books_rule_with_a_schedule():
    eta, beta = 0.5, 0.6

    def step(x, st, k, lr):
        g = ill_grad(x)
        v = [beta * st["v"][i] + g[i] for i in range(2)]
        return [x[i] - lr * v[i] for i in range(2)], {"v": v}

    rate = lambda k: eta * (1 + 0.1 * (k + 2)) ** (-0.5)  # noqa: E731
    xs, states, lrs = by_hand(step, START, {"v": [0.0, 0.0]}, lr=rate)
    tr = run(
        Settings(ILL, START, optimizer="momentum", lr=eta, momentum=beta, schedule="polynomial", steps=STEPS)
    )
    check(tr, xs, states, lrs, ["v"])


@pytest.mark.parametrize(
    ("schedule", "factor"),
    [
        ("constant", lambda t: 1.0),
        ("exponential", lambda t: math.exp(-0.1 * t)),
        ("polynomial", lambda t: (1 + 0.1 * t) ** (-0.5)),
    ],
)
def test_schedules_follow_the_books_counter(schedule, factor):
    """The book: t = 1; each call does `t += 1` first, so step k (from 0) uses t = k + 2."""
    eta = 0.1

    def step(x, st, k, lr):
        g = ill_grad(x)
        return [x[i] - lr * g[i] for i in range(2)], {}

    xs, states, lrs = by_hand(
        step, START, {}, lr=lambda k: eta * factor(k + 2) if schedule != "constant" else eta
    )
    tr = run(Settings(ILL, START, lr=eta, schedule=schedule, steps=STEPS, tol=0.0))
    check(tr, xs, states, lrs, [])
    if schedule == "exponential":
        assert tr.lrs[0] == 0.1 * math.exp(-0.2), "the first step already uses t = 2"
        assert schedule_factor(schedule, 0) == math.exp(-0.2)
    if schedule == "polynomial":
        assert tr.lrs[0] == 0.1 * 1.2 ** (-0.5)


def test_newton_in_one_dimension_is_the_books_rule():
    """cosh(0.5x) and x*cos(0.15*pi*x): x -= eta * f'(x) / f''(x), even where f'' < 0."""
    c = 0.15 * math.pi
    xcos = (
        lambda x: math.cos(c * x) - c * x * math.sin(c * x),
        lambda x: -2 * c * math.sin(c * x) - x * c**2 * math.cos(c * x),
    )
    cases = [
        ("cosh", 1.0, (lambda x: 0.5 * math.sinh(0.5 * x), lambda x: 0.25 * math.cosh(0.5 * x))),
        ("xcos", 1.0, xcos),
        ("xcos", 0.5, xcos),
    ]
    negative = {}
    for name, eta, (fp, fpp) in cases:

        def step(x, st, k, lr, fp=fp, fpp=fpp):
            return [x[0] - lr * fp(x[0]) / fpp(x[0])], {}

        xs, states, lrs = by_hand(step, (10.0,), {}, lr=lambda k, eta=eta: eta)
        tr = run(Settings(name, (10.0,), optimizer="newton", lr=eta, steps=STEPS, tol=0.0))
        check(tr, xs, states, lrs, [])
        negative[(name, eta)] = min(fpp(x[0]) for x in xs) < 0
    # the eta-1 walk on xcos goes where f'' < 0 (to a maximum: the book's point), and the rule
    # is followed there too
    assert negative == {("cosh", 1.0): False, ("xcos", 1.0): True, ("xcos", 0.5): False}


def test_newton_in_two_dimensions_solves_with_the_hessian():
    """f = x**4/4 + x*y + y**2: H = [[3x², 1], [1, 2]], a full matrix, so H⁻¹g is not per axis."""
    eta = 0.7

    def step(x, st, k, lr):
        a, b = x
        g = [a**3 + b, a + 2 * b]
        h11, h12, h22 = 3 * a * a, 1.0, 2.0
        det = h11 * h22 - h12 * h12
        d = [(h22 * g[0] - h12 * g[1]) / det, (-h12 * g[0] + h11 * g[1]) / det]
        return [a - lr * d[0], b - lr * d[1]], {}

    xs, states, lrs = by_hand(step, (2.0, 1.0), {}, lr=lambda k: eta)
    tr = run(
        Settings(
            "custom",
            (2.0, 1.0),
            function="x**4/4 + x*y + y**2",
            optimizer="newton",
            lr=eta,
            steps=STEPS,
            tol=0,
        )
    )
    check(tr, xs, states, lrs, [])


# closed forms


@pytest.mark.parametrize("eta", [0.05, 0.2, 0.45, 1.1])
def test_gd_on_the_square_is_geometric(eta):
    tr = run(Settings("square", (10.0,), lr=eta, steps=30, tol=0.0))
    t = np.arange(31)
    close(tr.points[:, 0], (1 - 2 * eta) ** t * 10.0, tol=1e-12 * max(1, abs(1 - 2 * eta) ** 30 * 10))


@pytest.mark.parametrize(
    ("name", "a", "b", "eta"), [("bowl", 1, 2, 0.1), ("ill", 0.1, 2, 0.4), ("ill", 0.1, 2, 0.6)]
)
def test_gd_on_a_diagonal_quadratic_shrinks_each_axis(name, a, b, eta):
    tr = run(Settings(name, START, lr=eta, steps=20, tol=0.0))
    t = np.arange(21)
    close(tr.points[:, 0], (1 - 2 * a * eta) ** t * START[0])
    np.testing.assert_allclose(tr.points[:, 1], (1 - 2 * b * eta) ** t * START[1], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("function", "start", "minimum"),
    [
        ("3*x**2 - 6*x + 1", (7.0,), (1.0,)),
        ("0.1*x**2 + 2*y**2", START, (0.0, 0.0)),
        ("x**2 + x*y + 2*y**2 - x", (4.0, -3.0), (4 / 7, -1 / 7)),
    ],
)
def test_newton_with_eta_one_lands_on_a_quadratics_minimum_in_one_step(function, start, minimum):
    tr = run(Settings("custom", start, function=function, optimizer="newton", lr=1.0, steps=5))
    close(tr.points[1], minimum, tol=1e-12)
    assert tr.status == "converged" and tr.steps == 1


def test_momentum_on_a_quadratic_follows_its_linear_recurrence():
    """f = a x²: (x, v) <- M (x, v) with M = [[1 - 2aη, -ηβ], [2a, β]]."""
    a, eta, beta, x0 = 1.5, 0.1, 0.8, 3.0
    tr = run(
        Settings(
            "custom",
            (x0,),
            function=f"{a}*x**2",
            optimizer="momentum",
            lr=eta,
            momentum=beta,
            steps=40,
            tol=0,
        )
    )
    m = np.array([[1 - 2 * a * eta, -eta * beta], [2 * a, beta]])
    for t in range(41):
        x, v = np.linalg.matrix_power(m, t) @ [x0, 0.0]
        assert tr.points[t, 0] == pytest.approx(x, abs=1e-12)
        assert tr.state["v"][t, 0] == pytest.approx(v, abs=1e-12)


# torch.optim computes the same maths for momentum, adam and adadelta (rounding apart)


def _torch_run(make, steps=STEPS):
    x = torch.tensor([list(START)], dtype=torch.float64, requires_grad=True)
    opt = make([x])
    out = [x.detach().clone()]
    for _ in range(steps):
        opt.zero_grad()
        (0.1 * x[:, 0] ** 2 + 2 * x[:, 1] ** 2).sum().backward()
        opt.step()
        out.append(x.detach().clone())
    return torch.cat(out).numpy()


@pytest.mark.parametrize(
    ("settings", "make"),
    [
        (
            dict(optimizer="momentum", lr=0.3, momentum=0.7),
            lambda p: torch.optim.SGD(p, lr=0.3, momentum=0.7),
        ),
        (dict(optimizer="adam", lr=0.3), lambda p: torch.optim.Adam(p, lr=0.3, eps=1e-6)),
        (dict(optimizer="adadelta", rho=0.9), lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.9, eps=1e-5)),
    ],
    ids=["momentum", "adam", "adadelta"],
)
def test_where_torch_optim_computes_the_same_thing_it_agrees(settings, make):
    tr = run(Settings(ILL, START, steps=STEPS, tol=0.0, **settings))
    close(tr.points, _torch_run(make), tol=1e-10)


def test_torch_optims_adagrad_is_not_the_books():
    """torch.optim.Adagrad adds eps outside the square root: the book's printed x1 needs it inside."""
    theirs = _torch_run(lambda p: torch.optim.Adagrad(p, lr=0.4, eps=1e-6), steps=20)[-1]
    ours = run(Settings(ILL, START, optimizer="adagrad", lr=0.4, steps=20, tol=0.0)).end
    assert f"{ours[0]:f}" == "-2.382563"
    assert abs(theirs[0] - ours[0]) > 1e-9


# batches, frozen balls, statuses


@pytest.mark.parametrize("optimizer", ["adagrad", "rmsprop", "adadelta", "adam", "newton"])
def test_a_batch_equals_single_runs_state_and_rates_too(optimizer):
    s = Settings("xcos", (10.0,), optimizer=optimizer, lr=0.5, steps=40, schedule="exponential")
    if optimizer == "adadelta":
        s = s.override(schedule="constant")
    starts = [(10.0,), (3.0,), (-4.0,)]
    for start, tr in zip(starts, run_batch(s, starts=starts), strict=True):
        alone = run(s.override(start=start))
        assert np.array_equal(tr.points, alone.points) and tr.status == alone.status
        assert np.array_equal(tr.lrs, alone.lrs)
        for name in alone.state:
            assert np.array_equal(tr.state[name], alone.state[name])


def test_a_stopped_ball_keeps_state_up_to_its_stop():
    s = Settings("custom", (1.0,), function="sqrt(x)", optimizer="adagrad", lr=0.1, steps=30)
    ok, broken = run_batch(s, starts=[(4.0,), (0.05,)])
    assert broken.status == "undefined" and ok.status != "undefined"
    assert len(broken.state["s"]) == len(broken.points) == len(broken.lrs) < len(ok.points)
    assert np.all(np.isfinite(broken.state["s"]))


def test_newton_on_a_linear_function_is_singular_with_finite_arrays():
    tr = run(Settings("custom", (1.0,), function="2*x + 1", optimizer="newton", lr=1.0, steps=10))
    assert tr.status == "singular" and "singular" in STATUSES
    assert tr.steps == 0 and tr.points.tolist() == [[1.0]]
    for arr in (tr.points, tr.values, tr.grads, tr.lrs):
        assert np.all(np.isfinite(arr))


def test_newton_on_a_flat_direction_in_two_dimensions_is_singular():
    tr = run(Settings("custom", (1.0, 2.0), function="x**2 + y", optimizer="newton", lr=1.0, steps=10))
    assert tr.status == "singular" and tr.steps == 0


def test_newton_becomes_singular_where_the_curvature_vanishes_on_the_way():
    """x³ + x from 1 with eta 1.5: x1 = 1 - 1.5*4/6 = 0 exactly, where f'' = 0 but f' = 1."""
    tr = run(Settings("custom", (1.0,), function="x**3 + x", optimizer="newton", lr=1.5, steps=10))
    assert tr.status == "singular"
    assert tr.points.tolist() == [[1.0], [0.0]], "the arrays end at the point whose Hessian is singular"
    assert len(tr.lrs) == len(tr.values) == 2


def test_undefined_and_diverged_are_told_apart_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        undefined = run(Settings("custom", (1.0,), function="sqrt(x)", lr=1.0, steps=20))
        log = run(Settings("custom", (0.5,), function="log(x)", lr=1.0, steps=20))
        overflow = run(Settings("g", (0.45,), optimizer="sgd", noise=3.0, lr=1e308, steps=20))
        huge = run(Settings("custom", (1.0,), function="x**2", optimizer="adam", lr=1e200, steps=20))
    assert undefined.status == "undefined" and undefined.points.tolist() == [[1.0], [0.5]]
    assert log.status == "undefined"
    assert overflow.status == "diverged" and huge.status == "diverged"
    for tr in (undefined, log, overflow, huge):
        assert all(np.all(np.isfinite(a)) for a in (tr.points, tr.values, tr.grads, tr.lrs))


# the schedules' story: sgd with unit noise on x1² + 2·x2², eta 0.1, seeds 0..99


def _last10(settings, seeds):
    trs = run_batch(settings, seeds=seeds)
    dist = np.array([np.linalg.norm(tr.points[-10:], axis=1).mean() for tr in trs])
    jitter = np.array([np.linalg.norm(np.diff(tr.points[-11:], axis=0), axis=1).mean() for tr in trs])
    return dist, jitter


def test_decayed_schedules_settle_and_polynomial_ends_nearer_than_constant():
    seeds = list(range(100))
    base = Settings("bowl", START, optimizer="sgd", lr=0.1, steps=50, noise=1.0, anneal=False)
    const_d, const_j = _last10(base, seeds)
    exp_d, exp_j = _last10(base.override(schedule="exponential"), seeds)
    poly_d, poly_j = _last10(base.override(schedule="polynomial"), seeds)
    # both decayed rates stop the jitter that a constant rate keeps up
    assert np.sum(exp_j < const_j) >= 90 and np.sum(poly_j < const_j) >= 90
    # the polynomial decay ends nearer the minimum than the constant rate
    assert np.sum(poly_d < const_d) >= 90
    # the exponential decay freezes far from it: its rates sum to 0.1*e^-0.2/(1 - e^-0.1) = 0.86,
    # so x1 keeps about e^(-2*0.86) = 18% of its -5 ("still very far away", the book says)
    assert np.sum(exp_d > const_d) >= 90
    assert 0.6 < np.median(exp_d) < 1.1


def test_an_overflowing_state_is_divergence_with_printable_arrays():
    """adagrad's s sums g²: with g = 1e154 it overflows at the second step, while x stays small."""
    import json

    tr = run(Settings("custom", (1.0,), function="1e154*x", optimizer="adagrad", lr=1.0, steps=5))
    assert tr.status == "diverged" and tr.steps == 1 and tr.state["s"][-1, 0] == 1e308
    json.dumps(tr.to_dict(), allow_nan=False)


FUZZ_FUNCTIONS = ["sqrt(x)", "log(x)", "1/x", "exp(x)", "tan(x)", "1e154*x", "x**4 - 1e300*y**2", "log(x*y)"]


@pytest.mark.parametrize(
    "optimizer", ["gd", "sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "newton"]
)
def test_no_start_or_rate_gives_a_warning_or_a_non_finite_number(optimizer):
    import json

    from landscapes import SettingsError

    seen = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for function in FUZZ_FUNCTIONS:
            dim = 2 if "y" in function else 1
            for x0 in (0.0, 0.5, -2.0, 700.0):
                for lr in (1e-3, 1.0, 1e308):
                    s = Settings(
                        "custom", (x0,) * dim, function=function, optimizer=optimizer, lr=lr, steps=40
                    )
                    if optimizer == "sgd":
                        s = s.override(noise=1.0)
                    try:
                        tr = run(s)
                    except SettingsError:
                        continue  # not defined at the start
                    json.dumps(tr.to_dict(), allow_nan=False)
                    seen.add(tr.status)
    assert seen - {"max_steps", "converged"}, "the runs did reach the abnormal endings"
