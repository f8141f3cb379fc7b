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
from manim import Line, Scene, ValueTracker, VGroup, VMobject, linear

from landscapes import Landscape, Settings, Story, Trajectory
from scenes.catalog import get_story
from scenes.kit.axes import curve, curve_points, end_labels, story_axes, to_scene, value_range
from scenes.kit.captions import caption_line, caption_rows
from scenes.kit.contour import ContourPlane
from scenes.kit.labels import Box, Obstacles, box_of, place
from scenes.kit.layout import Regions, regions
from scenes.kit.markers import DashedTrail, ball_marker, style_beads, style_trail
from scenes.kit.mathtext import flat, require_font, text
from scenes.kit.palette import BallStyle, ball_style, palette, use_palette
from scenes.kit.panels import Panels
from scenes.kit.pointers import Pointers
from scenes.kit.readouts import FONT, NUMBER_SIZE, Readouts
from scenes.kit.trails import Ball, bead_paths, in_box, trail_segments
from scenes.kit.typeset import typeset
from scenes.narration import beatsfile
from scenes.narration.beats import BOOK_VIEW, Beat, Label, Narration
from scenes.narration.registry import narrate
from scenes.words.i18n import use_language
from scenes.words.terms import coordinate_names, settings_label

FRAME = (-7.05, -3.35, 7.05, 3.9)  # where annotations may go before a layout is chosen


@dataclass(frozen=True)
class Mark:
    """An annotation: words with a leader line to a point in the axes' coordinates."""

    x: float
    y: float
    words: str


class StoryScene(Panels, Pointers, Scene):
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
        return max((len(caption_rows(b.caption)[0]) for b in beats), default=1)

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

    @property
    def every_ball(self) -> list[Ball]:
        """The balls of every part of the story so far."""
        return [*self.past_balls, *self.balls]

    def index_of(self, ball: Ball) -> Callable[[], int]:
        return lambda: ball.index(self.step.get_value())

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

    def caption_line(self, words: str, color: Any) -> VMobject:
        """The caption in the strip at the bottom (scenes.kit.layout)."""
        strip = self.regions.caption if self.regions else (0.0, -3.88, 0.0, -3.43)
        return caption_line(words, color, strip[1])

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


__all__ = ["Ball", "Mark", "NUMBER_SIZE", "StoryScene"]
