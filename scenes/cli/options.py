"""The flags every command shares, and turning them into validated settings.

Shared by `trajectory`, `render`, `gallery` and `bench`; it imports no command, so each
command module can use it without importing the others.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, NoReturn

from landscapes.errors import SettingsError

if TYPE_CHECKING:  # the module itself stays light: `roll --help` imports no torch
    from landscapes.plugins import Plugin
    from landscapes.settings import Settings
    from scenes.catalog import Scene


class Parser(argparse.ArgumentParser):
    """argparse with the project's error contract: one line on stderr, exit 2."""

    def error(self, message: str) -> NoReturn:
        raise SettingsError(message)


def hyper_flags() -> dict[str, tuple[str, str]]:
    """The book's hyper-parameter flags from the rules' records: flag -> (Settings field, help)."""
    from landscapes.rules import flag_help, hypers

    return {flag: (h.field, flag_help(flag)) for flag, h in hypers().items()}


def add_run_flags(p: argparse.ArgumentParser) -> None:
    from landscapes.names import SCHEDULES
    from landscapes.rules import RULES
    from scenes.catalog import option_help

    g = p.add_argument_group("settings (default: the scene's own story)")
    names = list(RULES)
    g.add_argument(
        "--optimizer",
        help=f"{', '.join(names[:-1])} or {names[-1]} (the book's rules); a torch.optim name (adamw), "
        "a pytorch-optimizer name (lion) or module:Class (roll list --optimizers)",
    )
    g.add_argument(
        "--opt",
        metavar="KEY=VALUE,...",
        help="a plugged-in optimizer's constructor keywords, read as literals: "
        "betas=(0.9,0.99),weight_decay=0",
    )
    no_lr = [r.name for r in RULES.values() if not r.has_lr]
    but = " and ".join(no_lr) or "none"
    g.add_argument("--lr", type=float, help=f"learning rate eta, > 0 (every optimizer but {but})")
    g.add_argument(
        "--schedule",
        help=f"the rate over the steps: {', '.join(SCHEDULES)} (eta·exp(-0.1t), eta·(1 + 0.1t)^-0.5, "
        "t = 2, 3, … as the book counts)",
    )
    for flag, (_, text) in hyper_flags().items():
        g.add_argument(f"--{flag}", type=float, help=text)
    g.add_argument("--start", help="start point: X or X,Y (negative values work: --start -0.5)")
    g.add_argument("--steps", type=int, help="maximum number of steps, 1 to 1,000,000")
    g.add_argument(
        "--tol",
        type=float,
        help="stop (converged) where the gradient's norm is below it, >= 0 (default 1e-8; 0: never early)",
    )
    quiet = [r.name for r in RULES.values() if not r.takes_noise]
    g.add_argument("--noise", type=float, help=f"gradient noise scale (not {' or '.join(quiet)}), >= 0")
    g.add_argument(
        "--seed",
        type=int,
        help="seed of the noise generator (and of basins' random starts; a network's data, weights, batches)",
    )
    g.add_argument("--function", help=option_help("function"))
    g.add_argument("--domain", help="bounds a,b (or a,b,c,d): the ball stops at the edge")
    g.add_argument("--landscape", help=landscape_help())


def landscape_help() -> str:
    """--landscape's help: which scenes take it and which landscapes each may name (the records')."""
    from landscapes.names import LANDSCAPES
    from scenes.catalog import CATALOG, EVERY, KNOWN_MINIMA, accepting

    words = {EVERY: ", ".join(LANDSCAPES), KNOWN_MINIMA: "those with known minima, from rosenbrock on"}
    by_choice: dict[str, list[str]] = {}
    for name in accepting("landscape"):  # read without torch: `roll --help` stays quick
        choice = CATALOG[name].landscapes
        said = words[choice] if isinstance(choice, str) else ", ".join(choice)
        by_choice.setdefault(said, []).append(name)
    parts = [f"{' and '.join(names)}: {choice}" for choice, names in by_choice.items()]
    return "; ".join(parts) + " (formulas: roll trajectory --help)"


