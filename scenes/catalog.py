"""One record per scene: its name, section, cost, classes, story line, balls by name, and the
scene options it accepts.

The command line asks a record what its scene accepts, a scene asks for a ball by name, the
tests iterate the records, and `roll list` and the README's table are printed from them. It
imports no manim (and no torch), so `roll list` and `roll --help` answer at once. A story file
(`landscapes.storyfile`) becomes one more record for the process that reads it (`register`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from landscapes.errors import SettingsError
from landscapes.network import STAND_IN
from landscapes.settings import Settings
from landscapes.stories import BOOK_2D_START, Story
from landscapes.storyfile.vocabulary import SECTIONS as SECTION_KEYS
from landscapes.storyfile.vocabulary import VIEWS
from scenes.words.i18n import N_

if TYPE_CHECKING:
    from landscapes.storyfile import StoryFile

# the sections' titles as decks head them, in the keys' order (the keys are the story files'
# vocabulary, declared once there; the words a deck shows belong to the scenes)
SECTIONS = dict(
    zip(
        SECTION_KEYS,
        (
            N_("Optimization and deep learning"),
            N_("Gradient descent"),
            N_("Stochastic gradient descent"),
            N_("Momentum"),
            N_("Adagrad"),
            N_("RMSProp"),
            N_("Adadelta and Adam"),
            N_("Beyond the chapter"),
        ),
        strict=True,
    )
)


# The scene options a record may accept, with the help its flag shows (`{scenes}` is filled in
# from the records that accept it). The settings flags (--lr, --start, …) every scene takes.
OPTIONS: dict[str, str] = {
    "optimizers": "{scenes}: a ball per optimizer, a list of the book's or any --optimizer name, "
    "e.g. gd,adam,adamw",
    "function": "{scenes}: an expression in x (and y), e.g. 'x*cos(0.15*pi*x)'",
    "landscape": "{scenes}: a landscape by name (roll trajectory --help lists them)",
    "balls": "{scenes}: how many balls (default 20)",
    "spread": "{scenes}: even (default) or random starts (random uses --seed)",
    "model": "{scenes}: logistic, linear, mlp:W or mlp:W1,W2 (ReLU hidden layers), e.g. mlp:16,16",
    "data": "{scenes}: moons, circles, spirals, linear or poly (seeded, drawn here)",
    "samples": "{scenes}: the training sample's size (the held-out sample is 2,000 fresh points)",
    "batch": "{scenes}: the minibatch size, at most the sample's (0: the whole sample)",
    "plane": "{scenes}: pca (the path's two main directions), random (filter-normalised) or line",
}
WHOLE = ("balls", "samples", "batch")  # the options whose values are whole numbers
RUN_FLAGS = ("function", "landscape")  # options that are settings flags too (declared with them)
# the options that describe a network (landscapes/network): checked together, by its own rules
NETWORK = ("model", "data", "samples", "batch", "plane")
NETWORK_STORY = "landscapes.network.story:NetworkStory"
HELD_OUT = "held-out"  # the ball that shows the held-out loss (landscapes.network.story.HELD_OUT)
# which landscapes --landscape may name, for a record that accepts it
EVERY, KNOWN_MINIMA = "every", "known-minima"


@dataclass(frozen=True)
class Scene:
    """A scene's record. `settings` is its main ball, called `main`; each companion is named
    and given as the fields it changes from the (possibly overridden) main settings, so an
    override of the learning rate reaches every ball of the scene."""

    name: str
    line: str  # the story line (title slides, `roll list`; translated: `make messages`)
    settings: Settings
    cls: str  # scenes/<module>.py's class
    section: str = "intro"
    main: str = "ball"
    companions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    options: Mapping[str, Any] = field(default_factory=dict)  # the story's own scene options
    accepts: tuple[str, ...] = ()  # of OPTIONS
    landscapes: str | tuple[str, ...] = EVERY  # what --landscape may name, if accepted
    needs: tuple[str, ...] = ()  # one of these options must be given (custom: a function)
    module: str = ""  # scenes/<module>.py (the name with underscores by default), or `pkg.module`
    plane_cls: str | None = None  # drawn instead when the landscape has two variables
    cost: float = 1.0  # render time relative to a 2D chapter scene (3D is about twice)
    plane_cost: float | None = None  # the plane class's, where it differs
    filed: bool = False  # read from a story file (landscapes.storyfile)
    story_class: str = ""  # `module:Class`, a Story of another kind (a network's), imported when asked
    # with a model flag (--model, --data, …) the scene rolls on a model: drawn as the record
    # `scene` draws it, with these `optimizers` as its balls (compare --model)
    on_model: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = [o for o in self.accepts if o not in OPTIONS]
        if unknown:
            raise ValueError(f"scene {self.name}: unknown options {unknown}; known: {list(OPTIONS)}")
        if self.section not in SECTIONS:
            raise ValueError(f"scene {self.name}: unknown section {self.section!r}")
        if self.main in self.companions:
            raise ValueError(f"scene {self.name}: two balls named {self.main!r}")
        if not self.module:
            object.__setattr__(self, "module", self.name.replace("-", "_"))

    @cached_property
    def story(self) -> Story:
        """The numbers' side of the record (landscapes.stories): its balls and trajectories."""
        cls = Story
        if self.story_class:
            module, _, attr = self.story_class.partition(":")
            cls = getattr(import_module(module), attr)
        return cls(
            self.name,
            self.line,
            self.settings,
            companions=tuple(self.companions.values()),
            options=self.options,
            names=(self.main, *self.companions),
        )

    @property
    def module_name(self) -> str:
        """The module to import: scenes/<module>.py, or a dotted name as given (`pkg.mod`)."""
        return self.module if "." in self.module else f"scenes.{self.module}"

    @property
    def path(self) -> str:
        """Its source file, for the project's own scenes."""
        return f"scenes/{self.module}.py"

    def takes(self, option: str) -> bool:
        return option in self.accepts

    def landscape_choices(self) -> tuple[str, ...]:
        """The landscapes --landscape may name here (none if the record does not accept it)."""
        from landscapes.functions import NAMED

        if not self.takes("landscape"):
            return ()
        if self.landscapes == EVERY:
            return tuple(NAMED)
        if self.landscapes == KNOWN_MINIMA:  # a race tunes against the known minima
            return tuple(n for n, ls in NAMED.items() if ls.minima)
        return tuple(self.landscapes)

    def class_name(self, settings: Settings | None = None) -> str:
        if settings is not None and self.plane_cls and settings.landscape_obj.dim == 2:
            return self.plane_cls
        return self.cls

    def cost_of(self, settings: Settings | None = None) -> float:
        """Relative render time: a 2D landscape drawn as a surface costs what 3D costs."""
        if self.plane_cost is not None and self.class_name(settings) == self.plane_cls:
            return self.plane_cost
        return self.cost


RECORDS: tuple[Scene, ...] = (
    # -- the chapter's first section: the stories of its figures
    Scene(
        "risk",
        "f (risk) and g (empirical risk): the same start settles at two different minima",
        Settings("g", (0.75,), lr=0.01, steps=200, domain=((0.5, 1.5),)),
        "RiskVsEmpiricalRisk",
        main="g",
        companions={"f": {"landscape": "f"}},
    ),
    Scene(
        "local-minimum",
        "f on [-1, 2]: one ball is stuck in the local minimum, one reaches the global one",
        Settings("f", (-0.9,), lr=0.05, steps=120),
        "LocalMinimum",
        main="left",
        companions={"right": {"start": (0.6,)}},
    ),
    Scene(
        "ripples",
        "g's ripples: plain gradient descent is caught, gradient noise jumps out to f's minimum",
        Settings("g", (0.45,), optimizer="sgd", lr=0.02, steps=300, noise=3.0, seed=0),
        "EscapingRipples",
        main="noisy",
        companions={"plain": {"optimizer": "gd"}},
    ),
    Scene(
        "cubic-saddle",
        "x³: the ball slows down and freezes at the saddle point 0, where f' = f'' = 0",
        Settings("cube", (1.5,), lr=0.1, steps=200),
        "CubicSaddle",
    ),
    Scene(
        "saddle-surface",
        "x² − y²: the ball rolls in along x, then slides off along y",
        Settings("saddle", (0.95, 0.002), lr=0.05, steps=200),
        "SaddleSurface",
        cost=2.0,
    ),
    Scene(
        "vanishing-gradient",
        "tanh from x = 4: f' ≈ 0.0013, the ball crawls while one from a steep start runs",
        Settings("tanh", (4.0,), lr=0.5, steps=60),
        "VanishingGradient",
        main="flat",
        companions={"steep": {"start": (0.5,)}},
    ),
    # -- the rest of the chapter (gd, sgd, momentum, adagrad, rmsprop, adadelta/adam sections): the
    # book's own toy runs, from the book's starts, for the book's number of steps (tol 0: no early
    # stop, so the arrays hold exactly the epochs the book prints). The numbers in the lines are
    # what the book prints and what these settings give (tests/test_book_numbers.py).
    Scene(
        "learning-rate",
        "x² from 10, 10 steps: η 0.05 crawls to 3.486784, 0.2 arrives at 0.060466, "
        "1.1 overshoots ever wider to 61.917364",
        Settings("square", (10.0,), lr=0.2, steps=10, tol=0.0),
        "LearningRate",
        section="gd",
        main="middle",
        companions={"small": {"lr": 0.05}, "large": {"lr": 1.1}},
    ),
    Scene(
        "overshoot",
        "x·cos(0.15πx) from 10, η 2: big steps jump past the near minimum into a poor one, x = -1.528166",
        Settings("xcos", (10.0,), lr=2.0, steps=10, tol=0.0),
        "Overshoot",
        section="gd",
    ),
    Scene(
        "gd-2d",
        "x1² + 2·x2² from (-5, -2), η 0.1, 20 steps: straight down the valley to (-0.057646, -0.000073)",
        Settings("bowl", BOOK_2D_START, lr=0.1, steps=20, tol=0.0),
        "GradientDescent2D",
        section="gd",
    ),
    Scene(
        "newton",
        "cosh(0.5x) from 10: Newton reaches 0 in 10 steps where gd (η 0.1) crawls; on "
        "x·cos(0.15πx) Newton with η 1 walks to a maximum (26.8341), η 0.5 to a minimum (7.2699)",
        Settings("cosh", (10.0,), optimizer="newton", lr=1.0, steps=10, tol=0.0),
        "NewtonsMethod",
        section="gd",
        main="newton",
        companions={
            "gd": {"optimizer": "gd", "lr": 0.1},
            "newton-xcos": {"landscape": "xcos"},
            "newton-xcos-half": {"landscape": "xcos", "lr": 0.5},
        },
    ),
    Scene(
        "sgd-schedules",
        "x1² + 2·x2², unit gradient noise, η 0.1, 50 steps: a constant rate keeps jittering; "
        "exponential decay freezes short of the minimum, polynomial decay settles near it",
        Settings("bowl", BOOK_2D_START, optimizer="sgd", lr=0.1, steps=50, noise=1.0, anneal=False, seed=0),
        "SGDSchedules",
        section="sgd",
        main="constant",
        companions={"exponential": {"schedule": "exponential"}, "polynomial": {"schedule": "polynomial"}},
    ),
    Scene(
        "ill-conditioned",
        "0.1·x1² + 2·x2² from (-5, -2): gd η 0.4 crawls along x1 to (-0.943467, -0.000073); "
        "η 0.6 blows up along x2 to (-0.387814, -1673.365109)",
        Settings("ill", BOOK_2D_START, lr=0.4, steps=20, tol=0.0),
        "IllConditioned",
        section="momentum",
        main="small-lr",
        companions={"large-lr": {"lr": 0.6}},
    ),
    Scene(
        "momentum",
        "0.1·x1² + 2·x2²: momentum η 0.6 β 0.5 arrives at (0.007188, 0.002553) where gd η 0.6 "
        "blew up; β 0.25 stops at (-0.126340, -0.186632)",
        Settings("ill", BOOK_2D_START, optimizer="momentum", lr=0.6, momentum=0.5, steps=20, tol=0.0),
        "Momentum",
        section="momentum",
        main="momentum",
        companions={"low-beta": {"beta": 0.25}, "gd": {"optimizer": "gd"}},
    ),
    Scene(
        "adagrad",
        "0.1·x1² + 2·x2²: adagrad η 0.4 slows as s grows, (-2.382563, -0.158591); "
        "η 2 arrives, (-0.002295, 0.000000)",
        Settings("ill", BOOK_2D_START, optimizer="adagrad", lr=0.4, steps=20, tol=0.0),
        "Adagrad",
        section="adagrad",
        main="small-lr",
        companions={"large-lr": {"lr": 2.0}},
    ),
    Scene(
        "rmsprop",
        "0.1·x1² + 2·x2², η 0.4, γ 0.9: the leaky average keeps the steps alive, (-0.010599, 0.000000), "
        "where adagrad's stall at -2.382563",
        Settings("ill", BOOK_2D_START, optimizer="rmsprop", lr=0.4, gamma=0.9, steps=20, tol=0.0),
        "RMSProp",
        section="rmsprop",
        main="rmsprop",
        companions={"adagrad": {"optimizer": "adagrad"}},
    ),
    Scene(
        "adam",
        "0.1·x1² + 2·x2², 50 steps: adam (η 0.4) strides in at η per coordinate; adadelta, "
        "with no learning rate, creeps; beside gd η 0.4 and momentum η 0.6 β 0.5",
        Settings("ill", BOOK_2D_START, optimizer="adam", lr=0.4, steps=50, tol=0.0),
        "AdadeltaAndAdam",
        section="adam",
        main="adam",
        companions={
            "adadelta": {"optimizer": "adadelta"},
            "gd": {"optimizer": "gd"},
            "momentum": {"optimizer": "momentum", "lr": 0.6, "beta": 0.5},
        },
    ),
    # -- beyond the chapter: the balls are named after their optimizers (compare, race), or
    # numbered (basins)
    Scene(
        "compare",
        "one landscape, one start, several optimizers side by side: who is caught, who escapes",
        Settings("g", (0.45,), optimizer="sgd", lr=0.02, steps=300, noise=3.0),
        "CompareOptimizers",
        section="beyond",
        options={"optimizers": ("gd", "sgd", "momentum", "adam")},
        accepts=("optimizers", "function", "landscape", *NETWORK),
        plane_cls="CompareOptimizersPlane",
        on_model={"scene": "network", "optimizers": ("gd", "momentum", "rmsprop", "adam")},
    ),
    Scene(
        "race",
        "a fair race: each optimizer's learning rate tuned for the landscape and start first, "
        "then one start for all; the order of arrival",
        Settings("rosenbrock", (-2.0, 2.0), lr=1e-3, steps=300),
        "Race",
        section="beyond",
        options={"optimizers": ("gd", "momentum", "rmsprop", "adam"), "tune": True},
        accepts=("optimizers", "landscape"),
        landscapes=KNOWN_MINIMA,
        module="compare",
    ),
    Scene(
        "basins",
        "many balls released at once: the minimum each one reaches colours its basin",
        Settings("f", (0.5,), lr=0.05, steps=200),
        "Basins",
        section="beyond",
        options={"balls": 20, "spread": "even"},
        accepts=("balls", "spread", "landscape"),
        landscapes=("f", "g"),
    ),
    # -- the chapter's first idea on a real model (landscapes/network): the settings hold the
    # optimizer (their landscape is a stand-in), the options what is trained on what
    Scene(
        "network",
        "a 2-16-16-1 MLP on two moons: the ball on the training loss over the plane of its path, "
        "both losses growing beside it",
        Settings(STAND_IN, (0.0, 0.0), optimizer="adam", lr=0.01, steps=300, tol=0.0),
        "NetworkLandscape",
        section="beyond",
        options={"model": "mlp:16,16", "data": "moons", "samples": 200, "batch": 32, "plane": "pca"},
        accepts=(*NETWORK, "optimizers"),
        story_class=NETWORK_STORY,
    ),
    Scene(
        "generalization",
        "empirical risk and risk side by side on one plane: 40 points, a wide MLP, the held-out "
        "loss turns up while the training loss falls",
        Settings(STAND_IN, (0.0, 0.0), optimizer="adam", lr=0.01, steps=400, tol=0.0),
        "Generalization",
        section="beyond",
        main="train",
        companions={HELD_OUT: {}},
        options={"model": "mlp:32,32", "data": "moons", "samples": 40, "batch": 0, "plane": "pca"},
        accepts=NETWORK,
        story_class=NETWORK_STORY,
    ),
    Scene(
        "interpolation",
        "both losses on the line from the initial to the final weights (Goodfellow et al.), "
        "the path's steps at their foot on it",
        Settings(STAND_IN, (0.0, 0.0), optimizer="adam", lr=0.01, steps=300, tol=0.0),
        "Interpolation",
        section="beyond",
        main="train",
        companions={HELD_OUT: {}},
        options={"model": "mlp:16,16", "data": "moons", "samples": 200, "batch": 32, "plane": "line"},
        accepts=("model", "data", "samples", "batch"),
        story_class=NETWORK_STORY,
    ),
    Scene(
        "custom",
        "your own function of x (or x and y): the ball's end point classified",
        Settings("custom", (2.0,), function="x*cos(0.15*pi*x)", domain=((-2.0, 12.0),), lr=0.1, steps=200),
        "CustomLandscape",
        section="beyond",
        accepts=("function", "landscape"),
        needs=("function", "landscape"),
        plane_cls="CustomSurface",
        plane_cost=2.0,
    ),
)

