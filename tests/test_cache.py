"""The result cache: an unchanged scene is reused, never guessed; anything that changes its
result renders it again; a damaged entry is noticed; the cache stays within its bound.

Most tests stand a fake renderer in for manim (it writes files the way manim lays them out,
and counts its calls): the cache's decisions do not depend on what the pixels are. Two tests
render for real, once each: a video with its subtitles, and a deck's clips.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest
from support import ROOT, same_picture

from scenes.catalog import get_story
from scenes.cli import cache, fingerprint, runner
from scenes.cli.cache import Cache
from scenes.cli.cache_key import job_key
from scenes.cli.job import Job
from scenes.cli.main import main
from scenes.cli.sources import Sources


def _digest(folder: Path) -> dict[str, str]:
    """Each file under `folder` (by its path there) -> its sha256."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _entries(media: Path) -> list[Path]:
    root = media / "roll-cache"
    return sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []


@pytest.fixture
def calls(monkeypatch):
    """Count the real render_job's runs (in-process: --jobs 1)."""
    made: list[str] = []
    real = runner.render_job

    def counting(job):
        made.append(job.name)
        return real(job)

    monkeypatch.setattr(runner, "render_job", counting)
    return made


def fake_render(job: Job) -> list[str]:
    """Files where manim puts them, whose bytes tell which job made them; a deck gets a
    section index and a clip per beat."""
    what = json.dumps(
        [job.name, job.settings.to_dict(), job.quality, job.theme, job.lang, job.sections], sort_keys=True
    )
    produced = []
    for fmt in job.formats:
        folder = Path(job.media_dir) / ("images" if fmt == "png" else "videos") / job.name / job.quality
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"Scene.{fmt}"
        path.write_bytes(f"{fmt}:{what}".encode() + b"\0" * 10_000)
        if fmt != "png":
            path.with_suffix(".srt").write_text(f"1\n00:00:00,000 --> 00:00:01,000\n{job.name}\n")
            path.with_suffix(".beats.json").write_text(json.dumps({"scene": job.name, "what": what}))
        if job.sections and fmt in ("mp4", "webm"):
            (folder / "sections").mkdir(exist_ok=True)
            index = [{"name": f"beat-{k}", "video": f"Scene_000{k}.{fmt}"} for k in range(2)]
            (folder / "sections" / "Scene.json").write_text(json.dumps(index))
            for s in index:
                (folder / "sections" / s["video"]).write_bytes(f"clip {s['name']} {what}".encode())
        produced.append(str(path))
    return produced


