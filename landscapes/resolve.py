"""What a setting's names mean: the landscape (one of the chapter's, a classic test function,
or a typed expression with its domain) and the optimizer class behind a name that is not one
of the book's rules.

It sits above the records it resolves through (rules, names, functions, expression, plugins)
and below `Settings`, which asks here; it takes plain values, never a `Settings`, so nothing
below it reads the settings back. torch loads only when a name is resolved: `roll --help`
imports this module and stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SettingsError

if TYPE_CHECKING:
    from .functions import Bounds, Landscape
    from .plugins import Plugin


def landscape(name: str, function: str | None, domain: Bounds | None) -> Landscape:
    """The landscape by name (with `domain` in force), or `function` parsed as an expression."""
    from .expression import parse_expression
    from .functions import get_landscape

    if name == "custom" or function is not None:
        if function is None:
            raise SettingsError("custom landscape: give --function EXPR, e.g. 'x*cos(0.15*pi*x)'")
        return parse_expression(function, domain)
    base = get_landscape(name)
    if domain is None:
        return base
    if len(domain) != base.dim:
        want = "a,b" if base.dim == 1 else "a,b,c,d"
        raise SettingsError(f"--domain: {base.name} has {base.dim} variable(s), so give {want}")
    return base.with_domain(domain)


def plugin(optimizer: str) -> Plugin:
    """The optimizer class an `--optimizer` name that is not the book's means (torch.optim's,
    pytorch-optimizer's, `module:Class` or `module.Class`), or a one-line refusal."""
    from .plugins import resolve

    return resolve(optimizer)


def is_constant(function: str) -> bool:
    """Whether a (parsed, valid) expression names no variable: no ball can roll on it."""
    from .expression import variables

    return not variables(function)
