"""Reading one value of a story file: a table, a string, a number, numbers, words on screen.
Each mistake becomes a `Fault` at its key path and the file's line; the reader (reader.py)
builds on these for the file's sections."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..limits import text_refusal
from .faults import Fault, _kind, _place, key_path
from .vocabulary import TRANSLATIONS


class Fields:
    """The faults found so far, and the readers of single values that add to them."""

    def __init__(self, lines: Mapping[tuple[str | int, ...], int]) -> None:
        self.lines = lines
        self.faults: list[Fault] = []

    def fault(self, path: tuple[str | int, ...], message: str) -> None:
        self.faults.append(_place(Fault(path, message), self.lines))

    def keys(self, table: Mapping[str, Any], allowed: Sequence[str], path: tuple[str | int, ...]) -> None:
        for key in table:
            if key not in allowed:
                near = [a for a in allowed if a[:2] == key[:2]]
                hint = f"did you mean {near[0]!r}? " if near else ""
                self.fault((*path, key), f"unknown key; {hint}allowed here: {', '.join(allowed)}")

    def table(self, v: Any, path: tuple[str | int, ...]) -> dict[str, Any] | None:
        if not isinstance(v, dict):
            self.fault(path, f"expected a table, got {_kind(v)}; write [{key_path(path)}] with keys under it")
            return None
        return v

    def string(self, v: Any, path: tuple[str | int, ...], choices: Sequence[str] = ()) -> str | None:
        if not isinstance(v, str):
            self.fault(path, f"expected a string, got {_kind(v)}; put it in quotes")
            return None
        if choices and v not in choices:
            self.fault(path, f"{v!r}: choose one of {', '.join(choices)}")
            return None
        return v

    def number(
        self, v: Any, path: tuple[str | int, ...], low: float | None = None, high: float | None = None,
        whole: bool = False, open_low: bool = False, open_high: bool = False,
    ) -> float | None:  # fmt: skip
        ok = isinstance(v, int) if whole else isinstance(v, (int, float))
        if isinstance(v, bool) or not ok:
            want = "a whole number" if whole else "a number"
            self.fault(path, f"expected {want}, got {_kind(v)}: {v!r}; write e.g. {1 if whole else 0.1}")
            return None
        if not math.isfinite(v):
            self.fault(path, f"{v}: give a finite number")
            return None
        bad_low = low is not None and (v <= low if open_low else v < low)
        bad_high = high is not None and (v >= high if open_high else v > high)
        if bad_low or bad_high:
            lo = "" if low is None else (f"> {low:g}" if open_low else f">= {low:g}")
            hi = "" if high is None else (f"< {high:g}" if open_high else f"<= {high:g}")
            self.fault(path, f"{v}: give a number {' and '.join(s for s in (lo, hi) if s)}")
            return None
        return v

    def numbers(self, v: Any, path: tuple[str | int, ...], counts: Sequence[int]) -> tuple[float, ...] | None:
        shape = " or ".join(f"{n} numbers" for n in counts)
        if not isinstance(v, list) or not all(
            isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in v
        ):
            self.fault(path, f"expected an array of {shape}, e.g. [{', '.join(['0.5'] * counts[0])}]")
            return None
        if len(v) not in counts:
            self.fault(path, f"expected {shape}, got {len(v)}")
            return None
        return tuple(float(x) for x in v)

    def words(self, table: Mapping[str, Any], key: str, path: tuple[str | int, ...]) -> dict[str, str]:
        out: dict[str, str] = {}
        text = self.string(table.get(key), (*path, key)) if key in table else None
        if key not in table:
            self.fault((*path, key), f'missing; give {key} = "…"')
        if text is not None and self.shown_text(text, (*path, key)):
            out["en"] = text
        for lang in TRANSLATIONS:
            if lang in table:
                t = self.string(table[lang], (*path, lang))
                if t is not None and self.shown_text(t, (*path, lang)):
                    out[lang] = t
        return out

    def shown_text(self, text: str, path: tuple[str | int, ...]) -> bool:
        """Words that reach Pango and the subtitle files: refused with a fault if they cannot."""
        why = text_refusal(text)
        if why:
            self.fault(path, why)
        return why is None

    # -- sections of the file --
    def text(self, v: Any, path: tuple[str | int, ...]) -> dict[str, str]:
        """Words on screen: a string, or { en = "…", zh = "…" }."""
        if isinstance(v, str):
            return {"en": v} if self.shown_text(v, path) else {"en": ""}
        if not isinstance(v, dict):
            self.fault(path, f'expected a string or {{ en = "…", zh = "…" }}, got {_kind(v)}')
            return {"en": ""}
        self.keys(v, ("en", *TRANSLATIONS), path)
        return self.words(v, "en", path)
