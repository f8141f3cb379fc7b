"""The HTML deck on reveal.js, and the PDF handout Chromium prints from it.

The deck is one folder: `slides.html` and `slides_files/<build>/`, which holds the beats'
clips, posters and subtitles and the reveal.js files it uses, copied from npm's `reveal.js`
package (fetched by scripts/bootstrap.sh into .vendor/). Nothing comes from a network.
reveal.js gives what a presenter uses: the speaker view (S: the caption, the notes, the next
slide, a timer), the overview (O, Esc), fullscreen (F), the progress bar and slide numbers,
the keyboard help (?), and printing (`slides.html?print-pdf`, a page per slide). A beat's clip
plays when its slide opens and stops on its last frame; V pauses and resumes it.

The handout (`roll slides --to pdf`) is that deck printed by Chromium with `?print-pdf&handout`:
a page per slide, where each beat's page shows its poster (the beat's last frame), its caption
and its notes as text.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import quote

from scenes.cli.deckfiles import (
    PAGE_LANGS,
    DeckScene,
    beat_vtt,
    check_scenes,
    publish_page,
    safe_name,
    theme_of,
    write_atomic,
)

ASSETS = "slides_files"  # beside slides.html: one build folder of clips, posters and reveal.js
REVEAL_VERSION = "6.0.2"
REVEAL_ENV = "ROLL_REVEAL_DIR"  # a reveal.js package folder, instead of the set-up's .vendor/
CHROMIUM_ENV = "ROLL_CHROMIUM"  # the Chromium that prints the handout, instead of the one on PATH
# the files of npm's package a deck uses (its MIT licence travels with them)
REVEAL_FILES = ("dist/reveal.js", "dist/reveal.css", "dist/plugin/notes.js", "LICENSE")
PAUSE_KEY = ("V", 86)  # pauses and resumes the clip; reveal.js's own pause (blackout) is B and "."

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{assets}/reveal/dist/reveal.css">
<style>
  :root {{ --r-background-color: #{bg}; --r-main-color: #{fg}; --r-heading-color: #{fg};
           --r-link-color: #{fg}; --r-main-font: {fonts}; --r-heading-font: {fonts};
           --r-main-font-size: 32px; --r-selection-background-color: #{muted};
           --r-selection-color: #{bg}; --r-overlay-element-bg-color: {overlay_bg};
           --r-overlay-element-fg-color: {overlay_fg}; }}
  .reveal-viewport {{ background: #{bg}; }}
  .reveal {{ font-family: {fonts}; color: #{fg}; }}
  .reveal .progress {{ color: #{muted}; }}
  .reveal .controls {{ color: #{muted}; }}
  .reveal .slide-number {{ background: transparent; color: #{muted}; font-size: 16px; }}
  .reveal .slides section {{ height: 100%; box-sizing: border-box; }}
  .reveal section.title h1 {{ font-size: 64px; margin: 150px 40px 40px; line-height: 1.2; }}
  .reveal section.title p.line {{ font-size: 30px; margin: 0 80px; color: #{muted}; }}
  .reveal section.beat {{ display: flex !important; flex-direction: column; align-items: center;
                          justify-content: flex-start; padding: 0; }}
  .reveal section.beat video, .reveal section.beat img.poster {{ display: block; width: 100%;
      height: 600px; max-width: none; max-height: none; object-fit: contain; margin: 0;
      background: #{bg}; }}
  .reveal section.beat img.poster {{ display: none; }}
  .reveal section.beat p.caption {{ margin: 16px 40px 0; font-size: 30px; line-height: 1.3; }}
  .reveal section.beat p.caption.warn {{ color: #{warn}; }}
  .reveal .printed-notes {{ display: none; }}
  /* printed (?print-pdf): the poster, not the player; a handout (&handout) adds the notes */
  html.print-pdf .reveal section.beat video {{ display: none; }}
  html.print-pdf .reveal section.beat img.poster {{ display: block; }}
  html.handout .reveal section.beat video, html.handout .reveal section.beat img.poster {{
      height: 500px; }}
  html.handout .reveal .printed-notes {{ display: block; margin: 12px 60px 0; font-size: 20px;
      line-height: 1.35; color: #{muted}; text-align: left; white-space: pre-line; }}
  html.handout .reveal section.title h1 {{ margin-top: 110px; }}
</style>
</head>
<body>
<div class="reveal"><div class="slides">
{slides}
</div></div>
<script src="{assets}/reveal/dist/reveal.js"></script>
<script src="{assets}/reveal/dist/plugin/notes.js"></script>
<script>
(() => {{
  "use strict";
  const query = new URLSearchParams(location.search);
  if (query.has("handout")) document.documentElement.classList.add("handout");
  const printing = /print-pdf/i.test(location.search);
  const deck = new Reveal({{
    hash: true, hashOneBasedIndex: true, respondToHashChanges: true, history: false,
    controls: true, progress: true, slideNumber: "c/t", showSlideNumber: "all",
    overview: true, help: true, keyboard: true, touch: true, center: false,
    width: 1280, height: 720, margin: 0.02, transition: "none", backgroundTransition: "none",
    autoPlayMedia: false, preloadIframes: false, pdfMaxPagesPerSlide: 1,
    pdfSeparateFragments: false, plugins: [RevealNotes],
  }});
  // The clip of the slide on screen plays from its start and, not looping, stops on its last
  // frame; every other clip stops. (reveal.js's autoplay is off: it would rewind on resize.)
  const play = () => {{
    if (printing) return;
    const here = deck.getCurrentSlide();
    for (const video of document.querySelectorAll(".reveal video")) {{
      if (!here || !here.contains(video)) video.pause();
    }}
    const video = here && here.querySelector("video");
    if (video) {{
      video.currentTime = 0;
      const started = video.play();
      if (started) started.catch(() => {{}});
    }}
  }};
  deck.on("ready", play);
  deck.on("slidechanged", play);
  deck.initialize().then(() => {{
    deck.addKeyBinding({{ keyCode: {key_code}, key: "{key}", description: {key_help} }}, () => {{
      const video = deck.getCurrentSlide().querySelector("video");
      if (!video) return;
      if (video.paused && !video.ended) {{
        const resumed = video.play();
        if (resumed) resumed.catch(() => {{}});
      }} else video.pause();
    }});
  }});
  window.deck = deck;
}})();
</script>
</body>
</html>
"""


