"""The narration on the book's runs and on the runs that used to say false things, and what a
video carries of it: NAME.beats.json beside NAME.srt, agreeing to the millisecond."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import srt
from conftest import render_scene

from scenes.catalog import CHAPTER, get_story
from scenes.kit.balls import edge_words
from scenes.kit.typeset import typeset
from scenes.narration.registry import narrate_settings

BOOK = json.loads((Path(__file__).with_name("data") / "book_captions.json").read_text(encoding="utf-8"))
# runs a new user tried (issue 17): one changed setting each, and what used to be said falsely
CHANGED = {
    "ripples": ({"noise": 0.1}, "jumped out of the ripples"),
    "local-minimum": ({"lr": 0.5}, "f′ = 0 at both"),
    "cubic-saddle": ({"schedule": "exponential"}, "frozen at the saddle"),
    "vanishing-gradient": ({"start": (0.5,)}, "crawling"),
}


def test_the_book_runs_say_the_book_sentences():
    """Captions of the sixteen chapter scenes on their own settings, kept as data. One
    changed on purpose: momentum's second beat said the gradient along x2 "flips sign each
    step", but in the book's own run it keeps its sign from step 2 to 3 (-6.08, -0.128)."""
    assert sorted(BOOK) == sorted(CHAPTER)
    for name in CHAPTER:
        n = narrate_settings(name)
        assert n.captions == BOOK[name], name
        for beat in n.beats:
            assert all(c.holds for c in beat.claims), (name, beat.caption)


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_a_changed_run_says_what_happened(name):
    change, false = CHANGED[name]
    n = narrate_settings(name, get_story(name).settings.override(**change))
    assert not any(false in c for c in n.captions), n.captions
    assert all(c.holds for b in n.beats for c in b.claims)


def test_no_two_labels_share_a_target_unless_they_agree():
    n = narrate_settings("ripples", get_story("ripples").settings.override(noise=0.1))
    labels = [lab for b in n.beats for lab in b.labels]
    assert [lab.words for lab in labels] == ["caught"], "one ball, one label: the second says it again"


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_beats_json_and_srt_agree(tiny_movie, name):
    settings = get_story(name).settings.override(**CHANGED[name][0])
    scene = render_scene(name, settings)
    writer = scene.renderer.file_writer
    cues = list(srt.parse(Path(writer.output_plan.subcaption_file).read_text(encoding="utf-8")))
    doc = json.loads(
        Path(writer.output_plan.subcaption_file).with_suffix(".beats.json").read_text(encoding="utf-8")
    )
    assert doc["scene"] == name and doc["lang"] == "en" and doc["theme"] == "dark"
    beats = doc["beats"]
    assert (
        [b["caption"] for b in beats]
        == [c.content for c in cues]
        == [typeset(c) for c in narrate_settings(name, settings).captions]  # as on screen
    )
    for beat, cue in zip(beats, cues, strict=True):
        assert round(beat["start"] * 1000) == round(cue.start.total_seconds() * 1000)
        assert round(beat["end"] * 1000) == round(cue.end.total_seconds() * 1000)
        assert all(c["holds"] for c in beat["claims"])
    assert beats[-1]["end"] == pytest.approx(doc["duration"])
    # one manim section per beat, in order
    index = json.loads(
        (
            Path(writer.movie_file_path).parent / "sections" / f"{Path(writer.movie_file_path).stem}.json"
        ).read_text()
    )
    assert [s["name"] for s in index] == [b["section"] for b in beats]


def test_a_long_caption_takes_two_lines_before_it_shrinks():
    from scenes.kit.captions import split_caption

    a, b = split_caption("start x = -0.9: still moving, x = 1.928; start x = 0.6: still moving, x = 1.487")
    assert a.endswith(";") and b.startswith("start x = 0.6")
    assert split_caption("short") is None


def test_two_line_captions_keep_clear_of_the_plot_and_inside_the_frame(tmp_path, tex_dir):
    from conftest import tiny_config
    from manim import config, tempconfig

    from scenes.kit.captions import CAPTION_WIDTH

    # at 480p, as `-q l` draws it: pango lays a long line out by the frame's pixel width, so
    # the tiny frames of the other tests would wrap it on their own
    look = {**tiny_config(tmp_path, tex_dir), "pixel_height": 480, "pixel_width": 854, "frame_rate": 1}
    with tempconfig({**look, "write_to_movie": False}):
        scene = render_scene("local-minimum", get_story("local-minimum").settings.override(lr=0.5))
        cap = scene.caption_mob
    assert 0.5 < cap.height < 1.0, "two lines"
    assert cap.width <= CAPTION_WIDTH + 1e-6 and cap.get_bottom()[1] >= -config.frame_height / 2
    lowest = min(n.get_bottom()[1] for n in scene.plot.axes.y_axis.numbers)
    assert cap.get_top()[1] < lowest, "the caption sits under the plot's lowest tick label"


@pytest.mark.parametrize("name", ["momentum", "ill-conditioned", "learning-rate"])
def test_a_runaway_ball_draws_no_fence_and_its_marker_says_where_it_is(tiny, name):
    scene = render_scene(name)
    runaway = [b for b in scene.balls if not b.inside.all()]
    assert runaway, "the book's run leaves the view"
    box = scene.plot.box()
    for ball in runaway:
        away = ~ball.inside[:-1] & ~ball.inside[1:]
        assert away.any()
        seg = ball.segments[away]
        assert np.allclose(seg, seg[:, :1, :]), "a step between two points out of view draws nothing"
        last = len(ball.coords) - 1
        words, k = edge_words(ball, last, box, scene.plot.landscape, scene.plot.plane is not None)
        end = ball.traj.points[-1]
        value = end[k] if scene.plot.plane is not None else (ball.traj.values[-1] if k else end[0])
        assert words.split(" = ")[1].split(" ")[0] == f"{value:.4g}"
        assert len(ball.marker.points), "the marker is up at the end"
        left, bottom, right, top = box
        pts = ball.marker.points
        assert pts[:, 0].min() >= left - 1e-6 and pts[:, 0].max() <= right + 1e-6
        assert pts[:, 1].min() >= bottom - 1e-6 and pts[:, 1].max() <= top + 1e-6


def test_no_story_line_or_book_caption_prints_a_negative_zero():
    import re

    from scenes.catalog import CATALOG as SCENES

    zero = re.compile(r"-0(\.0+)?(?![\d.])")
    for name, story in SCENES.items():
        assert not zero.search(story.line), name
    for name, captions in BOOK.items():
        assert not any(zero.search(c) for c in captions), name


def test_a_caption_beside_the_plot_wraps_between_words_outside_brackets(tiny):
    from scenes.kit.captions import wrap
    from scenes.kit.mathtext import Size, text

    words = "adam comes within 0.1 of x = 1 at step 120; adamw is at (0.71, 0.50) after (all) 200 steps"
    rows = wrap(words, 4.0, Size.CAPTION_MIN)
    assert " ".join(rows) == words and len(rows) >= 3
    assert all(text(r, font_size=Size.CAPTION_MIN).width <= 4.0 for r in rows)
    assert not any(r.count("(") != r.count(")") for r in rows), "no break inside brackets"
    assert not any(r.endswith("=") or r.startswith("=") for r in rows), "x = 1 stays whole"
    assert wrap("one", 0.1, Size.CAPTION_MIN) == ["one"], "a word wider than the column stands alone"
