"""A scene's numbers: its balls' settings, by name, and their trajectories.

The records of the scenes (`scenes/catalog.py`) hold one `Story` each; a story file makes one
(`landscapes.storyfile`). `settings` is the story's main ball: `roll trajectory NAME` prints it
and the command-line overrides change it. `companions` are the other balls, each given as the
fields it changes from the (possibly overridden) main settings, so an override of the learning
rate reaches every ball of the scene. `names` names the balls, main first: a scene asks for a
ball by its name (`Balls`), never by its place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

from .settings import Settings

if TYPE_CHECKING:
    from .trajectory import Trajectory


class Balls(list["Trajectory"]):
    """A scene's trajectories in the story's order, each also reachable by its ball's name."""

    def __init__(self, names: Iterable[str], trajectories: Iterable[Trajectory]) -> None:
        super().__init__(trajectories)
        self.names = tuple(names)
        if len(self.names) != len(self) or len(set(self.names)) != len(self.names):
            raise ValueError(f"{len(self)} balls need as many distinct names, got {self.names}")

    @overload  # type: ignore[override]
    def __getitem__(self, key: str | int) -> Trajectory: ...
    @overload
    def __getitem__(self, key: slice) -> list[Trajectory]: ...
    def __getitem__(self, key: str | int | slice) -> Trajectory | list[Trajectory]:
        if isinstance(key, str):
            try:
                return super().__getitem__(self.names.index(key))
            except ValueError:
                raise KeyError(f"no ball named {key!r}; the balls are {', '.join(self.names)}") from None
        return super().__getitem__(key)


@dataclass(frozen=True)
class Story:
    name: str
    line: str
    settings: Settings
    companions: tuple[Mapping[str, Any], ...] = field(default=())
    options: Mapping[str, Any] = field(default_factory=dict)
    names: tuple[str, ...] = ()  # the balls' names, main first; () for a one-ball story: "ball"

    def ball_names(self, options: Mapping[str, Any] | None = None) -> tuple[str, ...]:
        """The names of the balls `balls` gives: a compare's are its optimizers, basins' numbered."""
        opts = {**self.options, **(options or {})}
        if "balls" in opts:
            return tuple(f"ball-{k}" for k in range(1, int(opts["balls"]) + 1))
        if "optimizers" in opts:
            return tuple(opts["optimizers"])
        if self.names:
            return self.names
        if self.companions:
            return ("main", *(f"ball-{k}" for k in range(2, len(self.companions) + 2)))
        return ("ball",)

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
    ) -> Balls:
        from .optimizers import run, run_batch

        main = settings or self.settings
        opts = {**self.options, **(options or {})}
        names = self.ball_names(options)
        if "balls" in opts:  # one batched run for all balls
            return Balls(names, run_batch(main, starts=self.starts(main, options)))
        if opts.get("tune"):  # a race: each ball at the rate tuned for this landscape and start
            from .tune import tuned_settings

            return Balls(names, [run(tuned_settings(s)) for s in self.balls(main, options)])
        return Balls(names, [run(s) for s in self.balls(main, options)])


BOOK_2D_START = (-5.0, -2.0)  # d2l.train_2d's x1, x2


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
