"""One record per scene: its settings, read by the scene, the command line and the tests.

`settings` is the story's main ball: `roll trajectory NAME` prints it and the
command-line overrides change it. `companions` are the other balls of the scene, each
given as the fields it changes from the (possibly overridden) main settings, so an
override of the learning rate reaches every ball of the scene.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import SettingsError
from .settings import Settings

if TYPE_CHECKING:
    from .trajectory import Trajectory


@dataclass(frozen=True)
class Story:
    name: str
    line: str
    settings: Settings
    companions: tuple[Mapping[str, Any], ...] = field(default=())
    options: Mapping[str, Any] = field(default_factory=dict)

    def balls(
        self, settings: Settings | None = None, options: Mapping[str, Any] | None = None
    ) -> list[Settings]:
        """Settings of every ball in the scene, main ball first."""
        main = settings or self.settings
        opts = {**self.options, **(options or {})}
        if "optimizers" in opts:  # one ball per optimizer, each with the main ball's hyper-parameters;
            # gradient noise is sgd's alone, and --opt's keywords the plugged-in optimizers'
            from .rules import RULES

            opt = opts.get("opt", main.opt)  # --opt, as compare's and race's options carry it
            return [
                main.override(
                    optimizer=o, noise=main.noise if o == "sgd" else 0.0, opt=() if o in RULES else opt
                )
                for o in opts["optimizers"]
            ]
        return [main, *(main.override(**changes) for changes in self.companions)]

    def starts(self, settings: Settings, options: Mapping[str, Any] | None = None) -> list[tuple[float, ...]]:
        """For a many-ball story: `balls` starts, evenly spaced over the domain or seeded random."""
        opts = {**self.options, **(options or {})}
        n = int(opts["balls"])
        ((lo, hi),) = settings.landscape_obj.domain
        if opts.get("spread", "even") == "random":
            import numpy as np

            xs = np.sort(np.random.default_rng(settings.seed).uniform(lo, hi, n))
        else:
            step = (hi - lo) / n
            xs = [lo + step * (k + 0.5) for k in range(n)]
        return [(float(x),) for x in xs]

    def trajectories(
        self, settings: Settings | None = None, options: Mapping[str, Any] | None = None
    ) -> list[Trajectory]:
        from .optimizers import run, run_batch

        main = settings or self.settings
        opts = {**self.options, **(options or {})}
        if "balls" in opts:
            return run_batch(main, starts=self.starts(main, options))  # one batched run for all balls
        if opts.get("tune"):  # a race: each ball at the rate tuned for this landscape and start
            from .tune import tuned_settings

            return [run(tuned_settings(s)) for s in self.balls(main, options)]
        return [run(s) for s in self.balls(main, options)]


STORIES: dict[str, Story] = {
    s.name: s
    for s in (
        Story(
            "risk",
            "f (risk) and g (empirical risk): the same start settles at two different minima",
            Settings("g", (0.75,), lr=0.01, steps=200, domain=((0.5, 1.5),)),
            companions=({"landscape": "f"},),
        ),
        Story(
            "local-minimum",
            "f on [-1, 2]: one ball is stuck in the local minimum, one reaches the global one",
            Settings("f", (-0.9,), lr=0.05, steps=120),
            companions=({"start": (0.6,)},),
        ),
        Story(
            "ripples",
            "g's ripples: plain gradient descent is caught, gradient noise jumps out to f's minimum",
            Settings("g", (0.45,), optimizer="sgd", lr=0.02, steps=300, noise=3.0, seed=0),
            companions=({"optimizer": "gd"},),
        ),
        Story(
            "cubic-saddle",
            "x³: the ball slows down and freezes at the saddle point 0, where f' = f'' = 0",
            Settings("cube", (1.5,), lr=0.1, steps=200),
        ),
        Story(
            "saddle-surface",
            "x² − y²: the ball rolls in along x, then slides off along y",
            Settings("saddle", (0.95, 0.002), lr=0.05, steps=200),
        ),
        Story(
            "vanishing-gradient",
            "tanh from x = 4: f' ≈ 0.0013, the ball crawls while one from a steep start runs",
            Settings("tanh", (4.0,), lr=0.5, steps=60),
            companions=({"start": (0.5,)},),
        ),
    )
}


# The rest of the chapter (gd, sgd, momentum, adagrad, rmsprop, adadelta/adam sections): the
# book's own toy runs, from the book's starts, for the book's number of steps (tol 0: no early
# stop, so the arrays hold exactly the epochs the book prints). The numbers in the lines are
# what the book prints and what these settings give (tests/test_book_numbers.py).
BOOK_2D_START = (-5.0, -2.0)  # d2l.train_2d's x1, x2
REST_OF_CHAPTER: dict[str, Story] = {
    s.name: s
    for s in (
        Story(
            "learning-rate",
            "x² from 10, 10 steps: η 0.05 crawls to 3.486784, 0.2 arrives at 0.060466, "
            "1.1 overshoots ever wider to 61.917364",
            Settings("square", (10.0,), lr=0.2, steps=10, tol=0.0),
            companions=({"lr": 0.05}, {"lr": 1.1}),
        ),
        Story(
            "overshoot",
            "x·cos(0.15πx) from 10, η 2: big steps jump past the near minimum into a poor one, x = -1.528166",
            Settings("xcos", (10.0,), lr=2.0, steps=10, tol=0.0),
        ),
        Story(
            "gd-2d",
            "x1² + 2·x2² from (-5, -2), η 0.1, 20 steps: straight down the valley to (-0.057646, -0.000073)",
            Settings("bowl", BOOK_2D_START, lr=0.1, steps=20, tol=0.0),
        ),
        Story(
            "newton",
            "cosh(0.5x) from 10: Newton reaches 0 in 10 steps where gd (η 0.1) crawls; on "
            "x·cos(0.15πx) Newton with η 1 walks to a maximum (26.8341), η 0.5 to a minimum (7.2699)",
            Settings("cosh", (10.0,), optimizer="newton", lr=1.0, steps=10, tol=0.0),
            companions=(
                {"optimizer": "gd", "lr": 0.1},
                {"landscape": "xcos"},
                {"landscape": "xcos", "lr": 0.5},
            ),
        ),
        Story(
            "sgd-schedules",
            "x1² + 2·x2², unit gradient noise, η 0.1, 50 steps: a constant rate keeps jittering; "
            "exponential decay freezes short of the minimum, polynomial decay settles near it",
            Settings(
                "bowl",
                BOOK_2D_START,
                optimizer="sgd",
                lr=0.1,
                steps=50,
                noise=1.0,
                anneal=False,
                seed=0,
            ),
            companions=({"schedule": "exponential"}, {"schedule": "polynomial"}),
        ),
        Story(
            "ill-conditioned",
            "0.1·x1² + 2·x2² from (-5, -2): gd η 0.4 crawls along x1 to (-0.943467, -0.000073); "
            "η 0.6 blows up along x2 to (-0.387814, -1673.365109)",
            Settings("ill", BOOK_2D_START, lr=0.4, steps=20, tol=0.0),
            companions=({"lr": 0.6},),
        ),
        Story(
            "momentum",
            "0.1·x1² + 2·x2²: momentum η 0.6 β 0.5 arrives at (0.007188, 0.002553) where gd η 0.6 "
            "blew up; β 0.25 stops at (-0.126340, -0.186632)",
            Settings("ill", BOOK_2D_START, optimizer="momentum", lr=0.6, momentum=0.5, steps=20, tol=0.0),
            companions=({"beta": 0.25}, {"optimizer": "gd"}),
        ),
        Story(
            "adagrad",
            "0.1·x1² + 2·x2²: adagrad η 0.4 slows as s grows, (-2.382563, -0.158591); "
            "η 2 arrives, (-0.002295, 0.000000)",
            Settings("ill", BOOK_2D_START, optimizer="adagrad", lr=0.4, steps=20, tol=0.0),
            companions=({"lr": 2.0},),
        ),
        Story(
            "rmsprop",
            "0.1·x1² + 2·x2², η 0.4, γ 0.9: the leaky average keeps the steps alive, (-0.010599, 0.000000), "
            "where adagrad's stall at -2.382563",
            Settings("ill", BOOK_2D_START, optimizer="rmsprop", lr=0.4, gamma=0.9, steps=20, tol=0.0),
            companions=({"optimizer": "adagrad"},),
        ),
        Story(
            "adam",
            "0.1·x1² + 2·x2², 50 steps: adam (η 0.4) strides in at η per coordinate; adadelta, "
            "with no learning rate, creeps; beside gd η 0.4 and momentum η 0.6 β 0.5",
            Settings("ill", BOOK_2D_START, optimizer="adam", lr=0.4, steps=50, tol=0.0),
            companions=(
                {"optimizer": "adadelta"},
                {"optimizer": "gd"},
                {"optimizer": "momentum", "lr": 0.6, "beta": 0.5},
            ),
        ),
    )
}


EXTRAS: dict[str, Story] = {
    s.name: s
    for s in (
        Story(
            "compare",
            "one landscape, one start, several optimizers side by side: who is caught, who escapes",
            Settings("g", (0.45,), optimizer="sgd", lr=0.02, steps=300, noise=3.0),
            options={"optimizers": ("gd", "sgd", "momentum", "adam")},
        ),
        Story(
            "race",
            "a fair race: each optimizer's learning rate tuned for the landscape and start first, "
            "then one start for all; the order of arrival",
            Settings("rosenbrock", (-2.0, 2.0), lr=1e-3, steps=300),
            options={"optimizers": ("gd", "momentum", "rmsprop", "adam"), "tune": True},
        ),
        Story(
            "basins",
            "many balls released at once: the minimum each one reaches colours its basin",
            Settings("f", (0.5,), lr=0.05, steps=200),
            options={"balls": 20, "spread": "even"},
        ),
        Story(
            "custom",
            "your own function of x (or x and y): the ball's end point classified",
            Settings(
                "custom", (2.0,), function="x*cos(0.15*pi*x)", domain=((-2.0, 12.0),), lr=0.1, steps=200
            ),
        ),
    )
}
SCENES: dict[str, Story] = {**STORIES, **REST_OF_CHAPTER, **EXTRAS}
# where a ball starts on each chapter landscape when a scene is moved onto it (--landscape)
LANDSCAPE_STARTS: dict[str, tuple[float, ...]] = {
    "f": (-0.9,),
    "g": (0.45,),
    "cube": (1.5,),
    "saddle": (0.95, 0.002),
    "tanh": (4.0,),
    "square": (10.0,),
    "xcos": (10.0,),
    "cosh": (10.0,),
    "bowl": BOOK_2D_START,
    "ill": BOOK_2D_START,
    # the classic test functions: rosenbrock's and rastrigin's as pytorch-optimizer draws them
    "rosenbrock": (-2.0, 2.0),
    "rastrigin": (-2.0, 3.5),
    "himmelblau": (0.0, 0.0),
    "beale": (1.0, 1.5),
    "booth": (-8.0, 8.0),
    "camel": (-2.0, 2.0),
    "styblinski-tang": (4.0, 4.5),
    "ackley": (2.0, -3.5),
}


# story files named on the command line, by their names (landscapes.storyfile): they come first
FILED: dict[str, Story] = {}


def get_story(name: str) -> Story:
    if name in FILED:
        return FILED[name]
    try:
        return SCENES[name]
    except KeyError:
        raise SettingsError(f"unknown scene {name!r}; choose one of: {', '.join(SCENES)}") from None
