"""A beat's `zoom` key: `zoom = "end"` (the beat's last steps from close, where they cover
under 5 % of the plot) or `zoom = { x = [a, b], y = [c, d] }` (that region of the plot; a
curve's y may be left to the curve)."""

from __future__ import annotations

from typing import Any

from .faults import shown
from .fields import Fields
from .vocabulary import ZOOM_KEYS
from .when import Moment

Zoom = str | tuple[tuple[float, float], ...]


def read_zoom(
    fields: Fields, v: Any, path: tuple[str | int, ...], view: str, when: Moment | None, dim: int
) -> Zoom | None:
    """The zoom of a beat, or None with a fault naming the key and the fix."""
    if view == "surface":
        fields.fault(path, 'the surface view does not zoom; use view = "plane" for it')
        return None
    if when is not None and when.kind == "start":
        fields.fault(
            path, 'a zoom watches the beat\'s roll: give the beat at = "end", a step, stops or enters'
        )
        return None
    if v == "end":
        return "end"
    if isinstance(v, str):
        fields.fault(path, f'expected "end" or {{ x = [a, b], y = [c, d] }}, got {shown(v)}')
        return None
    t = fields.table(v, path)
    if t is None:
        return None
    fields.keys(t, ZOOM_KEYS, path)
    box = []
    for axis in ("x", "y"):
        if axis not in t:
            if axis == "x" or dim == 2:
                fields.fault((*path, axis), f"missing; give {axis} = [lo, hi]")
                return None
            continue
        nums = fields.numbers(t[axis], (*path, axis), (2,))
        if nums is None:
            return None
        if not nums[0] < nums[1]:
            fields.fault((*path, axis), "give [lo, hi] with lo < hi")
            return None
        box.append((float(nums[0]), float(nums[1])))
    return tuple(box)
