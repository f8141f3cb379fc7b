"""The base of every story scene: the parts it is built from, timing, and words. All moving
parts are driven by one ValueTracker over precomputed trajectories.

A scene file holds its story (which balls, which beats, which words); the parts draw it: the
plot (`self.plot`, scenes.kit.plot), the panel column (`self.column`, scenes.kit.panels), the
pointers (`self.pointers`, scenes.kit.pointers), the balls (`self.balls`, scenes.kit.balls),
the caption line (scenes.kit.captions) and the beat recorder (`self.recorder`,
scenes.kit.recorder). Each part builds and returns; StoryScene adds, times and says. Numbers
come from `landscapes`: nothing here computes a gradient. Every drawn ball position is a real
trajectory point: the tracker's value is floored to a step index, never interpolated.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from manim import Scene, ValueTracker, VGroup, VMobject, linear

from landscapes import Landscape, Settings, Story, Trajectory
from scenes.catalog import get_story
from scenes.kit.balls import Cast, build_ball, edge_marker, styled
from scenes.kit.captions import caption_line, caption_lines
from scenes.kit.layout import caption_strip
from scenes.kit.markers import ball_marker
from scenes.kit.mathtext import require_font
from scenes.kit.palette import BallStyle, ball_style, palette, use_palette
from scenes.kit.panels import Column
from scenes.kit.plot import Plot
from scenes.kit.pointers import Pointers
from scenes.kit.readouts import NUMBER_SIZE, Readouts
from scenes.kit.recorder import BeatRecorder
from scenes.kit.trails import Ball
from scenes.kit.typeset import typeset
from scenes.kit.zoom import Zoomer
from scenes.narration.beats import BOOK_VIEW, Beat, Label, Narration
from scenes.narration.registry import narrate
from scenes.words.i18n import use_language
from scenes.words.terms import settings_label


class StoryScene(Scene):
    """A scene of one story record; `settings` overrides the story's main ball."""

    story_name: ClassVar[str]
    roll_seconds: ClassVar[float] = 9.0
    # True: a runaway ball stops at the view's edge (readouts keep the true numbers).
    # False: it leaves the view, as the numbers say; its trail is cut at the edge.
    clip_to_view: ClassVar[bool] = True
    # a plane's path as dots joined by lines, as the book draws it; a path of hundreds of steps
    # (a network's) reads as its line alone, and its dots cost more to draw than the rest
    beads: ClassVar[bool] = True
    # the panel has rows per ball (basins' has them per basin): the layout gives a crowded
    # panel its room (scenes.kit.layout.CROWDED)
    rows_per_ball: ClassVar[bool] = True

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
        self.step = ValueTracker(0)
        self.balls = Cast(self.step)
        self.movers: list[tuple[VMobject, Callable[[VMobject], None]]] = []
        self.live = VGroup()  # the panels' numbers, updated in place while rolling
        self.plot = Plot(
            self.landscape,
            lambda width: caption_lines(lambda: self.narration.beats, width),
            lambda: len(self.trajectories) if self.rows_per_ball else 1,
        )
        self.column = Column(self)
        self.pointers = Pointers(self)
        self.zoom = Zoomer(self)
        self.recorder = BeatRecorder(lambda: self.narration.names, self.add_subcaption)
        self.caption_mob: VMobject | None = None
        self.caption_text = ""
        self.captions: list[str] = []
        self.caption_step: int | None = None  # the step a shown caption's numbers belong to
        self.marks: list[VGroup] = []

    def find_story(self) -> Story:
        """The scene's record (a story file's scene reads its own from the options)."""
        return get_story(self.story_name)

    def label_of(self, name: str) -> str:
        """What the narration calls the record's ball `name` on screen (its legend's words)."""
        return self.narration.names[self.trajectories.names.index(name)]

    @cached_property
    def narration(self) -> Narration:
        """The story's words for this run (scenes.narration): ball names and beats."""
        return narrate(self.story_name, self.trajectories, self.options)

    # ---- what is shown -------------------------------------------------------
    def overlay(self, *mobs: VMobject) -> None:
        """Add screen-fixed parts (title, readouts, caption); 3D scenes pin them to the frame."""
        self.add(*mobs)

    def scene_points(self, traj: Trajectory) -> np.ndarray:
        """Where each step is drawn, in scene units (a surface lifts them onto itself)."""
        return self.plot.points(traj, clip=self.clip_to_view)

    def make_dot(
        self, point: np.ndarray, radius: float, color: Any, style: BallStyle | None = None
    ) -> VMobject:
        """The ball: its style's marker (a disc for the first four, then a shape each) with an
        edge that keeps it apart from every band."""
        return ball_marker(styled(style or ball_style(len(self.balls)), color), point, radius)

    def add_ball(self, traj: Trajectory, name: str, radius: float = 0.13, color: Any = None) -> Ball:
        """A ball for the trajectory (scenes.kit.balls), drawn at the shown step from now on."""
        style = styled(ball_style(len(self.balls)), color)  # colour, marker, dash: eight balls told apart
        coords = self.scene_points(traj)
        box = None if self.clip_to_view else self.plot.box()
        dot = self.make_dot(coords[0], radius, style.color, style)
        on_plane = self.plot.plane is not None
        ball, draw = build_ball(traj, name, coords, style, radius, box, on_plane and self.beads, dot)
        if box is not None and not ball.inside.all():
            slot = sum(b.marker is not None for b in self.balls)  # several balls gone: a row each
            clear = self.plot.label_boxes()
            ball.marker, where = edge_marker(ball, box, self.plot.landscape, on_plane, slot, clear)
            self.follow(ball.marker, ball, where)
            self.pointers.drawn.append(ball.marker)
        self.plot.obstacles.add_line(coords)
        self.follow(dot, ball, draw)
        self.balls.append(ball)
        return ball

    def follow(self, mob: VMobject, ball: Ball, draw: Callable[[int], None]) -> None:
        """Draw `mob` from its ball's step index now, and again whenever the index changes while
        rolling: a step lasts many frames, and between steps nothing needs rebuilding."""
        drawn = [(-1, -1)]

        def update(_: VMobject) -> None:
            now = (ball.index(self.step.get_value()), self.zoom.version)  # the view may have moved
            if now != drawn[0]:
                drawn[0] = now
                draw(now[0])

        update(mob)
        self.movers.append((mob, update))

    def new_act(self, landscape: Landscape) -> None:
        """Clear the screen for the story's next part, on another landscape; the balls drawn so
        far are kept in `balls.past`."""
        self.remove(*self.mobjects)
        self.step = ValueTracker(0)
        self.balls = Cast(self.step, self.balls.every)
        self.movers, self.marks = [], []
        self.pointers = Pointers(self)
        self.column.panels = []
        self.live = VGroup()
        self.caption_mob = None
        self.plot.next_act(landscape)
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
        self.column.title()
        self.add(self.plot.contour(*BOOK_VIEW))
        names = dict(zip(map(id, self.trajectories), self.narration.names, strict=True))
        balls = [
            self.add_ball(t, names.get(id(t)) or settings_label(t.settings), radius=radius)
            for t in trajectories or self.trajectories
        ]
        if steps:
            for ball in balls:
                self.pointers.step(ball)
        return balls, self.column.ball_readouts(show_lr=show_lr)

    # ---- time ----------------------------------------------------------------
    def show_balls(self) -> None:
        """Trails, dots on top, then the live numbers: the moving parts, added after every
        static part so that Cairo draws the static ones once per animation, not per frame."""
        self.add(self.step)  # the first moving part: manim redraws every part after it
        for ball in self.balls:
            self.add(ball.trail, *([ball.beads] if ball.beads is not None else []))
        self.add(*self.pointers.drawn)
        for ball in self.balls:
            self.add(ball.dot)
        self.overlay(self.live)
        self.wait(0.8)

    def roll_to(self, step: int, seconds: float | None = None) -> None:
        """Advance every ball to `step` (balls that stopped earlier stay at their end)."""
        step = max(0, min(step, self.balls.last_step))
        now = self.step.get_value()
        if step <= now:
            return
        if seconds is None:
            seconds = max(0.5, self.roll_seconds * (step - now) / max(self.balls.last_step, 1))
        # updaters live only while rolling: between rolls the scene is still, and manim
        # renders a still wait as one frame repeated. The moving parts go last, so captions
        # and labels are drawn once per roll, not per frame.
        if self.caption_step is not None and step > self.caption_step:
            self.clear_caption()  # its numbers are the shown step's: gone before the balls move on
        self.bring_to_front(
            self.step,  # manim redraws every frame what comes after the first moving part
            *(b.trail for b in self.balls),
            *(b.beads for b in self.balls if b.beads is not None),
            *self.pointers.drawn,
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
        """Each beat in turn: roll to its step (its last steps from close if it zooms), then
        say it."""
        for beat in beats:
            for step, seconds in beat.via:
                self.roll_to(step, seconds=seconds)
            if beat.at is not None:
                seconds = self.zoom.watch(beat)  # the last steps from close, where they are small
                self.roll_to(beat.at, seconds=seconds)
            self.say(beat)
            self.zoom.leave()

    def say(self, beat: Beat) -> None:
        """A beat's caption, then its labels, held for the beat's time."""
        for label in beat.before:
            self.mark(label)
        if not beat.labels:
            self.caption(beat.caption, warn=beat.warn, hold=beat.hold, beat=beat)
            return
        self.caption(beat.caption, warn=beat.warn, hold=0, beat=beat)  # it opens the beat
        for label in beat.labels:
            self.mark(label)
        self.wait(max(beat.hold - 0.5 * len(beat.labels), 0.3))

    def caption(
        self, words: str, warn: bool = False, hold: float = 1.2, beat: Beat | None = None
    ) -> VMobject:
        """Replace the caption line at the bottom and hold it a moment; it opens a beat (the
        previous beat's cue ends here; from the second caption on, a new manim section starts).
        A caption that quotes numbers belongs to the step shown now: it leaves before the balls
        roll past it."""
        now, step = self.renderer.time, int(self.step.get_value())
        if self.recorder.beats:
            self.recorder.close(now, step)
            self.next_section(f"beat-{len(self.recorder.beats) + 1:02d}")
        sections = self.renderer.file_writer.sections
        self.recorder.start(beat or Beat(words, warn=warn), now, sections[-1].name if sections else "", step)
        self.caption_text = words
        self.captions.append(words)
        quotes = any(c in "0123456789" for c in typeset(words))  # a number (not a subscript)
        self.caption_step = step if quotes else None
        strip = self.plot.regions.caption if self.plot.regions else caption_strip(1)
        new = caption_line(words, palette().warn if warn else palette().note, strip)
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
        self.recorder.close(self.renderer.time, int(self.step.get_value()))
        if not self.draw_captions:
            self.wait(0.2)  # the fade's time, so a deck's caption-less clips keep the video's times
        elif self.caption_mob is not None:
            self.fade(VMobject(), self.caption_mob, seconds=0.2)
            self.caption_mob = None

    def mark(self, label: Label) -> VGroup:
        """A beat's label: words placed by the plot near its point, clear of what is drawn,
        with a leader line, faded in."""
        group = self.plot.annotation(label.at[0], label.at[1], label.words)
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

    def tear_down(self) -> None:
        """The last caption's cue lasts to the end of the video; the beats go beside it (as
        NAME.beats.json, beside its NAME.srt), what decks and notes read."""
        self.recorder.close(self.renderer.time, int(self.step.get_value()))
        writer = self.renderer.file_writer
        spec = getattr(writer, "output_spec", None)
        if spec is not None and spec.is_video and writer.output_plan.subcaption_file is not None:
            document = self.recorder.document(self.story_name, self.lang, self.theme, self.renderer.time)
            self.recorder.write(writer.output_plan.subcaption_file, document)
        super().tear_down()


__all__ = ["NUMBER_SIZE", "Ball", "StoryScene"]
