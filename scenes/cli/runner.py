"""Running jobs: each one up to date in the result cache is copied back, the rest render in
this process or in worker processes; each result is handed to a deliver step (publishing, by
default), and SIGINT/SIGTERM stop every worker and exit 130/143."""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing import get_context
from typing import Any

from landscapes.errors import SettingsError
from scenes.cli import stops
from scenes.cli.assembly import Assembly, Piece, Rest, piece_key
from scenes.cli.cache import Cache, Damaged
from scenes.cli.cache_key import job_key
from scenes.cli.job import Job
from scenes.cli.plan import job_cost
from scenes.cli.progress import Progress, is_terminal
from scenes.cli.publish import publish
from scenes.cli.sources import Sources
from scenes.cli.stretches import Stretch, can_split, stretch_counts
from scenes.cli.worker import render_job, render_stretch, scene_lock


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived: unwind, clean up, exit 128 + signal number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class _Signals:
    """SIGINT and SIGTERM while jobs run: the first one stops the run (Interrupted); any later
    one (Ctrl-C pressed three times) is ignored, so the clean-up it would break (stopping the
    workers, removing temporary files) runs to its end and `roll` prints one line. Once a real
    signal came, the handlers stay that way until the process exits, which it is about to."""

    def __init__(self) -> None:
        self.came: int | None = None
        self.swallowed: Interrupted | None = None
        self.previous = {sig: signal.signal(sig, self.handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        self.hook = sys.unraisablehook
        sys.unraisablehook = self.unraisable

    def unraisable(self, unraisable: Any) -> None:
        """Python swallows an exception raised where it cannot propagate (a fork's after-fork
        callback, a finalizer) with "Exception ignored in …": the signal's Interrupted is kept
        here instead, and `check` raises it at the loop's next turn."""
        if isinstance(unraisable.exc_value, Interrupted):
            self.swallowed = unraisable.exc_value
            return
        self.hook(unraisable)

    def check(self) -> None:
        """Raise the Interrupted a callback swallowed, if one did."""
        if self.swallowed is not None:
            stop, self.swallowed = self.swallowed, None
            raise stop

    def handle(self, signum: int, _frame: object) -> None:
        # SIG_IGN, not a Python function that returns: Python resets its own handlers to the
        # default at exit, and a third Ctrl-C would then kill the process (exit -2, not 130)
        for sig in self.previous:
            signal.signal(sig, signal.SIG_IGN)
        if self.came is not None:
            return
        self.came = signum
        raise Interrupted(signum)

    def restore(self) -> None:
        sys.unraisablehook = self.hook
        if self.came is None:  # a real signal: leave later ones ignored while the process exits
            for sig, handler in self.previous.items():
                signal.signal(sig, handler)


def require_manim() -> None:
    """Refuse early, in one line, when manim or its system libraries are missing."""
    try:
        import manim  # noqa: F401
    except (ImportError, OSError) as exc:
        raise SettingsError(
            f"manim cannot be loaded ({exc}); run `make render` in the project folder to set it up"
        ) from None


Deliver = Callable[[Job, Sequence[str]], list[str]]


class _Run:
    """One run's state, shared by the serial and the parallel renderer: what to do with a
    result, the cache and each job's key, what finished and what failed, the progress line."""

    def __init__(self, jobs: Sequence[Job], workers: int, verbose: bool, deliver: Deliver) -> None:
        self.deliver = deliver
        self.verbose = verbose
        self.finished: list[str] = []
        self.failures: list[str] = []
        self.unprinted = 0  # paths not printed: stdout was closed (`roll render … | head -1`)
        self.cache = Cache.for_media(jobs[0].media_dir) if jobs else None
        self.keys: dict[str, str] = {}
        self.progress = Progress(
            {j.name: job_cost(j) for j in jobs}, enabled=workers > 1 and is_terminal(sys.stderr)
        )

    def look_up(self, jobs: Sequence[Job]) -> tuple[list[tuple[Job, list[str]]], list[Job]]:
        """Split the jobs into those up to date in the cache (with their files, copied back
        into the media tree) and those to render. Only I/O: no torch runs before the fork."""
        if self.cache is None:
            return [], list(jobs)
        sources = Sources()
        hits, todo = [], []
        for job in jobs:
            try:
                self.keys[job.name] = key = job_key(job, sources)
                produced = None if job.force else self.cache.fetch(job, key)
            except Damaged as exc:
                print(f"roll: {job.name}: cache entry damaged ({exc}); rendering again", file=sys.stderr)
                produced = None
            except Exception as exc:  # noqa: BLE001 - the cache is an optimisation: render instead
                if self.verbose:
                    raise
                print(f"roll: {job.name}: cache not used ({type(exc).__name__}: {exc})", file=sys.stderr)
                produced = None
            if produced is None:
                todo.append(job)
            else:
                hits.append((job, produced))
        return hits, todo

    def reuse(self, hits: Sequence[tuple[Job, list[str]]]) -> None:
        for job, produced in hits:
            try:
                paths = self.deliver(job, produced)
            except Exception as exc:  # noqa: BLE001 - report it and go on with the other scenes
                if self.verbose:
                    raise
                self.fail(job.name, f"{type(exc).__name__}: {exc}")
                continue
            self.finished.append(job.name)
            self.progress.settle(job.name, rendered=False)
            with self.progress.above():
                self.emit(paths)
                print(f"roll: {job.name}: up to date", file=sys.stderr)

    def keep(self, job: Job, produced: Sequence[str]) -> Sequence[str]:
        """A successful render enters the cache (only now, and whole, or not at all)."""
        key = self.keys.get(job.name)
        if self.cache is not None and key is not None:
            try:
                self.cache.store(job, key, produced)
            except Exception as exc:  # noqa: BLE001 - the result itself is fine: deliver it
                if self.verbose:
                    raise
                self.say(f"roll: {job.name}: result not cached ({type(exc).__name__}: {exc})")
        return produced

    def done(self, job: Job, paths: Sequence[str], seconds: float, note: str = "") -> None:
        self.finished.append(job.name)
        self.progress.settle(job.name)
        with self.progress.above():
            self.emit(paths)
            print(f"roll: {job.name} done in {seconds:.1f} s{note}", file=sys.stderr)

    def emit(self, paths: Sequence[str]) -> None:
        """Print each path on stdout. A closed stdout (the reader quit) does not stop the run:
        the results still land in --out, and the end of the run says what was not printed."""
        for p in paths:
            if self.unprinted:
                self.unprinted += 1
                continue
            try:
                print(p, flush=True)
            except BrokenPipeError:
                self.unprinted += 1
                silence_stdout()

    def fail(self, name: str, what: str) -> None:
        self.failures.append(_failure(name, what))
        self.progress.settle(name)
        self.progress.draw()

    def say(self, text: str) -> None:
        with self.progress.above():
            print(text, file=sys.stderr)


def run_jobs(
    jobs: Sequence[Job], workers: int, verbose: bool = False, deliver: Deliver | None = None
) -> tuple[int, list[str]]:
    """Render every job that is not up to date in the cache and hand each job's files to
    `deliver` (default: publish them into --out) in this process; returns the exit code and
    the scenes finished."""
    run = _Run(jobs, workers, verbose, deliver or publish)
    signals = _Signals()
    try:
        hits, todo = run.look_up(jobs)
        if todo:
            require_manim()  # only now: a run with every scene up to date never loads manim
        run.progress.begin()
        counts = stretch_counts([job_cost(j) for j in todo], [can_split(j) for j in todo], workers)
        if workers == 1 or (len(todo) <= 1 and max(counts, default=1) == 1):
            run.reuse(hits)
            _render_serial(todo, run, signals)
        else:
            _render_parallel(todo, workers, run, hits, counts, signals)
        signals.check()
    except Interrupted as stop:
        run.progress.close()
        done = ", ".join(run.finished) or "nothing"
        print(f"roll: interrupted by {stop}; finished: {done}", file=sys.stderr)
        return 128 + stop.signum, run.finished
    finally:
        run.progress.close()
        signals.restore()
        if run.unprinted:
            print(
                f"roll: stdout was closed, so {run.unprinted} paths were not printed; "
                "every result was still written",
                file=sys.stderr,
            )
    if run.failures:
        for line in run.failures:
            print(line, file=sys.stderr)
        print("roll: some scenes failed (run with --verbose --jobs 1 for the traceback)", file=sys.stderr)
        return 1, run.finished
    return 0, run.finished


def _render_serial(jobs: Sequence[Job], run: _Run, signals: _Signals | None = None) -> None:
    for job in jobs:
        run.say(f"roll: rendering {job.name} ({', '.join(job.formats)}, -q {job.quality})")
        t = time.perf_counter()
        try:
            with scene_lock(job):
                produced = render_job(job)
            paths = run.deliver(job, run.keep(job, produced))
            if signals is not None:
                signals.check()
        except Exception as exc:  # noqa: BLE001 - report it and go on with the other scenes
            if signals is not None and signals.came is not None:
                # the signal's Interrupted, turned into another error on its way out (a C
                # extension's import that it cut short raises ImportError): still an interrupt
                raise Interrupted(signals.came) from exc
            if run.verbose:
                raise
            run.fail(job.name, f"{type(exc).__name__}: {exc}")
            continue
        run.done(job, paths, time.perf_counter() - t)


def _worker(tasks: Any, results: Any, parent: int) -> None:
    """A worker process: render jobs until told to stop. Ctrl-C in a terminal reaches the
    whole process group; only the parent reacts, and it stops the workers with SIGTERM,
    which unwinds here so that manim discards its half-written segment files. A parent that
    dies without stopping them (kill -9) sends SIGTERM too: no worker outlives `roll`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    stops.rearm_in_finalizers(signal.SIGTERM, _worker_stop)  # no "Exception ignored" traceback
    _die_with(parent)
    import torch

    torch.set_num_threads(1)  # the workers already fill the cores
    while (task := tasks.get()) is not None:
        key = piece_key(task)
        try:
            if isinstance(task, Stretch):  # a piece of a split scene: its parent holds the lock
                produced: Any = render_stretch(task)
            elif isinstance(task, Rest):
                produced = render_job(task.job)
            else:
                with scene_lock(task):
                    produced = render_job(task)
            results.put((key, True, produced))
        except Exception as exc:  # noqa: BLE001 - the parent reports it with the scene's name
            results.put((key, False, f"{type(exc).__name__}: {exc}"))


def _worker_stop(signum: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second one must not cut the unwinding
    sys.exit(128 + signum)


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with(parent: int) -> None:
    """SIGTERM this process when `parent` dies: the kernel's parent-death signal on Linux,
    else a thread that watches the parent's pid."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        ok = sys.platform.startswith("linux") and libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
    except (OSError, AttributeError):
        ok = False
    if os.getppid() != parent:  # it died before the signal was asked for
        os.kill(os.getpid(), signal.SIGTERM)
    if ok:
        return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()


def _render_parallel(
    jobs: Sequence[Job],
    workers: int,
    run: _Run,
    hits: Sequence[tuple[Job, list[str]]] = (),
    counts: Sequence[int] | None = None,
    signals: _Signals | None = None,
) -> None:
    """Render the jobs in worker processes; a job with a count above 1 is split into that
    many stretches (scenes.cli.stretches), which this process joins once all are back,
    holding the scene's lock meanwhile (its stretches share the scene's files)."""
    # fork, not spawn: require_manim() has already imported manim and torch here, so a
    # forked worker starts at once instead of paying ~2.5 s of imports (measured: --all -q l
    # with 2 jobs took 22.3 s spawned, 19.0 s forked). Nothing before this point has run a
    # torch op large enough to start its thread pool, which is what makes fork unsafe; the
    # up-to-date scenes are delivered only once the workers run (a gallery's JSON runs torch).
    ctx = get_context("fork")
    sys.stdout.flush()
    sys.stderr.flush()
    tasks, results = ctx.Queue(), ctx.Queue()
    by_name = {job.name: job for job in jobs}
    parts: dict[str, Assembly] = {}
    work: list[tuple[float, Job | Piece]] = []
    with contextlib.ExitStack() as locks:
        for job, count in zip(jobs, counts or [1] * len(jobs), strict=True):
            if count > 1:
                locks.enter_context(scene_lock(job))
                parts[job.name] = Assembly(job, count)
                work += [(job_cost(job) / count, piece) for piece in parts[job.name].pieces]
                run.progress.split(job.name, len(parts[job.name].pieces))
            else:
                work.append((job_cost(job), job))
        n = min(workers, len(work))
        # the costliest first (3D), so the last worker to finish is not left with it
        for _, task in sorted(work, key=lambda w: -w[0]):
            tasks.put(task)
        for _ in range(n):
            tasks.put(None)
        parent = os.getpid()
        procs = [ctx.Process(target=_worker, args=(tasks, results, parent), daemon=True) for _ in range(n)]
        started = time.perf_counter()
        for p in procs:
            p.start()
        split = "".join(f"; {name} in {a.count} stretches" for name, a in parts.items())
        scenes = f"{len(jobs)} scene{'s' if len(jobs) > 1 else ''}"
        run.say(f"roll: rendering {scenes} in {n} processes{split}")
        try:
            run.reuse(hits)
            pending = {piece_key(task) for _, task in work}
            while pending:
                if signals is not None:  # a signal that came while a worker forked is raised here
                    signals.check()
                try:
                    key, ok, payload = results.get(timeout=0.2)
                except queue.Empty:
                    run.progress.tick()
                    if any(p.is_alive() for p in procs):
                        continue
                    # every worker has exited: a last result may still be on its way through the
                    # pipe (a worker puts it, then exits), so wait for it before calling it lost
                    try:
                        key, ok, payload = results.get(timeout=2.0)
                    except queue.Empty:
                        codes = sorted({p.exitcode for p in procs})
                        for lost in sorted({k[0] for k in pending}):
                            run.fail(lost, f"its worker process ended (exit codes {codes})")
                        return
                pending.discard(key)
                name = key[0]
                job = by_name[name]
                assembly = parts.get(name)
                if assembly is not None:
                    if assembly.failed:
                        continue
                    if not ok:
                        assembly.failed = True
                        assembly.discard()
                        run.fail(name, payload)
                        continue
                    if not assembly.take(key, payload):
                        run.progress.piece(name)
                        continue
                elif not ok:
                    run.fail(name, payload)
                    continue
                try:
                    produced = assembly.whole() if assembly is not None else payload
                    paths = run.deliver(job, run.keep(job, produced))
                except Exception as exc:  # noqa: BLE001 - report it and go on with the other scenes
                    if run.verbose:
                        raise
                    run.fail(name, f"{type(exc).__name__}: {exc}")
                    continue
                note = f" ({assembly.count} stretches)" if assembly is not None else ""
                run.done(job, paths, time.perf_counter() - started, note)
        finally:
            _stop(procs)
            for assembly in parts.values():  # a stopped or failed run leaves no stretch behind
                assembly.discard()


def _stop(procs: Sequence[Any], grace: float = 3.0) -> None:
    """End every worker: SIGTERM, a moment to clean up, then SIGKILL. Never leaves one behind."""
    for p in procs:
        if p.is_alive():
            p.terminate()
    deadline = time.monotonic() + grace
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(1.0)


def silence_stdout() -> None:
    """Point stdout at /dev/null, so that the flush at exit does not fail on the closed pipe."""
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test's capture): nothing will flush into a pipe


def _failure(name: str, what: str) -> str:
    return f"roll: {name} failed: {what}"