CATALOG: dict[str, Scene] = {}  # name -> record, the built-in ones in the book's order


def register(record: Scene) -> str:
    """Enter a record for this process (a story file's, a fixture's); forked render workers
    inherit it. A later record of the same name replaces the earlier one. Its name."""
    CATALOG[record.name] = record
    return record.name


def reset() -> None:
    """Forget every record but the built-in ones (a test's files, a notebook's)."""
    CATALOG.clear()
    for record in RECORDS:
        register(record)


reset()
CHAPTER = [r.name for r in RECORDS if r.section != "beyond"]


def entry(name: str) -> Scene:
    try:
        return CATALOG[name]
    except KeyError:
        known = [n for n, r in CATALOG.items() if not r.filed]
        raise SettingsError(f"unknown scene {name!r}; choose one of: {', '.join(known)}") from None


def get_story(name: str) -> Story:
    """The numbers of scene `name`: its balls' settings and trajectories."""
    return entry(name).story


def work_refusal(name: str, steps: int | None, options: Mapping[str, Any] | None = None) -> str | None:
    """Why a scene with these options asks for too much work (None if it does not), starting
    with the setting to change (`balls`, `optimizers`, `steps`): its balls (basins' balls,
    compare's optimizers) within limits.MAX_BALLS, balls × steps within limits.BALL_STEPS.
    The command line and the notebook both ask; a story file's reader has its own limits."""
    from landscapes.limits import MAX_BALLS, steps_refusal

    opts = dict(options or {})
    balls = opts.get("balls")
    if balls is not None and (
        isinstance(balls, bool) or not isinstance(balls, int) or not 1 <= balls <= MAX_BALLS
    ):
        return f"balls {balls!r}: give a whole number from 1 to {MAX_BALLS}"
    count = len(get_story(name).ball_names(opts))
    if count > MAX_BALLS:
        return f"optimizers: {count} balls; give at most {MAX_BALLS}"
    steps = steps if steps is not None else entry(name).settings.steps
    why = steps_refusal(count, steps)
    return None if why is None else f"steps {steps}: {why}"


