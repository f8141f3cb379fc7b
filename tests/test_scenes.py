"""Scenes against their trajectories, rendered tiny (120 px high, 5 frames per second)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import render_scene
from manim import MathTex

from landscapes import run
from scenes.catalog import CATALOG, get_story, scene_class

# a scene's length: 20 s of story, and up to 2 s more where the view zooms in and out
LONGEST = 22.0


def _render(name, settings=None, cls=None):
    return render_scene(name, settings, cls=cls)


def _expected_end(scene, ball):
    tr = ball.traj
    if tr.points.shape[1] == 1:
        return scene.plot.axes.c2p(tr.points[-1, 0], tr.values[-1])
    # on a surface the ball sits on it: its centre its radius off the end point, along the normal
    from test_surface import expected_centre

    x, y, f = tr.points[-1, 0], tr.points[-1, 1], tr.values[-1]
    assert np.allclose(ball.coords[-1], scene.plot.axes.c2p(x, y, f)), "the trajectory's own end"
    return expected_centre(scene, float(x), float(y), ball.dot.radius)


@pytest.mark.parametrize("name", [n for n, r in CATALOG.items() if r.section == "intro"])
def test_scene_ends_exactly_on_its_trajectories(tiny, name):
    scene = _render(name)
    story = get_story(name)
    expected = story.trajectories()
    assert sorted(b.traj.settings.to_dict().__repr__() for b in scene.balls) == sorted(
        t.settings.to_dict().__repr__() for t in expected
    )
    for ball in scene.balls:
        tr = next(t for t in expected if t.settings == ball.traj.settings)
        assert np.array_equal(ball.traj.points, tr.points), "the scene draws the story's own numbers"
        np.testing.assert_allclose(ball.dot.get_center(), _expected_end(scene, ball), atol=1e-6)
    assert 8 <= scene.renderer.time <= LONGEST, f"each scene runs 8-{LONGEST:g} s"


CAPTIONS = {
    "risk": "they settle apart",
    "local-minimum": "stuck at x = -0.27",
    "ripples": "jumped out of the ripples",
    "cubic-saddle": "gradient ≈ 0: frozen at the saddle",
    "saddle-surface": "slides off along y",
    "vanishing-gradient": "the crawler moved",
}


@pytest.mark.parametrize("name", ["cubic-saddle", "ripples"])
def test_story_moment_captions(tiny, name):
    scene = _render(name)
    assert CAPTIONS[name] in scene.caption_text


def test_every_drawn_position_is_a_trajectory_point(tiny):
    cls = scene_class("ripples")
    seen: list[tuple[np.ndarray, np.ndarray]] = []

    class Recording(cls):
        def add_ball(self, traj, name, radius=0.13):
            ball = super().add_ball(traj, name, radius)
            # the points of the view shown then: the whole one, or the zoomed one (the dip)
            ball.dot.add_updater(lambda m: seen.append((m.get_center().copy(), ball.coords)))
            return ball

    _render("ripples", cls=Recording)
    assert len(seen) > 50
    for c, coords in seen:
        assert np.min(np.abs(coords - c).max(axis=1)) < 1e-9


def test_overrides_move_the_rendered_ball(tiny):
    story = get_story("local-minimum")
    settings = story.settings.override(lr=0.01, start=(-0.6,))
    scene = _render("local-minimum", settings)
    tr = run(settings)
    assert np.array_equal(scene.balls.main(scene.settings).traj.points, tr.points)
    np.testing.assert_allclose(
        scene.balls.main(scene.settings).dot.get_center(),
        scene.plot.axes.c2p(tr.end[0], tr.values[-1]),
        atol=1e-6,
    )
    default = run(story.settings)
    assert tr.points[0, 0] == -0.6 and tr.steps != default.steps, "the override made a new trajectory"


def test_seed_override_changes_the_noisy_ball(tiny):
    story = get_story("ripples")
    settings = story.settings.override(seed=5, steps=60)
    scene = _render("ripples", settings)
    tr = run(settings)
    assert scene.balls.main(scene.settings).traj.settings.seed == 5
    np.testing.assert_allclose(
        scene.balls.main(scene.settings).dot.get_center(),
        scene.plot.axes.c2p(tr.end[0], tr.values[-1]),
        atol=1e-6,
    )
    assert not np.array_equal(tr.points, run(story.settings.override(steps=60)).points)


def test_diverging_override_is_told_not_crashed(tiny):
    settings = get_story("cubic-saddle").settings.override(lr=3.0)
    scene = _render("cubic-saddle", settings)
    assert scene.balls[0].traj.status == "left_domain"
    assert "left the domain" in scene.caption_text


def test_one_sans_family_for_words_numbers_and_math(tiny):
    """x₂ is one glyph in a caption, a readout and an axis: no Computer Modern beside sans."""
    from manim import Text

    scene = _render("cubic-saddle")
    family = scene.get_mobject_family_members()
    assert not any(isinstance(m, MathTex) for m in family)
    fonts = {m.font for m in family if isinstance(m, Text)}
    assert fonts == {"DejaVu Sans"}, fonts
    np.testing.assert_allclose(
        scene.balls[0].dot.get_center(), _expected_end(scene, scene.balls[0]), atol=1e-6
    )


def test_live_number_formats_and_stays_in_place():
    from scenes.kit.numbers import LiveNumber

    n = LiveNumber(0.00134).place([3.0, 1.0, 0.0])
    assert n.text_of(0.00134) == "0.00134" and n.text_of(-0.00001) == "−1.00×10⁻⁵"
    assert n.text_of(-2.5e7) == "−2.50×10⁷", "a runaway stays readable"
    assert n.text_of(-1e-13) == "0", "no −0"
    assert n.get_right()[0] == pytest.approx(3.0, abs=1e-6)
    width = n.width
    n.set_value(-1.234567e-7)
    assert n.text_of(n.get_value()) == "−1.23×10⁻⁷"
    assert n.get_right()[0] == pytest.approx(3.0, abs=1e-6) and n.width > width
    assert n.get_value() == -1.234567e-7
    assert len(n.get_subpaths()) >= len("−123"), "one path, a subpath per glyph (or more)"
