"""A job's key in the result cache: the sha256 of one JSON document holding everything that
decides the bytes manim writes, and nothing else (see scenes.cli.cache)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from scenes.cli.fingerprint import environment
from scenes.cli.job import Job
from scenes.cli.sources import Sources

# 2: an entry holds each video's beats.json; 3: GIFs with one palette (write_gif); 4: movies cut
# on the stretches' segment grid (a keyframe every 2 s within an animation)
FORMAT = 4


# -- the key ---------------------------------------------------------------------------------
def key_document(job: Job, sources: Sources, env: Mapping[str, Any]) -> dict[str, Any]:
    from scenes.catalog import class_name, entry

    settings = job.settings
    module = entry(job.name).module_name
    return {
        "format": FORMAT,
        "scene": {"name": job.name, "module": module, "class": class_name(job.name, settings)},
        "sources": sources.digest(module, job.lang),
        "settings": settings.to_dict(),
        "options": job.options,
        "plugins": _plugin_sources(job),
        "quality": job.quality,
        "formats": list(job.formats),
        "theme": job.theme,
        "lang": job.lang,
        "sections": job.sections,
        "captions": job.captions,
        "manim": [job.output_config(fmt) for fmt in job.formats],
        "environment": env,
    }


def _plugin_sources(job: Job) -> dict[str, str | None]:
    """A user's own optimizer (module:Class) is code outside the project: its file's digest."""
    from scenes.cli.storyfiles import file_optimizers

    names = [
        job.settings.optimizer,
        *job.options.get("optimizers", ()),
        *file_optimizers(job.options),
    ]
    if not any(":" in n for n in names):
        return {}
    from landscapes.plugins import outside_sources

    return outside_sources(names)


def job_key(job: Job, sources: Sources | None = None, env: Mapping[str, Any] | None = None) -> str:
    doc = key_document(job, sources or Sources(), environment() if env is None else env)
    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, allow_nan=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()