ON_MODEL_LINE = N_(
    "several optimizers on one model, each with its own path, on one plane fitted to all their paths"
)


def on_model(name: str, given: Sequence[str]) -> str:
    """A scene that rolls on a model when a model flag is `given` (compare --model): entered
    for this process under its own name as the record its `on_model` names (that record's
    class, story and narration), with its optimizers as the balls. Its name."""
    record = entry(name)
    if not record.on_model or not given:
        return name
    base = entry(record.on_model["scene"])
    optimizers = tuple(record.on_model["optimizers"])
    return register(
        replace(
            base,
            name=record.name,
            line=ON_MODEL_LINE,
            section=record.section,
            options={**base.options, "optimizers": optimizers},
            accepts=(*NETWORK, "optimizers"),
            module=base.module,
        )
    )


def accepting(option: str) -> list[str]:
    """The built-in scenes that accept a scene option, in the book's order."""
    return [r.name for r in CATALOG.values() if option in r.accepts and not r.filed]


def option_help(option: str) -> str:
    return OPTIONS[option].format(scenes=", ".join(accepting(option)))


def chapter() -> list[str]:
    """The chapter's scenes (`--all`), in the book's order."""
    return [r.name for r in CATALOG.values() if r.section != "beyond" and not r.filed]


# scenes/story_file.py draws each view of a story file with a class named for it
FILE_CLASSES = {view: f"StoryFile{view.title()}" for view in VIEWS}
MODEL_FILE_CLASS = "StoryFileModel"  # a file with [model]: the training loss over a plane


