"""What the screen calls things: optimizers, their hyper-parameters, how a run ended, what
kind of point a ball stopped at. Every word passes through `_`, so a language changes them all."""

from __future__ import annotations

from landscapes import Landscape, Settings
from scenes.words.i18n import _

# Beyond this many balls the legend holds each ball's verdict under its name, and the closing
# caption keeps to one line: who got lowest and who was caught higher (compare), who arrived
# first (race); the rest is in the legend, where each name already says it. The layout
# (scenes.kit.layout) gives such a legend its room.
LEGEND_SAYS_THE_REST = 4


def status_words(status: str) -> str | None:
    """What the screen says about a run that ended off the map (None for a normal end)."""
    words = {
        "diverged": _("diverged: the learning rate is too large"),
        "left_domain": _("left the domain: stopped at its edge"),
        "undefined": _("left where f is defined: the next step has no value"),
        "singular": _("the Hessian is singular: Newton's step is undefined"),
    }
    return words.get(status)


def status_short(status: str) -> str:
    """A run's end in a few words, for a legend."""
    return {
        "diverged": _("diverged"),
        "left_domain": _("left the domain"),
        "undefined": _("left where f is defined"),
        "singular": _("singular Hessian"),
        "converged": _("converged"),
        "max_steps": _("still moving"),
    }.get(status, status)


def kind_words(kind: str) -> str:
    """A critical point's kind (landscapes.classify) as the screen says it."""
    return {
        "minimum": _("minimum"),
        "maximum": _("maximum"),
        "saddle": _("saddle"),
        "not critical": _("not critical"),
    }[kind]


def optimizer_label(s: Settings) -> str:
    """'sgd, noise 3' / 'gd' / 'adam': how the legend names a ball's optimizer."""
    if s.noise > 0:
        return _("{optimizer}, noise {noise:g}").format(optimizer=optimizer_name(s.optimizer), noise=s.noise)
    return optimizer_name(s.optimizer)


def symbol(key: str) -> str:
    """A hyper-parameter's symbol on screen, from the rules' records (a plugged-in optimizer's
    keyword is shown under its own name)."""
    from landscapes.rules import LR_SYMBOL, NOISE_SYMBOL, hypers

    shared = {"lr": LR_SYMBOL, "noise": NOISE_SYMBOL}
    return shared.get(key) or (hypers()[key].symbol if key in hypers() else key)


def schedule_name(name: str) -> str:
    return {
        "constant": _("constant η"),
        "exponential": _("exponential decay"),
        "polynomial": _("polynomial decay"),
    }.get(name, name)


def settings_label(s: Settings) -> str:
    """'momentum η=0.6 β=0.5': an optimizer and every hyper-parameter in force, the book's symbols."""
    parts = [optimizer_name(s.optimizer)]
    for key, value in s.shown_hyperparameters.items():
        if key in ("optimizer", "anneal", "seed"):
            continue
        if key == "schedule":
            if value != "constant":
                parts.append(schedule_name(value))
            continue
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        parts.append(f"{symbol(key)}={value:g}" if number else f"{symbol(key)}={value}")
    return " ".join(parts)


def coordinate_names(landscape: Landscape) -> list[tuple[str, str]]:
    """(tex, plain) of each coordinate: the book writes x1, x2 for its 2D examples."""
    if landscape.dim == 1:
        return [("x", "x")]
    if "x1" in landscape.plain:
        return [("x_1", "x₁"), ("x_2", "x₂")]
    return [("x", "x"), ("y", "y")]


def optimizer_name(name: str) -> str:
    """The book's short names (the rules' records; a language may spell them out); a
    plugged-in optimizer's class name (AdamW, Lion)."""
    from landscapes.plugins import word
    from landscapes.rules import RULES

    rule = RULES.get(name)
    return _(rule.word) if rule else word(name)


def stop_short(cause: str) -> str:
    """Why a ball stopped short of any critical point (landscapes.claims.frozen), for a legend."""
    return {
        "tol": _("stopped by --tol"),
        "schedule": _("frozen: η decayed"),
        "optimizer": _("stopped: the optimizer's own stop"),
        "plateau": _("stopped on a plateau"),
        "slope": _("frozen on a slope"),
    }[cause]
