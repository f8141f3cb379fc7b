"""The panel's rows keep their type size: a long name goes on in rows, a formula breaks where a
slide would, rows close up above the column's floor, and the type checker itself measures."""

from __future__ import annotations

import pytest
from manim import Text
from typesize import type_sizes

from scenes.kit.mathtext import Size, math, text
from scenes.kit.panels import formula_breaks, formula_lines
from scenes.kit.readouts import Readouts

CAP_480P = 8.0 / 32  # a digit's cap, 15 px at 480p, in scene units


def test_the_checker_measures_a_digit_cap_and_a_subscript():
    at24 = text("η=0.4", font_size=24)
    cap, sub = type_sizes(at24, "η=0.4")
    assert cap == pytest.approx(0.252, abs=0.004) and sub is None
    shrunk = text("β₁=0.9", font_size=30).scale(0.5)
    cap, sub = type_sizes(shrunk, "β₁=0.9")
    assert cap == pytest.approx(0.5 * 30 / 24 * 0.252, rel=0.03)
    assert sub is not None and sub < 0.7 * CAP_480P


def test_text_with_a_subscript_is_never_set_under_30():
    t = text("β₁=0.9", font_size=Size.SMALLEST)
    cap, sub = type_sizes(t, "β₁=0.9")
    assert sub is not None and sub >= 0.7 * CAP_480P - 1e-3


def test_a_long_name_goes_on_in_rows_at_full_size():
    panel = Readouts(left=0.0, top=3.0, width=3.6)
    name = "adam η=0.4 β₁=0.9 β₂=0.999"
    panel.header(name, "#ffffff")
    rows = list(panel)
    texts = [m for m in panel.get_family() if isinstance(m, Text)]
    assert len(texts) >= 2, "the name is broken into rows"
    assert " ".join(t.original_text for t in texts) == name
    for t in texts:
        cap, sub = type_sizes(t, t.original_text)
        assert cap >= CAP_480P - 1e-3
        assert sub is None or sub >= 0.7 * CAP_480P - 1e-3
        assert t.get_right()[0] <= 3.6 + 1e-6
    for upper, lower in zip(rows, rows[1:], strict=False):
        assert upper.get_bottom()[1] > lower.get_top()[1], "rows do not touch"


def test_rows_under_the_floor_close_up_without_shrinking():
    panel = Readouts(left=0.0, top=3.0, width=4.0, row=0.5, floor=0.0)
    for k in range(7):
        panel.words(f"row {k}")
    assert panel.overflow > 0
    heights = [m.height for m in panel]
    panel.close_up()
    assert panel.overflow == pytest.approx(0.0, abs=1e-9)
    assert [m.height for m in panel] == pytest.approx(heights)
    assert min(m.get_bottom()[1] for m in panel) >= 0.0 - 0.25


@pytest.mark.parametrize(
    ("words", "width", "want"),
    [
        (
            "f(x) = x·cos(πx),  g(x) = f(x) + 0.2·cos(5πx)",
            7.5,
            ["f(x) = x·cos(πx),", "g(x) = f(x) + 0.2·cos(5πx)"],
        ),
        ("f(x, y) = (x² + y − 11)² + (x + y² − 7)²", 5.0, ["f(x, y) =", "(x² + y − 11)²", "+ (x + y² − 7)²"]),
    ],
)
def test_a_formula_breaks_where_a_slide_would(words, width, want):
    t = math(words, words, font_size=Size.TITLE)
    lines = formula_lines(words, t.submobjects, width)
    chars = words.replace(" ", "")
    got = [chars[a:b] for a, b in lines]
    assert got == [w.replace(" ", "") for w in want]


def test_a_formula_never_breaks_inside_brackets():
    assert [g for _r, g in formula_breaks("f(x, y) = (a + b)")] == [len("f(x,y)=")]
