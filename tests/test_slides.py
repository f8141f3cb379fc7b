"""`roll slides`: a deck whose slides are the scene's beats, read back in a real client."""

from __future__ import annotations

import pytest
import srt

from scenes.cli.main import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["slides", "ripples", "--to", "ppt"], "--to 'ppt': choose pptx or html"),
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


def test_pptx_deck_has_a_title_then_a_slide_per_caption(tmp_path, monkeypatch, capsys):
    from pptx import Presentation

    monkeypatch.chdir(tmp_path)
    assert main(["slides", "cubic-saddle", "--to", "pptx", "--out", "deck"]) == 0
    deck = tmp_path / "deck" / "slides.pptx"
    assert capsys.readouterr().out.split() == ["deck/slides.pptx"]
    slides = list(Presentation(str(deck)).slides)
    # the captions, as the video's own subtitles give them
    assert main(["render", "cubic-saddle", "--format", "mp4", "--out", "video"]) == 0
    captions = [
        c.content for c in srt.parse((tmp_path / "video" / "cubic-saddle.srt").read_text(encoding="utf-8"))
    ]
    assert len(slides) == 1 + len(captions)
    assert "x³" in " ".join(sh.text_frame.text for sh in slides[0].shapes if sh.has_text_frame)
    notes = [s.notes_slide.notes_text_frame.text for s in slides[1:]]
    assert notes == captions
    assert [p.name for p in (tmp_path / "deck").iterdir()] == ["slides.pptx"], "the clips are inside the deck"


def test_html_deck_keeps_every_asset_beside_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["slides", "vanishing-gradient", "--to", "html", "--out", "deck"]) == 0
    page = (tmp_path / "deck" / "slides.html").read_text(encoding="utf-8")
    assert "http://" not in page and "https://" not in page, "nothing from a network"
    clips = sorted(p for p in (tmp_path / "deck").rglob("*.mp4"))
    assert len(clips) >= 2
    for clip in clips:
        assert clip.relative_to(tmp_path / "deck").as_posix() in page


def test_a_chinese_deck_says_so_to_the_browser_and_titles_its_sections_in_chinese():
    from pathlib import Path

    from scenes.cli.decks import Beat, DeckScene, html_deck
    from scenes.cli.slides import title_of
    from scenes.kit import i18n

    try:
        assert title_of("momentum", "zh") == "动量法: momentum"
        assert title_of("momentum", "en") == "Momentum: momentum"
    finally:
        i18n.use_language("en")
    scene = DeckScene("risk", "风险", "…", (Beat("它们停在不同处", Path("a.mp4"), Path("a.png")),))
    page, _ = html_deck([scene], lang="zh")
    assert '<html lang="zh-Hans">' in page and '"Noto Sans CJK SC"' in page
    assert '<html lang="en">' in html_deck([scene])[0]
