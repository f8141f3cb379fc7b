"""A story file's [model] table: the balls train a real model (landscapes/network) instead of
rolling on a landscape; its loss is drawn on a plane through the weights."""

from __future__ import annotations

from typing import Any

from ..errors import SettingsError
from ..settings import Settings
from .faults import _unflag
from .fields import Fields
from .vocabulary import MODEL_KEYS


class ModelTable(Fields):
    """The reader's part that reads [model]; `net` is the checked Net, or None."""

    net: Any = None
    on_model = False  # the file has a [model] table (its faults aside)

    def model(self, v: Any) -> Settings | None:
        """[model]: what the balls train (model, data, the sample's and minibatch's sizes, the
        plane) and the one seed of the data, the initial weights and the batches; checked by
        the network's own rules. The settings' landscape is a stand-in (landscapes.network)."""
        from ..network import STAND_IN
        from ..network.train import Net

        path: tuple[str | int, ...] = ("model",)
        t = self.table(v, path)
        if t is None:
            return None
        self.keys(t, MODEL_KEYS, path)
        given: dict[str, Any] = {}
        for key in ("model", "data", "plane"):
            if key in t:
                value = self.string(t[key], (*path, key))
                if value is not None:
                    given[key] = value
            elif key != "plane":
                example = 'model = "mlp:16,16"' if key == "model" else 'data = "moons"'
                self.fault((*path, key), f"missing; give {example}")
        for key, low in (("samples", 2), ("batch", 0)):
            if key in t:
                value = self.number(t[key], (*path, key), low=low, whole=True)
                if value is not None:
                    given[key] = int(value)
        seed = 0
        if "seed" in t:
            value = self.number(t["seed"], (*path, "seed"), low=0, high=2**63 - 1, whole=True)
            seed = int(value) if value is not None else 0
        if len(given) < len([k for k in ("model", "data", "plane", "samples", "batch") if k in t]):
            return None  # a key's own fault is said once
        if "model" not in given or "data" not in given:
            return None
        try:
            self.net = Net(**given).check()
        except SettingsError as exc:
            text = str(exc)
            key = next((k for k in MODEL_KEYS if text.startswith(f"--{k} ")), "model")
            self.fault((*path, key), _unflag(text))
            return None
        return Settings(STAND_IN, (0.0, 0.0), seed=seed, tol=0.0)

    def model_ball(self, t: dict[str, Any], path: tuple[str | int, ...]) -> tuple[float, float]:
        """A ball on a model starts at its seeded initial weights: no start, seed or parts."""
        for key in ("start", "seed"):
            if key in t:
                self.fault(
                    (*path, key),
                    f"a ball on a model starts at its initial weights, seeded by [model]'s seed; drop {key}",
                )
        if "show" in t:
            self.fault((*path, "show"), "a ball on a model shows its path on the plane; drop show")
        return (0.0, 0.0)

    def model_run(self, s: Settings) -> None:
        """What the model allows a ball (Newton's Hessian, the steps' memory); raises
        SettingsError as the settings' own check does."""
        if self.net is not None:
            from ..network.train import check_steps

            self.net.check(s.optimizer)
            check_steps(self.net, s.steps)

    def model_beat(self, t: dict[str, Any], path: tuple[str | int, ...]) -> None:
        """A beat on a model says the run's numbers: no landscape claims, labels or parts yet."""
        if not self.on_model:
            return
        for key in ("claims", "labels", "show"):
            if key in t:
                self.fault(
                    (*path, key),
                    f"a story on a model has no {key} yet; say what the run shows with its numbers "
                    "({adam.f} is the ball's training loss)",
                )
