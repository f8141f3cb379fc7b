"""`roll`: list the scenes, print their trajectories, render them.

Imports stay light at the top (no torch, no manim) so `roll --help` and `roll list`
answer at once; each command imports what it needs.

Exit codes: 0 done, 2 a user mistake (one line on stderr, nothing written),
1 an unexpected internal error (short message; `--verbose` shows the traceback),
130/143 interrupted by SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NoReturn

from landscapes.errors import SettingsError

if TYPE_CHECKING:  # the module itself stays light: `roll --help` imports no torch
    from landscapes.settings import Settings

NEGATIVE_OK = ("--start", "--domain")


class _Parser(argparse.ArgumentParser):
    """argparse with the project's error contract: one line on stderr, exit 2."""

    def error(self, message: str) -> NoReturn:
        raise SettingsError(message)


def _join_negative_values(argv: list[str]) -> list[str]:
    """`--start -5,-2` -> `--start=-5,-2`: argparse would take `-5,-2` for an option."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if (
            tok in NEGATIVE_OK
            and i + 1 < len(argv)
            and argv[i + 1].startswith("-")
            and _numberish(argv[i + 1])
        ):
            out.append(f"{tok}={argv[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def _numberish(text: str) -> bool:
    return len(text) > 1 and (text[1].isdigit() or text[1] == ".")


def _add_run_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("settings (default: the scene's own story)")
    g.add_argument("--optimizer", help="gd, sgd, momentum or adam")
    g.add_argument("--lr", type=float, help="learning rate, > 0")
    g.add_argument("--start", help="start point: X or X,Y (negative values work: --start -0.5)")
    g.add_argument("--steps", type=int, help="maximum number of steps, 1 to 1,000,000")
    g.add_argument("--noise", type=float, help="gradient noise scale (sgd, momentum, adam), >= 0")
    g.add_argument("--seed", type=int, help="seed of the noise generator (and of basins' random starts)")
    g.add_argument(
        "--function", help="expression in x (and y) for custom or compare, e.g. 'x*cos(0.15*pi*x)'"
    )
    g.add_argument("--domain", help="bounds a,b (or a,b,c,d): the ball stops at the edge")
    g.add_argument("--landscape", help="compare: f, g, cube, saddle or tanh; basins: f or g")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="roll",
        description="A ball rolling down the loss landscapes of d2l's optimization chapter.",
    )
    parser.add_argument("--verbose", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    sub.add_parser("list", help="name, class and story of every scene")

    tr = sub.add_parser("trajectory", help="print the numbers a render would animate")
    tr.add_argument("name", metavar="NAME|custom", help="a scene name, or `custom` with --function")
    _add_run_flags(tr)
    tr.add_argument("--format", default="json", help="json (default) or csv")

    rd = sub.add_parser("render", help="render scenes to video, GIF or a last-frame PNG")
    rd.add_argument("names", nargs="*", metavar="NAME", help="scene names (see `roll list`)")
    rd.add_argument("--all", action="store_true", help="render the chapter's six scenes")
    rd.add_argument("-q", "--quality", default="l", help="l (480p15, default), m, h, p or k (2160p60)")
    rd.add_argument("--format", default="mp4", help="mp4 (default), gif, png (last frame) or webm")
    rd.add_argument("--out", default="out", help="folder for the results, under stable names (default out/)")
    rd.add_argument("--jobs", type=int, default=1, help="scenes rendered in parallel processes (default 1)")
    rd.add_argument("--media-dir", default="media", help="manim's working tree (default media/)")
    _add_run_flags(rd)
    sc = rd.add_argument_group("scene options")
    sc.add_argument("--optimizers", help="compare: a list such as gd,sgd,momentum,adam")
    sc.add_argument("--balls", type=int, help="basins: how many balls (default 20)")
    sc.add_argument("--spread", help="basins: even (default) or random starts")
    rd.add_argument(
        "--save-trajectory",
        action="store_true",
        help="also write NAME.json (what `roll trajectory` prints) beside each result",
    )

    ga = sub.add_parser(
        "gallery", help="every scene as GIF + last-frame PNG + JSON, with index.html and README.md"
    )
    ga.add_argument("names", nargs="*", metavar="NAME", help="scenes to include (default: all)")
    ga.add_argument("--out", required=True, help="the gallery folder")
    ga.add_argument("-q", "--quality", default="l", help="l (480p15, default), m, h, p or k")
    ga.add_argument("--jobs", type=int, default=1, help="scenes rendered in parallel processes (default 1)")
    ga.add_argument("--media-dir", default="media", help="manim's working tree (default media/)")

    bn = sub.add_parser("bench", help="time each scene per frame against manim's floor, in one run")
    bn.add_argument("names", nargs="*", metavar="NAME", help="scenes to time (default: all)")
    bn.add_argument("-q", "--quality", default="l", help="l (480p15, default) or h (1080p60)")
    bn.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def settings_from_args(name: str, args: argparse.Namespace) -> Settings:
    """The story's settings with the command line's overrides applied and validated."""
    from landscapes.functions import CHAPTER
    from landscapes.settings import parse_domain, parse_start
    from landscapes.stories import LANDSCAPE_STARTS, get_story

    story = get_story(name)
    function, landscape = getattr(args, "function", None), getattr(args, "landscape", None)
    domain = parse_domain(args.domain) if getattr(args, "domain", None) else None
    start = parse_start(args.start) if args.start is not None else None
    base = story.settings
    if function is not None and name not in ("custom", "compare"):
        raise SettingsError(f"--function works with `custom` and `compare`, not with the scene {name!r}")
    if landscape is not None:
        allowed = {"compare": tuple(CHAPTER), "basins": ("f", "g")}.get(name)
        if allowed is None:
            raise SettingsError(f"--landscape works with `compare` and `basins`; {name!r} has its own")
        if landscape not in allowed:
            raise SettingsError(f"--landscape {landscape!r}: choose one of {', '.join(allowed)} for {name}")
        if function is not None:
            raise SettingsError("give --landscape or --function, not both")
        # replace, not override: override keeps a field it is given None for
        start0 = LANDSCAPE_STARTS[landscape]
        base = replace(base, landscape=landscape, function=None, domain=None, start=start0)
    if name == "custom" and function is None:
        raise SettingsError("custom: give --function EXPR, e.g. --function 'x*cos(0.15*pi*x)'")
    if function is not None:
        base = base.override(landscape="custom", function=function)
        base = replace(base, domain=domain)  # a new function keeps no domain it was not given
        base = base.override(start=start or _default_start(base.landscape_obj.dim, domain))
    elif domain is not None:
        base = base.override(domain=domain)
    settings = base.override(
        start=start, optimizer=args.optimizer, lr=args.lr, steps=args.steps, noise=args.noise, seed=args.seed
    )
    settings.validate()
    return settings


def options_from_args(name: str, args: argparse.Namespace) -> dict[str, object]:
    """Scene options (--optimizers, --balls, --spread), refused where the scene has no use for them."""
    from landscapes.settings import OPTIMIZERS

    options: dict[str, object] = {}
    optimizers = getattr(args, "optimizers", None)
    if optimizers is not None:
        if name != "compare":
            raise SettingsError(f"--optimizers works with `compare`, not with {name!r}")
        chosen = tuple(dict.fromkeys(o.strip() for o in optimizers.split(",") if o.strip()))
        bad = [o for o in chosen if o not in OPTIMIZERS]
        if bad or not chosen:
            raise SettingsError(
                f"--optimizers {optimizers!r}: choose from {', '.join(OPTIMIZERS)}, e.g. gd,adam"
            )
        options["optimizers"] = chosen
    balls, spread = getattr(args, "balls", None), getattr(args, "spread", None)
    if (balls is not None or spread is not None) and name != "basins":
        raise SettingsError(f"--balls and --spread work with `basins`, not with {name!r}")
    if balls is not None:
        if not 1 <= balls <= 200:
            raise SettingsError(f"--balls {balls}: give a whole number from 1 to 200")
        options["balls"] = balls
    if spread is not None:
        if spread not in ("even", "random"):
            raise SettingsError(f"--spread {spread!r}: choose even or random (random uses --seed)")
        options["spread"] = spread
    return options


def _default_start(dim: int, domain: tuple[tuple[float, float], ...] | None) -> tuple[float, ...]:
    """1.0 in each coordinate, or the domain's centre where 1.0 lies outside it."""
    if domain is None:
        return (1.0,) * dim
    return tuple(1.0 if lo <= 1.0 <= hi else (lo + hi) / 2 for lo, hi in domain)


