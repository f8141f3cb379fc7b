"""The base of every story scene: title, axes or plane, balls with trails, the readout
panel, captions and annotations, all driven by one ValueTracker over precomputed
trajectories.

A scene file holds its story (which balls, which beats, which words); the drawing lives
here. Numbers come from `landscapes`: this module draws arrays and never computes a
gradient. Every drawn ball position is a real trajectory point: the tracker's value is
floored to a step index, never interpolated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UL, UP, Line, Scene, ValueTracker, VGroup, VMobject, linear

from landscapes import Landscape, Settings, Story, Trajectory
from scenes.catalog import get_story
from scenes.kit.axes import curve, curve_points, end_labels, story_axes, to_scene, value_range
from scenes.kit.bars import StateBars
from scenes.kit.contour import ContourPlane
from scenes.kit.labels import Box, Obstacles, box_of, place
from scenes.kit.layout import EDGE, FRAME_W, Regions, regions
from scenes.kit.markers import DashedTrail, ball_marker, style_beads, style_trail
from scenes.kit.mathtext import Size, flat, math, require_font, text
from scenes.kit.palette import BallStyle, ball_style, palette, use_palette
from scenes.kit.readouts import FONT, NUMBER_SIZE, Readouts, name_math, name_text, series_feed
from scenes.kit.step import StepArrow, Tangent
from scenes.kit.typeset import typeset
from scenes.narration import beatsfile
from scenes.narration.beats import BOOK_VIEW, Beat, Label, Narration
from scenes.narration.registry import narrate
from scenes.words.i18n import _, use_language
from scenes.words.terms import coordinate_names, settings_label

CAPTION_FONT = Size.CAPTION
CAPTION_WIDTH = FRAME_W - 2 * EDGE - 0.3
FRAME = (-7.05, -3.35, 7.05, 3.9)  # where annotations may go before a layout is chosen


@dataclass
class Ball:
    """One trajectory drawn: its dot, its trail and its scene coordinates per step."""

    traj: Trajectory
    name: str
    color: Any
    dot: VMobject
    trail: VMobject
    coords: np.ndarray  # (n+1, 3) scene points, one per step
    segments: np.ndarray  # (n, 4, 3) the trail's step segments, cut at the view's edge if it leaves
    inside: np.ndarray  # (n+1,) whether each point is in view
    beads: VMobject | None = None  # on a plane: a dot at every visited point
    style: Any = None  # its BallStyle: colour, marker shape, dash
    marker: VMobject | None = None  # where a ball out of view is: an arrow at the edge, its coordinate

    def index(self, step: float) -> int:
        return min(int(step), len(self.coords) - 1)


@dataclass(frozen=True)
class Mark:
    """An annotation: words with a leader line to a point in the axes' coordinates."""

    x: float
    y: float
    words: str


