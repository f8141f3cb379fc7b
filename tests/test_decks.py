"""The deck writers (`roll slides`): a pptx read back with python-pptx and drawn by LibreOffice,
a reveal.js deck driven in Debian's headless Chromium over the DevTools protocol with every
host but the deck's own unreachable, and the PDF handout Chromium prints from it, read back
with poppler.

The clips are tiny real videos made here with PyAV (a square moving across 64x36 px), so these
tests need no manim render: H.264 in mp4 (what roll slides ships) and VP9 in webm.
"""

from __future__ import annotations

import base64
import errno
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote, urlsplit

import av
import numpy as np
import pytest
from PIL import Image
from support import ROOT

from scenes.cli import deckfiles
from scenes.cli.deckfiles import Beat, DeckScene, mp4_duration_ms, unbroken_numbers
from scenes.cli.decks import WRITERS, writer_for
from scenes.cli.pptx_deck import CAPTION_BAND, autoplay_timing_xml, write_pptx
from scenes.cli.reveal_deck import ASSETS, PAUSE_KEY, reveal_deck, write_handout, write_html

W, H, FPS, FRAMES = 64, 36, 12, 24  # two seconds
COLOURS = [(255, 200, 0), (0, 220, 120), (240, 60, 200)]
BACKGROUND = (20, 30, 60)
CAPTIONS = [
    "The ball starts on a rippled slope.",
    "Momentum carries it past the first dip <and> on.",
    "A second start ends in the other basin.",
]
NOTES = ["on screen: caught", "in the video from 5.2 s to 13.5 s", "on screen: arrived"]


def frame(i: int, colour: tuple[int, int, int]) -> np.ndarray:
    a = np.empty((H, W, 3), np.uint8)
    a[:] = BACKGROUND
    x = i * (W - 12) // (FRAMES - 1)
    a[12:24, x : x + 12] = colour
    return a


def make_clip(path: Path, codec: str, colour: tuple[int, int, int]) -> Path:
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=Fraction(FPS))
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        for i in range(FRAMES):
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame(i, colour), format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, list[Beat]]:
    """Three beats' clips and posters (each its clip's last frame), as mp4 and webm."""
    d = tmp_path_factory.mktemp("clips")
    beats: dict[str, list[Beat]] = {"mp4": [], "webm": []}
    for k, (colour, caption, notes) in enumerate(zip(COLOURS, CAPTIONS, NOTES, strict=True)):
        poster = d / f"beat{k}.png"
        Image.fromarray(frame(FRAMES - 1, colour)).save(poster)
        for ext, codec in (("mp4", "libx264"), ("webm", "libvpx-vp9")):
            clip = make_clip(d / f"beat{k}.{ext}", codec, colour)
            beats[ext].append(Beat(caption, clip, poster, notes=notes, seconds=FRAMES / FPS))
    return beats


def deck(beats: list[Beat]) -> list[DeckScene]:
    return [
        DeckScene(
            "ripples",
            "Escaping ripples",
            "Momentum carries the ball over the ripples.",
            tuple(beats[:2]),
            notes="2 beats, 16.9 s of video",
        ),
        DeckScene(
            "basins", "Two basins", "Where you start decides where you end.", (beats[2],), notes="1 beat"
        ),
    ]


def slide_count(scenes: list[DeckScene]) -> int:
    return sum(1 + len(s.beats) for s in scenes)


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def pdf_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


# ---------------------------------------------------------------------------------------------
# one registry


def test_the_registry_names_every_deck_and_refuses_others():
    assert list(WRITERS) == ["pptx", "html", "pdf"]
    assert {w.file for w in WRITERS.values()} == {"slides.pptx", "slides.html", "slides.pdf"}
    with pytest.raises(ValueError, match="choose one of pptx, html, pdf"):
        writer_for("ppt")


