"""Zoom where the story is: at each zoomed beat's last frame the steps it watches fill at least
half the plot, every tick number stands where its value is, every ball is drawn where its
numbers say (read back through the zoomed axes), the step readout is the shown step, and the
caption's claims hold; afterwards the whole view is back. Measured on the mobjects of small
real renders (scenes.kit.zoom records each zoomed beat's last frame as `Seen`)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import render_scene

from landscapes.storyfile import loads
from scenes.kit.layout import area
from scenes.kit.zoom import SHARE, share, zoomed_view
from scenes.narration.beats import Zoom

ZOOMING = ["sgd-schedules", "adam", "race", "ripples", "basins", "compare"]


def number(words: str) -> float:
    return float(words.replace("−", "-"))


def plot_point(ball, i: int) -> np.ndarray:
    """Where step i is in the plot's coordinates: (x, y) on a plane, (x, f) on a curve."""
    t = ball.traj
    return t.points[i] if t.points.shape[1] == 2 else np.array([t.points[i, 0], t.values[i]])


def check_seen(scene, seen, where: str) -> None:
    box = seen.box
    # the watched steps, as drawn, fill at least half the plot; all of them inside it
    p = seen.points
    assert np.all((p[:, 0] >= box[0] - 1e-9) & (p[:, 0] <= box[2] + 1e-9)), f"{where}: a step left the box"
    assert np.all((p[:, 1] >= box[1] - 1e-9) & (p[:, 1] <= box[3] + 1e-9)), f"{where}: a step left the box"
    cover = np.ptp(p[:, 0]) * np.ptp(p[:, 1]) / area(box)
    assert cover >= 0.5, f"{where}: the last steps cover {cover:.0%} of the plot"
    # every tick number is the coordinate where it stands, at least two per axis
    counts = [0, 0]
    for tick in seen.ticks:
        value = number(tick.original_text)
        centre = tick.get_center()
        axis = 0 if centre[1] < box[1] else 1  # under the box: an x number; left of it: y
        assert (centre[0] < box[0]) == bool(axis), f"{where}: tick {tick.original_text} beside the box"
        read = seen.axes.p2c(centre)[axis]
        step = seen.axes.x_range[2] if axis == 0 else seen.axes.y_range[2]
        assert abs(read - value) <= 1e-6 * step, f"{where}: tick {tick.original_text} stands at {read}"
        counts[axis] += 1
    assert min(counts) >= 2, f"{where}: ticks per axis {counts}"
    # every ball in view is drawn where its numbers say, read on the zoomed axes; a ball out of
    # view is one whose point lies outside them
    for ball, centre in zip(scene.balls, seen.dots, strict=True):
        want = plot_point(ball, ball.index(seen.shown))
        (x0, x1), (y0, y1) = seen.axes.x_range[:2], seen.axes.y_range[:2]
        inside = x0 <= want[0] <= x1 and y0 <= want[1] <= y1
        assert (centre is not None) == inside, (
            f"{where}: {ball.name} shown {centre is not None}, in view {inside}"
        )
        if centre is not None:
            got = seen.axes.p2c(centre)[:2]
            assert np.allclose(got, want, rtol=1e-9, atol=1e-9 * max(x1 - x0, y1 - y0)), (
                f"{where}: {ball.name}"
            )
    if any(n.isdigit() for n in seen.numbers):  # a step counter (race and compare show none)
        assert str(seen.shown) in seen.numbers, f"{where}: the step readout {seen.numbers}"
    # the caption is the beat's, its claims hold, its labels point inside the zoomed view
    assert seen.caption == seen.beat.caption
    assert all(c.holds for c in seen.beat.claims), f"{where}: a claim of {seen.caption!r} fails"
    for label in seen.beat.labels:
        assert x0 <= label.at[0] <= x1 and y0 <= label.at[1] <= y1, f"{where}: {label.words!r} off the view"


@pytest.mark.parametrize("name", ZOOMING)
def test_a_zoomed_beat_shows_its_last_steps_large_and_true(tiny, name):
    scene = render_scene(name)
    assert scene.zoom.seen, f"{name}: no beat zoomed"
    whole = scene.plot.axes  # the whole view is back after the scene
    for k, seen in enumerate(scene.zoom.seen):
        where = f"{name} zoom {k} ({seen.caption[:40]!r})"
        # zoomed because the steps were small on the whole view
        assert share(seen.region, whole.x_range, whole.y_range) < SHARE, where
        check_seen(scene, seen, where)
    assert scene.plot.overview is None
    for ball in scene.balls:  # drawn on the whole view again, cut at its box as built
        assert np.allclose(ball.coords, scene.scene_points(ball.traj)), f"{name}: {ball.name} not back"