class StoryScene(Scene):
    """A scene of one story record; `settings` overrides the story's main ball."""

    story_name: ClassVar[str]
    roll_seconds: ClassVar[float] = 9.0
    # True: a runaway ball stops at the view's edge (readouts keep the true numbers).
    # False: it leaves the view, as the numbers say; its trail is cut at the edge.
    clip_to_view: ClassVar[bool] = True

    def __init__(
        self,
        settings: Settings | None = None,
        options: Mapping[str, Any] | None = None,
        theme: str = "dark",
        lang: str = "en",
        captions: bool = True,
        **kwargs: Any,
    ) -> None:
        # the look is process-wide (the kit's parts read it as they are built): every scene
        # sets its own, so one scene's theme or language never leaks into the next
        use_palette(theme)
        require_font(lang)
        use_language(lang)
        super().__init__(**kwargs)
        self.camera.background_color = palette().background
        self.theme, self.lang = theme, lang
        self.draw_captions = captions  # False: the caption line is left to a deck's slide text
        self.options = dict(options or {})
        self.story = self.find_story()
        self.settings = settings or self.story.settings
        self.landscape = self.settings.landscape_obj
        self.trajectories = self.story.trajectories(self.settings, options)
        self.balls: list[Ball] = []
        self.step = ValueTracker(0)
        self.caption_mob: VMobject | None = None
        self.caption_text = ""
        self.captions: list[str] = []
        self.movers: list[tuple[VMobject, Callable[[VMobject], None]]] = []
        self.live = VGroup()  # the panels' numbers, updated in place while rolling
        self.axes: Any = None
        self.plane: ContourPlane | None = None
        self.obstacles = Obstacles()
        self.plot_area: Box = FRAME
        self.regions: Regions | None = None  # chosen with the plot (scenes.kit.layout)
        self.title_mob: VMobject | None = None
        self.caption_step: int | None = None  # the step a shown caption's numbers belong to
        self.marks: list[VGroup] = []
        self.panels: list[Readouts] = []  # annotations keep clear of them
        self.curves: list[VMobject] = []
        self.pointers: list[VMobject] = []  # step arrows, tangents, state bars: moving, under the balls
        self.past_balls: list[Ball] = []
        # the story's beats as shown: each caption opens one (a manim section, a subtitle cue,
        # a slide); written as NAME.beats.json beside the video
        self.beats: list[dict[str, Any]] = []

    def find_story(self) -> Story:
        """The scene's record (a story file's scene reads its own from the options)."""
        return get_story(self.story_name)

    def ball(self, name: str) -> Ball:
        """The drawn ball of the record's ball `name` (scenes/catalog.py names them)."""
        traj = self.trajectories[name]
        for ball in self.balls:
            if ball.traj is traj:
                return ball
        raise KeyError(f"ball {name!r} is not drawn yet")

    def label_of(self, name: str) -> str:
        """What the narration calls the record's ball `name` on screen (its legend's words)."""
        return self.narration.names[self.trajectories.names.index(name)]

    @cached_property
    def narration(self) -> Narration:
        """The story's words for this run (scenes.narration): ball names and beats."""
        return narrate(self.story_name, self.trajectories, self.options)

    # ---- static parts -------------------------------------------------------
    def overlay(self, *mobs: VMobject) -> None:
        """Add screen-fixed parts (title, readouts, caption); 3D scenes pin them to the frame."""
        self.add(*mobs)

    def block(self, *mobs: VMobject) -> None:
        """Annotations keep clear of these."""
        for m in mobs:
            self.obstacles.add_box(box_of(m, pad=0.05))

    def layout(self, kind: str, aspect: float | None = None) -> Regions:
        """Cut the frame for this scene's view (scenes.kit.layout): the caption strip as tall
        as its longest caption needs; the title moves to the top of the panel column."""
        self.regions = regions(kind, aspect, caption_lines=self.caption_lines())
        if self.title_mob is not None:
            self.place_title(self.title_mob)
        return self.regions

    def caption_lines(self) -> int:
        try:
            beats = self.narration.beats
        except Exception:  # a scene without words yet (a story file's own) takes one line
            return 1
        return max((len(self.caption_rows(b.caption)) for b in beats), default=1)

    def place_title(self, t: VMobject) -> None:
        """Top left of the panel column; a formula wider than the column breaks after its
        "=" (as a slide would), and only one too wide for two lines is shrunk."""
        panel = self.regions.panel if self.regions else regions("plane", 7 / 6).panel
        width = panel[2] - panel[0]
        words = getattr(t, "original_text", "")
        for mark in (", ", "="):  # two formulas: one a line; one formula: break after its "="
            cut = top_level(words, mark)
            if t.width > width and cut is not None:
                head = len(words[: cut + len(mark)].replace(" ", ""))
                VGroup(*t[:head]).next_to(VGroup(*t[head:]), UP, buff=0.12, aligned_edge=LEFT)
        if t.width > width:
            t.scale_to_fit_width(width)
        t.move_to([panel[0], panel[3], 0], aligned_edge=UL)
        self.block(t)

    def title(self, tex: str | None = None, plain: str | None = None) -> VMobject:
        """The formula, at the top of the panel column."""
        t = math(tex or self.landscape.latex, plain or self.landscape.plain, font_size=Size.TITLE)
        self.title_mob = t
        self.place_title(t)
        self.overlay(t)
        return t

    def panel_box(self) -> Box:
        """Where readouts go: the panel column under the title."""
        panel = self.regions.panel if self.regions else regions("plane", 7 / 6).panel
        top = self.title_mob.get_bottom()[1] - 0.4 if self.title_mob is not None else panel[3] - 0.25
        return (panel[0], panel[1], panel[2], top)

    def plot(
        self,
        x_range: Sequence[float],
        landscapes: Sequence[Landscape] | None = None,
        y_label: str | None = None,
        colors: Sequence[Any] | None = None,
        x_step: float | None = None,
        inset: float | None = None,
    ) -> list[VMobject]:
        """Axes fitted to the sampled curves of the landscapes, and the curves on them."""
        from scenes.kit.axes import nice_range

        inset_in = inset  # how far wide tick numbers push the box right
        lss = list(landscapes or [self.landscape])
        colors = list(colors or [palette().curve])
        step = x_step or nice_range(x_range[0], x_range[1], ticks=6, pad=0.0)[2]
        y_label = y_label or ("g(x)" if lss[0].name == "g" else "f(x)")
        left, bottom, right, top = self.layout("curve").plot
        left += inset_in or 0.0
        self.axes, labels = story_axes(
            [x_range[0], x_range[1], step],
            value_range(lss, x_range),
            right - left,
            top - bottom,
            "x",
            y_label,
            left=left,
            centre_y=(top + bottom) / 2,
        )
        reach = min(m.get_left()[0] for m in [*self.axes.y_axis.numbers, labels[1]])
        if reach < FRAME[0] + 0.05:  # wide tick numbers (−100): the box moves right, narrower
            inset = FRAME[0] + 0.05 - reach
            inset += inset_in or 0.0
            return self.plot(x_range, landscapes, y_label, colors, x_step=step, inset=inset)
        self.axis_labels = labels
        self.add(self.axes.drawn, labels)
        self.block(labels, *self.axes.x_axis.numbers, *self.axes.y_axis.numbers)
        self.plot_area = (left, bottom, right, top)
        curves = []
        for k, ls in enumerate(lss):
            pts = curve_points(self.axes, ls, x_range)
            self.obstacles.add_line(pts)
            curves.append(curve(pts, colors[k % len(colors)]))
        self.add(*curves)
        self.curves = curves
        return curves

    def contour_plane(
        self,
        x_range: Sequence[float],
        y_range: Sequence[float],
        levels: int | Sequence[float] = 12,
    ) -> ContourPlane:
        """The landscape seen from above, as large as the frame allows at equal aspect, left
        of the panel; balls move over it."""
        x_label, y_label = coordinate_names(self.landscape)
        aspect = (x_range[1] - x_range[0]) / (y_range[1] - y_range[0])
        left, bottom, right, top = self.layout("plane", aspect).plot
        width, height = right - left, top - bottom
        plane = ContourPlane(
            self.landscape,
            x_range,
            y_range,
            width,
            height,
            levels,
            x_label=x_label,
            y_label=y_label,
            centre=(left + width / 2, (top + bottom) / 2),
        )
        edge = plane.frame_box.get_left()[0]
        ys = VGroup(*(t for t in plane.tick_labels if t.get_right()[0] < edge))
        xs = VGroup(*(t for t in plane.tick_labels if t.get_right()[0] >= edge))
        end_labels(plane.frame_box, plane.x_label, plane.y_label, ys, xs)
        for t in list(plane.tick_labels):  # end_labels dropped a y number under the y label
            if t.get_right()[0] < plane.frame_box.get_left()[0] and t not in ys.submobjects:
                plane.tick_labels.remove(t)
        self.plane, self.axes = plane, plane.axes
        self.add(plane)
        self.block(plane.tick_labels, plane.x_label, plane.y_label)
        box = plane.frame_box
        self.plot_area = (box.get_left()[0], box.get_bottom()[1], box.get_right()[0], box.get_top()[1])
        return plane

    # ---- balls ---------------------------------------------------------------
    def scene_points(self, traj: Trajectory) -> np.ndarray:
        """Scene coordinates of each step, kept inside the axes so that a runaway ball stops at
        the view's edge (its readouts still show the true numbers): (x, f) on a curve, (x, y)
        on a plane."""
        (x0, x1), (y0, y1) = self.axes.x_range[:2], self.axes.y_range[:2]
        xs = traj.points[:, 0]
        ys = traj.points[:, 1] if self.plane is not None else traj.values
        if self.clip_to_view:
            xs, ys = np.clip(xs, x0, x1), np.clip(ys, y0, y1)
        return to_scene(self.axes, xs, ys)

    def view_box(self) -> Box:
        """The plot's box in scene units: where a ball is in view."""
        (x0, x1), (y0, y1) = self.axes.x_range[:2], self.axes.y_range[:2]
        lo, hi = self.axes.c2p(x0, y0), self.axes.c2p(x1, y1)
        return (lo[0], lo[1], hi[0], hi[1])

    def make_dot(
        self, point: np.ndarray, radius: float, color: Any, style: BallStyle | None = None
    ) -> VMobject:
        """The ball: its style's marker (a disc for the first four, then a shape each) with an
        edge that keeps it apart from every band."""
        style = replace(style or ball_style(len(self.balls)), color=color)
        return ball_marker(style, point, radius)

    def add_ball(self, traj: Trajectory, name: str, radius: float = 0.13, color: Any = None) -> Ball:
        style = ball_style(len(self.balls))  # colour, marker, dash: eight balls told apart
        if color is not None:
            style = replace(style, color=color)
        color = style.color
        coords = self.scene_points(traj)
        dot = self.make_dot(coords[0], radius, color, style)
        trail = style_trail(VMobject(), style)  # 5 px at 1080p over an edge of its own
        box = None if self.clip_to_view else self.view_box()
        segments = trail_segments(coords, box)
        inside = in_box(coords, box) if box is not None else np.ones(len(coords), dtype=bool)
        # a step from one point out of view to another would cross the plot as a line of its
        # own (a runaway ball draws a fence of them): it is left out; the edge marker says where
        # the ball is instead
        away = ~inside[:-1] & ~inside[1:]
        segments[away] = segments[away][:, :1, :]
        ball = Ball(traj, name, color, dot, trail, coords, segments, inside)
        if box is not None and not inside.all():
            ball.marker = self.edge_marker(ball, box)
        self.obstacles.add_line(coords)
        ball.style = style
        rings = None
        if self.plane is not None:  # the path as dots joined by lines, as the book draws it
            rings = bead_paths(coords, radius * 0.4)
            ball.beads = style_beads(VMobject(), style)
        dashed = DashedTrail(segments, style.dash) if style.dash else None

        def follow(i: int) -> None:
            dot.move_to(coords[i])
            dot.set_opacity(1.0 if inside[i] else 0.0)  # gone from view: the numbers say where
            if i:
                trail.points = dashed.points(i) if dashed is not None else segments[:i].reshape(-1, 3)
            else:
                trail.clear_points()
            if rings is not None:
                ball.beads.points = rings[: i + 1][inside[: i + 1]].reshape(-1, 3)

        self._on_step(dot, ball, follow)
        self.balls.append(ball)
        return ball

    def _on_step(self, mob: VMobject, ball: Ball, draw: Callable[[int], None]) -> None:
        """Draw `mob` from its ball's step index now, and again whenever the index changes while
        rolling: a step lasts many frames, and between steps nothing needs rebuilding."""
        drawn = [-1]

        def update(_: VMobject) -> None:
            i = ball.index(self.step.get_value())
            if i != drawn[0]:
                drawn[0] = i
                draw(i)

        update(mob)
        self.movers.append((mob, update))

    def edge_words(self, ball: Ball, i: int, box: Box) -> tuple[str, int] | None:
        """What the edge marker says at step i ("x₂ = -1673 ↓") and which axis it is on; None
        while the ball is in view. On a curve x comes first (f follows from it); on a plane
        the coordinate farthest beyond its edge."""
        if ball.inside[i]:
            return None
        p, tr = ball.coords[i], ball.traj
        over = [max(box[0] - p[0], p[0] - box[2], 0) / (box[2] - box[0])]
        over.append(max(box[1] - p[1], p[1] - box[3], 0) / (box[3] - box[1]))
        k = (0 if over[0] > 0 else 1) if self.plane is None else int(over[1] > over[0])
        names = [plain for _tex, plain in coordinate_names(self.landscape)]
        if self.plane is None:
            name, value = ("f", tr.values[i]) if k else (names[0], tr.points[i, 0])
        else:
            name, value = names[k], tr.points[i, k]
        hi = box[3] if k else box[2]
        arrow = ("↓↑" if k else "←→")[int(p[k] > hi)]
        return _("{name} = {value:.4g} {arrow}").format(name=name, value=value, arrow=arrow), k

    def edge_marker(self, ball: Ball, box: Box) -> VMobject:
        """While the ball is out of view: its coordinate at the view's edge where it went,
        step by step, so its trail need not cross the plot."""
        label = VMobject(fill_color=palette().text, fill_opacity=1.0, stroke_width=0)  # 4.5:1 on the fill

        def where(i: int) -> None:
            said = self.edge_words(ball, i, box)
            if said is None:
                label.clear_points()
                return
            words, k = said
            p = ball.coords[i]
            mob = flat(text(words, font_size=FONT - 4, color=label.fill_color))
            edge = np.clip(p, [box[0], box[1], 0], [box[2], box[3], 0])
            inward = (UP if p[1] < box[1] else DOWN) if k else (RIGHT if p[0] < box[0] else -RIGHT)
            mob.move_to(edge + inward * (0.1 + (mob.height if k else mob.width) / 2))
            # and inside the view along the edge
            mob.shift(RIGHT * (max(box[0] - mob.get_left()[0], 0) - max(mob.get_right()[0] - box[2], 0)))
            mob.shift(UP * (max(box[1] - mob.get_bottom()[1], 0) - max(mob.get_top()[1] - box[3], 0)))
            label.points = mob.points

        self._on_step(label, ball, where)
        self.pointers.append(label)
        return label

    def new_act(self, landscape: Landscape) -> None:
        """Clear the screen for the story's next part, on another landscape; the balls drawn so
        far are kept in `past_balls`."""
        self.past_balls.extend(self.balls)
        self.remove(*self.mobjects)
        self.balls, self.movers, self.pointers, self.marks, self.curves = [], [], [], [], []
        self.panels = []
        self.live = VGroup()
        self.step = ValueTracker(0)
        self.caption_mob = None
        self.obstacles = Obstacles()
        self.plane = None
        self.landscape = landscape

    def ball_readouts(self, show_lr: bool = False) -> Readouts:
        """Step, then per ball its optimizer with every hyper-parameter in force and its live
        coordinates; f on a row of its own while the column has room for it (up to two balls
        on a plane); the learning rate in force, for schedules. The rest of the numbers are in
        beats.json and `roll trajectory`."""
        left, _bottom, right, top = self.panel_box()
        panel = Readouts(left=left, top=top, width=right - left, row=0.46)
        self.step_row(panel)
        panel.gap(0.06)
        names = coordinate_names(self.landscape)
        with_f = len(self.balls) <= 2 or len(names) == 1
        for ball in self.balls:
            tr = ball.traj
            panel.header(ball.name, ball.color, style=ball.style)
            index = self.index_of(ball)
            cols = [(tex, plain, tr.points[:, k]) for k, (tex, plain) in enumerate(names)]
            panel.cells([(name_math(tex, plain), series_feed(arr, index), arr) for tex, plain, arr in cols])
            rows = [("f", "f", tr.values)] if with_f else []
            if show_lr and tr.lrs is not None:  # the rate in force
                rows.append((r"\eta", "η", tr.lrs))
            if rows:
                cells = [(name_math(tex, plain), series_feed(arr, index), arr) for tex, plain, arr in rows]
                panel.cells(cells)
            panel.gap(0.06)
        return self.add_panel(panel)

    def book_plane(
        self,
        trajectories: Sequence[Trajectory] | None = None,
        steps: bool = True,
        radius: float = 0.13,
        show_lr: bool = False,
    ) -> tuple[list[Ball], Readouts]:
        """The chapter's 2D stories as the book draws them: title, contour plane, a ball per
        trajectory named by its optimizer and hyper-parameters, their step arrows, the panel."""
        self.title()
        self.contour_plane(*BOOK_VIEW)
        names = dict(zip(map(id, self.trajectories), self.narration.names, strict=True))
        balls = [
            self.add_ball(t, names.get(id(t)) or settings_label(t.settings), radius=radius)
            for t in trajectories or self.trajectories
        ]
        if steps:
            for ball in balls:
                self.show_step(ball)
        return balls, self.ball_readouts(show_lr=show_lr)

    def state_bars(self, balls: Sequence[Ball], panel: Readouts, name: str = "s") -> list[StateBars]:
        """A bar chart of one state per ball under the panel, all on one √ scale so that balls
        and coordinates compare directly."""
        carriers = [b for b in balls if name in b.traj.state]  # --optimizer may pick one without it
        if not carriers:
            return []
        top = float(max(np.sqrt(b.traj.state[name].max()) for b in carriers))
        floor = self.panel_box()[1] + 0.85  # room under the bars for their names and numbers
        height = max(min(1.8, panel.bottom - 0.35 - floor), 0.6)
        return [
            self.show_state(
                ball, name, origin=(panel.left + 0.1 + 2.4 * k, floor), scale_max=top, height=height
            )
            for k, ball in enumerate(carriers)
        ]

    @property
    def every_ball(self) -> list[Ball]:
        """The balls of every part of the story so far."""
        return [*self.past_balls, *self.balls]

    # ---- the step made visible -------------------------------------------------------
    def show_step(self, ball: Ball, color: Any = None) -> StepArrow:
        """An arrow from the ball to its next trajectory point: the step it is about to take."""
        arrow = StepArrow(color or ball.color, width=6.0)
        ends = ball.segments[:, -1]  # a step out of view ends at the view's edge, pointing the way

        def point(i: int) -> None:
            if i + 1 < len(ball.coords) and ball.inside[i]:
                arrow.put(ball.coords[i], ends[i])
            else:
                arrow.hide()

        return self._pointer(arrow, ball, point)

    def show_gradient_step(self, ball: Ball, color: Any = None) -> StepArrow:
        """An arrow to where −η·g alone would take the ball (on a plane): beside momentum's real
        step, it shows what the velocity adds."""
        if self.plane is None:
            raise ValueError("the gradient's own step is drawn on a contour plane")
        ends = ball.traj.gradient_steps()  # the numbers' side computes the step; here it is drawn
        targets = to_scene(self.axes, ends[:, 0], ends[:, 1])
        n = min(len(targets), len(ball.coords))
        pairs = np.empty((2 * n, 3))
        pairs[0::2], pairs[1::2] = ball.coords[:n], targets[:n]
        targets = targets.copy()
        targets[:n] = trail_segments(pairs, self.view_box())[0::2, -1]  # inside the plot's box
        arrow = StepArrow(color or palette().gradient, width=3.0)

        def point(i: int) -> None:
            if i + 1 < len(ball.coords):
                arrow.put(ball.coords[i], targets[i])
            else:
                arrow.hide()

        arrow.targets = targets
        return self._pointer(arrow, ball, point)

    def show_tangent(self, ball: Ball, color: Any = None, length: float = 2.2) -> Tangent:
        """The tangent at the ball on a curve: its slope is f′ there (flat where f′ = 0)."""
        o = np.asarray(self.axes.c2p(0.0, 0.0))
        ux = np.asarray(self.axes.c2p(1.0, 0.0)) - o
        uy = np.asarray(self.axes.c2p(0.0, 1.0)) - o
        slopes = ball.traj.grads[:, 0]
        line = Tangent(color or palette().tangent, length=length)

        def point(i: int) -> None:
            line.put(ball.coords[i], ux[:2] + slopes[i] * uy[:2])

        return self._pointer(line, ball, point)

    def show_state(
        self,
        ball: Ball,
        name: str,
        origin: Sequence[float],
        scale_max: float | None = None,
        height: float = 1.3,
    ) -> StateBars:
        """Bars of one optimizer state (e.g. adagrad's s) per coordinate, following the ball."""
        values = ball.traj.state[name]
        dims = values.shape[1]
        names = [(f"{name}_{k + 1}", f"{name}{k + 1}") for k in range(dims)]
        bars = StateBars(values, names, ball.color, origin, height=height, scale_max=scale_max)
        self.overlay(bars)
        self.block(bars, *bars.numbers)
        self.pointers.extend(bars.bars)
        self.live.add(*bars.numbers)
        self._on_step(bars.bars[0], ball, bars.show)
        return bars

    def _pointer(self, mob: VMobject, ball: Ball, draw: Callable[[int], None]) -> VMobject:
        self.pointers.append(mob)
        self._on_step(mob, ball, draw)
        return mob

    def index_of(self, ball: Ball) -> Callable[[], int]:
        return lambda: ball.index(self.step.get_value())

    # ---- readouts ------------------------------------------------------------
    def readouts(
        self,
        dim_names: Sequence[str] = ("x",),
        extra: dict[int, list[tuple[str, str, np.ndarray]]] | None = None,
        gradients: bool = True,
    ) -> Readouts:
        """Step and learning rate, then per ball: x (y), f, gradient (and `extra` rows, as
        (tex, plain, values per step) by ball index), updated in place."""
        left, _bottom, right, top = self.panel_box()
        panel = Readouts(left=left, top=top, width=right - left)
        self.step_row(panel)
        # η as the balls' rules have it: adadelta has none, a schedule changes it every step
        with_lr = [b for b in self.balls if "lr" in b.traj.settings.hyperparameters]
        scheduled = [b for b in with_lr if b.traj.settings.schedule != "constant" and b.traj.lrs is not None]
        if len(with_lr) == 1 and scheduled:
            ball = scheduled[0]
            panel.live(name_math(r"\eta", "η"), series_feed(ball.traj.lrs, self.index_of(ball)))
        elif with_lr:
            lrs = sorted({b.traj.settings.lr for b in with_lr})
            lr_text = ", ".join(f"{v:g}" for v in lrs)
            panel.row(name_math(r"\eta", "η"), name_math(lr_text, lr_text, size=NUMBER_SIZE))
        panel.gap()
        for b, ball in enumerate(self.balls):
            sym = "g" if ball.traj.settings.landscape == "g" else "f"
            grad_names = (
                [(f"{sym}'(x)", f"{sym}′(x)")]
                if len(dim_names) == 1
                else [(rf"\partial {sym}/\partial {n}", f"∂{sym}/∂{n}") for n in dim_names]
            )
            panel.header(ball.name, ball.color, style=ball.style)
            series: list[tuple[str, str, np.ndarray]] = [
                (n, n, ball.traj.points[:, k]) for k, n in enumerate(dim_names)
            ]
            fname = f"{sym}(x)" if len(dim_names) == 1 else f"{sym}({', '.join(dim_names)})"
            series.append((fname, fname, ball.traj.values))
            if gradients:
                series += [(tex, plain, ball.traj.grads[:, k]) for k, (tex, plain) in enumerate(grad_names)]
            series += (extra or {}).get(b, [])
            for tex, plain, arr in series:
                panel.live(name_math(tex, plain), series_feed(arr, self.index_of(ball)))
            panel.gap()
        return self.add_panel(panel)

    def step_row(self, panel: Readouts) -> None:
        """The step counter every panel starts with."""
        n_max = self.last_step
        step = name_text(_("step"), size=Size.NAME)
        panel.live(step, lambda: min(int(self.step.get_value()), n_max), digits=0)

    def add_panel(self, panel: Readouts) -> Readouts:
        """Show a panel: its static rows now, its numbers as moving parts (see show_balls).
        Annotations keep 0.3 clear of a panel right of the plot."""
        self.panels.append(panel)
        left, bottom, right, top = self.plot_area
        if panel.get_left()[0] > left:
            self.plot_area = (left, bottom, min(right, panel.get_left()[0] - 0.3), top)
        self.overlay(panel)
        self.block(panel, *panel.numbers)
        for num, feed in panel.feeds:
            self.live.add(num)
            self._live(num, feed)
        return panel

    def _live(self, num: Any, value: Callable[[], float]) -> None:
        """Update a number in place each frame (only when its value changed)."""

        def update(m: Any) -> None:
            v = value()
            if v != m.get_value():
                m.set_value(v)

        self.movers.append((num, update))

    # ---- time ----------------------------------------------------------------
    def show_balls(self) -> None:
        """Trails, dots on top, then the live numbers: the moving parts, added after every
        static part so that Cairo draws the static ones once per animation, not per frame."""
        self.add(self.step)  # the first moving part: manim redraws every part after it
        for ball in self.balls:
            self.add(ball.trail, *([ball.beads] if ball.beads is not None else []))
        self.add(*self.pointers)
        for ball in self.balls:
            self.add(ball.dot)
        self.overlay(self.live)
        self.wait(0.8)

    @property
    def main_ball(self) -> Ball:
        """The ball of the story's main settings (the one `roll trajectory` prints)."""
        return next(b for b in self.balls if b.traj.settings == self.settings)

    @property
    def last_step(self) -> int:
        return max(len(b.coords) - 1 for b in self.balls)

    def first_step(self, ball: Ball, condition: np.ndarray) -> int:
        """First step index where `condition` holds for this ball (its last step if never)."""
        hits = np.flatnonzero(condition)
        return int(hits[0]) if len(hits) else len(ball.coords) - 1

    def roll_to(self, step: int, seconds: float | None = None) -> None:
        """Advance every ball to `step` (balls that stopped earlier stay at their end)."""
        step = max(0, min(step, self.last_step))
        now = self.step.get_value()
        if step <= now:
            return
        if seconds is None:
            seconds = max(0.5, self.roll_seconds * (step - now) / max(self.last_step, 1))
        # updaters live only while rolling: between rolls the scene is still, and manim
        # renders a still wait as one frame repeated. The moving parts go last, so captions
        # and labels are drawn once per roll, not per frame.
        if self.caption_step is not None and step > self.caption_step:
            self.clear_caption()  # its numbers are the shown step's: gone before the balls move on
        self.bring_to_front(
            self.step,  # manim redraws every frame what comes after the first moving part
            *(b.trail for b in self.balls),
            *(b.beads for b in self.balls if b.beads is not None),
            *self.pointers,
            *(b.dot for b in self.balls),
            self.live,
        )
        for mob, fn in self.movers:
            mob.add_updater(fn)
        self.play(self.step.animate.set_value(step), run_time=seconds, rate_func=linear)
        for mob, fn in self.movers:
            mob.remove_updater(fn)

    # ---- words -----------------------------------------------------------------
    def tell(self, beats: Sequence[Beat]) -> None:
        """Each beat in turn: roll to its step, then say it."""
        for beat in beats:
            for step, seconds in beat.via:
                self.roll_to(step, seconds=seconds)
            if beat.at is not None:
                self.roll_to(beat.at, seconds=beat.seconds)
            self.say(beat)

    def say(self, beat: Beat) -> None:
        """A beat's caption, then its labels, held for the beat's time."""
        for label in beat.before:
            self.mark(self.mark_of(label))
        if not beat.labels:
            self.caption(beat.caption, warn=beat.warn, hold=beat.hold, beat=beat)
            return
        self.caption(beat.caption, warn=beat.warn, hold=0, beat=beat)  # it opens the beat
        for label in beat.labels:
            self.mark(self.mark_of(label))
        self.wait(max(beat.hold - 0.5 * len(beat.labels), 0.3))

    def mark_of(self, label: Label) -> Mark:
        return Mark(label.at[0], label.at[1], label.words)

    def caption(
        self, words: str, warn: bool = False, hold: float = 1.2, beat: Beat | None = None
    ) -> VMobject:
        """Replace the caption line at the bottom and hold it a moment. A caption that quotes
        numbers belongs to the step shown now: it leaves before the balls roll past it."""
        self.open_beat(beat or Beat(words, warn=warn))
        self.caption_text = words
        self.captions.append(words)
        shown = typeset(words)
        quotes = any(c in "0123456789" for c in shown)  # a number (not a subscript)
        self.caption_step = int(self.step.get_value()) if quotes else None
        new = self.caption_line(words, palette().warn if warn else palette().note)
        if self.draw_captions:
            self.fade(new, self.caption_mob)
            self.caption_mob = new
        else:
            self.wait(0.6)  # the same time as the fade, so beats and cues keep their times
        if hold:
            self.wait(hold)
        return new

    def clear_caption(self) -> None:
        """The caption leaves (its subtitle cue ends here); the next one opens a new beat."""
        self.caption_step = None
        if self.beats and "end" not in self.beats[-1]:
            self._close_cue(self.renderer.time)
        if not self.draw_captions:
            self.wait(0.2)  # the fade's time, so a deck's caption-less clips keep the video's times
        elif self.caption_mob is not None:
            self.fade(VMobject(), self.caption_mob, seconds=0.2)
            self.caption_mob = None

    def caption_rows(self, words: str) -> list[str]:
        """The caption's lines: one at the caption size, or at the smallest caption size, or
        two split at the clause break nearest the middle."""
        shown = typeset(words)
        for size in caption_sizes(shown):
            if text(shown, font_size=size).width <= CAPTION_WIDTH:
                return [shown]
        halves = split_caption(shown)
        return list(halves) if halves is not None else [shown]

    def caption_line(self, words: str, color: Any) -> VMobject:
        """The caption in the strip at the bottom (scenes.kit.layout), as `caption_rows` cuts
        it; only a caption too long for two lines is shrunk."""
        rows_words = self.caption_rows(words)
        sizes = caption_sizes(rows_words[0])
        size = sizes[-1] if len(rows_words) > 1 else sizes[0]
        for size in sizes if len(rows_words) == 1 else [Size.CAPTION_MIN]:
            if text(rows_words[0], font_size=size).width <= CAPTION_WIDTH:
                break
        rows = [flat(text(r, font_size=size, color=color)) for r in rows_words]
        line = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        for k in range(1, len(rows)):
            rows[k].next_to(rows[k - 1], DOWN, buff=0.1)
        for r in rows:
            r.set_x(0)
        line.points = np.concatenate([r.points for r in rows])
        line.words = "\n".join(rows_words)
        if line.width > CAPTION_WIDTH:
            line.scale_to_fit_width(CAPTION_WIDTH)
        strip = self.regions.caption if self.regions else (0.0, -3.88, 0.0, -3.43)
        line.move_to([0, strip[1], 0], aligned_edge=DOWN)
        line.set_x(0)
        return line

    def open_beat(self, beat: Beat) -> None:
        """A caption opens a beat: the previous beat's subtitle cue ends here, and from the
        second caption on a new manim section starts (the first section holds the lead-in)."""
        now = self.renderer.time
        if self.beats:
            self._close_cue(now)
            self.next_section(f"beat-{len(self.beats) + 1:02d}")
        section = self.renderer.file_writer.sections[-1].name if self.renderer.file_writer.sections else ""
        record = beat.to_dict(self.narration_names)
        record["caption"] = typeset(record["caption"])  # as on screen: subtitles and decks say the same
        self.beats.append({"start": now, "section": section, "step": int(self.step.get_value()), **record})

    @property
    def narration_names(self) -> list[str]:
        """The balls' names in the trajectories' order, as the beats' labels and claims count them."""
        return self.narration.names

    def _close_cue(self, now: float) -> None:
        last = self.beats[-1]
        if "end" in last:  # the caption left before this beat ended (it quoted a step)
            return
        last["end"] = now
        last["steps"] = [last["step"], int(self.step.get_value())]
        if now > last["start"]:
            self.add_subcaption(last["caption"], duration=now - last["start"], offset=last["start"] - now)

    def tear_down(self) -> None:
        """The last caption's cue lasts to the end of the video; the beats go beside it."""
        if self.beats:
            self._close_cue(self.renderer.time)
        self.write_beats()
        super().tear_down()

    def beats_document(self) -> beatsfile.Narration:
        return beatsfile.recorded(self.story_name, self.lang, self.theme, self.renderer.time, self.beats)

    def write_beats(self) -> Path | None:
        """NAME.beats.json beside the video (and its NAME.srt): what decks and notes read."""
        writer = self.renderer.file_writer
        spec = getattr(writer, "output_spec", None)
        if spec is None or not spec.is_video or writer.output_plan.subcaption_file is None:
            return None
        path = beatsfile.beats_path(writer.output_plan.subcaption_file)
        return beatsfile.write(path, self.beats_document())

    def mark(self, m: Mark) -> VGroup:
        """Words placed by the kit near (x, y), clear of what is drawn, with a leader line."""
        color = palette().text
        (x0, x1), (y0, y1) = self.axes.x_range[:2], self.axes.y_range[:2]
        point = self.axes.c2p(min(max(m.x, x0), x1), min(max(m.y, y0), y1))  # a point off the view: its edge
        label = flat(text(m.words, font_size=FONT, color=color))
        self.obstacles.add_box((point[0] - 0.2, point[1] - 0.2, point[0] + 0.2, point[1] + 0.2))
        label.move_to(place(label.width, label.height, point, self.obstacles, self.plot_area))
        self.block(label)
        line = Line(label, point, buff=0.1, stroke_width=2, color=color)
        group = VGroup(label, line)
        self.marks.append(group)
        self.fade(group, seconds=0.5)
        return group

    def fade(self, new: VMobject, old: VMobject | None = None, seconds: float = 0.6) -> None:
        """Cross-fade by an opacity updater: manim's FadeIn/FadeOut deep-copy the mobject
        (~20 ms for a caption's Text), and the new part is added last, so during the fade
        only it and the old part are redrawn each frame."""
        clock = [0.0]

        def tick(_: VMobject, dt: float) -> None:
            clock[0] += dt
            a = min(1.0, clock[0] / seconds)
            new.set_opacity(a)
            if old is not None:
                old.set_opacity(1.0 - a)

        new.set_opacity(0.0)
        self.overlay(new)
        if old is not None:
            self.bring_to_front(old)
        new.add_updater(tick)
        self.wait(seconds)
        new.remove_updater(tick)
        new.set_opacity(1.0)
        if old is not None:
            self.remove(old)

    def legend(self, entries: Sequence[tuple[str, Any]]) -> VGroup:
        """Coloured line samples with names, a row each, at the top of the panel column (under
        the title): never over the plot or under the caption."""
        items = VGroup(
            *(
                VGroup(
                    Line(ORIGIN, RIGHT * 0.5, color=color, stroke_width=6),
                    text(name, font_size=FONT, color=color),
                ).arrange(RIGHT, buff=0.15)
                for name, color in entries
            )
        ).arrange(DOWN, buff=0.14, aligned_edge=LEFT)
        left, _bottom, right, top = self.panel_box()
        if items.width > right - left:
            items.scale_to_fit_width(right - left)
        items.move_to([left, top + 0.15, 0], aligned_edge=UL)
        self.title_mob = VGroup(*([self.title_mob] if self.title_mob is not None else []), items)
        self.overlay(items)
        self.block(items)
        return items


