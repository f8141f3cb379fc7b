"""Shared fixtures: scenes render tiny (120 px high, 5 frames per second) to stay fast."""

import pytest


@pytest.fixture
def tiny(tmp_path):
    from manim import tempconfig

    cfg = {
        "pixel_height": 120,
        "pixel_width": 214,
        "frame_rate": 5,
        "media_dir": str(tmp_path / "media"),
        "write_to_movie": False,
        "disable_caching": True,
        "verbosity": "WARNING",
        "progress_bar": "none",
    }
    with tempconfig(cfg):
        yield
