"""The decks `roll slides --to FORMAT` writes, behind one interface: a registry of writers.

Each writer takes the same scenes, each split into beats read from the scene's
NAME.beats.json (a caption opens each beat; its clip shows what the caption says), so the
slides, the speaker notes, the handout and the subtitles come from one source:

- `pptx`: PowerPoint (python-pptx), a movie per beat that starts by itself, the caption an
  editable text box, notes on every slide;
- `html`: reveal.js, offline in one folder, with the speaker view, overview and printing;
- `pdf`: a handout, that reveal deck printed by Chromium, a page per beat.

`--to`'s choices, its help and its check are read from `WRITERS`. No manim, python-pptx or
PyAV is imported here: the command line imports this module on every `roll slides`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scenes.cli.deckfiles import PAGE_LANGS, THEMES, Beat, DeckScene, Theme, theme_of

__all__ = ["PAGE_LANGS", "THEMES", "WRITERS", "Beat", "DeckScene", "DeckWriter", "Theme", "theme_of"]


@dataclass(frozen=True)
class DeckWriter:
    """One kind of deck: what `roll slides --to NAME` writes, and what it needs first."""

    name: str  # the --to value
    file: str  # what it writes into --out
    help: str  # for --help
    clip_format: str  # the format the beats' clips are rendered in
    check: Callable[[], None]  # raises ToolMissing (its message names the fix) before any rendering
    write: Callable[[Sequence[DeckScene], Path, str, str], Path]  # (scenes, out_dir, theme, lang) -> path
    theme: str | None = None  # its look when --theme (or a story file) names none: a handout prints on white


def _no_tools() -> None:
    return None


def _pptx(scenes: Sequence[DeckScene], out_dir: Path, theme: str, lang: str) -> Path:
    from scenes.cli.pptx_deck import write_pptx

    return write_pptx(scenes, Path(out_dir) / "slides.pptx", theme, lang)


def _reveal_ready() -> None:
    from scenes.cli.reveal_deck import reveal_dir

    reveal_dir()


def _html(scenes: Sequence[DeckScene], out_dir: Path, theme: str, lang: str) -> Path:
    from scenes.cli.reveal_deck import write_html

    return write_html(scenes, out_dir, theme, lang)


def _handout_ready() -> None:
    from scenes.cli.reveal_deck import chromium, reveal_dir

    reveal_dir()
    chromium()


def _pdf(scenes: Sequence[DeckScene], out_dir: Path, theme: str, lang: str) -> Path:
    from scenes.cli.reveal_deck import write_handout

    return write_handout(scenes, out_dir, theme, lang)


WRITERS: dict[str, DeckWriter] = {
    w.name: w
    for w in (
        DeckWriter("pptx", "slides.pptx", "PowerPoint, LibreOffice Impress", "mp4", _no_tools, _pptx),
        DeckWriter("html", "slides.html", "reveal.js, offline", "mp4", _reveal_ready, _html),
        DeckWriter("pdf", "slides.pdf", "a handout, a page per beat", "mp4", _handout_ready, _pdf, "light"),
    )
}


def writer_for(name: str) -> DeckWriter:
    """The writer for --to NAME; an unknown name is a ValueError naming the choices."""
    try:
        return WRITERS[name]
    except KeyError:
        raise ValueError(f"--to {name!r}: choose one of {', '.join(WRITERS)}") from None


def deck_help() -> str:
    """--to's help, from the registry: 'pptx (PowerPoint, LibreOffice Impress), html (...), ...'."""
    return ", ".join(f"{w.name} ({w.help})" for w in WRITERS.values())
