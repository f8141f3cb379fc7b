"""Pure numerics for the scenes: landscapes, optimizers, trajectories, critical points.

This package never imports manim. Names are loaded on first use, so that reading the
story records (`roll list`, `roll --help`) does not pay for importing torch.
"""

from importlib import import_module
from typing import Any

_WHERE = {
    "Critical": "critical",
    "classify": "critical",
    "gradient": "critical",
    "hessian": "critical",
    "curvatures": "critical",
    "SettingsError": "errors",
    "parse_expression": "expression",
    "CHAPTER": "functions",
    "Landscape": "functions",
    "get_landscape": "functions",
    "sample": "functions",
    "sample_gradients": "functions",
    "endpoints": "optimizers",
    "run": "optimizers",
    "run_batch": "optimizers",
    "learning_rate": "optimizers",
    "schedule_factor": "optimizers",
    "MAX_STEPS": "settings",
    "OPTIMIZERS": "names",
    "HYPERPARAMETERS": "names",
    "LANDSCAPES": "names",
    "SCHEDULES": "names",
    "STATE_NAMES": "names",
    "Settings": "settings",
    "parse_domain": "settings",
    "parse_start": "settings",
    "LANDSCAPE_STARTS": "stories",
    "Balls": "stories",
    "Story": "stories",
    "STATUSES": "trajectory",
    "Trajectory": "trajectory",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
