"""A real network's numbers: training recorded step by step as a plain torch loop trains,
the planes through parameter space, and both losses on a grid over a plane."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from landscapes.errors import SettingsError
from landscapes.network.data import DATA, samples
from landscapes.network.models import Layout, parse_model
from landscapes.network.plane import line_plane, pca_plane, random_plane
from landscapes.network.surface import Losses
from landscapes.network.train import Net, train
from landscapes.settings import Settings


def settings(**kw) -> Settings:
    base = {"optimizer": "gd", "lr": 0.1, "steps": 12, "tol": 0.0, "seed": 3}
    return Settings("bowl", (0.0, 0.0), **{**base, **kw})


def plain_loop(net: Net, s: Settings, update) -> np.ndarray:
    """The oracle: nn.Module, loss.backward(), `update(params, step)` under no_grad, a fresh
    randperm per epoch from a generator seeded with the seed; the flat weights per step."""
    train_set, _ = samples(net.data, net.samples, s.seed, net.fresh)
    model = parse_model(net.model).build(train_set.x.shape[1], s.seed)
    params = list(model.parameters())
    gen = torch.Generator().manual_seed(s.seed)
    n = len(train_set)
    batch = net.batch or n
    order, at = torch.empty(0, dtype=torch.long), 0
    out = []
    classify = train_set.task == "classify"
    for t in range(s.steps + 1):
        if batch == n:
            xb, yb = train_set.x, train_set.y
        else:
            if at >= len(order):
                order, at = torch.randperm(n, generator=gen), 0
            idx = order[at : at + batch]
            at += batch
            xb, yb = train_set.x[idx], train_set.y[idx]
        out.append(nn.utils.parameters_to_vector(params).detach().numpy().copy())
        if t == s.steps:
            break
        for p in params:
            p.grad = None
        pred = model(xb)
        loss = (
            nn.functional.binary_cross_entropy_with_logits(pred, yb)
            if classify
            else ((pred - yb) ** 2 / 2).mean()
        )
        loss.backward()
        with torch.no_grad():
            update(params, t)
    return np.stack(out)


def gd_update(lr):
    def update(params, t):
        for p in params:
            p -= lr * p.grad

    return update


def momentum_update(lr, beta, params_of):
    vs = {}

    def update(params, t):
        for p in params:
            v = vs.setdefault(id(p), torch.zeros_like(p))
            v.copy_(beta * v + p.grad)
            p -= lr * v

    return update


def adam_update(lr, b1, b2):
    """The book's adam per parameter, in numpy on each weight's memory (torch's `a - b` is not
    always numpy's to the last bit, and the book's rule is written with numpy's here)."""
    vs, ss = {}, {}

    def update(params, t):
        for p in params:
            w, g = p.numpy(), p.grad.numpy()
            v = vs.setdefault(id(p), np.zeros_like(w))
            s = ss.setdefault(id(p), np.zeros_like(w))
            v[...] = b1 * v + (1 - b1) * g
            s[...] = b2 * s + (1 - b2) * (g * g)
            w -= lr * (v / (1 - b1 ** (t + 1))) / (np.sqrt(s / (1 - b2 ** (t + 1))) + 1e-6)

    return update


@pytest.mark.parametrize(
    "net",
    [Net("mlp:16,16", "moons", 64, 0), Net("mlp:8", "spirals", 50, 16), Net("logistic", "circles", 40, 7)],
    ids=["full", "batch16", "logistic-batch7"],
)
def test_gd_records_what_a_plain_torch_loop_computes_bit_for_bit(net):
    s = settings(lr=0.3)
    run = train(net, s)
    expected = plain_loop(net, s, gd_update(0.3))
    assert run.params.shape == expected.shape
    assert np.array_equal(run.params, expected)


def test_momentum_and_adam_are_the_books_rules_on_every_weight_bit_for_bit():
    net = Net("mlp:16,16", "moons", 80, 20)
    s = settings(optimizer="momentum", lr=0.05, momentum=0.8)
    assert np.array_equal(train(net, s).params, plain_loop(net, s, momentum_update(0.05, 0.8, None)))
    s = settings(optimizer="adam", lr=0.01, beta1=0.85, beta2=0.99)
    assert np.array_equal(train(net, s).params, plain_loop(net, s, adam_update(0.01, 0.85, 0.99)))


@pytest.mark.parametrize("name, cls", [("adamw", torch.optim.AdamW), ("torch.optim:Adam", torch.optim.Adam)])
def test_a_torch_optimizer_on_the_flat_weights_matches_it_on_the_modules_weights(name, cls):
    net = Net("mlp:8,8", "moons", 60, 0)
    s = settings(optimizer=name, lr=0.02)
    holder = {}

    def update(params, t):
        if "opt" not in holder:
            holder["opt"] = cls(params, lr=0.02)
        with torch.enable_grad():
            holder["opt"].step()

    assert np.array_equal(train(net, s).params, plain_loop(net, s, update))


def test_the_records_are_the_losses_at_the_recorded_weights():
    net = Net("mlp:8", "moons", 50, 10)
    run = train(net, settings(optimizer="adam", lr=0.05, steps=20))
    model = parse_model("mlp:8").build(2, 3)
    for t in (0, 7, 20):
        nn.utils.vector_to_parameters(torch.as_tensor(run.params[t]), model.parameters())
        with torch.no_grad():
            for data, recorded in ((run.train, run.train_loss), (run.fresh, run.test_loss)):
                loss = nn.functional.binary_cross_entropy_with_logits(model(data.x), data.y)
                assert recorded[t] == pytest.approx(float(loss), abs=1e-13)
    assert run.lrs.tolist() == [0.05] * 21
    assert run.grad_norm.shape == (21,) and (run.grad_norm > 0).all()
    assert len(run.fresh) == 2000 and len(run.train) == 50


def test_sgd_noise_is_seeded_and_moves_the_weights():
    net = Net("mlp:8", "moons", 50, 0)
    a = train(net, settings(optimizer="sgd", lr=0.05, noise=0.5, steps=10))
    b = train(net, settings(optimizer="sgd", lr=0.05, noise=0.5, steps=10))
    c = train(net, settings(optimizer="gd", lr=0.05, steps=10))
    assert np.array_equal(a.params, b.params)
    assert not np.allclose(a.params, c.params)


def test_a_learning_rate_too_large_diverges_and_stops():
    run = train(Net("linear", "linear", 50, 0), settings(lr=50.0, steps=200))
    assert run.status == "diverged" and run.steps < 200


def test_the_data_sets_are_seeded_and_the_fresh_sample_is_another_draw():
    for name in DATA:
        tr, fresh = samples(name, 30, 5, 100)
        again, _ = samples(name, 30, 5, 100)
        assert torch.equal(tr.x, again.x) and torch.equal(tr.y, again.y)
        assert not torch.equal(tr.x, fresh.x[:30])
        assert tr.x.dtype == torch.float64 and tr.y.shape == (30, 1)
        if tr.task == "classify":
            assert set(tr.y.ravel().tolist()) <= {0.0, 1.0}


@pytest.mark.parametrize(
    "net, flag",
    [
        (Net("resnet"), "--model"),
        (Net("mlp:0,16"), "--model"),
        (Net("mlp:"), "--model"),
        (Net("mlp:1,2,3"), "--model"),
        (Net("mlp:400,400"), "--model"),  # 162,001 parameters
        (Net(data="mnist"), "--data"),
        (Net(samples=100, batch=101), "--batch"),
        (Net(batch=-1), "--batch"),
        (Net(samples=1), "--samples"),
        (Net(plane="hessian"), "--plane"),
        (Net("linear", "moons"), "--model"),
    ],
)
def test_bad_input_is_one_line_naming_the_flag(net, flag):
    with pytest.raises(SettingsError) as info:
        net.check()
    assert str(info.value).startswith(flag) and "\n" not in str(info.value)


def test_the_optimizers_own_settings_are_judged_as_everywhere():
    with pytest.raises(SettingsError, match="^--lr"):
        train(Net("mlp:4", samples=20), settings(lr=-1.0))
    with pytest.raises(SettingsError, match="^--optimizer"):
        train(Net("mlp:4", samples=20), settings(optimizer="nosuch"))


# ---- planes ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def run():
    return train(Net("mlp:16,16", "moons", 100, 20), settings(optimizer="adam", lr=0.02, steps=60))


def test_the_pca_plane_projects_as_numpys_svd_of_the_offsets_from_the_end(run):
    plane = pca_plane(run.params)
    offsets = run.params - run.params[-1]
    u, sv, vt = np.linalg.svd(offsets, full_matrices=False)
    expected = u[:, :2] * sv[:2]
    got = plane.coords(run.params)
    signs = np.sign((got * expected).sum(axis=0))
    np.testing.assert_allclose(got, expected * signs, atol=1e-9)
    rest = np.sqrt(((u[:, 2:] * sv[2:]) ** 2).sum(axis=1))
    np.testing.assert_allclose(plane.distance(run.params), rest, atol=1e-9)
    assert plane.share(run.params) == pytest.approx((sv[:2] ** 2).sum() / (sv**2).sum())
    assert np.allclose(plane.coords(run.params[-1:]), 0) and plane.distance(run.params[-1:])[0] < 1e-12


def test_a_filter_normalised_direction_has_each_filter_of_the_weights_norm(run):
    plane = random_plane(run.params, run.layout, seed=7)
    w = run.params[-1]
    for axis in plane.axes:
        for name, shape, a, b in zip(
            run.layout.names, run.layout.shapes, run.layout.offsets[:-1], run.layout.offsets[1:], strict=True
        ):
            d, ww = axis[a:b].reshape(shape[0], -1), w[a:b].reshape(shape[0], -1)
            if name.endswith("bias"):
                assert not d.any()
            else:
                np.testing.assert_allclose(np.linalg.norm(d, axis=1), np.linalg.norm(ww, axis=1), rtol=1e-12)
    assert not np.allclose(plane.axes[0], plane.axes[1])
    again = random_plane(run.params, run.layout, seed=7)
    assert np.array_equal(again.axes, plane.axes)


def test_the_line_plane_runs_from_the_initial_weights_at_0_to_the_final_ones_at_1(run):
    plane = line_plane(run.params)
    c = plane.coords(run.params[[0, -1]])
    np.testing.assert_allclose(c, [[0, 0], [1, 0]], atol=1e-10)
    assert np.linalg.norm(plane.axes[1]) == pytest.approx(np.linalg.norm(plane.axes[0]))
    assert abs(plane.axes[0] @ plane.axes[1]) < 1e-9 * np.linalg.norm(plane.axes[0]) ** 2


def model_loss(run, theta, data) -> float:
    model = parse_model(run.net.model).build(run.train.x.shape[1], 0)
    nn.utils.vector_to_parameters(torch.as_tensor(theta), model.parameters())
    with torch.no_grad():
        return float(nn.functional.binary_cross_entropy_with_logits(model(data.x), data.y))


def on_plane_steps(plane, params) -> np.ndarray:
    scale = np.abs(params).max()
    return np.flatnonzero(plane.distance(params) < 1e-12 * scale * np.sqrt(params.shape[1]))


@pytest.mark.parametrize("kind", ["pca-3-steps", "line", "random"])
def test_the_grid_equals_the_models_loss_at_the_origin_and_at_every_step_on_the_plane(kind):
    steps = 2 if kind.startswith("pca") else 30
    r = train(Net("mlp:16,16", "moons", 100, 25), settings(optimizer="adam", lr=0.05, steps=steps))
    plane = {
        "pca-3-steps": lambda: pca_plane(r.params),
        "line": lambda: line_plane(r.params),
        "random": lambda: random_plane(r.params, r.layout, 1),
    }[kind]()
    on = on_plane_steps(plane, r.params)
    assert len(on) == (3 if kind.startswith("pca") else 2 if kind == "line" else 1)
    coords = plane.coords(r.params[on])
    xs = np.concatenate([[0.0], coords[:, 0]])
    ys = np.concatenate([[0.0], coords[:, 1]])
    for data, recorded in ((r.train, r.train_loss), (r.fresh, r.test_loss)):
        grid = Losses(r.layout, data).grid(plane, xs, ys)
        assert abs(grid[0, 0] - model_loss(r, plane.origin, data)) < 1e-10
        for k, step in enumerate(on):
            assert abs(grid[k + 1, k + 1] - recorded[step]) < 1e-10
            assert abs(grid[k + 1, k + 1] - model_loss(r, r.params[step], data)) < 1e-10


def test_the_squared_loss_grid_for_the_books_linear_regression():
    r = train(Net("linear", "linear", 100, 0), settings(lr=0.3, steps=40))
    plane = line_plane(r.params)
    grid = Losses(r.layout, r.train).grid(plane, [0.0, 1.0], [0.0])
    assert grid[0, 0] == pytest.approx(r.train_loss[0], abs=1e-10)
    assert grid[0, 1] == pytest.approx(r.train_loss[-1], abs=1e-10)
    assert r.train_loss[-1] < 0.05 * r.train_loss[0]


def test_layout_views_share_the_flat_vector():
    model = parse_model("mlp:3").build(2, 0)
    layout = Layout(model)
    theta = layout.flat()
    assert layout.size == 3 * 2 + 3 + 3 + 1 == parse_model("mlp:3").count(2)
    views = layout.views(theta)
    views["0.weight"][0, 0] = 42.0
    assert theta[0] == 42.0


def test_several_optimizers_share_one_pca_plane_of_all_their_points():
    from landscapes.network.story import records

    net = Net("mlp:8", "moons", 40, 0, fresh=200)
    many = (settings(optimizer="gd", lr=0.2, steps=15), settings(optimizer="adam", lr=0.02, steps=15))
    recs = records(net, many, grid=5)
    assert recs[0].plane is recs[1].plane and recs[0].slice is recs[1].slice
    for rec, s in zip(recs, many, strict=True):  # each run is the run it would be alone
        assert np.array_equal(rec.run.params, train(net, s).params)
    stacked = np.concatenate([r.run.params for r in recs])
    origin = np.mean([r.run.params[-1] for r in recs], axis=0)
    u, sv, _ = np.linalg.svd(stacked - origin, full_matrices=False)
    expected = u[:, :2] * sv[:2]
    got = np.concatenate([r.coords for r in recs])
    signs = np.sign((got * expected).sum(axis=0))
    np.testing.assert_allclose(got, expected * signs, atol=1e-9)
    rest = np.sqrt(((u[:, 2:] * sv[2:]) ** 2).sum(axis=1))
    np.testing.assert_allclose(np.concatenate([r.distance for r in recs]), rest, atol=1e-9)
