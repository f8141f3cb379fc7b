"""The example notebook runs top to bottom and shows its plots and animations; `animate` alone.

The notebook is executed as a reader would (a fresh ipykernel, cells in order) at the tiny
quality that `ROLL_NOTEBOOK_QUALITY=tiny` selects, from a temporary folder, so the `%%manim`
cell's media tree is not written into the project.
"""

from __future__ import annotations

import os
import re

import pytest
from support import ROOT

NOTEBOOK = ROOT / "examples" / "optimization-intro.ipynb"
VIDEO = re.compile(r"<video\b.*?<source src=\"data:video/mp4;base64,[A-Za-z0-9+/=]{1000,}\"", re.S)


def cells_tagged(nb, tag: str) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and tag in c.metadata.get("tags", [])]


def html_outputs(cell) -> list[str]:
    return [o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {})]


def test_the_committed_notebook_is_clean_and_covers_the_chapter():
    """Saved without outputs (small, reviewable), one animation cell per chapter scene, in order."""
    import nbformat

    from scenes.catalog import CHAPTER

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source
    names = [
        m.group(1)
        for c in cells_tagged(nb, "animation")
        for m in re.finditer(r'animate\("([^"]+)"', c.source)
    ]
    assert names == CHAPTER
    assert any(c.source.startswith("%%manim") for c in cells_tagged(nb, "animation"))
    assert len(cells_tagged(nb, "plot")) == 5  # the seed section's five figures


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    run_dir = tmp_path_factory.mktemp("notebook")
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(run_dir)}}
    )
    # raises CellExecutionError, naming the cell and its traceback, if any cell fails
    client.execute(env={**os.environ, "ROLL_NOTEBOOK_QUALITY": "tiny"})
    return nb


def test_the_notebook_runs_top_to_bottom(executed):
    errors = [
        o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
    assert all(c.execution_count for c in executed.cells if c.cell_type == "code")


def test_every_animation_cell_shows_an_embedded_video(executed):
    cells = cells_tagged(executed, "animation")
    assert len(cells) == 17  # sixteen scenes, and risk a second time through %%manim
    for cell in cells:
        videos = [h for h in html_outputs(cell) if VIDEO.search(h)]
        assert len(videos) == 1, cell.source
        player = re.search(r"<video\b[^>]*>", videos[0])[0]
        if not cell.source.startswith("%%manim"):  # manim's own magic autoplays: its choice
            assert "controls" in player and "autoplay" not in player, player  # plays on a click
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "Manim Community" not in printed, "no banner"
        assert printed.strip() == "", printed


def test_every_plot_cell_draws_a_figure(executed):
    for cell in cells_tagged(executed, "plot"):
        pngs = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(pngs) == 1, cell.source


def test_animate_returns_an_embedded_video_with_a_setting_changed(tmp_path, monkeypatch):
    from IPython.display import Video

    from scenes.notebook import animate

    monkeypatch.setenv("ROLL_NOTEBOOK_QUALITY", "tiny")
    video = animate("learning-rate", lr=0.05, media=tmp_path)
    assert isinstance(video, Video) and video.embed
    assert VIDEO.search(video._repr_html_())
    assert "controls" in video.html_attributes and "muted" in video.html_attributes
    assert "autoplay" not in video.html_attributes and "loop" not in video.html_attributes  # on click
    (mp4,) = tmp_path.rglob("LearningRate.mp4")
    assert video.data == mp4.read_bytes()  # the bytes, so a later render cannot change it
    assert mp4.parent.name == "120p2"  # manim's folder for 120 px high at 2 frames per second


def test_settings_are_checked_before_rendering(monkeypatch):
    from landscapes.errors import SettingsError
    from scenes.notebook import manim_flags, quality_in_force, story_settings

    assert story_settings("learning-rate", lr=0.05).lr == 0.05
    assert story_settings("cubic-saddle", start=1).start == (1.0,)
    assert story_settings("momentum", beta=0.25).momentum == 0.25
    with pytest.raises(SettingsError, match="not a setting"):
        story_settings("risk", learning_rate=0.1)
    with pytest.raises(SettingsError, match="--lr"):
        story_settings("risk", lr=0)
    monkeypatch.delenv("ROLL_NOTEBOOK_QUALITY", raising=False)
    assert quality_in_force() == "l" and manim_flags() == "-ql"
    monkeypatch.setenv("ROLL_NOTEBOOK_QUALITY", "tiny")
    assert manim_flags() == "--resolution 214,120 --frame_rate 2"
    assert quality_in_force("m") == "m"
    monkeypatch.setenv("ROLL_NOTEBOOK_QUALITY", "huge")
    with pytest.raises(ValueError, match="ROLL_NOTEBOOK_QUALITY"):
        quality_in_force()


def test_the_notebook_module_reaches_no_command_line():
    """It imports no `scenes.cli` code, and no scene module imports it."""
    from test_layering import import_graph, reach

    graph, _ = import_graph(ROOT)
    assert not any(m.startswith("scenes.cli") for m in reach(graph, "scenes.notebook"))
    assert [m for m, edges in graph.items() if "scenes.notebook" in edges] == []