def run_epilog() -> str:
    """The chapter's landscapes with their formulas, and each optimizer's hyper-parameters."""
    from landscapes.names import LANDSCAPES
    from landscapes.rules import RULES

    width = max(map(len, [*LANDSCAPES, *RULES]))
    from scenes.catalog import accepting

    takers = ", ".join(accepting("landscape"))
    lines = [f"landscapes (--landscape with {takers}; the stories use them by name):"]
    lines += [f"  {name:<{width}}  {formula}" for name, formula in LANDSCAPES.items()]
    lines += ["", "optimizers and the flags they take:"]
    for name, rule in RULES.items():
        lines.append(f"  {name:<{width}}  {' '.join('--' + h for h in rule.flags)}")
    lines.append(f"  {'other':<{width}}  --lr --schedule --noise --opt (roll list --optimizers)")
    return "\n".join(lines)


def _hyper_given(args: argparse.Namespace) -> dict[str, object]:
    """The hyper-parameter flags on the command line and their values, in the book's order (lr
    and schedule first): read once, so the checks below take values, not the command line."""
    from landscapes.rules import hypers

    names = ["lr", "schedule", "noise", *hypers()]
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def _known(optimizer: str, flag: str = "--optimizer") -> bool:
    """The book's rule, or any optimizer with torch.optim's interface that resolves (or a refusal)."""
    from landscapes.rules import RULES

    if optimizer not in RULES:
        from landscapes.plugins import resolve  # torch: only for a name the book has not

        resolve(optimizer, flag)
    return True


def _refuse_foreign_flags(
    record: Scene, given: Sequence[str], optimizer: str, listed: str | None, opt: str | None
) -> None:
    """A hyper-parameter flag (of those `given`) that no ball's optimizer has is refused, naming
    who takes it; `listed` and `opt` are --optimizers and --opt as given."""
    from landscapes.rules import RULES, takers

    story = record.story
    _known(optimizer)  # a wrong name first: the flags' messages would mislead
    # every ball of the scene counts: the adam story's adadelta ball takes --rho
    chosen: tuple[str, ...] = (optimizer, *(c.get("optimizer", optimizer) for c in story.companions))
    per_ball = record.takes("optimizers")
    if per_ball:  # every ball has its own optimizer: the flag must reach one of them
        if listed is not None:
            chosen = parse_optimizers(listed)
        else:
            chosen = tuple(story.options.get("optimizers", chosen))
    plugged = [o for o in (optimizer, *chosen) if o not in RULES]  # the main ball's counts (trajectory)
    if opt is not None and not plugged:
        raise SettingsError(
            f"--opt: {' and '.join(dict.fromkeys(chosen))} are the book's rules, set with their flags; "
            "--opt is for torch.optim-style optimizers (e.g. --optimizer adamw)"
        )

    def takes(o: str, flag: str) -> bool:
        if o in RULES:
            return flag in RULES[o].flags
        return flag in ("lr", "schedule") and _plugin(o).has_lr

    for flag in given:
        if flag == "noise" or any(takes(o, flag) for o in chosen):
            continue  # noise is checked with its value (gd and newton refuse it)
        if flag in ("lr", "schedule"):
            rules = [o for o in chosen if o in RULES]
            why = f" ({RULES[rules[0]].no_lr})" if rules else ""
            who = rules[0] if rules else _plugin(chosen[0]).word
            raise SettingsError(
                f"--{flag}: {who} has no learning rate{why}; drop --{flag} or choose another optimizer"
            )
        who = takers(flag)
        fix = f"add {who[0]} to --optimizers" if per_ball else f"add --optimizer {who[0]}"
        raise SettingsError(f"--{flag}: only {' and '.join(who)} takes it; {fix}")


def _plugin(name: str) -> Plugin:
    from landscapes.plugins import resolve

    return resolve(name)


def parse_optimizers(listed: str) -> tuple[str, ...]:
    """`--optimizers gd,adamw,lion`: each a name `--optimizer` takes, each once, at least one."""
    from landscapes.names import canonical_optimizer

    chosen = tuple(dict.fromkeys(canonical_optimizer(o.strip()) for o in listed.split(",") if o.strip()))
    if not chosen:
        raise SettingsError(f"--optimizers {listed!r}: give a list, e.g. gd,adam,adamw")
    for o in chosen:
        _known(o, "--optimizers")
    return chosen


