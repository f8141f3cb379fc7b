"""A movie as a GIF light enough for slides: one palette for the whole clip, no dithering."""

from __future__ import annotations

import os
from pathlib import Path


def write_gif(movie: Path, dest: Path) -> Path:
    """The movie as a GIF for slides: one palette of 256 colours for the whole clip (ffmpeg's
    palettegen over every frame, then paletteuse without dithering), so static parts keep
    their pixels from frame to frame and every colour stays near its own. Two passes over
    the movie: no frame is held in memory for the palette. Written aside, then renamed.

    The palette counts what changes (`stats_mode=diff`): counted by frames, the still bands
    and background outweighed the trails and balls, which came out off by 21 levels; all 256
    entries are colours (no transparent one)."""
    import av

    with av.open(str(movie)) as source:
        stream = source.streams.video[0]
        graph = av.filter.Graph()
        frames = graph.add_buffer(template=stream)
        palettegen = graph.add("palettegen", "stats_mode=diff:reserve_transparent=0")
        sink = graph.add("buffersink")
        frames.link_to(palettegen)
        palettegen.link_to(sink)
        graph.configure()
        for frame in source.decode(stream):
            graph.push(frame)
        graph.push(None)
        palette = graph.pull()

    tmp = dest.with_name(f".{dest.name}.part")
    try:
        with av.open(str(movie)) as source, av.open(str(tmp), "w", format="gif") as out:
            stream = source.streams.video[0]
            gif = out.add_stream("gif", rate=stream.average_rate)
            gif.width, gif.height = stream.codec_context.width, stream.codec_context.height
            gif.pix_fmt = "pal8"
            graph = av.filter.Graph()
            frames = graph.add_buffer(template=stream)
            colours = graph.add_buffer(
                width=palette.width,
                height=palette.height,
                format=palette.format.name,
                time_base=stream.time_base,
            )
            paletteuse = graph.add("paletteuse", "dither=none")
            sink = graph.add("buffersink")
            frames.link_to(paletteuse, 0, 0)
            colours.link_to(paletteuse, 0, 1)
            paletteuse.link_to(sink)
            graph.configure()
            colours.push(palette)
            colours.push(None)
            written = 0

            def drain() -> None:
                nonlocal written
                while True:
                    try:
                        frame = graph.pull()
                    except (av.error.BlockingIOError, av.error.EOFError):
                        return
                    frame.pts = written
                    if gif.codec_context.time_base is not None:
                        frame.time_base = gif.codec_context.time_base
                    written += 1
                    out.mux(gif.encode(frame))

            for frame in source.decode(stream):
                frames.push(frame)
                drain()
            frames.push(None)
            drain()
            out.mux(gif.encode())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest
