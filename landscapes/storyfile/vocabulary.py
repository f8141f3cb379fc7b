"""A story file's words: the keys each table takes, the views, sections, parts, points and
claims a file may name, and the syntax of a claim. Everything else in the package reads these."""

from __future__ import annotations

import re

from ..limits import NAME_CHARS
from ..names import OPTIMIZERS

# how a file draws its landscape; scenes/story_file.py has a class per view (StoryFileCurve, …)
VIEWS = ("curve", "plane", "surface")
REACH = 50.0  # a runaway ball is followed this far from its start when the view is fitted to the paths
# the book's sections, in its order: a file's `section` key (scenes.catalog titles them)
SECTIONS = ("intro", "gd", "sgd", "momentum", "adagrad", "rmsprop", "adam", "beyond")
TRANSLATIONS = ("zh",)  # the languages a file may give its words in, beside English
# step arrows, the tangent (curves), state bars, the arrow of −η·g alone (planes: what momentum adds)
SHOW = ("steps", "tangent", "bars", "gradient")
POINTS = ("lowest", "minimum", "maximum", "saddle")  # where a label at a critical point may go
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")  # a ball's: {adam.x}
SCENE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")  # a story's: it names the output files
SPEC = re.compile(r"[<>^]?[+\- ]?0?\d{0,2}(\.\d{1,2})?[eEfFgG%d]?\Z")
BALL_FIELDS = ("x", "y", "x1", "x2", "f", "g", "step", "steps", "status", "lr", "rate", "optimizer", "name")
INT_FIELDS = ("step", "steps", "seed")
STATE_FIELD = re.compile(r"([a-z_]+?)([12])")  # the optimizer's state per coordinate: v1, s2, delta1
STR_FIELDS = ("status", "optimizer", "name")
HYPER_FIELDS = ("beta", "gamma", "rho", "beta1", "beta2", "noise", "seed")
# the claims a beat may ask for (landscapes.claims); arguments in parentheses
CLAIMS = {
    "lowest_minimum": "ends at the lowest minimum in view",
    "local_minimum": "ends in a minimum that is not the lowest in view",
    "maximum": "ends balanced on a maximum",
    "near_saddle": "ends frozen at a saddle point",
    "still_moving": "the steps ran out while the ball was moving: its last 10 steps cover 0.1 % of the view",
    "crawling": "its whole path (every step counted) is shorter than 5 % of the view's width",
    "escaped": "1D: settles in the basin of the lowest minimum in view",
    "arrived": "ends within 1 % of its start's distance from the lowest minimum in view",
    "stalled": "ends over 10 % of its start's distance short of the lowest minimum, never farther out",
    "blew_up": "ended out of view along an axis: blew_up(x2); without one, any axis",
    "off_the_map": "diverged, left the domain, undefined or singular",
    "flat": "|gradient| below 0.01 where it ends",
    "overshooting": "every step jumps past the minimum's coordinate and lands farther: overshooting(x2)",
    "settles_first": "one coordinate settles before the other: settles_first(x2, x1)",
    "optimizer": "the ball's optimizer is the one named: optimizer(adam)",
}
TOP_KEYS = ("name", "title", "section", "theme", "lang", "view", "landscape", "model", "balls", "beats")
LANDSCAPE_KEYS = ("name", "expression", "domain", "window")
# a real model instead of a landscape (landscapes/network): what is trained on what, one seed for all
MODEL_KEYS = ("model", "data", "samples", "batch", "plane", "seed")
BALL_KEYS = (
    "name",
    "label",
    "optimizer",
    "lr",
    "schedule",
    "beta",
    "gamma",
    "rho",
    "beta1",
    "beta2",
    "start",
    "steps",
    "tol",
    "noise",
    "anneal",
    "seed",
    "show",
    "opt",
)
WHEN_KEYS = ("at", "stops", "enters")
BEAT_KEYS = (
    "caption", *TRANSLATIONS, *WHEN_KEYS, "claims", "show", "labels", "camera", "hold", "seconds", "warn",
    "zoom",
)  # fmt: skip
# a beat's camera on a surface: polar angle and azimuth in degrees, zoom relative to the view
# that shows the whole box (1); each with the range the scene can frame
CAMERA_KEYS = {"phi": (0.0, 85.0), "theta": (-360.0, 360.0), "zoom": (0.5, 2.0)}
ZOOM_KEYS = ("x", "y")
LABEL_KEYS = ("text", *TRANSLATIONS, "ball", "point")
ENTERS_KEYS = ("ball", "x", "y")


def parse_claim(text: str) -> tuple[str, tuple[str, ...]] | None:
    m = re.fullmatch(r"\s*([a-z_]+)\s*(?:\(([^()]*)\))?\s*", text)
    if not m:
        return None
    args = tuple(a.strip() for a in (m.group(2) or "").split(",") if a.strip())
    return m.group(1), args


def _claim_args(name: str, args: tuple[str, ...], dim: int) -> str | None:
    axes = ("x", "y") if dim == 2 else ("x",)
    alias = {"x1": "x", "x2": "y"}
    norm = tuple(alias.get(a, a) for a in args)
    if name == "optimizer":
        if len(args) != 1 or args[0] not in OPTIMIZERS:
            return f"name one optimizer: optimizer({OPTIMIZERS[0]})"
        return None
    if name == "settles_first":
        if dim != 2 or len(norm) != 2 or set(norm) != {"x", "y"}:
            return "on a plane, name both coordinates: settles_first(x2, x1)"
        return None
    if name in ("blew_up", "overshooting"):
        if len(norm) > 1 or any(a not in axes for a in norm):
            return f"name at most one coordinate of {', '.join(axes)}"
        return None
    if args:
        return f"{name} takes no arguments; write {name}"
    if name == "escaped" and dim != 1:
        return "escaped is judged on a curve (one variable)"
    return None


def axis_of(arg: str) -> int:
    return {"x": 0, "x1": 0, "y": 1, "x2": 1}[arg]


def name_refusal(name: str) -> str | None:
    """Why a story's name (its `name` key, else its file's stem) cannot name output files,
    pages' links and anchors (None if it can): a safe set of characters, a length limit."""
    if len(name) > NAME_CHARS:
        return f"{len(name)} characters; give at most {NAME_CHARS}"
    if not SCENE_NAME.match(name):
        return "letters, digits, - _ . only, starting with a letter or digit (it names the output files)"
    return None
