"""One overall progress line for `--jobs N` on a terminal: scenes done of total, time elapsed,
and an estimate of the time left from the relative costs of the scenes still to come.

The line is rewritten in place (a carriage return, then the terminal's erase-to-end-of-line);
anything else printed while it shows is printed `above()` it, so paths and messages never end
up glued to it. On anything but a terminal (a pipe, a file, CI's log) nothing is written.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TextIO

ERASE = "\x1b[K"  # erase from the cursor to the end of the line


def clock(seconds: float) -> str:
    """0:07, 12:30, 1:02:03: minutes and seconds, hours once there are any."""
    s = max(0, round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def estimate_left(elapsed: float, cost_done: float, cost_left: float) -> float | None:
    """Seconds left if the rest goes at the pace so far: elapsed time per unit of cost (a 2D
    scene is 1, a 3D one about 2) times the cost still to render. None before any scene has
    rendered (no pace yet); 0 when nothing is left."""
    if cost_left <= 0:
        return 0.0
    if cost_done <= 0 or elapsed <= 0:
        return None
    return elapsed / cost_done * cost_left


def progress_line(
    done: int,
    total: int,
    elapsed: float,
    left: float | None,
    pieces: Mapping[str, tuple[int, int]] | None = None,
) -> str:
    """The line; `pieces`: for each scene split into stretches, its pieces back of all."""
    guess = "estimating the time left" if left is None else f"about {clock(left)} left"
    split = "".join(f" ({name}: {a} of {b} pieces)" for name, (a, b) in (pieces or {}).items())
    return f"roll: {done} of {total} scenes done{split}, {clock(elapsed)} elapsed, {guess}"


class Progress:
    """The overall line for one run. `costs` holds every scene of the run (name -> relative
    cost); scenes already up to date are `settle`d with rendered=False: they count as done
    but say nothing about the pace."""

    def __init__(
        self,
        costs: Mapping[str, float],
        stream: TextIO | None = None,
        enabled: bool | None = None,
        now: Callable[[], float] = time.monotonic,
        every: float = 1.0,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self.costs = dict(costs)
        self.done: set[str] = set()
        self.cost_done = 0.0
        self.pieces: dict[str, tuple[int, int]] = {}  # a split scene's pieces: back, all
        self.now = now
        self.every = every
        self.started = now()
        self._shown = False
        self._drawn_at = float("-inf")

    def begin(self) -> None:
        """Rendering starts now: the elapsed time and the pace count from here."""
        self.started = self.now()
        self.draw()

    def split(self, name: str, pieces: int) -> None:
        """A scene renders as `pieces` pieces (its stretches): the line counts them."""
        self.pieces[name] = (0, pieces)

    def piece(self, name: str) -> None:
        """One piece of a split scene is back: its share of the scene's cost is done."""
        back, total = self.pieces.get(name, (0, 1))
        if name in self.done or back >= total:
            return
        self.pieces[name] = (back + 1, total)
        self.cost_done += self.costs.get(name, 1.0) / total
        self.draw()

    def settle(self, name: str, rendered: bool = True) -> None:
        """A scene is finished (rendered, failed, or up to date when rendered=False)."""
        if name in self.done:
            return
        self.done.add(name)
        back, total = self.pieces.pop(name, (0, 1))
        if rendered:
            self.cost_done += self.costs.get(name, 1.0) * (1 - back / total)

    def line(self) -> str:
        elapsed = self.now() - self.started
        left = sum(
            c * (1 - self.pieces.get(n, (0, 1))[0] / self.pieces.get(n, (0, 1))[1])
            for n, c in self.costs.items()
            if n not in self.done
        )
        guess = estimate_left(elapsed, self.cost_done, left)
        return progress_line(len(self.done), len(self.costs), elapsed, guess, self.pieces)

    def draw(self) -> None:
        if not self.enabled:
            return
        self.stream.write(f"\r{self.line()}{ERASE}")
        self.stream.flush()
        self._shown = True
        self._drawn_at = self.now()

    def tick(self) -> None:
        """Redraw if the last drawing is `every` seconds old (the elapsed time moves on)."""
        if self.enabled and self.now() - self._drawn_at >= self.every:
            self.draw()

    def clear(self) -> None:
        if self._shown:
            self.stream.write(f"\r{ERASE}")
            self.stream.flush()
            self._shown = False

    @contextmanager
    def above(self) -> Iterator[None]:
        """Print something (on stdout or stderr) without mixing it into the line."""
        self.clear()
        try:
            yield
        finally:
            sys.stdout.flush()
            self.draw()

    def close(self) -> None:
        self.clear()


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or fake stream
        return False