class Renders:
    """The fake renderer's runs, logged to a file: workers are other processes."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def names(self) -> list[str]:
        return self.log.read_text().split() if self.log.exists() else []

    def __len__(self) -> int:
        return len(self.names())


@pytest.fixture
def fake(monkeypatch, tmp_path):
    """A fake renderer, counting its runs, in a fresh folder."""
    monkeypatch.chdir(tmp_path)
    log = tmp_path / "renders.log"

    def counting(job):
        with log.open("a") as f:
            f.write(job.name + "\n")
        return fake_render(job)

    monkeypatch.setattr(runner, "render_job", counting)
    return Renders(log)


# 1. reuse, for real ------------------------------------------------------------------------
def test_second_render_reuses_the_first_and_a_damaged_entry_renders_again(
    tmp_path, monkeypatch, capsys, calls
):
    monkeypatch.chdir(tmp_path)
    argv = ["render", "cubic-saddle", "--out", "o"]
    assert main(argv) == 0
    first_out, _ = capsys.readouterr()
    first = _digest(tmp_path / "o")
    shutil.copy(tmp_path / "o" / "cubic-saddle.mp4", tmp_path / "first.mp4")
    assert calls == ["cubic-saddle"] and set(first) == {
        "cubic-saddle.mp4",
        "cubic-saddle.srt",
        "cubic-saddle.vtt",
        "cubic-saddle.beats.json",
    }
    beats = json.loads((tmp_path / "o" / "cubic-saddle.beats.json").read_text(encoding="utf-8"))
    assert beats["scene"] == "cubic-saddle" and len(beats["beats"]) >= 2

    # nothing changed: no render, the same paths and bytes, even with manim's tree and --out gone
    shutil.rmtree(tmp_path / "o")
    shutil.rmtree(tmp_path / "media" / "videos")
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert calls == ["cubic-saddle"], "no manim render ran"
    assert out == first_out and "roll: cubic-saddle: up to date\n" in err and "rendering" not in err
    assert _digest(tmp_path / "o") == first, "the beats.json too, from the entry"

    # one flipped byte in the stored video: noticed, removed, rendered afresh
    (entry,) = _entries(tmp_path / "media")
    (stored,) = (entry / "files" / "videos" / "480p15").glob("*/CubicSaddle.mp4")  # a folder per variant
    rel = stored.relative_to(entry / "files").as_posix()
    data = bytearray(stored.read_bytes())
    data[len(data) // 2] ^= 0xFF
    stored.write_bytes(bytes(data))
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert calls == ["cubic-saddle"] * 2
    assert f"roll: cubic-saddle: cache entry damaged ({rel} does not match its sha256)" in err
    fresh = tmp_path / "o" / "cubic-saddle.mp4"
    assert fresh.read_bytes() != bytes(data), "never the damaged file"
    assert same_picture(fresh, tmp_path / "first.mp4"), "the scene rendered afresh"
    assert main(argv) == 0 and calls == ["cubic-saddle"] * 2, "the fresh render is a sound entry again"


def test_a_deck_reuses_its_clips(tmp_path, monkeypatch, capsys, calls):
    monkeypatch.chdir(tmp_path)
    argv = ["slides", "vanishing-gradient", "--to", "html", "-q", "l", "--out", "deck"]
    assert main(argv) == 0
    page = (tmp_path / "deck" / "slides.html").read_bytes()
    clips = _digest(tmp_path / "deck" / "slides_files")
    shutil.rmtree(tmp_path / "deck")
    shutil.rmtree(tmp_path / "media" / "videos")  # the section index and clips come from the cache
    assert main(argv) == 0
    assert calls == ["vanishing-gradient"]
    assert "roll: vanishing-gradient: up to date" in capsys.readouterr().err
    assert (tmp_path / "deck" / "slides.html").read_bytes() == page
    assert _digest(tmp_path / "deck" / "slides_files") == clips


# 2. what renders again ---------------------------------------------------------------------
def test_each_input_of_a_result_renders_it_again(fake, capsys):
    base = ["render", "cubic-saddle", "--out", "o"]
    runs = [
        (base, 1),
        (base, 0),
        ([*base, "--lr", "0.05"], 1),
        ([*base, "--lr", "0.05"], 0),
        (base, 0),  # both entries kept
        ([*base, "--theme", "light"], 1),
        ([*base, "-q", "m"], 1),
        ([*base, "--format", "gif"], 1),
        ([*base, "--format", "gif,mp4"], 1),
        ([*base, "--force"], 1),
        ([*base, "--save-trajectory", "--out", "other"], 0),  # only what --out gets differs
    ]
    for argv, renders in runs:
        before = len(fake)
        assert main(argv) == 0, capsys.readouterr().err
        assert len(fake) - before == renders, argv
        assert ("up to date" in capsys.readouterr().err) == (renders == 0), argv
    assert sorted(os.listdir("other")) == [
        f"cubic-saddle.{e}" for e in ("beats.json", "json", "mp4", "srt", "vtt")
    ]


def test_gallery_and_parallel_jobs_reuse_too(fake, capsys):
    argv = ["gallery", "cubic-saddle", "vanishing-gradient", "--out", "g", "--jobs", "2"]
    assert main(argv) == 0 and sorted(fake.names()) == ["cubic-saddle", "vanishing-gradient"]
    first = _digest(Path("g"))
    capsys.readouterr()
    assert main(argv) == 0
    assert len(fake) == 2, "no worker started"
    err = capsys.readouterr().err
    assert err.count(": up to date") == 2 and "processes" not in err
    assert _digest(Path("g")) == first
    # one scene changed (forced): only it renders
    assert main(["render", "cubic-saddle", "vanishing-gradient", "--jobs", "2", "--force", "--out", "o"]) == 0
    assert len(fake) == 4


def test_a_failed_or_interrupted_store_leaves_no_entry(fake, monkeypatch, capsys):
    def broken(job):
        raise OSError("encoder crashed")

    monkeypatch.setattr(runner, "render_job", broken)
    assert main(["render", "cubic-saddle", "--out", "o"]) == 1
    assert _entries(Path("media")) == []

    monkeypatch.setattr(runner, "render_job", fake_render)
    real_copy = cache._copy_hashing
    copied = []

    def copy_then_stop(src, dest):
        if copied:
            raise runner.Interrupted(signal.SIGINT)  # Ctrl-C half way through storing the entry
        copied.append(src)
        return real_copy(src, dest)

    monkeypatch.setattr(cache, "_copy_hashing", copy_then_stop)
    assert main(["render", "cubic-saddle", "--out", "o"]) == 130
    assert len(copied) == 1
    assert sorted(os.listdir("media/roll-cache")) == ["CACHEDIR.TAG"], "no entry, no half-written folder"


def test_the_cache_keeps_within_its_limit_dropping_the_least_recently_used(fake, monkeypatch, capsys):
    monkeypatch.setattr("scenes.cli.cache.FRESH", 0.0)  # entries here are seconds old

    def run(name):
        assert main(["render", name, "--out", "o"]) == 0
        time.sleep(0.02)  # distinct use times

    run("risk")
    (entry,) = _entries(Path("media"))
    size = sum(p.stat().st_size for p in (entry / "files").rglob("*") if p.is_file())
    monkeypatch.setenv("ROLL_CACHE_LIMIT", str(int(2.5 * size)))  # room for two entries
    run("ripples")
    run("risk")  # reused: now the most recently used
    run("newton")  # stored: the least recently used goes, ripples
    assert [p.name.split("-")[0] for p in _entries(Path("media"))] == ["newton", "risk"]
    assert len(fake) == 3
    run("ripples")
    assert len(fake) == 4, "evicted, so rendered again"

    monkeypatch.setenv("ROLL_CACHE_LIMIT", "0")  # off: no look-up, no store
    run("risk")
    assert len(fake) == 5
    monkeypatch.setenv("ROLL_CACHE_LIMIT", "lots")
    assert main(["render", "risk", "--out", "o"]) == 2
    assert capsys.readouterr().err.endswith(
        "ROLL_CACHE_LIMIT='lots': give a size such as 500M or 2G (0 turns the cache off)\n"
    )
    monkeypatch.setenv("ROLL_CACHE_LIMIT", "1G")
    monkeypatch.setenv("ROLL_CACHE_DIR", "elsewhere")
    run("risk")
    assert len(fake) == 6
    assert [p.name.split("-")[0] for p in Path("elsewhere").iterdir() if p.is_dir()] == ["risk"]
    assert [p.name.split("-")[0] for p in _entries(Path("media"))] == ["newton", "ripples"]


# 3. the key --------------------------------------------------------------------------------
def _tree(dest: Path) -> Path:
    for pkg in ("scenes", "landscapes"):
        shutil.copytree(ROOT / pkg, dest / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _job(name: str = "cubic-saddle", **changes) -> Job:
    st = get_story(name)
    return replace(Job(name, st.settings, {}, "l", ("mp4",), "o", "media", False), **changes)


ENV = {"packages": {"manim": "0.19.0"}}


def test_the_key_follows_the_scene_code_it_imports_and_its_words(tmp_path):
    tree = _tree(tmp_path / "a")
    key = lambda job, env=ENV: job_key(job, Sources(tree), env)  # noqa: E731 - fresh sources each time
    cubic, ripples, zh = _job(), _job("ripples"), _job(lang="zh")
    before = {"cubic": key(cubic), "ripples": key(ripples), "zh": key(zh)}
    assert job_key(cubic, Sources(_tree(tmp_path / "b")), ENV) == before["cubic"], (
        "no absolute path in the key"
    )

    reached = Sources(tree).reached(["scenes.cubic_saddle"])
    assert {"scenes.kit.story", "scenes.words.i18n", "landscapes.optimizers"} <= set(reached)
    assert not [m for m in reached if m.startswith("scenes.cli") or m == "scenes.ripples"]

    (tree / "scenes" / "ripples.py").write_text((tree / "scenes" / "ripples.py").read_text() + "\n# edited\n")
    assert key(cubic) == before["cubic"] and key(ripples) != before["ripples"], "another scene's edit"
    for edited in ("scenes/kit/story.py", "landscapes/optimizers.py", "scenes/cubic_saddle.py"):
        path = tree / edited
        text = path.read_text()
        path.write_text(text + "\n# edited\n")
        assert key(cubic) != before["cubic"], edited
        path.write_text(text)
    assert key(cubic) == before["cubic"]

    po = tree / "scenes" / "words" / "locale" / "zh" / "LC_MESSAGES" / "roll.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text((po.read_text() if po.exists() else "") + '\nmsgid "x"\nmsgstr "y"\n')
    assert key(zh) != before["zh"] and key(cubic) == before["cubic"], "a catalogue counts for its language"


def test_the_key_holds_every_setting_and_the_set_up():
    sources = Sources()
    base = _job()
    keys = {
        "base": job_key(base, sources, ENV),
        "lr": job_key(replace(base, settings=base.settings.override(lr=0.05)), sources, ENV),
        "options": job_key(replace(base, options={"balls": 3}), sources, ENV),
        "quality": job_key(replace(base, quality="h"), sources, ENV),
        "formats": job_key(replace(base, formats=("gif",)), sources, ENV),
        "theme": job_key(replace(base, theme="light"), sources, ENV),
        "lang": job_key(replace(base, lang="zh"), sources, ENV),
        "sections": job_key(replace(base, sections=True), sources, ENV),
        "captions": job_key(replace(base, captions=False), sources, ENV),
        "manim": job_key(base, sources, {"packages": {"manim": "0.19.1"}}),
        "tex": job_key(base, sources, {**ENV, "tex": {"latex": None}}),
    }
    assert len(set(keys.values())) == len(keys)
    # what only the publishing step or the terminal sees is not part of it
    same = [
        replace(base, out_dir="x", progress=True, save_trajectory=True, force=True, media_dir="/elsewhere")
    ]
    assert {job_key(j, sources, ENV) for j in same} == {keys["base"]}


def test_the_set_up_in_the_key():
    env = fingerprint.environment()
    assert env["packages"]["manim"] and env["packages"]["torch"] and env["packages"]["numpy"]
    assert env["libraries"]["pango"] and env["libraries"]["cairo"] and env["libraries"]["ffmpeg"]
    assert env["libraries"]["fonts"]["DejaVu Sans"] is True
    assert "Noto Sans CJK SC" in env["libraries"]["fonts"]
    assert env["tex"]["latex"].startswith("pdfTeX") and env["tex"]["dvisvgm"].startswith("dvisvgm")
    assert json.dumps(env)  # plain data


def test_cache_limits_parse():
    assert cache.parse_limit("2G") == 2 * 1024**3 and cache.parse_limit("500M") == 500 * 1024**2
    assert cache.parse_limit("1000") == 1000 and cache.parse_limit("0") == 0
    assert cache.parse_limit("1.5k") == 1536 and cache.parse_limit("64MiB") == 64 * 1024**2
    with pytest.raises(Exception, match="give a size"):
        cache.parse_limit("-1")


def test_an_entry_outside_the_media_tree_is_not_stored(tmp_path):
    outside = tmp_path / "x.gif"
    outside.write_bytes(b"GIF89a")
    job = _job(formats=("gif",), media_dir=str(tmp_path / "media"))
    assert Cache(tmp_path / "c").store(job, "k", [str(outside)]) is None
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("damage", ["missing file", "broken manifest", "another key"])
def test_a_missing_file_or_a_broken_manifest_renders_again(fake, capsys, damage):
    argv = ["render", "cubic-saddle", "--format", "gif,png", "--out", "o"]
    assert main(argv) == 0
    first = _digest(Path("o"))
    (entry,) = _entries(Path("media"))
    manifest = entry / "manifest.json"
    if damage == "missing file":
        next(p for p in (entry / "files").rglob("*.png")).unlink()
    elif damage == "broken manifest":
        manifest.write_text(manifest.read_text()[:-20])
    else:
        manifest.write_text(manifest.read_text().replace('"key": "', '"key": "0'))
    shutil.rmtree("o")
    assert main(argv) == 0
    assert len(fake) == 2 and "cache entry damaged" in capsys.readouterr().err
    assert _digest(Path("o")) == first
    assert main(argv) == 0 and len(fake) == 2, "stored afresh"


def test_each_look_and_setting_renders_into_its_own_folder():
    """Two commands rendering one scene differently (another theme, language or setting) at
    the same time must not share manim's output file: the folder is named by the variant."""
    from scenes.catalog import get_story
    from scenes.cli.job import Job

    base = Job("risk", get_story("risk").settings, {}, "l", ("mp4",), "out", "media", False)
    variants = {
        base.variant,
        replace(base, theme="light").variant,
        replace(base, lang="zh").variant,
        replace(base, settings=base.settings.override(lr=0.02)).variant,
        replace(base, sections=True).variant,
        replace(base, captions=False).variant,
    }
    assert len(variants) == 6
    assert replace(base, out_dir="elsewhere", formats=("gif",)).variant == base.variant


