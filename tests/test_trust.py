"""A story file from a stranger runs no code (issue 32): every breach the issue lists, as a test.

Story files are data, names are names, captions are text, a result is a set, built-in names are
reserved, work is bounded before it starts, bad input is exit 2 in one line, signals end every
phase cleanly. Each test drives the same entry points users do (`roll` in-process or as a real
process, the notebook's functions), and most have a positive control beside the refusal, so a
check that refused everything would fail too.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from support import ROOT, roll

from scenes.cli.main import main

BASE = """\
[landscape]
name = "square"

[[balls]]
name = "a"
optimizer = "gd"
lr = 0.2
start = [3.0]
steps = 10

[[beats]]
caption = "at {a.x:.2f}"
at = "end"
"""


def story(tmp_path: Path, text: str = BASE, name: str = "lecture.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def check(capsys, *argv: str) -> tuple[int, str]:
    code = main(["check", *argv])
    return code, capsys.readouterr().err


# ---- 1. story files are data --------------------------------------------------------------
EVIL = """\
import pathlib, subprocess
pathlib.Path({marker!r}).write_text("ran")
subprocess.Popen(["touch", {spawned!r}])
from torch.optim import SGD
class X(SGD):
    pass
"""


@pytest.fixture
def evil(tmp_path):
    """A module beside the file whose import leaves traces: a marker file, and a process that
    writes another. Returns the folder and the two traces' paths."""
    marker, spawned = tmp_path / "marker", tmp_path / "spawned"
    (tmp_path / "evilmod.py").write_text(EVIL.format(marker=str(marker), spawned=str(spawned)))
    story(tmp_path, BASE.replace('optimizer = "gd"', 'optimizer = "evilmod:X"'))
    return tmp_path, marker, spawned


def no_trace(marker: Path, spawned: Path) -> bool:
    time.sleep(0.3)  # a started process would have touched its file by now
    return not marker.exists() and not spawned.exists()


@pytest.mark.parametrize("command", [["check"], ["trajectory"], ["render", "--out", "out"]])
def test_a_module_class_in_a_file_is_refused_without_importing_it(evil, command):
    """`python -m scenes` puts the working folder on the path, where the module lies: refused
    from the name alone (exit 2, one line naming the key and --trust-code), nothing imported."""
    folder, marker, spawned = evil
    done = roll(*command[:1], "lecture.toml", *command[1:], cwd=folder, timeout=120)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "balls[0].optimizer" in lines[0] and "--trust-code" in lines[0]
    assert no_trace(marker, spawned)


def test_trust_code_is_what_lets_it_run(evil):
    """The positive control: with --trust-code the same file imports the module (so the test
    above sees a real refusal, not a module that could never run)."""
    folder, marker, _ = evil
    done = roll("check", "--trust-code", "lecture.toml", cwd=folder, timeout=120)
    assert done.returncode == 0, done.stderr
    assert marker.read_text() == "ran"


def test_the_notebook_runs_only_modules_the_kernel_imported(evil, monkeypatch):
    """A kernel has its working folder on the path: a file's module:Class is refused unless the
    user's own Python imported that module first."""
    from landscapes.errors import SettingsError
    from scenes.notebook import story_file

    folder, marker, spawned = evil
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "evilmod", raising=False)
    with pytest.raises(SettingsError, match="--trust-code|would import"):
        story_file(str(folder / "lecture.toml"), None, {})
    assert no_trace(marker, spawned)
    __import__("evilmod")  # the user's own import: now it is theirs
    name, options = story_file(str(folder / "lecture.toml"), None, {})
    assert name == "lecture" and options.get("trust_code") is True


@pytest.mark.parametrize(
    "optimizer",
    ["antigravity:x", "this:s", "venv.__main__:X", "tkinter.__main__:X", ".x:Y", "a..b:C", "x:", "os.path"],
)
def test_every_foreign_name_is_refused_in_a_file_before_any_import(tmp_path, capsys, optimizer):
    before = set(sys.modules)
    path = story(tmp_path, BASE.replace('optimizer = "gd"', f'optimizer = "{optimizer}"'))
    code, err = check(capsys, str(path))
    assert code == 2 and "balls[0].optimizer" in err and len(err.strip().splitlines()) == 1
    foreign = ("antigravity", "this", "venv", "tkinter")
    assert not {m for m in set(sys.modules) - before if m.split(".")[0] in foreign}


@pytest.mark.parametrize("optimizer", ["adamw", "torch.optim:Adam", "lion"])
def test_registry_names_still_roll_from_a_file(tmp_path, capsys, optimizer):
    pytest.importorskip("pytorch_optimizer") if optimizer == "lion" else None
    path = story(tmp_path, BASE.replace('optimizer = "gd"', f'optimizer = "{optimizer}"'))
    code, err = check(capsys, str(path))
    assert code == 0, err


