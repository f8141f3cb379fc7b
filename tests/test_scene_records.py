"""A scene is one record (scenes/catalog.py): adding one — here in a fixture, with its scene
module in a temporary folder — makes it listed, renderable and accepted by the options it
declares, with no other file touched. And the records agree with what reads them."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from landscapes import Settings
from scenes import catalog
from scenes.catalog import CATALOG, OPTIONS, Scene
from scenes.cli.main import main

ROOT = Path(__file__).resolve().parents[1]

SPIRAL = '''
"""A fixture's scene: one plot, a ball per record ball, the narration's beats."""
from scenes.kit.story import StoryScene


class Valley(StoryScene):
    story_name = "valley"

    def construct(self) -> None:
        self.column.title()
        self.add(self.plot.graph(self.landscape.domain[0]))
        for name in self.trajectories.names:
            self.add_ball(self.trajectories[name], self.label_of(name))
        self.column.readouts()
        self.show_balls()
        self.tell(self.narration.beats)
'''


@pytest.fixture
def valley(tmp_path, monkeypatch):
    """A record whose module lives outside the project, entered for this test only."""
    pkg = tmp_path / "fixture_scenes"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "valley.py").write_text(textwrap.dedent(SPIRAL))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("ROLL_CACHE_DIR", str(tmp_path / "cache"))
    record = Scene(
        "valley",
        "x² from 1.5: two rates side by side",
        Settings("square", (1.5,), lr=0.1, steps=12, domain=((-2.0, 2.0),)),
        "Valley",
        section="beyond",
        main="slow",
        companions={"fast": {"lr": 0.4}},
        accepts=("optimizers",),
        module="fixture_scenes.valley",
    )
    catalog.register(record)
    yield record
    catalog.reset()
    sys.modules.pop("fixture_scenes.valley", None)
    sys.modules.pop("fixture_scenes", None)


def test_a_record_added_in_a_fixture_is_listed(valley, capsys):
    assert main(["list"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("valley "))
    assert "Valley" in line and valley.line in line


def test_a_record_added_in_a_fixture_renders_its_balls_by_name(valley, tmp_path, capsys):
    out = tmp_path / "out"
    media = str(tmp_path / "m")
    code = main(["render", "valley", "--format", "png", "--out", str(out), "--media-dir", media])
    assert code == 0, capsys.readouterr().err
    assert (out / "valley.png").stat().st_size > 0
    trajs = valley.story.trajectories()
    assert trajs.names == ("slow", "fast") and trajs["fast"].settings.lr == 0.4


def test_a_record_added_in_a_fixture_takes_the_options_it_declares_and_no_other(valley, tmp_path, capsys):
    planned = []
    from scenes.cli import runner

    def plan(jobs, workers, verbose=False):
        planned.extend(jobs)
        return 0, []

    mp = pytest.MonkeyPatch()
    mp.setattr(runner, "run_jobs", plan)
    try:
        assert main(["render", "valley", "--optimizers", "gd,adam", "--out", str(tmp_path / "o")]) == 0
        assert planned[0].options["optimizers"] == ("gd", "adam")
        for flag, value in (("--balls", "3"), ("--spread", "even"), ("--function", "x**2")):
            assert main(["render", "valley", flag, value, "--out", str(tmp_path / "o")]) == 2
            err = capsys.readouterr().err.strip()
            assert err.count("\n") == 0 and flag in err and "valley" in err, err
    finally:
        mp.undo()
    assert catalog.accepting("optimizers")[-1] == "valley", "the option's help names it"


def test_a_ball_is_asked_for_by_name_and_a_wrong_name_says_which_balls_there_are():
    trajs = CATALOG["momentum"].story.trajectories()
    assert trajs["gd"].settings.optimizer == "gd" and trajs["low-beta"].settings.beta == 0.25
    with pytest.raises(KeyError, match="momentum, low-beta, gd"):
        trajs["nesterov"]


def test_every_built_in_record_has_a_narrator_of_its_own_and_known_options():
    from scenes.narration.registry import narrators

    told = narrators()
    for name, record in CATALOG.items():
        assert name in told, f"{name} would fall back on the generic narration"
        assert set(record.accepts) <= set(OPTIONS)
        many = record.options.get("balls")  # basins: one batched run from `balls` starts
        assert len(record.story.ball_names()) == (many or len(record.story.balls())), name


def test_the_options_help_and_messages_come_from_the_records(capsys):
    takers = [n for n, r in CATALOG.items() if "function" in r.accepts]  # read here, not via accepting()
    assert main(["render", "risk", "--function", "x**2"]) == 2
    err = capsys.readouterr().err
    assert all(f"`{n}`" in err for n in takers), err
    with pytest.raises(SystemExit) as done:
        main(["render", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    for option in ("optimizers", "balls"):
        names = [n for n, r in CATALOG.items() if option in r.accepts]
        assert f"--{option} {option.upper()} {', '.join(names)}:" in text


def test_the_readme_table_is_the_records():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert catalog.readme_table() in readme, "paste scenes.catalog.readme_table() into the README"
    for name, record in CATALOG.items():
        assert f"| `{name}` | `{record.cls}`" in readme


def test_a_record_refuses_an_unknown_option_or_section_or_two_balls_of_one_name():
    s = Settings("square", (1.0,))
    with pytest.raises(ValueError, match="unknown options"):
        Scene("x", "line", s, "X", accepts=("ballz",))
    with pytest.raises(ValueError, match="unknown section"):
        Scene("x", "line", s, "X", section="chapter-9")
    with pytest.raises(ValueError, match="two balls named"):
        Scene("x", "line", s, "X", main="a", companions={"a": {"lr": 0.1}})