class ToolMissing(RuntimeError):
    """A deck needs a program or package that is not installed; the message says how to get it."""


def reveal_dir() -> Path:
    """The reveal.js package the decks copy from: $ROLL_REVEAL_DIR, else the set-up's .vendor/."""
    chosen = os.environ.get(REVEAL_ENV)
    root = Path(__file__).resolve().parents[2]
    path = Path(chosen) if chosen else root / ".vendor" / "node_modules" / "reveal.js"
    where = f"${REVEAL_ENV}={chosen}" if chosen else str(path)
    try:
        version = json.loads((path / "package.json").read_text(encoding="utf-8")).get("version", "")
    except (OSError, ValueError):
        raise ToolMissing(
            f"reveal.js is missing ({where}): run `make setup` (it fetches reveal.js {REVEAL_VERSION} "
            "with npm), or set ROLL_REVEAL_DIR to an npm reveal.js 6 package"
        ) from None
    if not version.startswith("6."):
        raise ToolMissing(f"reveal.js {version} at {where}: the decks need reveal.js 6; run `make setup`")
    missing = [f for f in REVEAL_FILES if not (path / f).is_file()]
    if missing:
        raise ToolMissing(f"reveal.js at {where} lacks {', '.join(missing)}: run `make setup` again")
    return path


def chromium() -> str:
    """The Chromium that prints handouts: $ROLL_CHROMIUM, else chromium on PATH."""
    chosen = os.environ.get(CHROMIUM_ENV)
    for name in [chosen] if chosen else ["chromium", "chromium-browser", "google-chrome"]:
        found = shutil.which(name)
        if found:
            return found
    raise ToolMissing(
        f"no Chromium to print the handout with ({'$' + CHROMIUM_ENV + '=' + chosen if chosen else 'PATH'}): "
        "apt-get install chromium, or set ROLL_CHROMIUM"
    )


# where the assets' folder goes in the slides: a mark no escaped text holds (html.escape
# never writes a NUL, and a caption holds none), so a caption's own "{assets}" stays its words
ASSETS_MARK = "\0assets\0"


