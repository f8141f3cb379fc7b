"""One scene on several cores: its animations cut into contiguous stretches of about equal
frame cost, each drawn in its own process, and the partial movies joined without re-encoding.

manim numbers every `play` and `wait` of a scene (0, 1, 2, ...); with `from_animation_number`
and `upto_animation_number` a process runs the scene's whole Python (so every mobject's state
is right) but draws and encodes only its stretch. Every movie, split or not, is encoded as
partial movies on one grid: a new h264 stream (opening with a keyframe, the same encoder
settings in every process) at each animation's start and every SEGMENT_SECONDS within it, so
a stretch can end inside a long animation, and joining the stretches' packets in order gives
the streams a one-process render joins: the same frames.

Two things a skipped animation does differently, which `StretchRenderer` puts right:
- manim's clock: it advances a skipped animation by its run time, a drawn one by its frames
  (a whole number of 1/fps), so the beats' times and the subtitle cues would move by a
  fraction of a frame per skipped animation. Here a skipped one advances by the frames it
  would have drawn, exactly as the drawing path adds them up.
- drawing: a skipped animation still draws its static and last frames into the camera (two or
  three full frames each, a real cost at 4K in 3D); nothing reads them, so they are not drawn.

The process that draws the last stretch runs the scene to its end: its subtitles and
NAME.beats.json are the whole scene's, and they are the ones kept.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenes.cli.job import Job
from scenes.outputs import FORMATS

# the grid a movie is cut on: a new h264 stream (a keyframe) every SEGMENT_SECONDS within an
# animation, in every render, so a stretch can end inside a long animation and the frames are
# those of a one-process render (which encodes the same segments)
SEGMENT_SECONDS = 2.0
# an animation costs its frames plus this much for its set-up (static frame, a new stream)
PLAY_OVERHEAD = 3.0
# a still wait draws one frame and encodes repeats of it: far cheaper per frame
STILL_FRAME_COST = 0.1

NOT_YET = 10**9  # from_animation_number that skips every animation: a dry run
END = (NOT_YET, 0)  # a window's end past the last animation

Position = tuple[int, int]  # (animation number, frame within it)


def splittable(fmt: str) -> bool:
    """Formats whose movie can be joined from stretches: h264 in MP4 (a GIF is made from one)."""
    form = FORMATS[fmt]
    return form.movie and form.manim == "mp4"


def can_split(job: Job) -> bool:
    """A job whose movies can be drawn in stretches: not a deck's clips (cut at sections), and
    not a surface. A surface's movie drawn as one stretch differed from its one-process render
    in one frame by up to 37 levels in about one run of three (both renders in one process;
    three plain renders agreed to the pixel); until that is found, a surface renders whole."""
    from scenes.catalog import scene_class
    from scenes.kit.surface import SurfaceScene

    if job.sections or not any(splittable(f) for f in job.formats):
        return False
    return not issubclass(scene_class(job.name, job.settings), SurfaceScene)


@dataclass(frozen=True)
class Plan:
    """A scene's timeline: each animation's run time and whether it is a still wait; recorded
    by any full render (the same at every quality) and used to cut the next one."""

    durations: tuple[float, ...]
    stills: tuple[bool, ...]

    def frames(self, fps: float) -> list[int]:
        """Each animation's frames at `fps`, counted as manim's drawing path counts them."""
        import numpy as np

        dt = 1 / fps
        return [
            int(d / dt) if s else len(np.arange(0, d, dt))
            for d, s in zip(self.durations, self.stills, strict=True)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {"durations": list(self.durations), "stills": list(self.stills)}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Plan:
        return cls(tuple(float(d) for d in doc["durations"]), tuple(bool(s) for s in doc["stills"]))


@dataclass(frozen=True)
class Stretch:
    """Stretch `index` of `count` of one job's movie in format `fmt`: what a worker renders.
    `plan` is the scene's timeline when a render recorded it (else the worker makes a dry run)."""

    job: Job
    fmt: str
    index: int
    count: int
    plan: Plan | None = None

    @property
    def name(self) -> str:
        return self.job.name

    @property
    def tag(self) -> str:
        return f"{self.fmt}-{self.index + 1}-of-{self.count}"


