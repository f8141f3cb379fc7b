"""One translation function for every word on screen, in gettext's convention.

Scene files keep their English sentences, wrapped as `_("caught by a ripple at x = {x:.2f}")`
and formatted after translation, so a file still reads as its story and a translator may move
the placeholders. `pybabel extract` (or xgettext) collects the sentences into
`locale/roll.pot`; each language's catalogue is `locale/<lang>/LC_MESSAGES/roll.po`, read with
Babel. English is the source and needs no catalogue. `pseudo` wraps every sentence in ⟦…⟧:
the tests render under it to prove that no word reaches the screen untranslated.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "roll"
SOURCE = "en"
PSEUDO = "pseudo"
OPEN, CLOSE = "⟦", "⟧"
_current = [SOURCE]
SEEN: set[str] = set()  # every message asked for under the pseudo-language (for the extraction check)


def languages() -> tuple[str, ...]:
    """The source language and every language with a catalogue beside the kit."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE, *found)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> msgstr of one language (empty translations left out)."""
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        cat = read_po(f, locale=None)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and m.string}


def use_language(lang: str) -> str:
    """Translate into `lang` from now on in this process."""
    if lang not in (*languages(), PSEUDO):
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(languages())}")
    _current[0] = lang
    return lang


def language() -> str:
    return _current[0]


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "extract, translate later"
    """Mark a sentence for extraction without translating it here (gettext's N_): a table's
    words, translated with `_` where they are shown."""
    return message


def _(message: str) -> str:
    """The sentence in the current language (the English text is the message id)."""
    lang = _current[0]
    if lang == SOURCE:
        return message
    if lang == PSEUDO:
        SEEN.add(message)
        return f"{OPEN}{message}{CLOSE}"
    try:
        return catalogue(lang)[message]
    except KeyError:
        raise KeyError(f"no {lang} translation for {message!r} in {LOCALE_DIR / lang}") from None