def reveal_deck(
    scenes: Sequence[DeckScene], theme: str = "dark", lang: str = "en"
) -> tuple[Callable[[str], bytes], dict[str, Path | bytes]]:
    """The deck's page (a function of the folder its files are in) and its files (name in that
    folder -> source path or bytes), without writing. The page's own words are in `lang`."""
    from scenes.words.i18n import _, use_language

    use_language(lang)
    colours = theme_of(theme)
    page_lang, fonts = PAGE_LANGS.get(lang, PAGE_LANGS["en"])
    files: dict[str, Path | bytes] = {}
    reveal = reveal_dir()
    for name in REVEAL_FILES:
        files[f"reveal/{name}"] = reveal / name
    language = _("English") if lang == "en" else _("Chinese")
    parts: list[str] = []

    total = sum(1 + len(s.beats) for s in scenes)

    def section(body: str, cls: str, scene: DeckScene, said: str, notes: str) -> None:
        """A slide; the speaker view shows what the slide says, then the notes; a handout
        prints the notes under the slide's own words."""
        # a paragraph per line: the speaker view shows the notes as HTML
        spoken = "".join(f"<p>{html.escape(line)}</p>" for p in (said, notes) if p for line in p.split("\n"))
        label = html.escape(_("slide {number} of {total}").format(number=len(parts) + 1, total=total))
        parts.append(
            f'<section class="{cls}" data-scene="{html.escape(scene.name)}" aria-label="{label}">\n{body}\n'
            f'  <div class="printed-notes">{html.escape(notes)}</div>\n'
            f'  <aside class="notes">{spoken}</aside>\n</section>'
        )

    for i, scene in enumerate(scenes, 1):
        section(
            f'  <h1>{html.escape(scene.title)}</h1>\n  <p class="line">{html.escape(scene.line)}</p>',
            "title",
            scene,
            scene.line,
            scene.notes,
        )
        for k, beat in enumerate(scene.beats, 1):
            stem = f"{i:02d}-{safe_name(scene.name)}-{k:02d}"
            clip = f"{stem}{Path(beat.clip).suffix.lower()}"
            poster = f"{stem}{Path(beat.poster).suffix.lower()}"
            files[clip], files[poster] = Path(beat.clip), Path(beat.poster)
            files[f"{stem}.vtt"] = beat_vtt(beat).encode("utf-8")
            src, still, cues = (f"{ASSETS_MARK}/{quote(n)}" for n in (clip, poster, f"{stem}.vtt"))
            warn = " warn" if beat.warn else ""
            section(
                f'  <video src="{src}" poster="{still}" muted playsinline preload="auto">\n'
                f'    <track kind="subtitles" srclang="{page_lang}" label="{html.escape(language)}" '
                f'src="{cues}">\n  </video>\n'
                f'  <img class="poster" src="{still}" alt="">\n'
                f'  <p class="caption{warn}">{html.escape(beat.caption)}</p>',
                "beat",
                scene,
                beat.caption,
                beat.notes,
            )
    slides = "\n".join(parts)
    title = " · ".join(s.title for s in scenes[:3]) + (" …" if len(scenes) > 3 else "")
    help_text = _("Pause or resume the clip")

    def page(assets: str) -> bytes:
        text = PAGE.format(
            lang=page_lang,
            title=html.escape(title),
            assets=html.escape(quote(assets)),
            bg=colours.background,
            fg=colours.text,
            muted=colours.muted,
            warn=colours.warn,
            fonts="system-ui, " + fonts,
            overlay_bg="0, 0, 0" if theme == "dark" else "255, 255, 255",
            overlay_fg="255, 255, 255" if theme == "dark" else "0, 0, 0",
            slides=slides.replace(ASSETS_MARK, html.escape(quote(assets))),
            key=PAUSE_KEY[0],
            key_code=PAUSE_KEY[1],
            key_help=json.dumps(help_text),
        )
        return text.encode("utf-8")

    return page, files


def write_html(scenes: Sequence[DeckScene], out_dir: Path, theme: str = "dark", lang: str = "en") -> Path:
    """Write out_dir/slides.html and its files under out_dir/slides_files/: the deck runs from a
    USB stick or a lecture-hall PC with no network. Published whole: a failed write leaves the
    older deck working. Returns the page's path."""
    check_scenes(scenes)
    theme_of(theme)
    page, files = reveal_deck(scenes, theme, lang)
    return publish_page(Path(out_dir), "slides.html", ASSETS, page, files)


