"""A network's run as the scenes and the command line take a run: a `Story` whose balls are
trajectories on a plane through the weights.

`NetworkStory.trajectories(settings, options)` trains the model (options: model, data,
samples, batch, plane), fits the plane to the path, projects every step and evaluates both
losses over the view's grid; each ball is a `NetTrajectory`: points are the steps' plane
coordinates, values one loss (training, or held-out for a ball named `held-out`), grads the
gradient's part in the plane. On the `line` plane a ball is 1-D: its step's foot on the line
(α) at the line's loss there; the run's own losses stay in the record. Runs are cached per
process (a scene and its narration share one).

The settings' landscape fields are a stand-in (`Settings` validates against a landscape);
the surface is the model's loss, so the JSON and CSV leave them out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from ..settings import Settings
from ..stories import Balls, Story
from ..trajectory import Trajectory
from .plane import Plane, plane_of, random_plane, signed
from .surface import Losses
from .train import Net, NetRun, train

if TYPE_CHECKING:
    from ..functions import Landscape

GRID = 61
GRID_MIN = 11
GRID_BUDGET = 8e9  # multiply-adds for both losses over the grid: a few seconds on one core


def grid_for(net: Net) -> int:
    """The grid's side: 61, or fewer for a model whose 3,721 evaluations on both samples would
    cost more than GRID_BUDGET multiply-adds (a wide model gets a coarser slice, not an hour)."""
    cost = (net.samples + net.fresh) * net.spec.count(net.d_in)
    return int(min(GRID, max(GRID_MIN, (GRID_BUDGET / cost) ** 0.5)))


PAD = 0.25  # the view reaches a quarter of the path's extent beyond it on every side
HELD_OUT = "held-out"  # a ball of this name shows the held-out loss
NET_OPTIONS = ("model", "data", "samples", "batch", "plane", "fresh")  # fresh and grid: tests' own


def net_of(options: Mapping[str, Any]) -> Net:
    """The Net the scene options describe (the record's defaults under the command line's)."""
    given = {k: options[k] for k in NET_OPTIONS if k in options}
    return Net(**given)


@dataclass(frozen=True)
class Slice:
    """Both losses over the view: xs (nx,), ys (ny,), train and test (ny, nx)."""

    xs: np.ndarray
    ys: np.ndarray
    train: np.ndarray
    test: np.ndarray


def view(coords: np.ndarray, pad: float = PAD, line: bool = False) -> tuple[tuple[float, float], ...]:
    """Bounds around the projected path; the line's α always spans [0, 1] and beyond."""
    lo, hi = coords.min(axis=0), coords.max(axis=0)
    if line:
        lo[0], hi[0] = min(lo[0], 0.0), max(hi[0], 1.0)
    span = np.maximum(hi - lo, 1e-3 * max(1.0, float(np.abs(coords).max())))
    return tuple((float(a - pad * s), float(b + pad * s)) for a, b, s in zip(lo, hi, span, strict=True))


@dataclass(frozen=True)
class NetRecord:
    """One run's numbers: the training record, its plane, the projected path and the slice."""

    run: NetRun
    plane: Plane
    coords: np.ndarray
    distance: np.ndarray
    bounds: tuple[tuple[float, float], ...]
    slice: Slice
    line: bool = False

    @cached_property
    def plane_grads(self) -> np.ndarray:
        """Each step's gradient in plane coordinates (its least-squares part in the plane)."""
        gram = self.plane.axes @ self.plane.axes.T
        return np.linalg.solve(gram, self.plane.axes @ self.run.grads.T).T

    @property
    def share(self) -> float:
        return self.plane.share(self.run.params)


_RECORDS: dict[tuple, NetRecord] = {}


def record(net: Net, s: Settings, grid: int = GRID) -> NetRecord:
    """Train, fit the plane, project, evaluate both losses on the grid (cached per process)."""
    return records(net, (s,), grid)[0]


