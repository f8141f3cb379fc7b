"""The 3D surface as drawn: an opaque, seamless, height-coloured mesh of at least 48 x 48 faces,
balls whose centres sit on it (f(x, y) plus the radius along the normal, from the mobjects),
trails on it and drawn above it, a camera that starts wide, turns between rolls and ends
looking along the escape, story files that move the camera and label a surface, and the
picture's targets (the box's share, text sizes, nothing leaving the frame) at every beat end.

Every expected position is computed here from the landscape (torch's autograd) and the axes'
own c2p, apart from the kit's arithmetic.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import render_scene
from test_picture import FRAME_H, FRAME_W, SMALLEST_TEXT, box, overlap, shown_texts, words_of

from scenes.kit.recorder import BeatRecorder

ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]
SURFACE_SHARE = 0.30


def expected_centre(scene, x: float, y: float, r: float) -> np.ndarray:
    """c2p(x, y, f) + r * the unit normal of the surface as drawn (scene units)."""
    ax = scene.plot.axes
    p = torch.tensor([[x, y]], dtype=torch.float64, requires_grad=True)
    f = scene.landscape.fn(p)
    (g,) = torch.autograd.grad(f.sum(), p)
    fx, fy, fv = float(g[0, 0]), float(g[0, 1]), float(f[0])
    o = np.asarray(ax.c2p(0, 0, 0))
    sx, sy, sz = (np.linalg.norm(np.asarray(ax.c2p(*e)) - o) for e in ((1, 0, 0), (0, 1, 0), (0, 0, 1)))
    n = np.array([-fx * sz / sx, -fy * sz / sy, 1.0])
    return np.asarray(ax.c2p(x, y, fv)) + r * n / np.linalg.norm(n)


def at_step(scene, i: int) -> None:
    scene.step.set_value(i)
    for mob, fn in scene.movers:
        fn(mob)


def story_scene(path, **kwargs):
    from landscapes.storyfile import load
    from scenes.story_file import VIEWS

    record = load(path)
    return VIEWS[record.view](options={"story": record.text, "name": record.name}, **kwargs)


@pytest.fixture
def beat_ends(monkeypatch):
    """At each beat's end: the camera's pose, the shown step, the box's share, the texts."""
    shots: list[dict] = []
    close, start = BeatRecorder.close, BeatRecorder.start
    opened: list[float] = []  # the camera's theta as each beat opens (its caption appears)

    def starting(self, *args, **kwargs):
        opened.append(np.degrees(self.subtitle.__self__.renderer.camera.get_theta()))
        return start(self, *args, **kwargs)

    def closing(self, now, step):
        if self.open:
            scene = self.subtitle.__self__
            cam = scene.renderer.camera
            shots.append(
                {
                    "phi": np.degrees(cam.get_phi()),
                    "theta": np.degrees(cam.get_theta()),
                    "opened": opened[-1],
                    "share": scene.box_share(),
                    "texts": [(words_of(m), box(m)) for m in shown_texts(scene) if m.has_points()],
                    "caption": scene.caption_mob,
                    "marks": list(scene.marks),
                    "step": int(scene.step.get_value()),
                }
            )
        return close(self, now, step)

    monkeypatch.setattr(BeatRecorder, "close", closing)
    monkeypatch.setattr(BeatRecorder, "start", starting)
    return shots


def check_picture(shots, where: str) -> None:
    assert shots, "the scene has beats"
    for k, shot in enumerate(shots):
        at = f"{where} beat {k}"
        assert shot["share"] >= SURFACE_SHARE, f"{at}: the surface's box is {shot['share']:.1%} of the frame"
        texts = shot["texts"]
        for words, b in texts:
            assert b[3] - b[1] >= SMALLEST_TEXT * 0.98, f"{at}: {words!r} is {b[3] - b[1]:.3f} high"
            assert -FRAME_W / 2 <= b[0] and b[2] <= FRAME_W / 2, f"{at}: {words!r} leaves the frame"
            assert -FRAME_H / 2 <= b[1] and b[3] <= FRAME_H / 2, f"{at}: {words!r} leaves the frame"
        for i, (wa, ba) in enumerate(texts):
            for wb, bb in texts[i + 1 :]:
                assert not overlap(ba, bb, pad=0.01), f"{at}: {wa!r} overlaps {wb!r}"


