"""What a caption may say about a network's run, as predicates on its records.

Thresholds, and why:
- ROSE: the held-out loss "rose after" its lowest step when it ends at least 2 % (relative)
  above that lowest value: less is the noise of a minibatch run.
- NEAR_PLANE: the path "stays near" the plane when its largest distance off the plane is at
  most 10 % of the path's length (the distance from the first to the last weights): beyond
  that the slice is not the path's landscape, and the screen says so.
- A minimum on the slice is a grid node; two minima are "not the same" when they are
  different nodes and each loss is higher at the other's minimum.
"""

from __future__ import annotations

import numpy as np

from ..claims import Claim

ROSE = 0.02
NEAR_PLANE = 0.10


def fell(train_loss: np.ndarray, ball: int | None = None) -> Claim:
    """The training loss ends below where it started."""
    start, end = float(train_loss[0]), float(train_loss[-1])
    return Claim("loss_fell", end < start, ball, {"start": start, "end": end, "steps": len(train_loss) - 1})


def overfit(test_loss: np.ndarray, ball: int | None = None, rose: float = ROSE) -> Claim:
    """The held-out loss is lowest at a step k before the last, and ends ≥ `rose` above it."""
    k = int(np.argmin(test_loss))
    low, end = float(test_loss[k]), float(test_loss[-1])
    ok = k < len(test_loss) - 1 and end >= low * (1 + rose)
    return Claim("overfitting", ok, ball, {"step": k, "lowest": low, "end": end, "rose": rose})


def lowest_step(test_loss: np.ndarray, ball: int | None = None) -> Claim:
    """Where the held-out loss is lowest (always holds: it says which step and how low)."""
    k = int(np.argmin(test_loss))
    return Claim("held_out_lowest", True, ball, {"step": k, "lowest": float(test_loss[k])})


def near_plane(params: np.ndarray, distance: np.ndarray, ball: int | None = None) -> Claim:
    """The path's largest distance off the plane is at most NEAR_PLANE of its length."""
    k = int(np.argmax(distance))
    length = float(np.linalg.norm(params[-1] - params[0]))
    d = float(distance[k])
    ok = d <= NEAR_PLANE * length
    ratio = d / length if length > 0 else 0.0
    values = {"distance": d, "step": k, "length": length, "ratio": ratio, "share": NEAR_PLANE}
    return Claim("near_plane", ok, ball, values)


def slice_minimum(xs: np.ndarray, ys: np.ndarray, grid: np.ndarray) -> tuple[float, float, float, int, int]:
    """The lowest grid node: (x, y, loss, column, row)."""
    row, col = np.unravel_index(int(np.nanargmin(grid)), grid.shape)
    return float(xs[col]), float(ys[row]), float(grid[row, col]), int(col), int(row)


def minima_apart(xs: np.ndarray, ys: np.ndarray, train: np.ndarray, test: np.ndarray) -> Claim:
    """The training loss's lowest node on the slice is not the held-out loss's: different nodes,
    and each loss is higher at the other's minimum."""
    tx, ty, tv, tc, tr = slice_minimum(xs, ys, train)
    hx, hy, hv, hc, hr = slice_minimum(xs, ys, test)
    ok = (tc, tr) != (hc, hr) and test[tr, tc] > hv and train[hr, hc] > tv
    return Claim(
        "minima_apart",
        bool(ok),
        None,
        {
            "train_at": (tx, ty),
            "train_min": tv,
            "test_at": (hx, hy),
            "test_min": hv,
            "test_at_train_min": float(test[tr, tc]),
            "train_at_test_min": float(train[hr, hc]),
        },
    )


def monotone(
    values: np.ndarray, ball: int | None = None, slack: float = 1e-9, at: np.ndarray | None = None
) -> Claim:
    """Falls all the way (no bump): each value at most the one before it (plus `slack`, relative).
    `at`: where each value is (α on a line), so the claim can say where the first rise is."""
    v = np.asarray(values, dtype=float)
    rises = np.flatnonzero(v[1:] > v[:-1] * (1 + slack) + slack)
    ok = len(rises) == 0
    first = int(rises[0]) + 1 if len(rises) else None
    values = {"first_rise": first, "first": float(v[0]), "last": float(v[-1])}
    if at is not None and first is not None:
        values["rise_at"] = float(np.asarray(at)[first])
    return Claim("monotone", ok, ball, values)
