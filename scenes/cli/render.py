"""`roll render`: validate everything first, render each scene with manim, then copy each
result into --out under a stable name (`ripples.gif`), atomically.

Rendering runs in-process for one job, in worker processes for `--jobs N`. Workers get
plain settings dicts (a custom landscape holds closures, which do not pickle) and only
render into manim's media tree; this process alone writes --out, through a temporary
file and a rename, so an interrupted or failed render never leaves a partial result
and never touches the previous one. SIGINT/SIGTERM stop every worker and exit 130/143.

Before any job is dispatched, this process looks each one up in the result cache
(`scenes.cli.cache`): a scene whose inputs are unchanged is copied back from it, says `up to
date`, and costs no worker; after a successful render, this process stores the result.
"""

from __future__ import annotations

import argparse

from scenes.cli import runner
from scenes.cli.job import Job
from scenes.cli.plan import plan
from scenes.outputs import parse_formats


def plan_jobs(args: argparse.Namespace) -> list[Job]:
    """Turn the command line into jobs, refusing any mistake before anything is written."""
    return plan(args, parse_formats(args.format), save_trajectory=args.save_trajectory, bars=True)


def render_command(args: argparse.Namespace) -> int:
    jobs = plan_jobs(args)
    if not jobs:  # an empty shard: more parts than scenes
        return 0
    return runner.run_jobs(jobs, args.jobs, args.verbose)[0]
