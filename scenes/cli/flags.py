"""The flags several commands share, declared once and attached to each (manim's option
groups, manim-slides' `commons.py`): the scenes asked for, the quality, the output folders,
the worker processes, the cache, the look, the story files' --trust-code. Their choices and
help come from the tables of `scenes.outputs`; the planner (`scenes.cli.plan`) checks their
values, once.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from scenes.cli.storyfiles import Default
from scenes.outputs import DEFAULT_QUALITY, quality_help, quality_metavar

MEDIA_HELP = "manim's working tree, with the result cache in its roll-cache/ (default media/)"
TRUST_HELP = (
    "let story files name optimizers as module:Class of any module, which imports and runs that "
    "module's code (without it a file names only the registry's: roll list --optimizers)"
)


def add_names(p: argparse.ArgumentParser, help: str, every: str | None = None) -> None:
    """NAME... (scenes or story files), and `--all` where the command takes it."""
    p.add_argument("names", nargs="*", metavar="NAME", help=help)
    if every is not None:
        p.add_argument("--all", action="store_true", help=every)


def add_quality(
    p: argparse.ArgumentParser, only: Iterable[str] | None = None, default: str = DEFAULT_QUALITY
) -> None:
    """-q/--quality: a letter of the quality table (or of `only`, a command's subset)."""
    only = None if only is None else tuple(only)
    p.add_argument(
        "-q", "--quality", default=default, metavar=quality_metavar(only), help=quality_help(only, default)
    )


def add_output(
    p: argparse.ArgumentParser,
    out: str | None,
    out_help: str,
    media_help: str = MEDIA_HELP,
    cache: bool = True,
) -> None:
    """The rendering commands' output group: --out (a default, or required when `out` is None),
    --jobs, --media-dir, and the result cache's --force and --shard."""
    g = p.add_argument_group("output")
    if out is None:
        g.add_argument("--out", required=True, help=out_help)
    else:
        g.add_argument("--out", default=out, help=out_help)
    g.add_argument("--jobs", type=int, default=1, help="scenes rendered in parallel processes (default 1)")
    g.add_argument("--media-dir", default="media", help=MEDIA_HELP)
    add_cache_flags(g)


def add_cache_flags(p: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    p.add_argument(
        "--force", action="store_true", help="render even the scenes whose result in the cache is up to date"
    )
    p.add_argument(
        "--shard",
        metavar="K/N",
        help="only the K-th of N parts of the scenes, balanced by cost and the same on every machine",
    )


THEME_HELP = "dark (default) or light (white background)"


def add_look_flags(p: argparse.ArgumentParser, theme_help: str = THEME_HELP) -> None:
    p.add_argument("--theme", default=Default("dark"), help=theme_help)
    p.add_argument("--lang", default=Default("en"), help="en (default) or zh (Chinese captions and labels)")


def add_trust_flag(p: argparse.ArgumentParser) -> None:
    """--trust-code on a command that reads story files (`scenes.cli.storyfiles`)."""
    p.add_argument("--trust-code", action="store_true", help=TRUST_HELP)