# ---- the mesh -------------------------------------------------------------------------------
def test_the_mesh_is_opaque_fine_and_coloured_by_height_on_the_planes_ramp(tiny):
    from scenes.kit.palette import palette

    scene = render_scene("saddle-surface")
    mesh = scene.relief.mesh
    assert mesh.resolution >= 48
    assert mesh.get_fill_opacity() == 1.0 and mesh.get_stroke_opacity() == 1.0
    assert mesh.vertices.shape == (mesh.resolution + 1, mesh.resolution + 1, 3)
    # each face's colour is the ramp's at its height: the lowest face the ramp's low end, the
    # highest its high end, and the colour's lightness rises with the height
    heights = scene.relief.heights
    centres = (heights[:-1, :-1] + heights[1:, :-1] + heights[:-1, 1:] + heights[1:, 1:]) / 4
    lum = mesh.colours @ np.array([0.2126, 0.7152, 0.0722])
    lo, hi = (
        np.unravel_index(centres.argmin(), centres.shape),
        np.unravel_index(centres.argmax(), centres.shape),
    )
    ramp = palette().ramp
    assert np.abs(mesh.colours[lo] - np.array(ramp.at(0.0).to_rgb())).max() < 0.05
    assert np.abs(mesh.colours[hi] - np.array(ramp.at(1.0).to_rgb())).max() < 0.05
    assert np.corrcoef(centres.ravel(), lum.ravel())[0, 1] > 0.9
    # lit: faces turned to the light are brighter than faces turned away, at the same height
    light = np.asarray(scene.renderer.camera.light_source.points[0])
    lit = mesh.lit(light)
    assert not np.allclose(lit, mesh.colours), "a light source shades the faces"


def test_no_seams_from_straight_above(tiny):
    """Seen from straight above the mesh covers a rectangle: every pixel inside it is a face's
    colour, none lets a red background through between faces."""
    from scenes.kit.camera3d import Pose, apply

    scene = render_scene("saddle-surface")
    cam = scene.renderer.camera
    apply(cam, *scene.framer.fit(Pose(phi=0.0, theta=-90.0, zoom=1.0)))
    cam.background = np.zeros_like(cam.background)
    cam.background[..., 0] = 255  # red, in the pixel array's own order (cairo writes BGRA)
    cam.background[..., 3] = 255
    cam.reset()
    cam.capture_mobjects([scene.relief.mesh])
    px = cam.pixel_array.astype(float) / 255
    flat = cam.project_points(scene.relief.mesh.vertices.reshape(-1, 3))
    cols = (flat[:, 0] / cam.frame_width + 0.5) * cam.pixel_width
    rows = (0.5 - flat[:, 1] / cam.frame_height) * cam.pixel_height
    # perspective bows the outline: the middle 60 % of its extent is mesh everywhere
    (r0, r1), (c0, c1) = (
        (int(lo + 0.2 * (hi - lo)), int(hi - 0.2 * (hi - lo)))
        for lo, hi in ((rows.min(), rows.max()), (cols.min(), cols.max()))
    )
    inside = px[r0:r1, c0:c1, :3]
    assert inside.size > 0
    red_tint = inside[..., 0] - np.maximum(inside[..., 1], inside[..., 2])
    assert red_tint.max() < 0.15, f"a seam lets the background through: {red_tint.max():.2f}"


