"""Optimizers with torch.optim's interface, as records beside the book's rules.

`--optimizer adamw` names torch.optim's own class by its lower-case name, `lion` one of
pytorch-optimizer's (kozistr's package), and `module:Class` any importable class, a user's
own included (`torch.optim:Adam` is torch's Adam, where the bare `adam` is the book's rule).
A record holds the class, where it comes from, its constructor's keywords with their
defaults, and what its step needs: a closure (LBFGS evaluates f itself) or a gradient with
its graph (second-order ones estimate the Hessian from it, `create_graph=True`).

Each ball gets its own float64 parameter and its own optimizer instance (`Stepper`); its state
is read after every step, under the book's names where it is the book's quantity
(`exp_avg` v, `exp_avg_sq` s, ...) and under its own otherwise.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import torch

from .errors import SettingsError
from .names import CLASS, MODULE, canonical_optimizer
from .rules import RULES

if TYPE_CHECKING:
    from .functions import Landscape


class Run(Protocol):
    """What of a run's settings a plugged-in optimizer reads (a `Settings` has these): named
    here, so this module never imports the settings that resolve it."""

    @property
    def optimizer(self) -> str: ...
    @property
    def lr(self) -> float: ...
    @property
    def schedule(self) -> str: ...
    @property
    def opt(self) -> tuple[tuple[str, Any], ...]: ...
    @property
    def noise(self) -> float: ...
    @property
    def anneal(self) -> bool: ...
    @property
    def seed(self) -> int: ...
    @property
    def start(self) -> tuple[float, ...]: ...


# a plugged-in optimizer's state under the book's names where it is the book's quantity
BOOK_STATE = {
    "exp_avg": "v",
    "exp_avg_sq": "s",
    "momentum_buffer": "v",
    "square_avg": "s",
    "sum": "s",
    "acc_delta": "delta",
}
TORCH_OPTIM = "torch.optim"
PYTORCH_OPTIMIZER = "pytorch_optimizer"

# What cannot roll here, by source:Class, found by rolling each one 20 steps on rosenbrock
# (tests/test_plugins.py rolls every other one, and each of these, and holds this table to
# what happens).
_MATRICES = "updates 2-D weight matrices only; a ball is a 1-D parameter"
_HYBRID = "a Muon hybrid: takes named parameter groups (use_muon) of weight matrices, not one parameter"
_MODEL = "takes a model (torch.nn.Module), not a parameter"
REFUSED: dict[str, str] = {
    "torch.optim:SparseAdam": "needs sparse gradients; a landscape's gradient is dense",
    "torch.optim:Muon": _MATRICES,
    "pytorch_optimizer:SpectralSphere": _MATRICES,
    "pytorch_optimizer:AdaGO": _HYBRID,
    "pytorch_optimizer:Muon": _HYBRID,
    "pytorch_optimizer:AdaMuon": _HYBRID,
    "pytorch_optimizer:DistributedMuon": _HYBRID,
    "pytorch_optimizer:MuonClip": _HYBRID,
    "pytorch_optimizer:NorMuon": _HYBRID,
    "pytorch_optimizer:AdaLOMO": _MODEL,
    "pytorch_optimizer:AdamMini": _MODEL,
    "pytorch_optimizer:LOMO": _MODEL,
    "pytorch_optimizer:DeMo": "needs the einops package, which is not installed",
    "pytorch_optimizer:FAdam": "computes in float32 only; a ball is float64",
    "pytorch_optimizer:BSAM": "its step fails on one parameter in pytorch-optimizer 4.1.0 (KeyError 's')",
    "pytorch_optimizer:Magma": "wraps another optimizer's instance (optimizer=), which --opt cannot give",
}


@dataclass(frozen=True)
class Plugin:
    """An optimizer class with torch.optim's interface, as `--optimizer` names it."""

    name: str
    cls: type
    source: str
    keywords: tuple[str, ...]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    closure: bool = False
    graph: bool = False
    required: tuple[str, ...] = ()  # keywords without a default: --opt must give them

    @property
    def word(self) -> str:
        """How the screen names it: the class's own name (AdamW, Lion)."""
        return self.cls.__name__

    @property
    def has_lr(self) -> bool:
        return "lr" in self.keywords

    @property
    def no_noise(self) -> str:
        if self.closure:
            return f"{self.word} evaluates f itself (a closure), so no noise reaches it; drop --noise"
        return ""

    def hyperparameters(self, s: Run) -> dict[str, Any]:
        """Those in force: the rate, then every keyword's default or the value given with --opt."""
        out: dict[str, Any] = {"optimizer": s.optimizer}
        if self.has_lr:
            out.update(lr=s.lr, schedule=s.schedule)
        given = dict(s.opt)
        for key in self.keywords:
            if key == "lr":
                continue
            if key in given:
                out[key] = given[key]
            elif key in self.defaults:
                out[key] = self.defaults[key]
        if s.noise > 0:
            out.update(noise=s.noise, anneal=s.anneal, seed=s.seed)
        return out

    def check(self, opt: tuple[tuple[str, Any], ...]) -> None:
        """Refuse a keyword the constructor does not name (a **kwargs would swallow it)."""
        for key, _ in opt:
            if key == "lr":
                raise SettingsError("--opt lr: give the learning rate as --lr")
            if key not in self.keywords:
                takes = ", ".join(k for k in self.keywords if k != "lr") or "nothing"
                raise SettingsError(f"--opt {key}: {self.word} has no keyword {key!r}; it takes {takes}")

    def trial(self, s: Run, ls: Landscape) -> None:
        """Build it and take one step from the start on a stand-in, as a run would: a keyword
        that only fails at the first step (betas=(), capturable=True) is refused before any run."""
        with torch.random.fork_rng(devices=[]):  # a random optimizer's draws stay the run's
            stepper = Stepper(self, s, ls, np.array([s.start], dtype=np.float64))
            stepper.step(0, np.zeros(ls.dim), s.lr, None)

    def build(self, param: torch.Tensor, s: Run) -> torch.optim.Optimizer:
        """One instance for one ball's parameter; a constructor's refusal is the user's mistake."""
        kwargs = dict(s.opt)
        missing = [k for k in self.required if k not in kwargs]
        if missing:
            need = ",".join(f"{k}=..." for k in missing)
            raise SettingsError(f"--opt: {self.word} needs {', '.join(missing)}; give --opt {need}")
        if self.has_lr:
            kwargs["lr"] = s.lr
        try:
            return self.cls([param], **kwargs)
        except Exception as exc:  # noqa: BLE001 - a constructor refuses its keywords in many ways
            shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
            why = " ".join(str(exc).split()) or type(exc).__name__
            raise SettingsError(f"--opt: {self.word}({shown}) refused: {why}") from None


