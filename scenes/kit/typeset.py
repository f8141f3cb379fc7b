"""Numbers and symbols as a slide prints them, not as a terminal does.

One place decides how a number looks on screen (captions, readouts, ticks, labels): the
minus sign U+2212, ×10ⁿ instead of e+06, no "+" on a plain value, a few significant digits,
subscripts as subscripts. It imports neither manim nor the narration, so the words (which
are computed without manim) and the kit both use it.
"""

from __future__ import annotations

import math
import re

MINUS = "\u2212"
SUPERSCRIPT = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SCIENTIFIC_AT = 1e5  # from here on (and below 1e-4) a value is shown as m×10ⁿ
SMALLEST_PLAIN = 1e-4


def power_of_ten(exponent: int) -> str:
    return "×10" + str(exponent).translate(SUPERSCRIPT).replace("⁻", "⁻")


def figure(value: float, digits: int = 3) -> str:
    """`value` with `digits` significant digits: 0.0577, −1673, 5.60×10⁶, 0 (never −0)."""
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return ("" if v > 0 else MINUS) + "∞"
    if v == 0 or round(v, 12) == 0:
        return "0"
    mag = abs(v)
    if mag >= SCIENTIFIC_AT or mag < SMALLEST_PLAIN:
        mantissa, exponent = f"{v:.{digits - 1}e}".split("e")
        return mantissa.replace("-", MINUS) + power_of_ten(int(exponent))
    places = max(digits - 1 - int(math.floor(math.log10(mag))), 0)
    s = f"{v:.{places}f}"
    if s.lstrip("-").strip("0.") == "":
        return "0"
    return s.replace("-", MINUS)


def fixed(value: float, places: int) -> str:
    """`value` with a fixed number of decimals, as the book prints it, typeset: −0.057646."""
    v = float(value)
    if abs(v) >= SCIENTIFIC_AT and places > 0:
        return figure(v, places + 1)
    s = f"{v:.{places}f}"
    if s.lstrip("-").strip("0.") == "":
        s = s.lstrip("-")
    return s.replace("-", MINUS)


# a hyphen that is a sign: at the start, or after a space, bracket, "=", "," or ":" and
# before a digit or a decimal point
_SIGN = re.compile(r"(^|[\s(\[=,:;≈<>~/])-(?=[\d.]|∞)")
_EXP = re.compile(r"(\d)(?:e|E)([+\-]?)(\d+)\b")
_PLUS_VALUE = re.compile(r"(^|[\s(=])\+(?=\d)")
# x1, x2, β1, β2, s1, ... written flat in a sentence: a one-letter symbol and one digit
_SUB = re.compile(r"(?<![\w.])([xyvsdgβγρη])([0-9])(?![A-Za-z0-9_.])")


def _exponent(m: re.Match[str]) -> str:
    sign = "-" if m.group(2) == "-" else ""
    return m.group(1) + power_of_ten(int(sign + m.group(3)))


def typeset(words: str) -> str:
    """A sentence's numbers and symbols as a slide prints them: '(-0.12, 5.6e+06), x2' becomes
    '(−0.12, 5.6×10⁶), x₂'. The digits themselves are kept (a caption may quote the book)."""
    words = _EXP.sub(_exponent, words)
    words = _SIGN.sub(lambda m: m.group(1) + MINUS, words)
    words = _PLUS_VALUE.sub(lambda m: m.group(1), words)
    return _SUB.sub(lambda m: m.group(1) + m.group(2).translate(SUBSCRIPT), words)


__all__ = ["MINUS", "figure", "fixed", "power_of_ten", "typeset"]
