"""A story file drawn: `roll render lecture.toml`.

One scene for every file: the file (its text in the options, as the command line passes
it) says the landscape, the view, the balls and the beats; this module draws them with the
kit's parts and the file's narration (`scenes.narration.filed`). Three variants share it:
a curve (one variable), a plane seen from above, a surface (two variables).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cached_property
from typing import Any

import numpy as np

from landscapes import Story, sample
from landscapes.storyfile import StoryFile, load, parse
from landscapes.storyfile.records import BeatSpec
from scenes.catalog import FILE_CLASSES
from scenes.kit.axes import nice_range
from scenes.kit.camera3d import Pose
from scenes.kit.network_parts import SMALL, NetworkScene, loss_plane
from scenes.kit.readouts import Readouts, name_text, series_feed
from scenes.kit.story import Ball, StoryScene
from scenes.kit.surface import SurfaceScene
from scenes.narration.beats import Beat, Narration
from scenes.narration.filed import narrate_file
from scenes.words.i18n import _

STORY_ENV = "ROLL_STORY"


def ticked(bounds: Sequence[float]) -> list[float]:
    """(lo, hi) -> [lo, hi, a round tick step]."""
    lo, hi = float(bounds[0]), float(bounds[1])
    return [lo, hi, nice_range(lo, hi, ticks=6, pad=0.0)[2]]


class FileStory(StoryScene):
    """What every view of a story file shares: the record, its balls, its parts, its beats."""

    story_name = "story-file"
    clip_to_view = False
    roll_seconds = 10.0
    panel: Readouts | None = None

    def find_story(self) -> Story:
        """The file from the options (as `roll` passes it), or for plain manim from the path in
        ROLL_STORY: `ROLL_STORY=lecture.toml manim scenes/story_file.py StoryFilePlane`."""
        text, name = self.options.get("story"), self.options.get("name")
        if not isinstance(text, str):
            path = os.environ.get(STORY_ENV)
            if not path:
                raise ValueError(
                    f"a story file's scene needs its file: `roll render FILE.toml`, or {STORY_ENV}"
                )
            record = load(path)  # checked as `roll check` checks it
            text, name = record.text, record.name
        trust = bool(self.options.get("trust_code"))  # as the command line was told
        self.record: StoryFile = parse(text, "story.toml", str(name), trust=trust)
        self.story_name = self.record.name  # beats.json names the file's story
        self.shown: set[tuple[int, str]] = set()  # (ball, part) drawn so far
        return self.record.story()

    @cached_property
    def narration(self) -> Narration:
        return narrate_file(self.record, self.trajectories)

    @property
    def bounds(self) -> tuple[tuple[float, float], ...]:
        return self.record.bounds(self.trajectories)

    def file_balls(self, radius: float = 0.13) -> list[Ball]:
        names = self.narration.names
        return [self.add_ball(t, names[k], radius=radius) for k, t in enumerate(self.trajectories)]

    def show_part(self, ball: Ball, part: str) -> None:
        """A step arrow, a tangent or the gradient's own step at a ball, once each."""
        if (id(ball), part) in self.shown:
            return
        self.shown.add((id(ball), part))
        if part == "steps":
            self.pointers.step(ball)
        elif part == "tangent":
            self.pointers.tangent(ball)
        elif part == "gradient":
            self.pointers.gradient_step(ball)

    def show_parts(self, balls: Sequence[Ball]) -> None:
        """Each ball's parts from the start; state bars under the panel, one scale for all."""
        for spec, ball in zip(self.record.balls, balls, strict=True):
            for part in spec.show:
                self.show_part(ball, part)
        barred = [b for spec, b in zip(self.record.balls, balls, strict=True) if "bars" in spec.show]
        if barred and self.panel is not None:
            self.pointers.state_bars(barred, self.panel)

    def tell(self, beats: Sequence[Beat]) -> None:
        """Each beat in turn; the parts a beat shows appear as it opens, before its roll."""
        for spec, beat in zip(self.record.beats, beats, strict=True):
            self.before_beat(spec)
            for key, part in spec.show:
                ball = self.balls[self.record.ball_index(key)]
                before = len(self.pointers.drawn)
                self.show_part(ball, part)
                self.add(*self.pointers.drawn[before:])
            super().tell([beat])

    def before_beat(self, spec: BeatSpec) -> None:
        """What a view does as a beat opens, before its roll (a surface turns its camera)."""

    def construct(self) -> None:
        balls = self.draw_view()
        self.show_parts(balls)
        self.show_balls()
        self.tell(self.narration.beats)

    def draw_view(self) -> list[Ball]:
        raise NotImplementedError


