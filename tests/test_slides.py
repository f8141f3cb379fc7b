"""`roll slides`: a deck whose slides are the scene's beats, read back in a real client.

The deck is built from the scene's beats.json (the narration the subtitles come from too): a
slide per beat, its caption on the slide once as text (the clips are rendered without their
caption line), its poster the beat's last frame.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image
from support import ROOT

from scenes.catalog import get_story
from scenes.cli import slides
from scenes.cli.deckfiles import unbroken_numbers
from scenes.cli.job import Job
from scenes.cli.main import main
from scenes.narration.beatsfile import read as read_beats


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["slides", "ripples", "--to", "ppt"], "--to 'ppt': choose one of pptx, html, pdf"),
        (["slides", "--to", "pptx"], "name a scene"),
        (["slides", "nope", "--to", "html"], "unknown scene 'nope'"),
        (["slides", "ripples", "--all", "--to", "html"], "give scene names or --all, not both"),
        (["slides", "ripples", "--to", "html", "-q", "z"], "-q 'z': choose one of l, m, h, p, k"),
        (["slides", "ripples", "--to", "html", "--gamma", "0.5"], "--gamma"),
    ],
)
def test_bad_slides_input_writes_nothing(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == []


def frames(data: bytes) -> list[np.ndarray]:
    """Every frame of a clip, decoded from the start (no seeking), as RGB arrays."""
    with av.open(io.BytesIO(data)) as container:
        return [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]


def deck_beats(media: Path) -> list:
    """The beats.json the deck's own render wrote (the only one in the media tree: the clips
    were rendered once, for the deck)."""
    (path,) = [p for p in media.rglob("*.beats.json") if "roll-cache" not in p.parts]
    return list(read_beats(path).beats)


def test_pptx_deck_is_the_beats_with_their_last_frames_and_captions_once(tmp_path, monkeypatch, capsys):
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    monkeypatch.chdir(tmp_path)
    assert main(["slides", "cubic-saddle", "--to", "pptx", "-q", "l", "--out", "deck"]) == 0
    deck = tmp_path / "deck" / "slides.pptx"
    assert capsys.readouterr().out.split() == ["deck/slides.pptx"]
    assert [p.name for p in (tmp_path / "deck").iterdir()] == ["slides.pptx"], "the clips are inside the deck"
    beats = deck_beats(tmp_path / "media")
    captions = [b.caption for b in beats]
    assert len(captions) >= 3
    slides_ = list(Presentation(str(deck)).slides)
    assert len(slides_) == 1 + len(beats)
    assert "x³" in " ".join(sh.text_frame.text for sh in slides_[0].shapes if sh.has_text_frame)

    shown = []
    assert slides_[0].notes_slide.notes_text_frame.text.startswith(get_story("cubic-saddle").line)
    for k, (slide, beat) in enumerate(zip(slides_[1:], beats, strict=True)):
        caption = beat.caption
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(f"{caption}\n")
        # what a speaker uses: the claims checked on this run, what comes next, the time
        following = captions[k + 1] if k + 1 < len(captions) else "the scene ends here"
        assert f"\nnext: {following}\n" in notes and f"from {beat.start:.1f} s to {beat.end:.1f} s" in notes
        assert beat.claims and all(f"{c['claim']}(" in notes for c in beat.claims)
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        shown.extend(texts)
        (movie,) = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.MEDIA]
        clip = next(
            rel.target_part.blob for rel in slide.part.rels.values() if rel.reltype.endswith("/video")
        )
        poster = np.asarray(Image.open(io.BytesIO(movie.poster_frame.blob)).convert("RGB"), dtype=int)
        decoded = frames(clip)
        last, first = decoded[-1], decoded[0]
        assert poster.shape == last.shape
        # the poster is the beat's last frame (PNG of the decoded frame: equal but for rounding)
        assert np.abs(poster - last).mean() < 0.5 and np.percentile(np.abs(poster - last), 99.9) <= 8
        assert np.abs(poster - first).mean() > np.abs(poster - last).mean() + 0.5, "not its first frame"
    assert shown == [unbroken_numbers(c) for c in captions], "each caption once, on its own slide, as text"

    # the clips carry no caption of their own: the band where the caption line is drawn in a
    # video is empty in every clip, while the video rendered with its captions has words there
    assert main(["render", "cubic-saddle", "--format", "mp4", "--out", "video"]) == 0
    video = frames((tmp_path / "video" / "cubic-saddle.mp4").read_bytes())[-1]
    band = slice(round(video.shape[0] * 0.955), None)
    background = video[-1, 0]
    assert (np.abs(video[band] - background).sum(axis=2) > 120).mean() > 0.005, "a video has its caption"
    for slide in slides_[1:]:
        clip = next(r.target_part.blob for r in slide.part.rels.values() if r.reltype.endswith("/video"))
        for frame in frames(clip)[::4]:
            assert (np.abs(frame[band] - background).sum(axis=2) > 120).mean() < 0.0005, (
                "no burned-in caption"
            )
    # the video's beats are the deck's: the same captions at the same times (no caption line
    # drawn changes no beat), and the video's subtitles are those beats
    video_beats = read_beats(tmp_path / "video" / "cubic-saddle.beats.json").beats

    def timed(bs: list) -> list[tuple[str, float, float]]:
        return [(b.caption, round(b.start, 3), round(b.end, 3)) for b in bs]

    assert timed(list(video_beats)) == timed(beats), "to the millisecond"


def test_html_deck_shows_each_caption_once_and_keeps_every_asset_beside_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["slides", "vanishing-gradient", "--to", "html", "-q", "l", "--out", "deck"]) == 0
    page = (tmp_path / "deck" / "slides.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page, "nothing from a network"
    clips = sorted(p for p in (tmp_path / "deck").rglob("*.mp4"))
    captions = [b.caption for b in deck_beats(tmp_path / "media")]
    assert len(clips) == len(captions) >= 2
    for clip in clips:
        assert clip.relative_to(tmp_path / "deck").as_posix() in page
    import html

    texts = [
        html.unescape(t)
        for t in re.findall(r'<section class="beat".*?<p class="caption">(.*?)</p>', page, re.S)
    ]
    assert texts == captions
    for k, caption in enumerate(captions):
        assert page.count(f'<p class="caption">{html.escape(caption)}</p>') == 1, "each caption once"
        notes = re.findall(r'<aside class="notes">(.*?)</aside>', page, re.S)
        assert html.escape(caption) in notes[k + 1], "in its speaker notes"
        if k:
            assert f"next: {html.escape(caption)}" in notes[k], "and in the notes that lead into it"
    # each poster is its clip's last frame
    for clip in clips:
        poster = np.asarray(Image.open(clip.with_suffix(".png")).convert("RGB"), dtype=int)
        last = frames(clip.read_bytes())[-1]
        assert np.abs(poster - last).mean() < 0.5

    # the handout from the same beats (its clips come from the cache): a title page, then a
    # page per beat holding that beat's caption and notes as text
    handout = ["slides", "vanishing-gradient", "--to", "pdf", "-q", "l", "--theme", "dark"]
    handout += ["--out", "handout"]
    assert main(handout) == 0
    pdf = tmp_path / "handout" / "slides.pdf"
    assert capsys.readouterr().out.split()[-1] == "handout/slides.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1]) == 1 + len(captions)
    for page_number, beat in enumerate(deck_beats(tmp_path / "media"), 2):
        text = subprocess.run(
            ["pdftotext", "-f", str(page_number), "-l", str(page_number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert " ".join(beat.caption.split()) in " ".join(text.split()), (page_number, text)


def test_a_deck_whose_tools_are_missing_is_refused_before_rendering(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ROLL_REVEAL_DIR", str(tmp_path / "no-reveal"))
    for to in ("html", "pdf"):
        assert main(["slides", "ripples", "--to", to]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "reveal.js is missing" in err and "make setup" in err
    monkeypatch.delenv("ROLL_REVEAL_DIR")
    monkeypatch.setenv("ROLL_CHROMIUM", "no-such-chromium")
    assert main(["slides", "ripples", "--to", "pdf"]) == 2
    assert "no Chromium" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def _job(name: str, **changes) -> Job:
    st = get_story(name)
    settings = st.settings.override(**changes) if changes else st.settings
    return Job(name, settings, {}, "l", ("mp4",), "out", "media", False, sections=True)


def test_a_title_slide_states_the_book_s_numbers_only_for_the_book_s_run():
    from scenes.words import i18n

    try:
        book = _job("learning-rate")
        assert slides.story_line(book) == get_story("learning-rate").line
        changed = slides.story_line(_job("learning-rate", lr=0.3))
        assert "3.486784" not in changed and "61.917364" not in changed
        assert changed == "this run: f(x) = x²; start 10; gd; lr 0.3; 10 steps"
        # an option that changes the balls changes the run as well
        compare = replace_options(_job("compare"), {"optimizers": ("gd", "adam")})
        assert slides.story_line(compare).startswith("this run: ")
        assert slides.story_line(replace_options(_job("compare"), dict(get_story("compare").options))) == (
            get_story("compare").line
        )
        zh = slides.story_line(replace_lang(_job("learning-rate", lr=0.3), "zh"))
        assert zh == "本次运行：f(x) = x²；起点 10；梯度下降；学习率 0.3；10 步"
    finally:
        i18n.use_language("en")


def replace_options(job: Job, options: dict) -> Job:
    from dataclasses import replace

    return replace(job, options=options)


def replace_lang(job: Job, lang: str) -> Job:
    from dataclasses import replace

    return replace(job, lang=lang)


def test_a_chinese_deck_says_so_to_the_browser_and_titles_its_sections_in_chinese():
    from scenes.cli.decks import Beat, DeckScene
    from scenes.cli.reveal_deck import reveal_deck

    def html_deck(scenes, lang="en"):
        return reveal_deck(scenes, lang=lang)[0]("files").decode(), None

    from scenes.cli.slides import title_of
    from scenes.words import i18n

    try:
        assert title_of("momentum", "zh") == "动量法：momentum"
        assert title_of("momentum", "en") == "Momentum", "section and scene are one word: said once"
        assert title_of("adagrad", "en") == "Adagrad"
        assert title_of("learning-rate", "en") == "Gradient descent: learning-rate"
        scene = DeckScene("risk", "风险", "…", (Beat("它们停在不同处", Path("a.mp4"), Path("a.png")),))
        page, _ = html_deck([scene], lang="zh")
        assert '<html lang="zh-Hans">' in page and '"Noto Sans CJK SC"' in page
        assert 'aria-label="第 2 张，共 2 张"' in page
        assert '<html lang="en">' in html_deck([scene])[0]
    finally:
        i18n.use_language("en")


# ---- no English in a Chinese deck ---------------------------------------------------------
def latin_words(text: str, names: set[str]) -> list[str]:
    """Words of two or more Latin letters left in `text` once identifiers (scene names), the
    formulas' function names and the optimizers' proper names are taken out."""
    allowed = {"tanh", "cosh", "cos", "sin", "exp", "log", "Adam", "AdaGrad", "Adadelta", "RMSProp"}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed]


def test_chinese_titles_and_story_lines_carry_no_english():
    from scenes.catalog import CATALOG as SCENES
    from scenes.words import i18n

    try:
        for name in SCENES:
            job = replace_lang(_job(name), "zh")
            formula = get_story(name).settings.landscape_obj.plain  # math stays math
            for text in (slides.title_of(name, "zh"), slides.story_line(job)):
                assert latin_words(text, {name, formula}) == [], text
            changed = replace_lang(_job(name, steps=7), "zh")
            assert latin_words(slides.story_line(changed), {name, formula}) == [], name
    finally:
        i18n.use_language("en")


def unmarked(text: str, names: set[str]) -> str:
    """What is left of a text under the pseudo-language once its translated parts, numbers and
    the scenes' names (identifiers, in every language) are taken out: no letter should be."""
    from scenes.words import i18n

    inner = re.compile(f"{i18n.OPEN}[^{i18n.OPEN}{i18n.CLOSE}]*{i18n.CLOSE}")
    rest, n = inner.subn("", text)
    while n:
        rest, n = inner.subn("", rest)
    for name in names:
        rest = rest.replace(name, "")
    # a speaker's note lists the claims checked on the run as beats.json and story files name
    # them: identifiers and numbers, in every language
    rest = re.sub(r"^[✓✗] .*$", "", rest, flags=re.M)
    return re.sub(r"[^A-Za-z]", "", re.sub(r"\d+(\.\d+)?", "", rest))


