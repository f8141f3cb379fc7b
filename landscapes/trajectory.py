"""What a run produced: the arrays a scene animates and the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .settings import Settings

# converged: gradient norm below tol; max_steps: every step taken; left_domain: stopped on
# the domain's edge; diverged: the next point is beyond 1e100, or its value, gradient or the
# optimizer's state overflows; undefined: the next point is outside where f is defined (NaN
# value or gradient at a finite point, e.g. sqrt of a negative number); singular: Newton's
# Hessian cannot be inverted at the last point
STATUSES = ("converged", "max_steps", "left_domain", "diverged", "undefined", "singular")


@dataclass(frozen=True)
class Trajectory:
    """points (n+1, d), values (n+1,), grads (n+1, d), float64, all finite.

    state: the optimizer's state under the book's names (momentum `v`; adagrad and rmsprop `s`;
    adadelta `s` and `delta`; adam `v` and `s`, not bias-corrected), each (n+1, d): row 0 is
    the initial zeros, row t the state after the update that produced points[t]. A plugged-in
    optimizer's: every tensor of the parameter's shape it keeps, its moments `exp_avg` as `v` and
    `exp_avg_sq` as `s` (plugins.BOOK_STATE), the others under their own names; zeros before
    the step that creates them.
    lrs (n+1,): lrs[t] is the learning rate of the step that leaves points[t] (for the last
    point, the rate the next step would use); adadelta, which has none, steps with 1.
    """

    points: np.ndarray
    values: np.ndarray
    grads: np.ndarray
    status: str
    settings: Settings
    state: dict[str, np.ndarray] = field(default_factory=dict)
    lrs: np.ndarray | None = None

    @property
    def steps(self) -> int:
        """Steps actually taken (n); may be fewer than settings.steps."""
        return len(self.points) - 1

    @property
    def end(self) -> np.ndarray:
        return self.points[-1]

    def gradient_steps(self) -> np.ndarray:
        """Where −η·g alone would take the ball from each point (the rate in force there): beside
        momentum's real step it shows what the velocity adds."""
        lrs = np.full(len(self.points), self.settings.lr) if self.lrs is None else np.asarray(self.lrs)
        return self.points - lrs[:, None] * self.grads

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: the arrays, `status`, the settings and the hyper-parameters in force."""
        ls = self.settings.landscape_obj
        return {
            "points": self.points.tolist(),
            "values": self.values.tolist(),
            "grads": self.grads.tolist(),
            "state": {name: arr.tolist() for name, arr in self.state.items()},
            "lrs": [] if self.lrs is None else self.lrs.tolist(),
            "status": self.status,
            "steps_taken": self.steps,
            "formula": ls.plain,
            "hyperparameters": self.settings.hyperparameters,
            **self.settings.to_dict(),
        }

    def to_csv(self) -> str:
        """A header, then a row per point; the hyper-parameters in force are constant columns
        named `hp_<book name>` at the end, so the header holds them and every CSV reader keeps
        line 1 as the header."""
        names = ["x", "y"][: self.points.shape[1]]
        hyper = self.settings.hyperparameters
        header = ["step", *names, "f", *(f"grad_{n}" for n in names)]
        header += [f"{s}_{n}" for s in self.state for n in names]
        header += ["lr"] if self.lrs is not None else []
        header += [f"hp_{k}" for k in hyper]
        constant = [_cell(v) for v in hyper.values()]
        rows = [",".join(header)]
        for t in range(len(self.points)):
            cells = [str(t), *map(repr, self.points[t].tolist()), repr(float(self.values[t]))]
            cells += list(map(repr, self.grads[t].tolist()))
            for arr in self.state.values():
                cells += list(map(repr, arr[t].tolist()))
            if self.lrs is not None:
                cells.append(repr(float(self.lrs[t])))
            rows.append(",".join(cells + constant))
        return "\n".join(rows) + "\n"


def _cell(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    text = repr(v) if isinstance(v, float) else str(v)
    if any(c in text for c in ',"\n'):  # a plugged-in optimizer's tuple, e.g. betas: quoted as CSV quotes
        return '"' + text.replace('"', '""') + '"'
    return text
