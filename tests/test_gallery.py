"""`roll gallery`: real files, an index that names them all, and a browser that loads them."""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import shutil
import subprocess
import threading

import numpy as np
from PIL import Image
from support import roll

from scenes.catalog import CATALOG as SCENES
from scenes.cli.gallery import index_html, readme_md

CHECK_PAGE = """<!doctype html><html><body>
<iframe id="g" src="gallery/index.html" style="width:1000px;height:200000px"></iframe>
<script>
document.getElementById("g").addEventListener("load", () => {
  const doc = document.getElementById("g").contentDocument;
  const imgs = [...doc.images];
  const settle = (tries) => {
    const pending = imgs.filter(i => !i.complete);
    if (pending.length && tries > 0) return setTimeout(() => settle(tries - 1), 100);
    const ok = imgs.filter(i => i.complete && i.naturalWidth > 0).map(i => i.getAttribute("src"));
    const pre = document.createElement("pre");
    pre.id = "result";
    pre.textContent = "total=" + imgs.length + " loaded=" + ok.length + " srcs=" + ok.join(",");
    document.body.appendChild(pre);
  };
  settle(100);
  // each scene's MP4 player and its subtitles: the track's language and cues, once loaded
  const videos = [...doc.querySelectorAll("video")];
  for (const v of videos) v.textTracks[0].mode = "hidden";
  const cues = (tries) => {
    const pending = videos.filter(v => !(v.textTracks[0].cues && v.textTracks[0].cues.length));
    if (pending.length && tries > 0) return setTimeout(() => cues(tries - 1), 100);
    const pre = document.createElement("pre");
    pre.id = "tracks";
    pre.textContent = "tracks=" + videos.map(v => {
      const t = v.textTracks[0];
      return v.querySelector("source").getAttribute("src") + ":" + t.kind + ":" + t.language + ":"
        + (t.cues ? t.cues.length : -1);
    }).join(",") + ";";
    document.body.appendChild(pre);
  };
  cues(100);
});
</script></body></html>"""


def test_index_and_readme_list_every_scene_and_file():
    stories = list(SCENES.values())
    page, readme = index_html(stories, "l"), readme_md(stories, "l")
    for st in stories:
        for ext in ("gif", "mp4", "png", "json", "beats.json", "srt", "vtt"):
            assert f'href="{st.name}.{ext}"' in page and f"]({st.name}.{ext})" in readme
        assert f'src="{st.name}.gif"' in page and f'src="{st.name}.png"' in page
        assert f'<source src="{st.name}.mp4" type="video/mp4">' in page
        assert f'<track kind="subtitles" srclang="en" label="English" src="{st.name}.vtt">' in page
        assert st.line in readme
    assert len(re.findall(r"<section ", page)) == len(stories)


def test_gallery_renders_and_every_image_loads_in_chromium(tmp_path):
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it"
    gallery = tmp_path / "site" / "gallery"
    proc = roll("gallery", "cubic-saddle", "basins", "--out", str(gallery), "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = ["cubic-saddle", "basins"]
    expected = {
        f"{n}.{ext}" for n in names for ext in ("gif", "mp4", "png", "json", "beats.json", "srt", "vtt")
    }
    expected |= {"index.html", "README.md"}
    assert {p.name for p in gallery.iterdir()} == expected
    for n in names:
        with Image.open(gallery / f"{n}.gif") as im:
            assert im.n_frames > 10
        assert Image.open(gallery / f"{n}.png").size == (854, 480)

    (tmp_path / "site" / "check.html").write_text(CHECK_PAGE)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "site"))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dom = subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={tmp_path / 'chromium'}",
                "--virtual-time-budget=20000",
                "--dump-dom",
                f"http://127.0.0.1:{server.server_port}/check.html",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    finally:
        server.shutdown()
    found = re.search(r"total=(\d+) loaded=(\d+) srcs=([^<]*)", dom)
    assert found, dom[-2000:]
    total, loaded, srcs = int(found[1]), int(found[2]), set(found[3].split(","))
    assert total == 2 * len(names) and loaded == total
    assert srcs == {f"{n}.{ext}" for n in names for ext in ("gif", "png")}
    # every player's subtitles load in Chromium: a cue per beat, in the gallery's language
    tracks = re.search(r"<pre id=\"tracks\">tracks=([^;<]*);", dom)
    assert tracks, dom[-2000:]
    beats = {n: len(json.loads((gallery / f"{n}.beats.json").read_text())["beats"]) for n in names}
    assert sorted(tracks[1].split(",")) == sorted(f"{n}.mp4:subtitles:en:{beats[n]}" for n in names)


# ---- the page in the gallery's language and theme ----------------------------------------
def _texts(page: str) -> list[str]:
    """The page's words as a reader gets them: text outside <code>, <style> and <script>, and
    the alt and title attributes; <code> holds commands, scene and class names (identifiers)."""
    from html.parser import HTMLParser

    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.words: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("code", "style", "script")
            self.words += [v for k, v in attrs if k in ("alt", "title") and v]

        def handle_endtag(self, tag):
            self.skip -= tag in ("code", "style", "script")

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.words.append(data.strip())

    parser = Words()
    parser.feed(page)
    return parser.words


def _markdown_texts(readme: str) -> list[str]:
    """The README's words outside `code` spans, its link targets (file names) taken out."""
    readme = re.sub(r"`[^`]*`", " ", readme)
    readme = re.sub(r"\]\([^)]*\)", "]", readme)
    return [t.strip() for t in re.split(r"[|\n]", readme) if t.strip()]


