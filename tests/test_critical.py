import math

import pytest

from landscapes import classify, get_landscape, gradient, hessian, parse_expression


def test_cube_at_zero_is_a_flat_saddle():
    c = classify(get_landscape("cube"), [0.0])
    assert c.kind == "saddle"
    assert c.eigenvalues == pytest.approx((0.0,)) and c.gradient == pytest.approx((0.0,))


def test_saddle_surface_origin_has_eigenvalues_two_and_minus_two():
    c = classify(get_landscape("saddle"), [0.0, 0.0])
    assert c.kind == "saddle"
    assert sorted(c.eigenvalues) == pytest.approx([-2.0, 2.0], abs=1e-12)


def test_f_minima_are_minima():
    f = get_landscape("f")
    for x in (-0.27385269, 1.09040822):
        c = classify(f, [x])
        assert c.kind == "minimum"
    x = 1.09040822
    # f'' = -2π sin(πx) - π² x cos(πx)
    expect = -2 * math.pi * math.sin(math.pi * x) - math.pi**2 * x * math.cos(math.pi * x)
    assert hessian(f, [x])[0, 0] == pytest.approx(expect, rel=1e-12)


def test_maximum_and_not_critical():
    assert classify(parse_expression("-(x**2) - y**2"), [0.0, 0.0]).kind == "maximum"
    assert classify(parse_expression("x**2 + y**2"), [0.0, 0.0]).kind == "minimum"
    assert classify(get_landscape("f"), [1.5]).kind == "not critical"


def test_quartic_flat_minimum():
    assert classify(parse_expression("x**4"), [0.0]).kind == "minimum"


def test_gradient_matches_closed_form():
    g = gradient(get_landscape("tanh"), [4.0])
    assert g[0] == pytest.approx(1 - math.tanh(4.0) ** 2, rel=1e-12)


def test_curvatures_are_second_derivatives_in_one_batch():
    import numpy as np

    from landscapes import curvatures

    xs = np.array([[1.5], [0.3], [0.0]])
    np.testing.assert_allclose(curvatures(get_landscape("cube"), xs)[:, 0], 6 * xs[:, 0], atol=1e-12)
    pts = np.array([[0.2, 0.7], [-1.0, 0.5]])
    np.testing.assert_allclose(curvatures(get_landscape("saddle"), pts), [[2, -2], [2, -2]], atol=1e-12)