def caption_sizes(words: str) -> tuple[float, ...]:
    """The sizes a one-line caption may take, largest first: subscripts need 30 or more to stay
    70 % of a digit's 15 px at 480p."""
    small = any(ch in "₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in words)
    return (CAPTION_FONT, Size.CAPTION_MIN) if small else (CAPTION_FONT, Size.CAPTION_MIN, Size.CAPTION_TIGHT)


def top_level(words: str, mark: str) -> int | None:
    """Where `mark` first stands outside every bracket in `words` (not the comma of f(x, y))."""
    depth = 0
    for i, ch in enumerate(words):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and words.startswith(mark, i):
            return i
    return None


def split_caption(words: str) -> tuple[str, str] | None:
    """Two halves at the clause break ("; ", ": ", ", ", then a space) nearest the middle."""
    for sep in ("; ", "：", "；", ": ", ", ", "，", " "):
        cuts = [i for i in range(len(words)) if words.startswith(sep, i)]
        if cuts:
            i = min(cuts, key=lambda c: abs(c - len(words) / 2))
            if 0.2 * len(words) < i < 0.8 * len(words):
                return words[: i + len(sep)].rstrip(), words[i + len(sep) :].lstrip()
    return None


def in_box(coords: np.ndarray, box: Box, margin: float = 1e-6) -> np.ndarray:
    x, y = coords[:, 0], coords[:, 1]
    return (x >= box[0] - margin) & (x <= box[2] + margin) & (y >= box[1] - margin) & (y <= box[3] + margin)


def trail_segments(coords: np.ndarray, box: Box | None) -> np.ndarray:
    """The trail as one straight cubic segment per step, (n, 4, 3); with a box, each segment is
    cut to the part inside it (Liang-Barsky), or collapsed to a point if none is."""
    a, b = coords[:-1], coords[1:]
    if box is not None:
        d = b - a
        t0, t1 = np.zeros(len(a)), np.ones(len(a))
        for p, q in (
            (-d[:, 0], a[:, 0] - box[0]),
            (d[:, 0], box[2] - a[:, 0]),
            (-d[:, 1], a[:, 1] - box[1]),
            (d[:, 1], box[3] - a[:, 1]),
        ):
            with np.errstate(divide="ignore", invalid="ignore"):
                r = q / p
            parallel = p == 0
            t0 = np.where(~parallel & (p < 0), np.maximum(t0, r), t0)
            t1 = np.where(~parallel & (p > 0), np.minimum(t1, r), t1)
            t1 = np.where(parallel & (q < 0), -1.0, t1)  # parallel and outside
        gone = t0 > t1
        t0, t1 = np.where(gone, 0.0, t0), np.where(gone, 0.0, t1)
        a, b = a + t0[:, None] * d, a + t1[:, None] * d
    thirds = np.linspace(0.0, 1.0, 4)[None, :, None]
    return a[:, None, :] + thirds * (b - a)[:, None, :]


def bead_paths(coords: np.ndarray, radius: float) -> np.ndarray:
    """A small filled circle at every point, (n+1, m, 3), for the path-as-dots view."""
    from manim import Circle

    ring = Circle(radius=radius).points
    ring = ring - ring.mean(axis=0)
    return coords[:, None, :] + ring[None, :, :]


__all__ = ["Ball", "Mark", "NUMBER_SIZE", "StoryScene"]