def test_a_missing_clip_or_theme_fails_before_anything_is_written(media, tmp_path):
    good = deck(media["mp4"])
    broken = [DeckScene("x", "X", "line", (Beat("c", tmp_path / "nope.mp4", media["mp4"][0].poster),))]
    for writer in WRITERS.values():
        with pytest.raises(FileNotFoundError, match="nope.mp4"):
            writer.write(broken, tmp_path / writer.name, "dark", "en")
        with pytest.raises(ValueError, match="unknown theme"):
            writer.write(good, tmp_path / writer.name, "sepia", "en")
        with pytest.raises(ValueError, match="at least one scene"):
            writer.write([], tmp_path / writer.name, "dark", "en")
    assert not any(tmp_path.iterdir())


def test_no_number_is_split_by_a_hyphen():
    assert unbroken_numbers("stops at (-0.126340, -0.186632)") == "stops at (\u22120.126340, \u22120.186632)"
    assert (
        unbroken_numbers("f = -.5; x - 1; x-1; 1e-10; [-2, 2]")
        == "f = \u2212.5; x - 1; x-1; 1e-10; [\u22122, 2]"
    )


# ---------------------------------------------------------------------------------------------
# pptx

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
NS = {
    "p": P[1:-1],
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
VIDEO_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/video"


def test_mp4_duration_is_read_from_the_header(media):
    clip = media["mp4"][0].clip
    with av.open(str(clip)) as container:
        expected = container.duration / 1000  # microseconds -> ms
    assert mp4_duration_ms(clip) == pytest.approx(expected, abs=1)
    assert mp4_duration_ms(media["webm"][0].clip) is None  # not an MP4: no invented length


def test_pptx_reads_back_title_and_one_autoplaying_movie_per_beat(media, tmp_path):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from pptx.util import Emu

    scenes = deck(media["mp4"])
    dest = write_pptx(scenes, tmp_path / "out" / "slides.pptx")
    assert dest == tmp_path / "out" / "slides.pptx"
    assert [p.name for p in dest.parent.iterdir()] == ["slides.pptx"]  # no temporary file left
    prs = Presentation(str(dest))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 16:9
    slides = list(prs.slides)
    assert len(slides) == sum(1 + len(s.beats) for s in scenes)
    it = iter(slides)
    for scene in scenes:
        title = next(it)
        assert title.shapes.title.text == scene.title
        assert scene.line in [s.text_frame.text for s in title.shapes if s.has_text_frame]
        assert title.background.fill.fore_color.rgb == (0, 0, 0)
        notes = title.notes_slide.notes_text_frame.text
        assert notes.startswith(scene.line) and scene.notes in notes  # the title slide has notes too
        for beat in scene.beats:
            slide = next(it)
            movies = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.MEDIA]
            boxes = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX]
            assert len(movies) == 1 and len(boxes) == 1 and len(slide.shapes) == 2
            movie, box = movies[0], boxes[0]
            # the clip as large as fits above the caption, centred; the caption under it, once
            assert movie.top == 0
            assert movie.left + movie.width / 2 == pytest.approx(prs.slide_width / 2, abs=1)
            assert movie.width / movie.height == pytest.approx(W / H, rel=1e-3)
            assert movie.height == prs.slide_height - CAPTION_BAND
            assert box.text_frame.text == beat.caption and box.top >= movie.top + movie.height
            runs = [r for p in box.text_frame.paragraphs for r in p.runs]
            assert runs and {r.font._rPr.get("lang") for r in runs} == {"en-US"}  # the deck's language
            assert box.top + box.height <= prs.slide_height
            assert movie.poster_frame.blob == beat.poster.read_bytes()  # the beat's poster
            link = movie._element.find(".//a:videoFile", NS).get(f"{{{NS['r']}}}link")
            rel = slide.part.rels[link]
            assert rel.reltype == VIDEO_REL and rel.target_part.blob == beat.clip.read_bytes()
            assert slide.notes_slide.notes_text_frame.text == f"{beat.caption}\n{beat.notes}"

            # the timing starts this movie by itself when the slide opens
            (timing,) = slide._element.findall(f"{P}timing")
            (cmd,) = timing.iterfind(".//p:cmd", NS)
            assert cmd.get("type") == "call" and cmd.get("cmd") == "playFrom(0.0)"
            assert cmd.find(".//p:spTgt", NS).get("spid") == str(movie.shape_id)
            effect = cmd.getparent().getparent()
            assert effect.get("presetClass") == "mediacall" and effect.get("nodeType") == "afterEffect"
            step = timing.find(".//p:seq/p:cTn[@nodeType='mainSeq']/p:childTnLst/p:par/p:cTn", NS)
            begin = step.find("p:stCondLst/p:cond[@evt='onBegin']/p:tn", NS)
            assert begin is not None and begin.get("val") == "2"  # with the main sequence, no click
            assert timing.find(".//p:cond[@evt='onClick']", NS) is None
            assert cmd.find(".//p:cTn", NS).get("dur") == str(mp4_duration_ms(beat.clip))
            media_node = timing.find(".//p:video/p:cMediaNode", NS)
            assert media_node.find(".//p:spTgt", NS).get("spid") == str(movie.shape_id)
            assert media_node.get("showWhenStopped") != "0"  # the last frame stays
            ids = [int(c.get("id")) for c in timing.iter(f"{P}cTn")]
            assert len(ids) == len(set(ids))