def settings_from_args(name: str, args: argparse.Namespace) -> Settings:
    """The story's settings with the command line's overrides applied and validated."""
    from landscapes.rules import RULES
    from landscapes.settings import parse_domain, parse_opt, parse_start
    from landscapes.stories import LANDSCAPE_STARTS
    from scenes.catalog import entry
    from scenes.cli.storyfiles import file_settings, is_filed

    if is_filed(name):
        return file_settings(name, args)
    record = entry(name)
    function, landscape = getattr(args, "function", None), getattr(args, "landscape", None)
    domain = parse_domain(args.domain) if getattr(args, "domain", None) else None
    start = parse_start(args.start) if args.start is not None else None
    base = record.settings
    flags = _hyper_given(args)
    opt = getattr(args, "opt", None)
    _refuse_foreign_flags(
        record, list(flags), args.optimizer or base.optimizer, getattr(args, "optimizers", None), opt
    )
    if function is not None and not record.takes("function"):
        raise SettingsError(f"--function works with {_scenes('function')}, not with the scene {name!r}")
    if landscape is not None:
        allowed = record.landscape_choices()
        if not allowed:
            raise SettingsError(f"--landscape works with {_scenes('landscape')}; {name!r} has its own")
        if landscape not in allowed:
            raise SettingsError(f"--landscape {landscape!r}: choose one of {', '.join(allowed)} for {name}")
        if function is not None:
            raise SettingsError("give --landscape or --function, not both")
        # replace, not override: override keeps a field it is given None for
        start0 = LANDSCAPE_STARTS[landscape]
        base = replace(base, landscape=landscape, function=None, domain=None, start=start0)
    given = {"function": function, "landscape": landscape}
    if record.needs and all(given.get(o) is None for o in record.needs):
        examples = {"function": "--function 'x*cos(0.15*pi*x)'", "landscape": "--landscape rosenbrock"}
        raise SettingsError(f"{name}: give " + " or ".join(examples.get(o, f"--{o}") for o in record.needs))
    if function is not None:
        base = base.override(landscape="custom", function=function)
        base = replace(base, domain=domain)  # a new function keeps no domain it was not given
        base = base.override(start=start or _default_start(base.landscape_obj.dim, domain))
    elif domain is not None:
        base = base.override(domain=domain)
    # two rules may keep their own flag in one field (a record's choice): the flag given wins
    from landscapes.rules import hypers

    hyper = {h.field: flags[flag] for flag, h in hypers().items() if flag in flags}
    if opt is not None and (args.optimizer or base.optimizer) in RULES:
        opt = None  # for compare's and race's plugged-in balls: options_from_args carries it
    settings = base.override(
        start=start,
        optimizer=args.optimizer,
        lr=args.lr,
        steps=args.steps,
        tol=getattr(args, "tol", None),
        opt=None if opt is None else parse_opt(opt),
        noise=args.noise,
        seed=args.seed,
        schedule=getattr(args, "schedule", None),
        **hyper,
    )
    try:
        settings.validate()
    except SettingsError as exc:  # a start the user did not give: the domain's centre is to blame
        if start is None and domain is not None and str(exc).startswith("--start"):
            at = ",".join(f"{v:g}" for v in settings.start)
            raise SettingsError(
                f"--domain {args.domain}: {settings.landscape_obj.plain} is not defined at {at}, the "
                "default start; give --start at a point inside the domain where it is"
            ) from None
        raise
    return settings


def options_from_args(name: str, args: argparse.Namespace) -> dict[str, object]:
    """Scene options (--optimizers, --balls, --spread), refused where the scene has no use for them."""
    from scenes.cli.storyfiles import file_options, is_filed

    options: dict[str, object] = file_options(name) if is_filed(name) else {}
    from scenes.catalog import NETWORK, OPTIONS, RUN_FLAGS, entry, work_refusal

    record = entry(name)
    for option in (o for o in OPTIONS if o not in RUN_FLAGS):  # those two: settings_from_args
        if getattr(args, option, None) is not None and not record.takes(option):
            raise SettingsError(f"--{option} works with {_scenes(option)}, not with {name!r}")
    if record.story_class and any(record.takes(o) for o in NETWORK):  # rolls on a model
        options.update(network_options(record, args))
        if "optimizers" in record.options:  # compare --model: its balls, for the network's story
            options["optimizers"] = record.options["optimizers"]
    optimizers = getattr(args, "optimizers", None)
    if optimizers is not None:
        options["optimizers"] = parse_optimizers(optimizers)
    if getattr(args, "opt", None) is not None and record.takes("optimizers"):
        from landscapes.rules import RULES
        from landscapes.settings import parse_opt

        options["opt"] = parse_opt(args.opt)  # each plugged-in ball's keywords (Story.balls)
        listed = options.get("optimizers", record.options.get("optimizers", ()))
        for o in listed:
            if o not in RULES:  # refused now, in one line, not in a render worker later
                _plugin(o).check(options["opt"])
    balls, spread = getattr(args, "balls", None), getattr(args, "spread", None)
    if balls is not None:
        options["balls"] = balls
    if spread is not None:
        if spread not in ("even", "random"):
            raise SettingsError(f"--spread {spread!r}: choose even or random (random uses --seed)")
        options["spread"] = spread
    why = None if record.filed else work_refusal(name, getattr(args, "steps", None), options)  # limits
    if why:
        raise SettingsError(f"--{why}")
    return options


