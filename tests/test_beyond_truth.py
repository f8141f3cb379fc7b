"""Every sentence true beyond the chapter: compare, custom, basins and story files.

Command lines are drawn at random (seeded: example k is the same run on every machine) as a
new user would type them: compare with 2–8 optimizers from the book, torch.optim and
pytorch-optimizer; custom with functions that have plateaus (exp, tanh, sigmoid, Gaussian
bumps), kinks and several wells; every schedule; --tol from 1e-8 to 1; story files asking for
every claim. The command line's own parser turns them into settings, the narration (no
manim) gives the words, and `truth_checker` (written apart, with its own critical points and
thresholds) judges them.

`make test` runs a seeded subset (SUBSET examples of each kind, ≥ 300 in all, about a minute on
one core); `ROLL_BEYOND=full` runs the big sweep (SWEEP of each). `python tests/test_beyond_truth.py
[N]` prints the false sentences found, by scene and claim.
"""

from __future__ import annotations

import os
import shlex
import sys
from collections import Counter
from collections.abc import Callable

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))

from truth_checker import (  # noqa: E402
    CRAWL,
    NEAR,
    OFF_MAP,
    STILL,
    Finding,
    Land,
    fd_grad,
    fitted_view,
    judge_basins,
    judge_compare,
    judge_custom,
    judge_end_words,
    path_length,
    tail_path,
)

from landscapes import SettingsError  # noqa: E402

FULL = os.environ.get("ROLL_BEYOND") == "full"
SUBSET = {"compare": 120, "custom": 160, "basins": 20, "story": 40}
SWEEP = {"compare": 400, "custom": 400, "basins": 60, "story": 120}

BOOK = ["gd", "sgd", "momentum", "adagrad", "rmsprop", "adadelta", "adam", "newton"]
TORCH = [
    "adamw", "asgd", "lbfgs", "rprop", "nadam", "radam", "adamax",
    "torch.optim:SGD", "torch.optim:Adam", "torch.optim:AdamW", "torch.optim:RMSprop", "torch.optim:Adagrad",
]  # fmt: skip
PYOPT = [
    "lion", "lamb", "adabelief", "yogi", "madgrad", "diffgrad", "signsgd", "qhadam", "adamp",
    "sgdw", "tiger", "pytorch_optimizer:ASGD", "pytorch_optimizer:RAdam", "adan", "laprop",
]  # fmt: skip
NAMED_1D = ["f", "g", "cube", "tanh", "square", "xcos", "cosh"]
NAMED_2D = ["bowl", "ill", "saddle", "rosenbrock", "rastrigin", "himmelblau", "booth", "camel", "ackley"]


def num(rng: np.random.Generator, lo: float, hi: float, digits: int = 2) -> str:
    return f"{rng.uniform(lo, hi):.{digits}f}"


def function_1d(rng: np.random.Generator) -> str:
    """A random curve: plateaus, bumps, kinks, several wells, sums of them."""
    a, b, c = (num(rng, 0.3, 2.0) for _ in range(3))
    s = num(rng, -3, 3)
    terms = [
        f"exp(-{a}*x)", f"tanh({a}*x)", f"sigmoid({a}*x)", f"log(1 + exp(-{a}*x))",
        f"-exp(-(x - {s})**2)", f"-{b}*exp(-(x - {s})**2/{a}) - exp(-(x + 2)**2)",
        f"abs(x - {s})", f"{a}*abs(x) + 0.1*x**2", f"x**4 - 3*x**2 + {num(rng, -1, 1)}*x",
        f"x**4 - 2*x**2 + {num(rng, -0.02, 0.02, 3)}*x", f"sin({a}*x) + 0.05*x**2", "x*cos(0.15*pi*x)",
        "x**3", f"(x - {s})**2", f"0.0002*(x - {s})**2", "sqrt(x**2 + 0.01)", "cos(x) + 0.2*abs(x)",
    ]  # fmt: skip
    first = str(rng.choice(terms))
    if rng.random() < 0.3:
        second = str(rng.choice(terms[:8]))
        return f"{first} + {c}*({second})"
    return first


def function_2d(rng: np.random.Generator) -> str:
    a, b = num(rng, 0.3, 2.0), num(rng, 0.3, 2.0)
    s = num(rng, -2, 2)
    terms = [
        "-exp(-(x**2 + y**2))", f"-exp(-((x - {s})**2 + y**2)) - {a}*exp(-((x + 2)**2 + (y - 1)**2))",
        "(x**2 - 1)**2 + y**2", f"x**2 - {a}*y**2", f"tanh(x) + {a}*y**2", "sin(x)*cos(y)",
        f"abs(x) + {b}*y**2", "sigmoid(x + y) + 0.1*(x - y)**2", f"{a}*x**2 + {b}*y**2",
        "exp(-x) + y**2", f"(x - {s})**2 + 10*(y - x**2)**2",
    ]  # fmt: skip
    return str(rng.choice(terms))


