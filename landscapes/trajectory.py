"""What a run produced: the arrays a scene animates and the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .settings import Settings

STATUSES = ("converged", "max_steps", "left_domain", "diverged")


@dataclass(frozen=True)
class Trajectory:
    """points (n+1, d), values (n+1,), grads (n+1, d), float64, all finite."""

    points: np.ndarray
    values: np.ndarray
    grads: np.ndarray
    status: str
    settings: Settings

    @property
    def steps(self) -> int:
        """Steps actually taken (n); may be fewer than settings.steps."""
        return len(self.points) - 1

    @property
    def end(self) -> np.ndarray:
        return self.points[-1]

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: `points`, `values`, `grads`, `status`, plus the settings."""
        ls = self.settings.landscape_obj
        return {
            "points": self.points.tolist(),
            "values": self.values.tolist(),
            "grads": self.grads.tolist(),
            "status": self.status,
            "steps_taken": self.steps,
            "formula": ls.plain,
            **self.settings.to_dict(),
        }

    def to_csv(self) -> str:
        names = ["x", "y"][: self.points.shape[1]]
        header = ["step", *names, "f", *(f"grad_{n}" for n in names)]
        rows = [",".join(header)]
        for t in range(len(self.points)):
            cells = [str(t), *map(repr, self.points[t].tolist()), repr(float(self.values[t]))]
            cells += list(map(repr, self.grads[t].tolist()))
            rows.append(",".join(cells))
        return "\n".join(rows) + "\n"
