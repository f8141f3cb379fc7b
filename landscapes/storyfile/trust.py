"""Whom a story file's optimizer names run code for: a file is data, so it names optimizers
from the registry (the book's rules, torch.optim's and pytorch-optimizer's, looked up by
name), and a `module:Class` of any other module only when the user says they trust it: on
the command line (`--trust-code`), or in the notebook by having imported that module in
their own Python first. Nothing is imported to decide: the name alone is read."""

from __future__ import annotations

import re
from collections.abc import Container

from ..names import CLASS, MODULE, canonical_optimizer

# where the registry's classes live: naming them imports only these two libraries
REGISTRY_SOURCES = ("torch.optim", "pytorch_optimizer")
REGISTRY_NAME = re.compile(r"[A-Za-z0-9_]+\Z")

Trust = bool | Container[str]  # True: any module; a container: the modules in it (sys.modules)


def module_of(name: str) -> str | None:
    """The module an optimizer's name imports (None for a registry name: nothing to import);
    a dotted path (torch.optim.NAdam) means module:Class, as `canonical_optimizer` reads it."""
    canonical = canonical_optimizer(name)
    return canonical.partition(":")[0] if ":" in canonical else None


def code_refusal(name: str, trust: Trust = False) -> str | None:
    """Why a story file may not name this optimizer (None if it may), from the name alone."""
    module = module_of(name)
    if module is None:
        if not REGISTRY_NAME.match(name):
            return f"{name!r} is not an optimizer's name; use one of roll list --optimizers"
        return None
    attr = canonical_optimizer(name).partition(":")[2]
    if not MODULE.match(module) or not CLASS.match(attr):
        return f"{name!r}: write module:Class with Python names, e.g. torch.optim:Adam"
    if module in REGISTRY_SOURCES:
        return None
    if trust is True or (trust is not False and module in trust):
        return None
    return (
        f"{name!r} would import and run the module {module!r}; a story file names optimizers from the "
        "registry (roll list --optimizers), so run it only if you trust that code: add --trust-code"
    )