def test_a_bad_module_name_on_the_command_line_is_exit_2(tmp_path, capsys, monkeypatch):
    """The command line is the user's own: module:Class runs, but a malformed name or a module
    whose import fails (here: SystemExit at import) is one line and exit 2, not a traceback."""
    (tmp_path / "exits.py").write_text("raise SystemExit(3)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in (".x:Y", "exits:Opt", "no_such_module_here:Opt"):
        assert main(["trajectory", "cubic-saddle", "--optimizer", name]) == 2
        err = capsys.readouterr().err
        assert err.startswith("roll: error: --optimizer") and len(err.strip().splitlines()) == 1, err


# ---- 2. names are names ---------------------------------------------------------------------
HOSTILE_STEMS = [
    "javascript:alert(8)",
    "<img src=x onerror=alert(1)>",
    'quo"te',
    "it's",
    "-rf",
    ".hidden",
    "esc\x1b[2Jape",
    "bell\x07",
    "x" * 65,
    "sp ace",
]


@pytest.mark.parametrize("stem", HOSTILE_STEMS, ids=range(len(HOSTILE_STEMS)))
def test_a_stem_passes_the_name_check(tmp_path, capsys, stem):
    path = story(tmp_path, name=f"{stem}.toml")
    code, err = check(capsys, str(path))
    assert code == 2 and "name" in err and "rename the file" in err
    assert "\x1b" not in err and "\x07" not in err  # control characters reach the terminal escaped
    assert main(["gallery", str(path), "--out", str(tmp_path / "g")]) == 2  # refused before any work
    assert not (tmp_path / "g").exists()


def test_a_name_key_rescues_a_hostile_stem(tmp_path, capsys):
    path = story(tmp_path, 'name = "fine"\n' + BASE, name="javascript:alert(8).toml")
    assert check(capsys, str(path))[0] == 0


@pytest.mark.parametrize("name", ["x" * 65, "a/b", "..", "-x", "a\x1bb"])
def test_the_name_key_has_the_same_check(tmp_path, capsys, name):
    escaped = name.replace("\\", "\\\\").replace("\x1b", "\\u001b")
    path = story(tmp_path, f'name = "{escaped}"\n' + BASE)
    code, err = check(capsys, str(path))
    assert code == 2 and "name" in err and "\x1b" not in err


def test_pages_escape_every_field_and_link_only_safe_names():
    from scenes.cli.safe import md_cell, page_name, shown

    assert page_name("cubic-saddle") == "cubic-saddle"
    for bad in ("javascript:alert(8)", "<b>", "a b", "-x", ""):
        with pytest.raises(ValueError):
            page_name(bad)
    cell = md_cell("<script>alert(1)</script> | `x`\nnext")
    assert "<" not in cell and "\n" not in cell and "\\|" in cell and "\\`" in cell
    assert shown("a\x1b[2Jb\x00c\u202ed") == "a\\x1b[2Jb\\x00c\\u202ed"


# ---- 3. captions are text -----------------------------------------------------------------
CAPTIONS = {
    "empty": '""',
    "blank": '"   "',
    "nul": '"a\\u0000b"',
    "bel": '"a\\u0007b"',
    "esc": '"a\\u001b[31mb"',
    "bidi": '"a\\u202eb"',
    "blank line": '"a\\n\\n99\\n00:00:00,000 --> 00:00:09,000\\nINJECTED"',
    "leading newline": '"\\na"',
    "too long": '"' + "w" * 301 + '"',
}


@pytest.mark.parametrize("where", ["caption", "title", "label"])
@pytest.mark.parametrize("kind", list(CAPTIONS))
def test_words_with_control_characters_or_blank_lines_are_refused(tmp_path, capsys, kind, where):
    value = CAPTIONS[kind]
    text = BASE
    if where == "caption":
        text = text.replace('caption = "at {a.x:.2f}"', f"caption = {value}")
    elif where == "title":
        text = f"title = {value}\n" + text
    else:
        text = text.replace('optimizer = "gd"', f'optimizer = "gd"\nlabel = {value}')
    code, err = check(capsys, str(story(tmp_path, text)))
    assert code == 2, err
    assert {"caption": "beats[0].caption", "title": "title", "label": "balls[0].label"}[where] in err


def test_one_newline_in_a_caption_is_still_words(tmp_path, capsys):
    text = BASE.replace('caption = "at {a.x:.2f}"', 'caption = "first line\\nsecond line"')
    assert check(capsys, str(story(tmp_path, text)))[0] == 0


def test_srt_and_vtt_hold_the_same_cues_whatever_the_caption():
    """The .vtt is written from the .srt: cue for cue, whatever a caption holds (a blank line,
    a timing line, control characters); a deck's one-beat .vtt holds exactly one cue."""
    import srt

    from scenes.cli.deckfiles import Beat, beat_vtt
    from scenes.cli.subtitles import srt_to_vtt

    captions = [
        "a\n\n99\n00:00:00,000 --> 00:00:09,000\nINJECTED",
        "plain",
        "two\nlines",
        "arrow --> inside",
        "ctrl \x1b[31m red \x07",
        "  \n  ",
    ]
    for k, caption in enumerate(captions):
        cues = [
            srt.Subtitle(1, srt.timedelta(seconds=0), srt.timedelta(seconds=2), "before"),
            srt.Subtitle(2, srt.timedelta(seconds=2), srt.timedelta(seconds=4), caption),
        ]
        text = srt.compose(cues)
        vtt = srt_to_vtt(text)
        assert vtt.count(" --> ") == len(list(srt.parse(text))), (k, vtt)
        assert "\x1b" not in vtt and "\x07" not in vtt
        one = beat_vtt(Beat(caption=caption, clip=Path("clip.mp4"), poster=Path("p.png"), seconds=2.0))
        assert one.count(" --> ") == 1 and "\n\n99" not in one, (k, one)


# ---- 4. a result is a set -------------------------------------------------------------------
def _job(tmp_path: Path):
    from scenes.catalog import get_story
    from scenes.cli.job import Job

    media = tmp_path / "media" / "videos"
    media.mkdir(parents=True)
    movie = media / "cubic-saddle.mp4"
    movie.write_bytes(b"new video")
    movie.with_suffix(".srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nnew words\n", encoding="utf-8")
    movie.with_suffix(".beats.json").write_bytes(b'{"new": true}')
    settings, out, media = get_story("cubic-saddle").settings, str(tmp_path / "out"), str(tmp_path / "media")
    job = Job("cubic-saddle", settings, {}, "l", ("mp4",), out, media, False)
    return job, [str(movie)]


def _old_set(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    old = {
        "cubic-saddle.mp4": b"old video",
        "cubic-saddle.srt": b"old srt",
        "cubic-saddle.vtt": b"old vtt",
        "cubic-saddle.beats.json": b"old beats",
    }
    for name, data in old.items():
        (out / name).write_bytes(data)
    return old


def _contents(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in out.iterdir()}


@pytest.mark.parametrize("fail_at", [1, 2, 3, 4])
def test_disk_full_while_publishing_leaves_every_old_file(tmp_path, monkeypatch, fail_at):
    """ENOSPC at the k-th file written: the video and its subtitles and beats all stay old,
    and no temporary file is left beside them."""
    from scenes.cli import publish, publish_set

    job, produced = _job(tmp_path)
    out = tmp_path / "out"
    old = _old_set(out)
    real, calls = publish_set._write, []

    def full(dest, data):
        calls.append(dest)
        if len(calls) == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(dest, data)

    monkeypatch.setattr(publish_set, "_write", full)
    with pytest.raises(OSError, match="No space"):
        publish.publish(job, produced)
    assert _contents(out) == old


@pytest.mark.parametrize("fail_at", [1, 2, 3, 4])
def test_a_rename_that_fails_midway_puts_the_old_files_back(tmp_path, monkeypatch, fail_at):
    from scenes.cli import publish, publish_set

    job, produced = _job(tmp_path)
    out = tmp_path / "out"
    old = _old_set(out)
    real, calls = os.replace, []

    def flaky(src, dst):
        if str(src).endswith(".part"):
            calls.append(dst)
            if len(calls) == fail_at:
                raise OSError(errno.EIO, "I/O error")
        return real(src, dst)

    monkeypatch.setattr(publish_set.os, "replace", flaky)
    with pytest.raises(OSError):
        publish.publish(job, produced)
    assert _contents(out) == old


def test_a_publish_that_succeeds_replaces_the_whole_set(tmp_path):
    from scenes.cli import publish

    job, produced = _job(tmp_path)
    out = tmp_path / "out"
    _old_set(out)
    publish.publish(job, produced)
    now = _contents(out)
    assert set(now) == {"cubic-saddle.mp4", "cubic-saddle.srt", "cubic-saddle.vtt", "cubic-saddle.beats.json"}
    assert now["cubic-saddle.mp4"] == b"new video" and b"new words" in now["cubic-saddle.vtt"]


def test_a_damaged_text_cache_entry_is_swept_and_the_sound_ones_kept(tmp_path):
    from scenes.cli.textcache import sweep

    good = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>\n'
    (tmp_path / "good.svg").write_text(good)
    (tmp_path / "empty.svg").write_bytes(b"")
    (tmp_path / "cut.svg").write_text(good[:40])
    (tmp_path / "notxml.svg").write_text("<svg><unclosed></svg>")
    gone = sweep(tmp_path)
    assert sorted(p.name for p in gone) == ["cut.svg", "empty.svg", "notxml.svg"]
    assert [p.name for p in tmp_path.iterdir()] == ["good.svg"]


# ---- 5. built-in names are reserved ---------------------------------------------------------
def test_a_file_may_not_take_a_built_in_name(tmp_path, capsys, monkeypatch):
    from scenes.cli import runner

    monkeypatch.setattr(runner, "run_jobs", lambda *a, **k: pytest.fail("nothing may render"))
    path = story(tmp_path, 'name = "risk"\n' + BASE, name="shadow.toml")
    assert main(["render", "risk", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "'risk' is a built-in scene's" in err and "shadow.toml" in err
    assert check(capsys, str(story(tmp_path, BASE, name="risk.toml")))[0] == 2  # by its stem too
    assert check(capsys, str(ROOT / "scenes" / "stories" / "gd-2d.toml"))[0] == 0  # the built-in's own file


def test_two_files_with_one_name_are_refused_both_named(tmp_path, capsys, monkeypatch):
    from scenes.cli import runner

    monkeypatch.setattr(runner, "run_jobs", lambda *a, **k: pytest.fail("nothing may render"))
    (tmp_path / "b").mkdir()
    one, two = story(tmp_path, name="same.toml"), story(tmp_path / "b", name="same.toml")
    assert main(["render", str(one), str(two), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert str(one) in err and str(two) in err and len(err.strip().splitlines()) == 1
    code, err = check(capsys, str(one), str(two))
    assert code == 2 and str(two) in err
    assert main(["check", str(one), str(one)]) == 0  # the same file twice is one scene


# ---- 6. bounded work, checked up front ------------------------------------------------------
def test_a_fifo_and_dev_zero_are_refused_without_reading(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    (tmp_path / "zero.toml").symlink_to("/dev/zero")
    t = time.monotonic()
    done = roll("check", "fifo.toml", "zero.toml", cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and done.stderr.count("not a regular file") == 2, done.stderr
    assert time.monotonic() - t < 30


def test_a_file_over_the_size_limit_is_refused(tmp_path, capsys):
    from landscapes.limits import FILE_BYTES

    path = story(tmp_path, BASE + "#" * FILE_BYTES)
    code, err = check(capsys, str(path))
    assert code == 2 and f"{FILE_BYTES:,}" in err


def _balls(n: int, steps: int = 10) -> str:
    return "".join(f'[[balls]]\nname = "b{k}"\nstart = [{k}.0]\nsteps = {steps}\n\n' for k in range(n))


def _beats(n: int, hold: float = 1.2) -> str:
    return "".join(f'[[beats]]\ncaption = "beat {k}"\nhold = {hold}\n\n' for k in range(n))


LANDSCAPE = '[landscape]\nname = "square"\n\n'
ONE = _balls(1) + _beats(1)
BOUNDS = {
    # name: (file, the key the fault names)
    "nine balls": (LANDSCAPE + _balls(9) + _beats(1), "balls"),
    "61 beats": (LANDSCAPE + _balls(1) + _beats(61), "beats"),
    "1000 beats held 60 s": (LANDSCAPE + _balls(1) + _beats(1000, 60), "beats"),
    "15 beats held 60 s": (LANDSCAPE + _balls(1) + _beats(15, 60), "beats"),
    "2 balls x 600,000 steps": (LANDSCAPE + _balls(2, 600_000) + _beats(1), "balls"),
    "window 1e300": (LANDSCAPE.replace("\n\n", "\nwindow = [-1e300, 1e300]\n\n") + ONE, "window"),
    "window 1e-9 wide": (LANDSCAPE.replace("\n\n", "\nwindow = [0, 1e-9]\n\n") + ONE, "window"),
    "domain 1e300": ('[landscape]\nexpression = "x**2"\ndomain = [-1e300, 1e300]\n\n' + ONE, "domain"),
    "nested 30,000 deep": ("x = " + "[" * 30000 + "]" * 30000 + "\n", "(file)"),
    "nested 20 deep": ("x = " + "[" * 20 + "]" * 20 + "\n" + LANDSCAPE + _balls(1) + _beats(1), "(file)"),
}


@pytest.mark.parametrize("case", list(BOUNDS))
def test_work_is_bounded_before_it_starts(tmp_path, capsys, case):
    text, key = BOUNDS[case]
    t = time.monotonic()
    code, err = check(capsys, str(story(tmp_path, text)))
    assert code == 2 and key in err, err
    assert time.monotonic() - t < 10  # refused, not run


def test_the_limits_leave_the_largest_sensible_file(tmp_path, capsys):
    """Eight balls, 60 beats, 1,000,000 steps in all would pass: the limits are limits, not a
    refusal of every big file (here 8 balls of 100 steps and 60 one-second beats)."""
    text = LANDSCAPE + _balls(8, 100) + _beats(60, 1.0)
    assert check(capsys, str(story(tmp_path, text)))[0] == 0


def test_the_command_line_and_the_notebook_share_the_balls_and_steps_limits(capsys):
    from landscapes.errors import SettingsError
    from scenes.notebook import check_options, story_settings

    assert main(["trajectory", "basins", "--balls", "200", "--steps", "1000000"]) == 2
    assert "--steps 1000000" in capsys.readouterr().err
    assert main(["trajectory", "basins", "--balls", "201"]) == 2
    s = story_settings("basins")
    for bad in ({"balls": 100000}, {"balls": 0}, {"balls": "3"}, {"optimizers": "gd"}):
        with pytest.raises(SettingsError):
            check_options("basins" if "balls" in bad else "compare", bad, s)
    with pytest.raises(SettingsError, match="balls"):
        check_options("cubic-saddle", {"balls": 3}, story_settings("cubic-saddle"))
    check_options("basins", {"balls": 20}, s)  # the default is fine


# ---- 7. every bad input is exit 2 -----------------------------------------------------------
@pytest.mark.parametrize(
    "opt",
    ["weight_decay=1e400", "betas=()", "capturable=True", "x=" + "-" * 5000 + "1", "lr=0.1", "nope=1"],
)
def test_bad_opt_values_are_tried_before_anything_runs(capsys, opt):
    argv = ["trajectory", "vanishing-gradient", "--optimizer", "adamw", "--steps", "3"]
    assert main([*argv, "--opt", opt]) == 2
    err = capsys.readouterr().err
    assert err.startswith("roll: error: --opt") or err.startswith("roll: error: --optimizer adamw"), err
    assert len(err.strip().splitlines()) == 1


def test_good_opt_values_still_roll(capsys):
    argv = ["trajectory", "vanishing-gradient", "--optimizer", "adamw", "--steps", "3"]
    assert main([*argv, "--opt", "weight_decay=0.01"]) == 0


# ---- 8. signals in every phase ----------------------------------------------------------------
PRINTING = """
import sys
from pathlib import Path
from scenes.cli import main as m
from scenes.cli.reveal_deck import print_pdf

def slides(args):
    page = Path(sys.argv[1])
    print("printing", flush=True)
    print_pdf(page, page.with_suffix(".pdf"), pages=5, timeout=60)  # never laid out: it waits
    return 0

m.COMMANDS["slides"] = slides
sys.exit(m.main(["slides", "--to", "pdf", "x"]))
"""


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_while_chromium_prints_the_pdf_ends_in_one_line(tmp_path, sig, code):
    """The PDF step (Chromium printing) after the render loop: one line, 143/130, its
    temporary folder removed, Chromium gone, no traceback."""
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no chromium")
    page = tmp_path / "deck.html"
    page.write_text("<!doctype html><title>x</title><p>never laid out</p>")
    # a short TMPDIR: Chromium's profile holds a UNIX socket, whose path has 107 bytes at most
    tmp = Path(tempfile.mkdtemp(prefix="roll-t-", dir="/tmp"))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-c", PRINTING, str(page)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not list(tmp.glob("roll-print-*/profile")) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # Chromium is up and waiting for the page
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    leftovers = [p.name for p in tmp.iterdir() if p.name.startswith("roll-")]
    shutil.rmtree(tmp, ignore_errors=True)
    assert proc.returncode == code, err
    assert err.strip().splitlines() == [f"roll: interrupted{' by SIGTERM' if code == 143 else ''}"], err
    assert "Traceback" not in err
    assert leftovers == []  # roll-print-* removed
    ps = subprocess.run(["pgrep", "-f", f"user-data-dir={tmp}"], capture_output=True, text=True)
    assert ps.stdout == "", "Chromium outlived roll"


def test_a_finalizers_swallowed_exit_is_delivered_again():
    """A worker's SIGTERM that lands while tqdm's __del__ runs: no 'Exception ignored' traceback,
    and the worker still exits 143."""
    code = textwrap.dedent(
        """
        import os, signal, sys, time
        from scenes.cli.stops import rearm_in_finalizers

        def stop(signum, frame):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            sys.exit(128 + signum)

        signal.signal(signal.SIGTERM, stop)
        rearm_in_finalizers(signal.SIGTERM, stop)

        class Bar:
            def __del__(self):
                os.kill(os.getpid(), signal.SIGTERM)
                sum(range(10000))  # the handler runs in here

        Bar()
        time.sleep(5)
        sys.exit(0)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 143 and "Exception ignored" not in done.stderr, done.stderr


def test_the_schema_carries_the_same_limits():
    """An editor refuses, as roll check does, words with control characters, too many balls or
    beats and an over-long name (the schema is generated from the same limits)."""
    import json
    import tomllib

    import jsonschema

    schema = json.loads((ROOT / "landscapes" / "story.schema.json").read_text(encoding="utf-8"))
    ok = tomllib.loads(BASE)
    jsonschema.validate(ok, schema)
    bad = [
        {**ok, "beats": [{"caption": "a\x07b"}]},
        {**ok, "beats": [{"caption": ""}]},
        {**ok, "title": "x" * 301},
        {**ok, "name": "n" * 65},
        {**ok, "balls": ok["balls"] * 9},
        {**ok, "beats": ok["beats"] * 61},
    ]
    for doc in bad:
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(doc)), doc


# ---- names and words in pages, opened in a real browser --------------------------------------
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "'><iframe src=javascript:alert(4)>",
    "{assets}<b onmouseover=alert(5)>x</b>",
    "javascript:alert(6)",
    "</textarea></title></style><script>alert(7)</script>",
]
RECORD_DIALOGS = """
window.__dialogs = [];
for (const f of ["alert", "confirm", "prompt", "print"]) {
  window[f] = (...a) => { window.__dialogs.push(f + ":" + a.join(",")); };
}
"""
# every link that is not a file's or a web page's is clicked (javascript: would run on click)
PROBE = """(async () => {
  await new Promise(done => setTimeout(done, 300));
  const odd = [...document.querySelectorAll("a[href], [src]")]
    .map(e => e.href || e.src).filter(u => !/^(file|https?):/.test(u));
  for (const a of document.querySelectorAll("a[href]")) {
    if (!/^(file|https?):/.test(a.href)) a.click();
  }
  await new Promise(done => setTimeout(done, 300));
  return {dialogs: window.__dialogs, odd: odd};
})()"""


def _dialogs(browser, page: Path) -> dict:
    browser.send("Page.enable")
    browser.send("Page.addScriptToEvaluateOnNewDocument", source=RECORD_DIALOGS)
    browser.send("Page.navigate", url=page.as_uri())
    deadline = time.monotonic() + 20
    while browser.js("document.readyState") != "complete" and time.monotonic() < deadline:
        time.sleep(0.1)
    found = browser.js(PROBE)
    found["events"] = [e for e in browser.events if e.get("method") == "Page.javascriptDialogOpening"]
    return found


def _hostile_pages(tmp_path: Path) -> list[Path]:
    """The gallery's index.html and README.md and the HTML deck, every text field a payload: the
    titles, the story lines, the captions, the notes, the re-render command's path."""
    from scenes.catalog import get_story
    from scenes.cli.deckfiles import Beat, DeckScene
    from scenes.cli.gallery import index_html, readme_md
    from scenes.cli.reveal_deck import reveal_deck
    from scenes.cli.storyfiles import open_story

    folder = tmp_path / "<svg onload=alert(9)>"
    folder.mkdir()
    names = []
    for k, payload in enumerate(PAYLOADS):
        quoted = payload.replace("\\", "\\\\").replace('"', '\\"')
        braced = quoted.replace("{", "{{").replace("}", "}}")  # a caption's braces are placeholders'
        text = f'name = "s{k}"\ntitle = "{quoted}"\n' + BASE.replace("at {a.x:.2f}", braced)
        names.append(open_story(str(story(folder, text, name=f"s{k}.toml"))))
    stories = [get_story(n) for n in names]
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text(index_html(stories, "l"), encoding="utf-8")
    (out / "README.md").write_text(readme_md(stories, "l"), encoding="utf-8")
    clip, poster = tmp_path / "clip.mp4", tmp_path / "poster.png"
    clip.write_bytes(b"")
    poster.write_bytes(b"")
    scenes = [
        DeckScene(n, p, p, tuple(Beat(p, clip, poster, notes=p, seconds=1.0) for _ in range(2)), notes=p)
        for n, p in zip(names, PAYLOADS, strict=True)
    ]
    page, _files = reveal_deck(scenes)
    (out / "deck.html").write_bytes(page("assets/x"))
    return [out / "index.html", out / "deck.html"]


def test_gallery_and_deck_pages_run_no_script_from_any_field(tmp_path):
    import shutil as _shutil

    from test_decks import DevTools

    chromium = _shutil.which("chromium")
    if not chromium:
        pytest.skip("no chromium")
    pages = _hostile_pages(tmp_path)
    readme = (tmp_path / "site" / "README.md").read_text(encoding="utf-8")
    assert "<script" not in readme and "<img" not in readme and "<svg" not in readme
    deck = (tmp_path / "site" / "deck.html").read_text(encoding="utf-8")
    assert "{assets}&lt;b onmouseover" in deck  # a caption's own {assets} stays its words
    control = tmp_path / "control.html"  # the harness sees a script that runs, and a javascript: link
    control.write_text(f'<!doctype html><p>{PAYLOADS[1]}</p><a href="javascript:alert(8).gif">x</a>')
    profile = Path(tempfile.mkdtemp(prefix="roll-cdp-", dir="/tmp"))
    browser = DevTools(chromium, profile)
    try:
        seen = _dialogs(browser, control)
        assert len(seen["dialogs"]) == 2 and seen["odd"], seen
        for page in pages:
            browser.events.clear()
            seen = _dialogs(browser, page)
            assert seen == {"dialogs": [], "odd": [], "events": []}, (page.name, seen)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)


# ---- a fuzz of story files: exit 0 or 2, never 1, within a time bound --------------------------
def _toml_key(key: str) -> str:
    import json

    return key if key and all(c.isalnum() and c.isascii() or c in "_-" for c in key) else json.dumps(key)


def _toml_value(v) -> str:
    """A value as inline TOML (tables inline, strings JSON-escaped: TOML's basic strings read
    JSON's escapes)."""
    import json
    import math

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"


def dump_toml(doc: dict) -> str:
    return "".join(f"{_toml_key(k)} = {_toml_value(v)}\n" for k, v in doc.items())


def _fuzz_strategies():
    from hypothesis import strategies as st

    from landscapes.storyfile import vocabulary as voc

    known = sorted(
        {
            *voc.TOP_KEYS,
            *voc.BALL_KEYS,
            *voc.BEAT_KEYS,
            *voc.LABEL_KEYS,
            *voc.LANDSCAPE_KEYS,
            *voc.ENTERS_KEYS,
        }
    )
    words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
    keys = st.one_of(st.sampled_from(known), words)
    scalars = st.one_of(
        st.booleans(),
        st.integers(-5, 300),  # small: a valid file's run stays short
        st.integers(10**6 + 1, 2**63),  # past every limit
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(
            ["gd", "adam", "adamw", "evil:X", "end", "start", "curve", "plane", "surface", "bowl"]
        ),
        words,
        st.text(st.sampled_from("\x00\x07\x1b\n\r\t\u202e\u2028{}.:<>\"'\\ ab"), max_size=12),
    )
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=12,
    )
    op = st.one_of(
        st.tuples(st.just("set"), st.integers(0, 10**6), keys, values),
        st.tuples(st.just("drop"), st.integers(0, 10**6), keys, st.none()),
        st.tuples(st.just("repeat"), st.integers(0, 10**6), st.integers(2, 70), st.none()),
        st.tuples(st.just("nest"), st.integers(0, 10**6), keys, st.integers(1, 60)),
    )
    return st.lists(op, max_size=6)


def _containers(doc) -> list:
    out, todo = [], [doc]
    while todo:
        v = todo.pop()
        if isinstance(v, (dict, list)):
            out.append(v)
            todo.extend(v.values() if isinstance(v, dict) else v)
    return out


def mutate(doc: dict, ops) -> dict:
    for kind, at, a, b in ops:
        places = _containers(doc)
        where = places[at % len(places)]
        if kind == "repeat" and isinstance(where, list) and where:
            where[:] = where * a
        elif isinstance(where, dict):
            if kind == "set":
                where[a] = b
            elif kind == "drop":
                where.pop(a, None)
            elif kind == "nest":
                value = where.get(a, 1)
                for _ in range(b):
                    value = [value]
                where[a] = value
        elif isinstance(where, list) and where and kind == "set":
            where[at % len(where)] = b
    return doc


def test_fuzzed_story_files_end_in_0_or_2_never_1(tmp_path):
    """Random keys, values, nesting, sizes and control characters mutated into a valid file:
    `roll check` (in-process) exits 0 or 2 with no internal error, each within the bound."""
    import contextlib
    import copy
    import io
    import tomllib

    from hypothesis import HealthCheck, given, settings

    base = tomllib.loads(BASE.replace('caption = "at {a.x:.2f}"', 'caption = "at {a.x:.2f}"\nhold = 1.0'))
    path = tmp_path / "fuzz.toml"
    seen: dict[int, int] = {}

    # 400 fixed examples (about 30 s); ROLL_FUZZ_EXAMPLES=5000 explores further, at random
    more = os.environ.get("ROLL_FUZZ_EXAMPLES")

    @settings(
        max_examples=int(more or 400),
        deadline=None,
        derandomize=not more,
        suppress_health_check=list(HealthCheck),
    )
    @given(_fuzz_strategies())
    def run(ops):
        doc = mutate(copy.deepcopy(base), ops)
        try:
            text = dump_toml(doc)
        except RecursionError:
            return
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        err = io.StringIO()
        t = time.monotonic()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(["check", str(path)])
        took = time.monotonic() - t
        seen[code] = seen.get(code, 0) + 1
        assert code in (0, 2), (text[:500], err.getvalue())
        assert "internal error" not in err.getvalue()
        assert took < 20, (took, text[:300])
        if code == 2:
            assert err.getvalue().startswith("roll: error: ")

    try:
        run()
    finally:
        from scenes.catalog import reset

        reset()
    print(f"fuzz: exit codes {seen}")
    assert seen.get(0, 0) >= 5 and seen.get(2, 0) >= 50, seen  # both outcomes were reached


def test_a_story_file_is_parsed_once_per_command(tmp_path, monkeypatch):
    """render FILE.toml: the command line's check, the cache's key (its optimizers), the deck's
    title and an in-process render's scene all read one parsed record."""
    from landscapes.storyfile import loading, parse
    from scenes.cli import runner
    from scenes.cli.storyfiles import file_optimizers, file_title

    monkeypatch.setattr(loading, "_PARSED", {})
    calls = []
    real = loading._parse
    monkeypatch.setattr(loading, "_parse", lambda *a: calls.append(a[1]) or real(*a))

    def run_jobs(jobs, *a, **k):
        job = jobs[0]
        assert file_optimizers(job.options) == ["gd"]
        assert file_title(job.name, "en") == "lecture"
        parse(job.options["story"], "story.toml", job.options["name"])  # as the scene does
        return 0, [job.name]

    monkeypatch.setattr(runner, "run_jobs", run_jobs)
    path = story(tmp_path)
    assert main(["render", str(path), "--out", str(tmp_path / "out")]) == 0
    assert calls == [str(path)]


@pytest.mark.parametrize("given", [{"lr": "0.1"}, {"start": "abc"}, {"start": (1, "x")}])
def test_the_notebooks_settings_of_the_wrong_kind_are_one_line(given):
    from landscapes.errors import SettingsError
    from scenes.notebook import story_settings

    with pytest.raises(SettingsError):
        story_settings("cubic-saddle", **given)
    assert story_settings("cubic-saddle", lr=0.05).lr == 0.05


def test_a_render_sweeps_its_scenes_text_caches_first(tmp_path, monkeypatch):
    """The empty SVG that made every later render fail with ParseError is gone before the
    scene draws (a stand-in scene looks, then stops the render)."""
    from scenes.cli import worker

    job, _ = _job(tmp_path)
    empties = [
        worker.text_cache(job.media_dir, job.name) / "e.svg",
        worker.tex_cache(job.media_dir, job.name) / "t.svg",
    ]
    for svg in empties:
        svg.parent.mkdir(parents=True, exist_ok=True)
        svg.write_bytes(b"")
    seen = []

    class Stop(Exception):
        pass

    class Looks:
        def __init__(self, **kwargs):
            seen.append([p.exists() for p in empties])
            raise Stop

    monkeypatch.setattr(worker, "scene_class", lambda *a: Looks)
    with pytest.raises(Stop):
        worker.render_job(job)
    assert seen == [[False, False]]


def test_the_notebook_reads_files_as_the_command_line_does(tmp_path):
    """A FIFO, a built-in's name and a file over the limits are refused by the notebook too."""
    from landscapes.errors import SettingsError
    from scenes.notebook import story_file

    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    t = time.monotonic()
    with pytest.raises(SettingsError, match="not a regular file"):
        story_file(str(fifo), None, {})
    assert time.monotonic() - t < 10
    with pytest.raises(SettingsError, match="built-in"):
        story_file(str(story(tmp_path, 'name = "risk"\n' + BASE, name="shadow.toml")), None, {})
    with pytest.raises(SettingsError, match="beats"):
        story_file(str(story(tmp_path, LANDSCAPE + _balls(1) + _beats(61), name="long.toml")), None, {})
    assert story_file(str(story(tmp_path)), None, {})[0] == "lecture"


def test_a_byte_order_mark_is_not_a_fault_but_other_bytes_are(tmp_path, capsys):
    (tmp_path / "bom.toml").write_bytes(b"\xef\xbb\xbf" + BASE.encode())
    (tmp_path / "latin.toml").write_bytes(BASE.replace("at {a.x", "\xe0 {a.x").encode("latin-1"))
    assert check(capsys, str(tmp_path / "bom.toml"))[0] == 0
    code, err = check(capsys, str(tmp_path / "latin.toml"))
    assert code == 2 and "UTF-8" in err