def network_options(record: Scene, args: argparse.Namespace) -> dict[str, object]:
    """--model, --data, --samples, --batch, --plane over the record's own, checked together by
    the network's rules (landscapes/network); a network starts at its seeded initial weights,
    so --start and --domain have no meaning there."""
    from scenes.catalog import NETWORK

    for flag in ("start", "domain"):
        if getattr(args, flag, None) is not None:
            raise SettingsError(
                f"--{flag}: {record.name} starts at its model's seeded initial weights; "
                "choose them with --seed"
            )
    given = {o: getattr(args, o) for o in NETWORK if getattr(args, o, None) is not None}
    plane = given.get("plane", record.options.get("plane"))
    many = getattr(args, "optimizers", None) is not None or "optimizers" in record.options
    if many and plane == "line":
        raise SettingsError(
            f"--plane line: one path's line; with several optimizers ({record.name}) give pca or random"
        )
    own_batch = record.options.get("batch", 0)
    if "samples" in given and "batch" not in given and own_batch > given["samples"]:
        raise SettingsError(
            f"--samples {given['samples']}: fewer than {record.name}'s minibatch of {own_batch}; "
            f"give --batch too (at most {given['samples']}, or 0 for the whole sample)"
        )
    from landscapes.network.train import Net, check_steps

    net = Net(**{**{o: record.options[o] for o in NETWORK if o in record.options}, **given})
    net.check(args.optimizer or record.settings.optimizer)
    check_steps(net, args.steps if args.steps is not None else record.settings.steps)
    return given


def _scenes(option: str) -> str:
    """The scenes whose records accept an option, for a message: `compare` and `custom`."""
    from scenes.catalog import accepting

    names = [f"`{n}`" for n in accepting(option)]
    return " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]


def _default_start(dim: int, domain: tuple[tuple[float, float], ...] | None) -> tuple[float, ...]:
    """1.0 in each coordinate, or the domain's centre where 1.0 lies outside it."""
    if domain is None:
        return (1.0,) * dim
    return tuple(1.0 if lo <= 1.0 <= hi else lo / 2 + hi / 2 for lo, hi in domain)  # no overflow


THEMES = ("dark", "light")
CJK_FONT = "Noto Sans CJK SC"


def check_look(args: argparse.Namespace) -> tuple[str, str]:
    """The theme and language asked for, refused in one line if unknown or not installed."""
    from scenes.words.i18n import languages

    theme, lang = str(getattr(args, "theme", "dark")), str(getattr(args, "lang", "en"))  # not a Default
    if theme not in THEMES:
        raise SettingsError(f"--theme {theme!r}: choose dark or light")
    if lang not in languages():
        raise SettingsError(f"--lang {lang!r}: choose one of {', '.join(languages())}")
    if lang == "zh" and not font_installed(CJK_FONT):
        raise SettingsError(
            f"--lang zh: the font {CJK_FONT!r} is missing (Debian's fonts-noto-cjk); "
            "run `make render` to install it"
        )
    return theme, lang


def font_installed(family: str) -> bool:
    """Whether pango can use this font family (a missing one silently renders boxes)."""
    try:
        import manimpango
    except (ImportError, OSError) as exc:
        raise SettingsError(f"manimpango cannot be loaded ({exc}); run `make render` to set it up") from None
    return family in manimpango.list_fonts()