# ---- balls and trails -----------------------------------------------------------------------
@pytest.mark.parametrize("where", ["saddle-surface", "rastrigin"])
def test_every_drawn_ball_centre_sits_on_the_surface_along_its_normal(tiny, where):
    if where == "rastrigin":
        scene = story_scene(ROOT / "examples" / "stories" / "rastrigin.toml")
        scene.render()
    else:
        scene = render_scene(where)
    for ball in scene.balls:
        r = ball.dot.radius
        (x0, x1), (y0, y1) = scene.plot.axes.x_range[:2], scene.plot.axes.y_range[:2]
        for i in range(len(ball.coords)):
            at_step(scene, i)
            x, y = ball.traj.points[i]
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                continue  # out of the box: the ball is kept at its edge
            want = expected_centre(scene, float(x), float(y), r)
            got = ball.dot.get_center()
            assert np.abs(got - want).max() < 1e-6, f"{ball.name} step {i}: {got} != {want}"


def test_trails_run_on_the_surface_and_are_drawn_above_it(tiny):
    from scenes.kit.relief import LIFT

    scene = render_scene("saddle-surface")
    ball = scene.balls[0]
    segs = ball.segments
    pts = ball.traj.points
    for k in range(0, len(segs), 5):
        for t in (0.0, 1 / 3, 2 / 3, 1.0):
            b = (
                (1 - t) ** 3 * segs[k, 0]
                + 3 * (1 - t) ** 2 * t * segs[k, 1]
                + 3 * (1 - t) * t**2 * segs[k, 2]
                + t**3 * segs[k, 3]
            )
            x, y = pts[k] + t * (pts[k + 1] - pts[k])
            want = expected_centre(scene, float(x), float(y), LIFT)
            assert np.abs(b - want).max() < 1e-6, f"step {k} at t = {t:.2f}"
    # drawn after the mesh whatever the camera: never hidden under it
    at_step(scene, len(ball.coords) - 1)
    order = scene.renderer.camera.get_mobjects_to_display(scene.mobjects)
    ids = [id(m) for m in order]
    assert ids.index(id(ball.trail)) > ids.index(id(scene.relief.mesh))
    assert ids.index(id(ball.dot)) > ids.index(id(ball.trail))
    floor = [id(m) for m in scene.relief.floor_lines]
    assert max(ids.index(i) for i in floor) < ids.index(id(scene.relief.mesh)), "the floor's lines under it"


# ---- the camera ---------------------------------------------------------------------------
def test_the_saddle_camera_starts_wide_turns_between_rolls_and_ends_along_the_escape(tiny, beat_ends):
    from scenes.kit.camera3d import move

    steps_while_moving: list[float] = []
    import scenes.kit.surface as surface_module

    def watching(camera, framer, pose, follow):
        anim = move(camera, framer, pose, follow)
        inner = anim.update_function

        def step(m, a):
            steps_while_moving.append(scene_ref[0].step.get_value())
            inner(m, a)

        anim.update_function = step
        return anim

    scene_ref: list = []
    original = surface_module.move
    surface_module.move = watching
    try:
        from scenes.catalog import get_story, scene_class

        cls = scene_class("saddle-surface")
        scene = cls(settings=get_story("saddle-surface").settings)
        scene_ref.append(scene)
        scene.render()
    finally:
        surface_module.move = original
    check_picture(beat_ends, "saddle-surface")
    thetas = [s["opened"] for s in beat_ends]  # the view each beat's caption is read in
    assert abs(thetas[0] - (-55.0)) < 1e-6, "wide, from the side"
    assert len({round(t) for t in thetas}) == len(thetas), "it turns at every beat"
    end = scene.balls[0].traj.end
    along = np.degrees(np.arctan2(-end[1], -end[0]))
    assert abs(thetas[-1] - along) < 1e-6, "the last view looks along the way the ball left"
    assert steps_while_moving, "the camera moved"
    # moves happen between rolls: the shown step never changes while the camera turns
    per_move = np.split(np.array(steps_while_moving), np.flatnonzero(np.diff(steps_while_moving)) + 1)
    assert all(len(set(chunk)) == 1 for chunk in per_move)
    fixed = scene.renderer.camera.fixed_in_frame_mobjects
    assert scene.caption_mob in fixed and all(m in fixed for m in scene.live), "words pinned to the frame"


