"""The bench's floor scenes: what manim itself costs to move one dot, in 2D and in 3D.

`roll bench` reports each scene's cost per frame against one of these, rendered in the same
run with the same frame count and size, so the ratio means the same on any machine.
"""

from __future__ import annotations

import numpy as np
from manim import DEGREES, Axes, Dot, Dot3D, Scene, Surface, ThreeDAxes, ThreeDScene, ValueTracker, linear

from scenes.kit.palette import palette


class Floor2D(Scene):
    """Static axes and a curve, one dot moving along it."""

    seconds = 1.0

    def construct(self) -> None:
        axes = Axes(x_range=[-1, 2, 0.5], y_range=[-2, 3, 1], x_length=9, y_length=5.3, tips=False)
        curve = axes.plot(lambda x: x * np.cos(np.pi * x), x_range=[-1, 2], color=palette().curve)
        t = ValueTracker(-1.0)
        dot = Dot(radius=0.13).add_updater(
            lambda m: m.move_to(axes.c2p(t.get_value(), t.get_value() * np.cos(np.pi * t.get_value())))
        )
        self.add(axes, curve, dot)
        self.play(t.animate.set_value(2.0), run_time=self.seconds, rate_func=linear)


class Floor3D(ThreeDScene):
    """A 16 x 16 surface drawn once under a still camera, one ball moving on it."""

    seconds = 1.0

    def construct(self) -> None:
        self.set_camera_orientation(phi=62 * DEGREES, theta=-38 * DEGREES)
        axes = ThreeDAxes(
            x_range=[-1, 1, 0.5],
            y_range=[-1, 1, 0.5],
            z_range=[-1, 1, 0.5],
            x_length=5.5,
            y_length=5.5,
            z_length=3.2,
            tips=False,
        )
        surface = Surface(
            lambda u, v: axes.c2p(u, v, u * u - v * v),
            u_range=[-1, 1],
            v_range=[-1, 1],
            resolution=(16, 16),
            fill_opacity=0.55,
        )
        t = ValueTracker(0.0)
        ball = Dot3D(radius=0.16, resolution=(8, 8)).add_updater(
            lambda m: m.move_to(axes.c2p(0.0, t.get_value(), -(t.get_value() ** 2)))
        )
        self.add(axes, surface, ball)
        self.play(t.animate.set_value(1.0), run_time=self.seconds, rate_func=linear)


def floor_class(three_d: bool, seconds: float) -> type:
    """A floor scene lasting `seconds`."""
    base = Floor3D if three_d else Floor2D
    return type(base.__name__, (base,), {"seconds": seconds})
