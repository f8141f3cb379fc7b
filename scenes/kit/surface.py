"""The 3D parts of surface scenes: the relief (an opaque, lit, height-coloured mesh over contour
lines on the floor, scenes.kit.relief), a camera that frames it and moves between rolls
(scenes.kit.camera3d), balls as shaded spheres sitting on it, trails on it, and words pinned to
the frame beside what they name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Line, ThreeDAxes, ThreeDScene, VGroup, VMobject

from landscapes import Trajectory
from scenes.kit.balls import build_ball, styled
from scenes.kit.camera3d import MOVE_SECONDS, Framer, LayeredCamera, Pose, apply, move
from scenes.kit.mathtext import flat, math, text
from scenes.kit.palette import ball_style, palette
from scenes.kit.readouts import FONT
from scenes.kit.relief import BALL, ON_MESH, Relief, ShadedBall, set_layer
from scenes.kit.story import StoryScene
from scenes.kit.trails import Ball
from scenes.narration.beats import Beat, Label

AXIS_LABEL_FONT = 44
LABEL_ROOM = 0.5  # the box keeps this clear of the region's edges, for the axis letters
WIDE = Pose(phi=66.0, theta=-55.0, zoom=1.0)


class SurfaceScene(StoryScene, ThreeDScene):
    """A StoryScene whose landscape is drawn as a surface over (x, y)."""

    relief: Relief
    framer: Framer
    pose: Pose  # where the camera is now

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("camera_class", LayeredCamera)
        super().__init__(*args, **kwargs)
        self.pinned: list[Callable[[], None]] = []  # re-place words beside 3D points
        self.lifts: dict[int, np.ndarray] = {}  # per ball (by id): its centre's offset from (x, y, f)

    def setup_surface(
        self, x_range: Sequence[float], y_range: Sequence[float], z_range: Sequence[float], pose: Pose = WIDE
    ) -> Relief:
        """Axes (a map from (x, y, f) to the scene), the relief, the camera framing its box in
        the plot's region from `pose`, and the axis letters."""
        p = palette()
        self.plot.layout("surface")
        self.plot.axes = ThreeDAxes(
            x_range=list(x_range),
            y_range=list(y_range),
            z_range=list(z_range),
            x_length=7.4,
            y_length=7.4,
            z_length=4.0,
            tips=False,
            axis_config={"color": p.axis},
        )
        theta = np.radians(pose.theta)
        front = (int(np.cos(theta) >= 0), int(np.sin(theta) > 0))
        self.relief = Relief(self.landscape, self.plot.axes, front=front)
        (x0, x1), (y0, y1), (z0, z1) = (self.plot.axes.x_range[:2], self.plot.axes.y_range[:2], z_range[:2])
        corners = self.relief.to_scene(
            *np.array([(x, y, z) for x in (x0, x1) for y in (y0, y1) for z in (z0, z1)]).T
        )
        left, bottom, right, top = self.plot.regions.plot
        region = (left + LABEL_ROOM, bottom + LABEL_ROOM * 1.6, right - LABEL_ROOM, top - LABEL_ROOM * 0.6)
        self.framer = Framer(corners, region, self.renderer.camera.get_focal_distance())
        apply(self.renderer.camera, *self.framer.fit(pose))
        self.pose = pose
        self.add(self.relief)
        self.plot.axis_labels = self._axis_labels()
        self.overlay(self.plot.axis_labels)
        return self.relief

    def project(self, point: np.ndarray) -> np.ndarray:
        """Where a 3D point appears in the frame now."""
        camera = self.renderer.camera
        camera.reset_rotation_matrix()  # manim refreshes it only when it draws a frame
        return camera.project_point(np.asarray(point, dtype=float))

    def box_share(self) -> float:
        """The projected box's share of the frame now (the layout's surface target is 30 %)."""
        flat_ = np.array([self.project(c) for c in self.framer.corners])
        return float(np.ptp(flat_[:, 0]) * np.ptp(flat_[:, 1]) / (128 / 9 * 8))

    # ---- the camera ------------------------------------------------------------------------
    def turn_to(self, pose: Pose, seconds: float = MOVE_SECONDS) -> None:
        """Move the camera to `pose` (between rolls): the caption and the numbers stay pinned to
        the frame, labels and axis letters follow their points."""
        self.play(move(self.renderer.camera, self.framer, pose, self._follow), run_time=seconds)
        self.pose = pose
        self._follow()

    def tell_with_camera(self, beats: Sequence[Beat], poses: Sequence[Pose | None]) -> None:
        """Each beat in turn, the camera first turning to the beat's pose (None: it stays), before
        the beat's roll: the moves happen between rolls."""
        for beat, pose in zip(beats, poses, strict=True):
            if pose is not None:
                self.turn_to(pose)
            self.tell([beat])

    def roll_to(self, step: int, seconds: float | None = None) -> None:
        """As on a plane; then the words pinned beside 3D points are placed again (a label moves
        off a ball that rolled under it)."""
        super().roll_to(step, seconds)
        self._follow()

    def _follow(self) -> None:
        for place in self.pinned:
            place()

    def pin(self, mob: VMobject, place: Callable[[], None]) -> None:
        """Words pinned to the frame, re-placed by `place` whenever the camera moves."""
        place()
        self.pinned.append(place)
        self.overlay(mob)

    def _axis_labels(self) -> VGroup:
        """x, y and f as upright letters pinned to the frame: x and y beside the middle of their
        floor edge, away from the floor's middle; f above its axis' top."""
        labels = VGroup()
        floor = self.relief.frame
        self.pin(VGroup(), lambda: self.relief.place_axes(self.project))  # first: the labels follow
        for name, line in zip(("x", "y", "f"), self.relief.axis_lines, strict=True):
            lab = math(name, name, font_size=AXIS_LABEL_FONT)

            def place(lab: VMobject = lab, line: Line = line, name: str = name) -> None:
                if name == "f":
                    end, start = self.project(line.get_end()), self.project(line.get_start())
                    away = (end - start)[:2]
                    at = end[:2]
                else:
                    at = self.project(line.get_center())[:2]
                    away = at - self.project(floor.get_center())[:2]
                away = away / max(np.linalg.norm(away), 1e-9)
                lab.move_to([*(at + away * 0.35), 0.0])

            place()
            self.pinned.append(place)
            labels.add(lab)
        return labels

    # ---- balls on the mesh ------------------------------------------------------------------
    def add_ball(self, traj: Trajectory, name: str, radius: float = 0.16, color: Any = None) -> Ball:
        """A shaded sphere whose centre sits at (x, y, f) plus its radius along the normal at every
        step; its trail runs on the mesh, lifted off it, drawn above it."""
        style = styled(ball_style(len(self.balls)), color)
        xy = traj.points[:, :2]
        coords = self.relief.on_mesh(xy)  # the trajectory's points on the surface
        lift = self.relief.on_mesh(xy, radius) - coords
        dot = self.make_dot(coords[0] + lift[0], radius, style.color, style)
        segments = self.relief.trail_segments(xy)
        ball, draw = build_ball(traj, name, coords, style, radius, None, False, dot, segments, lift)
        set_layer(ball.trail, ON_MESH)
        self.lifts[id(ball)] = lift
        self.plot.obstacles.add_line(coords)
        self.follow(dot, ball, draw)
        self.balls.append(ball)
        return ball

    def make_dot(self, point: np.ndarray, radius: float, color: Any, style: Any = None) -> VMobject:
        """A sphere lit by the camera's light, drawn above the mesh: it sits on the surface,
        never sinks into it."""
        return set_layer(ShadedBall(point, radius, color), BALL)

    def centre(self, ball: Ball, i: int) -> np.ndarray:
        """Where the ball's centre is drawn at step i."""
        return ball.coords[min(i, len(ball.coords) - 1)] + self.lifts[id(ball)][min(i, len(ball.coords) - 1)]

    def scene_points(self, traj: Trajectory) -> np.ndarray:
        """(x, f) kept inside the box, on the surface."""
        return self.relief.on_mesh(traj.points[:, :2])

    # ---- labels -------------------------------------------------------------------------
    def mark(self, label: Label) -> VGroup:
        """A beat's label, upright and pinned to the frame beside its target (the ball, or the
        critical point on the surface), with a leader line; it follows the target when the
        camera moves."""
        color = palette().text
        words = flat(text(label.words, font_size=FONT, color=color))
        leader = Line(ORIGIN3, RIGHT, stroke_width=2, color=color)
        if label.ball is not None and label.ball < len(self.balls) and label.kind == "ball":
            ball = self.balls[label.ball]
            target = lambda: self.centre(ball, ball.index(self.step.get_value()))  # noqa: E731
            gap = ball.dot.width / 2 + 0.1
        else:
            point = self.relief.on_mesh(np.array([label.at[:2]]))[0]
            target = lambda: point  # noqa: E731
            gap = 0.12
        box = self.plot.regions.plot

        def place() -> None:
            at = self.project(target())[:2]
            here = np.array([*at, 0.0])
            others = [
                (self.project(self.centre(b, b.index(self.step.get_value())))[:2], b.dot.radius + 0.08)
                for b in self.balls
                if label.ball is None or b is not self.balls[label.ball]
            ]
            # up-right of the target, else up-left, down-right, down-left: the first clear of the
            # other balls and inside the plot's region
            for side, up in ((RIGHT, UP), (LEFT, UP), (RIGHT, DOWN), (LEFT, DOWN)):
                spot = here + side * (gap + 0.3 + words.width / 2) + up * (gap + 0.25)
                words.move_to(spot)
                lo, hi = words.get_corner(DOWN + LEFT)[:2], words.get_corner(UP + RIGHT)[:2]
                inside = box[0] <= lo[0] and hi[0] <= box[2] and box[1] <= lo[1] and hi[1] <= box[3]
                clear = all(_far(c, lo, hi, r) for c, r in others)
                if inside and clear:
                    break
            edge = words.get_corner(-up + (LEFT if side is RIGHT else RIGHT))
            leader.put_start_and_end_on(here + _toward(here, edge, gap), edge)

        group = VGroup(words, leader)
        self.pin(group, place)
        if label.ball is not None and label.kind == "ball" and label.ball < len(self.balls):
            self.follow(group, self.balls[label.ball], lambda _i: place())  # and as it rolls on
        self.marks.append(group)
        self.fade(group, seconds=0.5)
        return group

    # ---- 3D versions of the kit's hooks ---------------------------------------
    def overlay(self, *mobs: VMobject) -> None:
        self.add_fixed_in_frame_mobjects(*mobs)


ORIGIN3 = np.zeros(3)


def _far(c: np.ndarray, lo: np.ndarray, hi: np.ndarray, r: float) -> bool:
    """Whether a disc at c of radius r keeps clear of the box (lo, hi)."""
    return float(np.linalg.norm(c - np.clip(c, lo, hi))) > r


def _toward(a: np.ndarray, b: np.ndarray, d: float) -> np.ndarray:
    """The vector from a toward b of length d (at most the distance)."""
    v = b - a
    n = float(np.linalg.norm(v))
    return v * (min(d, n) / n) if n > 1e-12 else v
