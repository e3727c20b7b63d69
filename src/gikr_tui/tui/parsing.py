"""Parsing off the UI thread: a process pool awaited from async workers.

(The brief's `loop.run_in_executor` would call `submit` on the UI loop; it is
done in a helper thread instead, then the pool's future is awaited.)

Processes, not threads: pdfplumber is pure Python and would hold the GIL,
stalling key handling.  The pool is made lazily (the first frame never waits
for it) and uses `forkserver`/`spawn`, because forking a process that already
runs Textual's driver threads can deadlock the child.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
import threading
from concurrent.futures import CancelledError, Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from ..pipeline import Result
from ..runner import DEFAULT_TIMEOUT, _init_worker, check_with_limit, default_jobs


def _context():
    methods = multiprocessing.get_all_start_methods()
    if sys.platform != "win32" and "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _start_helpers() -> None:
    """Start multiprocessing's helper processes with the real stderr.

    Textual swaps sys.stderr for a capture object whose fileno() is -1, and
    the resource tracker passes stderr's fd to its child ("bad value(s) in
    fds_to_keep").  Once started, the helpers are reused for every worker.
    """
    from multiprocessing import forkserver, resource_tracker

    saved = sys.stderr
    try:
        sys.stderr = sys.__stderr__ or saved
        resource_tracker.ensure_running()
        if _context().get_start_method() == "forkserver":
            forkserver.ensure_running()
    finally:
        sys.stderr = saved


class PoolClosed(RuntimeError):
    pass


class ParsePool:
    def __init__(self, jobs: int | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.jobs = max(1, jobs or min(default_jobs(), 4))
        self.timeout = timeout
        self._pool: Executor | None = None
        self._lock = threading.Lock()
        self._closed = False

    def _executor(self) -> Executor:
        if self._pool is None:
            _start_helpers()
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=_context(), initializer=_init_worker
            )
        return self._pool

    def _submit(self, path: str) -> Future:
        with self._lock:
            if self._closed:
                raise PoolClosed(path)
            future = self._executor().submit(check_with_limit, path, self.timeout)
        if self._closed:  # shut down while this thread was starting the pool
            self.shutdown()
        return future

    async def parse(self, path: str) -> Result:
        try:
            # Submitting can block: the first submits start worker processes
            # (each waits for the forkserver), so it happens off the UI loop.
            future = await asyncio.to_thread(self._submit, path)
            return await asyncio.wrap_future(future)
        except (PoolClosed, CancelledError):
            return Result(path, "error", error="not read: gikr is closing")
        except BrokenProcessPool:
            self._pool = None  # the next file gets a fresh pool
            return Result(path, "error", error="the worker reading this file died (out of memory?)")
        except Exception as e:  # noqa: BLE001 - one file's failure must not stop the rest
            return Result(path, "error", error=f"internal error: {type(e).__name__}: {e}".splitlines()[0])

    def shutdown(self) -> None:
        """Stop at once: a worker deep in a slow PDF must not hold up quitting."""
        self._closed = True  # submits still queued in helper threads become no-ops
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # Python < 3.14 has no public way to stop busy workers; without this,
        # interpreter exit joins them and `q` would wait for the slowest parse.
        workers = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            if process.is_alive():
                process.terminate()
