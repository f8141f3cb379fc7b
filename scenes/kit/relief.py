"""A landscape of (x, y) as a relief in 3D: an opaque mesh coloured by height on the planes' ramp
and lit by the camera's light, the contour lines projected on the floor under it, the box's
floor edges as axes, and points lifted off it along its normal (a ball's centre, its trail).

Drawing order is by layer (scenes.kit.camera3d): the floor first, then the mesh's faces sorted
by depth, then what lies on the mesh (trails, balls), so a trail is never hidden under it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import cairo
import contourpy
import numpy as np
from manim import Line, ThreeDAxes, ThreeDCamera, VGroup, VMobject

from landscapes import Landscape, sample, sample_gradients
from scenes.kit.contour import contour_levels, simplify
from scenes.kit.palette import Ramp, palette, rgb_colour

RESOLUTION = 48  # faces per side: a smooth silhouette at 1080p
SEAM = 1.0  # each face's stroke, in its own colour: it closes the hairline cairo leaves between faces
FLOOR_GRID = 120  # samples per side for the floor's contour lines
RAMP_STEPS = 64  # the ramp's colours computed once, each face takes the nearest
LUMA = np.array([0.2126, 0.7152, 0.0722])  # relative luminance weights (on sRGB values: an order only)
AMBIENT = 0.5  # dark theme: a face turned away keeps this share of its colour (light: of its own lightness)
LIFT = 0.02  # a trail floats this far above the mesh (scene units), along the normal

FLOOR, MESH, ON_MESH, BALL = 0, 1, 2, 3  # the camera draws layers in this order


def set_layer(mob: VMobject, layer: int) -> VMobject:
    """Put a mobject and its family in a drawing layer (scenes.kit.camera3d.LayeredCamera)."""
    for m in mob.get_family():
        m.layer = layer
    return mob


def floor_ramp(ramp: Ramp, background_dark: bool) -> Ramp:
    """The height ramp moved in lightness so that lines on the floor stand off the background."""
    shift = 28.0 if background_dark else -30.0
    lo, hi = ramp.lightness
    return replace(ramp, lightness=(lo + shift, hi + shift))


class Relief(VGroup):
    """The mesh (`mesh`, its faces coloured by the height at their centre), the floor's contour
    lines (`floor_lines`, each with its level), the floor's frame and the three axes drawn on
    the box's edges (`axis_lines`: x along the front floor edge, y along the side one, f up a
    corner), for `axes` (which maps (x, y, f) to the scene)."""

    def __init__(
        self,
        landscape: Landscape,
        axes: ThreeDAxes,
        resolution: int = RESOLUTION,
        front: tuple[int, int] = (1, 0),
    ) -> None:
        super().__init__()
        self.landscape, self.axes, self.resolution = landscape, axes, resolution
        (x0, x1), (y0, y1), (z0, z1) = (axes.x_range[:2], axes.y_range[:2], axes.z_range[:2])
        self.z_range = (z0, z1)
        xs, ys = np.linspace(x0, x1, FLOOR_GRID), np.linspace(y0, y1, FLOOR_GRID)
        grid = np.asarray(sample(landscape, xs, ys), dtype=float)
        grid = np.where(np.isfinite(grid), grid, np.nan)
        self.levels, self.log_levels = contour_levels(grid)
        finite = grid[np.isfinite(grid)]
        self.extremes = (float(finite.min()), float(finite.max())) if finite.size else (z0, z1)
        self.mesh = self._mesh(resolution)
        self.floor_lines = self._floor(xs, ys, grid)
        self.axis_lines = self._axis_lines(front)
        self.frame = self._frame()
        set_layer(VGroup(self.floor_lines, self.frame, *self.axis_lines[:2]), FLOOR)
        set_layer(self.axis_lines[2], ON_MESH)  # the f axis stands at the silhouette's corner
        set_layer(self.mesh, MESH)
        self.add(self.floor_lines, self.frame, self.axis_lines, self.mesh)

    # ---- colour -------------------------------------------------------------------------
    def ramp_t(self, f: np.ndarray) -> np.ndarray:
        """Where f sits on the ramp, 0 to 1, as the plane colours it: the plane's band between
        levels k-1 and k has colour k/n (n levels, log-spaced where f spans decades); here the
        colour runs on smoothly, through each band's colour halfway between its levels."""
        f = np.asarray(f, dtype=float)
        lv, (lo, hi) = self.levels, self.extremes
        n = len(lv)
        if n < 2:
            return np.clip((f - lo) / max(hi - lo, 1e-12), 0.0, 1.0)
        xp = np.concatenate([[min(lo, lv[0])], lv, [max(hi, lv[-1])]])
        fp = np.concatenate([[0.0], (np.arange(n) + 0.5) / n, [1.0]])
        return np.interp(f, xp, fp)

    def _mesh(self, n: int) -> Mesh:
        axes = self.axes
        (x0, x1), (y0, y1), (z0, z1) = axes.x_range[:2], axes.y_range[:2], self.z_range
        xs, ys = np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1)
        z = np.asarray(sample(self.landscape, xs, ys), dtype=float)
        z = np.clip(np.nan_to_num(z, nan=z0, posinf=z1, neginf=z0), z0, z1)
        self.heights = z
        gx, gy = np.meshgrid(xs, ys)
        vertices = self.to_scene(gx.ravel(), gy.ravel(), z.ravel()).reshape(n + 1, n + 1, 3)
        centres = (z[:-1, :-1] + z[1:, :-1] + z[:-1, 1:] + z[1:, 1:]) / 4
        ramp = np.array([c.to_rgb() for c in palette().ramp.colours(RAMP_STEPS)])
        colours = ramp[np.rint(self.ramp_t(centres) * (RAMP_STEPS - 1)).astype(int)]
        return Mesh(vertices, colours)

    def _floor(self, xs: np.ndarray, ys: np.ndarray, grid: np.ndarray) -> VGroup:
        """The contour lines at the floor of the box, each in its level's colour."""
        p = palette()
        z0 = self.z_range[0]
        gen = contourpy.contour_generator(xs, ys, np.ma.masked_invalid(grid), name="serial")
        ramp = floor_ramp(p.ramp, p.name == "dark")
        out = VGroup()
        self.lines: list[tuple[float, VMobject]] = []
        for level in self.levels:
            mob = VMobject(stroke_color=ramp.at(float(self.ramp_t(level))), stroke_width=2.0)
            for seg in gen.lines(level):
                if len(seg) < 2:
                    continue
                pts = simplify(self.to_scene(seg[:, 0], seg[:, 1], np.full(len(seg), z0)))
                mob.start_new_path(pts[0])
                mob.add_points_as_corners(pts[1:])
            if mob.has_points():
                self.lines.append((float(level), mob))
                out.add(mob)
        return out

    def to_scene(self, x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        """c2p over arrays: (n, 3) scene points (the axes are one affine map)."""
        o = np.asarray(self.axes.c2p(0.0, 0.0, 0.0), dtype=float)
        e = [np.asarray(self.axes.c2p(*v), dtype=float) - o for v in ((1, 0, 0), (0, 1, 0), (0, 0, 1))]
        x, y, z = (np.asarray(a, dtype=float)[:, None] for a in (x, y, z))
        return o + x * e[0] + y * e[1] + z * e[2]

    def _corner(self, x: float, y: float, z: float) -> np.ndarray:
        return self.to_scene([x], [y], [z])[0]

    def _frame(self) -> VMobject:
        (x0, x1), (y0, y1), z0 = self.axes.x_range[:2], self.axes.y_range[:2], self.z_range[0]
        ring = [self._corner(x, y, z0) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
        frame = VMobject(stroke_color=palette().axis, stroke_width=1.5, stroke_opacity=0.6)
        frame.set_points_as_corners(ring)
        return frame

    def _axis_lines(self, front: tuple[int, int]) -> VGroup:
        """x along the floor's front edge, y along its side edge facing the camera, f up the
        corner at the far end of the x axis' start (the left of the picture)."""
        (x0, x1), (y0, y1), (z0, z1) = self.axes.x_range[:2], self.axes.y_range[:2], self.z_range
        side_x = x1 if front[0] else x0
        front_y = y0 if front[1] == 0 else y1
        corner_x = x0 if front[0] else x1
        ends = (
            ((x0, front_y, z0), (x1, front_y, z0)),
            ((side_x, y0, z0), (side_x, y1, z0)),
            ((corner_x, front_y, z0), (corner_x, front_y, z1)),
        )
        lines = [Line(self._corner(*a), self._corner(*b), stroke_width=3.0) for a, b in ends]
        return VGroup(*lines).set_color(palette().axis)

    def place_axes(self, project: Callable[[np.ndarray], np.ndarray]) -> None:
        """Put the axes on the edges facing the camera (`project`: scene point -> frame point):
        x and y along the floor edges lowest in the picture, f up its leftmost corner; called
        again whenever the camera turns."""
        (x0, x1), (y0, y1), (z0, z1) = self.axes.x_range[:2], self.axes.y_range[:2], self.z_range

        def screen_y(x: float, y: float) -> float:
            return float(project(self._corner(x, y, z0))[1])

        front_y = min((y0, y1), key=lambda y: screen_y((x0 + x1) / 2, y))
        # the lower side edge; seen square-on (both alike), the right-hand one, clear of f's corner
        lows = {x: screen_y(x, (y0 + y1) / 2) for x in (x0, x1)}
        side_x = min(lows, key=lows.get)
        if abs(lows[x0] - lows[x1]) < 0.3:
            side_x = max((x0, x1), key=lambda x: float(project(self._corner(x, (y0 + y1) / 2, z0))[0]))
        cx, cy = min(
            ((x, y) for x in (x0, x1) for y in (y0, y1)), key=lambda c: project(self._corner(*c, z0))[0]
        )
        x_line, y_line, f_line = self.axis_lines
        x_line.put_start_and_end_on(self._corner(x0, front_y, z0), self._corner(x1, front_y, z0))
        y_line.put_start_and_end_on(self._corner(side_x, y0, z0), self._corner(side_x, y1, z0))
        f_line.put_start_and_end_on(self._corner(cx, cy, z0), self._corner(cx, cy, z1))

    # ---- points on the mesh ---------------------------------------------------------------
    def normals(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """f and the mesh's unit normal in scene units at each (x, y): the scene stretches x, y
        and f by different factors, so the normal is taken of the surface as drawn."""
        f, g = sample_gradients(self.landscape, np.asarray(xy, dtype=float))
        sx, sy, sz = self.scales()
        n = np.stack([-g[:, 0] * sz / sx, -g[:, 1] * sz / sy, np.ones(len(g))], axis=1)
        n = np.where(np.isfinite(n), n, np.array([0.0, 0.0, 1.0]))
        return f, n / np.linalg.norm(n, axis=1, keepdims=True)

    def scales(self) -> tuple[float, float, float]:
        """Scene units per unit of x, y and f."""
        o = self._corner(0, 0, 0)
        return tuple(float(np.linalg.norm(self._corner(*e) - o)) for e in ((1, 0, 0), (0, 1, 0), (0, 0, 1)))

    def on_mesh(self, xy: np.ndarray, lift: float = 0.0) -> np.ndarray:
        """Scene points at (x, y, f) lifted `lift` along the normal; (x, y) and f kept in the box."""
        xy = np.asarray(xy, dtype=float)
        (x0, x1), (y0, y1), (z0, z1) = self.axes.x_range[:2], self.axes.y_range[:2], self.z_range
        x, y = np.clip(xy[:, 0], x0, x1), np.clip(xy[:, 1], y0, y1)
        f, n = self.normals(np.stack([x, y], axis=1))
        f = np.clip(np.nan_to_num(f, nan=z0), z0, z1)
        return self.to_scene(x, y, f) + lift * n

    def trail_segments(self, xy: np.ndarray, lift: float = LIFT) -> np.ndarray:
        """The trail as one cubic per step that passes through the mesh (lifted) at a third and
        two thirds of the step, not a chord through a hill: (n, 4, 3)."""
        xy = np.asarray(xy, dtype=float)
        a, b = xy[:-1], xy[1:]
        if len(a) == 0:
            return np.zeros((0, 4, 3))
        q = [self.on_mesh(a + t * (b - a), lift) for t in (0.0, 1 / 3, 2 / 3, 1.0)]
        p0, q1, q2, p3 = q
        r1 = 27 * q1 - 8 * p0 - p3
        r2 = 27 * q2 - p0 - 8 * p3
        p1, p2 = (2 * r1 - r2) / 18, (2 * r2 - r1) / 18
        return np.stack([p0, p1, p2, p3], axis=1)


class Mesh(VMobject):
    """The surface as drawn: an (n+1) x (n+1) grid of scene points and one colour per quad face,
    opaque, each face stroked in its own fill colour (no seam, no outline). The camera hands it
    the cairo context (`draw_on`): it projects every vertex at once, sorts the faces far to near
    and fills them lit by the camera's light, so a frame costs a few cairo calls per face
    instead of a mobject per face."""

    def __init__(self, vertices: np.ndarray, colours: np.ndarray) -> None:
        super().__init__(fill_opacity=1.0, stroke_width=SEAM, shade_in_3d=False)
        self.resolution = vertices.shape[0] - 1
        self.colours = np.asarray(colours, dtype=float)  # (n, n, 3): the ramp's colour by height
        self.set_points_as_corners(vertices.reshape(-1, 3))  # the box and centre follow them
        self._lit: tuple[tuple[float, ...], np.ndarray] | None = None
        self.dark = palette().name == "dark"
        # one colour stands for all its faces where a single one is asked (the contrast checks):
        # under the camera's light, the face nearest the theme's text colour, the worst case
        lit = self.lit(np.asarray(ThreeDCamera().light_source_start_point, dtype=float)).reshape(-1, 3)
        text = np.array(palette().text.to_rgb())
        self.set_fill(rgb_colour(lit[np.argmin(np.abs(lit @ LUMA - text @ LUMA))]), opacity=1.0)

    @property
    def vertices(self) -> np.ndarray:
        """(n+1, n+1, 3), row k at the k-th y, column j at the j-th x."""
        anchors = np.concatenate([self.points[0::4], self.points[-1:]])
        n = self.resolution
        return anchors.reshape(n + 1, n + 1, 3)

    def normals(self) -> np.ndarray:
        """Each face's unit normal, pointing up (n, n, 3)."""
        v = self.vertices
        du = v[:-1, 1:] - v[:-1, :-1] + v[1:, 1:] - v[1:, :-1]
        dv = v[1:, :-1] - v[:-1, :-1] + v[1:, 1:] - v[:-1, 1:]
        nrm = np.cross(du, dv)
        return nrm / np.maximum(np.linalg.norm(nrm, axis=2, keepdims=True), 1e-12)

    def lit(self, light: np.ndarray) -> np.ndarray:
        """The faces' colours under a point light (Lambert): on a dark ground the slopes facing
        away darken toward an ambient floor, on a light one the slopes facing the light lighten
        toward white; either way no face leaves the ramp's side of the theme's text, so what
        the ramp was built for (text 4.5:1 on every band, ball edges 3:1) holds on the mesh."""
        key = tuple(np.round(light, 6))
        if self._lit is None or self._lit[0] != key:
            v = self.vertices
            centres = (v[:-1, :-1] + v[1:, :-1] + v[:-1, 1:] + v[1:, 1:]) / 4
            to_light = light - centres
            to_light /= np.linalg.norm(to_light, axis=2, keepdims=True)
            diffuse = np.clip(np.sum(self.normals() * to_light, axis=2), 0.0, 1.0)[..., None]
            if self.dark:
                rgb = self.colours * (AMBIENT + (1 - AMBIENT) * diffuse)
            else:
                rgb = self.colours + (1 - self.colours) * (1 - AMBIENT) * diffuse
            rgb = np.clip(rgb, 0, 1)
            self._lit = (key, rgb)
        return self._lit[1]

    def draw_on(self, camera: Any, ctx: cairo.Context) -> None:
        if self.get_fill_opacity() <= 0:
            return
        n = self.resolution
        v = self.vertices
        flat = camera.project_points(v.reshape(-1, 3)).reshape(n + 1, n + 1, 3)
        quads = np.stack([flat[:-1, :-1], flat[:-1, 1:], flat[1:, 1:], flat[1:, :-1]], axis=2)  # (n, n, 4, 3)
        depth = quads[..., 2].mean(axis=2).ravel()
        order = np.argsort(depth, kind="stable")  # far (low z toward the camera) first
        rgb = self.lit(np.asarray(camera.light_source.points[0], dtype=float)).reshape(-1, 3)
        xy = quads[..., :2].reshape(-1, 4, 2)
        ctx.set_line_width(self.get_stroke_width() * camera.cairo_line_width_multiple)
        ctx.set_line_join(cairo.LINE_JOIN_ROUND)
        for k in order.tolist():
            (ax, ay), (bx, by), (cx, cy), (dx, dy) = xy[k].tolist()
            ctx.new_path()
            ctx.move_to(ax, ay)
            ctx.line_to(bx, by)
            ctx.line_to(cx, cy)
            ctx.line_to(dx, dy)
            ctx.close_path()
            r, g, b = rgb[k].tolist()
            ctx.set_source_rgb(b, g, r)  # manim's pixels are cairo's BGRA read as RGBA
            ctx.fill_preserve()
            ctx.stroke()


class ShadedBall(VMobject):
    """A ball as a lit sphere: its six extreme points are its points (so its centre is the
    sphere's), drawn by the camera as a disc of its projected radius, shaded from a highlight
    on the side of the light to a dark rim, with an edge in the theme's ball edge colour."""

    def __init__(self, centre: np.ndarray, radius: float, colour: Any) -> None:
        # its edge as the kit's flat balls have it: the theme's ball edge, 4 px at 1080p
        super().__init__(
            fill_color=colour, fill_opacity=1.0, stroke_color=palette().ball_edge, stroke_width=3.0
        )
        self.radius = radius
        axes = np.vstack([np.eye(3), -np.eye(3)])
        self.set_points_as_corners(np.asarray(centre, dtype=float) + radius * axes)

    def draw_on(self, camera: Any, ctx: cairo.Context) -> None:
        alpha = float(self.get_fill_opacity())
        if alpha <= 0:
            return
        c = self.get_center()
        sx, sy = camera.project_points(c[None])[0][:2].tolist()
        r = self.radius * camera.scale_at(c)
        light = np.asarray(camera.light_source.points[0], dtype=float)
        towards = light - c
        towards = c + self.radius * towards / max(float(np.linalg.norm(towards)), 1e-12)
        d = camera.project_points(towards[None])[0][:2] - np.array([sx, sy])
        d = d / max(float(np.linalg.norm(d)), 1e-12) * 0.45 * r
        base = np.array(self.get_fill_color().to_rgb())
        grad = cairo.RadialGradient(sx + d[0], sy + d[1], 0.05 * r, sx, sy, r)
        for at, rgb in ((0.0, base + (1 - base) * 0.6), (0.45, base), (1.0, base * 0.45)):
            grad.add_color_stop_rgba(at, *rgb[::-1].tolist(), alpha)  # BGR: manim's pixel order
        ctx.new_path()
        ctx.arc(sx, sy, r, 0, 2 * np.pi)
        ctx.set_source(grad)
        ctx.fill_preserve()
        ctx.set_source_rgba(*self.get_stroke_color().to_rgb()[::-1], alpha)
        ctx.set_line_width(self.get_stroke_width() * camera.cairo_line_width_multiple)
        ctx.stroke()
