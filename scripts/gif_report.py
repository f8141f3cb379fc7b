"""How heavy the chapter's GIFs are, and what each way of writing them costs.

    .venv/bin/python scripts/gif_report.py [NAME...] [--media DIR]

Renders the scenes as `roll render NAME -q l --format gif` does (into DIR, default
media-gif-report/; a second run finds them in the result cache and only re-encodes), then
encodes each scene's lossless movie again, timed, two ways: as manim's own GIF writer does
(what roll shipped before write_gif: Bayer dithering, rgb8's fixed colours) and with roll's
write_gif (one palette for the clip, no dithering, unchanged pixels left transparent by
ffmpeg's GIF encoder). Prints a Markdown table: size and encoding time of each.
Sizes are measured here, not asserted in a timed test.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def manim_style_gif(movie: Path, dest: Path) -> Path:
    """The GIF as manim 0.22's own writer makes it (what roll shipped before write_gif): a
    palette from the frames' differences (palettegen stats_mode=diff), Bayer dithering over
    the changed rectangle (paletteuse dither=bayer:bayer_scale=5:diff_mode=rectangle), into
    rgb8's fixed 3-3-2 colours."""
    import av

    with av.open(str(movie)) as source, av.open(str(dest), "w", format="gif") as out:
        stream = source.streams.video[0]
        gif = out.add_stream("gif", rate=stream.average_rate)
        gif.width, gif.height, gif.pix_fmt = stream.codec_context.width, stream.codec_context.height, "rgb8"
        graph = av.filter.Graph()
        frames = graph.add_buffer(template=stream)
        split = graph.add("split")
        palettegen = graph.add("palettegen", "stats_mode=diff")
        paletteuse = graph.add("paletteuse", "dither=bayer:bayer_scale=5:diff_mode=rectangle")
        sink = graph.add("buffersink")
        frames.link_to(split)
        split.link_to(palettegen, 0, 0)
        split.link_to(paletteuse, 1, 0)
        palettegen.link_to(paletteuse, 0, 1)
        paletteuse.link_to(sink)
        graph.configure()
        for frame in source.decode(stream):
            graph.push(frame)
        graph.push(None)
        written = 0
        while True:
            try:
                frame = graph.pull()
            except (av.error.EOFError, av.error.BlockingIOError):
                break
            frame.pts = written
            if gif.codec_context.time_base is not None:
                frame.time_base = gif.codec_context.time_base
            written += 1
            out.mux(gif.encode(frame))
        out.mux(gif.encode())
    return dest


def main() -> int:
    from scenes.catalog import CATALOG, CHAPTER
    from scenes.cli.gif import write_gif

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", default=CHAPTER)
    parser.add_argument("--media", default="media-gif-report")
    args = parser.parse_args()
    media = Path(args.media).resolve()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "scenes",
            "render",
            *args.names,
            "-q",
            "l",
            "--format",
            "gif",
            "--media-dir",
            str(media),
            "--out",
            str(media / "out"),
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    print("| scene | frames | manim's GIF (MB) | time (s) | write_gif (MB) | time (s) | shipped (MB) |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.names:
            entry = CATALOG[name]
            classes = {entry.cls, entry.plane_cls} - {None}
            found = (m for c in classes for m in media.glob(f"videos/480p15/*/{c}.mp4"))
            movies = sorted(found, key=lambda p: p.stat().st_mtime)
            gifs = [m for m in movies if m.with_suffix(".gif").is_file()]
            if not gifs:
                print(f"| {name} | no lossless movie in {media} | | | | | |")
                continue
            movie = gifs[-1]
            t0 = time.perf_counter()
            old = manim_style_gif(movie, Path(tmp) / "old.gif")
            t1 = time.perf_counter()
            new = write_gif(movie, Path(tmp) / "new.gif")
            t2 = time.perf_counter()
            from PIL import Image

            with Image.open(new) as im:
                n = im.n_frames
            shipped = (media / "out" / f"{name}.gif").stat().st_size
            print(
                f"| {name} | {n} | {old.stat().st_size / 1e6:.2f} | {t1 - t0:.1f} "
                f"| {new.stat().st_size / 1e6:.2f} | {t2 - t1:.1f} | {shipped / 1e6:.2f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
