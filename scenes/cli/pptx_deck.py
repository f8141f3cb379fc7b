"""The PowerPoint deck (python-pptx), imported only when a pptx deck is written.

Per scene a title slide, then a slide per beat: the beat's clip, starting by itself, and its
caption as an editable text box under it, in the deck's language. PowerPoint and LibreOffice
Impress open it; the clips are embedded, so the file travels alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scenes.cli.deckfiles import (
    DeckScene,
    check_scenes,
    mp4_duration_ms,
    png_size,
    theme_of,
    unbroken_numbers,
    write_atomic,
)

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


PPTX_LANGS = {"en": "en-US", "zh": "zh-CN"}  # each run's language: spelling and line breaking


def write_pptx(scenes: Sequence[DeckScene], dest: Path, theme: str = "dark", lang: str = "en") -> Path:
    """Write a PowerPoint deck to dest: per scene a title slide, then a slide per beat whose clip
    fills the slide above its caption, shows the beat's poster until it plays, starts by itself
    when the slide opens and keeps its last frame. The caption is an editable text box under the
    clip, in the deck's language; every slide has speaker notes (the title slide's story and
    settings, the beat's caption and notes). The clips are embedded: the file travels alone."""
    from lxml import etree
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.oxml.ns import qn
    from pptx.util import Emu, Pt

    colours = theme_of(theme)
    check_scenes(scenes)
    dest = Path(dest)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(SLIDE_W), Emu(SLIDE_H)
    title_layout, blank_layout = prs.slide_layouts[0], prs.slide_layouts[6]

    def paint(slide) -> None:
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = RGBColor.from_string(colours.background)

    east_asian = PPTX_FONTS.get(lang)
    language = PPTX_LANGS.get(lang, PPTX_LANGS["en"])

    def put_text(
        shape, text: str, size: int, colour: str, box: tuple[int, int, int, int], bold=False
    ) -> None:
        shape.left, shape.top, shape.width, shape.height = (Emu(v) for v in box)
        shape.text_frame.word_wrap = True
        shape.text_frame.text = unbroken_numbers(text)
        for paragraph in shape.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(size)
                run.font.color.rgb = RGBColor.from_string(colour)
                run.font.bold = bold
                props = run.font._rPr
                props.set("lang", language)
                if east_asian:
                    ea = props.find(qn("a:ea"))
                    if ea is None:
                        ea = etree.SubElement(props, qn("a:ea"))
                    ea.set("typeface", east_asian)

    def notes(slide, *parts: str) -> None:
        slide.notes_slide.notes_text_frame.text = "\n".join(p for p in parts if p)

    margin = SLIDE_W // 16
    wide = SLIDE_W - 2 * margin
    for scene in scenes:
        slide = prs.slides.add_slide(title_layout)
        paint(slide)
        title, subtitle = slide.placeholders[0], slide.placeholders[1]
        put_text(title, scene.title, 44, colours.text, (margin, SLIDE_H * 2 // 9, wide, SLIDE_H // 4), True)
        put_text(subtitle, scene.line, 24, colours.muted, (margin, SLIDE_H // 2, wide, SLIDE_H // 4))
        notes(slide, scene.line, scene.notes)
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
            notes(slide, beat.caption, beat.notes)
    dest.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(dest, prs.save)
