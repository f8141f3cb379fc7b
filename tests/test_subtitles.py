"""Beats and subtitles: each caption opens a beat; the subtitle cues are the captions, in
order, timed as they appear on screen; every video result gets NAME.srt and NAME.vtt."""

from __future__ import annotations

import re
from pathlib import Path

import av
import numpy as np
import pytest
import srt
from conftest import render_scene

from scenes.cli.main import main
from scenes.cli.subtitles import srt_to_vtt
from scenes.kit.typeset import typeset
from scenes.narration.beatsfile import SUFFIX as BEATS_SUFFIX
from scenes.narration.beatsfile import read as read_beats


@pytest.mark.parametrize("name", ["ripples", "newton", "saddle-surface"])
def test_cues_are_the_captions_timed_as_on_screen(tiny_movie, name):
    from scenes.catalog import scene_class

    first_drawn: dict[int, float] = {}
    base = scene_class(name)

    class Recording(base):
        def fade(self, new, old=None, seconds=0.6):
            if new is not None and len(self.captions) and id(new) not in first_drawn:
                key = len(self.captions) - 1
                new.add_updater(lambda m, dt: first_drawn.setdefault(key, self.renderer.time))
            super().fade(new, old, seconds)

    scene = render_scene(name, cls=Recording)
    writer = scene.renderer.file_writer
    cues = list(srt.parse(writer.movie_file_path.with_suffix(".srt").read_text(encoding="utf-8")))
    assert [c.content for c in cues] == [typeset(c) for c in scene.captions], "a cue per caption, in order"
    starts = [c.start.total_seconds() for c in cues]
    ends = [c.end.total_seconds() for c in cues]
    assert starts == sorted(starts) and all(e > s for s, e in zip(starts, ends, strict=True))
    assert ends[-1] <= scene.renderer.time + 1e-6 and starts[0] >= 0
    frame = 1 / 5
    for k, start in enumerate(starts):
        assert abs(first_drawn[k] - start) <= frame + 1e-9, f"cue {k} starts with its caption's first frame"
    # the beats are manim's sections: one per caption, the first with the lead-in
    sections = [s for s in writer.sections if s.video is not None]
    assert len(sections) == len(scene.captions)


def test_vtt_has_the_same_cues():
    text = (
        "1\n00:00:01,000 --> 00:00:02,500\nfirst caption\n\n"
        "2\n00:00:02,500 --> 00:01:03,040\nη = 1.1: |x| = 61.9\n\n"
    )
    vtt = srt_to_vtt(text)
    assert vtt.startswith("WEBVTT\n")
    stamps = re.findall(r"(\d\d:\d\d:\d\d\.\d\d\d) --> (\d\d:\d\d:\d\d\.\d\d\d)", vtt)
    assert stamps == [("00:00:01.000", "00:00:02.500"), ("00:00:02.500", "00:01:03.040")]
    assert "first caption" in vtt and "η = 1.1: |x| = 61.9" in vtt


def test_a_video_result_gets_srt_and_vtt_beside_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "cubic-saddle", "--format", "mp4", "--out", "out"]) == 0
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "cubic-saddle.beats.json",
        "cubic-saddle.mp4",
        "cubic-saddle.srt",
        "cubic-saddle.vtt",
    ]
    cues = list(srt.parse((out / "cubic-saddle.srt").read_text(encoding="utf-8")))
    assert cues and cues[0].content == "plain gradient descent towards the flat point x = 0"
    # the beats and the subtitles are one narration: a cue per beat, the same words, the same
    # times to the millisecond (SRT's resolution: a cue's time is the beat's, cut to whole
    # milliseconds), the last beat ending with the video
    narration = read_beats(out / "cubic-saddle.beats.json")
    beats = narration.beats
    assert narration.scene == "cubic-saddle" and (narration.lang, narration.theme) == ("en", "dark")
    assert [c.content for c in cues] == [b.caption for b in beats]
    srt_times = np.array([(c.start.total_seconds(), c.end.total_seconds()) for c in cues])
    beat_times = np.array([(b.start, b.end) for b in beats])
    assert np.abs(srt_times - beat_times).max() < 1e-3
    # a beat ends when its caption leaves: with the next one, or before the balls roll past
    # the step its numbers quote (then the roll is the gap before the next beat)
    assert all(a.end <= b.start + 1e-9 for a, b in zip(beats, beats[1:], strict=False))
    assert beats[-1].end == pytest.approx(narration.duration)
    with av.open(str(out / "cubic-saddle.mp4")) as movie:
        assert narration.duration == pytest.approx(movie.duration / 1e6, abs=0.1)
    assert f"out/cubic-saddle{BEATS_SUFFIX}" in capsys.readouterr().out.split()
    assert (out / "cubic-saddle.vtt").read_text(encoding="utf-8") == srt_to_vtt(
        (out / "cubic-saddle.srt").read_text(encoding="utf-8")
    )
    # the same scene rendered again (not from the result cache): the same cues, to the millisecond
    assert main(["render", "cubic-saddle", "--format", "mp4", "--out", "again", "--force"]) == 0
    for name in ("cubic-saddle.srt", "cubic-saddle.vtt", "cubic-saddle.beats.json"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


# the four runs of issue 17, each one changed setting: their narration differs from the book's
FOUR_RUNS = [
    ("ripples", {"noise": 0.1}),
    ("local-minimum", {"lr": 0.5}),
    ("cubic-saddle", {"schedule": "exponential"}),
    ("vanishing-gradient", {"start": (0.5,)}),
]


@pytest.mark.parametrize(("name", "changes"), FOUR_RUNS, ids=[n for n, _ in FOUR_RUNS])
def test_beats_and_subtitles_agree_for_a_changed_run(tiny_movie, name, changes):
    """The scene's beats.json and manim's .srt beside the movie: a cue per beat, the beat's
    caption word for word, its start and end to the millisecond; the beats tile the video."""
    from scenes.catalog import get_story

    scene = render_scene(name, get_story(name).settings.override(**changes))
    movie = Path(scene.renderer.file_writer.movie_file_path)
    narration = read_beats(movie.with_suffix(BEATS_SUFFIX))
    cues = list(srt.parse(movie.with_suffix(".srt").read_text(encoding="utf-8")))
    assert narration.scene == name and len(narration.beats) >= 2
    assert [c.content for c in cues] == [b.caption for b in narration.beats]
    srt_times = np.array([(c.start.total_seconds(), c.end.total_seconds()) for c in cues])
    beat_times = np.array([(b.start, b.end) for b in narration.beats])
    assert np.abs(srt_times - beat_times).max() < 1e-3
    assert beat_times[0, 0] >= 0 and beat_times[-1, 1] == pytest.approx(narration.duration)
    assert np.all(beat_times[1:, 0] >= beat_times[:-1, 1] - 1e-9), "beats in order (a gap: a caption left)"
    sections = [s for s in scene.renderer.file_writer.sections if s.video is not None]
    assert len(sections) == len(narration.beats), "beat k is manim's section k"
