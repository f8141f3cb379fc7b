"""The light theme and Chinese: contrast from the palettes, a white frame, Chinese words in
the CJK font with no font warning, a complete catalogue, Chinese subtitles."""

from __future__ import annotations

import logging

import numpy as np
import pytest
import srt
from conftest import render_scene

from scenes.cli.main import main
from scenes.kit.palette import PALETTES, contrast, use_palette
from scenes.words import i18n


@pytest.fixture
def look():
    """Put the theme and language back for the tests after this one."""
    yield
    use_palette("dark")
    i18n.use_language("en")


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_palettes_meet_the_contrast_figures(name):
    p = PALETTES[name]
    for role in ("text", "note", "warn", "axis"):
        assert contrast(getattr(p, role), p.background) >= 4.5, f"{name}.{role}"
    # a ball's or a curve's name is written in its colour (headers, legends, verdicts): text
    for k, ball in enumerate(p.balls):
        assert contrast(ball, p.background) >= 4.5, f"{name}.balls[{k}]"
    # on the plane a ball stands out by its edge (tests/test_contrast.py checks every band)
    for fill in ("fill_low", "fill_high"):
        assert contrast(p.ball_edge, getattr(p, fill)) >= 3.0, f"{name}.ball_edge on the plane's {fill}"
    for k, curve in enumerate(p.curves):
        assert contrast(curve, p.background) >= 4.5, f"{name}.curves[{k}]"
    assert contrast(p.text, p.fill_low) >= 4.5 and contrast(p.text, p.fill_high) >= 4.5, "labels on the plane"
    assert len(set(map(str, p.balls))) == len(p.balls), "balls stay distinguishable"


def test_contrast_is_wcags():
    from manim import ManimColor

    assert contrast(ManimColor("#000000"), ManimColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(ManimColor("#767676"), ManimColor("#ffffff")) == pytest.approx(4.54, abs=0.01)


def test_light_frames_are_white_and_draw_in_the_light_palette(tiny, look):
    scene = render_scene("momentum", theme="light")
    frame = scene.renderer.get_frame()
    assert tuple(frame[0, 0, :3]) == (255, 255, 255) and tuple(frame[-1, -1, :3]) == (255, 255, 255)
    light = PALETTES["light"]
    assert scene.balls[0].color == light.balls[0]
    assert scene.caption_mob.get_fill_color() == light.note
    # and the dark theme is black
    use_palette("dark")
    dark = render_scene("cubic-saddle", theme="dark").renderer.get_frame()
    assert tuple(dark[0, 0, :3]) == (0, 0, 0)


def test_every_sentence_has_a_chinese_translation():
    from test_kit import extracted_messages

    zh = i18n.catalogue("zh")
    missing = sorted(extracted_messages() - set(zh))
    assert missing == [], "translate these in scenes/words/locale/zh/LC_MESSAGES/roll.po"
    for msgid, msgstr in zh.items():  # the placeholders survive translation
        assert sorted(__import__("re").findall(r"\{[^}]*\}", msgid)) == sorted(
            __import__("re").findall(r"\{[^}]*\}", msgstr)
        ), msgid


def test_a_missing_translation_is_an_error_not_english(look, monkeypatch):
    i18n.use_language("zh")
    assert i18n._("vanishing gradient") == "梯度消失"
    with pytest.raises(KeyError, match="no zh translation"):
        i18n._("a sentence nobody translated")


@pytest.mark.parametrize("name", ["vanishing-gradient", "adagrad"])
def test_zh_frames_use_the_cjk_font_and_warn_of_nothing(tiny_movie, look, monkeypatch, caplog, name):
    import scenes.kit.mathtext as mt

    fonts: list[tuple[str, str]] = []

    class Recorded(mt.Text):
        def __init__(self, text, **kwargs):
            fonts.append((text, kwargs.get("font")))
            super().__init__(text, **kwargs)

    monkeypatch.setattr(mt, "Text", Recorded)
    with caplog.at_level(logging.WARNING):
        scene = render_scene(name, lang="zh")
    assert fonts and all(font == "Noto Sans CJK SC" for _, font in fonts)
    assert any("\u4e00" <= ch <= "\u9fff" for text, _ in fonts for ch in text), "Chinese words on screen"
    assert not [r for r in caplog.records if "not in" in r.getMessage() or "font" in r.getMessage().lower()]
    cues = list(srt.parse(scene.renderer.file_writer.movie_file_path.with_suffix(".srt").read_text("utf-8")))
    assert cues and all(any("\u4e00" <= ch <= "\u9fff" for ch in c.content) for c in cues), (
        "Chinese subtitles"
    )


def test_zh_without_the_font_is_refused_naming_make_render(tmp_path, monkeypatch, capsys):
    import scenes.cli.options as options

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(options, "font_installed", lambda family: False)
    assert main(["render", "risk", "--lang", "zh"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Noto Sans CJK SC" in err and "make render" in err
    assert list(tmp_path.iterdir()) == []


def test_unknown_theme_or_language_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["gallery", "--out", "g", "--theme", "sepia"]) == 2
    assert "--theme 'sepia': choose dark or light" in capsys.readouterr().err
    assert main(["slides", "risk", "--to", "html", "--lang", "fr"]) == 2
    assert "--lang 'fr': choose one of en, zh" in capsys.readouterr().err


def test_the_gallery_page_says_which_look_it_shows():
    from scenes.catalog import CATALOG as SCENES
    from scenes.cli.gallery import index_html, readme_md

    stories = list(SCENES.values())[:2]
    page = index_html(stories, "l", "light", "zh")  # in the page's own language
    assert "浅色主题" in page and "中文" in page and "--theme light --lang zh" in page
    assert "light theme, English" in index_html(stories, "l", "light", "en")
    assert "--theme light --lang zh" in readme_md(stories, "l", "light", "zh")


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_ball_colours_differ_from_each_other_enough(name):
    """Balls must be told apart from each other too, not only from the background: by colour
    where they share a marker shape and trail, 20 or more apart in CIELAB (ΔE*76; sRGB
    distance is not what the eye sees: a deep blue and a deep green are 0.28 apart there,
    49 in CIELAB). tests/test_markers.py asks the same under colour-vision deficiencies."""
    from test_markers import lab

    from scenes.kit.palette import ball_style

    use_palette(name)
    try:
        styles = [ball_style(k) for k in range(len(PALETTES[name].balls))]
    finally:
        use_palette("dark")
    seen = lab(np.array([s.color.to_rgb() for s in styles]))
    gaps = [
        np.linalg.norm(seen[i] - seen[j])
        for i in range(len(seen))
        for j in range(i + 1, len(seen))
        if (styles[i].shape, styles[i].dash) == (styles[j].shape, styles[j].dash)
    ]
    assert gaps and min(gaps) >= 20.0
