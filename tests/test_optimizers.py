"""Trajectories against closed forms and the chapter's facts."""

import math

import numpy as np
import pytest

from landscapes import Settings, SettingsError, run, run_batch


def _gd_by_hand(x0: float, lr: float, steps: int, fprime) -> list[float]:
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * fprime(xs[-1]))
    return xs


def test_gd_on_a_parabola_follows_the_update_rule():
    tr = run(Settings("custom", (1.7,), function="x**2", lr=0.1, steps=50, tol=0.0))
    expect = _gd_by_hand(1.7, 0.1, 50, lambda x: 2 * x)
    assert tr.status == "max_steps" and tr.steps == 50
    np.testing.assert_allclose(tr.points[:, 0], expect, rtol=0, atol=1e-12)
    np.testing.assert_allclose(tr.grads[:, 0], [2 * x for x in expect], rtol=0, atol=1e-12)
    np.testing.assert_allclose(tr.values, [x * x for x in expect], rtol=0, atol=1e-12)


def test_gd_on_the_cube_follows_the_update_rule():
    tr = run(Settings("cube", (1.5,), lr=0.1, steps=200))
    expect = _gd_by_hand(1.5, 0.1, 200, lambda x: 3 * x * x)
    np.testing.assert_allclose(tr.points[:, 0], expect, rtol=0, atol=1e-12)


