"""The kit as parts (issue: StoryScene had 51 methods doing eight jobs): StoryScene keeps at
most 20 methods of its own and inherits none from the kit; each part builds what it is asked
for and returns it, and what it returns is what the scene shows."""

from __future__ import annotations

import inspect

import numpy as np
from conftest import render_scene

from scenes.kit.story import StoryScene


def _methods(cls: type) -> list[str]:
    return [n for n, v in vars(cls).items() if inspect.isfunction(v) or isinstance(v, property | classmethod)]


def test_story_scene_keeps_at_most_twenty_methods_and_inherits_none_from_the_kit():
    own = _methods(StoryScene) + [n for n, v in vars(StoryScene).items() if hasattr(v, "func")]
    assert len(own) <= 20, sorted(own)
    kit_bases = [b for b in StoryScene.__mro__[1:] if b.__module__.startswith("scenes.")]
    assert kit_bases == [], "no mixins: the parts are objects the scene holds"


def test_each_part_returns_what_the_scene_then_shows(tiny):
    scene = render_scene("momentum")
    # the plot built the plane the balls move on, and the scene shows it
    assert scene.plot.plane is not None and scene.plot.plane in scene.mobjects
    assert scene.plot.axes is scene.plot.plane.axes
    # each ball: its dot at its last point, its step arrow among the pointers the scene drew
    drawn = scene.get_mobject_family_members()
    for ball in scene.balls:
        assert ball.dot in drawn and ball.trail in drawn
    arrows = [p for p in scene.pointers.drawn if hasattr(p, "put")]
    assert len(arrows) >= len(scene.balls) and all(a in drawn for a in arrows)
    # the panel column: its title and readouts are on screen, its numbers live
    assert scene.column.title_mob in drawn and scene.column.panels
    assert all(p in drawn for p in scene.column.panels)
    assert all(num in scene.live for p in scene.column.panels for num, _feed in p.feeds)


def test_a_pointer_built_by_the_part_follows_its_ball(tiny):
    scene = render_scene("vanishing-gradient")
    (tangent,) = [p for p in scene.pointers.drawn if type(p).__name__ == "Tangent"]
    ball = scene.balls.of(scene.trajectories["flat"])
    assert np.allclose(tangent.get_center()[:2], ball.coords[-1][:2], atol=1e-6), "at the ball's last step"
