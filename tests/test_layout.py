"""What a projector shows: tick labels readable at 480p, labels clear of the readout panel,
captions clear of the frame's edges and the x label clear of the panel."""

from __future__ import annotations

import pytest
from conftest import render_scene

from scenes.catalog import CHAPTER
from scenes.kit.labels import box_of

PX_PER_UNIT_480P = 480 / 8.0  # manim's frame is 8 units high


def _overlap(a, b, pad: float = 0.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def tick_labels(scene) -> list:
    if scene.plot.plane is not None:
        return list(scene.plot.plane.tick_labels)
    axes = scene.plot.axes
    if axes is None or not hasattr(axes, "x_axis") or not hasattr(axes.x_axis, "numbers"):
        return []
    return [*axes.x_axis.numbers, *axes.y_axis.numbers]


NETWORK_SCENES = ["network", "generalization", "interpolation"]


@pytest.mark.parametrize("name", [n for n in CHAPTER if n != "saddle-surface"] + NETWORK_SCENES)
def test_ticks_read_at_480p_and_words_keep_clear_of_panels_and_edges(tiny, name):
    scene = render_scene(name)
    ticks = tick_labels(scene)
    assert ticks, "the plot has numbered ticks"
    # a digit of a tick label is at least 13 px high at 480p (it was about 10)
    assert min(t.height for t in ticks) * PX_PER_UNIT_480P >= 13, name
    panels = [box_of(p) for p in scene.column.panels]
    for mark in scene.marks:
        label = box_of(mark[0])
        assert not any(_overlap(label, p, pad=0.2) for p in panels), f"{name}: a label touches a panel"
    cap = scene.caption_mob
    # inside the frame by the layout's edge (scenes/kit/layout.py EDGE, 0.12), with room to spare
    assert cap.get_left()[0] >= -7.1 + 0.2 and cap.get_right()[0] <= 7.1 - 0.2, f"{name}: the caption's edges"
    if scene.plot.plane is None:
        x_label = box_of(scene.plot.axis_labels[0])
        assert not any(_overlap(x_label, p, pad=0.2) for p in panels), f"{name}: the x label touches a panel"


@pytest.mark.parametrize("name", ["learning-rate", "ill-conditioned", "momentum"])
def test_an_edge_marker_keeps_off_the_axes_labels_at_every_step(tiny, name):
    """A runaway's marker sits on the view's edge near a corner, where the axes' labels are
    (f(x) at the top left): at every step it shows, it is inside the plot box and clear of them."""
    scene = render_scene(name)
    plot = scene.plot
    if plot.plane is not None:
        labels, area = [plot.plane.x_label, plot.plane.y_label], box_of(plot.plane.frame_box)
    else:
        labels, area = list(plot.axis_labels), plot.area
    marked = [b for b in scene.balls if b.marker is not None]
    assert marked, f"{name}: a ball leaves the view"
    shown = 0
    for step in range(max(b.traj.steps for b in scene.balls) + 1):
        scene.step.set_value(step)
        for mob, update in scene.movers:
            update(mob)
        for ball in marked:
            if not len(ball.marker.points):
                continue
            shown += 1
            box = box_of(ball.marker)
            where = f"{name} step {step}: {ball.marker.words!r}"
            for label in labels:
                assert not _overlap(box, box_of(label)), f"{where} covers the axis label"
            assert area[0] - 1e-6 <= box[0] and box[2] <= area[2] + 1e-6, f"{where} leaves the plot"
            assert area[1] - 1e-6 <= box[1] and box[3] <= area[3] + 1e-6, f"{where} leaves the plot"
    assert shown
