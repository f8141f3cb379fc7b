"""The 3D camera of surface scenes: draws in layers (floor, mesh by depth, what lies on the
mesh), frames the box in the plot's region for any direction, and moves between poses.

A pose is (phi, theta, zoom) in degrees, zoom relative to the view that fits the whole box in
the plot's region (1: all of it). While the camera moves manim redraws every part each frame,
so moves are short and happen between rolls; between moves the mesh is drawn once per roll.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import cairo
import numpy as np
from manim import DEGREES, Mobject, ThreeDCamera, UpdateFromAlphaFunc, VMobject, smooth

DEFAULT_LAYER = {True: 1, False: 4}  # a shaded 3D face sorts with the mesh; other parts on top
MOVE_SECONDS = 1.6


class LayeredCamera(ThreeDCamera):
    """manim's 3D camera, drawing by layer first (`mob.layer`, scenes.kit.relief), then by depth
    among shaded faces; it turns about `pivot` (the box's middle) and puts it at `offset` in the
    frame (manim's frame centre would shift the words pinned to the frame too). A part that
    draws itself (`draw_on(camera, ctx)`: the mesh, a ball) is handed the cairo context."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pivot = np.zeros(3)
        self.offset = np.zeros(2)

    def project_points(self, points: np.ndarray) -> np.ndarray:
        rot = self.get_rotation_matrix()
        p = np.dot(np.asarray(points, dtype=float) - self.pivot, rot.T)
        focal = self.get_focal_distance()
        factor = focal / np.maximum(focal - p[:, 2], 1e-6) * self.get_zoom()
        p[:, 0] = p[:, 0] * factor + self.offset[0]
        p[:, 1] = p[:, 1] * factor + self.offset[1]
        return p

    def scale_at(self, point: np.ndarray) -> float:
        """Frame units per scene unit at a point (perspective and zoom)."""
        z = float(np.dot(np.asarray(point, dtype=float) - self.pivot, self.get_rotation_matrix()[2]))
        focal = self.get_focal_distance()
        return focal / max(focal - z, 1e-6) * self.get_zoom()

    def display_vectorized(self, vmobject: VMobject, ctx: cairo.Context) -> Any:
        draw = getattr(vmobject, "draw_on", None)
        if draw is not None:
            draw(self, ctx)
            return self
        return super().display_vectorized(vmobject, ctx)

    def get_mobjects_to_display(self, *args: Any, **kwargs: Any) -> list[Mobject]:
        mobjects = super(ThreeDCamera, self).get_mobjects_to_display(*args, **kwargs)
        rot = self.get_rotation_matrix()

        def key(mob: Mobject) -> tuple[int, float]:
            shaded = bool(getattr(mob, "shade_in_3d", False))
            layer = getattr(mob, "layer", DEFAULT_LAYER[shaded])
            depth = float(np.dot(mob.get_z_index_reference_point(), rot.T)[2]) if shaded else np.inf
            return (layer, depth)

        return sorted(mobjects, key=key)


@dataclass(frozen=True)
class Pose:
    """Where the camera looks from: polar angle phi and azimuth theta in degrees, and zoom
    relative to the view that fits the box (1: the whole box in the plot's region)."""

    phi: float = 64.0
    theta: float = -50.0
    zoom: float = 1.0


def rotation(phi: float, theta: float) -> np.ndarray:
    """manim's ThreeDCamera rotation matrix for phi, theta in radians (gamma 0)."""
    from manim.utils.space_ops import rotation_matrix

    matrices = [rotation_matrix(-theta - 90 * DEGREES, [0, 0, 1]), rotation_matrix(-phi, [1, 0, 0])]
    result = np.identity(3)
    for m in matrices:
        result = np.dot(m, result)
    return result


class Framer:
    """Fits the box with corners `corners` (8 scene points) into `region` (left, bottom, right,
    top in frame units) for a pose: the camera's zoom and frame centre."""

    def __init__(self, corners: np.ndarray, region: Sequence[float], focal: float) -> None:
        self.corners = np.asarray(corners, dtype=float)
        self.region = tuple(float(v) for v in region)
        self.focal = focal
        self.centre = (self.corners.min(axis=0) + self.corners.max(axis=0)) / 2

    def project(
        self, points: np.ndarray, phi: float, theta: float, zoom: float, offset: np.ndarray
    ) -> np.ndarray:
        """As LayeredCamera.project_points, for a pose not yet the camera's."""
        p = np.dot(np.asarray(points, dtype=float) - self.centre, rotation(phi, theta).T)
        factor = self.focal / (self.focal - p[:, 2]) * zoom
        p[:, 0] = p[:, 0] * factor + offset[0]
        p[:, 1] = p[:, 1] * factor + offset[1]
        return p

    def fit(self, pose: Pose) -> tuple[float, float, float, np.ndarray, np.ndarray]:
        """(phi, theta in radians, manim's zoom, pivot, offset) that put the box in the region."""
        phi, theta = pose.phi * DEGREES, pose.theta * DEGREES
        left, bottom, right, top = self.region
        flat = self.project(self.corners, phi, theta, 1.0, np.zeros(2))
        w, h = np.ptp(flat[:, 0]), np.ptp(flat[:, 1])
        zoom = min((right - left) / max(w, 1e-9), (top - bottom) / max(h, 1e-9)) * pose.zoom
        flat = self.project(self.corners, phi, theta, zoom, np.zeros(2))
        mid = (flat[:, :2].min(axis=0) + flat[:, :2].max(axis=0)) / 2
        offset = np.array([(left + right) / 2, (bottom + top) / 2]) - mid
        return phi, theta, zoom, self.centre, offset

    def share(self, pose: Pose) -> float:
        """The projected box's area over the frame's (14.2 x 8)."""
        phi, theta, zoom, _pivot, offset = self.fit(pose)
        flat = self.project(self.corners, phi, theta, zoom, offset)
        return float(np.ptp(flat[:, 0]) * np.ptp(flat[:, 1]) / (128 / 9 * 8))


def apply(
    camera: LayeredCamera, phi: float, theta: float, zoom: float, pivot: np.ndarray, offset: np.ndarray
) -> None:
    """Set the camera now (its value trackers, then the rotation it caches)."""
    camera.set_phi(phi)
    camera.set_theta(theta)
    camera.set_zoom(zoom)
    camera.pivot, camera.offset = np.asarray(pivot, dtype=float), np.asarray(offset, dtype=float)
    camera.reset_rotation_matrix()


def move(camera: ThreeDCamera, framer: Framer, pose: Pose, follow: Callable[[], None]) -> UpdateFromAlphaFunc:
    """An animation from the camera's pose to `pose`, the box kept in its region all the way;
    `follow` re-places what is pinned to the frame beside 3D points (labels) each frame."""
    start = (camera.get_phi(), camera.get_theta(), camera.get_zoom())
    end = framer.fit(pose)
    # zoom relative to the fit at each angle: the box stays whole while it turns
    rel0 = start[2] / framer.fit(Pose(np.degrees(start[0]), np.degrees(start[1]), 1.0))[2]

    def step(_: Mobject, alpha: float) -> None:
        a = smooth(alpha)
        phi, theta = (s + a * (e - s) for s, e in zip(start[:2], end[:2], strict=True))
        rel = rel0 + a * (pose.zoom - rel0)
        apply(camera, *framer.fit(Pose(np.degrees(phi), np.degrees(theta), rel)))
        follow()

    # animating one of the camera's own parts (its frame centre, left in place) tells manim the
    # camera moves: it then redraws every part per frame
    return UpdateFromAlphaFunc(camera._frame_center, step)


__all__ = ["MOVE_SECONDS", "Framer", "LayeredCamera", "Pose", "apply", "move", "rotation"]