def cmd_list(args: argparse.Namespace) -> int:
    from landscapes.stories import EXTRAS, SCENES, STORIES

    width = max(len(n) for n in SCENES)
    cwidth = max(len(s.scene_class) for s in SCENES.values())
    for group in (STORIES, EXTRAS):
        for story in group.values():
            print(f"{story.name:<{width}}  {story.scene_class:<{cwidth}}  {story.line}")
    return 0


def cmd_trajectory(args: argparse.Namespace) -> int:
    if args.format not in ("json", "csv"):
        raise SettingsError(f"--format {args.format!r}: choose json or csv")
    from landscapes.optimizers import run

    tr = run(settings_from_args(args.name, args))
    if args.format == "json":
        print(json.dumps(tr.to_dict(), allow_nan=False))
    else:
        sys.stdout.write(tr.to_csv())
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from .render import render_command

    return render_command(args)


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import bench_command

    return bench_command(args)


def cmd_gallery(args: argparse.Namespace) -> int:
    from .gallery import gallery_command

    return gallery_command(args)


COMMANDS = {
    "list": cmd_list,
    "trajectory": cmd_trajectory,
    "render": cmd_render,
    "gallery": cmd_gallery,
    "bench": cmd_bench,
}


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in raw
    try:
        # --verbose is welcome anywhere on the line, not only before the command
        args = build_parser().parse_args(_join_negative_values([a for a in raw if a != "--verbose"]))
        args.verbose = verbose
        return COMMANDS[args.command](args)
    except SettingsError as exc:
        print(f"roll: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("roll: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if verbose:
            raise
        print(
            f"roll: internal error: {type(exc).__name__}: {exc} (run with --verbose for the traceback)",
            file=sys.stderr,
        )
        return 1


def run_main() -> NoReturn:
    sys.exit(main())