def stretch_counts(costs: Sequence[float], split: Sequence[bool], workers: int) -> list[int]:
    """How many stretches each scene gets: one each first, then the cores left go one at a
    time to the scene (that can be split) with the most cost per stretch."""
    counts = [1] * len(costs)
    if not any(split):
        return counts
    for _ in range(max(0, workers - len(costs))):
        i = max((i for i in range(len(costs)) if split[i]), key=lambda i: costs[i] / counts[i])
        counts[i] += 1
    return counts


def segment_frames(fps: float) -> int:
    return max(1, round(SEGMENT_SECONDS * fps))


def units(frames: Sequence[int], stills: Sequence[bool], size: int) -> list[tuple[Position, float]]:
    """The pieces a movie can be cut into (each animation's segments), where each starts and
    what it costs to draw."""
    pieces = []
    for play, (n, still) in enumerate(zip(frames, stills, strict=True)):
        for start in range(0, n, size):
            length = min(size, n - start)
            cost = (PLAY_OVERHEAD if start == 0 else 0.0) + length * (STILL_FRAME_COST if still else 1.0)
            pieces.append(((play, start), cost))
    return pieces


def windows(plan: Plan, fps: float, count: int) -> list[tuple[Position, Position]]:
    """`count` contiguous windows [start, end) of the scene's frames, of about equal cost, cut
    on the segment grid; the first starts at the beginning, the last runs to the end (past
    any animation the plan does not know). Fewer when the scene has fewer segments."""
    pieces = units(plan.frames(fps), list(plan.stills), segment_frames(fps))
    if not pieces:
        return [((0, 0), END)]
    costs = [c for _, c in pieces]
    n, count = len(pieces), max(1, min(count, len(pieces)))
    total, bounds, running, i = float(sum(costs)), [0], 0.0, 0
    for j in range(1, count):
        target = total * j / count
        # move the cut on while that brings the stretch nearer its share (leaving one piece
        # for each stretch after it)
        while i < n - (count - j) and abs(running + costs[i] - target) <= abs(running - target):
            running += costs[i]
            i += 1
        if i <= bounds[-1]:
            running += costs[i]
            i += 1
        bounds.append(i)
    starts = [pieces[b][0] for b in bounds]
    starts[0] = (0, 0)
    return list(zip(starts, [*starts[1:], END], strict=True))


def plan_path(job: Job) -> Path:
    """Where the timeline of a job's scene is kept: one per scene and variant, whatever the
    quality. A stale one (the scene's code changed since) only balances the stretches worse:
    the windows always cover every frame once, whatever the plan says."""
    return Path(job.media_dir) / "stretch-plans" / f"{job.name}-{job.variant}.json"


