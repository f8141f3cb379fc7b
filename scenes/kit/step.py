"""The step made visible: an arrow from a ball to where it goes next, and the tangent at
the ball on a curve. Both are single paths re-pointed in place each frame (no new mobjects)."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import VMobject

HEAD = 0.24  # arrow head length in scene units


class StepArrow(VMobject):
    """Shaft and head in one path; its last point is the tip, so `get_end()` is where it points."""

    def __init__(self, color: Any, width: float = 4.0) -> None:
        super().__init__(stroke_color=color, stroke_width=width, fill_color=color, fill_opacity=1.0)
        self.tip = np.zeros(3)

    def put(self, start: np.ndarray, end: np.ndarray) -> StepArrow:
        start, end = np.asarray(start, dtype=float), np.asarray(end, dtype=float)
        d = end - start
        length = float(np.linalg.norm(d[:2]))
        self.tip = end
        if length < 1e-6:  # no step: nothing to point at
            self.clear_points()
            return self
        u = d / length
        n = np.array([-u[1], u[0], 0.0])
        head = min(HEAD, 0.45 * length)
        base = end - u * head
        self.set_points_as_corners([start, base])
        self.start_new_path(base + n * head * 0.55)
        self.add_points_as_corners([base - n * head * 0.55, end, base + n * head * 0.55])
        # end the path at the tip: the last corner is the tip again
        self.add_points_as_corners([end])
        return self

    def hide(self) -> StepArrow:
        self.clear_points()
        return self


class Tangent(VMobject):
    """A short straight line through the ball with the curve's slope there."""

    def __init__(self, color: Any, length: float = 1.8, width: float = 3.0) -> None:
        super().__init__(stroke_color=color, stroke_width=width)
        self.length = length

    def put(self, centre: np.ndarray, direction: np.ndarray) -> Tangent:
        """`direction` in scene units (dx, dy); the line is `length` long, centred on the ball."""
        d = np.array([direction[0], direction[1], 0.0], dtype=float)
        d /= max(float(np.linalg.norm(d)), 1e-12)
        half = d * self.length / 2
        self.set_points_as_corners([np.asarray(centre) - half, np.asarray(centre) + half])
        return self
