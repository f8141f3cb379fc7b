"""`roll gallery --out DIR`: every scene as a GIF, its last frame as a PNG and its numbers as
JSON, with an index.html and a README.md that list each scene's story, settings and files:
a folder a lecturer can drop into slides or a course site as it is."""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Sequence

from landscapes.errors import SettingsError
from landscapes.settings import Settings
from landscapes.stories import SCENES, Story, get_story
from scenes.catalog import entry
from scenes.cli.options import check_look
from scenes.cli.render import (
    QUALITY_NAMES,
    Job,
    check_out_dir,
    run_jobs,
    shard_of,
    take_shard,
    write_atomic,
)

FORMATS = ("gif", "png")


def settings_line(s: Settings) -> str:
    """The settings a reader needs to reproduce the run, on one line."""
    parts = [
        s.landscape_obj.plain,
        f"start {', '.join(f'{v:g}' for v in s.start)}",
        s.optimizer,
        f"lr {s.lr:g}",
        f"{s.steps} steps",
    ]
    if s.noise:
        parts.append(f"noise {s.noise:g} (seed {s.seed})")
    return "; ".join(parts)


def _command(story: Story) -> str:
    extra = f" --function '{story.settings.function}'" if story.name == "custom" else ""
    return f"roll render {story.name}{extra} -q h"


LOOK = {"dark": "dark theme", "light": "light theme", "en": "English", "zh": "Chinese (中文)"}


def index_html(stories: Sequence[Story], quality: str, theme: str = "dark", lang: str = "en") -> str:
    cards = []
    for st in stories:
        name = html.escape(st.name)
        cards.append(f"""  <section id="{name}">
    <h2>{name} <small>{html.escape(entry(st.name).cls)}</small></h2>
    <p>{html.escape(st.line)}</p>
    <img src="{name}.gif" alt="{name}: {html.escape(st.line)}" width="854" height="480" loading="lazy">
    <p class="settings">{html.escape(settings_line(st.settings))}</p>
    <p class="files"><a href="{name}.gif">GIF</a> · <a href="{name}.png">last frame (PNG)</a> ·
      <a href="{name}.json">numbers (JSON)</a> · subtitles: <a href="{name}.srt">SRT</a>,
      <a href="{name}.vtt">WebVTT</a> · re-render: <code>{html.escape(_command(st))}</code></p>
    <img class="still" src="{name}.png" alt="{name}: last frame" width="427" height="240" loading="lazy">
  </section>""")
    body = "\n".join(cards)
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Optimization landscapes: scene gallery</title>
<style>
  body {{ font-family: system-ui, sans-serif; background: #111; color: #eee;
         max-width: 900px; margin: auto; }}
  section {{ border-top: 1px solid #444; padding: 1em 0; }}
  img {{ max-width: 100%; height: auto; display: block; margin: .5em 0; }}
  img.still {{ max-width: 50%; }}
  small {{ color: #999; font-weight: normal; }}
  .settings, .files {{ color: #bbb; font-size: .9em; }}
  a {{ color: #8cf; }}
</style>
</head>
<body>
<h1>Optimization landscapes</h1>
<p>A ball rolling down the loss landscapes of d2l's "Optimization and Deep Learning" chapter.
Rendered at quality {html.escape(quality)} ({html.escape(QUALITY_NAMES[quality].replace("_", " "))}),
<span class="look">{LOOK[theme]}, {LOOK[lang]}</span>
(<code>--theme {theme} --lang {lang}</code>).</p>
{body}
</body>
</html>
"""


def readme_md(stories: Sequence[Story], quality: str, theme: str = "dark", lang: str = "en") -> str:
    rows = [
        f"| `{st.name}` | {st.line} | {settings_line(st.settings)} | "
        f"[GIF]({st.name}.gif) · [PNG]({st.name}.png) · [JSON]({st.name}.json) · "
        f"subtitles [SRT]({st.name}.srt), [WebVTT]({st.name}.vtt) |"
        for st in stories
    ]
    return "\n".join(
        [
            "# Optimization landscapes: scene gallery",
            "",
            f"Every scene as a GIF (quality `{quality}`, {LOOK[theme]}, {LOOK[lang]}: "
            f"`--theme {theme} --lang {lang}`),",
            "its last frame as a PNG for handouts, and the",
            "numbers behind it as JSON (what `roll trajectory NAME` prints).",
            "Open `index.html` to see them all.",
            "",
            "| scene | story | settings | files |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )


def gallery_command(args: argparse.Namespace) -> int:
    if args.quality not in QUALITY_NAMES:
        raise SettingsError(f"-q {args.quality!r}: choose one of {', '.join(QUALITY_NAMES)}")
    if args.jobs < 1:
        raise SettingsError(f"--jobs {args.jobs}: give a whole number >= 1")
    names = list(dict.fromkeys(args.names)) or list(SCENES)
    stories = [get_story(n) for n in names]
    shard = shard_of(args)
    out = check_out_dir(args.out)
    theme, lang = check_look(args)
    jobs = [
        Job(
            st.name,
            st.settings.to_dict(),
            {},
            args.quality,
            FORMATS,
            str(out),
            args.media_dir,
            progress=False,
            save_trajectory=True,
            theme=theme,
            lang=lang,
            force=getattr(args, "force", False),
        )
        for st in stories
    ]
    jobs = take_shard(jobs, shard)
    if jobs:
        code, finished = run_jobs(jobs, args.jobs, verbose=args.verbose)
    else:  # an empty shard
        code, finished = 0, []
    if shard is not None:
        # every shard writes the same index and README, of the whole gallery, so that gathering
        # the shards' folders is a copy; a shard with a failed scene writes none
        done = stories if code == 0 else []
        if code == 1:
            print("roll: no index.html: a scene of this shard failed", file=sys.stderr)
    else:
        done = [st for st in stories if st.name in finished]
    if done and code in (0, 1):  # an interrupted gallery gets no index: it would look complete
        out.mkdir(parents=True, exist_ok=True)
        for name, text in (
            ("index.html", index_html(done, args.quality, theme, lang)),
            ("README.md", readme_md(done, args.quality, theme, lang)),
        ):
            print(write_atomic(out / name, text.encode()), flush=True)
    return code