def read_plan(job: Job) -> Plan | None:
    try:
        return Plan.from_dict(json.loads(plan_path(job).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def keep_plan(job: Job, plan: Plan) -> None:
    """Store a complete timeline (whole or not at all)."""
    dest = plan_path(job)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(plan.to_dict(), out)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_renderer_classes() -> tuple[type, type]:
    """manim's Cairo renderer and file writer, made to draw one window of a scene's frames,
    cut its movie on the segment grid, keep the drawn clock while skipping, and record the
    scene's timeline (module docstring)."""
    from manim import config
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.scene_file_writer import SceneFileWriter

    class SegmentWriter(SceneFileWriter):
        """Opens a partial movie per segment of an animation, only for the frames written."""

        def add_partial_movie_file(self, hash_animation: str | None) -> None:
            pass  # each segment adds its own file when its first frame comes

        def begin_animation(
            self, allow_write: bool = False, *, animation_index: int, file_path: Any = None
        ) -> None:
            self.segment: Position | None = None

        def end_animation(self, allow_write: bool = False) -> None:
            if self._current_encode_job is not None:
                self.close_partial_movie_stream()

        def write_segment(self, where: Position, pixels: Any, repeat: int) -> None:
            if self.segment != where:
                if self._current_encode_job is not None:
                    self.close_partial_movie_stream()
                path = str(self.output_plan.segment_path(f"uncached_{where[0]:05}_{where[1]:05}"))
                self.partial_movie_files.append(path)
                self.sections[-1].partial_movie_files.append(path)
                self.open_partial_movie_stream(animation_index=where[0], file_path=path)
                self.segment = where
            self.write_frame(pixels, repeat=repeat)

    class StretchRenderer(CairoRenderer):
        """Draws the frames of its window only; counts every animation's run time."""

        def arm(self, window: tuple[Position, Position]) -> None:
            self.window = window
            self.size = segment_frames(config["frame_rate"])
            self.durations: list[float] = []
            self.stills: list[bool] = []
            self.file_writer.__class__ = SegmentWriter
            self.file_writer.segment = None

        def play(self, scene: Any, *args: Any, **kwargs: Any) -> None:
            start = self.time
            self.pos, self.still = 0, False
            super().play(scene, *args, **kwargs)
            self.durations.append(scene.duration)
            self.stills.append(self.still)
            if self.skip_animations:  # advance as the drawing path does: frame by frame
                dt = 1 / self.camera.frame_rate
                frames = Plan((scene.duration,), (self.still,)).frames(self.camera.frame_rate)[0]
                t = start
                if self.still:
                    t += frames * dt
                else:
                    for _ in range(frames):
                        t += dt
                self.time = t

        def drawn(self, pos: int) -> bool:
            lo, hi = self.window
            return lo <= (self.num_plays, pos) < hi

        def segment(self, pos: int) -> Position:
            return (self.num_plays, pos - pos % self.size)

        def render(self, scene: Any, time: float, moving_mobjects: Any = None) -> None:
            if self.skip_animations:
                return
            dt = 1 / self.camera.frame_rate
            if self.drawn(self.pos):
                self.update_frame(scene, moving_mobjects)
                self.file_writer.write_segment(self.segment(self.pos), self.get_frame(), 1)
            self.time += dt
            self.pos += 1

        def freeze_current_frame(self, duration: float) -> None:
            self.still = True
            if self.skip_animations:
                return
            dt = 1 / self.camera.frame_rate
            frames = int(duration / dt)
            frame = self.get_frame()
            pos = self.pos
            while pos < self.pos + frames:
                end = min(self.pos + frames, pos - pos % self.size + self.size)
                first = next((p for p in range(pos, end) if self.drawn(p)), None)
                if first is not None:
                    last = max(p for p in range(first, end) if self.drawn(p))
                    self.file_writer.write_segment(self.segment(first), frame.copy(), last - first + 1)
                pos = end
            self.time += frames * dt
            self.pos += frames

        def update_frame(self, scene: Any, *args: Any, **kwargs: Any) -> None:
            if self.skip_animations:
                return  # nothing drawn while skipping is ever shown
            super().update_frame(scene, *args, **kwargs)

    return StretchRenderer, SegmentWriter


_CLASSES: list[tuple[type, type]] = []


def use_stretch_renderer(scene: Any, window: tuple[Position, Position] = ((0, 0), END)) -> None:
    """Give a built scene the stretch renderer and writer, drawing `window` (all of it by
    default: a one-process render, on the same segment grid). The subclasses add behaviour
    and no state manim's own code reads."""
    if not _CLASSES:
        _CLASSES.append(make_renderer_classes())
    scene.renderer.__class__ = _CLASSES[0][0]
    scene.renderer.arm(window)


def recorded_plan(scene: Any) -> Plan:
    return Plan(tuple(scene.renderer.durations), tuple(scene.renderer.stills))


def whole_path(stretch_movie: Path) -> Path:
    """Where a one-process render puts the movie whose stretch this is."""
    return stretch_movie.parent.parent.parent / stretch_movie.name


def join_movies(parts: Sequence[Path], dest: Path) -> Path:
    """Join h264 movies by copying their packets in order through ffmpeg's concat demuxer (no
    re-encoding), as manim joins its partial movies; written to a temporary file and renamed
    into place, so an interrupted join leaves nothing half-written under the movie's name."""
    from io import BytesIO

    import av
    from manim import __version__

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.stem}.joining{dest.suffix}")
    manifest = BytesIO("".join(f"file 'file:{Path(p).as_posix()}'\n" for p in parts).encode())
    try:
        with av.open(manifest, format="concat", options={"safe": "0", "an": "1"}) as source:
            video = source.streams.video[0]
            with av.open(str(tmp), mode="w", format="mp4") as out:
                out.metadata["comment"] = f"Rendered with Manim Community v{__version__}"
                stream = out.add_stream_from_template(template=video)
                for packet in source.demux(video):
                    if packet.dts is None:  # the flushing packets demux ends with
                        continue
                    packet.dts = None  # consecutive files' dts need not increase: libav sets them
                    packet.stream = stream
                    out.mux(packet)
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest
