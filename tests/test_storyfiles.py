"""Story files: a scene written as TOML, checked, narrated from the run and drawn by the kit."""

from __future__ import annotations

import json
import re
import string
import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import ROOT

from landscapes.storyfile import (
    CLAIMS,
    POINTS,
    SECTIONS,
    VIEWS,
    StoryFileError,
    load,
    loads,
)
from scenes.cli.main import main
from scenes.kit.typeset import typeset

STORY_FILES = sorted([*ROOT.glob("scenes/stories/*.toml"), *ROOT.glob("examples/stories/*.toml")])
BUILT_IN = ["gd-2d", "adagrad", "rmsprop"]
SCHEMA = json.loads((ROOT / "landscapes" / "story.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def forget_files():
    """A file named on a command line is entered for that process: forget it after each test."""
    from scenes.catalog import reset
    from scenes.cli.storyfiles import PATHS

    yield
    reset()
    PATHS.clear()


def scene_of(path: Path, **kwargs):
    from scenes.story_file import VIEWS as CLASSES
    from scenes.story_file import StoryFileModel

    record = load(path)
    cls = CLASSES[record.view] if record.model is None else StoryFileModel
    return record, cls(options={"story": record.text, "name": record.name}, **kwargs)


# ---- the shipped files -------------------------------------------------------------------
def test_there_are_story_files_to_test():
    names = {p.stem for p in STORY_FILES}
    assert set(BUILT_IN) <= names and len(names - set(BUILT_IN)) >= 3


@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_every_story_file_renders_its_balls_on_their_trajectories(tiny, path):
    """Tiny real render: every ball ends drawn at its trajectory's last point, and every
    caption's placeholders print the run's own numbers at the beat's step."""
    record, scene = scene_of(path)
    scene.render()
    assert len(scene.balls) == len(record.balls)
    for ball, traj, spec in zip(scene.balls, scene.trajectories, record.balls, strict=True):
        assert ball.traj is traj and traj.settings == spec.settings
        lift = scene.lifts[id(ball)][-1] if hasattr(scene, "lifts") else 0.0  # a ball on a surface sits on it
        assert np.allclose(ball.dot.get_center(), ball.coords[-1] + lift)
        assert np.array_equal(ball.coords, scene.scene_points(traj))
    shown = [b["caption"] for b in scene.recorder.beats]
    assert shown == [typeset(c) for c in scene.narration.captions] and len(shown) == len(record.beats)
    steps = record.steps_of(scene.trajectories)
    for spec, beat, step, caption in zip(record.beats, scene.narration.beats, steps, shown, strict=True):
        assert all(c.holds for c in beat.claims), f"a shipped story says only what holds: {caption}"
        assert caption == typeset(printed(spec.caption["en"], record, scene.trajectories, step)), caption


def test_a_story_file_speaks_its_own_chinese(tiny):
    """--lang zh: the file's zh captions, labels and ball names are what the screen shows."""
    path = ROOT / "examples" / "stories" / "ill-three-starts.toml"
    record, scene = scene_of(path, lang="zh")
    try:
        scene.render()
    finally:
        from scenes.words.i18n import use_language

        use_language("en")
    steps = record.steps_of(scene.trajectories)
    shown = [b["caption"] for b in scene.recorder.beats]
    assert shown == [
        typeset(printed(b.caption["zh"], record, scene.trajectories, k))
        for b, k in zip(record.beats, steps, strict=True)
    ]
    assert [b.name for b in scene.balls] == [b.label["zh"] for b in record.balls]
    words = [a["words"] for b in scene.recorder.beats for a in b["annotations"]]
    assert words == ["最小值", "到达"]


def printed(template: str, record, trajectories, step: int) -> str:
    """The caption with each placeholder formatted here, from the arrays themselves."""
    out = ""
    for literal, field, spec, _conv in string.Formatter().parse(template):
        out += literal
        if field is None:
            continue
        if field == "step":
            out += format(step, spec)
            continue
        ball, attr = field.split(".")
        t = trajectories[[b.key for b in record.balls].index(ball)]
        value = field_value(t, min(step, len(t.points) - 1), attr)
        printed_value = format(value, spec)
        # the house's rule for every caption: a zero is never printed with a minus sign
        out += printed_value[1:] if re.fullmatch(r"-0(\.0+)?", printed_value) else printed_value
    return out


def field_value(t, i: int, attr: str):
    """One field of a ball at step i, read from its trajectory's arrays and settings."""
    if attr in ("x", "x1", "y", "x2"):
        return t.points[i, 0 if attr in ("x", "x1") else 1]
    if attr == "f":
        return t.values[i]
    if attr == "step":
        return i
    if attr == "steps":
        return len(t.points) - 1
    if attr == "beta":
        return t.settings.momentum
    if attr[-1] in "12" and attr[:-1] in t.state:  # the optimizer's state, one coordinate
        return t.state[attr[:-1]][i, int(attr[-1]) - 1]
    return getattr(t, attr) if attr == "status" else getattr(t.settings, attr)


@pytest.mark.parametrize("name", BUILT_IN)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_built_in_scenes_as_files_tell_the_same_story(name, lang):
    """The file's narration is the Python scene's: names, captions (in both languages: the
    file's zh is the catalogue's), steps, holds, rolls; and the same trajectories."""
    from scenes.catalog import get_story
    from scenes.narration.filed import narrate_file
    from scenes.narration.registry import narrate_settings
    from scenes.words.i18n import use_language

    record = load(ROOT / "scenes" / "stories" / f"{name}.toml")
    trajectories = record.trajectories()
    python = get_story(name).trajectories()
    assert record.section == next(e.section for n, e in catalog().items() if n == name)
    for a, b in zip(trajectories, python, strict=True):
        assert a.settings == b.settings and np.array_equal(a.points, b.points)
    use_language(lang)
    try:
        ours, theirs = narrate_file(record, trajectories), narrate_settings(name)
    finally:
        use_language("en")
    assert ours.names == theirs.names
    assert ours.captions == theirs.captions
    assert [(b.at, b.hold, b.seconds, b.warn) for b in ours.beats] == [
        (b.at, b.hold, b.seconds, b.warn) for b in theirs.beats
    ]


def catalog():
    from scenes.catalog import CATALOG

    return CATALOG


def test_placeholders_read_the_optimizers_state():
    from scenes.narration.filed import narrate_file

    template = "s = ({adam.s1:.4f}, {adam.s2:.4f}), v = ({adam.v1:.3e}, {adam.v2:.3e}) at {adam.step}"
    record = loads(BASE.replace("adam at ({adam.x:.3f}, {adam.y:.3f})", template))
    trajectories = record.trajectories()
    caption = narrate_file(record, trajectories).captions[0]
    assert caption == printed(template, record, trajectories, 5)
    assert f"{trajectories[0].state['s'][5, 1]:.4f}" in caption


def test_a_claim_that_fails_says_what_did_happen():
    """The caption names a claim; on a run where it does not hold the beat describes the end."""
    text = (ROOT / "examples" / "stories" / "double-well.toml").read_text(encoding="utf-8")
    moved = text.replace("start = [-0.4]", "start = [0.4]").replace(
        'en = "from x = -0.4"', 'en = "from x = 0.4"'
    )
    record = loads(moved)  # now both balls reach the right well
    from scenes.narration.filed import narrate_file

    last = narrate_file(record, record.trajectories()).beats[-1]
    assert "the lowest minimum, x =" not in last.caption
    assert last.caption.startswith("from x = 0.4: stuck in a local minimum, x = 1.131")
    assert [c.name for c in last.claims if not c.holds] == ["lowest_minimum"]


def test_a_beat_brings_its_parts_once(tiny):
    """Parts a beat shows appear as it opens (a step arrow and −η·g for a momentum ball), once."""
    from scenes.story_file import StoryFilePlane

    text = BASE.replace('optimizer = "adam"', 'optimizer = "momentum"\nshow = ["steps"]').replace(
        "at = 5\n", 'at = 5\nshow = ["steps", "gradient"]\n'
    )
    record = loads(text)
    scene = StoryFilePlane(options={"story": record.text, "name": record.name})
    scene.render()
    arrows = [p for p in scene.pointers.drawn if type(p).__name__ == "StepArrow"]
    assert len(arrows) == 2, "the ball's own arrow, and the gradient's, once each"
    gradient = next(p for p in scene.pointers.drawn if hasattr(p, "targets"))
    t = scene.trajectories[0]
    assert np.allclose(scene.plot.axes.p2c(gradient.targets[3])[:2], t.points[3] - t.lrs[3] * t.grads[3])


def test_plain_manim_reads_the_file_from_roll_story(tiny, monkeypatch):
    from scenes.story_file import StoryFilePlane

    path = ROOT / "examples" / "stories" / "lecture.toml"
    monkeypatch.setenv("ROLL_STORY", str(path))
    scene = StoryFilePlane()
    scene.render()
    assert scene.story_name == "lecture" and len(scene.recorder.beats) == 2
    monkeypatch.delenv("ROLL_STORY")
    with pytest.raises(ValueError, match="ROLL_STORY"):
        StoryFilePlane()


def test_a_story_file_writes_its_beats_beside_the_movie(tiny_movie):
    from scenes.narration.beatsfile import SUFFIX as BEATS_SUFFIX
    from scenes.narration.beatsfile import read as read_beats

    _record, scene = scene_of(ROOT / "examples" / "stories" / "ill-three-starts.toml")
    scene.render()
    movie = Path(scene.renderer.file_writer.movie_file_path)
    narration = read_beats(movie.with_suffix(BEATS_SUFFIX))
    assert narration.scene == "ill-three-starts"
    assert [b.caption for b in narration.beats] == [typeset(c) for c in scene.narration.captions]


# ---- the command line --------------------------------------------------------------------
@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_every_shipped_file_speaks_both_languages(path):
    assert load(path).missing_words("zh") == []


def test_a_notebook_animates_a_story_file(tmp_path):
    """`animate("lecture.toml")`'s renderer, tiny: the file's story, its own settings only."""
    from landscapes.errors import SettingsError
    from scenes.notebook import render_video

    path = ROOT / "examples" / "stories" / "lecture.toml"
    movie = render_video(str(path), quality="tiny", media=tmp_path)
    beats = json.loads(movie.with_suffix(".beats.json").read_text(encoding="utf-8"))
    assert beats["scene"] == "lecture" and len(beats["beats"]) == 2
    with pytest.raises(SettingsError, match="a story file's balls have their own settings"):
        render_video(str(path), quality="tiny", media=tmp_path, lr=0.1)


def test_check_passes_every_shipped_file(capsys):
    assert main(["check", *map(str, STORY_FILES)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(STORY_FILES) and all(": ok: " in line for line in out)


def test_render_plans_a_story_file_keyed_on_its_content(tmp_path, monkeypatch):
    """`roll render FILE.toml`: one job under the file's name, its text in the options, so the
    cache key changes with the file's content and with nothing else about it."""
    from scenes.cli import runner
    from scenes.cli.cache_key import job_key
    from scenes.cli.sources import Sources

    planned = []
    monkeypatch.setattr(runner, "run_jobs", lambda jobs, *a, **k: (planned.extend(jobs), (0, []))[1])
    src = ROOT / "examples" / "stories" / "lecture.toml"
    a, b = tmp_path / "a" / "lecture.toml", tmp_path / "b" / "lecture.toml"
    for p, text in ((a, src.read_text()), (b, src.read_text().replace("lr = 0.4", "lr = 0.3", 1))):
        p.parent.mkdir()
        p.write_text(text)
    copy = tmp_path / "c" / "lecture.toml"
    copy.parent.mkdir()
    copy.write_text(src.read_text())
    for p in (a, b, copy):
        assert main(["render", str(p), "--out", str(tmp_path / "out")]) == 0
    ja, jb, jc = planned
    assert ja.name == "lecture" and ja.options["story"] == a.read_text()
    keys = [job_key(j, Sources(), env={}) for j in (ja, jb, jc)]
    assert keys[0] != keys[1] and keys[0] == keys[2]
    assert ja.theme == "dark" and ja.lang == "en"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_gallery_of_story_files_shows_their_own_titles(tmp_path, monkeypatch, lang):

    from scenes.cli import runner

    planned = []

    def plan_only(jobs, workers, verbose=False, deliver=None):
        planned.extend(jobs)
        return 0, [j.name for j in jobs]

    monkeypatch.setattr(runner, "run_jobs", plan_only)
    files = [ROOT / "examples" / "stories" / "lecture.toml", ROOT / "scenes" / "stories" / "gd-2d.toml"]
    assert main(["gallery", *map(str, files), "--out", str(tmp_path), "--lang", lang]) == 0
    assert [j.name for j in planned] == ["lecture", "gd-2d"]
    assert planned[0].options["story"] == files[0].read_text(encoding="utf-8")
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    titles = [load(f).title[lang] for f in files]
    assert all(t.replace("'", "&#x27;") in page for t in titles), titles
    assert f"roll render {files[0]} -q h" in page  # how to render it again: its file


def test_a_plugged_in_optimizer_of_any_ball_keys_the_cache_by_its_code(tmp_path, monkeypatch):
    """A second ball's module:Class optimizer is code outside the project: editing it renders again."""
    from scenes.cli import runner
    from scenes.cli.cache_key import job_key
    from scenes.cli.sources import Sources

    module = tmp_path / "mine.py"
    module.write_text("from torch.optim import SGD\n\n\nclass Mine(SGD):\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    text = (ROOT / "examples" / "stories" / "lecture.toml").read_text(encoding="utf-8")
    text = text.replace(
        "[[beats]]", '[[balls]]\nname = "mine"\noptimizer = "mine:Mine"\nstart = [-5, -2]\n\n[[beats]]', 1
    )
    path = tmp_path / "two.toml"
    path.write_text(text, encoding="utf-8")
    planned = []
    monkeypatch.setattr(runner, "run_jobs", lambda jobs, *a, **k: (planned.extend(jobs), (0, []))[1])
    assert main(["render", str(path), "--out", str(tmp_path / "out")]) == 2  # code: only when trusted
    assert main(["render", str(path), "--out", str(tmp_path / "out"), "--trust-code"]) == 0
    before = job_key(planned[0], Sources(), env={})
    module.write_text(module.read_text() + "\n# edited\n")
    assert job_key(planned[0], Sources(), env={}) != before


def test_trajectory_of_a_story_file_is_its_first_ball(capsys):
    path = ROOT / "scenes" / "stories" / "gd-2d.toml"
    assert main(["trajectory", str(path)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["points"][-1] == pytest.approx([-0.057646, -0.000073], abs=1e-6)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["trajectory", "scenes/stories/gd-2d.toml", "--lr", "0.3"], "--lr: a story file's balls"),
        (["render", "examples/stories/double-well.toml", "--steps", "5"], "--steps: a story file's balls"),
        (["render", "examples/stories/lecture.toml", "--out", "x", "--theme", "blue"], "--theme 'blue'"),
    ],
)
def test_flags_a_story_file_does_not_take_are_refused(argv, says, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1


def test_a_language_the_file_does_not_cover_is_refused(tmp_path, capsys):
    text = (ROOT / "examples" / "stories" / "lecture.toml").read_text(encoding="utf-8")
    path = tmp_path / "nozh.toml"
    path.write_text(re.sub(r"^zh = .*\n", "", text, count=1, flags=re.M), encoding="utf-8")
    assert main(["render", str(path), "--lang", "zh", "--out", str(tmp_path / "out")]) == 2
    assert "has no zh words for beats[0].caption;" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_files_theme_is_the_default(tmp_path, monkeypatch):
    from scenes.cli import runner

    planned = []
    monkeypatch.setattr(runner, "run_jobs", lambda jobs, *a, **k: (planned.extend(jobs), (0, []))[1])
    text = (ROOT / "examples" / "stories" / "lecture.toml").read_text(encoding="utf-8")
    path = tmp_path / "light.toml"
    path.write_text('theme = "light"\n' + text, encoding="utf-8")
    assert main(["render", str(path), "--out", str(tmp_path / "o")]) == 0
    assert main(["render", str(path), "--out", str(tmp_path / "o"), "--theme", "dark"]) == 0
    assert [j.theme for j in planned] == ["light", "dark"]


def test_render_a_story_file_end_to_end(tmp_path, monkeypatch):
    """Through the command line as a user runs it: the video, its subtitles and its beats."""
    monkeypatch.chdir(tmp_path)
    path = ROOT / "scenes" / "stories" / "gd-2d.toml"
    assert main(["render", str(path), "--format", "mp4", "--out", "out"]) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["gd-2d.beats.json", "gd-2d.mp4", "gd-2d.srt", "gd-2d.vtt"]
    beats = json.loads((tmp_path / "out" / "gd-2d.beats.json").read_text(encoding="utf-8"))
    from scenes.narration.registry import narrate_settings

    assert [b["caption"] for b in beats["beats"]] == [typeset(c) for c in narrate_settings("gd-2d").captions]


# ---- broken files: one fault each ----------------------------------------------------------
BASE = """\
name = "base"
view = "plane"

[landscape]
name = "bowl"
window = [-5.5, 1.5, -3, 3]

[[balls]]
name = "adam"
optimizer = "adam"
lr = 0.4
start = [-5, -2]
steps = 20

[[beats]]
at = 5
caption = "adam at ({adam.x:.3f}, {adam.y:.3f})"

[[beats]]
at = "end"
caption = "after {adam.steps} steps: f = {adam.f:.2e}"
claims = { adam = "still_moving" }
labels = [{ point = "lowest", text = "minimum" }]
"""

# (id, the text replaced, its replacement with the faulty line marked `# <-`, the key path
# named, whether the schema sees the fault)
BROKEN = [
    ("unknown-top-key", 'view = "plane"', 'view = "plane"\ncolour = "red"  # <-', "colour", True),
    ("unknown-ball-key", "lr = 0.4", "learning_rate = 0.4  # <-", "balls[0].learning_rate", True),
    ("wrong-type", "lr = 0.4", 'lr = "fast"  # <-', "balls[0].lr", True),
    ("steps-not-whole", "steps = 20", "steps = 2.5  # <-", "balls[0].steps", True),
    ("opt-on-a-book-rule", "lr = 0.4", "lr = 0.4\nopt = { weight_decay = 0.1 }  # <-", "balls[0].opt", True),
    ("foreign-hyper", "lr = 0.4", "lr = 0.4\ngamma = 0.9  # <-", "balls[0].gamma", True),
    ("beta2-is-one", "lr = 0.4", "lr = 0.4\nbeta2 = 1  # <-", "balls[0].beta2", True),
    ("unsafe-expression", 'name = "bowl"', "expression = \"__import__('os').system('ls')\"  # <-",
     "landscape.expression", True),
    ("unknown-claim", 'claims = { adam = "still_moving" }', 'claims = { adam = "converged_fast" }  # <-',
     "beats[1].claims.adam", True),
    ("two-moments", "at = 5", 'at = 5\nstops = "adam"  # <-', "beats[0].stops", True),
    ("no-caption", '[[beats]]\nat = 5\ncaption = "adam at ({adam.x:.3f}, {adam.y:.3f})"',
     "[[beats]]  # <-\nat = 5", "beats[0].caption", True),
    ("unknown-point", 'point = "lowest"', 'point = "valley"', "beats[1].labels[0].point", True),
    ("unknown-theme", 'view = "plane"', 'view = "plane"\ntheme = "blue"  # <-', "theme", True),
    ("unknown-section", 'view = "plane"', 'view = "plane"\nsection = "chapter-9"  # <-', "section", True),
    ("negative-hold", 'at = "end"', 'at = "end"\nhold = -1  # <-', "beats[1].hold", True),
    ("not-toml", "lr = 0.4", "lr = 0.4.  # <-", "(file)", True),
    ("camera-on-a-plane", 'labels = [{ point = "lowest", text = "minimum" }]\n',
     'labels = [{ point = "lowest", text = "minimum" }]\ncamera = { theta = -90 }  # <-\n',
     "beats[1].camera", True),
    ("camera-out-of-range", 'at = 5\n', 'at = 5\ncamera = { phi = 120 }  # <-\n', "beats[0].camera.phi",
     True),
    ("camera-unknown-key", 'at = 5\n', 'at = 5\ncamera = { elevation = 30 }  # <-\n',
     "beats[0].camera.elevation", True),
    # what a schema cannot see: names across the file, the landscape's variables, the run
    ("caption-names-no-ball", "({adam.x:.3f}, {adam.y:.3f})", "({adma.x:.3f}, {adam.y:.3f})",
     "beats[0].caption", False),
    ("caption-field-unknown", "f = {adam.f:.2e}", "f = {adam.speed:.2e}", "beats[1].caption", False),
    ("beat-past-the-end", "at = 5", "at = 50  # <-", "beats[0].at", False),
    ("beats-out-of-order", '[[beats]]\nat = "end"', "[[beats]]  # <-\nat = 3", "beats[1]", False),
    ("stops-names-no-ball", "at = 5", 'stops = "bob"  # <-', "beats[0].stops", False),
    ("two-balls-one-name", "steps = 20\n", 'steps = 20\n\n[[balls]]\nname = "adam"  # <-\nstart = [1, 1]\n',
     "balls[1].name", False),
    ("unknown-landscape", 'name = "bowl"', 'name = "banana"  # <-', "landscape.name", False),
    ("view-does-not-fit", 'view = "plane"', 'view = "curve"  # <-', "view", False),
    ("start-one-number", "start = [-5, -2]", "start = [-5]  # <-", "balls[0].start", False),
    ("unknown-optimizer", 'optimizer = "adam"', 'optimizer = "adamz"  # <-', "balls[0].optimizer", False),
    ("plugged-in-keyword-unknown", 'optimizer = "adam"', 'optimizer = "adamw"\nopt = { wd = 0.1 }  # <-',
     "balls[0].opt", False),
    ("state-the-optimizer-lacks", "f = {adam.f:.2e}", "f = {adam.delta1:.2e}", "beats[1].caption", False),
    ("no-such-point", 'point = "lowest"', 'point = "saddle"', "beats[1].labels[0].point", False),
    ("words-as-a-number", "f = {adam.f:.2e}", "f = {adam.status:.2e}", "beats[1].caption", False),
    # zoom: "end" or a region; a beat that rolls; a plane's region needs both ranges, in order
    ("zoom-a-word", 'at = "end"\n', 'at = "end"\nzoom = "close"  # <-\n', "beats[1].zoom", True),
    ("zoom-key-unknown", 'at = "end"\n', 'at = "end"\nzoom = { x = [0, 1], y = [0, 1], z = [0, 1] }  # <-\n',
     "beats[1].zoom.z", True),
    ("zoom-no-roll", "at = 5", 'at = "start"\nzoom = "end"  # <-', "beats[0].zoom", False),
    ("zoom-backwards", 'at = "end"\n', 'at = "end"\nzoom = { x = [1, -1], y = [0, 1] }  # <-\n',
     "beats[1].zoom.x", False),
    ("zoom-plane-needs-y", 'at = "end"\n', 'at = "end"\nzoom = { x = [-1, 1] }  # <-\n', "beats[1].zoom.y",
     False),
]  # fmt: skip


# a fault that needs a second change elsewhere in the file, by its replacement
ALSO = {
    "at = 5\ncamera = { phi = 120 }  # <-\n": [('view = "plane"', 'view = "surface"')],
    "at = 5\ncamera = { elevation = 30 }  # <-\n": [('view = "plane"', 'view = "surface"')],
}


def broken(old: str, new: str) -> tuple[str, int]:
    """The base file with one fault put in, and the line (from 1) where it sits: the marked
    line, or the first line of the replacement."""
    assert BASE.count(old) >= 1, old
    text = BASE.replace(old, new, 1)
    for a, b in ALSO.get(new, ()):
        text = text.replace(a, b, 1)
    lines = text.splitlines()
    marked = [k for k, line in enumerate(lines, start=1) if line.endswith("# <-")]
    return text, marked[0] if marked else BASE[: BASE.index(old)].count("\n") + 1


def test_the_base_file_is_sound():
    import jsonschema

    jsonschema.validate(tomllib.loads(BASE), SCHEMA)
    record = loads(BASE)
    assert record.name == "base" and len(record.beats) == 2


@pytest.mark.parametrize(("fault", "old", "new", "key", "schema_sees"), BROKEN, ids=[b[0] for b in BROKEN])
def test_check_names_the_line_the_key_and_the_fix(fault, old, new, key, schema_sees, tmp_path, capsys):
    import jsonschema

    text, line = broken(old, new)
    path = tmp_path / f"{fault}.toml"
    path.write_text(text, encoding="utf-8")
    before = sorted(tmp_path.rglob("*"))
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err  # one fault, one line
    assert err[0].startswith(f"roll: error: {path}:{line}: {key}: "), (err[0], line)
    assert len(err[0]) > len(f"roll: error: {path}:{line}: {key}: ") + 15, "a message and its fix"
    assert sorted(tmp_path.rglob("*")) == before, "nothing written"
    # the schema refuses what it can see, and what it cannot see is listed here as such
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert schema_sees
        return
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(doc))
    assert bool(errors) == schema_sees, [e.message for e in errors]


@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_the_schema_accepts_every_shipped_file(path):
    import jsonschema

    jsonschema.validate(tomllib.loads(path.read_text(encoding="utf-8")), SCHEMA)


def test_the_committed_schema_is_the_generated_one():
    """story.schema.json is the generator's output: a key or limit changed in the vocabulary
    and not regenerated fails here (the fix: python -m landscapes.storyfile.schema > ...)."""
    from landscapes.storyfile.schema import schema

    assert SCHEMA == schema()
    assert (ROOT / "landscapes" / "story.schema.json").read_text(encoding="utf-8") == json.dumps(
        schema(), indent=2, ensure_ascii=False
    ) + "\n"


def test_the_schema_and_the_loader_share_their_names():
    from landscapes.expression import FUNCTIONS
    from landscapes.names import OPTIMIZERS, SCHEDULES
    from scenes.catalog import SECTIONS as BOOK_SECTIONS  # one table, imported

    props = SCHEMA["properties"]
    ball = SCHEMA["$defs"]["ball"]["properties"]
    assert props["view"]["enum"] == list(VIEWS)
    assert props["section"]["enum"] == list(SECTIONS) == list(BOOK_SECTIONS)
    assert ball["optimizer"]["anyOf"][0]["enum"] == list(OPTIMIZERS)
    assert ball["schedule"]["enum"] == list(SCHEDULES)
    assert SCHEMA["$defs"]["label"]["properties"]["point"]["enum"] == list(POINTS)
    pattern = SCHEMA["$defs"]["claim"]["pattern"]
    assert all(re.search(pattern, name) for name in CLAIMS)
    assert all(f in SCHEMA["$defs"]["landscape"]["properties"]["expression"]["pattern"] for f in FUNCTIONS)


def test_every_fault_in_a_file_is_named_at_once():
    text = BASE.replace("lr = 0.4", 'lr = "fast"').replace("{adam.x:.3f}", "{bob.x:.3f}")
    with pytest.raises(StoryFileError) as info:
        loads(text, "two.toml")
    assert len(info.value.lines) == 2
    assert "(and 1 more: roll check two.toml)" in str(info.value)


# ---- the README -------------------------------------------------------------------------
def test_the_readme_story_is_the_shipped_lecture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Write your own story", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```toml\n(.*?)```", section, re.S)
    assert block, "the README shows a complete story file"
    assert block.group(1) == (ROOT / "examples" / "stories" / "lecture.toml").read_text(encoding="utf-8")
    from landscapes.storyfile import BALL_FIELDS, HYPER_FIELDS, TOP_KEYS

    for name in (*BALL_FIELDS, *HYPER_FIELDS, *TOP_KEYS, *CLAIMS, *POINTS, *VIEWS):
        assert f"`{name}" in section or f"[{name}]" in section, f"the README says what {name} is"


# ---- no file crashes the loader ------------------------------------------------------------
VALUES = ["5", "-1", "0", "2.5", "1e400", "nan", '"x"', '""', "true", "[]", "[1]", "[1, 2, 3]", '["a"]',
          "{}", "{ a = 1 }", '"end"', '"adam"', '"{adam.x:.3f}"', '"{adam.q}"', '"{"']  # fmt: skip
KEYED = [k for k, line in enumerate(BASE.splitlines()) if " = " in line]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(KEYED), st.sampled_from(VALUES))
def test_any_value_anywhere_is_loaded_or_named(line, value):
    """A key set to any value of any type either loads (and narrates) or is refused with faults
    that each name a line and a key: never an internal error."""
    from scenes.narration.filed import narrate_file

    lines = BASE.splitlines()
    key = lines[line].split(" = ", 1)[0]
    lines[line] = f"{key} = {value}"
    try:
        record = loads("\n".join(lines) + "\n", "f.toml")
    except StoryFileError as exc:
        assert exc.lines and all(re.match(r"f\.toml:\d+: \S+: .{10,}", x) for x in exc.lines), exc.lines
        return
    narration = narrate_file(record, record.trajectories())
    assert len(narration.beats) == len(record.beats)
