"""User landscapes from a text expression, parsed against a whitelist.

The text is parsed with `ast` and every node is checked before anything runs; the
accepted tree is turned into a chain of torch operations. Nothing is ever passed to
`eval` or `exec`, and constants are floats from the start, so `9**9**9**9` becomes
`inf` in float64 instead of an unbounded integer power.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

import torch

from .errors import SettingsError
from .functions import Bounds, Landscape

MAX_LENGTH = 500
MAX_DEPTH = 100
VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
FUNCTIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sin": torch.sin,
    "cos": torch.cos,
    "tan": torch.tan,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "sinh": torch.sinh,
    "cosh": torch.cosh,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "abs": torch.abs,
}
_BINARY: dict[type, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    ast.Add: torch.add,
    ast.Sub: torch.sub,
    ast.Mult: torch.mul,
    ast.Div: torch.div,
    ast.Pow: torch.pow,
}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

Node = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _refuse(expr: str, why: str) -> SettingsError:
    allowed = "numbers, x, y, + - * / **, parentheses, pi, e, " + " ".join(FUNCTIONS)
    return SettingsError(f"--function {expr!r}: {why}; allowed: {allowed}")


def _compile(node: ast.AST, expr: str, used: set[str]) -> Node:
    """Check one node and return a function of (x, y) tensors."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _refuse(expr, f"constant {value!r} is not a real number")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise _refuse(expr, "a number is too large for float64")
        return lambda x, y: torch.full_like(x, number)
    if isinstance(node, ast.Name):
        if node.id in VARIABLES:
            used.add(node.id)
            return (lambda x, y: x) if node.id == "x" else (lambda x, y: y)
        if node.id in CONSTANTS:
            const = CONSTANTS[node.id]
            return lambda x, y: torch.full_like(x, const)
        raise _refuse(expr, f"unknown name {node.id!r}")
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        op = _BINARY[type(node.op)]
        left, right = _compile(node.left, expr, used), _compile(node.right, expr, used)
        return lambda x, y: op(left(x, y), right(x, y))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = _compile(node.operand, expr, used)
        if isinstance(node.op, ast.USub):
            return lambda x, y: torch.neg(inner(x, y))
        return inner
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            raise _refuse(expr, f"attribute access '.{func.attr}' is not allowed")
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            shown = func.id if isinstance(func, ast.Name) else "this expression"
            raise _refuse(expr, f"calling {shown!r} is not allowed")
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise _refuse(expr, f"{func.id}() takes exactly one argument")
        fn = FUNCTIONS[func.id]
        arg = _compile(node.args[0], expr, used)
        return lambda x, y: fn(arg(x, y))
    if isinstance(node, ast.BinOp):
        raise _refuse(expr, f"operator {type(node.op).__name__} is not allowed")
    if isinstance(node, ast.Attribute):
        raise _refuse(expr, f"attribute access '.{node.attr}' is not allowed")
    raise _refuse(expr, f"{type(node).__name__} is not allowed")


def _depth(node: ast.AST) -> int:
    """Tree depth without recursion, so a hostile chain cannot exhaust the stack."""
    deepest, stack = 0, [(node, 1)]
    while stack:
        n, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((c, d + 1) for c in ast.iter_child_nodes(n))
    return deepest


def variables(expr: str) -> set[str]:
    """The variables (x, y) an expression's text names; empty for a constant or unparsable text."""
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in VARIABLES}


def parse_expression(expr: str, domain: Bounds | None = None) -> Landscape:
    """A Landscape of x (and y, if the text uses it) from a whitelisted expression."""
    if not isinstance(expr, str) or not expr.strip():
        raise SettingsError("--function: give an expression in x (and y), e.g. 'x*cos(0.15*pi*x)'")
    if len(expr) > MAX_LENGTH:
        raise SettingsError(f"--function: expression is {len(expr)} characters; the limit is {MAX_LENGTH}")
    if "\x00" in expr:
        raise _refuse(expr, "null character")
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as exc:
        reason = getattr(exc, "msg", None) or type(exc).__name__
        raise _refuse(expr, f"not a valid expression ({reason})") from None
    if _depth(tree.body) > MAX_DEPTH:
        raise _refuse(expr, f"nested more than {MAX_DEPTH} levels deep")
    used: set[str] = set()
    body = _compile(tree.body, expr, used)
    dim = 2 if "y" in used else 1
    if domain is not None and len(domain) != dim:
        want = "a,b" if dim == 1 else "a,b,c,d"
        raise SettingsError(f"--domain: the expression has {dim} variable(s), so give {want}")

    def fn(p: torch.Tensor) -> torch.Tensor:
        x = p[..., 0]
        y = p[..., 1] if dim == 2 else torch.zeros_like(x)
        return body(x, y)

    plain = f"f({'x, y' if dim == 2 else 'x'}) = {_to_plain(tree.body)}"
    return Landscape("custom", dim, fn, domain, _to_latex(tree.body, dim), plain)


_PREC = {ast.Add: 1, ast.Sub: 1, ast.Mult: 2, ast.Div: 2, ast.Pow: 4}  # binding, for both notations
_LATEX_FUNCS = {"sigmoid": r"\sigma", "abs": None, "sqrt": None}


