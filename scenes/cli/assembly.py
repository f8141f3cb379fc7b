"""A split scene in a parallel run: the pieces its job is rendered as (each movie's stretches,
and its other formats in one piece), and the whole made from them once every piece is back:
the stretches joined by packet copy where a one-process render puts its movie, the last
stretch's subtitles and beats beside it, a GIF made from its joined movie. The files a
whole render produces, at the same paths; the stretches' folders are removed afterwards, or
when the run stops without them."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scenes.cli.gif import write_gif
from scenes.cli.job import Job
from scenes.cli.stretches import Stretch, join_movies, read_plan, splittable, whole_path
from scenes.narration.beatsfile import beats_path


@dataclass(frozen=True)
class Rest:
    """A split scene's formats that are not cut (a PNG, a webm), rendered whole in one piece
    (its parent already holds the scene's lock)."""

    job: Job

    @property
    def name(self) -> str:
        return self.job.name


Piece = Stretch | Rest


def piece_key(task: Job | Piece) -> tuple[str, str, int]:
    """What a worker's result is filed under."""
    if isinstance(task, Stretch):
        return (task.name, task.fmt, task.index)
    return (task.name, "", 0)


class Assembly:
    """One split job: its pieces, what came back, and the whole."""

    def __init__(self, job: Job, count: int) -> None:
        self.job, self.count = job, count
        plan = read_plan(job)
        self.cut = [f for f in job.formats if splittable(f)]
        rest = tuple(f for f in job.formats if not splittable(f))
        self.pieces: list[Piece] = [Stretch(job, f, i, count, plan) for f in self.cut for i in range(count)]
        if rest:
            self.pieces.append(Rest(replace(job, formats=rest)))
        self.results: dict[tuple[str, str, int], Any] = {}
        self.failed = False

    @property
    def done(self) -> int:
        """Pieces back so far."""
        return len(self.results)

    def take(self, key: tuple[str, str, int], payload: Any) -> bool:
        """File one piece's result; True once every piece is back."""
        self.results[key] = payload
        return len(self.results) == len(self.pieces)

    def whole(self) -> list[str]:
        """Join the pieces into the files a one-process render writes; returns them in the
        job's format order."""
        produced: dict[str, str] = {}
        for fmt in self.cut:
            back = [self.results[(self.job.name, fmt, i)] for i in range(self.count)]
            parts = [Path(movie) for movie, _ in back if movie is not None]
            last = next(Path(movie) for movie, is_last in back if is_last)
            movie = whole_path(last)
            if fmt == "gif":  # the GIF's lossless source, joined aside, then made into the GIF
                source = join_movies(parts, movie.with_name(f"{movie.stem}.gif-source.mp4"))
                try:
                    produced[fmt] = str(write_gif(source, movie.with_suffix(".gif")))
                finally:
                    source.unlink(missing_ok=True)
            else:
                produced[fmt] = str(join_movies(parts, movie))
            for side in (last.with_suffix(".srt"), beats_path(last)):
                if side.is_file():  # the whole scene's, from the process that ran it to its end
                    copy_atomic(side, movie.parent / side.name)
        rest = next((p for p in self.pieces if isinstance(p, Rest)), None)
        if rest is not None:
            produced.update(zip(rest.job.formats, self.results[(self.job.name, "", 0)], strict=True))
        self.discard()
        return [produced[f] for f in self.job.formats]

    def folders(self) -> Sequence[Path]:
        """The stretches' folders this job's pieces have reported or may be writing."""
        found = []
        for key, payload in self.results.items():
            if key[1] and payload[0] is not None:
                found.append(Path(payload[0]).parent.parent)
        return found

    def discard(self) -> None:
        """Remove every stretch folder of this job (its partial movies with them)."""
        for folder in set(self.folders()) | set(stretch_roots(self.job)):
            shutil.rmtree(folder, ignore_errors=True)


def stretch_roots(job: Job) -> list[Path]:
    """The `stretches` folders under the job's video folders, at any quality (found on disk:
    a stretch stopped before it reported its movie still wrote there)."""
    videos = Path(job.media_dir) / "videos"
    if not videos.is_dir():
        return []
    return [p for p in videos.glob(f"**/{job.variant}/stretches") if p.is_dir()]


def copy_atomic(src: Path, dest: Path) -> None:
    tmp = dest.with_name(f".{dest.name}.part")
    try:
        shutil.copyfile(src, tmp)
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
