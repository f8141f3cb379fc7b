"""The beats file is one type, written and read by one module (`scenes.narration.beatsfile`):
what is written reads back equal, a damaged file is refused naming it, and no other module
writes, parses or names the file itself."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from support import ROOT

from scenes.narration import beatsfile
from scenes.narration.beatsfile import Narration, StoryBeat


def _narration() -> Narration:
    beats = [
        {
            "start": 0.0,
            "end": 2.5,
            "section": "autocreated",
            "caption": "η = 0.05 crawls: x = 3.486784 after 10 steps",
            "warn": False,
            "annotations": [{"words": "gd", "target": {"kind": "ball", "ball": "gd", "at": [3.48, 12.15]}}],
            "claims": [{"kind": "crawled", "ball": "gd", "holds": True, "value": 3.486784}],
        },
        {
            "start": 2.5,
            "end": 7.25,
            "section": "beat-02",
            "caption": "1.1 overshoots ever wider → 61.917364",
            "warn": True,
            "annotations": [],
            "claims": [],
        },
    ]
    return beatsfile.recorded("learning-rate", "zh", "light", 7.25, beats)


def test_written_beats_read_back_equal(tmp_path):
    narration = _narration()
    path = beatsfile.write(beatsfile.beats_path(tmp_path / "deep" / "LearningRate.mp4"), narration)
    assert path == tmp_path / "deep" / f"LearningRate{beatsfile.SUFFIX}"
    assert beatsfile.read(path) == narration
    assert [b.index for b in narration.beats] == [0, 1], "numbered in order as recorded"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == beatsfile.VERSION and doc["beats"][1]["caption"].endswith("61.917364")
    # a second trip changes nothing, byte for byte
    again = beatsfile.write(tmp_path / "again.beats.json", beatsfile.read(path))
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda d: d.update(version=2), "version 2, expected 1"),
        (lambda d: d["beats"][1].update(index=5), "not numbered"),
        (lambda d: d["beats"][1].update(start=1.0), "overlap"),
        (lambda d: d.pop("duration"), "not a beats file"),
    ],
)
def test_a_damaged_beats_file_is_refused_naming_it(tmp_path, change, said):
    path = beatsfile.write(tmp_path / "a.beats.json", _narration())
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ValueError, match=said) as caught:
        beatsfile.read(path)
    assert str(path) in str(caught.value)


def test_a_beat_is_one_type_from_recording_to_reading():
    beat = _narration().beats[0]
    assert isinstance(beat, StoryBeat)
    assert StoryBeat.from_dict(beat.to_dict()) == beat


def _code_strings(tree: ast.AST) -> list[str]:
    """String constants that are not docstrings."""
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


def test_every_reader_and_writer_goes_through_the_one_module():
    """No module but beatsfile spells the file's suffix; every module that mentions the beats
    file's readers or writers imports them from it."""
    own = ROOT / "scenes" / "narration" / "beatsfile.py"
    spelled = []
    for path in sorted([*(ROOT / "scenes").rglob("*.py"), *(ROOT / "landscapes").rglob("*.py")]):
        if path == own:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any("beats.json" in s for s in _code_strings(tree)):
            spelled.append(path.relative_to(ROOT).as_posix())
    assert spelled == []
    users = {
        "scenes/kit/recorder.py",
        "scenes/cli/slides.py",
        "scenes/cli/publish.py",
        "scenes/cli/cache.py",
        "scenes/cli/gallery.py",
    }
    for rel in sorted(users):
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        imported = {
            node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
        } | {
            f"{node.module}.{a.name}"
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            for a in node.names
        }
        assert "scenes.narration.beatsfile" in imported, rel


def test_one_webvtt_writer_for_videos_and_clips():
    from scenes.cli.deckfiles import Beat, beat_vtt
    from scenes.cli.subtitles import srt_to_vtt, webvtt

    srt_text = "1\n00:00:00,000 --> 00:00:01,500\nfirst --> second\n\n2\n00:00:01,500 --> 00:01:02,250\ntwo\n"
    assert srt_to_vtt(srt_text) == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nfirst → second\n\n"
        "2\n00:00:01.500 --> 00:01:02.250\ntwo\n"
    )
    clip = Beat("a caption", Path("missing.mp4"), Path("poster.png"), seconds=2.0)
    assert (
        beat_vtt(clip)
        == webvtt([(0.0, 2.0, "a caption")])
        == "WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\na caption\n"
    )
