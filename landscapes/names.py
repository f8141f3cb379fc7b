"""The names the rest of the package and the command line share: optimizers, their
hyper-parameters and state, schedules, landscapes. Nothing here imports torch (the records
of rules.py import numpy alone), so `roll --help` can list them without it.
"""

import re

from .rules import RULES


def canonical_optimizer(name: str) -> str:
    """An optimizer's name as the records key it: a dotted path to a class (`torch.optim.NAdam`,
    Lightning's and Hydra's way) is `module:Class` (`torch.optim:NAdam`); any other name is
    kept as given (the book's, torch.optim's or pytorch-optimizer's short names have no dot)."""
    if ":" in name or "." not in name.strip("."):
        return name
    module, _, cls = name.rpartition(".")
    return f"{module}:{cls}"


# an optimizer named as module:Class: Python names, checked before anything is imported
MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
CLASS = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# views of the records in rules.py, for the readers that want the names alone: the book's
# optimizers, the settings each takes (lr, schedule, its own, noise) and its state's names
OPTIMIZERS = tuple(RULES)
SCHEDULES = ("constant", "exponential", "polynomial")
HYPERPARAMETERS: dict[str, tuple[str, ...]] = {name: r.flags for name, r in RULES.items()}
STATE_NAMES: dict[str, tuple[str, ...]] = {name: r.state for name, r in RULES.items()}
# the chapter's landscapes by name, with their formulas (here, so `--help` imports no torch)
LANDSCAPES: dict[str, str] = {
    "f": "f(x) = x·cos(πx)",
    "g": "g(x) = f(x) + 0.2·cos(5πx)",
    "cube": "f(x) = x³",
    "saddle": "f(x, y) = x² − y²",
    "tanh": "f(x) = tanh(x)",
    "square": "f(x) = x²",
    "xcos": "f(x) = x·cos(0.15πx)",
    "cosh": "f(x) = cosh(0.5x)",
    "bowl": "f(x1, x2) = x1² + 2·x2²",
    "ill": "f(x1, x2) = 0.1·x1² + 2·x2²",
    # the classic test functions (functions.CLASSIC): their usual domains, known minima
    "rosenbrock": "f(x, y) = (1 − x)² + 100·(y − x²)²",
    "rastrigin": "f(x, y) = 20 + x² − 10·cos(2πx) + y² − 10·cos(2πy)",
    "himmelblau": "f(x, y) = (x² + y − 11)² + (x + y² − 7)²",
    "beale": "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
    "booth": "f(x, y) = (x + 2y − 7)² + (2x + y − 5)²",
    "camel": "f(x, y) = 2x² − 1.05x⁴ + x⁶/6 + xy + y² (three-hump camel)",
    "styblinski-tang": "f(x, y) = (x⁴ − 16x² + 5x + y⁴ − 16y² + 5y)/2",
    "ackley": "f(x, y) = −20·exp(−0.2·√((x² + y²)/2)) − exp((cos 2πx + cos 2πy)/2) + e + 20",
}