def test_cube_freezes_at_the_saddle_without_crossing_it():
    lr, steps = 0.1, 2000
    tr = run(Settings("cube", (1.5,), lr=lr, steps=steps))
    x = tr.points[:, 0]
    assert np.all(x > 0), "the ball never reaches or crosses the saddle"
    assert np.all(np.diff(x) < 0), "and moves towards it at every step"
    assert tr.grads[-1, 0] < 1e-5
    t = np.arange(len(x))
    late = slice(steps // 2, None)
    # x_t ~ 1/(3 lr t): the product tends to 1 (the correction is O(log t / t))
    ratio = x[late] * 3 * lr * t[late]
    assert abs(ratio[-1] - 1) < 0.01
    assert abs(ratio[-1] - 1) < abs(ratio[0] - 1)


def test_saddle_surface_matches_closed_form_and_stops_at_the_edge():
    lr, x0, y0 = 0.05, 0.95, 0.002
    tr = run(Settings("saddle", (x0, y0), lr=lr, steps=500))
    assert tr.status == "left_domain"
    t = np.arange(tr.steps)  # every point before the edge point
    np.testing.assert_allclose(tr.points[:-1, 0], (1 - 2 * lr) ** t * x0, rtol=0, atol=1e-9)
    np.testing.assert_allclose(tr.points[:-1, 1], (1 + 2 * lr) ** t * y0, rtol=0, atol=1e-9)
    end = tr.points[-1]
    assert end[1] == pytest.approx(1.0, abs=1e-12), "last point lies on the edge y = 1"
    assert abs(end[0]) <= 1
    # the edge point is on the segment of the step that would have left
    prev, outside = tr.points[-2], tr.points[-2] * [1 - 2 * lr, 1 + 2 * lr]
    s = (end - prev) / (outside - prev)
    assert s[0] == pytest.approx(s[1], abs=1e-9) and 0 <= s[1] <= 1


def test_saddle_gd_matches_the_update_rule_in_two_dimensions():
    tr = run(Settings("saddle", (-0.5, 0.01), lr=0.1, steps=10))
    x, y = -0.5, 0.01
    for t in range(tr.steps + 1):
        assert tr.points[t] == pytest.approx([x, y], abs=1e-12)
        x, y = x - 0.1 * 2 * x, y + 0.1 * 2 * y


def test_tanh_gradient_vanishes_at_four():
    tr = run(Settings("tanh", (4.0,), lr=0.5, steps=60))
    assert tr.grads[0, 0] == pytest.approx(1 - math.tanh(4.0) ** 2, abs=1e-15)
    assert tr.grads[0, 0] == pytest.approx(0.00134, abs=1e-5)
    steep = run(Settings("tanh", (0.5,), lr=0.5, steps=60))
    crawled = tr.points[0, 0] - tr.points[-1, 0]
    ran = steep.points[0, 0] - steep.points[-1, 0]
    assert 0 < crawled < 0.05 < 2.0 < ran
    assert crawled * 40 < ran


def test_overflow_is_a_status_with_finite_arrays():
    tr = run(Settings("custom", (1.0,), function="x**2", lr=1.1, steps=100_000))
    assert tr.status == "diverged"
    assert np.all(np.isfinite(tr.points)) and np.all(np.isfinite(tr.values))
    assert np.all(np.isfinite(tr.grads))
    assert np.abs(tr.points).max() < 1e100
    # the iterates grow by |1 - 2 lr| = 1.2 each step
    np.testing.assert_allclose(tr.points[1:6, 0] / tr.points[:5, 0], -1.2)


def test_nan_is_a_status_too():
    # sqrt(x) from 1 with lr 5: the next point, -1.5, is where sqrt is not defined
    tr = run(Settings("custom", (1.0,), function="sqrt(x)", lr=5.0, steps=10))
    assert tr.status == "undefined" and tr.steps == 0, "the arrays end at the last defined point"
    assert np.all(np.isfinite(tr.points)) and np.all(np.isfinite(tr.grads))


def test_convergence_is_reported_with_a_small_gradient():
    tr = run(Settings("f", (0.6,), lr=0.05, steps=500))
    assert tr.status == "converged" and tr.steps < 500
    assert abs(tr.grads[-1, 0]) < 1e-8


def test_undefined_start_is_refused():
    with pytest.raises(SettingsError, match="not defined at the start"):
        run(Settings("custom", (-1.0,), function="log(x)"))


@pytest.mark.parametrize("optimizer", ["gd", "sgd", "momentum", "adam"])
def test_same_seed_same_bits(optimizer):
    noise = 0.0 if optimizer == "gd" else 0.5
    s = Settings("g", (0.45,), optimizer=optimizer, lr=0.02, steps=200, noise=noise, seed=7)
    a, b = run(s), run(s)
    assert np.array_equal(a.points, b.points) and np.array_equal(a.grads, b.grads)
    assert np.array_equal(a.values, b.values)


def test_two_seeds_differ():
    s = Settings("g", (0.45,), optimizer="sgd", lr=0.02, steps=50, noise=1.0)
    assert not np.array_equal(run(s).points, run(s.override(seed=1)).points)


def test_a_batch_equals_single_runs():
    s = Settings("g", (0.45,), optimizer="sgd", lr=0.02, steps=300, noise=3.0)
    batch = run_batch(s, seeds=[3, 11, 12])
    for seed, tr in zip([3, 11, 12], batch, strict=True):
        alone = run(s.override(seed=seed))
        assert np.array_equal(tr.points, alone.points)
        assert tr.status == alone.status and tr.settings.seed == seed


def test_a_batch_of_starts_stops_each_ball_on_its_own():
    s = Settings("saddle", (0.5, 0.1), lr=0.1, steps=300)
    trs = run_batch(s, starts=[(0.5, 0.1), (0.5, 0.0)])
    assert trs[0].status == "left_domain"
    assert trs[1].status == "converged", "with y0 = 0 the ball rolls into the saddle"
    assert trs[0].steps < trs[1].steps


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_torch_optimizers_reach_f_global_minimum(optimizer):
    tr = run(Settings("f", (0.6,), optimizer=optimizer, lr=0.01, steps=3000))
    assert tr.end[0] == pytest.approx(1.0904, abs=2e-3)


def test_momentum_matches_the_heavy_ball_rule():
    lr, beta = 0.05, 0.9
    tr = run(Settings("custom", (1.0,), function="x**2", optimizer="momentum", lr=lr, steps=20, tol=0))
    x, v = 1.0, 0.0
    for t in range(21):
        assert tr.points[t, 0] == pytest.approx(x, abs=1e-12)
        v = beta * v + 2 * x
        x = x - lr * v


def test_noise_anneals_to_zero():
    from landscapes.optimizers import _Noise

    n = _Noise([0], 1, Settings("g", (0.45,), optimizer="sgd", noise=2.0, steps=100))
    assert n.scale_at(0) == 2.0 and n.scale_at(50) == 1.0 and n.scale_at(100) == 0.0
