"""What a render can be asked for, declared once: manim's qualities and the formats `roll` writes.

Every reader derives from these two tables: `-q`'s and `--format`'s accepted values and help,
their validation, the manim config of a job (and so the result cache's key), the notebook's
qualities, the gallery's words and the bench. A quality added here is a `-q` letter everywhere.
Nothing here imports manim or the command line, so the notebook reads it too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from landscapes.errors import SettingsError
from scenes.words.i18n import N_


@dataclass(frozen=True)
class Quality:
    """A `-q` letter: manim's quality of that name, its frame size and rate, and its words."""

    letter: str
    manim: str  # manim's config name (`low_quality`): what a render hands manim
    width: int
    height: int
    fps: int
    words: str  # the gallery's words for it, marked for translation

    @property
    def short(self) -> str:
        """`480p15`, as manim's own help says it."""
        return f"{self.height}p{self.fps}"


@dataclass(frozen=True)
class Format:
    """A `--format` value: a movie or a still; whether subtitles and beats come beside it (a
    movie does), whether manim can cut it into sections (a deck's clips), and what manim writes
    for it (a GIF is made here from an mp4; a PNG is the last frame)."""

    ext: str
    movie: bool
    subtitles: bool
    sections: bool
    manim: str
    words: str = ""  # said after the name in --format's help


QUALITIES: dict[str, Quality] = {
    q.letter: q
    for q in (
        Quality("l", "low_quality", 854, 480, 15, N_("480p, 15 frames per second")),
        Quality("m", "medium_quality", 1280, 720, 30, N_("720p, 30 frames per second")),
        Quality("h", "high_quality", 1920, 1080, 60, N_("1080p, 60 frames per second")),
        Quality("p", "production_quality", 2560, 1440, 60, N_("1440p, 60 frames per second")),
        Quality("k", "fourk_quality", 3840, 2160, 60, N_("2160p, 60 frames per second")),
    )
}
DEFAULT_QUALITY = "l"
# a deck's clips fill a projector's screen: 720p30 by default, not a preview's 480p15
DECK_QUALITY = "m"

FORMATS: dict[str, Format] = {
    f.ext: f
    for f in (
        Format("mp4", movie=True, subtitles=True, sections=True, manim="mp4"),
        Format("gif", movie=True, subtitles=True, sections=False, manim="mp4"),
        Format("png", movie=False, subtitles=False, sections=False, manim="mp4", words="last frame"),
        Format("webm", movie=True, subtitles=True, sections=True, manim="webm"),
    )
}
DEFAULT_FORMAT = "mp4"


def _or(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def quality_letters(only: Iterable[str] | None = None) -> list[str]:
    """The letters a command takes: the table's, or those of `only` the table has, in its order."""
    return [q for q in QUALITIES if only is None or q in set(only)]


def quality_help(only: Iterable[str] | None = None, default_letter: str = DEFAULT_QUALITY) -> str:
    """`-q`'s help: `l (480p15, default), m (720p30), … or k (2160p60)`."""
    default = {default_letter: ", default"}
    return _or([f"{q} ({QUALITIES[q].short}{default.get(q, '')})" for q in quality_letters(only)])


def quality_metavar(only: Iterable[str] | None = None) -> str:
    return "{" + ",".join(quality_letters(only)) + "}"


def check_quality(letter: str, only: Iterable[str] | None = None, who: str = "") -> Quality:
    """The quality `-q LETTER` names, or a one-line refusal listing the letters (`who`: the
    command that takes only some of them, named in the refusal)."""
    letters = quality_letters(only)
    if letter not in letters:
        if who:
            said = f"{who} runs at " + _or([f"{q} ({QUALITIES[q].short})" for q in letters])
        else:
            first, last = QUALITIES[letters[0]], QUALITIES[letters[-1]]
            said = (
                f"choose one of {', '.join(letters)} "
                f"({first.letter} = {first.short} … {last.letter} = {last.short})"
            )
        raise SettingsError(f"-q {letter!r}: {said}")
    return QUALITIES[letter]


def format_help(default: str = DEFAULT_FORMAT) -> str:
    """`--format`'s help: `mp4 (default), gif, png (last frame) or webm; several: gif,mp4`."""
    shown = []
    for f in FORMATS.values():
        notes = [n for n in (f.words, "default" if f.ext == default else "") if n]
        shown.append(f"{f.ext} ({', '.join(notes)})" if notes else f.ext)
    return f"{_or(shown)}; several: gif,mp4"


def parse_formats(text: str) -> tuple[str, ...]:
    """`--format gif,mp4`: each a format of the table, each once, at least one."""
    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise SettingsError(f"--format {text!r}: choose from {', '.join(FORMATS)} (several: gif,mp4)")
    return tuple(dict.fromkeys(formats))
