"""SIGINT and SIGTERM in every phase of a command, not only while scenes render.

The render loop has its own handlers (render._Signals); around it a command plans, reads
story files, writes decks and prints PDFs (Chromium, temporary folders). `guard()` makes a
SIGTERM there unwind like Ctrl-C does: `Terminated` travels up through every `with` and
`finally` (temporary folders removed, Chromium closed) to `main`, which prints one line and
exits 143. The first signal is the one that counts; later ones are ignored, so the clean-up
they would cut short runs to its end.

`rearm_in_finalizers` keeps a worker's SIGTERM from ending as a traceback: a signal handler's
SystemExit raised while a finalizer (tqdm's `__del__`) runs is swallowed by Python with
"Exception ignored in …"; the hook sends the signal again, to be handled after it.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any


class Terminated(BaseException):
    """SIGTERM arrived outside the render loop: unwind, clean up, exit 143."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Guard:
    """The command's handlers: the first signal unwinds (KeyboardInterrupt for SIGINT, as
    Python's own, Terminated for SIGTERM), later ones are ignored."""

    def __init__(self) -> None:
        self.came: int | None = None
        self.previous: dict[int, Any] = {}

    def handle(self, signum: int, _frame: FrameType | None) -> None:
        for sig in self.previous:  # later ones must not cut the clean-up short
            signal.signal(sig, signal.SIG_IGN)
        if self.came is not None:
            return
        self.came = signum
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise Terminated(signum)

    def __enter__(self) -> _Guard:
        self.previous = {sig: signal.signal(sig, self.handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        return self

    def __exit__(self, *exc: object) -> None:
        # after a real signal (this guard's, or the render loop's, which leaves SIG_IGN behind)
        # later ones stay ignored while the process exits: only our own handler is undone
        for sig, handler in self.previous.items():
            if signal.getsignal(sig) == self.handle:
                signal.signal(sig, handler)


def guard() -> _Guard:
    """`with guard(): …`: SIGINT and SIGTERM handled for the whole command (main thread)."""
    return _Guard()


Handler = Callable[[int, Any], Any]


def rearm_in_finalizers(signum: int, handler: Handler) -> None:
    """When `handler`'s exit is swallowed in a finalizer, deliver `signum` again after it."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, (SystemExit, KeyboardInterrupt)):
            signal.signal(signum, handler)
            # sent from another thread a moment later: handled once the finalizer has returned
            # (sent from here, it would be handled here, inside the hook, and swallowed again)
            threading.Timer(0.05, os.kill, (os.getpid(), signum)).start()
            return
        previous(unraisable)

    sys.unraisablehook = hook