def _literal(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_literal(v) for v in value)
    return value is None or isinstance(value, (bool, int, float, str))


def record(name: str, cls: type, source: str) -> Plugin:
    """The record of a class: its keywords and literal defaults, and what its step needs."""
    params = inspect.signature(cls.__init__).parameters
    keywords = tuple(
        k
        for k, p in params.items()
        if k not in ("self", "params") and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    )
    defaults = {
        k: tuple(p.default) if isinstance(p.default, list) else p.default
        for k, p in params.items()
        if k in keywords and p.default is not p.empty and _literal(p.default)
    }
    required = tuple(k for k in keywords if params[k].default is params[k].empty)
    step = inspect.signature(cls.step).parameters
    # LBFGS's closure has no default; pytorch-optimizer's AliG and BSAM refuse a missing one
    closure = "closure" in step and step["closure"].default is inspect.Parameter.empty
    closure = closure or "NoClosureError" in _source(cls.step)
    # pytorch-optimizer's second-order ones take an outside estimate as `hessian=` and
    # otherwise take it from the gradient's graph: loss.backward(create_graph=True)
    graph = "hessian" in step or "create_graph=True" in (cls.__doc__ or "")
    return Plugin(name, cls, source, keywords, defaults, closure, graph, required)


def _source(fn: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(fn)
    except (OSError, TypeError):
        return ""


@cache
def torch_optim() -> dict[str, type]:
    """torch.optim's optimizers by lower-case name."""
    out = {}
    for attr in sorted(dir(torch.optim)):
        obj = getattr(torch.optim, attr)
        if (
            isinstance(obj, type)
            and issubclass(obj, torch.optim.Optimizer)
            and obj is not torch.optim.Optimizer
        ):
            out[attr.lower()] = obj
    return out


@cache
def pytorch_optimizer() -> dict[str, type]:
    """pytorch-optimizer's registry by its lower-case names ({} where it is not installed)."""
    try:
        with warnings.catch_warnings():  # it says, as an ImportWarning, which extras are missing
            warnings.simplefilter("ignore", ImportWarning)
            import pytorch_optimizer as po
    except ImportError:
        return {}
    return {name: po.load_optimizer(name) for name in po.get_supported_optimizers()}


def refusal(plugin: Plugin) -> str:
    """Why a known optimizer cannot roll here ('' if it can)."""
    return REFUSED.get(f"{plugin.source}:{plugin.cls.__name__}", "")


def available() -> list[Plugin]:
    """Every optimizer class the two libraries have, once each: by its lower-case name where
    that reaches it (torch.optim's where the book has not the name, then pytorch-optimizer's
    where neither has), else as source:Class (torch.optim:Adam, pytorch_optimizer:AdaDelta)."""
    out: list[Plugin] = []
    seen = set(RULES)
    classes: set[type] = set()
    for source, table in ((TORCH_OPTIM, torch_optim()), (PYTORCH_OPTIMIZER, pytorch_optimizer())):
        for name, cls in table.items():
            if cls in classes:  # pytorch-optimizer hands out some of torch.optim's own
                continue
            classes.add(cls)
            bare = name not in seen
            seen.add(name)
            out.append(record(name if bare else f"{source}:{cls.__name__}", cls, source))
    return out


@cache
def resolve(name: str, flag: str = "--optimizer") -> Plugin:
    """The record `--optimizer NAME` means, or a one-line refusal naming the flag. A dotted
    path (`torch.optim.NAdam`, as Lightning's CLI and Hydra's `_target_` write it) means
    `module:Class` (`torch.optim:NAdam`)."""
    if canonical_optimizer(name) != name:
        return resolve(canonical_optimizer(name), flag)
    if ":" in name:
        module, _, attr = name.partition(":")
        if not (MODULE.match(module) and CLASS.match(attr)):  # refused before any import
            raise SettingsError(f"{flag} {name!r}: write module:Class in Python names, e.g. torch.optim:Adam")
        try:
            cls = getattr(importlib.import_module(module), attr)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - whatever the module's own code raises
            raise SettingsError(
                f"--optimizer {name!r}: cannot import {attr!r} from {module!r} ({exc})"
            ) from None
        if not (isinstance(cls, type) and issubclass(cls, torch.optim.Optimizer)):
            raise SettingsError(f"{flag} {name!r}: {attr} is not a torch.optim.Optimizer subclass")
        source = module
    else:
        key = name.lower()
        cls = torch_optim().get(key) or pytorch_optimizer().get(key)
        if cls is None:
            raise SettingsError(
                f"{flag} {name!r}: choose one of {', '.join(RULES)}, a torch.optim name (adamw, ...), "
                "a pytorch-optimizer name (lion, ...) or module:Class (roll list --optimizers)"
            )
        source = TORCH_OPTIM if key in torch_optim() else PYTORCH_OPTIMIZER
        name = key
    plugin = record(name, cls, source)
    why = refusal(plugin)
    if why:
        raise SettingsError(f"{flag} {name}: {cls.__name__} cannot roll here: {why}")
    return plugin


def outside_sources(names: Iterable[str]) -> dict[str, str | None]:
    """sha256 of the file each user's `module:Class` lives in (not torch.optim's nor
    pytorch-optimizer's, whose versions are known): what a cached result of it depends on.
    None where it cannot be read (then nothing is promised about it)."""
    out: dict[str, str | None] = {}
    for name in names:
        module = name.partition(":")[0]
        if ":" not in name or module.split(".")[0] in ("torch", PYTORCH_OPTIMIZER):
            continue
        try:
            path = inspect.getsourcefile(resolve(name).cls)
            out[name] = hashlib.sha256(Path(path).read_bytes()).hexdigest() if path else None
        except (OSError, TypeError, SettingsError):
            out[name] = None
    return out


def word(name: str) -> str:
    """How the screen names an optimizer that is not one of the book's rules."""
    return resolve(name).word


class Stepper:
    """One optimizer instance per ball, each on its own float64 parameter of shape (dim,)."""

    def __init__(self, plugin: Plugin, s: Run, ls: Landscape, start: np.ndarray) -> None:
        self.plugin, self.settings, self.fn = plugin, s, ls.fn
        self.params = [torch.tensor(row, dtype=torch.float64, requires_grad=True) for row in start]
        self.opts = [plugin.build(p, s) for p in self.params]
        self.names: dict[str, str] = {}  # the optimizer's state key -> the name it is recorded under

    def step(self, i: int, grad: np.ndarray, lr: float, noise: np.ndarray | None) -> np.ndarray:
        """Ball i's step from its gradient (plus the noise drawn for it): its new point. A step
        that raises (a user's class, a keyword that only fails at the first step) is refused in
        one line naming --optimizer, not an internal error."""
        try:
            return self._step(i, grad, lr, noise)
        except Exception as exc:  # noqa: BLE001 - a user's class, or a keyword its step refuses
            why = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            raise SettingsError(
                f"--optimizer {self.settings.optimizer}: {self.plugin.word}'s step failed ({why})"
            ) from None

    def _step(self, i: int, grad: np.ndarray, lr: float, noise: np.ndarray | None) -> np.ndarray:
        param, opt, plugin = self.params[i], self.opts[i], self.plugin
        if self.settings.schedule != "constant" and plugin.has_lr:
            for group in opt.param_groups:
                group["lr"] = lr
        if plugin.closure:
            opt.step(self._closure(param, opt))
        elif plugin.graph:  # the gradient with its graph, for a Hessian estimate from it
            (g,) = torch.autograd.grad(self.fn(param.unsqueeze(0)).sum(), param, create_graph=True)
            param.grad = g if noise is None else g + torch.from_numpy(noise)
            opt.step()
            param.grad = None  # the graph is not kept from one step to the next
        else:
            param.grad = torch.from_numpy(grad.copy())
            opt.step()
        return param.detach().numpy()

    def _closure(self, param: torch.Tensor, opt: torch.optim.Optimizer) -> Callable[[], torch.Tensor]:
        def closure() -> torch.Tensor:
            with torch.enable_grad():  # a step may run under no_grad (AliG's does)
                opt.zero_grad()
                value = self.fn(param.unsqueeze(0)).sum()
                value.backward()
            return value.detach()

        return closure

    def state(self, i: int) -> dict[str, np.ndarray]:
        """Ball i's optimizer state: every tensor of the parameter's shape, by recorded name."""
        out = {}
        shape = self.params[i].shape
        for key, value in self.opts[i].state[self.params[i]].items():
            if not (isinstance(value, torch.Tensor) and value.shape == shape and value.is_floating_point()):
                continue
            if key not in self.names:
                book = BOOK_STATE.get(key)
                taken = set(self.names.values())
                self.names[key] = book if book and book not in taken else key
            out[self.names[key]] = value.detach().to(torch.float64).numpy()  # AdaFactor keeps bf16 too
        return out