class _Pipe:
    """Chromium's DevTools protocol over `--remote-debugging-pipe` (JSON messages ended by NUL on
    its fds 3 and 4): no port, no websocket library, and it ends with the browser."""

    def __init__(self, argv: list[str], deadline: float) -> None:
        self.deadline = deadline
        import fcntl

        reads, self._send = os.pipe()
        self._recv, writes = os.pipe()
        # above the fds the child gets them on, so that neither dup2 below overwrites the other
        to_chrome, from_chrome = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (reads, writes))
        os.close(reads)
        os.close(writes)

        def fds() -> None:  # in the child: the pipes as the fds Chromium reads and writes
            os.dup2(to_chrome, 3)  # dup2 onto another fd makes it inheritable
            os.dup2(from_chrome, 4)

        self.proc = subprocess.Popen(
            [*argv, "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=fds,
            close_fds=False,  # fds 3 and 4 must reach it; Python's own fds close on exec anyway
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self._buffer = b""
        self._id = 0

    def call(self, method: str, session: str | None = None, **params) -> dict:
        import select
        import time

        self._id += 1
        message = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._id:
                    if "error" in reply:
                        raise RuntimeError(f"Chromium: {method}: {reply['error'].get('message')}")
                    return reply.get("result", {})
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"Chromium did not answer {method} in time")
            ready, _, _ = select.select([self._recv], [], [], left)
            chunk = os.read(self._recv, 1 << 20) if ready else b""
            if ready and not chunk:
                raise RuntimeError(f"Chromium ended before answering {method}")
            self._buffer += chunk

    def close(self) -> None:
        try:
            os.write(self._send, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._send)
        os.close(self._recv)


# reveal.js has laid every slide out on its own page, and every poster and font is loaded
PRINT_READY = """new Promise(done => {
  const t0 = Date.now();
  (function wait() {
    const pages = document.querySelectorAll(".pdf-page").length;
    const ok = pages >= %d && [...document.images].every(i => i.complete)
      && document.fonts.status === "loaded";
    if (ok || Date.now() - t0 > %d) done(pages); else setTimeout(wait, 50);
  })();
})"""


def print_pdf(page: Path, dest: Path, pages: int, query: str = "print-pdf", timeout: float = 120) -> Path:
    """Chromium prints the page in reveal.js's print layout (`?print-pdf`) to dest, atomically.

    Headless, every host unresolvable (the deck needs none), a profile of its own; it prints
    once reveal.js has laid out all `pages` slides and the posters are loaded (a fixed wait
    printed an empty page now and then)."""
    import base64
    import time

    browser = chromium()
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="roll-print-") as tmp:
        argv = [
            browser,
            "--headless",
            "--no-sandbox",  # as root in a container Chromium refuses to start without it
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "about:blank",
        ]
        pipe = _Pipe(argv, deadline)
        try:
            target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
            session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            pipe.call("Page.enable", session)
            pipe.call("Page.navigate", session, url=f"{page.resolve().as_uri()}?{query}")
            wait_ms = max(1000, int((deadline - time.monotonic() - 5) * 1000))
            laid_out = pipe.call(
                "Runtime.evaluate",
                session,
                expression=PRINT_READY % (pages, wait_ms),
                awaitPromise=True,
                returnByValue=True,
            )["result"].get("value")
            if laid_out != pages:
                raise RuntimeError(f"reveal.js laid out {laid_out} of {pages} pages of {page.name}")
            data = base64.b64decode(
                pipe.call("Page.printToPDF", session, printBackground=True, preferCSSPageSize=True)["data"]
            )
        finally:
            pipe.close()
    return write_atomic(dest, lambda out: out.write(data))


def write_handout(scenes: Sequence[DeckScene], out_dir: Path, theme: str = "light", lang: str = "en") -> Path:
    """Write out_dir/slides.pdf: the reveal deck printed by Chromium in its handout layout, a
    page per slide (per scene a title page, then a page per beat: poster, caption, notes)."""
    check_scenes(scenes)
    theme_of(theme)
    chromium()
    page, files = reveal_deck(scenes, theme, lang)
    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="roll-handout-") as tmp:
        deck = publish_page(Path(tmp), "slides.html", ASSETS, page, files)
        pages = sum(1 + len(s.beats) for s in scenes)
        return print_pdf(deck, out_dir / "slides.pdf", pages, "print-pdf&handout")