def test_a_story_file_moves_the_camera_and_labels_a_surface(tiny, beat_ends, tmp_path):
    text = (ROOT / "examples" / "stories" / "rastrigin.toml").read_text(encoding="utf-8")
    shipped_label = 'labels = [{ point = "lowest", text = "f = 0", zh = "f = 0" }]'
    shipped_camera = "camera = { phi = 52, theta = -112, zoom = 1.15 }"
    assert shipped_label in text and shipped_camera in text, "the shipped file shows both"
    text = text.replace(
        shipped_label, 'labels = [{ point = "lowest", text = "lowest" }, { ball = "lion", text = "lion" }]'
    )
    text = text.replace(shipped_camera, "")
    text = text.replace("at = 10\n", "at = 10\ncamera = { phi = 50, theta = -100, zoom = 1.2 }\n")
    path = tmp_path / "rastrigin-camera.toml"
    path.write_text(text, encoding="utf-8")
    placed: list[tuple[float, float, float]] = []
    scene = story_scene(path)

    def mark_check() -> None:  # each label beside its target's projection, every beat end
        for group, target in zip(scene.marks, targets, strict=True):
            at = scene.project(target())[:2]
            words = group[0]
            d = np.linalg.norm(words.get_center()[:2] - at)
            placed.append((d, words.width, words.height))
            assert d < words.width / 2 + 0.9, f"{words.words!r} is {d:.2f} from its target"
            assert group in scene.renderer.camera.fixed_in_frame_mobjects, "upright, facing the viewer"
            lo, hi = words.get_corner([-1, -1, 0])[:2], words.get_corner([1, 1, 0])[:2]
            for ball in scene.balls:
                if ball.name in words.words:
                    continue
                c = scene.project(scene.centre(ball, ball.index(scene.step.get_value())))[:2]
                gap = np.linalg.norm(c - np.clip(c, lo, hi))
                assert gap > ball.dot.radius, f"{words.words!r} covers the ball {ball.name!r}"

    targets: list = []
    original = scene.mark

    def mark(label):
        group = original(label)
        if label.ball is not None:
            ball = scene.balls[label.ball]
            targets.append(lambda b=ball: scene.centre(b, b.index(scene.step.get_value())))
        else:
            targets.append(lambda p=label.at: scene.relief.on_mesh(np.array([p[:2]]))[0])
        return group

    scene.mark = mark
    close = BeatRecorder.close

    def closing(self, now, step):
        if self.open and targets:
            mark_check()
        return close(self, now, step)

    BeatRecorder.close, saved = closing, close
    try:
        scene.render()
    finally:
        BeatRecorder.close = saved
    assert len(scene.marks) == 2 and placed
    cam = scene.renderer.camera
    assert abs(np.degrees(cam.get_phi()) - 50) < 1e-6 and abs(np.degrees(cam.get_theta()) + 100) < 1e-6
    fit = scene.framer.fit(type(scene.pose)(50, -100, 1.0))[2]
    assert abs(cam.get_zoom() / fit - 1.2) < 1e-6, "zoom 1.2 of the view that shows the whole box"


SURFACE_FILES = [
    p
    for p in sorted((ROOT / "examples" / "stories").glob("*.toml"))
    if 'view = "surface"' in p.read_text("utf-8")
]


@pytest.mark.parametrize("path", SURFACE_FILES, ids=[p.stem for p in SURFACE_FILES])
def test_surface_story_files_meet_the_picture_targets(tiny, beat_ends, path):
    story_scene(path).render()
    check_picture(beat_ends, path.stem)
