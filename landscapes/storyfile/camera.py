"""A beat's `camera` key on a surface: `camera = { phi = 60, theta = -90, zoom = 1.2 }`, the
camera's pose before the beat's roll; each number within the range the scene can frame."""

from __future__ import annotations

from typing import Any

from .fields import Fields
from .records import CameraSpec
from .vocabulary import CAMERA_KEYS


def read_camera(fields: Fields, v: Any, path: tuple[str | int, ...], view: str) -> CameraSpec | None:
    """The camera of a beat, or None with a fault naming the key and the fix."""
    if view != "surface":
        fields.fault(path, 'only the surface view has a camera to move; use view = "surface"')
        return None
    t = fields.table(v, path)
    if t is None:
        return None
    fields.keys(t, tuple(CAMERA_KEYS), path)
    if not t:
        fields.fault(path, "give phi, theta or zoom, e.g. camera = { theta = -90 }")
        return None
    got = {
        k: fields.number(t[k], (*path, k), low=lo, high=hi) for k, (lo, hi) in CAMERA_KEYS.items() if k in t
    }
    return CameraSpec(**got)