def _to_latex(node: ast.AST, dim: int) -> str:
    """A readable LaTeX form of an accepted tree (for the scene's title)."""

    def go(n: ast.AST, parent_prec: int = 0) -> str:
        if isinstance(n, ast.Constant):
            v = float(n.value)
            return f"{v:g}"
        if isinstance(n, ast.Name):
            return r"\pi" if n.id == "pi" else n.id
        if isinstance(n, ast.UnaryOp):
            s = ("-" if isinstance(n.op, ast.USub) else "+") + go(n.operand, 3)
            return f"\\left({s}\\right)" if parent_prec > 2 else s
        if isinstance(n, ast.BinOp):
            prec = _PREC[type(n.op)]
            if isinstance(n.op, ast.Div):
                return rf"\frac{{{go(n.left)}}}{{{go(n.right)}}}"
            if isinstance(n.op, ast.Pow):
                s = f"{{{go(n.left, 5)}}}^{{{go(n.right)}}}"
            elif isinstance(n.op, ast.Mult):
                s = rf"{go(n.left, prec)} \cdot {go(n.right, prec + 1)}"
            else:
                s = f"{go(n.left, prec)} {_SYMBOLS[type(n.op)]} {go(n.right, prec + 1)}"
            return f"\\left({s}\\right)" if prec < parent_prec else s
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            arg = go(n.args[0])
            if n.func.id == "abs":
                return rf"\left|{arg}\right|"
            if n.func.id == "sqrt":
                return rf"\sqrt{{{arg}}}"
            name = _LATEX_FUNCS.get(n.func.id) or "\\" + n.func.id
            return rf"{name}\left({arg}\right)"
        raise AssertionError("only accepted trees reach here")

    var = "x, y" if dim == 2 else "x"
    return f"f({var}) = {go(node)}"


_MINUS = "\u2212"
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_PLAIN_FUNCS = {"sigmoid": "σ"}


def _number(v: float) -> str:
    """A constant as a slide prints it: 0.15, 2, 1×10⁶ (never 1e+06)."""
    s = f"{v:g}"
    if "e" not in s:
        return s
    mantissa, exponent = s.split("e")
    power = "10" + str(int(exponent)).translate(_SUPERSCRIPT)
    return power if mantissa == "1" else f"{mantissa}×{power}"


def _lettered(n: ast.AST) -> bool:
    """A term that starts with a letter and reads as one symbol (x, π, x²): a number or a
    letter before it is multiplied by writing them side by side, as the book does (2x², 0.15πx)."""
    if isinstance(n, ast.Name):
        return True
    return isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Pow, ast.Mult)) and _lettered(n.left)


def _to_plain(node: ast.AST) -> str:
    """An accepted tree as a formula on a slide: 'x**4 - 2*x**2' is 'x⁴ − 2x²' (U+2212 for
    minus, superscript powers, '·' where side by side would misread). The title draws this."""

    def go(n: ast.AST, parent_prec: int = 0) -> str:
        if isinstance(n, ast.Constant):
            return _number(float(n.value))
        if isinstance(n, ast.Name):
            return "π" if n.id == "pi" else n.id
        if isinstance(n, ast.UnaryOp):
            s = (_MINUS if isinstance(n.op, ast.USub) else "+") + go(n.operand, 3)
            return f"({s})" if parent_prec > 2 else s
        if isinstance(n, ast.BinOp):
            prec = _PREC[type(n.op)]
            if isinstance(n.op, ast.Pow):
                s = go(n.left, 5) + _power(n.right)
            elif isinstance(n.op, ast.Mult):
                left, right = go(n.left, prec), go(n.right, prec + 1)
                side_by_side = _lettered(n.right) and not left.endswith((")", "|", "e"))
                s = f"{left}{right}" if side_by_side else f"{left}·{right}"
            elif isinstance(n.op, ast.Div):
                s = f"{go(n.left, prec)}/{go(n.right, prec + 1)}"
            else:
                sign = "+" if isinstance(n.op, ast.Add) else _MINUS
                s = f"{go(n.left, prec)} {sign} {go(n.right, prec + 1)}"
            return f"({s})" if prec < parent_prec else s
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name):
            arg = go(n.args[0])
            if n.func.id == "abs":
                return f"|{arg}|"
            if n.func.id == "sqrt":
                return f"√{arg}" if isinstance(n.args[0], (ast.Name, ast.Constant)) else f"√({arg})"
            return f"{_PLAIN_FUNCS.get(n.func.id, n.func.id)}({arg})"
        raise AssertionError("only accepted trees reach here")

    def _power(e: ast.AST) -> str:
        """x², x⁻¹; anything else after a caret: x^0.5, e^(−x²)."""
        inner = e.operand if isinstance(e, ast.UnaryOp) and isinstance(e.op, ast.USub) else e
        whole = isinstance(inner, ast.Constant) and float(inner.value).is_integer()
        if whole and abs(float(inner.value)) < 1e6:
            sign = "-" if inner is not e else ""
            return f"{sign}{int(float(inner.value))}".translate(_SUPERSCRIPT)
        return "^" + go(e, 5)

    return go(node)
