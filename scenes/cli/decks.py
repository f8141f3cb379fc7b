"""The two slide decks `roll slides` writes, as pure functions over files: a PowerPoint deck
(python-pptx) and an offline HTML deck. Both take the same scenes, split into beats (a caption
opens each beat, and its clip shows what the caption says), so the slides, the speaker notes
and the captions come from one source. Each caption is on its slide once, as text under the
clip (the clips carry no caption of their own): editable in the pptx, selectable and
translatable in the page.

No manim here: this module runs on the command-line side after the clips are rendered, and it
must import quickly. python-pptx is imported only when a pptx deck is written.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote


@dataclass(frozen=True)
class Beat:
    """One step of a scene's story: the caption that opens it and the clip that shows it."""

    caption: str  # the caption that opens the beat: the slide's text, and its speaker notes
    clip: Path  # the beat's video clip (H.264 mp4 from roll slides; the HTML deck plays webm too)
    poster: Path  # a PNG of the beat's last frame (roll slides): what a printed deck shows
    warn: bool = False  # the caption warns (a run that diverged, left the domain, ...), as on screen


@dataclass(frozen=True)
class DeckScene:
    """A scene as a deck shows it: a title slide (title and story line), then its beats."""

    name: str  # e.g. "ripples"
    title: str  # e.g. "Optimization and deep learning: ripples"
    line: str  # the story line (or the run's settings), one sentence
    beats: tuple[Beat, ...]


@dataclass(frozen=True)
class Theme:
    background: str  # hex colours, "RRGGBB"
    text: str
    muted: str  # story lines, the counter: still >= 4.5:1 against the background
    warn: str  # a warning caption: >= 4.5:1 against the background too


THEMES = {
    "dark": Theme(background="000000", text="EEEEEE", muted="B0B0B0", warn="FF8A65"),
    "light": Theme(background="FFFFFF", text="111111", muted="505050", warn="B3261E"),
}

ASSETS = "slides_files"  # the HTML deck's clips and posters, beside slides.html


def theme_of(name: str) -> Theme:
    """The theme's colours; an unknown name is an error, not a silent fallback to dark."""
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}: choose one of {', '.join(THEMES)}") from None


def _check(scenes: Sequence[DeckScene]) -> None:
    """Fail before writing anything: a deck with no scenes or a missing file is a caller's bug."""
    if not scenes:
        raise ValueError("a deck needs at least one scene")
    for scene in scenes:
        for beat in scene.beats:
            for path in (beat.clip, beat.poster):
                if not Path(path).is_file():
                    raise FileNotFoundError(f"{scene.name}: no such file {path}")


