"""One record per optimizer of the book: its name, hyper-parameters, state, whether it has a
learning rate and takes noise, the rule as the README writes it, and its step.

Everything else reads these records: the settings' defaults and validation, the command
line's flags and `--help`, the words and symbols on screen, the JSON and CSV columns and the
README's table (`readme_table`, which a test holds the README to). Adding a rule of the book's
kind is one `Rule` here. Optimizers with torch.optim's interface are the other kind of record
(`landscapes/plugins.py`): their state is their own.

Each step is written as the book's code writes it, in the same order of operations, so the
book's printed numbers come out to the printed digit. numpy is the only import: `roll --help`
reads these records without torch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

ADAGRAD_EPS = RMSPROP_EPS = ADAM_EPS = 1e-6  # the book's epsilons
ADADELTA_EPS = 1e-5


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    """Mark a word for the catalogue without translating it here (the scenes translate it)."""
    return message


@dataclass(frozen=True)
class Hyper:
    """A hyper-parameter of a rule, under the book's name, which is also its flag (--beta).

    `field` is the Settings field that holds it (momentum's beta is the field `momentum`).
    Its range is [low, high) or, with `low_open`, (low, high).
    """

    flag: str
    field: str
    default: float
    symbol: str
    help: str
    low: float = 0.0
    high: float = 1.0
    low_open: bool = False

    @property
    def range_text(self) -> str:
        return f"{'(' if self.low_open else '['}{self.low:g}, {self.high:g})"

    def refusal(self, value: object) -> str | None:
        """None if the value is in range, else the one-line message naming the flag and a fix."""
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value)
        if ok:
            ok = (self.low < value if self.low_open else self.low <= value) and value < self.high
        if ok:
            return None
        return (
            f"--{self.flag} {value}: give a number in {self.range_text}, e.g. --{self.flag} {self.default:g}"
        )


# the values of a rule's own hyper-parameters, by Settings field (`momentum`, `gamma`, ...)
Values = Mapping[str, float]
# a step: (hyper-parameter values, point p, gradient g, state, learning rate, step index k) -> None,
# in place; it reads the values it needs and nothing else of the run's settings
Step = Callable[[Values, np.ndarray, np.ndarray, dict[str, np.ndarray], float, int], None]


@dataclass(frozen=True)
class Rule:
    """One of the book's update rules.

    `no_lr` and `no_noise` are the reasons (said on refusal) a rule has no learning rate or
    takes no gradient noise; empty where it has them. `hessian`: the step needs the Hessian
    (newton), so `step` is None and the runner solves with it.
    """

    name: str
    word: str
    formula: str
    hyper: tuple[Hyper, ...] = ()
    state: tuple[str, ...] = ()
    step: Step | None = None
    no_lr: str = ""
    no_noise: str = ""
    hessian: bool = False

    @property
    def has_lr(self) -> bool:
        return not self.no_lr

    @property
    def takes_noise(self) -> bool:
        return not self.no_noise

    def values(self, read: Callable[[str], float]) -> dict[str, float]:
        """Its own hyper-parameters' values by field, each read with `read(field)`."""
        return {h.field: read(h.field) for h in self.hyper}

    @property
    def flags(self) -> tuple[str, ...]:
        """The settings it takes, in the book's order: lr and schedule, its own, then noise."""
        own = tuple(h.flag for h in self.hyper)
        return (("lr", "schedule") if self.has_lr else ()) + own + (("noise",) if self.takes_noise else ())


def _gd(h: Values, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray], lr: float, k: int) -> None:
    p -= lr * g


def _momentum(
    h: Values, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray], lr: float, k: int
) -> None:
    v = state["v"]
    v[...] = h["momentum"] * v + g
    p -= lr * v


def _adagrad(
    h: Values, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray], lr: float, k: int
) -> None:
    st = state["s"]
    st += g * g
    p -= lr / np.sqrt(st + ADAGRAD_EPS) * g


def _rmsprop(
    h: Values, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray], lr: float, k: int
) -> None:
    st = state["s"]
    st[...] = h["gamma"] * st + (1 - h["gamma"]) * (g * g)
    p -= lr / np.sqrt(st + RMSPROP_EPS) * g


def _adadelta(
    h: Values, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray], lr: float, k: int
) -> None:
    st, delta = state["s"], state["delta"]
    st[...] = h["rho"] * st + (1 - h["rho"]) * (g * g)
    g2 = (np.sqrt(delta + ADADELTA_EPS) / np.sqrt(st + ADADELTA_EPS)) * g
    p -= g2
    delta[...] = h["rho"] * delta + (1 - h["rho"]) * g2 * g2


