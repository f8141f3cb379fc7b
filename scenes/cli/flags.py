"""The flags several commands share, declared once and attached to each (manim's option
groups, manim-slides' `commons.py`): the scenes asked for, the quality, the output folders,
the worker processes, the cache. Their choices and help come from the tables of
`scenes.outputs`; the planner (`scenes.cli.plan`) checks their values, once.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from scenes.outputs import DEFAULT_QUALITY, quality_help, quality_metavar


def add_quality(
    p: argparse.ArgumentParser | argparse._ArgumentGroup, only: Iterable[str] | None = None
) -> None:
    """-q/--quality: a letter of the quality table (or of `only`, a command's subset)."""
    only = None if only is None else tuple(only)
    p.add_argument(
        "-q", "--quality", default=DEFAULT_QUALITY, metavar=quality_metavar(only), help=quality_help(only)
    )
