"""Custom landscapes: the right numbers, and nothing but arithmetic runs."""

import math
import time

import pytest
import torch

from landscapes import SettingsError, parse_expression


def _at(ls, *coords):
    return ls(torch.tensor([coords], dtype=torch.float64))[0].item()


@pytest.mark.parametrize(
    ("expr", "fn"),
    [
        ("x*cos(0.15*pi*x)", lambda x: x * math.cos(0.15 * math.pi * x)),
        ("-x**2 + 3*x - 1/2", lambda x: -(x**2) + 3 * x - 0.5),
        ("exp(-x) + log(x) + sqrt(x)", lambda x: math.exp(-x) + math.log(x) + math.sqrt(x)),
        (
            "tanh(x) + sigmoid(x) + abs(-x) + tan(x/4) + sin(e*x)",
            lambda x: math.tanh(x) + 1 / (1 + math.exp(-x)) + abs(x) + math.tan(x / 4) + math.sin(math.e * x),
        ),
        ("2**3**0.5*x", lambda x: 2 ** (3**0.5) * x),
        ("+x - -x", lambda x: 2 * x),
    ],
)
def test_one_variable_matches_hand_written_code(expr, fn):
    ls = parse_expression(expr)
    assert ls.dim == 1
    for x in (0.3, 1.7):
        assert _at(ls, x) == pytest.approx(fn(x), rel=1e-12)


def test_two_variables_and_batches():
    ls = parse_expression("x**2 - y**2 + x*y")
    assert ls.dim == 2
    pts = torch.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]], dtype=torch.float64)
    expect = pts[:, 0] ** 2 - pts[:, 1] ** 2 + pts[:, 0] * pts[:, 1]
    assert torch.equal(ls(pts), expect)


def test_constant_expression_broadcasts():
    ls = parse_expression("3")
    assert ls(torch.zeros(4, 1, dtype=torch.float64)).shape == (4,)


def test_gradient_flows_through_the_built_ops():
    ls = parse_expression("x*cos(pi*x)")
    p = torch.tensor([[0.3]], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(ls(p).sum(), p)
    x = 0.3
    assert g.item() == pytest.approx(math.cos(math.pi * x) - math.pi * x * math.sin(math.pi * x), rel=1e-12)


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("__import__('os').system('id')", "attribute access '.system'"),
        ("x.__class__", "attribute access '.__class__'"),
        ("().__class__", "attribute access '.__class__'"),
        ("open('/etc/passwd')", "calling 'open'"),
        ("sin(x, 2)", "exactly one argument"),
        ("sin(x=1)", "exactly one argument"),
        ("[x for x in y]", "ListComp is not allowed"),
        ("(lambda: 1)()", "calling 'this expression'"),
        ("lambda: 1", "Lambda is not allowed"),
        ("x[0]", "Subscript is not allowed"),
        ("z + 1", "unknown name 'z'"),
        ("x if x else y", "IfExp is not allowed"),
        ("x % 2", "operator Mod is not allowed"),
        ("x // 2", "operator FloorDiv is not allowed"),
        ("'a'", "is not a real number"),
        ("True", "is not a real number"),
        ("1j", "is not a real number"),
        ("x == 1", "Compare is not allowed"),
        ("x; import os", "not a valid expression"),
        ("import os", "not a valid expression"),
        ("", "give an expression"),
        ("x" + "+x" * 300, "the limit is 500"),
        ("-" * 300 + "x", "nested more than 100 levels"),
        ("9" * 400 + "*x", "a number is too large"),
        ("9" * 400 + ".0**x", "a number is too large"),
        ("1e999999", "a number is too large"),
    ],
)
def test_unsafe_or_bad_expressions_are_refused(expr, message):
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace("[", r"\[")):
        parse_expression(expr)


def test_huge_powers_are_float_infinity_not_a_hang():
    t = time.perf_counter()
    ls = parse_expression("9**9**9**9 + x")
    assert math.isinf(_at(ls, 1.0))
    assert time.perf_counter() - t < 1.0


def test_domain_must_match_the_variables():
    with pytest.raises(SettingsError, match="give a,b,c,d"):
        parse_expression("x*y", domain=((0.0, 1.0),))


@pytest.mark.parametrize(
    ("expr", "title"),
    [
        ("x**4 - 2*x**2 + 0.3*x", "f(x) = x⁴ − 2x² + 0.3x"),
        ("x*cos(0.15*pi*x)", "f(x) = x·cos(0.15πx)"),
        ("-x**2 + 3*x - 1/2", "f(x) = −x² + 3x − 1/2"),
        ("(-x)**2 - (x - 1)", "f(x) = (−x)² − (x − 1)"),
        ("exp(-x**2 - y**2)", "f(x, y) = exp(−x² − y²)"),
        ("sqrt(x**2 + y**2) + abs(x) + sigmoid(y)", "f(x, y) = √(x² + y²) + |x| + σ(y)"),
        ("2*x*y**2 + x**-1 + e**(-x)", "f(x, y) = 2xy² + x⁻¹ + e^(−x)"),
        ("1e6*x + (x + 1)*(x - 1) + e*x", "f(x) = 10⁶x + (x + 1)·(x − 1) + e·x"),
    ],
)
def test_the_title_is_a_formula_as_a_slide_prints_it(expr, title):
    """No '**', '*' or ASCII hyphen on screen: powers raised, minus as U+2212, products side by
    side where that reads unambiguously."""
    assert parse_expression(expr).plain == title
