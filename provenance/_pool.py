"""A supervised pool of worker processes: each file is audited in a worker with a time and memory cap.

Why processes: the native C2PA reader can abort its whole process (a Rust allocation failure does) and
cannot be interrupted from Python, so a per-file time or memory limit needs a process of its own.
Workers are started with ``spawn`` (a fresh interpreter), never ``fork``: c2pa-rs state must not cross
a fork. Each worker builds its reader context once at start (:func:`provenance.audit.prepare_reader`,
cached per process by the ``lru_cache`` in :mod:`provenance.evidence._c2pa`) and audits one file at a
time.

Supervision: a worker that dies (any signal or exit), exceeds the per-file time cap or is left in
doubt by a ``MemoryError`` is replaced by a new one; the file it held is ``unreadable`` with a plain
reason ("the reader stopped", "took longer than", "ran out of memory"), never a tampering finding.
The batch goes on. Results come back in input order; at most ``window`` files are in flight or
waiting for an earlier one, so memory does not grow with the batch.

Dispatch: each worker is sent up to :data:`QUEUED` paths ahead (a path is a few bytes on its pipe; the
worker opens and reads the file itself), so it starts its next file as soon as it sends a result
instead of idling until the supervisor is scheduled again. The time cap runs for the oldest of a
worker's files: it starts when the file was sent to an idle worker, or when the supervisor receives the
previous file's result (a little after the worker started it: the cap is never shorter). When a worker
dies, hangs or fails, only its current file is failed; the paths queued behind it go to another worker.

Caps (:class:`Caps`): ``timeout`` seconds of wall time per file (default 300); address space per
worker while it reads a file: ``memory_mb`` MiB plus four times the file's size (``RLIMIT_AS``; default
2048 MiB), so a larger file gets room for its own bytes and the reader's copies.
"""

from __future__ import annotations

import multiprocessing
import os
import selectors
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .policy import Policy
    from .trust import TrustConfig
    from .verdict import ImageVerdict

    Task = Callable[[Path, Policy, TrustConfig], tuple[ImageVerdict, bool]]

__all__ = ["JOBS_PER_CORE", "QUEUED", "Caps", "WorkerPool", "default_jobs", "max_jobs"]

QUEUED = 2
"""Paths sent to a worker at once: the one it reads and the next (#12: a worker never waits for the supervisor)."""

JOBS_PER_CORE = 4
"""At most this many workers per core (:func:`max_jobs`): each holds an interpreter and a reader context
(tens of MiB), and ``--jobs 999`` on two cores would start 999 of them for no gain."""


@dataclass(frozen=True, slots=True)
class Caps:
    """Per-file limits in a worker: wall-clock ``timeout`` (seconds) and ``memory_mb`` (MiB of address
    space, plus four times the file size)."""

    timeout: float = 300.0
    memory_mb: int = 2048

    def memory_for(self, size: int) -> int:
        """The ``RLIMIT_AS`` soft limit in bytes for a file of ``size`` bytes."""
        return self.memory_mb * 1024 * 1024 + 4 * max(0, size)


