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
        if "optimizers" in opts:  # one ball per optimizer; gradient noise is sgd's alone
            return [
                main.override(optimizer=o, noise=main.noise if o == "sgd" else 0.0)
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
        if "balls" in {**self.options, **(options or {})}:
            return run_batch(main, starts=self.starts(main, options))  # one batched run for all balls
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
SCENES: dict[str, Story] = {**STORIES, **EXTRAS}
# where a ball starts on each chapter landscape when a scene is moved onto it (--landscape)
LANDSCAPE_STARTS: dict[str, tuple[float, ...]] = {
    "f": (-0.9,),
    "g": (0.45,),
    "cube": (1.5,),
    "saddle": (0.95, 0.002),
    "tanh": (4.0,),
}


def get_story(name: str) -> Story:
    try:
        return SCENES[name]
    except KeyError:
        raise SettingsError(f"unknown scene {name!r}; choose one of: {', '.join(SCENES)}") from None