def _identifiers(stories) -> set[str]:
    """What stays as it is in every language: scene names and the landscapes' formulas (math)."""
    return {st.name for st in stories} | {st.settings.landscape_obj.plain for st in stories}


def test_the_page_and_readme_in_the_pseudo_language_have_no_untranslated_word():
    from test_slides import unmarked

    from scenes.words import i18n

    stories = list(SCENES.values())
    try:
        page = index_html(stories, "l", "dark", i18n.PSEUDO)
        readme = readme_md(stories, "l", "light", i18n.PSEUDO)
    finally:
        i18n.use_language("en")
    names = _identifiers(stories)
    texts = _texts(page)
    assert len(texts) > 10 * len(stories)
    assert [t for t in texts if unmarked(t, names)] == []
    assert [t for t in _markdown_texts(readme) if unmarked(t, names) and set(t) != {"-"}] == []


def test_a_chinese_gallery_says_every_sentence_in_chinese():
    from test_slides import latin_words

    from scenes.words import i18n

    stories = list(SCENES.values())
    try:
        page = index_html(stories, "l", "light", "zh")
        readme = readme_md(stories, "l", "light", "zh")
    finally:
        i18n.use_language("en")
    assert '<html lang="zh-Hans">' in page and '"Noto Sans CJK SC"' in page
    names = _identifiers(stories)
    # file formats are names (GIF, MP4, PNG, JSON, SRT, WebVTT): the Chinese book writes them so too
    formats = {"GIF", "MP", "PNG", "JSON", "SRT", "WebVTT", "d2l", "ai"}
    for text in [*_texts(page), *_markdown_texts(readme)]:
        assert [w for w in latin_words(text, names) if w not in formats] == [], text
    for st in stories:
        assert html.escape(i18n.catalogue("zh")[st.line]) in page, st.name


def _css(page: str, selector: str, prop: str) -> str:
    rule = re.search(rf"(?:^|\}})\s*{re.escape(selector)}\s*\{{([^}}]*)\}}", page, re.M)
    assert rule, selector
    return re.search(rf"(?:^|;|\s){prop}:\s*(#[0-9a-fA-F]{{6}})", rule[1])[1]


def test_the_light_gallery_is_a_light_page_and_every_text_keeps_its_contrast(tmp_path):
    from manim import ManimColor

    from scenes.kit.palette import contrast, luminance

    stories = [SCENES["cubic-saddle"], SCENES["ripples"]]
    for theme in ("light", "dark"):
        page = index_html(stories, "l", theme)
        background = ManimColor(_css(page, "body", "background"))
        assert (luminance(background) > 0.9) == (theme == "light"), theme
        for selector, prop in (
            ("body", "color"),
            ("small", "color"),
            (".settings, .files", "color"),
            ("a", "color"),
        ):
            colour = ManimColor(_css(page, selector, prop))
            assert contrast(colour, background) >= 4.5, (theme, selector)

    # and a browser draws it so: white behind the light page's text, near black behind the dark
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it"
    for theme in ("light", "dark"):
        site = tmp_path / theme
        site.mkdir()
        (site / "index.html").write_text(index_html(stories, "l", theme), encoding="utf-8")
        shot = tmp_path / f"{theme}.png"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={tmp_path / 'chromium'}",
                f"--screenshot={shot}",
                "--window-size=1000,700",
                (site / "index.html").as_uri(),
            ],
            capture_output=True,
            timeout=120,
        )
        pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=int)
        corner = pixels[5, 5]
        assert (corner > 240).all() if theme == "light" else (corner < 30).all(), (theme, corner)
        dark_text = (pixels.sum(axis=2) < 150).mean()
        assert (dark_text > 0.002) if theme == "light" else (dark_text > 0.5), theme


def test_a_scene_that_fails_keeps_its_earlier_row(tmp_path, monkeypatch, capsys):
    """A re-render in which one scene fails rewrites index.html and README.md with that
    scene's earlier card and row, unchanged (its earlier files are still in the folder); the
    scenes that rendered get fresh ones. The rendering is stood in for: only the index is
    under test here."""
    from scenes.cli import runner
    from scenes.cli.main import main

    monkeypatch.chdir(tmp_path)
    outcome = {"code": 0, "finished": ["cubic-saddle", "basins"]}
    monkeypatch.setattr(
        runner, "run_jobs", lambda jobs, n, verbose=False: (outcome["code"], outcome["finished"])
    )
    assert main(["gallery", "cubic-saddle", "basins", "--out", "g"]) == 0
    page, readme = (tmp_path / "g" / "index.html").read_text(), (tmp_path / "g" / "README.md").read_text()
    card = re.search(r'  <section id="basins">.*?</section>', page, re.S)[0]
    row = next(line for line in readme.splitlines() if line.startswith("| `basins` |"))

    outcome.update(code=1, finished=["cubic-saddle"])  # basins fails this time
    assert main(["gallery", "cubic-saddle", "basins", "--out", "g", "--theme", "light"]) == 1
    page2, readme2 = (tmp_path / "g" / "index.html").read_text(), (tmp_path / "g" / "README.md").read_text()
    assert page2 != page and "#ffffff" in page2  # rewritten, in the new look
    assert card in page2 and row in readme2.splitlines(), "basins keeps its earlier card and row"
    assert page2.index('id="cubic-saddle"') < page2.index('id="basins"'), "in the gallery's order"
    assert len(re.findall(r"<section ", page2)) == 2

    outcome.update(code=1, finished=[])  # a scene never rendered before has no row to keep
    assert main(["gallery", "risk", "cubic-saddle", "--out", "g2"]) == 1
    assert not (tmp_path / "g2" / "index.html").exists()
