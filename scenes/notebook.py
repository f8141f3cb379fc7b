"""The scenes in a Jupyter notebook: `animate("risk")` renders one and shows it inline.

    from scenes.notebook import animate
    animate("risk")                                   # the story as the chapter tells it
    animate("learning-rate", lr=0.05, theme="light")  # a setting changed, on white
    animate("ripples", quality="m", lang="zh")        # 720p30, the chapter's Chinese terms

The video is embedded in the notebook (base64), so a saved notebook plays anywhere without
its media folder; it plays when clicked, not as the notebook opens. `quality` is manim's
letter (`l` 480p15 by default, `m`, `h`, `p`, `k`) or `tiny` (214x120 at 2 frames per second,
for tests); without one, the environment variable ROLL_NOTEBOOK_QUALITY chooses, so one
notebook runs at full size for a class and at tiny size in the tests. manim's own `%%manim`
cell magic works on these scenes too; `manim_flags()` gives its quality flags under the same
rule.

This module imports no command-line code, and no scene imports it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenes.outputs import QUALITIES

if TYPE_CHECKING:
    from IPython.display import Video

    from landscapes.settings import Settings

QUALITY_ENV = "ROLL_NOTEBOOK_QUALITY"
# the tests' tiny size, beside the quality table's letters (scenes.outputs)
TINY = "tiny"
TINY_CONFIG: dict[str, Any] = {"pixel_height": 120, "pixel_width": 214, "frame_rate": 2}
# a player that waits for a click: a notebook of seventeen videos does not start them all at once
HTML_ATTRIBUTES = 'controls muted playsinline preload="metadata"'
_media: list[Path] = []  # this kernel's media folder, made on first use (its TeX cache is reused)


def quality_in_force(chosen: str | None = None) -> str:
    """The quality in force: the one given, else $ROLL_NOTEBOOK_QUALITY, else `l`."""
    q = chosen or os.environ.get(QUALITY_ENV) or "l"
    if q not in (*QUALITIES, TINY):
        where = "" if chosen else f" (from ${QUALITY_ENV})"
        raise ValueError(f"quality {q!r}{where}: choose one of {', '.join((*QUALITIES, TINY))}")
    return q


def quality_config(q: str) -> dict[str, Any]:
    """The manim config of a quality in force: the table's quality by name, or the tiny size."""
    return dict(TINY_CONFIG) if q == TINY else {"quality": QUALITIES[q].manim}


def manim_flags(chosen: str | None = None) -> str:
    """The quality as flags of manim's `%%manim` magic: `-ql`, ..., or the tiny size."""
    q = quality_in_force(chosen)
    if q == TINY:
        t = TINY_CONFIG
        return f"--resolution {t['pixel_width']},{t['pixel_height']} --frame_rate {t['frame_rate']}"
    return f"-q{q}"


def story_settings(name: str, **changes: Any) -> Settings:
    """The story's settings with `changes` (Settings fields; `beta` is momentum's) applied, validated.

    A one-variable start may be a plain number: `start=2` is `start=(2,)`.
    """
    from landscapes.errors import SettingsError
    from landscapes.settings import Settings
    from scenes.catalog import get_story

    known = {f.name for f in fields(Settings)} | {"beta"}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise SettingsError(f"{', '.join(unknown)}: not a setting; choose from {', '.join(sorted(known))}")
    if isinstance(changes.get("start"), (int, float)):
        changes["start"] = (changes["start"],)
    try:
        settings = get_story(name).settings.override(**changes)
    except SettingsError:
        raise
    except (TypeError, ValueError) as exc:  # start='abc': a value of the wrong kind
        given = ", ".join(f"{k}={v!r}" for k, v in changes.items())
        raise SettingsError(f"{given}: {exc}; give numbers (start=(x, y), lr=0.1)") from None
    if isinstance(settings.lr, str) or any(isinstance(v, str) for v in settings.start):
        raise SettingsError(f"lr={settings.lr!r}, start={settings.start!r}: give numbers, not strings")
    settings.validate()
    return settings


