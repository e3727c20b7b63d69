"""Parsing off the UI thread: the pool `gikr check` uses, awaited from async workers.

`runner.Pool` gives each worker process one file at a time, so a worker that
dies (the OOM killer, a crash in a C library) or stops answering is blamed on
its own file and replaced, and a parse stuck where the in-worker alarm cannot
reach is ended from outside.  The pool is not thread-safe and its `collect()`
blocks, so one thread owns it; coroutines hand it paths and await futures the
thread resolves on their loop.  A pipe wakes the thread when new paths arrive
while it waits for workers.

Processes, not threads: pdfplumber is pure Python and would hold the GIL,
stalling key handling.  The thread and the workers start with the first file
(the first frame never waits for them); workers come from a forkserver,
because forking a process that already runs Textual's driver threads can
deadlock the child.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
import threading
from collections import deque
from multiprocessing.connection import wait

from .. import cache
from ..pipeline import Result
from ..readers import format_of
from ..runner import DEFAULT_TIMEOUT, KILL_GRACE, Pool, cached, default_jobs, worker_context

CLOSING = "not read: gikr is closing"


def _start_helpers(formats: set[str]) -> None:
    """Start multiprocessing's helper processes with the real stderr.

    Textual swaps sys.stderr for a capture object whose fileno() is -1, and
    the resource tracker passes stderr's fd to its child ("bad value(s) in
    fds_to_keep").  Once started, the helpers are reused for every worker;
    the forkserver preloads the readers `formats` need (set first: only its
    first start counts).
    """
    from multiprocessing import forkserver, resource_tracker

    ctx = worker_context(formats)
    saved = sys.stderr
    try:
        sys.stderr = sys.__stderr__ or saved
        resource_tracker.ensure_running()
        if ctx.get_start_method() == "forkserver":
            forkserver.ensure_running()
    finally:
        sys.stderr = saved


class ParsePool:
    def __init__(self, jobs: int | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.jobs = max(1, jobs or min(default_jobs(), 4))
        self.timeout = timeout
        self.kill_grace = KILL_GRACE
        # the formats the folder holds: their readers are imported once, in
        # the forkserver, instead of by every worker (set before the first parse)
        self.formats: set[str] = set()
        self._lock = threading.Lock()
        self._incoming: deque[tuple[str, asyncio.Future, asyncio.AbstractEventLoop]] = deque()
        self._thread: threading.Thread | None = None
        self._closed = False
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._pool: Pool | None = None

    def busy(self) -> list[tuple[int, str]]:
        """(worker pid, path) for every file being read right now."""
        pool = self._pool
        return pool.busy() if pool is not None else []

    async def parse(self, path: str) -> Result:
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()
        with self._lock:
            if self._closed:
                return Result(path, "error", format_of(path), error=CLOSING)
            self._incoming.append((path, future, loop))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="gikr-pool", daemon=True)
                self._thread.start()
        self._wake()
        return await future

    def _wake(self) -> None:
        try:
            self._wake_w.send_bytes(b"")
        except (OSError, ValueError):
            pass  # closed: the thread is ending anyway

    def shutdown(self) -> None:
        """Stop at once: a worker deep in a slow PDF must not hold up quitting."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wake()
        if thread is not None and thread is not threading.current_thread():
            thread.join(5.0)

    # --- the pool's own thread ---------------------------------------------------

    def _serve(self) -> None:
        waiting: dict[int, tuple[asyncio.Future, asyncio.AbstractEventLoop, str]] = {}
        pool: Pool | None = None
        rows: list[tuple] = []
        try:
            _start_helpers(self.formats)
            use_cache = cache.get_cache() is not None
            pool = self._pool = Pool(
                self.jobs, self.timeout, use_cache=use_cache, kill_grace=self.kill_grace, formats=self.formats
            )
            index = 0
            while True:
                with self._lock:
                    if self._closed:
                        break
                    new = list(self._incoming)
                    self._incoming.clear()
                for path, future, loop in new:
                    hit = cached(path) if use_cache else None
                    if hit is not None:
                        _deliver(future, loop, hit)
                        continue
                    index += 1
                    waiting[index] = (future, loop, path)
                    pool.submit(index, path)
                if waiting:
                    for done_index, result, row in pool.collect(wake=self._wake_r):
                        future, loop, _ = waiting.pop(done_index)
                        _deliver(future, loop, result)
                        if row is not None:
                            rows.append(row)
                    if rows:
                        cache.store_rows(rows)  # one short transaction per batch, as `gikr check` does
                        rows = []
                else:
                    wait([self._wake_r])
                while self._wake_r.poll():
                    self._wake_r.recv_bytes()
        except Exception as e:  # noqa: BLE001 - no caller may wait for ever on a dead thread
            error = f"internal error in the parsing pool: {type(e).__name__}: {e}".splitlines()[0]
            self._fail_all(waiting, error)
        finally:
            if pool is not None:
                pool.close()
            cache.store_rows(rows)
            self._fail_all(waiting, CLOSING)

    def _fail_all(self, waiting: dict, error: str) -> None:
        with self._lock:
            pending = [(future, loop, path) for path, future, loop in self._incoming]
            self._incoming.clear()
        for future, loop, path in [*waiting.values(), *pending]:
            _deliver(future, loop, Result(path, "error", format_of(path), error=error))
        waiting.clear()


def _deliver(future: asyncio.Future, loop: asyncio.AbstractEventLoop, result: Result) -> None:
    def settle() -> None:
        if not future.done():  # the awaiting worker may have been cancelled
            future.set_result(result)

    try:
        loop.call_soon_threadsafe(settle)
    except RuntimeError:
        pass  # that loop has closed: nobody is waiting any more