class StoryFileCurve(FileStory):
    """A landscape of one variable as a curve."""

    def draw_view(self) -> list[Ball]:
        self.column.title()
        self.add(self.plot.graph(ticked(self.bounds[0])))
        balls = self.file_balls()
        self.panel = self.column.readouts() if len(balls) == 1 else self.column.ball_readouts()
        return balls


class StoryFilePlane(FileStory):
    """A landscape of two variables seen from above, as the book draws it."""

    def draw_view(self) -> list[Ball]:
        xr, yr = self.bounds
        self.column.title()
        self.add(self.plot.contour(ticked(xr), ticked(yr)))
        balls = self.file_balls()
        self.panel = self.column.ball_readouts()
        return balls


class StoryFileSurface(FileStory, SurfaceScene):
    """A landscape of two variables as a surface, its camera turning where a beat asks (no
    parts: the loader refuses them)."""

    roll_seconds = 8.0

    def before_beat(self, spec: BeatSpec) -> None:
        if spec.camera is not None:
            now = self.pose
            self.turn_to(
                Pose(
                    phi=now.phi if spec.camera.phi is None else spec.camera.phi,
                    theta=now.theta if spec.camera.theta is None else spec.camera.theta,
                    zoom=now.zoom if spec.camera.zoom is None else spec.camera.zoom,
                )
            )

    def draw_view(self) -> list[Ball]:
        xr, yr = (ticked(b) for b in self.bounds)
        grid = sample(self.landscape, np.linspace(*xr[:2], 17), np.linspace(*yr[:2], 17))
        finite = grid[np.isfinite(grid)]
        z = nice_range(float(finite.min()), float(finite.max()), ticks=4) if finite.size else [-1.0, 1.0, 0.5]
        self.setup_surface(xr, yr, z)
        self.column.title()
        balls = self.file_balls(radius=0.16)
        self.panel = (
            self.column.readouts(dim_names=("x", "y")) if len(balls) == 1 else self.column.ball_readouts()
        )
        return balls


class StoryFileModel(FileStory, NetworkScene):
    """A file with [model]: each ball trains the model; the training loss over one plane fitted
    to all their paths, each ball's training and held-out loss in the panel."""

    record = None  # the file's StoryFile (FileStory), not a network scene's run record

    def draw_view(self) -> list[Ball]:
        from landscapes.network.story import slice_landscape

        rec = self.trajectories[0].net
        r = self.with_panel(4.9)
        title = self.record.title
        self.column_title(title.get(self.lang) or title["en"])
        left, bottom, right, top = r.plot
        grid = rec.slice.train
        width, height, middle = right - left, top - bottom, (top + bottom) / 2
        plane = loss_plane(slice_landscape(rec, "train"), rec.bounds, grid, width, height, left, middle)
        self.plot.use_plane(plane)
        self.add(plane)
        self.plot.block(plane.tick_labels, plane.x_label, plane.y_label)
        balls = self.file_balls(radius=0.1)
        rows_top = self.title_words.get_bottom()[1] - 0.45
        panel = Readouts(left=r.panel[0], top=rows_top, width=r.panel[2] - r.panel[0], row=0.44)
        self.column.step_row(panel)
        for ball in balls:
            run = ball.traj.net.run
            panel.header(ball.name, ball.color, size=SMALL)
            index = self.balls.index_of(ball)
            panel.cells(
                [
                    (name_text(words, size=SMALL), series_feed(values, index), values)
                    for words, values in ((_("training"), run.train_loss), (_("held-out"), run.test_loss))
                ],
                size=SMALL + 2,
            )
        self.column.add(panel)
        self.panel = panel
        return balls


# the class of each view, by the name the catalogue gives it
VIEWS: dict[str, Any] = {view: globals()[name] for view, name in FILE_CLASSES.items()}
