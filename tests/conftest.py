"""Shared fixtures and helpers: scenes render tiny (120 px high, 5 frames per second)."""

from __future__ import annotations

import pytest
import torch

# the runs step tiny (balls, dim) tensors: intra-op threads only add overhead, and on a busy
# 2-core machine they halve the speed of the narration's property tests
torch.set_num_threads(1)


@pytest.fixture(scope="session")
def tex_dir(tmp_path_factory):
    """One TeX cache for the whole run: manim names its files by content, so tests share
    compiled labels instead of running latex again for every scene."""
    return tmp_path_factory.mktemp("tex")


def tiny_config(tmp_path, tex_dir) -> dict:
    """120 px high, 5 frames per second, its own media folder, the run's TeX cache."""
    return {
        "tex_dir": str(tex_dir),
        "pixel_height": 120,
        "pixel_width": 214,
        "frame_rate": 5,
        "media_dir": str(tmp_path / "media"),
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
    }


@pytest.fixture
def tiny(tmp_path, tex_dir):
    """Tiny frames, no movie written: for positions and mobjects."""
    from manim import tempconfig

    with tempconfig({**tiny_config(tmp_path, tex_dir), "write_to_movie": False}):
        yield


@pytest.fixture
def tiny_movie(tmp_path, tex_dir):
    """Tiny, but written as a movie (with its subtitles and sections), as `roll` renders."""
    from manim import tempconfig

    with tempconfig({**tiny_config(tmp_path, tex_dir), "save_sections": True}):
        yield


def render_scene(name, settings=None, options=None, cls=None, **kwargs):
    """Build and render one scene (inside the `tiny` fixture); the class follows the landscape."""
    from scenes.catalog import get_story, scene_class

    settings = settings or get_story(name).settings
    scene = (cls or scene_class(name, settings))(settings=settings, options=options, **kwargs)
    scene.render()
    return scene


@pytest.fixture(autouse=True)
def built_in_records_only():
    """A story file or fixture enters a scene record for its process: forget it after each test,
    so no test sees another's records (they share a worker process)."""
    yield
    from scenes.catalog import reset
    from scenes.cli.storyfiles import PATHS

    reset()
    PATHS.clear()