def test_adams_far_ball_is_pointed_at_on_the_zoomed_edge(tiny):
    scene = render_scene("adam")
    (seen,) = scene.zoom.seen
    adadelta = scene.balls.of(scene.trajectories["adadelta"])
    i = adadelta.index(seen.shown)
    words = [w for w in seen.markers if w.startswith("x")]
    assert words, seen.markers
    x = [f"{v:.4g}".replace("-", "−") for v in adadelta.traj.points[i]]
    assert any(v in w for w in words for v in x), (words, x)


def test_a_path_that_fills_the_view_is_not_zoomed(tiny):
    # compare asks for a zoom at its verdict; sgd and gd from −0.9 end apart, on 7 % of the view
    from scenes.catalog import get_story

    settings = get_story("compare").settings.override(start=(-0.9,))
    scene = render_scene("compare", settings=settings, options={"optimizers": ("sgd", "gd")})
    assert scene.narration.beats[-1].zoom is not None
    whole = scene.plot.axes
    last = [(b.traj.points[-11:, 0], b.traj.values[-11:]) for b in scene.balls]
    xs, fs = np.concatenate([x for x, _f in last]), np.concatenate([f for _x, f in last])
    region = (xs.min(), xs.max(), fs.min(), fs.max())
    assert share(region, whole.x_range, whole.y_range) >= SHARE
    assert not scene.zoom.seen


def test_custom_zooms_on_a_jittering_end_not_on_a_settled_one(tiny):
    from scenes.catalog import get_story

    settled = render_scene("custom")  # gd settles in x·cos(0.15πx)'s minimum: nothing to watch
    assert not settled.zoom.seen
    noisy = get_story("custom").settings.override(optimizer="sgd", noise=0.5, anneal=False)
    scene = render_scene("custom", settings=noisy)  # sgd keeps jittering there: from close
    (seen,) = scene.zoom.seen
    check_seen(scene, seen, "custom, sgd with noise")


@pytest.mark.parametrize(
    ("region", "box"),
    [
        ((0.0, 1.0, 0.0, 0.01), (0.0, 0.0, 6.0, 6.0)),  # a flat stretch: the scales differ at most 4×
        ((-0.7, 0.3, -0.3, -0.05), (-6.0, -3.0, 0.5, 3.9)),  # sgd-schedules' last steps
        ((2.0, 2.0 + 1e-7, 1.0, 1.0), (0.0, 0.0, 4.0, 3.0)),  # next to a point: no span under 1e-3
    ],
)
def test_the_zoomed_view_holds_the_region_with_round_ticks(region, box):
    x, y = zoomed_view(region, box)
    assert x[0] <= region[0] and region[1] <= x[1] and y[0] <= region[2] and region[3] <= y[1]
    ux, uy = (box[2] - box[0]) / (x[1] - x[0]), (box[3] - box[1]) / (y[1] - y[0])
    assert max(ux / uy, uy / ux) <= 4.0 + 1e-9
    for lo, hi, step in (x, y):
        assert hi - lo >= 1e-3 * (1 - 1e-9) and step >= 1e-4  # tick numbers need at most four decimals
        assert 2 <= len(np.arange(np.ceil(lo / step), np.floor(hi / step) + 1)) <= 6


STORY = """\
name = "zoomed"
view = "plane"

[landscape]
name = "bowl"
window = [-5.5, 1.5, -3, 3]

[[balls]]
name = "adam"
optimizer = "adam"
lr = 0.4
start = [-5, -2]
steps = 60

[[beats]]
at = 30
caption = "adam near ({adam.x:.3f}, {adam.y:.3f})"
zoom = { x = [-1, 1], y = [-1, 1] }

[[beats]]
at = "end"
caption = "after {adam.steps} steps: f = {adam.f:.2e}"
zoom = "end"
"""


def test_a_story_file_zooms_where_its_beats_say(tiny):
    from scenes.story_file import VIEWS as CLASSES

    record = loads(STORY)
    assert record.beats[0].zoom == ((-1.0, 1.0), (-1.0, 1.0)) and record.beats[1].zoom == "end"
    scene = CLASSES[record.view](options={"story": record.text, "name": record.name})
    scene.render()
    beats = scene.narration.beats
    assert beats[0].zoom == Zoom(x=(-1.0, 1.0), y=(-1.0, 1.0)) and beats[1].zoom == Zoom()
    given, *rest = scene.zoom.seen
    assert list(given.axes.x_range[:2]) == pytest.approx([-1.0, 1.0])
    assert list(given.axes.y_range[:2]) == pytest.approx([-1.0, 1.0])
    assert given.caption == beats[0].caption
    for seen in rest:  # "end": where adam's last steps are small, they fill the plot
        check_seen(scene, seen, "story file, zoom = end")