def _adam(h: Values, p: np.ndarray, g: np.ndarray, state: dict[str, np.ndarray], lr: float, k: int) -> None:
    v, st = state["v"], state["s"]
    v[...] = h["beta1"] * v + (1 - h["beta1"]) * g
    st[...] = h["beta2"] * st + (1 - h["beta2"]) * (g * g)
    t = k + 1  # the book's hyperparams['t'] starts at 1
    v_hat = v / (1 - h["beta1"] ** t)
    s_hat = st / (1 - h["beta2"] ** t)
    p -= lr * v_hat / (np.sqrt(s_hat) + ADAM_EPS)


BETA = Hyper("beta", "momentum", 0.9, "β", "momentum's beta")
GAMMA = Hyper("gamma", "gamma", 0.9, "γ", "rmsprop's gamma")
RHO = Hyper("rho", "rho", 0.9, "ρ", "adadelta's rho", low_open=True)
BETA1 = Hyper("beta1", "beta1", 0.9, "β1", "adam's beta1")
BETA2 = Hyper("beta2", "beta2", 0.999, "β2", "adam's beta2")

# the settings every rule with a learning rate (or with noise) shares: symbol and help
LR_SYMBOL, NOISE_SYMBOL = "η", "σ"

RULES: dict[str, Rule] = {
    r.name: r
    for r in (
        Rule(
            "gd",
            N_("gd"),
            "x ← x − η·g",
            step=_gd,
            no_noise="plain gradient descent (gd) has no noise; use --optimizer sgd",
        ),
        Rule("sgd", N_("sgd"), "x ← x − η·g, g with Gaussian noise of scale σ", step=_gd),
        Rule("momentum", N_("momentum"), "v ← β·v + g; x ← x − η·v", (BETA,), ("v",), _momentum),
        Rule("adagrad", N_("adagrad"), "s ← s + g²; x ← x − η/√(s + 10⁻⁶)·g", (), ("s",), _adagrad),
        Rule(
            "rmsprop",
            N_("rmsprop"),
            "s ← γ·s + (1−γ)·g²; x ← x − η/√(s + 10⁻⁶)·g",
            (GAMMA,),
            ("s",),
            _rmsprop,
        ),
        Rule(
            "adadelta",
            N_("adadelta"),
            "s ← ρ·s + (1−ρ)·g²; g′ ← √(Δx + 10⁻⁵)/√(s + 10⁻⁵)·g; x ← x − g′; Δx ← ρ·Δx + (1−ρ)·g′²",
            (RHO,),
            ("s", "delta"),
            _adadelta,
            no_lr="its step is sqrt(Δx + 1e-5)/sqrt(s + 1e-5)·g",
        ),
        Rule(
            "adam",
            N_("adam"),
            "v ← β1·v + (1−β1)·g; s ← β2·s + (1−β2)·g²; x ← x − η·v̂/(√ŝ + 10⁻⁶), "
            "v̂ = v/(1−β1ᵗ), ŝ = s/(1−β2ᵗ), t = 1, 2, …",
            (BETA1, BETA2),
            ("v", "s"),
            _adam,
        ),
        Rule(
            "newton",
            N_("newton"),
            "x ← x − η·H⁻¹g (1D: η·f′/f″), H by autograd, also where it is not positive",
            no_noise="newton takes the exact gradient and Hessian; drop --noise",
            hessian=True,
        ),
    )
}


def hypers() -> dict[str, Hyper]:
    """Every rule's own hyper-parameters by flag (a flag shared by rules is one hyper-parameter)."""
    out: dict[str, Hyper] = {}
    for rule in RULES.values():
        for h in rule.hyper:
            out.setdefault(h.flag, h)
    return out


def takers(flag: str) -> list[str]:
    """The rules that take a setting (lr, schedule, noise or a hyper-parameter's flag)."""
    return [r.name for r in RULES.values() if flag in r.flags]


def flag_help(flag: str) -> str:
    """`--beta`'s help: who takes it, its range and default, from the records."""
    h = hypers()[flag]
    others = [n for n in takers(flag) if not h.help.startswith(f"{n}'s")]
    who = "".join(f", {n}'s" for n in others)
    return f"{h.help}{who} in {h.range_text} (default {h.default:g})"


def readme_table() -> str:
    """The README's table of the book's rules, one row per record."""
    rows = ["| `--optimizer` | rule | flags, the book's names |", "|---|---|---|"]
    for r in RULES.values():
        flags = []
        if r.has_lr:
            flags += [f"`--lr` ({LR_SYMBOL})", "`--schedule`"]
        flags += [f"`--{h.flag}` ({h.symbol}, default {h.default:g})" for h in r.hyper]
        if r.takes_noise:
            flags.append(f"`--noise` ({NOISE_SYMBOL})")
        rows.append(f"| `{r.name}` | {r.formula} | {', '.join(flags)} |")
    return "\n".join(rows)