def test_entries_from_the_last_hour_are_kept_over_the_limit(fake, monkeypatch):
    """Another shard's fresh results are never evicted, even past the limit."""
    assert main(["render", "risk", "--out", "o"]) == 0
    monkeypatch.setenv("ROLL_CACHE_LIMIT", "1")  # one byte: everything is over
    assert main(["render", "ripples", "--out", "o"]) == 0
    assert sorted(p.name.split("-")[0] for p in _entries(Path("media"))) == ["ripples", "risk"]


def test_eviction_weighs_each_entry_by_its_own_last_use(fake, monkeypatch):
    """An entry unused for two hours goes when the cache is over its limit, even if another
    entry (listed after it) was used a moment ago; the fresh one stays."""
    assert main(["render", "ripples", "--out", "o"]) == 0
    assert main(["render", "cubic-saddle", "--out", "o"]) == 0
    old, fresh = (
        e for name in ("cubic-saddle", "ripples") for e in _entries(Path("media")) if e.name.startswith(name)
    )
    hours_ago = time.time() - 2 * 3600
    os.utime(old / "manifest.json", (hours_ago, hours_ago))  # sorted first: the fresh one is listed last
    monkeypatch.setenv("ROLL_CACHE_LIMIT", "1")
    Cache.for_media("media").evict()
    assert _entries(Path("media")) == [fresh]
