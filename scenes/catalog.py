"""Scene name -> where its class lives, its 2D variant, its relative cost and its section.

The stories' numbers live in `landscapes.stories`; this is the drawing side's index of
them. It imports no manim, so `roll list` answers at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from landscapes.settings import Settings
    from landscapes.storyfile import StoryFile


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    """Mark a sentence for extraction without translating it here (gettext's N_)."""
    return message


SECTIONS = {
    "intro": N_("Optimization and deep learning"),
    "gd": N_("Gradient descent"),
    "sgd": N_("Stochastic gradient descent"),
    "momentum": N_("Momentum"),
    "adagrad": N_("Adagrad"),
    "rmsprop": N_("RMSProp"),
    "adam": N_("Adadelta and Adam"),
    "beyond": N_("Beyond the chapter"),
}


@dataclass(frozen=True)
class Entry:
    name: str
    module: str  # scenes/<module>.py
    cls: str
    plane_cls: str | None = None  # drawn instead when the landscape has two variables
    cost: float = 1.0  # render time relative to a 2D chapter scene (3D is about twice)
    section: str = "intro"

    @property
    def path(self) -> str:
        return f"scenes/{self.module}.py"


CATALOG: dict[str, Entry] = {
    e.name: e
    for e in (
        Entry("risk", "risk", "RiskVsEmpiricalRisk"),
        Entry("local-minimum", "local_minimum", "LocalMinimum"),
        Entry("ripples", "ripples", "EscapingRipples"),
        Entry("cubic-saddle", "cubic_saddle", "CubicSaddle"),
        Entry("saddle-surface", "saddle_surface", "SaddleSurface", cost=2.0),
        Entry("vanishing-gradient", "vanishing_gradient", "VanishingGradient"),
        Entry("learning-rate", "learning_rate", "LearningRate", section="gd"),
        Entry("overshoot", "overshoot", "Overshoot", section="gd"),
        Entry("gd-2d", "gd_2d", "GradientDescent2D", section="gd"),
        Entry("newton", "newton", "NewtonsMethod", section="gd"),
        Entry("sgd-schedules", "sgd_schedules", "SGDSchedules", section="sgd"),
        Entry("ill-conditioned", "ill_conditioned", "IllConditioned", section="momentum"),
        Entry("momentum", "momentum", "Momentum", section="momentum"),
        Entry("adagrad", "adagrad", "Adagrad", section="adagrad"),
        Entry("rmsprop", "rmsprop", "RMSProp", section="rmsprop"),
        Entry("adam", "adam", "AdadeltaAndAdam", section="adam"),
        Entry("compare", "compare", "CompareOptimizers", "CompareOptimizersPlane", section="beyond"),
        Entry("race", "compare", "Race", section="beyond"),
        Entry("basins", "basins", "Basins", section="beyond"),
        Entry("custom", "custom", "CustomLandscape", "CustomSurface", section="beyond"),
    )
}
CHAPTER = [e.name for e in CATALOG.values() if e.section != "beyond"]
# story files named on the command line (scenes/story_file.py draws them): they come first
FILES: dict[str, Entry] = {}


def entry(name: str) -> Entry:
    from landscapes.errors import SettingsError

    if name in FILES:
        return FILES[name]
    try:
        return CATALOG[name]
    except KeyError:
        raise SettingsError(f"unknown scene {name!r}; choose one of: {', '.join(CATALOG)}") from None


FILE_CLASSES = {"curve": "StoryFileCurve", "plane": "StoryFilePlane", "surface": "StoryFileSurface"}


def register_file(record: StoryFile) -> str:
    """Enter a story file's record and entry under its name (scenes/story_file.py draws it), for
    this process; the file's text goes in the story's options, which reach the scene. Its name."""
    from dataclasses import replace

    from landscapes.stories import FILED

    FILED[record.name] = replace(record.story(), options={"story": record.text, "name": record.name})
    cost = 2.0 if record.view == "surface" else 1.0
    FILES[record.name] = Entry(
        record.name, "story_file", FILE_CLASSES[record.view], cost=cost, section=record.section
    )
    return record.name


def class_name(name: str, settings: Settings | None = None) -> str:
    e = entry(name)
    if settings is not None and e.plane_cls and settings.landscape_obj.dim == 2:
        return e.plane_cls
    return e.cls


def cost(name: str, settings: Settings | None = None) -> float:
    """Relative render time; a 2D landscape drawn as a surface costs what 3D costs."""
    e = entry(name)
    if class_name(name, settings) == "CustomSurface":
        return 2.0
    return e.cost


def scene_class(name: str, settings: Settings | None = None) -> type:
    """The scene class of a story (for 2D landscapes, its plane or surface version)."""
    e = entry(name)
    return getattr(import_module(f"scenes.{e.module}"), class_name(name, settings))
