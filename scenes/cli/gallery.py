"""`roll gallery --out DIR`: every scene as a GIF, its last frame as a PNG and its numbers as
JSON, with an index.html and a README.md that list each scene's story, settings and files:
a folder a lecturer can drop into slides or a course site as it is. Beside each GIF the page
offers the scene's MP4 in a player that carries its subtitles (`<track kind="subtitles">`).

A re-render in which a scene fails keeps that scene's earlier row, in index.html and in
README.md, as it was: its files from the earlier run are still in the folder."""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from landscapes.settings import Settings
from landscapes.stories import Story
from scenes.catalog import CATALOG, entry, get_story
from scenes.cli import runner
from scenes.cli.decks import PAGE_LANGS
from scenes.cli.plan import plan, shard_of, take_shard
from scenes.cli.publish import write_atomic
from scenes.cli.safe import md_cell, page_name
from scenes.cli.storyfiles import command_name, file_title
from scenes.narration.beatsfile import SUFFIX as BEATS_SUFFIX
from scenes.outputs import QUALITIES
from scenes.words.i18n import N_, _, use_language
from scenes.words.terms import optimizer_name

# what a gallery shows of each scene: a GIF, its last frame, and the video the player carries
FORMATS = ("gif", "png", "mp4")


def settings_line(s: Settings) -> str:
    """The settings a reader needs to reproduce the run, on one line, in the current language
    (the landscape's formula stays math)."""
    parts = [
        s.landscape_obj.plain,
        _("start {start}").format(start=", ".join(f"{v:g}" for v in s.start)),
        optimizer_name(s.optimizer),
        _("lr {lr:g}").format(lr=s.lr),
        _("{n} steps").format(n=s.steps),
    ]
    if s.noise:
        parts.append(_("noise {noise:g} (seed {seed})").format(noise=s.noise, seed=s.seed))
    return _("; ").join(parts)


def _command(story: Story) -> str:
    # a scene that needs a function is re-rendered with the one it was shown with
    extra = f" --function '{story.settings.function}'" if "function" in entry(story.name).needs else ""
    return f"roll render {command_name(story.name)}{extra} -q h"


# the page's words, marked for extraction and translated when the page is written
LOOK = {
    "dark": N_("dark theme"),
    "light": N_("light theme"),
    "en": N_("English"),
    "zh": N_("Chinese"),
}


@dataclass(frozen=True)
class PageColours:
    """The page's colours per theme: text, muted text and links all at 4.5:1 or more against
    the background (tested with WCAG's formula)."""

    background: str
    text: str
    muted: str
    faint: str  # the class names beside a scene's name
    rule: str  # the line between scenes (not text)
    link: str


PAGE_COLOURS = {
    "dark": PageColours("#111111", "#eeeeee", "#bbbbbb", "#999999", "#444444", "#88ccff"),
    "light": PageColours("#ffffff", "#111111", "#444444", "#595959", "#cccccc", "#0645ad"),
}


def _look(theme: str, lang: str) -> str:
    return _("{theme}, {language}").format(theme=_(LOOK[theme]), language=_(LOOK.get(lang, LOOK["en"])))


def _links() -> dict[str, str]:
    """Each file's link text, by the file's suffix (babel reads no `_` inside an f-string)."""
    return {
        "gif": _("animation (GIF)"),
        "mp4": _("video (MP4)"),
        "png": _("last frame (PNG)"),
        "json": _("numbers (JSON)"),
        BEATS_SUFFIX[1:]: _("beats (JSON)"),
        "srt": _("subtitles (SRT)"),
        "vtt": _("subtitles (WebVTT)"),
    }


def line_of(st: Story, lang: str) -> str:
    """A scene's story line in `lang`: a story file's own title, or the catalogue's words."""
    return file_title(st.name, lang) or _(st.line)


def _rendered(quality: str, theme: str, lang: str) -> str:
    what = _(QUALITIES[quality].words)
    return _("Rendered at quality {quality} ({what}), {look}").format(
        quality=quality, what=what, look=_look(theme, lang)
    )


def index_html(
    stories: Sequence[Story],
    quality: str,
    theme: str = "dark",
    lang: str = "en",
    earlier: Mapping[str, str] | None = None,
) -> str:
    """The gallery's page, in `lang` and in the colours of `theme`; a scene named in `earlier`
    keeps that card (its section of the earlier page) as it was."""
    use_language(lang)
    earlier = earlier or {}
    c = PAGE_COLOURS[theme]
    page_lang, fonts = PAGE_LANGS.get(lang, PAGE_LANGS["en"])
    esc = html.escape
    links = _links()
    cards = []
    track_lang = page_lang
    language = _(LOOK.get(lang, LOOK["en"]))
    for st in stories:
        if st.name in earlier:
            cards.append(earlier[st.name])
            continue
        name, line = page_name(st.name), line_of(st, lang)  # a name fit for links, or refused
        alt = esc(_("{name}: {line}").format(name=st.name, line=line))
        still = esc(_("{name}: last frame").format(name=st.name))
        files = " ·\n      ".join(f'<a href="{name}.{ext}">{esc(text)}</a>' for ext, text in links.items())
        again = esc(_("re-render:"))
        cards.append(f"""  <section id="{name}">
    <h2><code>{name}</code> <small><code>{esc(entry(st.name).cls)}</code></small></h2>
    <p>{esc(line)}</p>
    <img src="{name}.gif" alt="{alt}" width="854" height="480" loading="lazy">
    <video controls preload="none" poster="{name}.png" width="854" height="480">
      <source src="{name}.mp4" type="video/mp4">
      <track kind="subtitles" srclang="{track_lang}" label="{esc(language)}" src="{name}.vtt">
    </video>
    <p class="settings">{esc(settings_line(st.settings))}</p>
    <p class="files">{files} ·
      {again} <code>{esc(_command(st))}</code></p>
    <img class="still" src="{name}.png" alt="{still}" width="427" height="240" loading="lazy">
  </section>""")
    body = "\n".join(cards)
    title = _("Optimization landscapes: scene gallery")
    heading = _("Optimization landscapes")
    intro = _(
        "A ball rolling down the loss landscapes of the optimization chapter of "
        "Dive into Deep Learning (d2l.ai)."
    )
    return f"""<!doctype html>
<html lang="{page_lang}">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<style>
  body {{ font-family: system-ui, {fonts}; background: {c.background}; color: {c.text};
         max-width: 900px; margin: auto; }}
  section {{ border-top: 1px solid {c.rule}; padding: 1em 0; }}
  img, video {{ max-width: 100%; height: auto; display: block; margin: .5em 0; }}
  img.still {{ max-width: 50%; }}
  small {{ color: {c.faint}; font-weight: normal; }}
  .settings, .files {{ color: {c.muted}; font-size: .9em; }}
  a {{ color: {c.link}; }}
</style>
</head>
<body>
<h1>{esc(heading)}</h1>
<p>{esc(intro)}
{esc(_rendered(quality, theme, lang))}
(<code>--theme {theme} --lang {lang}</code>).</p>
{body}
</body>
</html>
"""


def readme_md(
    stories: Sequence[Story],
    quality: str,
    theme: str = "dark",
    lang: str = "en",
    earlier: Mapping[str, str] | None = None,
) -> str:
    """The gallery's README, in `lang`; a scene named in `earlier` keeps that row as it was."""
    use_language(lang)
    earlier = earlier or {}
    links = _links()
    rows = []
    for st in stories:
        if st.name in earlier:
            rows.append(earlier[st.name])
            continue
        files = " · ".join(f"[{text}]({st.name}.{ext})" for ext, text in links.items())
        cells = (md_cell(page_name(st.name)), md_cell(line_of(st, lang)), md_cell(settings_line(st.settings)))
        rows.append(f"| `{cells[0]}` | {cells[1]} | {cells[2]} | {files} |")
    title = _("Optimization landscapes: scene gallery")
    about = _(
        "Every scene as an animation, its last frame for handouts, the numbers behind it "
        "(what `roll trajectory NAME` prints), its beats and its subtitles. "
        "Open `index.html` to see them all."
    )
    heads = [_("scene"), _("story"), _("settings"), _("files")]
    return "\n".join(
        [
            f"# {title}",
            "",
            f"{_rendered(quality, theme, lang)} (`--theme {theme} --lang {lang}`).",
            "",
            about,
            "",
            f"| {' | '.join(heads)} |",
            "|---|---|---|---|",
            *rows,
            "",
        ]
    )


def earlier_cards(page: Path) -> dict[str, str]:
    """Each scene's card in an earlier index.html (scene name -> its <section>), if any."""
    try:
        text = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return {m[1]: m[0] for m in re.finditer(r'  <section id="([^"]+)">.*?</section>', text, re.S)}


def earlier_rows(readme: Path) -> dict[str, str]:
    """Each scene's row in an earlier README.md (scene name -> its table line), if any."""
    try:
        text = readme.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    return {m[1]: m[0] for m in re.finditer(r"^\| `([^`]+)` \|.*$", text, re.M)}


def gallery_command(args: argparse.Namespace) -> int:
    built_in = [n for n, r in CATALOG.items() if not r.filed]
    every = plan(args, FORMATS, every=built_in, save_trajectory=True, whole=True)
    stories = [get_story(job.name) for job in every]  # the whole gallery: every shard indexes it
    shard, out = shard_of(args), Path(args.out)
    theme, lang = every[0].theme, every[0].lang
    jobs = take_shard(every, shard)
    if jobs:
        code, finished = runner.run_jobs(jobs, args.jobs, verbose=args.verbose)
    else:  # an empty shard
        code, finished = 0, []
    if shard is not None:
        # every shard writes the same index and README, of the whole gallery, so that gathering
        # the shards' folders is a copy; a shard with a failed scene writes none
        done = stories if code == 0 else []
        if code == 1:
            print("roll: no index.html: a scene of this shard failed", file=sys.stderr)
        cards: dict[str, str] = {}
        rows: dict[str, str] = {}
    else:
        # a scene that failed keeps its earlier card and row (its earlier files are still here)
        failed = {st.name for st in stories if st.name not in finished}
        cards = {k: v for k, v in earlier_cards(out / "index.html").items() if k in failed}
        rows = {k: v for k, v in earlier_rows(out / "README.md").items() if k in failed}
        done = [st for st in stories if st.name in finished or (st.name in cards and st.name in rows)]
    if done and code in (0, 1):  # an interrupted gallery gets no index: it would look complete
        out.mkdir(parents=True, exist_ok=True)
        for name, text in (
            ("index.html", index_html(done, args.quality, theme, lang, cards)),
            ("README.md", readme_md(done, args.quality, theme, lang, rows)),
        ):
            print(write_atomic(out / name, text.encode()), flush=True)
    return code
