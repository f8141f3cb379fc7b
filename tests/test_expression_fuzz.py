"""Random and adversarial strings against the expression parser: each one either becomes a
landscape or is refused with the clean error; none runs code, opens a file, or takes > 1 s."""

from __future__ import annotations

import sys
import time

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landscapes import SettingsError, parse_expression

ATOMS = [
    "x",
    "y",
    "pi",
    "e",
    "1",
    "2.5",
    "1e308",
    "9",
    "0",
    "__import__",
    "os",
    "open",
    "eval",
    "lambda",
    "()",
    "[]",
    "{}",
    "'s'",
    "__class__",
    "__globals__",
    "sin",
    "exp",
    "log",
    "sigmoid",
    "tanh",
    "abs",
]
OPS = ["+", "-", "*", "/", "**", ".", ",", "(", ")", "[", "]", ":", ";", "=", "==", "%", "//", "@", " ", "\n"]


@st.composite
def expressionish(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(ATOMS + OPS), min_size=1, max_size=40))
    return "".join(parts)


@st.composite
def well_formed(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 4 or draw(st.booleans()):
        return draw(st.sampled_from(["x", "y", "pi", "e", "2", "0.5", "9", "1e300", "0"]))
    kind = draw(st.sampled_from(["bin", "neg", "call"]))
    if kind == "neg":
        return f"-({draw(well_formed(depth + 1))})"
    if kind == "call":
        fn = draw(st.sampled_from(["sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "abs"]))
        return f"{fn}({draw(well_formed(depth + 1))})"
    op = draw(st.sampled_from(["+", "-", "*", "/", "**"]))
    return f"({draw(well_formed(depth + 1))}){op}({draw(well_formed(depth + 1))})"


WATCHED = (
    "exec",
    "open",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "subprocess.Popen",
    "ctypes.dlopen",
    "socket.connect",
    "os.remove",
    "shutil.rmtree",
)
_events: list[str] = []
_watching = [False]


def _audit(event: str, args: tuple) -> None:
    if _watching[0] and event.startswith(WATCHED):
        _events.append(event)


sys.addaudithook(_audit)  # audit hooks cannot be removed: this one only records while watching


@pytest.fixture
def no_side_doors():
    """Any code execution, file access or process start while parsing or evaluating fails the test."""
    parse_expression("sin(x) + y")(torch.zeros(1, 2, dtype=torch.float64))  # warm: lazy imports done
    return _events


def _check(text: str, calls: list[str]) -> None:
    calls.clear()
    t = time.perf_counter()
    _watching[0] = True
    try:
        ls = parse_expression(text)
    except SettingsError as exc:
        assert str(exc).startswith("--function")
        assert "\n" not in str(exc).replace(repr(text), "")
    else:
        pts = torch.tensor([[0.3, -0.7], [2.0, 1.0]], dtype=torch.float64)
        values = ls(pts[:, : ls.dim])
        assert values.shape == (2,)
    finally:
        _watching[0] = False
    assert time.perf_counter() - t < 1.0
    assert calls == [], f"{text!r} reached {calls}"


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(text=st.text(max_size=80))
def test_random_text(no_side_doors, text):
    _check(text, no_side_doors)


@FAST
@given(text=expressionish())
def test_adversarial_tokens(no_side_doors, text):
    _check(text, no_side_doors)


@FAST
@given(text=well_formed())
def test_well_formed_expressions_parse(no_side_doors, text):
    _check(text, no_side_doors)
    assert parse_expression(text).dim in (1, 2)


@pytest.mark.parametrize(
    "text",
    [
        "9**9**9**9",
        "(" * 150 + "x" + ")" * 150,
        "-" * 499 + "x",
        "9" * 499,
        "x" + "**x" * 160,
        "exp(exp(exp(exp(x))))",
        "1/0 + x",
        "__import__('os').system('touch /tmp/pwned')",
        "open('/etc/passwd').read()",
        "(lambda: __import__('os'))()",
        "[c for c in ().__class__.__bases__[0].__subclasses__()]",
        "x\x00",
        "sin(x)(1)",
        "sigmoid",
    ],
)
def test_known_hostile_inputs(no_side_doors, text):
    _check(text, no_side_doors)


def test_the_watch_itself_sees_code_and_files(no_side_doors):
    _watching[0] = True
    try:
        exec("1 + 1")  # noqa: S102 - the point: the hook must notice
        open(__file__).close()  # noqa: SIM115
    finally:
        _watching[0] = False
    assert "exec" in no_side_doors and "open" in no_side_doors
