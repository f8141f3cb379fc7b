"""Each story record tells the truth the scene claims."""

import numpy as np
import pytest

from landscapes import Settings, classify, endpoints, get_landscape, run, run_batch
from scenes.catalog import CATALOG, get_story

F_MIN, G_MIN, F_LOCAL = 1.0904, 1.0170, -0.2739


def test_the_first_sections_scenes_have_their_records():
    assert [n for n, r in CATALOG.items() if r.section == "intro"] == [
        "risk",
        "local-minimum",
        "ripples",
        "cubic-saddle",
        "saddle-surface",
        "vanishing-gradient",
    ]
    for record in CATALOG.values():
        record.settings.validate()


def test_risk_balls_settle_at_different_minima():
    g_ball, f_ball = get_story("risk").trajectories()
    assert g_ball.settings.landscape == "g" and f_ball.settings.landscape == "f"
    assert g_ball.end[0] == pytest.approx(G_MIN, abs=1e-3)
    assert f_ball.end[0] == pytest.approx(F_MIN, abs=1e-3)
    assert abs(g_ball.end[0] - f_ball.end[0]) > 0.05
    assert g_ball.points[0, 0] == f_ball.points[0, 0]


def test_local_minimum_story():
    f = get_landscape("f")
    local, best = get_story("local-minimum").trajectories()
    assert local.end[0] == pytest.approx(F_LOCAL, abs=1e-3)
    assert best.end[0] == pytest.approx(F_MIN, abs=1e-3)
    for tr in (local, best):
        c = classify(f, tr.end)
        assert c.kind == "minimum" and c.eigenvalues[0] > 0
        assert abs(tr.grads[-1, 0]) < 1e-6
    assert f.value(*best.end) < f.value(*local.end)


def test_ripples_noise_free_ball_is_caught_in_a_ripple():
    story = get_story("ripples")
    noisy, plain = story.trajectories()
    g = get_landscape("g")
    assert plain.settings.optimizer == "gd" and plain.settings.noise == 0
    c = classify(g, plain.end)
    assert c.kind == "minimum" and c.eigenvalues[0] > 0
    assert abs(plain.grads[-1, 0]) < 1e-6
    grid = np.linspace(-1, 2, 30001)[:, None]
    import torch

    best = float(g(torch.tensor(grid)).min())
    assert g.value(*plain.end) > best + 0.5, "caught well above g's best minimum"
    assert abs(plain.end[0] - F_MIN) > 0.3
    assert abs(noisy.end[0] - F_MIN) < 0.15, "the story's own noisy ball escapes"


def test_ripples_noise_escapes_for_at_least_95_percent_of_200_seeds(monkeypatch):
    import landscapes.optimizers as opt

    calls = []
    real = opt._roll
    monkeypatch.setattr(opt, "_roll", lambda *a: calls.append(a[2].shape) or real(*a))
    s = get_story("ripples").settings
    trs = run_batch(s, seeds=list(range(200)))
    assert calls == [(200, 1)], "one batched run, not a loop over balls"
    ends = endpoints(trs)[:, 0]
    assert np.mean(np.abs(ends - F_MIN) < 0.15) >= 0.95


def test_cubic_saddle_story_never_crosses_zero():
    tr = run(get_story("cubic-saddle").settings)
    assert np.all(tr.points[:, 0] > 0) and np.all(np.diff(tr.points[:, 0]) < 0)
    assert classify(get_landscape("cube"), [0.0]).kind == "saddle"


def test_saddle_surface_story_leaves_along_y():
    tr = run(get_story("saddle-surface").settings)
    assert tr.status == "left_domain"
    assert abs(tr.end[1]) == pytest.approx(1.0) and abs(tr.end[0]) < 0.01


def test_vanishing_gradient_story():
    crawl, steep = get_story("vanishing-gradient").trajectories()
    assert crawl.points[0, 0] == 4.0
    assert crawl.grads[0, 0] == pytest.approx(0.0013, abs=1e-4)
    assert abs(crawl.end[0] - 4.0) < 0.1 < 2.0 < abs(steep.end[0] - steep.points[0, 0])


def test_overrides_reach_every_ball():
    story = get_story("local-minimum")
    balls = story.balls(story.settings.override(lr=0.01))
    assert [b.lr for b in balls] == [0.01, 0.01]
    assert balls[1].start == (0.6,)


def test_the_gradient_step_is_minus_eta_g_from_each_point():
    """On x1² + 2·x2², −η·g from (x1, x2) lands at (x1(1 − 2η), x2(1 − 4η)): a closed form."""
    t = run(Settings("bowl", (-5.0, -2.0), lr=0.1, steps=5, tol=0.0))
    want = t.points * np.array([1 - 2 * 0.1, 1 - 4 * 0.1])
    np.testing.assert_allclose(t.gradient_steps(), want, rtol=1e-12)