def _publish(tmp: str, dest: Path) -> None:
    """Rename a finished temporary file over dest, readable as any other file (mkstemp makes 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, dest)


def _write_atomic(dest: Path, write) -> Path:
    """Write dest through a temporary file in its folder, then rename: whole or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        _publish(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header, so the movie keeps the clip's aspect without Pillow."""
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise ValueError(f"{path} is not a PNG")
    return struct.unpack(">II", head[16:24])


def mp4_duration_ms(path: Path) -> int | None:
    """The movie's length from its `moov/mvhd` box, or None when the file is not an MP4.

    PowerPoint writes the clip's length on the play command's time node; only the boxes'
    headers are read (the media data is skipped), so a long clip costs nothing.
    """

    def boxes(f, end: int):
        while f.tell() + 8 <= end:
            start = f.tell()
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:
                size = struct.unpack(">Q", f.read(8))[0]
            elif size == 0:
                size = end - start
            if size < 8:
                return
            yield kind, start, f.tell(), start + size
            f.seek(start + size)

    with open(path, "rb") as f:
        end = f.seek(0, os.SEEK_END)
        f.seek(0)
        for kind, _, body, stop in boxes(f, end):
            if kind != b"moov":
                continue
            f.seek(body)
            for inner, _, ibody, _ in boxes(f, stop):
                if inner != b"mvhd":
                    continue
                f.seek(ibody)
                version = f.read(1)[0]
                f.read(3)
                if version == 1:
                    f.read(16)
                    timescale, duration = struct.unpack(">IQ", f.read(12))
                else:
                    f.read(8)
                    timescale, duration = struct.unpack(">II", f.read(8))
                return round(duration * 1000 / timescale) if timescale else None
    return None


# ---------------------------------------------------------------------------------------------
# PowerPoint

# python-pptx's movie is click-to-play (its timing holds only a `p:video` node waiting on an
# "indefinite" start). This is the tree PowerPoint writes for a video set to "Start:
# Automatically": the main sequence's first step begins with the sequence itself (`onBegin`
# of time node 2) and holds one `mediacall` effect, an after-effect that calls playFrom(0.0)
# on the movie's shape. The `p:video` node keeps the player; it has no showWhenStopped="0"
# (that would hide the movie after it ends) and the slide sets no rewind, so the last frame
# stays on screen.
AUTOPLAY_TIMING = """<p:timing xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">
  <p:tnLst>
    <p:par>
      <p:cTn id="1" dur="indefinite" restart="never" nodeType="tmRoot">
        <p:childTnLst>
          <p:seq concurrent="1" nextAc="seek">
            <p:cTn id="2" dur="indefinite" nodeType="mainSeq">
              <p:childTnLst>
                <p:par>
                  <p:cTn id="3" fill="hold">
                    <p:stCondLst>
                      <p:cond delay="indefinite"/>
                      <p:cond evt="onBegin" delay="0"><p:tn val="2"/></p:cond>
                    </p:stCondLst>
                    <p:childTnLst>
                      <p:par>
                        <p:cTn id="4" fill="hold">
                          <p:stCondLst><p:cond delay="0"/></p:stCondLst>
                          <p:childTnLst>
                            <p:par>
                              <p:cTn id="5" presetID="1" presetClass="mediacall" presetSubtype="0"
                                     fill="hold" nodeType="afterEffect">
                                <p:stCondLst><p:cond delay="0"/></p:stCondLst>
                                <p:childTnLst>
                                  <p:cmd type="call" cmd="playFrom(0.0)">
                                    <p:cBhvr>
                                      <p:cTn id="6" dur="{dur}" fill="hold"/>
                                      <p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl>
                                    </p:cBhvr>
                                  </p:cmd>
                                </p:childTnLst>
                              </p:cTn>
                            </p:par>
                          </p:childTnLst>
                        </p:cTn>
                      </p:par>
                    </p:childTnLst>
                  </p:cTn>
                </p:par>
              </p:childTnLst>
            </p:cTn>
            <p:prevCondLst>
              <p:cond evt="onPrev" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond>
            </p:prevCondLst>
            <p:nextCondLst>
              <p:cond evt="onNext" delay="0"><p:tgtEl><p:sldTgt/></p:tgtEl></p:cond>
            </p:nextCondLst>
          </p:seq>
          <p:video>
            <p:cMediaNode vol="80000">
              <p:cTn id="7" fill="hold" display="0">
                <p:stCondLst><p:cond delay="indefinite"/></p:stCondLst>
              </p:cTn>
              <p:tgtEl><p:spTgt spid="{spid}"/></p:tgtEl>
            </p:cMediaNode>
          </p:video>
        </p:childTnLst>
      </p:cTn>
    </p:par>
  </p:tnLst>
</p:timing>"""

SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 x 7.5 in: PowerPoint's 16:9


def autoplay_timing_xml(spid: int, dur_ms: int | None) -> str:
    """The slide timing that starts shape `spid` by itself when its slide opens."""
    return AUTOPLAY_TIMING.format(spid=int(spid), dur="indefinite" if dur_ms is None else int(dur_ms))


def _fit(width: int, height: int, room: int = SLIDE_H) -> tuple[int, int, int, int]:
    """The largest box of the clip's aspect that fits the top `room` of the slide, centred in it."""
    scale = min(SLIDE_W / width, room / height)
    w, h = round(width * scale), round(height * scale)
    return (SLIDE_W - w) // 2, (room - h) // 2, w, h


CAPTION_BAND = SLIDE_H // 7  # the caption's text box under the clip: two lines at 20 pt
CAPTION_PT = 20
# the deck's text font per language; a Chinese deck names the simplified-Chinese face for its
# East Asian runs, or Impress and PowerPoint may pick a Japanese one
PPTX_FONTS = {"zh": "Noto Sans CJK SC"}


def write_pptx(scenes: Sequence[DeckScene], dest: Path, theme: str = "dark", lang: str = "en") -> Path:
    """Write a PowerPoint deck to dest: per scene a title slide, then a slide per beat whose clip
    fills the slide above its caption, shows the beat's poster until it plays, starts by itself
    when the slide opens and keeps its last frame. The caption is an editable text box under the
    clip and the slide's speaker notes. The clips are embedded: the file travels alone."""
    from lxml import etree
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Pt

    colours = theme_of(theme)
    _check(scenes)
    dest = Path(dest)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    title_layout, blank_layout = prs.slide_layouts[0], prs.slide_layouts[6]

    def paint(slide) -> None:
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(colours.background)

    east_asian = PPTX_FONTS.get(lang)

    def put_text(
        shape, text: str, size: int, colour: str, box: tuple[int, int, int, int], bold=False
    ) -> None:
        shape.left, shape.top, shape.width, shape.height = (Emu(v) for v in box)
        shape.text_frame.word_wrap = True
        shape.text_frame.text = text
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(size)
                run.font.color.rgb = RGBColor.from_string(colour)
                run.font.bold = bold
                if east_asian:
                    props = run.font._rPr
                    ea = props.find(qn("a:ea"))
                    if ea is None:
                        ea = etree.SubElement(props, qn("a:ea"))
                    ea.set("typeface", east_asian)

    margin = SLIDE_W // 16
    wide = SLIDE_W - 2 * margin
    for scene in scenes:
        slide = prs.slides.add_slide(title_layout)
        paint(slide)
        title, subtitle = slide.placeholders[0], slide.placeholders[1]
        put_text(title, scene.title, 44, colours.text, (margin, SLIDE_H * 2 // 9, wide, SLIDE_H // 4), True)
        put_text(subtitle, scene.line, 24, colours.muted, (margin, SLIDE_H // 2, wide, SLIDE_H // 4))
        for k, beat in enumerate(scene.beats, 1):
            slide = prs.slides.add_slide(blank_layout)
            paint(slide)
            left, top, width, height = _fit(*png_size(beat.poster), SLIDE_H - CAPTION_BAND)
            movie = slide.shapes.add_movie(
                str(beat.clip),
                Emu(left),
                Emu(top),
                Emu(width),
                Emu(height),
                poster_frame_image=str(beat.poster),
                mime_type="video/mp4",
            )
            movie.name = f"{scene.name} beat {k}"
            # replace python-pptx's click-to-play timing, in its place in the slide's schema order
            clicked = slide._element.get_or_add_timing()
            xml = autoplay_timing_xml(movie.shape_id, mp4_duration_ms(beat.clip))
            clicked.addprevious(etree.fromstring(xml, etree.XMLParser(remove_blank_text=True)))
            clicked.getparent().remove(clicked)
            box = slide.shapes.add_textbox(Emu(margin), Emu(top + height), Emu(wide), Emu(CAPTION_BAND))
            box.name = f"{scene.name} caption {k}"
            ink = colours.warn if beat.warn else colours.text
            put_text(box, beat.caption, CAPTION_PT, ink, (margin, top + height, wide, CAPTION_BAND))
            box.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
            slide.notes_slide.notes_text_frame.text = beat.caption
    dest.parent.mkdir(parents=True, exist_ok=True)
    return _write_atomic(dest, prs.save)


# ---------------------------------------------------------------------------------------------
# HTML

HTML_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>
  html, body {{ margin: 0; height: 100%; overflow: hidden; background: #{bg}; color: #{fg};
               font-family: {fonts}; }}
  .slide {{ position: absolute; inset: 0; display: flex; flex-direction: column;
            align-items: center; justify-content: center; box-sizing: border-box; }}
  .slide[hidden] {{ display: none; }}
  .title h1 {{ font-size: clamp(1.6rem, 5vw, 4.5rem); margin: 0 8vw 0.5em; text-align: center; }}
  .title p {{ font-size: clamp(1rem, 2.4vw, 2.2rem); margin: 0 10vw; text-align: center; color: #{muted}; }}
  .beat {{ padding-bottom: 0.4rem; }}
  .beat video {{ display: block; width: 100%; flex: 1 1 0; min-height: 0; object-fit: contain;
                 background: #{bg}; }}
  .beat p.warn {{ color: #{warn}; }}
  .beat p {{ flex: none; margin: 0.5rem 6vw 0.4rem; text-align: center;
             font-size: clamp(1rem, 3.4vh, 2rem); line-height: 1.3; }}
  #counter {{ position: fixed; right: 0.9rem; bottom: 0.5rem; font-size: 0.85rem; color: #{muted};
              font-variant-numeric: tabular-nums; }}
</style>
</head>
<body>
{slides}
<div id="counter" aria-live="polite"></div>
<script>
(() => {{
  "use strict";
  const slides = [...document.querySelectorAll(".slide")];
  const counter = document.getElementById("counter");
  let current = -1;
  // Show slide n (0-based): the others' clips stop, this one's clip plays from its start and,
  // not looping, stays on its last frame.
  function show(n) {{
    n = Math.max(0, Math.min(slides.length - 1, n));
    if (n === current) return;
    current = n;
    slides.forEach((slide, i) => {{ slide.hidden = i !== n; }});
    for (const video of document.querySelectorAll("video")) {{
      if (!slides[n].contains(video)) video.pause();
    }}
    const video = slides[n].querySelector("video");
    if (video) {{
      video.currentTime = 0;
      const playing = video.play();
      if (playing) playing.catch(() => {{}});
    }}
    counter.textContent = (n + 1) + " / " + slides.length;
    if (location.hash !== "#" + (n + 1)) history.replaceState(null, "", "#" + (n + 1));
  }}
  // "#n" opens slide n (1-based), so a link (or a test) can open any slide.
  const fromHash = () => {{
    const n = parseInt(location.hash.slice(1), 10);
    return Number.isFinite(n) ? n - 1 : 0;
  }};
  document.addEventListener("keydown", (event) => {{
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const step = {{ ArrowRight: 1, ArrowDown: 1, " ": 1, PageDown: 1, Enter: 1,
                   ArrowLeft: -1, ArrowUp: -1, PageUp: -1, Backspace: -1 }}[event.key];
    if (step) show(current + (event.shiftKey && event.key === " " ? -1 : step));
    else if (event.key === "Home") show(0);
    else if (event.key === "End") show(slides.length - 1);
    else return;
    event.preventDefault();
  }});
  // A click advances; a click on the left fifth of the window goes back.
  document.addEventListener("click", (event) => {{
    show(current + (event.clientX < window.innerWidth / 5 ? -1 : 1));
  }});
  window.addEventListener("hashchange", () => show(fromHash()));
  show(fromHash());
}})();
</script>
</body>
</html>
"""


def _safe(name: str) -> str:
    """A scene name as a file name: letters, digits, '-' and '_' only."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "scene"


# the page's language and fonts: a Chinese deck names the simplified-Chinese face first, or the
# browser may draw its words in Japanese glyph forms
PAGE_LANGS = {
    "en": ("en", '"Noto Sans", "DejaVu Sans", sans-serif'),
    "zh": ("zh-Hans", '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'),
}


def html_deck(
    scenes: Sequence[DeckScene], theme: str = "dark", assets: str = ASSETS, lang: str = "en"
) -> tuple[str, dict[str, Path]]:
    """The deck's page and its assets (file name in `assets` -> source path), without writing.
    The page's own words (each slide's label for screen readers) are in `lang`."""
    from scenes.kit.i18n import _, use_language

    use_language(lang)
    colours = theme_of(theme)
    parts: list[str] = []
    files: dict[str, Path] = {}
    total = sum(1 + len(s.beats) for s in scenes)
    number = 0
    for i, scene in enumerate(scenes, 1):
        number += 1
        label = html.escape(_("slide {number} of {total}").format(number=number, total=total))
        parts.append(
            f'<section class="slide title" data-scene="{html.escape(scene.name)}" '
            f'aria-label="{label}" hidden>\n'
            f"  <h1>{html.escape(scene.title)}</h1>\n  <p>{html.escape(scene.line)}</p>\n</section>"
        )
        for k, beat in enumerate(scene.beats, 1):
            number += 1
            label = html.escape(_("slide {number} of {total}").format(number=number, total=total))
            stem = f"{i:02d}-{_safe(scene.name)}-{k:02d}"
            clip = f"{stem}{Path(beat.clip).suffix.lower()}"
            poster = f"{stem}{Path(beat.poster).suffix.lower()}"
            files[clip], files[poster] = Path(beat.clip), Path(beat.poster)
            src, still = (html.escape(quote(f"{assets}/{n}")) for n in (clip, poster))
            warn = ' class="warn"' if beat.warn else ""
            parts.append(
                f'<section class="slide beat" data-scene="{html.escape(scene.name)}" '
                f'aria-label="{label}" hidden>\n'
                f'  <video src="{src}" poster="{still}" muted playsinline preload="auto"></video>\n'
                f"  <p{warn}>{html.escape(beat.caption)}</p>\n</section>"
            )
    page = HTML_PAGE.format(
        title=html.escape(" · ".join(s.title for s in scenes[:3]) + (" …" if len(scenes) > 3 else "")),
        bg=colours.background,
        fg=colours.text,
        muted=colours.muted,
        warn=colours.warn,
        slides="\n".join(parts),
        lang=PAGE_LANGS.get(lang, PAGE_LANGS["en"])[0],
        fonts="system-ui, " + PAGE_LANGS.get(lang, PAGE_LANGS["en"])[1],
    )
    return page, files


def write_html(scenes: Sequence[DeckScene], out_dir: Path, theme: str = "dark", lang: str = "en") -> Path:
    """Write out_dir/slides.html and copy every clip and poster into out_dir/slides_files/: one
    page with its style and script inline and every asset beside it, so the deck runs from a USB
    stick or a lecture-hall PC with no network. Returns the page's path."""
    _check(scenes)
    out_dir = Path(out_dir)
    page, files = html_deck(scenes, theme, lang=lang)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob(f".{ASSETS}-*"):  # what an interrupted earlier write left
        shutil.rmtree(stale, ignore_errors=True)
    # the new assets go into a folder of their own, swapped in whole: an earlier deck's page
    # never points at a mix of its clips and new ones, and a failure leaves it untouched
    fresh = Path(tempfile.mkdtemp(prefix=f".{ASSETS}-new-", dir=out_dir))
    try:
        for name, src in files.items():
            shutil.copyfile(src, fresh / name)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    assets = out_dir / ASSETS
    retired = out_dir / f".{ASSETS}-old-{fresh.name.rsplit('-', 1)[-1]}"
    if assets.exists():
        os.replace(assets, retired)
    os.replace(fresh, assets)
    os.chmod(assets, 0o777 & ~_umask())
    dest = _write_atomic(out_dir / "slides.html", lambda out: out.write(page.encode("utf-8")))
    shutil.rmtree(retired, ignore_errors=True)
    return dest


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