def story_file(
    path: str, options: dict[str, Any] | None, settings: dict[str, Any], lang: str = "en"
) -> tuple[str, dict[str, Any]]:
    """A story file loaded, checked and entered: its name, and the options that carry it.

    A ball's `module:Class` is run only for a module this kernel has already imported (the
    user's own Python said so); nothing is imported to read the file, so a module lying beside
    a downloaded file (the working folder is on a kernel's path) never runs."""
    import sys

    from landscapes.errors import SettingsError
    from landscapes.storyfile import load
    from scenes.catalog import get_story, register_file, shadows_built_in

    if settings:
        raise SettingsError(
            f"{', '.join(settings)}: a story file's balls have their own settings; edit {path}"
        )
    record = load(path, trust=sys.modules)
    if shadows_built_in(record.name, path):
        raise SettingsError(f"{path}: name {record.name!r} is a built-in scene's; give the file another name")
    gaps = record.missing_words(lang)
    if gaps:
        raise SettingsError(f"lang={lang!r}: {path} has no {lang} words for {', '.join(gaps[:3])}")
    name = register_file(record)
    return name, {**(options or {}), **get_story(name).options}


def check_options(name: str, options: dict[str, Any] | None, settings: Settings) -> None:
    """The scene's own options as the command line takes them: only those it accepts, a list of
    optimizers, and the same limits on balls and steps × balls (scenes.catalog.work_refusal)."""
    from landscapes.errors import SettingsError
    from scenes.catalog import entry, work_refusal

    record = entry(name)
    opts = dict(options or {})
    if record.filed:  # a story file's options carry the file: its reader has bounded it
        return
    unknown = sorted(k for k in opts if not record.takes(k) and k != "opt")
    if unknown:
        raise SettingsError(f"options {', '.join(unknown)}: {name} takes none of them")
    listed = opts.get("optimizers")
    if listed is not None and (isinstance(listed, str) or not all(isinstance(o, str) for o in listed)):
        raise SettingsError("options optimizers: give a list of names, e.g. ['gd', 'adam']")
    why = work_refusal(name, settings.steps, opts)
    if why:
        raise SettingsError(f"options {why}" if not why.startswith("steps") else why)


def media_dir() -> Path:
    """A folder for this kernel's renders, removed when the kernel exits."""
    if not _media:
        path = Path(tempfile.mkdtemp(prefix="roll-notebook-"))
        atexit.register(shutil.rmtree, path, ignore_errors=True)
        _media.append(path)
    return _media[0]


def render_video(
    name: str,
    quality: str | None = None,
    theme: str = "dark",
    lang: str = "en",
    media: str | Path | None = None,
    options: dict[str, Any] | None = None,
    **settings: Any,
) -> Path:
    """Render one scene to MP4 under manim's media tree (`media`, or this kernel's folder); its path.

    `settings` override the story's (`lr=0.05`, `start=(-4, -1)`, `beta=0.25`, ...); `options`
    are the scene's own (compare's `optimizers`, basins' `balls` and `spread`).
    """
    from manim import tempconfig

    from scenes.catalog import scene_class

    q = quality_in_force(quality)
    if name.endswith(".toml"):  # a story file: its balls keep the file's settings
        name, options = story_file(name, options, settings, lang)
    chosen = story_settings(name, **settings)
    check_options(name, options, chosen)
    cls = scene_class(name, chosen)
    cfg = {
        **quality_config(q),
        "media_dir": str(Path(media) if media is not None else media_dir()),
        "format": "mp4",
        "write_to_movie": True,
        "save_last_frame": False,
        "preview": False,
        "verbosity": "WARNING",
        "progress_bar": "none",
    }
    with tempconfig(cfg):
        scene = cls(settings=chosen, options=options, theme=theme, lang=lang)
        scene.render()
        return Path(scene.renderer.file_writer.movie_file_path)


def animate(
    name: str,
    quality: str | None = None,
    theme: str = "dark",
    lang: str = "en",
    media: str | Path | None = None,
    options: dict[str, Any] | None = None,
    **settings: Any,
) -> Video:
    """Render one scene (see `render_video`) and return it as a video embedded in the notebook.

    The video holds the file's bytes, not its path: a later render that reuses the file name
    cannot change a video already shown.
    """
    from IPython.display import Video

    path = render_video(name, quality, theme, lang, media, options, **settings)
    return Video(path.read_bytes(), embed=True, mimetype="video/mp4", html_attributes=HTML_ATTRIBUTES)