def records(net: Net, many: tuple[Settings, ...], grid: int = GRID) -> tuple[NetRecord, ...]:
    """One record per optimizer's settings, all on one plane fitted to every path (several
    optimizers on one model: each path leaves that plane by its own distance)."""
    key = (net, many, grid)
    if key not in _RECORDS:
        runs = [train(net, s) for s in many]
        if len(runs) == 1:
            run = runs[0]
            plane = plane_of(net.plane, run.params, run.layout, many[0].seed)
        else:
            plane = joint_plane(net.plane, [r.params for r in runs], runs[0].layout, many[0].seed)
        coords = [plane.coords(r.params) for r in runs]
        line = net.plane == "line"
        bounds = view(np.concatenate(coords), line=line)
        xs = np.linspace(*bounds[0], grid)
        ys = np.array([0.0]) if line else np.linspace(*bounds[1], grid)
        first = runs[0]
        train_grid = Losses(first.layout, first.train).grid(plane, xs, ys)
        test_grid = Losses(first.layout, first.fresh).grid(plane, xs, ys)
        sl = Slice(xs, ys, train_grid, test_grid)
        out = tuple(
            NetRecord(r, plane, c, plane.distance(r.params), bounds, sl, line)
            for r, c in zip(runs, coords, strict=True)
        )
        if len(_RECORDS) > 8:  # a property test runs hundreds: keep the last few
            _RECORDS.pop(next(iter(_RECORDS)))
        _RECORDS[key] = out
    return _RECORDS[key]


def joint_plane(kind: str, paths: list[np.ndarray], layout: Any, seed: int) -> Plane:
    """One plane for several paths from the same initial weights: `pca` of all their points
    through the centre of their ends; `random` through the first path's end."""
    if kind == "random":
        return random_plane(paths[0], layout, seed)
    origin = np.mean([p[-1] for p in paths], axis=0)
    offsets = np.concatenate(paths) - origin
    _, _, vt = np.linalg.svd(offsets, full_matrices=False)
    return Plane("pca", origin, signed(vt[:2].copy(), offsets))


@dataclass(frozen=True)
class NetTrajectory(Trajectory):
    """A network's run as a trajectory on its plane; `net` is the record it was drawn from and
    `loss` which loss `values` holds (`train` or `test`)."""

    net: NetRecord | None = field(default=None, repr=False, compare=False)
    loss: str = "train"

    def to_dict(self) -> dict[str, Any]:
        rec = self.net
        s = self.settings.to_dict()
        for stand_in in ("landscape", "start", "function", "domain"):
            s.pop(stand_in, None)
        return {
            "points": self.points.tolist(),
            "values": self.values.tolist(),
            "grads": self.grads.tolist(),
            "state": {},
            "lrs": [] if self.lrs is None else self.lrs.tolist(),
            "status": self.status,
            "steps_taken": self.steps,
            "formula": formula(rec.run.net),
            "hyperparameters": self.settings.hyperparameters,
            **s,
            "network": {
                **rec.run.net.to_dict(),
                "parameters": rec.run.layout.size,
                "plane_share": rec.share,
                "view": [list(b) for b in rec.bounds],
            },
            "values_are": "held-out loss" if self.loss == "test" else "training loss",
            "train_loss": rec.run.train_loss.tolist(),
            "test_loss": rec.run.test_loss.tolist(),
            "grad_norm": rec.run.grad_norm.tolist(),
            "projection": rec.coords.tolist(),
            "distance": rec.distance.tolist(),
        }

    def to_csv(self) -> str:
        """A row per step: its plane coordinates, distance off the plane, both losses, the
        gradient's norm and the learning rate."""
        rec = self.net
        rows = ["step,a,b,distance,train_loss,test_loss,grad_norm,lr"]
        for t in range(len(rec.coords)):
            cells = [
                *rec.coords[t].tolist(),
                rec.distance[t],
                rec.run.train_loss[t],
                rec.run.test_loss[t],
                rec.run.grad_norm[t],
                rec.run.lrs[t],
            ]
            rows.append(",".join([str(t), *map(repr, map(float, cells))]))
        return "\n".join(rows) + "\n"


def formula(net: Net) -> str:
    """How the JSON names the surface: the loss of this model on this data."""
    kind = "log loss" if net.task == "classify" else "squared loss"
    return f"{kind} of {net.spec.text} on {net.samples} points of {net.data}"


