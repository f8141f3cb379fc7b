"""GIFs for slides: every frame of the movie, in its own colours, one palette for the clip.

manim's GIF maps its palette onto rgb8's fixed 3-3-2 colours: on the light theme the grey
curves and the panel's numbers came out yellow. `roll render --format gif` makes the GIF
from the movie itself (scenes.cli.render.write_gif).
"""

from __future__ import annotations

import av
import numpy as np
from PIL import Image, ImageSequence

from scenes.cli.main import main


def test_a_light_gif_keeps_the_movie_s_colours_frame_for_frame(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["render", "cubic-saddle", "--theme", "light", "--format", "gif,png,mp4", "--out", "o"]
    assert main(argv) == 0
    out = tmp_path / "o"
    with Image.open(out / "cubic-saddle.gif") as im:
        gif = [np.asarray(f.convert("RGB"), dtype=int) for f in ImageSequence.Iterator(im)]
    with av.open(str(out / "cubic-saddle.mp4")) as movie:
        video = [f.to_ndarray(format="rgb24").astype(int) for f in movie.decode(video=0)]
    assert len(gif) == len(video) > 10, "every frame of the movie"
    still = np.asarray(Image.open(out / "cubic-saddle.png").convert("RGB"), dtype=int)
    assert gif[-1].shape == still.shape
    # the last frame in the movie's own colours: each pixel near its colour in the PNG (the
    # 3-3-2 palette was off by up to 36 per channel on every grey), the background exact
    error = np.abs(gif[-1] - still).max(axis=2)
    assert np.percentile(error, 99) <= 16 and error.mean() < 2.0
    assert (gif[-1][0, 0] == still[0, 0]).all() and (still[0, 0] == 255).all()
    # one palette, no dithering: a part that does not move keeps its pixels in every frame
    # (the formula in the top-left corner)
    corner = (slice(0, still.shape[0] // 8), slice(0, still.shape[1] // 5))
    assert all((g[corner] == gif[-1][corner]).all() for g in gif[len(gif) // 4 :])


def test_every_gif_frame_is_its_movie_frame_within_a_small_error(tiny_movie, tmp_path):
    """The palette for the whole clip and no dither lose little: on a plane scene (contour
    colours, trails, readouts) every frame of the GIF is the movie's frame within a few levels
    per channel on average, and no frame is off by much anywhere but at a handful of pixels."""
    from pathlib import Path

    from conftest import render_scene

    from scenes.cli.gif import write_gif

    scene = render_scene("momentum")
    movie = Path(scene.renderer.file_writer.movie_file_path)
    gif = write_gif(movie, tmp_path / "momentum.gif")
    with Image.open(gif) as im:
        frames = [np.asarray(f.convert("RGB"), dtype=int) for f in ImageSequence.Iterator(im)]
    with av.open(str(movie)) as source:
        video = [f.to_ndarray(format="rgb24").astype(int) for f in source.decode(video=0)]
    assert len(frames) == len(video) > 5
    for k, (g, v) in enumerate(zip(frames, video, strict=True)):
        error = np.abs(g - v).max(axis=2)
        assert error.mean() < 3.2 and np.percentile(error, 99) <= 24, (k, error.mean())
