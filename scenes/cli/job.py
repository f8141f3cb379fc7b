"""One scene to render in one or more formats: a `Job`, what every rendering command plans
(render, slides, gallery), what a worker process renders, and what the result cache keys.

The qualities and formats it names are the tables of `scenes.outputs`; nothing here imports
manim, torch or another module of the command line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from scenes.outputs import FORMATS, QUALITIES

if TYPE_CHECKING:
    from landscapes.settings import Settings


@dataclass(frozen=True)
class Job:
    """One scene in one or more formats: everything a worker process needs."""

    name: str
    settings: Settings  # validated; it pickles to a worker without its resolved landscape
    options: dict[str, Any]
    quality: str
    formats: tuple[str, ...]
    out_dir: str
    media_dir: str
    progress: bool
    save_trajectory: bool = False
    sections: bool = False  # also write each beat (manim section) as its own clip, for decks
    theme: str = "dark"
    lang: str = "en"
    force: bool = False  # render even when the cache holds an up-to-date result (not part of the key)
    # the caption line drawn in the video; a deck's clips go without it, since the deck shows
    # each caption once, as slide text (the beats, their times and the subtitles are the same)
    captions: bool = True

    @property
    def variant(self) -> str:
        """A short name for what this job draws (settings, options, theme, language, sections,
        captions)."""
        what = [self.settings.to_dict(), self.options, self.theme, self.lang, self.sections, self.captions]
        return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()[:12]

    @property
    def movies(self) -> tuple[str, ...]:
        """The formats of this job that are movies (with subtitles and beats beside them)."""
        return tuple(f for f in self.formats if FORMATS[f].subtitles)

    def cut(self, fmt: str) -> bool:
        """Whether the result in `fmt` is cut into sections (a deck's clips)."""
        return self.sections and FORMATS[fmt].sections

    def output_config(self, fmt: str) -> dict[str, Any]:
        """The manim config that decides what this job's result in one format holds (part of
        the cache key); render_job adds where files go and what shows on the terminal."""
        form = FORMATS[fmt]
        cfg: dict[str, Any] = {
            "quality": QUALITIES[self.quality].manim,
            # a GIF is made here from the movie (write_gif): manim's own GIF maps its palette onto
            # the fixed 3-3-2 colours of rgb8, which turns the light theme's greys yellow
            "format": form.manim,
            "save_last_frame": not form.movie,
            "write_to_movie": form.movie,
            "preview": False,
            "save_sections": self.cut(fmt),
            # manim's own per-animation cache skips frames it has, and its clock then runs on
            # run times instead of frames: the subtitle cues (timed by that clock) moved by a
            # frame between two renders of the same scene. The result cache above it makes it
            # redundant, so every render runs on frames and the cues are the same each time.
            "disable_caching": True,
        }
        if form.movie and form.manim != fmt:
            # the GIF is made from an h264 movie; at the default crf its encoder noise changes
            # static pixels every frame and bloats the GIF (saddle-surface: 4.4 MB vs 2.3 MB
            # lossless, measured at -q l)
            cfg["video_encoder_options"] = {"crf": "0"}
            # and with its colour at full resolution: 4:2:0 halves the chroma, which bled a
            # coloured thin line or word into the white around it (99th-percentile error 21)
            cfg["pixel_format"] = "yuv444p"
        return cfg
