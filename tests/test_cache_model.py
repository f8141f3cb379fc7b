"""The result cache against a small reference model (hypothesis's stateful testing).

The model is a dict of entries (size, last use, damaged or not) and the rules the README
states: an entry is reused only whole and verified; after each store the least recently used
entries go until the cache fits its limit, except those the running command stored or used and
those stored or used in the last hour; a damaged entry (a file changed, missing, truncated, or
not a regular file: a FIFO, a symlink, a device) is removed when it is looked up, never read
forever, never copied. Each step checks the real cache on disk against the model.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from landscapes.settings import Settings
from scenes.cli import cache as cache_module
from scenes.cli.cache import Cache, Damaged
from scenes.cli.job import Job

NAMES = [f"s{i}" for i in range(5)]
HOUR = 3600.0


def _job(media: Path, name: str) -> Job:
    return Job(name, Settings("square", (1.0,)), {}, "l", ("png",), "out", str(media), False)


def _call(fn, *args, seconds: float = 10.0):
    """fn(*args) in a thread: a read that blocks (a FIFO) fails the test instead of hanging it."""
    box: dict[str, object] = {}

    def go():
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"{fn.__name__} still running after {seconds} s"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


class CacheModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.tmp = Path(tempfile.mkdtemp(prefix="roll-cache-model-"))
        self.media = self.tmp / "media"
        self.root = self.tmp / "cache"
        # the model: name -> size, last use (time.time()), damaged; and the running command's
        self.entries: dict[str, dict] = {}
        self.run_used: set[str] = set()
        self.stores = 0

    @initialize(limit_entries=st.integers(1, 4))
    def start(self, limit_entries: int) -> None:
        self.limit = limit_entries * 3000
        self.cache = Cache(self.root, self.limit)

    def teardown(self) -> None:
        import shutil

        shutil.rmtree(self.tmp, ignore_errors=True)

    # helpers -----------------------------------------------------------------------------
    def _render(self, name: str, size: int) -> tuple[Job, list[str], bytes]:
        job = _job(self.media, name)
        path = self.media / "images" / name / "Scene.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = (f"{name}:{self.stores}:".encode() * size)[:size]
        path.write_bytes(data)
        return job, [str(path)], data

    def _folder(self, name: str) -> Path:
        return self.root / f"{name}-key{name}"

    def _protected(self, name: str, now: float) -> bool:
        return name in self.run_used or now - self.entries[name]["used"] < HOUR

    def _evict_in_model(self) -> None:
        now = time.time()
        total = sum(e["size"] for e in self.entries.values())
        for name in sorted(self.entries, key=lambda n: (self.entries[n]["used"], self._folder(n).name)):
            if total <= self.limit:
                break
            if self._protected(name, now):
                continue
            total -= self.entries.pop(name)["size"]

    # rules -------------------------------------------------------------------------------
    @rule(name=st.sampled_from(NAMES), size=st.integers(1, 2500))
    def store(self, name: str, size: int) -> None:
        self.stores += 1
        job, produced, data = self._render(name, size)
        assert self.cache.store(job, f"key{name}", produced) == self._folder(name)
        self.entries[name] = {"size": size, "used": time.time(), "damaged": False, "data": data}
        self.run_used.add(name)
        self._evict_in_model()
        on_disk = {p.name for p in self.cache.entries()}
        assert on_disk == {self._folder(n).name for n in self.entries}
        # the limit holds, but for what may not be evicted
        now = time.time()
        total = sum(e["size"] for e in self.entries.values())
        assert total <= self.limit or all(self._protected(n, now) for n in self.entries)

    @rule(name=st.sampled_from(NAMES), size=st.integers(1, 2500))
    def concurrent_store(self, name: str, size: int) -> None:
        """Two commands store the same result at the same moment: one entry, whole."""
        self.stores += 1
        job, produced, data = self._render(name, size)
        other = Cache(self.root, self.limit)
        threads = [
            threading.Thread(target=c.store, args=(job, f"key{name}", produced)) for c in (self.cache, other)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        self.entries[name] = {"size": size, "used": time.time(), "damaged": False, "data": data}
        self.run_used.add(name)
        # each command evicts what its own run did not use: the other one may take an entry
        # this run used over an hour ago (the model's `age`), and which goes first depends on
        # the threads' order. What holds either way: the stored entry and every entry used in
        # the last hour stay, nothing else appears, and the limit holds but for those.
        now = time.time()
        on_disk = {p.name for p in self.cache.entries()}
        kept = {n for n in self.entries if self._folder(n).name in on_disk}
        assert on_disk == {self._folder(n).name for n in kept}
        assert name in kept and all(n in kept for n in self.entries if now - self.entries[n]["used"] < HOUR)
        self.entries = {n: self.entries[n] for n in kept}
        total = sum(e["size"] for e in self.entries.values())
        assert total <= self.limit or all(self._protected(n, now) for n in self.entries)
        assert not [p for p in self.root.iterdir() if p.name.startswith((".tmp-", ".old-"))]

    @rule(name=st.sampled_from(NAMES))
    def fetch(self, name: str) -> None:
        job = _job(self.media, name)
        for p in (self.media / "images").rglob("*.png"):
            p.unlink()
        model = self.entries.get(name)
        if model is None:
            assert _call(self.cache.fetch, job, f"key{name}") is None
            return
        if model["damaged"]:
            with pytest.raises(Damaged):
                _call(self.cache.fetch, job, f"key{name}")
            del self.entries[name]
            assert not self._folder(name).exists(), "a damaged entry is removed"
            return
        (path,) = _call(self.cache.fetch, job, f"key{name}")
        assert Path(path).read_bytes() == model["data"]
        model["used"] = time.time()
        self.run_used.add(name)

    @rule(name=st.sampled_from(NAMES), hours=st.sampled_from([0.5, 2.0, 3.0, 30.0]))
    def age(self, name: str, hours: float) -> None:
        if name not in self.entries:
            return
        when = time.time() - hours * HOUR
        os.utime(self._folder(name) / "manifest.json", (when, when))
        self.entries[name]["used"] = when

    @rule(
        name=st.sampled_from(NAMES),
        how=st.sampled_from(["flip", "truncate", "grow", "remove", "fifo", "zero", "symlink", "device"]),
    )
    def damage(self, name: str, how: str) -> None:
        if name not in self.entries:
            return
        path = self._folder(name) / "files" / "images" / name / "Scene.png"
        # damaged already (a FIFO, a link, a device, gone): damage it again, from nothing
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        path.unlink(missing_ok=True)
        if how == "flip":
            path.write_bytes(bytes([data[0] ^ 1]) + data[1:] if data else b"x")
        elif how == "truncate":
            path.write_bytes(data[: len(data) // 2])
        elif how == "grow":
            path.write_bytes(data + b"\0" * 1_000_000)
        elif how == "fifo":
            os.mkfifo(path)
        elif how == "zero":
            path.symlink_to("/dev/zero")
        elif how == "symlink":  # the right bytes, but through a link: not the entry's own file
            copy = self.tmp / f"copy-{name}"
            copy.write_bytes(self.entries[name]["data"])
            path.symlink_to(copy)
        elif how == "device":
            try:
                os.mknod(path, 0o600 | __import__("stat").S_IFCHR, os.makedev(1, 5))  # /dev/zero's
            except PermissionError:
                path.symlink_to("/dev/null")
        self.entries[name]["damaged"] = True

    @rule()
    def next_command(self) -> None:
        """A new command: what the last one used is no longer its own."""
        self.cache = Cache(self.root, self.limit)
        self.run_used = set()

    @precondition(lambda self: hasattr(self, "cache"))
    @invariant()
    def only_what_the_model_holds(self) -> None:
        assert {p.name for p in self.cache.entries()} == {self._folder(n).name for n in self.entries}


CacheModel.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_the_cache_against_its_model = CacheModel.TestCase


def test_a_damaged_entry_is_never_read_past_its_size(tmp_path, monkeypatch):
    """/dev/zero behind a symlink, a FIFO: refused without a read, in well under a second."""
    media, root = tmp_path / "media", tmp_path / "cache"
    c = Cache(root)
    for how in ("zero", "fifo"):
        job = _job(media, "s0")
        path = media / "images" / "s0" / "Scene.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"png" * 100)
        entry = c.store(job, "k", [str(path)])
        (cached,) = (entry / "files").rglob("Scene.png")
        cached.unlink()
        cached.symlink_to("/dev/zero") if how == "zero" else os.mkfifo(cached)
        t = time.perf_counter()
        with pytest.raises(Damaged, match="not a regular file"):
            _call(c.fetch, job, "k", seconds=5)
        assert time.perf_counter() - t < 1 and not entry.exists()
    assert cache_module.MANIFEST_MAX >= 1024**2


@pytest.mark.parametrize(
    "steps",
    [
        # the issue's first case: an entry of another command, stored a minute ago, went because
        # the entry whose name sorts last was two hours old
        [("store", "s0", 2000), ("store", "s4", 100), ("next",), ("age", "s4", 2.0), ("store", "s1", 1500)],
        # the second: two old entries, but the last name fresh, and nothing was evicted
        [("store", "s0", 1501), ("store", "s1", 1501), ("next",), ("age", "s0", 3.0), ("age", "s1", 3.0)]
        + [("store", "s4", 1500)],
    ],
)
def test_the_issues_sequences(steps):
    machine = CacheModel()
    try:
        machine.start(limit_entries=1)
        for step in steps:
            if step[0] == "store":
                machine.store(step[1], step[2])
            elif step[0] == "age":
                machine.age(step[1], step[2])
            else:
                machine.next_command()
            machine.only_what_the_model_holds()
    finally:
        machine.teardown()
