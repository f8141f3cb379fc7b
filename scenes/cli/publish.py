"""Publishing a job's results into --out under stable names, each file whole or not at all:
the results, a video's subtitles and beats, and with --save-trajectory its numbers."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from scenes.catalog import get_story
from scenes.cli.job import Job
from scenes.cli.publish_set import publish_set
from scenes.cli.subtitles import srt_to_vtt
from scenes.narration.beatsfile import SUFFIX as BEATS_SUFFIX
from scenes.narration.beatsfile import beats_path


def publish(job: Job, produced: Sequence[str]) -> list[str]:
    """Copy a job's files into --out under their stable names; returns the new paths. A video
    comes with its subtitles (NAME.srt, NAME.vtt) and its beats (NAME.beats.json), all
    published together or none of them (`publish_set`)."""
    out_dir = Path(job.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pairs = zip(produced, job.formats, strict=True)
    written = {f"{job.name}.{fmt}": Path(src).read_bytes() for src, fmt in pairs}  # published together
    # a video's subtitles: manim's NAME.srt beside it in the media tree, and WebVTT from it
    videos = [Path(src) for src, fmt in zip(produced, job.formats, strict=True) if fmt in job.movies]
    cues = next((v.with_suffix(".srt") for v in videos if v.with_suffix(".srt").exists()), None)
    if cues is not None:
        text = cues.read_text(encoding="utf-8")
        written[f"{job.name}.srt"], written[f"{job.name}.vtt"] = text.encode(), srt_to_vtt(text).encode()
    if videos:
        # the scene writes its beats beside each movie; every video of one job tells one story
        beats = beats_path(videos[0])
        if not beats.is_file():
            raise RuntimeError(f"{job.name}: the scene wrote no {beats.name} beside its video")
        written[f"{job.name}{BEATS_SUFFIX}"] = beats.read_bytes()
    if job.save_trajectory:
        written[f"{job.name}.json"] = trajectory_json(job).encode()
    sidecars = [f"{job.name}{s}" for s in (".srt", ".vtt", BEATS_SUFFIX)] if videos else []
    stale = [n for n in sidecars if n not in written]  # an earlier video's, this one has none
    return publish_set(out_dir, written, stale)  # the video and its subtitles together, or none


def trajectory_json(job: Job) -> str:
    """What `roll trajectory NAME` prints for the job's settings; a scene with several balls
    adds `balls`: every ball's trajectory, in the scene's order."""
    import json

    settings = job.settings
    trajectories = get_story(job.name).trajectories(settings, job.options)
    main = next((t for t in trajectories if t.settings == settings), trajectories[0])
    doc = main.to_dict()
    if len(trajectories) > 1:
        doc["balls"] = [t.to_dict() for t in trajectories]
    return json.dumps(doc, allow_nan=False) + "\n"


def write_atomic(dest: Path, data: bytes) -> Path:
    """Write dest through a temporary file in its folder, then rename: whole or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a published file is as readable as any other
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest
