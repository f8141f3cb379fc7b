"""The picture's figures, per case of tests/test_picture.py, for a closing note or a review:

    .venv/bin/python -m pytest tests/picture_figures.py -q -n 2

writes `picture-figures.tsv` (or $PICTURE_FIGURES): per case, at the least of its beat ends,
the plot's share of the frame and the smallest digit cap and subscript in pixels at 480p and
1080p, and the text that holds the smallest cap. Not collected by `make test`: it asserts
nothing the picture test does not already hold."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_picture import CASES, FRAME_AREA, STORY_FILES, render_case, snapshots  # noqa: F401
from typesize import type_sizes

OUT = Path(os.environ.get("PICTURE_FIGURES", "picture-figures.tsv"))
PX = {"480p": 480 / 8.0, "1080p": 1080 / 8.0}  # pixels per unit of manim's 8-unit-high frame


def report(name: str, shots: list) -> None:
    share, cap, sub, smallest = 1.0, float("inf"), float("inf"), ""
    for shot in shots:
        _kind, plot, *area = shot.plot
        share = min(share, (area[0] if area else (plot[2] - plot[0]) * (plot[3] - plot[1])) / FRAME_AREA)
        for words, _box, mob in shot.texts:
            c, s = type_sizes(mob, words)
            if c < cap:
                cap, smallest = c, words
            if s is not None:
                sub = min(sub, s)
    sizes = [f"{v * px:.1f}" if v < float("inf") else "—" for v in (cap, sub) for px in PX.values()]
    cells = [f"{share:.3f}", *sizes]
    with OUT.open("a", encoding="utf-8") as f:  # one line per write: workers may share the file
        f.write("\t".join([name, *cells, smallest]) + "\n")


@pytest.mark.parametrize(("name", "options"), CASES)
def test_case(tiny, snapshots, name, options):  # noqa: F811
    render_case(name, options)
    report(f"{name} {options or ''}".strip(), snapshots)


@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_story_file(tiny, snapshots, path):  # noqa: F811
    from conftest import render_scene

    from landscapes.storyfile import load
    from scenes.catalog import entry, register_file

    name = register_file(load(path))
    render_scene(name, options=entry(name).options)
    report(path.stem, snapshots)