def default_jobs() -> int:
    """The number of cores this process may run on (its CPU affinity where the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def max_jobs() -> int:
    """The most workers a pool starts: ``JOBS_PER_CORE`` per core this process may run on."""
    return JOBS_PER_CORE * default_jobs()


def _signal_name(number: int) -> str:
    """``SIGKILL`` for 9; ``signal 99`` for a number the platform does not name."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _limit_memory(limit: int) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows: no RLIMIT_AS
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker(conn: Connection, policy: Policy, trust: TrustConfig, caps: Caps, task: Task | None,
            thumbnails: bool = False) -> None:
    """Worker loop: receive ``(index, path)``, send ``(index, verdict, healthy)``; ``None`` stops it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor handles Ctrl-C and stops the workers
    from ._malloc import keep_freed_memory
    from .audit import audit_image_sound, prepare_reader

    keep_freed_memory()
    run = task or audit_image_sound
    prepare_reader(trust)
    conn.send("ready")  # the per-file clock starts only once the worker can read
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, path = message
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0
        _limit_memory(caps.memory_for(size))
        verdict, healthy = run(path, policy, trust) if task else audit_image_sound(path, policy, trust,
                                                                                    thumbnails=thumbnails)
        try:
            conn.send((index, verdict, healthy))
        except OSError:  # the supervisor is gone (killed or interrupted): stop quietly, no traceback
            return
        if not healthy:
            return  # after a MemoryError the process is not trusted with another file


@dataclass
class _Slot:
    process: Any
    conn: Connection
    tasks: deque[tuple[int, Path]] = field(default_factory=deque)  # sent, oldest (the one being read) first
    deadline: float = 0.0


def _context() -> Any:
    # spawn, not fork (c2pa-rs state must not cross a fork) nor forkserver: spawned workers are children
    # of this process, so their CPU time is accounted to it (wait4) and they end with it.
    return multiprocessing.get_context("spawn")


class WorkerPool:
    """``jobs`` supervised worker processes auditing files under ``policy`` and ``trust``.

    Use as a context manager; :meth:`map` yields one :class:`~provenance.verdict.ImageVerdict` per
    path, in input order. ``failed(path, reason)`` makes the verdict of a file whose worker failed
    (the caller's policy judges an unreadable file). ``task`` replaces
    :func:`provenance.audit.audit_image_sound` in the workers (a module-level function; tests use it to
    make a worker abort, hang or run out of memory). ``jobs`` is capped at :func:`max_jobs`.
    """

    def __init__(self, jobs: int, policy: Policy, trust: TrustConfig, caps: Caps,
                 failed: Callable[[Path, str], ImageVerdict], task: Task | None = None, *,
                 thumbnails: bool = False) -> None:
        jobs = max(1, min(jobs, max_jobs()))
        self.jobs, self.policy, self.trust, self.caps, self.failed = jobs, policy, trust, caps, failed
        self.task, self.thumbnails = task, thumbnails
        self._ctx = _context()
        self._slots: list[_Slot] = []
        self._retry: deque[tuple[int, Path]] = deque()  # queued behind a file whose worker failed
        # One selector for the pool's life, each worker's pipe and sentinel registered while it lives:
        # `multiprocessing.connection.wait` builds and fills a new one per call, which was the largest
        # per-image cost left in the supervisor (100-170 us of its ~300 us per image; #12).
        self._selector: selectors.BaseSelector = selectors.DefaultSelector()

    def __enter__(self) -> WorkerPool:
        starting = [self._start() for _ in range(self.jobs)]  # all start at once, in parallel
        try:
            for number, slot in enumerate(starting):
                if not self._ready(slot):
                    self._cannot_start(slot, retry=True)  # raises for an error at start: no retry
                    slot = self._started(retry=False)  # killed or hung while starting: replaced once
                self._slots.append(slot)
                self._watch(slot)
                starting[number] = slot
        except BaseException:
            for slot in starting:
                if slot.process.is_alive():
                    slot.process.kill()
                    slot.process.join()
            self._slots = []
            self._selector.close()
            raise
        return self

    def _watch(self, slot: _Slot) -> None:
        self._selector.register(slot.conn, selectors.EVENT_READ)
        self._selector.register(slot.process.sentinel, selectors.EVENT_READ)

    def _unwatch(self, slot: _Slot) -> None:
        for fileobj in (slot.conn, slot.process.sentinel):
            try:
                self._selector.unregister(fileobj)
            except (KeyError, ValueError, OSError):  # not registered (a worker that never became ready)
                pass

    def _started(self, *, retry: bool = True) -> _Slot:
        """A new worker, ready to read; one that is killed or hangs while starting is replaced once
        (``retry``).

        Raises:
            ProvenanceError: the worker raised while starting, or died or hung again.
        """
        slot = self._start()
        if self._ready(slot):
            return slot
        self._cannot_start(slot, retry=retry)
        slot = self._start()
        if self._ready(slot):
            return slot
        self._cannot_start(slot, retry=False)
        raise AssertionError("unreachable")  # pragma: no cover

    def _ready(self, slot: _Slot) -> bool:
        """Wait until a new worker has imported the reader and built its context (at most 120 s);
        ``False`` (the worker stopped) when it died or hung instead."""
        try:
            if slot.conn.poll(120.0) and slot.conn.recv() == "ready":
                return True
        except (EOFError, OSError):
            pass
        slot.process.kill()
        slot.process.join()
        slot.conn.close()
        return False

    def _cannot_start(self, slot: _Slot, *, retry: bool) -> None:
        """Raise for a worker that failed to start, unless it was killed or hung and ``retry``.

        A worker that exited with status 1 raised an exception while starting (most often a script
        without the ``__main__`` guard): another would do the same. A signal or a hang can be
        transient (the out-of-memory killer on a loaded machine).

        Raises:
            ProvenanceError: the worker failed to start and is not to be replaced.
        """
        from .errors import ProvenanceError

        code = slot.process.exitcode
        if retry and code != 1:
            return
        if code == 1:  # an exception in the worker's start, most often this one:
            how = ("(see its error above); a script that audits with jobs=N must call it under "
                   "`if __name__ == \"__main__\":` (workers are spawned: each imports the script again)")
        elif code is not None and code < 0:
            how = (f"(it ended by {_signal_name(-code)} before it was ready, twice: killed, or stopped after "
                   "120 s without an answer)")
        else:
            how = f"(it exited with status {code}, twice)"
        raise ProvenanceError(f"an audit worker process could not start {how}")

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _start(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker, args=(child, self.policy, self.trust, self.caps, self.task, self.thumbnails),
                                    daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def _replace(self, slot: _Slot) -> None:
        self._unwatch(slot)
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()
        slot.conn.close()
        self._retry.extendleft(reversed(slot.tasks))  # the failed file is already popped
        fresh = self._started()
        slot.process, slot.conn, slot.tasks = fresh.process, fresh.conn, deque()
        self._watch(slot)

    def close(self) -> None:
        """Stop every worker (politely, then by force after 2 s)."""
        for slot in self._slots:
            try:
                slot.conn.send(None)
            except OSError:
                pass
        for slot in self._slots:
            slot.process.join(2.0)
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            self._unwatch(slot)
            slot.conn.close()
        self._slots = []
        self._selector.close()

    def _death_reason(self, slot: _Slot) -> str:
        slot.process.join(1.0)
        code = slot.process.exitcode
        if code is not None and code < 0:
            how = f"was stopped by {_signal_name(-code)} (a native abort, such as the reader running out of its memory cap)"
        else:
            how = f"exited with status {code}"
        return f"the reader process {how} while reading this file: the file could not be read"

    def _collect(self, done: dict[int, tuple[Path, ImageVerdict]]) -> None:
        """Wait for a result, a death or a timeout; record what finished in ``done``."""
        busy = [slot for slot in self._slots if slot.tasks]
        now = time.monotonic()
        timeout = max(0.0, min(slot.deadline for slot in busy) - now)
        ready = {key.fileobj for key, _events in self._selector.select(timeout)}
        for slot in self._slots:
            if not slot.tasks and slot.process.sentinel in ready:
                self._replace(slot)  # died while idle: no file is lost, and its sentinel must not spin the loop
        for slot in busy:
            index, path = slot.tasks[0]
            if slot.conn in ready:
                try:
                    got_index, verdict, healthy = slot.conn.recv()
                except (EOFError, OSError):
                    slot.tasks.popleft()
                    done[index] = path, self.failed(path, self._death_reason(slot))
                    self._replace(slot)
                    continue
                assert got_index == index  # a worker answers its paths in the order sent
                slot.tasks.popleft()
                done[index] = path, verdict
                slot.deadline = time.monotonic() + self.caps.timeout  # the next queued file has started
                if not healthy:
                    self._replace(slot)
            if slot.process.sentinel in ready:
                slot.tasks.popleft()
                done[index] = path, self.failed(path, self._death_reason(slot))
                self._replace(slot)
            elif time.monotonic() >= slot.deadline:
                slot.tasks.popleft()
                done[index] = path, self.failed(path, f"reading this file took longer than the {self.caps.timeout:g} s limit: "
                                                "it was stopped and could not be read")
                self._replace(slot)

    def _dispatch(self, slot: _Slot, item: tuple[int, Path]) -> None:
        if not slot.tasks:
            slot.deadline = time.monotonic() + self.caps.timeout
        slot.tasks.append(item)
        try:
            slot.conn.send(item)
        except OSError:
            pass  # a dead worker: its sentinel reports it in _collect

    def map(self, paths: Iterable[Path]) -> Iterator[ImageVerdict]:
        """Audit ``paths``; yield their verdicts in the order given."""
        for _path, verdict in self.pairs(paths):
            yield verdict

    def pairs(self, paths: Iterable[Path]) -> Iterator[tuple[Path, ImageVerdict]]:
        """Audit ``paths`` (any iterable, consumed as workers free up: at most ``window`` paths are
        held); yield ``(path, verdict)`` in the order given."""
        pending = iter(enumerate(paths))
        window = 8 * self.jobs
        done: dict[int, tuple[Path, ImageVerdict]] = {}
        next_out, next_in, exhausted = 0, 0, False
        while True:
            # Fill idle workers first, then queue a second path on each (in two rounds).
            for depth in range(QUEUED):
                for slot in self._slots:
                    if len(slot.tasks) > depth:
                        continue
                    if self._retry:  # queued behind a failed worker: already counted in next_in
                        self._dispatch(slot, self._retry.popleft())
                    elif not exhausted and next_in < next_out + window:
                        item = next(pending, None)
                        if item is None:
                            exhausted = True
                            continue
                        next_in += 1
                        self._dispatch(slot, item)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if exhausted and not self._retry and next_out == next_in:
                return
            if any(slot.tasks for slot in self._slots):
                self._collect(done)