def test_a_deck_in_the_pseudo_language_has_no_untranslated_word(tmp_path, monkeypatch, capsys):
    """Under the pseudo-language every translated sentence is marked: a deck of a real render,
    HTML and pptx, has no word on a slide (title, story line, captions, labels) left unmarked."""
    from html.parser import HTMLParser

    from pptx import Presentation

    from scenes.cli import options
    from scenes.words import i18n

    real = options.check_look

    def pseudo_allowed(args: argparse.Namespace) -> tuple[str, str]:
        return (args.theme, args.lang) if args.lang == i18n.PSEUDO else real(args)

    monkeypatch.setattr(options, "check_look", pseudo_allowed)
    monkeypatch.chdir(tmp_path)
    names = {"cubic-saddle"}
    try:
        argv = ["slides", "cubic-saddle", "-q", "l", "--lang", i18n.PSEUDO, "--steps", "150"]
        assert main([*argv, "--to", "html", "--out", "html"]) == 0
        assert main([*argv, "--to", "pptx", "--out", "pptx"]) == 0  # the same clips, from the cache
    finally:
        i18n.use_language("en")

    class Words(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.words: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("script", "style")
            self.words += [v for k, v in attrs if k in ("alt", "aria-label", "title") and v]

        def handle_endtag(self, tag):
            self.skip -= tag in ("script", "style")

        def handle_data(self, data):
            if not self.skip and data.strip():
                self.words.append(data)

    page = Words()
    page.feed((tmp_path / "html" / "slides.html").read_text(encoding="utf-8"))
    assert len(page.words) > 6
    assert [w for w in page.words if unmarked(w, names)] == []
    deck = Presentation(str(tmp_path / "pptx" / "slides.pptx"))
    texts = [sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame]
    texts += [s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide]
    assert len(texts) > 6 and [t for t in texts if unmarked(t, names)] == []
    # the run is not the book's (--steps 150): its title slide says so, in the deck's language
    assert any(t.startswith(f"{i18n.OPEN}this run: ") for t in texts)


def test_beats_json_is_read_strictly(tmp_path):
    good = {
        "version": 1,
        "scene": "x",
        "lang": "en",
        "theme": "dark",
        "duration": 3.0,
        "beats": [
            {"index": 0, "start": 0.0, "end": 1.0, "section": "a", "caption": "one"},
            {"index": 1, "start": 1.0, "end": 3.0, "section": "b", "caption": "two"},
        ],
    }
    path = tmp_path / "x.beats.json"
    path.write_text(json.dumps(good))
    assert [b.caption for b in read_beats(path).beats] == ["one", "two"]
    for broken in (
        {**good, "version": 2},
        {**good, "beats": good["beats"][::-1]},
        {**good, "beats": [{**good["beats"][0], "end": 1.5}, good["beats"][1]]},
        {k: v for k, v in good.items() if k != "scene"},
    ):
        path.write_text(json.dumps(broken))
        with pytest.raises(ValueError, match="x.beats.json"):
            read_beats(path)


# ---- what a deck is by default, and what a speaker reads -----------------------------------
def _deck_jobs(tmp_path, monkeypatch, *argv: str) -> list[Job]:
    from scenes.cli.main import build_parser

    monkeypatch.chdir(tmp_path)
    return slides.plan_deck(build_parser().parse_args(["slides", *argv]))


def test_a_deck_plays_at_720p30_and_its_handout_prints_light_unless_told(tmp_path, monkeypatch):
    (job,) = _deck_jobs(tmp_path, monkeypatch, "ripples", "--to", "pptx")
    from manim.constants import QUALITIES as MANIM_QUALITIES

    size = MANIM_QUALITIES[job.output_config("mp4")["quality"]]
    assert (size["pixel_width"], size["pixel_height"], size["frame_rate"]) == (1280, 720, 30)
    (job,) = _deck_jobs(tmp_path, monkeypatch, "ripples", "--to", "html", "-q", "h")
    assert job.quality == "h", "-q still chooses"
    assert [j.theme for j in _deck_jobs(tmp_path, monkeypatch, "ripples", "--to", "pdf")] == ["light"]
    assert [j.theme for j in _deck_jobs(tmp_path, monkeypatch, "ripples", "--to", "html")] == ["dark"]
    told = _deck_jobs(tmp_path, monkeypatch, "ripples", "--to", "pdf", "--theme", "dark")
    assert [j.theme for j in told] == ["dark"], "--theme says otherwise"
    story = tmp_path / "own.toml"
    shipped = (ROOT / "examples" / "stories" / "double-well.toml").read_text(encoding="utf-8")
    story.write_text(shipped.replace('view = "curve"', 'view = "curve"\ntheme = "dark"'), encoding="utf-8")
    assert [j.theme for j in _deck_jobs(tmp_path, monkeypatch, str(story), "--to", "pdf")] == ["dark"], (
        "a story file's own theme is not a default"
    )


def test_speaker_notes_give_the_claims_with_their_numbers_the_next_beat_and_the_time():
    from scenes.narration.beatsfile import StoryBeat

    beat = StoryBeat.from_dict(
        {
            "index": 2,
            "start": 12.666666,
            "end": 15.266666,
            "section": "beat-03",
            "caption": "gradient ≈ 0: frozen at the saddle, x = 0.016 after 200 steps",
            "annotations": [{"words": "saddle point: f′ = f″ = 0"}],
            "claims": [
                {
                    "claim": "near_saddle",
                    "ball": "gd",
                    "holds": True,
                    "values": {"end": [0.01609316], "grad": 0.000776969, "kind": "saddle", "steps": 200},
                },
                {"claim": "crawling", "ball": "gd", "holds": False, "values": {"share": -0.25}},
            ],
        }
    )
    following = StoryBeat.from_dict({**beat.to_dict(), "index": 3, "caption": "now with momentum"})
    assert slides.beat_notes(beat, following, "en").split("\n") == [
        "checked on this run:",
        "✓ near_saddle(gd): end = (0.01609), grad = 0.0007770, kind = saddle, steps = 200",
        "✗ crawling(gd): share = −0.2500",
        "on screen: saddle point: f′ = f″ = 0",
        "next: now with momentum",
        "in the video from 12.7 s to 15.3 s",
    ]
    assert slides.beat_notes(following, None, "en").split("\n")[-2] == "next: the scene ends here"
    assert "接下来：本场景到此结束" in slides.beat_notes(following, None, "zh")
