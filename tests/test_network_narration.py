"""Every sentence of the network scenes is true of the run it describes.

Hypothesis draws settings within what `roll` accepts for these scenes (optimizer and rate,
model, data, sample, batch, plane, steps, seed); the narration (no manim) gives the beats. Each
claim a beat shows is then checked here from the model itself: losses recomputed with a plain
nn.Module at the recorded weights, distances from the plane by numpy's least squares, never by
calling the claim's own predicate; and every number in a caption must be a number of the run
or its settings, to its printed digits. Runs are small (a fresh sample of 300, an 11×11 grid) so
that a hundred settings per scene take seconds each, not minutes.
"""

from __future__ import annotations

import re

import numpy as np
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from landscapes.network.models import parse_model
from scenes.catalog import get_story
from scenes.narration.registry import narrate

EXAMPLES = int(__import__("os").environ.get("ROLL_EXAMPLES", 100))
FRESH, GRID = 300, 11
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?%?")

OPTIMIZERS = st.sampled_from(
    [
        ("gd", 0.05, 0.8),
        ("momentum", 0.02, 0.3),
        ("adam", 0.003, 0.1),
        ("rmsprop", 0.001, 0.05),
        ("adamw", 0.003, 0.1),
    ]
)


@st.composite
def runs(draw, plane_choice=True):
    name, lo, hi = draw(OPTIMIZERS)
    lr = draw(st.floats(lo, hi))
    data = draw(st.sampled_from(["moons", "circles", "spirals", "linear"]))
    model = draw(st.sampled_from(["mlp:4", "mlp:8,8", "mlp:16"]))
    if draw(st.booleans()):
        model = "logistic" if data != "linear" else "linear"
    samples = draw(st.integers(10, 80))
    batch = draw(st.sampled_from([0, 0, max(1, samples // 4), samples]))
    options = {"model": model, "data": data, "samples": samples, "batch": batch, "fresh": FRESH, "grid": GRID}
    if plane_choice:
        options["plane"] = draw(st.sampled_from(["pca", "random", "line"]))
        if options["plane"] != "line" and draw(st.booleans()):  # several optimizers, one plane
            pool = ["gd", "momentum", "adam", "adamw", "rmsprop"]
            options["optimizers"] = tuple(
                draw(st.lists(st.sampled_from(pool), min_size=2, max_size=3, unique=True))
            )
    changes = {
        "optimizer": name,
        "lr": lr,
        "steps": draw(st.integers(3, 80)),
        "seed": draw(st.integers(0, 50)),
    }
    return changes, options


def model_loss(rec, theta, data) -> float:
    net = rec.run.net
    model = parse_model(net.model).build(data.x.shape[1], 0)
    nn.utils.vector_to_parameters(torch.as_tensor(theta), model.parameters())
    with torch.no_grad():
        out = model(data.x)
        if data.task == "classify":
            return float(nn.functional.binary_cross_entropy_with_logits(out, data.y))
        return float(((out - data.y) ** 2 / 2).mean())


def off_plane(rec) -> np.ndarray:
    """Each step's distance from the plane, by numpy's least squares on the plane's axes."""
    a = rec.plane.axes.T
    off = rec.run.params - rec.plane.origin
    coef, *_ = np.linalg.lstsq(a, off.T, rcond=None)
    return np.linalg.norm(off.T - a @ coef, axis=0)


def check_claim(c, rec) -> None:
    run = rec.run
    v = c.values
    if c.name == "loss_fell":
        start, end = model_loss(rec, run.params[0], run.train), model_loss(rec, run.params[-1], run.train)
        assert abs(v["start"] - start) < 1e-9 and abs(v["end"] - end) < 1e-9
        assert c.holds == (end < start)
    elif c.name in ("overfitting", "held_out_lowest"):
        k = v["step"]
        assert abs(run.test_loss[k] - model_loss(rec, run.params[k], run.fresh)) < 1e-9
        assert run.test_loss[k] == run.test_loss.min()
        if c.name == "overfitting":
            rose = run.test_loss[-1] >= run.test_loss[k] * 1.02 and k < run.steps
            assert c.holds == rose
    elif c.name == "near_plane":
        d = v["distance"]
        length = float(np.linalg.norm(run.params[-1] - run.params[0]))
        if not rec.line:
            assert abs(d - off_plane(rec).max()) <= 1e-8 * max(1.0, length)
        assert c.holds == (d <= 0.1 * length)
    elif c.name == "minima_apart":
        sl = rec.slice
        for at, key, data, grid in (
            ("train_at", "train_min", run.train, sl.train),
            ("test_at", "test_min", run.fresh, sl.test),
        ):
            theta = rec.plane.point(np.array([v[at]]))[0]
            assert abs(model_loss(rec, theta, data) - v[key]) < 1e-9
            assert v[key] <= grid.min() + 1e-12
        if c.holds:
            assert tuple(v["train_at"]) != tuple(v["test_at"])
            assert v["test_at_train_min"] > v["test_min"] and v["train_at_test_min"] > v["train_min"]
    elif c.name == "monotone":
        xs = rec.slice.xs
        inside = xs[(xs >= 0) & (xs <= 1)]
        losses = [model_loss(rec, rec.plane.point(np.array([[a, 0.0]]))[0], run.train) for a in inside]
        assert c.holds == bool(np.all(np.diff(losses) <= 1e-9 * (1 + np.abs(losses[:-1]))))
        if not c.holds:  # where it says the first rise is, the loss is above the node before it
            k = int(np.flatnonzero(np.isclose(inside, v["rise_at"]))[0])
            assert k >= 1 and losses[k] > losses[k - 1]
    elif c.name == "held_out_short_of_end":
        xs = rec.slice.xs
        at_end = model_loss(
            rec, rec.plane.point(np.array([[xs[np.argmin(np.abs(xs - 1))], 0.0]]))[0], run.fresh
        )
        assert abs(at_end - v["at_end"]) < 1e-9
        lowest = model_loss(rec, rec.plane.point(np.array([[v["alpha"], 0.0]]))[0], run.fresh)
        assert abs(lowest - v["lowest"]) < 1e-9
        assert c.holds == (v["alpha"] < 1 - (xs[1] - xs[0]) / 2 and lowest < at_end)
    elif c.name in ("diverged", "singular"):
        assert run.status == c.name
    else:
        raise AssertionError(f"an unchecked claim: {c.name}")


def printed(value) -> set[str]:
    """The ways a caption prints a number of the run."""
    out = set()
    if isinstance(value, (list, tuple, np.ndarray)):
        for v in value:
            out |= printed(v)
        return out
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return out
    f = float(value)
    out |= {f"{f:.3g}", f"{f:.2f}", f"{f:g}", f"{f:.0%}".rstrip("%")}
    if f == int(f):
        out.add(str(int(f)))
    return out


def check_numbers(beat, trajs, rec) -> None:
    run = rec.run
    allowed = {"0", "1", "2"}  # "α = 0 … α = 1", "2 %": the sentences' own constants
    for c in beat.claims:
        for v in c.values.values():
            allowed |= printed(v)
    for v in (run.net.samples, run.net.fresh, run.net.batch, run.net.d_in, run.steps, len(trajs)):
        allowed |= printed(v)
    for v in run.net.spec.widths:
        allowed |= printed(v)
    for t in trajs:  # a ball's name is its optimizer and hyper-parameters
        for v in t.settings.hyperparameters.values():
            allowed |= printed(v) if not isinstance(v, str) else set()
        allowed |= {str(int(d)) for d in re.findall(r"\d+", t.settings.optimizer)}
    allowed |= {str(int(d)) for d in re.findall(r"\d+", run.net.model)}
    for number in NUMBER.findall(beat.caption):
        bare = number.rstrip("%")
        assert bare in allowed or bare.lstrip("-") in allowed, f"{number!r} in {beat.caption!r}"


def check_scene(name: str, changes, options) -> None:
    story = get_story(name)
    opts = {**options}
    if name == "interpolation":
        opts["plane"] = "line"
    trajs = story.trajectories(story.settings.override(**changes), opts)
    rec = trajs[0].net
    n = narrate(name, trajs, opts)
    last_at = 0
    for beat in n.beats:
        if beat.at is not None:  # rolled forward only: a caption quoting step k leaves before k passes
            assert beat.at >= last_at
            last_at = beat.at
        for c in beat.claims:
            check_claim(c, trajs[c.ball].net if c.ball is not None else rec)
        check_numbers(beat, trajs, rec)
        if beat.warn:
            assert any(not c.holds or c.name in ("diverged", "singular") for c in beat.claims)
    assert n.beats and "\n" not in "".join(n.captions)


SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(runs())
def test_every_network_sentence_holds(run):
    check_scene("network", *run)


@SETTINGS
@given(runs(plane_choice=False))
def test_every_generalization_sentence_holds(run):
    check_scene("generalization", *run)


@SETTINGS
@given(runs(plane_choice=False))
def test_every_interpolation_sentence_holds(run):
    check_scene("interpolation", *run)


def test_the_stories_own_runs_say_what_the_issue_promises():
    """With the records' settings: overfitting shows, the minima differ, the line has no bump."""
    for name, expected in (
        ("network", {"loss_fell", "overfitting"}),
        ("generalization", {"loss_fell", "overfitting", "minima_apart"}),
        ("interpolation", {"monotone", "held_out_short_of_end"}),
    ):
        story = get_story(name)
        n = narrate(name, story.trajectories())
        held = {c.name for b in n.beats for c in b.claims if c.holds}
        assert expected <= held, (name, held)