def test_timing_xml_targets_one_shape_and_has_no_invented_length():
    from lxml import etree

    xml = etree.fromstring(autoplay_timing_xml(7, None))
    assert {e.get("spid") for e in xml.iter(f"{P}spTgt")} == {"7"}
    assert xml.find(".//p:cmd/p:cBhvr/p:cTn", NS).get("dur") == "indefinite"


def test_pptx_opens_in_libreoffice_and_draws_the_poster(media, tmp_path):
    """Impress draws every slide (the page count), the poster and caption of a beat, and the
    story line without a number broken across lines: momentum's line, which at this width
    broke as "(-0.126340, -" / "0.186632)" when its minus signs were hyphens."""
    from scenes.catalog import get_story

    libreoffice, pdftoppm = shutil.which("libreoffice"), shutil.which("pdftoppm")
    assert libreoffice and pdftoppm, "LibreOffice or poppler is missing: `make test` installs them"
    line = get_story("momentum").line
    assert "(-0.126340, -0.186632)" in line
    scenes = [replace(s, line=line) if s.name == "basins" else s for s in deck(media["mp4"])]
    pptx = write_pptx(scenes, tmp_path / "slides.pptx", theme="light")
    proc = subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            str(pptx),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "pdf" / "slides.pdf"
    assert proc.returncode == 0 and pdf.is_file(), proc.stdout + proc.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1]) == 5

    def page(n: int) -> np.ndarray:
        stem = tmp_path / f"page{n}"
        subprocess.run(
            [pdftoppm, "-png", "-r", "30", "-f", str(n), "-l", str(n), "-singlefile", str(pdf), str(stem)]
        )
        return np.asarray(Image.open(f"{stem}.png").convert("RGB"), dtype=int)

    title = page(1)
    assert (title == 255).all(axis=2).mean() > 0.8  # the light theme's white background...
    assert (title.sum(axis=2) < 200).any()  # ...and dark text on it
    beat = page(2)  # the movie with its poster above the caption: the clip's background and square
    band = round(beat.shape[0] * CAPTION_BAND / 6858000)
    picture, caption = beat[: -band - 2], beat[-band + 2 :]
    assert (np.abs(picture - BACKGROUND).sum(axis=2) < 40).mean() > 0.5
    assert (np.abs(picture - COLOURS[0]).sum(axis=2) < 40).any()
    assert (caption == 255).all(axis=2).mean() > 0.7, "the caption's band is the slide's white"
    assert (caption.sum(axis=2) < 200).any(), "and the caption is drawn on it, in dark text"
    # every signed number of the story line is read back whole, sign and digits on one line
    # (pdftotext joins a line that ends in a hyphen to the next, dropping the hyphen)
    text = subprocess.run(
        ["pdftotext", "-f", "4", "-l", "4", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\u2212", "-")
    for number in re.findall(r"-\d[\d.]*", line):
        assert number in text, (number, text)


def test_a_chinese_pptx_marks_its_runs_chinese(media, tmp_path):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    scene = DeckScene(
        "risk", "风险", "两个极小值", (replace(media["mp4"][0], caption="它们停在不同处"),), "说明"
    )
    prs = Presentation(str(write_pptx([scene], tmp_path / "zh.pptx", lang="zh")))
    runs = [
        r
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
    ]
    assert len(runs) == 3
    assert {r.font._rPr.get("lang") for r in runs} == {"zh-CN"}
    assert {r.font._rPr.find(qn("a:ea")).get("typeface") for r in runs} == {"Noto Sans CJK SC"}


# ---------------------------------------------------------------------------------------------
# HTML: reveal.js


def page_refs(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(r'(?:src|poster|href)="([^"]*)"', text)


def test_the_reveal_page_names_only_files_beside_it_and_rewrites_cleanly(media, tmp_path):
    scenes = deck(media["webm"])
    page = write_html(scenes, tmp_path, theme="light")
    assert page == tmp_path / "slides.html"
    text = page.read_text(encoding="utf-8")
    refs = [r for r in page_refs(page) if r != "data:,"]
    assert len(refs) == 3 * 4 + 3  # per beat clip, poster (twice: player and print), cues; reveal's 3
    for ref in refs:
        assert not urlsplit(ref).scheme and not ref.startswith("/")
        assert (tmp_path / unquote(ref)).is_file(), ref
    assert "http" not in text.replace("http-equiv", "")  # nothing from a network
    assert text.count("<section ") == 5 and text.count('<aside class="notes">') == 5
    videos = re.findall(r"<video [^>]*>", text)
    assert len(videos) == 3 and all(
        'muted playsinline preload="auto"' in v and "loop" not in v for v in videos
    )
    tracks = re.findall(r"<track [^>]*>", text)
    assert len(tracks) == 3 and all('kind="subtitles" srclang="en"' in t for t in tracks)
    assert "&lt;and&gt;" in text  # captions are text, not markup
    assert "--r-background-color: #FFFFFF" in text and "--r-main-color: #111111" in text
    (build,) = (tmp_path / ASSETS).iterdir()
    names = {p.relative_to(build).as_posix() for p in build.rglob("*") if p.is_file()}
    assert names == {
        f"{stem}.{ext}"
        for stem in ("01-ripples-01", "01-ripples-02", "02-basins-01")
        for ext in ("webm", "png", "vtt")
    } | {"reveal/dist/reveal.js", "reveal/dist/reveal.css", "reveal/dist/plugin/notes.js", "reveal/LICENSE"}
    write_html(scenes[1:], tmp_path)  # a shorter deck leaves no stale clip behind
    (build,) = (tmp_path / ASSETS).iterdir()
    assert sorted(p.name for p in build.iterdir()) == [
        "01-basins-01.png",
        "01-basins-01.vtt",
        "01-basins-01.webm",
        "reveal",
    ]
    assert {p.name for p in tmp_path.iterdir()} == {ASSETS, "slides.html"}
    dark = reveal_deck(scenes)[0]("x").decode()  # the default theme: light text on black
    assert "--r-background-color: #000000" in dark and "--r-main-color: #EEEEEE" in dark
    assert "#FFFFFF" not in dark


def test_a_failed_write_leaves_the_older_deck_whole(media, tmp_path, monkeypatch):
    """The disk fills up as the new page is written, or as its clips are copied: the older
    page still names only files that exist, with their old bytes, and nothing new is left."""
    scenes = deck(media["mp4"])
    page = write_html(scenes, tmp_path)
    before = {ref: (tmp_path / unquote(ref)).read_bytes() for ref in page_refs(page) if ref != "data:,"}
    old_page = page.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    for target in ("write_atomic", "shutil.copyfile"):
        with monkeypatch.context() as patch:
            if target == "write_atomic":
                patch.setattr(deckfiles, "write_atomic", full)
            else:
                patch.setattr(deckfiles.shutil, "copyfile", full)
            with pytest.raises(OSError, match="No space"):
                write_html(scenes[1:], tmp_path)
        assert page.read_bytes() == old_page, target
        for ref, data in before.items():
            assert (tmp_path / unquote(ref)).read_bytes() == data, (target, ref)
        assert len(list((tmp_path / ASSETS).iterdir())) == 1, "no half-written build left"
        assert {p.name for p in tmp_path.iterdir()} == {ASSETS, "slides.html"}
    # and the next write publishes the new deck and drops the old build
    write_html(scenes[1:], tmp_path)
    assert all((tmp_path / unquote(r)).is_file() for r in page_refs(page) if r != "data:,")
    assert len(list((tmp_path / ASSETS).iterdir())) == 1


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--hide-scrollbars",
    "--window-size=1280,720",
    # every host but the deck's own server is unknown: a request to a CDN would fail
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


class DevTools:
    """Chromium driven over its DevTools protocol with one websocket: tiny, and no browser
    download or driver version to match (Debian's chromium is the one under test)."""

    def __init__(self, chromium: str, profile: Path) -> None:
        import websocket

        self.proc = subprocess.Popen(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            assert time.monotonic() < deadline and self.proc.poll() is None, "chromium did not start"
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        targets = json.load(no_proxy.open(f"http://127.0.0.1:{port}/json/list", timeout=10))
        url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.events: list[dict] = []
        self.next_id = 0

    def send(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]
            self.events.append(message)

    def js(self, expression: str):
        """The value of an expression, promises awaited."""
        result = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def key(self, key: str, code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=code)

    def click(self, x: int, y: int) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def close(self) -> None:
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=20)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, list[str]]:
    requested: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            requested.append(unquote(urlsplit(self.path).path))

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, requested


# what the presenter sees: the slide number, the current slide's caption, and its clip's state
# once it has played for a while (or null when the slide has no clip)
STATE = """(async () => {
  const slide = deck.getCurrentSlide();
  const video = slide.querySelector("video");
  const others = [...document.querySelectorAll(".reveal video")].filter(v => v !== video);
  let clip = null;
  if (video) {
    const t0 = performance.now();
    while (video.currentTime < 0.5 && !video.error && performance.now() - t0 < 8000)
      await new Promise(r => setTimeout(r, 50));
    clip = {time: video.currentTime, width: video.videoWidth, loop: video.loop, paused: video.paused,
            error: video.error && video.error.code, src: video.getAttribute("src")};
  }
  const caption = slide.querySelector("p.caption");
  return {number: document.querySelector(".slide-number").innerText.trim(), hash: location.hash,
          index: deck.getIndices().h, caption: caption && caption.innerText.trim(),
          title: (slide.querySelector("h1") || {}).innerText, clip,
          othersPaused: others.every(v => v.paused)};
})()"""

# every clip's subtitles: the track's cues once Chromium has loaded them
CUES = """(async () => {
  const counts = [];
  for (const video of document.querySelectorAll(".reveal video")) {
    const track = video.textTracks[0];
    track.mode = "hidden";
    const t0 = performance.now();
    while ((!track.cues || !track.cues.length) && performance.now() - t0 < 8000)
      await new Promise(r => setTimeout(r, 50));
    counts.push({lang: track.language, kind: track.kind,
                 cues: track.cues ? [...track.cues].map(c => c.text) : null});
  }
  return counts;
})()"""


def wait_for(browser: DevTools, expression: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not browser.js(expression):
        assert time.monotonic() < deadline, expression
        time.sleep(0.05)


def key(browser: DevTools, name: str, code: int, text: str | None = None) -> None:
    for kind in ("keyDown", "keyUp"):
        params = {
            "type": kind,
            "key": name,
            "code": f"Key{name.upper()}" if len(name) == 1 else name,
            "windowsVirtualKeyCode": code,
        }
        if text and kind == "keyDown":
            params["text"] = text
        browser.send("Input.dispatchKeyEvent", **params)


@pytest.mark.parametrize("kind", ["mp4", "webm"])  # roll slides ships H.264 mp4
def test_reveal_deck_presents_offline_in_chromium(media, tmp_path, kind):
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is missing: `make test` installs it"
    scenes = deck(media[kind])
    site = tmp_path / "site"
    write_html(scenes, site)
    server, requested = serve(site)
    origin = f"http://127.0.0.1:{server.server_port}"
    browser = DevTools(chromium, tmp_path / "chromium")
    try:
        browser.send("Network.enable")
        browser.send("Page.enable")
        browser.send("Page.navigate", url=f"{origin}/slides.html#/2")
        wait_for(browser, "typeof deck === 'object' && deck.isReady()")

        first = browser.js(STATE)  # #/2 opens the first beat, and its clip plays
        assert first["index"] == 1 and first["number"].replace(" ", "") == "2/5"
        assert first["caption"] == CAPTIONS[0]
        clip = first["clip"]
        assert clip["error"] is None and clip["width"] == W and clip["time"] >= 0.5 and not clip["loop"]

        browser.key("ArrowRight", 39)  # the next beat, its clip from the start; the first one stops
        second = browser.js(STATE)
        assert second["number"].replace(" ", "") == "3/5"
        wait_for(browser, "location.hash === '#/3'")  # the address names the slide, for a link
        assert second["caption"] == CAPTIONS[1] and second["othersPaused"]
        assert second["clip"]["src"].endswith(f"01-ripples-02.{kind}") and second["clip"]["time"] >= 0.5
        # V pauses the clip and V resumes it
        key(browser, PAUSE_KEY[0].lower(), PAUSE_KEY[1], PAUSE_KEY[0].lower())
        paused = browser.js(
            "(() => { const v = deck.getCurrentSlide().querySelector('video');"
            " return {paused: v.paused, t: v.currentTime}; })()"
        )
        assert paused["paused"]
        time.sleep(0.3)
        assert browser.js("deck.getCurrentSlide().querySelector('video').currentTime") == paused["t"]
        key(browser, PAUSE_KEY[0].lower(), PAUSE_KEY[1], PAUSE_KEY[0].lower())
        assert browser.js("!deck.getCurrentSlide().querySelector('video').paused")
        ended = browser.js(
            """new Promise(r => { const v = deck.getCurrentSlide().querySelector('video');
            v.ended ? r(true) : v.addEventListener('ended', () => r(true));
            setTimeout(() => r(false), 8000); })"""
        )
        assert ended  # it stops at its end, on its last frame (no loop, no rewind)
        time.sleep(0.3)
        assert browser.js("deck.getCurrentSlide().querySelector('video').currentTime") > 1.9

        browser.key("ArrowRight", 39)  # the second scene's title slide
        title = browser.js(STATE)
        assert title["index"] == 3 and title["clip"] is None and title["title"] == "Two basins"
        browser.key("ArrowLeft", 37)  # back: the clip plays again from its start
        again = browser.js(STATE)
        assert again["index"] == 2 and not again["clip"]["paused"] and again["clip"]["time"] < 1.9

        # what a presenter uses: the speaker-notes plugin, overview, help, progress
        assert browser.js("deck.hasPlugin('notes') && typeof deck.getPlugin('notes').open === 'function'")
        notes = "[...deck.getSlides()[%d].querySelectorAll('aside.notes p')].map(p => p.textContent)"
        assert browser.js(notes % 1) == [CAPTIONS[0], NOTES[0]]
        assert browser.js(notes % 0) == [scenes[0].line, scenes[0].notes]
        assert browser.js("!!deck.getSlideNotes(deck.getSlides()[4])")
        key(browser, "o", 79, "o")
        wait_for(browser, "deck.isOverview()")
        key(browser, "o", 79, "o")
        wait_for(browser, "!deck.isOverview()")
        assert browser.js("!!document.querySelector('.reveal .progress') && deck.getConfig().slideNumber")
        browser.js("deck.toggleHelp(true)")
        help_text = browser.js("document.querySelector('.r-overlay-help').innerText")
        assert "Pause or resume the clip" in help_text and "F" in help_text

        cues = browser.js(CUES)  # subtitles: a track per clip, a cue per beat, in the deck's language
        assert [c["cues"] for c in cues] == [[c] for c in CAPTIONS]
        assert {(c["lang"], c["kind"]) for c in cues} == {("en", "subtitles")}

        # printed: a page per slide
        browser.send("Page.navigate", url=f"{origin}/slides.html?print-pdf")
        wait_for(
            browser,
            "document.querySelectorAll('.pdf-page').length === 5"
            " && [...document.images].every(i => i.complete)",
        )
        printed = browser.send("Page.printToPDF", printBackground=True, preferCSSPageSize=True)
        urls = [
            e["params"]["request"]["url"]
            for e in browser.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
    finally:
        browser.close()
        server.shutdown()
    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(base64.b64decode(printed["data"]))
    assert pdf_pages(pdf) == 5
    assert urls and all(u.startswith(origin + "/") or u.startswith("data:") for u in urls), urls
    assert requested and "/slides.html" in requested
    for path in requested:
        assert (site / path.lstrip("/")).resolve().is_relative_to(site.resolve()), path
        assert (site / path.lstrip("/")).is_file(), path
    assert any(p.endswith(f".{kind}") for p in requested)
    assert any(p.endswith("plugin/notes.js") for p in requested)


def test_the_handout_has_a_page_per_beat_and_a_title_page_per_scene(media, tmp_path):
    scenes = deck(media["mp4"])
    pdf = write_handout(scenes, tmp_path / "out", "light")
    assert pdf == tmp_path / "out" / "slides.pdf" and [p.name for p in pdf.parent.iterdir()] == ["slides.pdf"]
    assert pdf_pages(pdf) == slide_count(scenes)
    pages = iter(range(1, slide_count(scenes) + 1))
    for scene in scenes:
        text = " ".join(pdf_text(pdf, next(pages)).split())
        assert scene.title in text and scene.line in text and scene.notes in text
        for beat in scene.beats:
            n = next(pages)
            text = " ".join(pdf_text(pdf, n).split())
            assert beat.caption in text and beat.notes in text, (n, text)
            # the poster, printed: the page shows the beat's last frame (its square at the right)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "30",
                    "-f",
                    str(n),
                    "-l",
                    str(n),
                    "-singlefile",
                    str(pdf),
                    str(tmp_path / "page"),
                ],
                check=True,
            )
            img = np.asarray(Image.open(tmp_path / "page.png").convert("RGB"), dtype=int)
            colour = COLOURS[CAPTIONS.index(beat.caption)]
            hits = np.argwhere(np.abs(img - colour).sum(axis=2) < 60)
            assert len(hits) and hits[:, 1].mean() > img.shape[1] * 0.55, "the square where the clip ends"


def test_the_writers_import_without_manim_or_pptx():
    """The command line imports this module on every run: it stays quick."""
    code = (
        "import sys, scenes.cli.decks, scenes.cli.reveal_deck; "
        "print(sorted({'manim', 'pptx', 'av'} & set(sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert proc.stdout.strip() == "[]"


def test_a_warning_caption_keeps_its_colour_and_every_colour_its_contrast(media, tmp_path):
    """A beat whose caption warns (the run diverged, left the domain) says so in the warning
    colour on the slide, as the video does; text, muted text and warnings keep 4.5:1."""
    from dataclasses import replace

    from manim import ManimColor
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    from scenes.cli.deckfiles import THEMES
    from scenes.kit.palette import contrast

    for name, theme in THEMES.items():
        for ink in (theme.text, theme.muted, theme.warn):
            assert contrast(ManimColor(f"#{ink}"), ManimColor(f"#{theme.background}")) >= 4.5, (name, ink)
    calm, alarm = media["mp4"][0], replace(media["mp4"][1], warn=True)
    scenes = [DeckScene("ripples", "Escaping ripples", "line", (calm, alarm))]
    page = reveal_deck(scenes, theme="light")[0]("x").decode()
    assert re.findall(r'<p class="caption( warn)?">([^<]*)</p>', page) == [
        ("", html_escape(calm.caption)),
        (" warn", html_escape(alarm.caption)),
    ]
    assert f"p.caption.warn {{ color: #{THEMES['light'].warn}; }}" in page
    deck = Presentation(str(write_pptx(scenes, tmp_path / "w.pptx", theme="light")))
    inks = []
    for slide in list(deck.slides)[1:]:
        (box,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.TEXT_BOX]
        inks.append(str(box.text_frame.paragraphs[0].runs[0].font.color.rgb))
    assert inks == [THEMES["light"].text, THEMES["light"].warn]


def html_escape(text: str) -> str:
    import html

    return html.escape(text)
