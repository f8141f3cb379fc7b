"""Every `-q` letter and every format the command line lists comes from the two tables of
`scenes.outputs`: a quality added there (here, in a fixture) is a flag choice, help text, a
notebook quality and part of the cache key, with no other file touched. And
`--optimizer torch.optim.NAdam` (a dotted path) means `torch.optim:NAdam`."""

from __future__ import annotations

import argparse
import json
import re

import pytest

from scenes.catalog import get_story
from scenes.cli.cache_key import key_document
from scenes.cli.job import Job
from scenes.cli.main import build_parser, main
from scenes.outputs import FORMATS, QUALITIES, Format, Quality, check_quality, parse_formats

ENV = {"packages": {"manim": "0.19.0"}}


def _quality_actions(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {
        name: action
        for name, p in sub.choices.items()
        for action in p._actions
        if "--quality" in action.option_strings
    }


def _letters_in(help_text: str) -> list[str]:
    """The letters a -q help lists: `l (480p15, default), m (720p30) or k (2160p60)`."""
    return re.findall(r"(?:^|, | or )(\w+) \(", help_text)


def test_every_quality_the_help_lists_comes_from_the_table():
    actions = _quality_actions(build_parser())
    assert set(actions) == {"render", "slides", "gallery", "bench"}
    for name, action in actions.items():
        letters = _letters_in(action.help)
        assert set(letters) <= set(QUALITIES), name
        assert action.metavar == "{" + ",".join(letters) + "}", name
        for q in letters:
            assert f"{q} ({QUALITIES[q].height}p{QUALITIES[q].fps}" in action.help, name
    for name in ("render", "slides", "gallery"):
        assert _letters_in(actions[name].help) == list(QUALITIES), name
    assert _letters_in(actions["bench"].help) == ["l", "h"]


def test_every_format_the_help_lists_comes_from_the_table():
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    (action,) = [a for a in sub.choices["render"]._actions if "--format" in a.option_strings]
    listed = re.findall(r"(?:^|, | or )(\w+)(?= \(|,| or|$)", action.help.split(";")[0])
    assert listed == list(FORMATS)
    assert parse_formats("GIF, mp4,gif") == ("gif", "mp4")


@pytest.fixture
def extra_quality(monkeypatch):
    """A sixth quality, 360p at 24 frames per second, added to the table alone."""
    q = Quality("t", "example_quality", 640, 360, 24, "360p, 24 frames per second")
    monkeypatch.setitem(QUALITIES, "t", q)
    return q


def test_a_quality_added_to_the_table_reaches_flag_help_notebook_and_cache_key(extra_quality, capsys):
    from scenes import notebook

    actions = _quality_actions(build_parser())
    for name in ("render", "slides", "gallery"):
        assert "t (360p24)" in actions[name].help and actions[name].metavar.endswith(",t}"), name
    assert "t" not in _letters_in(actions["bench"].help), "bench keeps its own subset"
    # the flag's choice: parsed, and accepted by the one check every planner calls
    args = build_parser().parse_args(["render", "ripples", "-q", "t"])
    assert check_quality(args.quality) is extra_quality
    # the notebook
    assert notebook.quality_in_force("t") == "t"
    assert notebook.quality_config("t") == {"quality": "example_quality"}
    # the job's manim config, and so the cache key
    settings = get_story("cubic-saddle").settings
    job = Job("cubic-saddle", settings, {}, "t", ("mp4",), "out", "media", False)
    low = Job("cubic-saddle", settings, {}, "l", ("mp4",), "out", "media", False)
    assert job.output_config("mp4")["quality"] == "example_quality"

    class NoSources:
        def digest(self, module, lang):
            return {}

    doc = key_document(job, NoSources(), ENV)
    assert doc["quality"] == "t" and doc["manim"][0]["quality"] == "example_quality"
    assert doc != key_document(low, NoSources(), ENV)
    # a letter in no table is refused in one line naming the flag and the letters
    assert main(["render", "ripples", "-q", "z"]) == 2
    assert "-q 'z': choose one of l, m, h, p, k, t" in capsys.readouterr().err


def test_a_format_added_to_the_table_reaches_flag_help_and_manim_config(monkeypatch):
    monkeypatch.setitem(FORMATS, "mov", Format("mov", movie=True, subtitles=True, sections=True, manim="mov"))
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    (action,) = [a for a in sub.choices["render"]._actions if "--format" in a.option_strings]
    assert " or mov;" in action.help
    assert parse_formats("mov,mp4") == ("mov", "mp4")
    job = Job(
        "cubic-saddle", get_story("cubic-saddle").settings, {}, "l", ("mov",), "o", "m", False, sections=True
    )
    assert job.output_config("mov")["format"] == "mov" and job.output_config("mov")["save_sections"]
    assert job.movies == ("mov",)


def test_a_dotted_path_names_the_same_optimizer_as_module_colon_class(capsys):
    printed = {}
    for name in ("torch.optim.NAdam", "torch.optim:NAdam"):
        assert main(["trajectory", "gd-2d", "--optimizer", name, "--steps", "5"]) == 0, (
            capsys.readouterr().err
        )
        printed[name] = json.loads(capsys.readouterr().out)
    assert printed["torch.optim.NAdam"] == printed["torch.optim:NAdam"]
    assert printed["torch.optim.NAdam"]["optimizer"] == "torch.optim:NAdam"
    assert main(["trajectory", "gd-2d", "--optimizer", "torch.optim.NoSuchThing"]) == 2
    assert "cannot import 'NoSuchThing' from 'torch.optim'" in capsys.readouterr().err