def shadows_built_in(name: str, path: str) -> bool:
    """Whether a story file at `path` would take a built-in scene's name: every file but the
    built-in's own (scenes/stories/NAME.toml) is refused that."""
    built_in = CATALOG.get(name)
    if built_in is None or built_in.filed:
        return False
    own = Path(__file__).resolve().parent / "stories" / f"{name}.toml"
    return own != Path(path).resolve()


def register_file(record: StoryFile) -> str:
    """Enter a story file's record under its name (scenes/story_file.py draws it), for this
    process; the file's text goes in the record's options, which reach the scene. Its name."""
    story = record.story()
    model = record.model.to_dict() if record.model is not None else {}  # [model]: the net's fields
    return register(
        Scene(
            record.name,
            story.line,
            story.settings,
            MODEL_FILE_CLASS if model else FILE_CLASSES[record.view],
            section=record.section,
            main=story.names[0],
            companions=dict(zip(story.names[1:], story.companions, strict=True)),
            options={
                "story": record.text,
                "name": record.name,
                **({"trust_code": True} if record.trust_code else {}),
                **model,
            },
            module="story_file",
            cost=2.0 if record.view == "surface" else 1.0,
            filed=True,
            story_class=NETWORK_STORY if model else "",
        )
    )


def class_name(name: str, settings: Settings | None = None) -> str:
    return entry(name).class_name(settings)


def cost(name: str, settings: Settings | None = None) -> float:
    """Relative render time; a 2D landscape drawn as a surface costs what 3D costs."""
    return entry(name).cost_of(settings)


def scene_class(name: str, settings: Settings | None = None) -> type:
    """The scene class of a story (for 2D landscapes, its plane or surface version)."""
    e = entry(name)
    return getattr(import_module(e.module_name), e.class_name(settings))


def readme_table() -> str:
    """The README's table of scenes, from the records."""
    rows = ["| section | name | class | options | what the ball shows |", "|---|---|---|---|---|"]
    for r in CATALOG.values():
        if r.filed:
            continue
        cls = f"`{r.cls}`" + (f", `{r.plane_cls}` (2D)" if r.plane_cls else "")
        opts = " ".join(f"`--{o}`" for o in r.accepts) or "–"
        rows.append(f"| {r.section} | `{r.name}` | {cls} | {opts} | {r.line} |")
    return "\n".join(rows)
