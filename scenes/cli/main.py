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
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

from landscapes.errors import SettingsError
from scenes.cli import stops
from scenes.cli.checks import attach_dash_values, check_args
from scenes.cli.flags import add_look_flags, add_names, add_output, add_quality, add_trust_flag
from scenes.cli.options import (
    Parser,
    add_run_flags,
    run_epilog,
    settings_from_args,
)
from scenes.cli.safe import shown
from scenes.outputs import DECK_QUALITY, DEFAULT_FORMAT, format_help


def add_scene_options(p: argparse.ArgumentParser) -> None:
    """The options only some scenes accept (their records say which), with help from the records."""
    from scenes.catalog import OPTIONS, RUN_FLAGS, WHOLE, option_help

    sc = p.add_argument_group("scene options")
    for option in (o for o in OPTIONS if o not in RUN_FLAGS):  # the records' table: one entry each
        sc.add_argument(f"--{option}", type=int if option in WHOLE else str, help=option_help(option))


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="roll",
        description="A ball rolling down the loss landscapes of d2l's optimization chapter.",
    )
    parser.add_argument("--verbose", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True

    ls = sub.add_parser("list", help="name, class and story of every scene, in the book's order")
    ls.add_argument(
        "--sections",
        action="store_true",
        help="a heading per book section (the default on a terminal; scripts get one scene per line)",
    )
    ls.add_argument(
        "--optimizers",
        action="store_true",
        help="every optimizer that can roll (the book's, torch.optim's, pytorch-optimizer's), "
        "its source and hyper-parameters, then those that cannot and why",
    )

    tr = sub.add_parser(
        "trajectory",
        help="print the numbers a render would animate",
        epilog=run_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tr.add_argument(
        "name", metavar="NAME|custom|FILE.toml", help="a scene, `custom` with --function, or a story file"
    )
    add_run_flags(tr)
    add_scene_options(tr)
    tr.add_argument("--format", default="json", help="json (default) or csv")

    rd = sub.add_parser("render", help="render scenes to video, GIF or a last-frame PNG")
    add_names(rd, "scene names (see `roll list`)", every="render the chapter's sixteen scenes")
    add_quality(rd)
    rd.add_argument("--format", default=DEFAULT_FORMAT, help=format_help())
    add_output(rd, "out", "folder for the results, under stable names (default out/)")
    add_look_flags(rd)
    add_run_flags(rd)
    add_scene_options(rd)
    rd.add_argument(
        "--save-trajectory",
        action="store_true",
        help="also write NAME.json (what `roll trajectory` prints) beside each result",
    )

    sl = sub.add_parser("slides", help="a deck: a title slide per scene, then a slide per beat (caption)")
    add_names(sl, "scene names (see `roll list`)", every="the chapter's sixteen scenes")
    from scenes.cli.decks import deck_help

    sl.add_argument("--to", required=True, help=deck_help())
    add_quality(sl, default=DECK_QUALITY)
    add_output(sl, "slides", "folder for the deck (default slides/)")
    add_look_flags(sl, "dark (default) or light (white background; --to pdf's default: a handout to print)")
    add_run_flags(sl)
    add_scene_options(sl)

    ga = sub.add_parser(
        "gallery", help="every scene as GIF + last-frame PNG + JSON, with index.html and README.md"
    )
    add_names(ga, "scenes to include (default: all)")
    add_quality(ga)
    add_output(ga, None, "the gallery folder")
    add_look_flags(ga)

    tu = sub.add_parser(
        "tune",
        help="each optimizer's learning rate tuned for a landscape and start (a log grid), in race order",
    )
    tu.add_argument("--landscape", required=True, help="a landscape with known minima, e.g. rosenbrock")
    tu.add_argument(
        "--optimizers", required=True, help="a list of --optimizer names, e.g. gd,adam,adamw,lion"
    )
    tu.add_argument("--start", help="start point X,Y (default: the landscape's own)")
    tu.add_argument("--steps", type=int, default=200, help="steps of each run (default 200)")
    tu.add_argument("--tol", type=float, help="the gradient-norm stop of each run (default 1e-8)")
    tu.add_argument("--format", default="table", help="table (default), json or csv")

    ck = sub.add_parser("check", help="validate story files (FILE.toml) without rendering: a line per fault")
    ck.add_argument("files", nargs="+", metavar="FILE.toml", help="story files")

    bn = sub.add_parser("bench", help="time each scene per frame against manim's floor, in one run")
    add_names(bn, "scenes to time (default: all)")
    from scenes.cli.bench import BENCH_QUALITIES

    add_quality(bn, BENCH_QUALITIES)
    bn.add_argument("--json", action="store_true", help="print one JSON object")
    bn.add_argument(
        "--split",
        action="store_true",
        help="time one scene rendered by 1 process and split over --jobs processes, in one run",
    )
    bn.add_argument("--jobs", type=int, default=2, help="processes of the split render (default 2)")
    bn.add_argument("--media-dir", default="media", help="where manim's TeX cache is kept (default media/)")
    add_look_flags(bn)
    for p in (tr, rd, sl, ga, ck, bn):  # the commands that read story files
        add_trust_flag(p)
    return parser


def cmd_list(args: argparse.Namespace) -> int:
    if args.optimizers:
        return list_optimizers()
    from scenes.catalog import CATALOG, SECTIONS

    records = [r for r in CATALOG.values() if not r.filed]
    files = story_files()
    width = max(len(r.name) for r in records)
    cwidth = max(len(r.cls) for r in records)
    headings = args.sections or sys.stdout.isatty()
    for section, title in SECTIONS.items():
        entries = [r for r in records if r.section == section]
        if not entries:
            continue
        if headings:
            print(f"# {title}")
        for r in entries:
            print(f"{r.name:<{width}}  {r.cls:<{cwidth}}  {r.line}")
    if files and headings:
        print("# Story files (roll render FILE.toml)")
    fwidth = max((len(f) for f in files), default=0)
    for path, title in files.items():
        print(f"{path:<{fwidth}}  {title}")
    return 0


def story_files() -> dict[str, str]:
    """The story files the project ships (relative path -> title), read without loading them."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found: dict[str, str] = {}
    for folder in ("scenes/stories", "examples/stories"):
        for path in sorted((root / folder).glob("*.toml")):
            try:
                title = tomllib.loads(path.read_text(encoding="utf-8")).get("title", "")
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
                title = "(cannot be read: roll check it)"
            words = title.get("en", "") if isinstance(title, dict) else str(title)
            found[path.relative_to(root).as_posix()] = words
    return found


def list_optimizers() -> int:
    """One line per optimizer: name, source, hyper-parameters with their defaults; refused last."""
    from landscapes.plugins import available, refusal
    from landscapes.rules import RULES, hypers

    rows = []
    for rule in RULES.values():
        defaults = {h.flag: h.default for h in hypers().values()}
        shown = [f"{f}={defaults[f]:g}" if f in defaults else f for f in rule.flags]
        rows.append((rule.name, "the book", " ".join(shown)))
    refused = []
    for plugin in available():
        why = refusal(plugin)
        if why:
            refused.append((plugin.name, plugin.source, f"refused: {why}"))
            continue
        shown = [
            f"{k}={plugin.defaults[k]!r}".replace(" ", "") if k in plugin.defaults else f"{k}=?"
            for k in plugin.keywords
        ]
        rows.append((plugin.name, plugin.source, " ".join(shown)))
    width = max(len(r[0]) for r in rows + refused)
    swidth = max(len(r[1]) for r in rows + refused)
    for name, source, text in rows + refused:
        print(f"{name:<{width}}  {source:<{swidth}}  {text}".rstrip())
    return 0


def cmd_trajectory(args: argparse.Namespace) -> int:
    if args.format not in ("json", "csv"):
        raise SettingsError(f"--format {args.format!r}: choose json or csv")
    from landscapes.optimizers import run
    from scenes.catalog import get_story
    from scenes.cli.options import options_from_args
    from scenes.cli.storyfiles import open_story

    name = open_story(args.name, args)
    settings = settings_from_args(name, args)
    options = options_from_args(name, args)
    story = get_story(name)
    if set(options) - {"opt"} or story.options.get("model"):  # the scene's options, a network's: as drawn
        balls = story.trajectories(settings, options)
        tr = next((t for t in balls if t.settings == settings), balls[0])
    else:
        if story.options.get("tune"):  # a race's ball runs at its tuned rate
            from landscapes.tune import tuned_settings

            settings = tuned_settings(settings)
        tr = run(settings)
    if args.format == "json":
        print(json.dumps(tr.to_dict(), allow_nan=False))
    else:
        sys.stdout.write(tr.to_csv())
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from scenes.cli.storyfiles import check_command

    return check_command(args)


def cmd_render(args: argparse.Namespace) -> int:
    from scenes.cli.render import render_command

    return render_command(args)


def cmd_bench(args: argparse.Namespace) -> int:
    if args.split:  # one scene, whole and split, side by side
        from scenes.cli.bench_split import split_command

        return split_command(args)
    from scenes.cli.bench import bench_command

    return bench_command(args)


def cmd_slides(args: argparse.Namespace) -> int:
    from scenes.cli.slides import slides_command

    return slides_command(args)


def cmd_gallery(args: argparse.Namespace) -> int:
    from scenes.cli.gallery import gallery_command

    return gallery_command(args)


def cmd_tune(args: argparse.Namespace) -> int:
    if args.format not in ("table", "json", "csv"):
        raise SettingsError(f"--format {args.format!r}: choose table, json or csv")
    from landscapes.functions import NAMED
    from landscapes.settings import Settings, parse_start
    from landscapes.stories import LANDSCAPE_STARTS
    from landscapes.tune import ARRIVE, HIGH, LOW, POINTS, REFINE, race_order, tune
    from scenes.cli.options import parse_optimizers

    if args.landscape not in NAMED:
        raise SettingsError(f"--landscape {args.landscape!r}: choose one of {', '.join(NAMED)}")
    start = parse_start(args.start) if args.start else LANDSCAPE_STARTS[args.landscape]
    base = Settings(args.landscape, start, steps=args.steps).override(tol=args.tol)
    results = race_order([tune(base.override(optimizer=o)) for o in parse_optimizers(args.optimizers)])
    if args.format == "json":
        doc = {
            "landscape": args.landscape,
            "start": list(start),
            "steps": args.steps,
            "search": {"method": "grid", "low": LOW, "high": HIGH, "points": POINTS, "refine": REFINE},
            "arrive": ARRIVE,
            "results": [t.to_dict() for t in results],
        }
        print(json.dumps(doc, allow_nan=False))
        return 0
    fields = ["optimizer", "lr", "arrival", "gap", "status", "runs"]
    rows = [[t.optimizer, t.lr, t.arrival, t.gap, t.status, t.runs] for t in results]
    if args.format == "csv":
        print(",".join(fields))
        for row in rows:
            print(",".join("" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row))
        return 0
    width = max(len(t.optimizer) for t in results)
    print(f"{'#':>2}  {'optimizer':<{width}}  {'lr':>9}  {'arrival':>7}  {'gap':>9}  status")
    for k, t in enumerate(results, 1):
        lr = "-" if t.lr is None else f"{t.lr:.3g}"
        arrival = "-" if t.arrival is None else str(t.arrival)
        print(f"{k:>2}  {t.optimizer:<{width}}  {lr:>9}  {arrival:>7}  {t.gap:>9.2e}  {t.status}")
    return 0


COMMANDS = {
    "list": cmd_list,
    "trajectory": cmd_trajectory,
    "render": cmd_render,
    "slides": cmd_slides,
    "gallery": cmd_gallery,
    "bench": cmd_bench,
    "tune": cmd_tune,
    "check": cmd_check,
}


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in raw
    try:
        with stops.guard():  # SIGTERM unwinds every phase (planning, decks, PDF printing) as Ctrl-C does
            # --verbose is welcome anywhere on the line, not only before the command
            parser = build_parser()
            args = parser.parse_args(attach_dash_values([a for a in raw if a != "--verbose"], parser))
            args.verbose = verbose
            check_args(args)  # paths, environment, --shard, what the axes can draw: before any work
            return COMMANDS[args.command](args)
    except SettingsError as exc:
        print(f"roll: error: {shown(str(exc))}", file=sys.stderr)
        return 2
    except stops.Terminated as stop:
        print(f"roll: interrupted by {stop}", file=sys.stderr)
        return 128 + stop.signum
    except KeyboardInterrupt:  # before the render's own handlers (imports, planning)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this line short
        print("roll: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `roll list | head -1`: the reader has what it wanted
        from scenes.cli.runner import silence_stdout

        silence_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        if verbose:
            raise
        print(
            f"roll: internal error: {type(exc).__name__}: {shown(str(exc))} "
            "(run with --verbose for the traceback)",
            file=sys.stderr,
        )
        return 1


def run_main() -> NoReturn:
    sys.exit(main())
