"""`--shard K/N`: the K-th of N parts of a scene list, for splitting a render across machines.

The parts are disjoint and together the whole, balanced by each scene's relative cost (a 3D
scene costs about twice a 2D one), and the same on every machine: a greedy longest-first
assignment over the list's fixed order, ties broken by name and then by the lowest part, with
no hashing and no randomness. Each part keeps the list's own order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from landscapes.errors import SettingsError

SHAPE = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")
MAX_DIGITS = 100  # beyond, int() refuses the text; any N that fits is served


def parse_shard(text: str) -> tuple[int, int]:
    """'2/4' -> (2, 4): part K (counted from 1) of N."""
    match = SHAPE.fullmatch(text or "")
    if not match:
        raise SettingsError(f"--shard {text!r}: give K/N, the K-th of N parts, e.g. --shard 1/4")
    if len(match[1]) > MAX_DIGITS or len(match[2]) > MAX_DIGITS:
        raise SettingsError(
            f"--shard {text[:40]}…: K and N have at most {MAX_DIGITS} digits, e.g. --shard 1/4"
        )
    k, n = int(match[1]), int(match[2])
    if n < 1:
        raise SettingsError(f"--shard {text}: N must be at least 1, e.g. --shard 1/4")
    if not 1 <= k <= n:
        raise SettingsError(f"--shard {text}: K must be from 1 to {n} (parts are counted from 1)")
    return k, n


def split(names: Sequence[str], costs: Mapping[str, float], n: int) -> list[list[str]]:
    """All N parts: the costliest scene first, each to the part with the least cost so far
    (longest processing time first); each part in the order of `names`."""
    filled = _filled(names, costs, n)
    return filled + [[] for _ in range(n - len(filled))]


def _filled(names: Sequence[str], costs: Mapping[str, float], n: int) -> list[list[str]]:
    """The first min(N, len(names)) parts of `split`: only they can receive a scene (an empty
    part with a lower index always wins a tie at load 0), so N may be any size (1/10**20)."""
    unique = list(dict.fromkeys(names))
    used = min(n, len(unique))
    loads = [0.0] * used
    parts: list[set[str]] = [set() for _ in range(used)]
    for name in sorted(dict.fromkeys(names), key=lambda s: (-costs[s], s)):
        i = min(range(used), key=lambda j: (loads[j], j))
        parts[i].add(name)
        loads[i] += costs[name]
    return [[s for s in unique if s in part] for part in parts]


def pick(names: Sequence[str], costs: Mapping[str, float], shard: tuple[int, int] | None) -> list[str]:
    """The names of shard (K, N), or all of them without a shard."""
    if shard is None:
        return list(names)
    k, n = shard
    parts = _filled(names, costs, n)
    return parts[k - 1] if k <= len(parts) else []


def describe(shard: tuple[int, int], picked: Sequence[str], total: int) -> str:
    k, n = shard
    if not picked:
        return f"roll: shard {k}/{n} has no scenes ({total} scenes in {n} parts); nothing to do"
    return f"roll: shard {k}/{n}: {len(picked)} of {total} scenes ({', '.join(picked)})"
