"""`roll bench`: how much each scene costs per frame, against manim's own floor.

Machines are noisy, so a scene's speed is reported as a ratio to a *floor* rendered in the
same run with the same frame count and size: static axes and a curve with one dot moving
(2D), or a 16 x 16 surface drawn once with a ball moving under a still camera (3D). A ratio
near 1 means the scene costs what manim itself costs to move one dot.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from typing import Any

from scenes.catalog import CHAPTER, cost, entry, get_story, scene_class
from scenes.cli.plan import plan
from scenes.cli.worker import tex_cache
from scenes.outputs import QUALITIES

# the qualities bench times (a subset of the table): a quick one and a lecture's
BENCH_QUALITIES = ("l", "h")


def _timed_render(make_scene: Any, config: dict[str, Any]) -> tuple[int, float]:
    """Frames written and wall seconds of one render (construction included)."""
    from manim import tempconfig

    with tempconfig(config):
        from manim import config as live

        start = time.perf_counter()
        scene = make_scene()
        scene.render()
        seconds = time.perf_counter() - start
        frames = round(scene.renderer.time * live.frame_rate)
    return frames, seconds


def bench(
    names: list[str],
    quality: str,
    media_dir: str,
    theme: str = "dark",
    lang: str = "en",
    tex_root: str = "media",
) -> dict[str, Any]:
    from manim import config as live
    from manim import tempconfig

    from scenes.floors import floor_class

    base = {
        "quality": QUALITIES[quality].manim,
        "media_dir": media_dir,
        "disable_caching": True,
        "verbosity": "ERROR",
        "progress_bar": "none",
        "format": "mp4",
    }
    with tempconfig(base):
        fps = live.frame_rate
    result: dict[str, Any] = {"quality": quality, "theme": theme, "lang": lang, "scenes": {}}
    from landscapes.optimizers import run

    run(get_story("cubic-saddle").settings.override(steps=2))  # the first call pays torch's warm-up
    _timed_render(floor_class(False, 1.0), base)  # and the first render pays fonts, pango, the encoder
    floors: dict[str, list[float]] = {"2d": [], "3d": []}
    for name in names:
        story = get_story(name)
        t = time.perf_counter()
        story.trajectories()
        trajectory_ms = (time.perf_counter() - t) * 1000
        cls = scene_class(name)
        frames, seconds = _timed_render(
            # the story's own options: a story file's text travels in them
            lambda cls=cls, opts=dict(story.options): cls(options=opts, theme=theme, lang=lang),
            {**base, "tex_dir": str(tex_cache(tex_root, name))},
        )
        kind = "3d" if cost(name) > 1 else "2d"
        floor_frames, floor_seconds = _timed_render(floor_class(kind == "3d", frames / fps), base)
        floor_ms = floor_seconds * 1000 / floor_frames
        floors[kind].append(floor_ms)
        ms = seconds * 1000 / frames
        result["scenes"][name] = {
            "frames": frames,
            "seconds": round(seconds, 3),
            "ms_per_frame": round(ms, 3),
            "floor_ms_per_frame": round(floor_ms, 3),
            "ratio": round(ms / floor_ms, 3),
            "trajectory_ms": round(trajectory_ms, 2),
        }
        print(_row(name, result["scenes"][name]), file=sys.stderr, flush=True)
    for kind, values in floors.items():
        result[f"floor_{kind}_ms_per_frame"] = round(sum(values) / len(values), 3) if values else None
    if any(entry(n).story_class for n in names):  # a network scene: its training and grid speed
        from landscapes.network.speed import measure

        result["network"] = measure()
        print(_network_row(result["network"]), file=sys.stderr, flush=True)
    return result


def _network_row(r: dict[str, Any]) -> str:
    return (
        f"network: {r['steps']} steps of {r['model']} on {r['points']} points in {r['train_seconds']:.2f} s "
        f"({r['train_cpu_seconds']:.2f} s CPU); a {r['grid']} grid of both losses in "
        f"{r['grid_seconds']:.2f} s ({r['grid_cpu_seconds']:.2f} s CPU)"
    )


def _row(name: str, r: dict[str, Any]) -> str:
    return (
        f"{name:<20} {r['frames']:>6} {r['seconds']:>9.2f} {r['ms_per_frame']:>9.2f} "
        f"{r['floor_ms_per_frame']:>9.2f} {r['ratio']:>6.2f} {r['trajectory_ms']:>9.2f}"
    )


HEADER = (
    f"{'scene':<20} {'frames':>6} {'seconds':>9} {'ms/frame':>9} {'floor ms':>9} {'ratio':>6} {'traj ms':>9}"
)


def bench_command(args: argparse.Namespace) -> int:
    # the jobs' names, quality and look; bench renders them itself, timed, uncached, in one process
    jobs = plan(args, ("mp4",), every=CHAPTER, qualities=BENCH_QUALITIES, who="bench")
    names = [job.name for job in jobs]
    look = (jobs[0].theme, jobs[0].lang)
    print(HEADER, file=sys.stderr)
    # movies go to a temporary folder and are not cached; TeX output is cached by content in
    # tex-cache/ under --media-dir, the same cache `roll render` uses, as in any real re-render
    with tempfile.TemporaryDirectory(prefix="roll-bench-") as media:
        result = bench(names, args.quality, media, *look, tex_root=getattr(args, "media_dir", "media"))
    if args.json:
        print(json.dumps(result))
    else:
        print(HEADER)
        for name, r in result["scenes"].items():
            print(_row(name, r))
        print(
            f"floor: 2D {result['floor_2d_ms_per_frame']} ms/frame, "
            f"3D {result['floor_3d_ms_per_frame']} ms/frame"
        )
        if "network" in result:
            print(_network_row(result["network"]))
    return 0
