"""What reaches a terminal, a page or a Markdown file from someone else's input.

A story file (its stem, its name, its title, its captions) and a command line come from
anyone. The command line prints them through `shown` (control characters as escapes: an
ESC never reaches the terminal raw); a page writes a scene's name only through `page_name`
(the story-file name check again, so a link can never be `javascript:`), and a Markdown
cell only through `md_cell` (HTML escaped, the table's pipes and the line kept whole).
"""

from __future__ import annotations

import html
import re

from landscapes.storyfile.vocabulary import name_refusal

# C0 and C1 controls (tab and newline too: a message is one line), DEL, the bidirectional
# overrides and isolates, the Unicode line and paragraph separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """A line for the terminal: every control character written as its escape (\\x1b)."""
    return _CONTROL.sub(_escape, text)


def page_name(name: str) -> str:
    """A scene's name as a page writes it in ids, file links and sources: only a name that
    passes the story-file name check (letters, digits, - _ ., not starting with - or .), so
    no link it builds has a scheme. Anything else is a bug upstream, refused loudly."""
    if name_refusal(name):
        raise ValueError(f"{shown(repr(name))} is not a scene name a page may link to")
    return html.escape(name)


def md_cell(text: str) -> str:
    """Text for a Markdown table cell: HTML escaped (a renderer that allows HTML shows it as
    text), the cell's pipe and backtick escaped, control characters and newlines as spaces."""
    flat = _CONTROL.sub(" ", text)
    return html.escape(flat, quote=False).replace("|", "\\|").replace("`", "\\`")


def cue_text(text: str) -> str:
    """A caption as a subtitle cue's text: no blank line (it would end the cue and start
    another), no control character, no `-->` (a cue's timing line)."""
    lines = (_CONTROL.sub(" ", line) for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip()).replace("-->", "→")