class NetworkStory(Story):
    """A story whose balls roll on a network's loss over a plane (see the module's docstring)."""

    def trajectories(
        self, settings: Settings | None = None, options: Mapping[str, Any] | None = None
    ) -> Balls:
        s = settings or self.settings
        opts = {**self.options, **(options or {})}
        net = net_of(opts)
        grid = int(opts.get("grid", grid_for(net)))
        if "optimizers" in opts:  # a ball per optimizer, on one plane fitted to all their paths
            many = tuple(self.balls(s, options))
            names = tuple(opts["optimizers"])
            recs = records(net, many, grid)
            return Balls(
                names, [self._ball(rec, name, t) for rec, name, t in zip(recs, names, many, strict=True)]
            )
        names = self.names or ("ball",)
        if self.companions and HELD_OUT not in names:  # balls with their own settings (a story
            # file's): a record each, on one plane fitted to all their paths
            many = tuple(self.balls(s, options))
            recs = records(net, many, grid)
            return Balls(names, [self._ball(r, n, t) for r, n, t in zip(recs, names, many, strict=True)])
        rec = record(net, s, grid)
        return Balls(names, [self._ball(rec, name, s) for name in names])

    def _ball(self, rec: NetRecord, name: str, s: Settings) -> NetTrajectory:
        """The ball `name` of a record: the held-out loss for HELD_OUT, else the training loss."""
        test = name == HELD_OUT
        values = rec.run.test_loss if test else rec.run.train_loss
        if rec.line:  # the step's foot on the line, at the line's loss there
            data = rec.run.fresh if test else rec.run.train
            feet = np.stack([rec.coords[:, 0], np.zeros(len(rec.coords))], axis=1)
            values = Losses(rec.run.layout, data).on_plane(rec.plane, feet)
        points = rec.coords[:, :1] if rec.line else rec.coords
        grads = rec.plane_grads[:, :1] if rec.line else rec.plane_grads
        return NetTrajectory(
            points=points,
            values=values,
            grads=grads,
            status=rec.run.status,
            settings=s,
            lrs=rec.run.lrs,
            net=rec,
            loss="test" if test else "train",
        )


def slice_landscape(rec: NetRecord, loss: str) -> Landscape:
    """The slice as a landscape a plot can sample: on the line, the exact loss at any α; on a
    plane, the grid's values joined bilinearly (the contours of a 61×61 grid, not 14,400 more
    models; the numbers on screen come from the run itself)."""
    from ..functions import Landscape

    data = rec.run.fresh if loss == "test" else rec.run.train
    grid = rec.slice.test if loss == "test" else rec.slice.train
    name = "held-out loss" if loss == "test" else "training loss"
    if rec.line:
        losses = Losses(rec.run.layout, data)

        def along(p: torch.Tensor) -> torch.Tensor:
            a = p.detach().numpy().reshape(-1)
            return torch.as_tensor(losses.on_plane(rec.plane, np.stack([a, np.zeros_like(a)], axis=1)))

        return Landscape(name, 1, along, (rec.bounds[0],), r"L(\alpha)", f"{name} along the line")
    xs, ys = rec.slice.xs, rec.slice.ys

    def joined(p: torch.Tensor) -> torch.Tensor:
        q = p.detach().numpy()
        return torch.as_tensor(bilinear(xs, ys, grid, q[:, 0], q[:, 1]))

    return Landscape(name, 2, joined, rec.bounds, r"L(a, b)", f"{name} on the plane")


def bilinear(xs: np.ndarray, ys: np.ndarray, grid: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The grid's values (len(ys), len(xs)) joined bilinearly at points (x, y), clamped to it."""
    i = np.clip(np.searchsorted(xs, x) - 1, 0, len(xs) - 2)
    j = np.clip(np.searchsorted(ys, y) - 1, 0, len(ys) - 2)
    u = np.clip((x - xs[i]) / (xs[i + 1] - xs[i]), 0.0, 1.0)
    v = np.clip((y - ys[j]) / (ys[j + 1] - ys[j]), 0.0, 1.0)
    return (
        grid[j, i] * (1 - u) * (1 - v)
        + grid[j, i + 1] * u * (1 - v)
        + grid[j + 1, i] * (1 - u) * v
        + grid[j + 1, i + 1] * u * v
    )
