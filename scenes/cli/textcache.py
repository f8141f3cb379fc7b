"""manim's caches of rendered text (Text's and MathTex's SVGs): a damaged entry is removed
before a render, so that render writes it again.

manim reuses an SVG whenever the file exists; one left empty or cut short (a render killed
while writing it, a full disk) made every later render of that scene fail with ParseError
until it was deleted by hand. The check is cheap: the file ends its root element, then parses.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path


def damaged(svg: Path) -> bool:
    """Whether a cached SVG cannot be what manim wrote: empty, cut short, not XML."""
    try:
        data = svg.read_bytes()
    except OSError:
        return True
    if not data.rstrip().endswith(b"</svg>"):
        return True
    try:
        ET.fromstring(data)
    except ET.ParseError:
        return True
    return False


def sweep(folder: Path) -> list[Path]:
    """Remove every damaged SVG in a cache folder (kept: the sound ones); the ones removed.
    Run under the scene's lock: no other render of the scene is writing them."""
    gone = []
    for svg in sorted(Path(folder).glob("*.svg")) if Path(folder).is_dir() else []:
        if damaged(svg):
            svg.unlink(missing_ok=True)
            gone.append(svg)
    return gone
