"""Frames of a rendered video as PNG files, to look at: `python scripts/frames.py VIDEO T1 T2 ... --out DIR`.

Each T is a time in seconds, or `beats`: the last frame of every beat (read from NAME.beats.json
beside the video). PyAV decodes (it comes with manim); no ffmpeg binary is needed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import av


def beat_ends(video: Path) -> list[float]:
    doc = json.loads(video.with_suffix(".beats.json").read_text(encoding="utf-8"))
    return [b.get("end", doc["duration"]) - 0.05 for b in doc["beats"]]


def grab(video: Path, times: list[float], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with av.open(str(video)) as box:
        stream = box.streams.video[0]
        frames = [(float(f.time or 0.0), f) for f in box.decode(stream)]
    for t in times:
        _time, frame = min(frames, key=lambda tf: abs(tf[0] - t))
        path = out / f"{video.stem}-{t:06.2f}.png"
        frame.to_image().save(path)
        written.append(path)
    return written


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("video", type=Path)
    p.add_argument("times", nargs="+")
    p.add_argument("--out", type=Path, default=Path("frames"))
    a = p.parse_args()
    times: list[float] = []
    for t in a.times:
        times += beat_ends(a.video) if t == "beats" else [float(t)]
    for path in grab(a.video, times, a.out):
        print(path)


if __name__ == "__main__":
    main()