def common_flags(rng: np.random.Generator, dim: int, box: float, steps: int) -> list[str]:
    argv = ["--lr", f"{10 ** rng.uniform(-3, 0):.4g}", "--steps", str(int(rng.integers(0, steps + 1)))]
    if rng.random() < 0.5:
        argv += ["--tol", f"{10 ** rng.uniform(-8, 0):.3g}"]
    if rng.random() < 0.5:
        argv += ["--schedule", str(rng.choice(["constant", "exponential", "polynomial"]))]
    if rng.random() < 0.7:
        argv += [f"--start={','.join(num(rng, -box, box) for _ in range(dim))}"]
    if rng.random() < 0.3:
        argv += ["--seed", str(int(rng.integers(0, 100)))]
    return argv


def compare_line(rng: np.random.Generator, steps: int = 120) -> list[str]:
    pool = BOOK + TORCH + PYOPT
    picked = list(rng.choice(pool, size=int(rng.integers(2, 9)), replace=False))
    argv = ["compare", "--optimizers", ",".join(picked)]
    r = rng.random()
    if r < 0.35:
        fn, dim = function_1d(rng), 1
        argv += [f"--function={fn}"]
    elif r < 0.5:
        fn, dim = function_2d(rng), 2
        argv += [f"--function={fn}"]
    else:
        name = str(rng.choice(NAMED_1D + NAMED_2D))
        dim = 1 if name in NAMED_1D else 2
        argv += ["--landscape", name]
    argv += common_flags(rng, dim, 4.0, steps)
    if "sgd" in picked and rng.random() < 0.5:
        argv += ["--noise", num(rng, 0, 2)]
    return argv


def custom_line(rng: np.random.Generator, steps: int = 300) -> list[str]:
    two = rng.random() < 0.3
    fn = function_2d(rng) if two else function_1d(rng)
    argv = ["custom", f"--function={fn}"]
    if rng.random() < 0.4:
        argv += ["--domain=" + (",".join(["-5", "5"] * (2 if two else 1)))]
    if rng.random() < 0.4:
        argv += ["--optimizer", str(rng.choice(BOOK + TORCH + PYOPT))]
    argv += common_flags(rng, 2 if two else 1, 4.5 if rng.random() < 0.8 else 15, steps)
    return argv


def basins_line(rng: np.random.Generator) -> list[str]:
    argv = ["basins", "--landscape", str(rng.choice(["f", "g"])), "--balls", str(int(rng.integers(2, 40)))]
    argv += ["--lr", f"{10 ** rng.uniform(-2.5, -0.3):.3g}", "--steps", str(int(rng.integers(1, 300)))]
    if rng.random() < 0.5:
        argv += ["--spread", "random", "--seed", str(int(rng.integers(0, 100)))]
    return argv


CLAIM_NAMES = [
    "lowest_minimum", "local_minimum", "maximum", "near_saddle", "still_moving", "crawling", "escaped",
    "arrived", "stalled", "blew_up", "off_the_map", "flat", "overshooting",
]  # fmt: skip


def story_text(rng: np.random.Generator) -> str:
    """A story file: a curve or a plane, two balls, a beat at the end asking for random claims."""
    two = rng.random() < 0.4
    if two:
        land = (
            f'expression = "{function_2d(rng)}"\ndomain = [-4, 4, -4, 4]'
            if rng.random() < 0.5
            else (f'name = "{rng.choice(["bowl", "ill", "camel", "himmelblau"])}"')
        )
    else:
        land = f'expression = "{function_1d(rng)}"\ndomain = [-4, 4]'
    balls = []
    for key in ("a", "b"):
        start = ", ".join(num(rng, -3.5, 3.5) for _ in range(2 if two else 1))
        optimizer = str(rng.choice(BOOK[:7]))
        lr = f"lr = {10 ** rng.uniform(-3, 0):.4g}\n" if optimizer != "adadelta" else ""  # it has none
        balls.append(
            f'[[balls]]\nname = "{key}"\noptimizer = "{optimizer}"\n'
            f"{lr}start = [{start}]\nsteps = {int(rng.integers(1, 150))}\n"
            f"tol = {10 ** rng.uniform(-8, -1):.3g}\n"
            + (f'schedule = "{rng.choice(["exponential", "polynomial"])}"\n' if rng.random() < 0.3 else "")
        )
    names = [c for c in CLAIM_NAMES if c != "escaped" or not two] + ["optimizer(gd)"]
    if two:
        names += ["settles_first(x2, x1)", "blew_up(x2)", "overshooting(x2)"]
    claims = (
        ", ".join(f'{k} = "{rng.choice(names)}"' for k in ("a", "b") if rng.random() < 0.8) or 'a = "flat"'
    )
    return (
        f'name = "truth"\nview = "{"plane" if two else "curve"}"\n\n[landscape]\n{land}\n\n'
        + "\n".join(balls)
        + '\n[[beats]]\ncaption = "two balls"\n\n'
        + f'[[beats]]\nat = "end"\ncaption = "as asked"\nclaims = {{ {claims} }}\n'
    )


# ---- running the words ----------------------------------------------------------------------
def run_line(argv: list[str]):
    from scenes.catalog import get_story
    from scenes.cli.main import build_parser
    from scenes.cli.options import options_from_args, settings_from_args
    from scenes.narration.registry import narrate

    args = build_parser().parse_args(["trajectory", *argv])
    s = settings_from_args(args.name, args)
    o = options_from_args(args.name, args)
    trajs = list(get_story(args.name).trajectories(s, o))
    return trajs, narrate(args.name, trajs, o)


def judge_line(argv: list[str]) -> list[Finding]:
    """The findings of one command line (empty: every sentence held); None if refused."""
    try:
        trajs, n = run_line(argv)
    except SettingsError:
        return None
    scene = argv[0]
    ls = trajs[0].settings.landscape_obj
    if scene == "basins":
        return judge_basins(trajs, n, Land(ls, ls.domain))
    land = Land(ls, fitted_view([t.points for t in trajs], ls.domain))
    if scene == "compare":
        from scenes.words.terms import optimizer_name

        names = summary_names(trajs, n, optimizer_name)
        return judge_compare(trajs, n, names, land)
    return judge_custom(trajs, n, land)


def summary_names(trajs, n, optimizer_name: Callable[[str], str]) -> list[str]:
    """The names the summary uses: the narration's own short names where it keeps them."""
    return list(n.extras.get("short_names") or [optimizer_name(t.settings.optimizer) for t in trajs])


def judge_story(text: str) -> list[Finding] | None:
    from landscapes.storyfile import StoryFileError, loads
    from scenes.narration.filed import narrate_file

    try:
        record = loads(text)
    except (StoryFileError, SettingsError):
        return None
    trajs = record.trajectories()
    n = narrate_file(record, trajs)
    land = Land(trajs[0].settings.landscape_obj, record.bounds(trajs))
    out: list[Finding] = []
    beat = n.beats[-1]
    if beat.caption == "as asked":
        for spec in record.beats[-1].claims:
            k = record.ball_index(spec.ball)
            out += judge_story_claim(spec.name, land, trajs[k], f"ball {spec.ball}")
    else:
        for part in beat.caption.split("; "):
            k = next((i for i, nm in enumerate(n.names) if part.startswith(nm + ":")), None)
            if k is not None:
                out += judge_end_words(part, land, trajs[k], f"ball {k}")
    return out


def judge_story_claim(name: str, land: Land, t, who: str) -> list[Finding]:
    """A story file's claim that held, judged by the checker's own predicate."""
    w = land.width
    end = t.end
    low = land.lowest_minimum()
    ok = True
    if t.status in OFF_MAP and name not in ("off_the_map", "blew_up", "optimizer"):
        ok = False
    elif name == "lowest_minimum":
        ok = land.at_kind(end, "minimum") and t.values[-1] <= low + 1e-3 * max(1.0, abs(low))
    elif name == "local_minimum":
        ok = land.at_kind(end, "minimum") and t.values[-1] > low + 1e-4
    elif name == "maximum":
        ok = land.at_kind(end, "maximum")
    elif name == "near_saddle":
        ok = land.at_kind(end, "saddle")
    elif name == "still_moving":
        ok = t.status == "max_steps" and tail_path(t) >= STILL * w
    elif name == "crawling":
        ok = path_length(t) < CRAWL * w
    elif name == "off_the_map":
        ok = t.status in OFF_MAP
    elif name == "flat":
        ok = float(np.linalg.norm(fd_grad(land.ls, end[None], 1e-6 * w)[0])) < 0.0101
    elif name in ("escaped", "arrived", "stalled", "overshooting"):
        mins = [p for p in land.points if p.kind == "minimum"]
        if not mins:
            return [(name, f"{who}: no minimum in view")]
        m = min(mins, key=lambda p: p.f).at
        d0, d = np.linalg.norm(t.points[0] - m), np.linalg.norm(end - m)
        if name == "escaped":
            tail = t.points[-max(1, len(t.points) // 10) :]
            ok = all(land.same_basin(p, m) for p in tail)
        elif name == "arrived":
            ok = d <= 0.011 * d0 + 1e-6 * w
        elif name == "stalled":
            ds = np.linalg.norm(t.points - m, axis=1)
            ok = d > 0.09 * d0 and bool(np.all(ds <= d0 * (1 + 1e-6) + 1e-9))
        else:
            axis = len(m) - 1 if len(m) == 2 else 0  # the generator asks for overshooting(x2) on a plane
            xs = t.points[:, axis] - m[axis]
            ok = len(xs) >= 3 and bool(
                np.all(xs[1:] * xs[:-1] < 0) and np.all(np.abs(xs[1:]) > np.abs(xs[:-1]))
            )
    elif name == "optimizer":
        ok = t.settings.optimizer == "gd"
    elif name == "settles_first":
        mins = [p for p in land.points if p.kind == "minimum"]
        if not mins:
            return [(name, f"{who}: no minimum in view")]
        m = min(mins, key=lambda p: p.f).at

        def when(c: int) -> int:
            off = np.abs(t.points[:, c] - m[c])
            hit = np.flatnonzero(off <= 0.011 * off[0] + 1e-6)
            return int(hit[0]) if len(hit) else 10**9

        ok = when(1) <= when(0) and when(1) <= t.steps
    elif name == "blew_up":
        lo_hi = land.view
        ok = t.status == "diverged" or any(not lo <= v <= hi for v, (lo, hi) in zip(end, lo_hi, strict=False))
    if not ok:
        return [(name, f"{who}: ends at {np.round(end, 4).tolist()}, status {t.status}, {t.steps} steps")]
    return []


def example(kind: str, k: int) -> list[str] | str:
    """Example k of a kind: the same on every machine."""
    rng = np.random.default_rng([31, ["compare", "custom", "basins", "story"].index(kind), k])
    if kind == "compare":
        return compare_line(rng, 300 if FULL else 120)
    if kind == "custom":
        return custom_line(rng)
    if kind == "basins":
        return basins_line(rng)
    return story_text(rng)


def judge_example(kind: str, k: int) -> tuple[str, list[Finding] | None]:
    ex = example(kind, k)
    if kind == "story":
        return f"story #{k}", judge_story(ex)
    return "roll trajectory " + shlex.join(ex), judge_line(ex)


def sweep(counts: dict[str, int]) -> tuple[Counter, list[str], int]:
    """Every example of every kind: findings by (scene, claim), the reports, how many ran."""
    by: Counter = Counter()
    reports: list[str] = []
    ran = 0
    for kind, n in counts.items():
        for k in range(n):
            line, found = judge_example(kind, k)
            if found is None:
                continue
            ran += 1
            for claim, why in found:
                by[(kind, claim)] += 1
                reports.append(f"{line}\n    {claim}: {why}")
    return by, reports, ran


COUNTS = SWEEP if FULL else SUBSET


@pytest.mark.parametrize("kind", list(COUNTS))
def test_every_sentence_beyond_the_chapter_holds(kind: str) -> None:
    import torch

    torch.set_num_threads(1)
    by, reports, ran = sweep({kind: COUNTS[kind]})
    assert ran >= 0.8 * COUNTS[kind], f"only {ran} of {COUNTS[kind]} {kind} examples were accepted"
    assert not reports, f"{len(reports)} false sentences:\n" + "\n".join(reports[:20])


def test_the_checker_has_its_own_thresholds() -> None:
    """The checker's distance for "at a critical point" is its own, not the narration's."""
    from landscapes import claims

    assert NEAR != claims.NEAR


if __name__ == "__main__":
    import time

    import torch

    torch.set_num_threads(1)
    scale = int(sys.argv[1]) if len(sys.argv) > 1 else None
    counts = {k: scale or v for k, v in COUNTS.items()}
    t0 = time.time()
    by, reports, ran = sweep(counts)
    for r in reports:
        print(r)
    print(f"\n{ran} runs judged in {time.time() - t0:.0f} s; {len(reports)} false sentences")
    for (scene, claim), c in sorted(by.items()):
        print(f"  {scene:8} {claim:20} {c}")
