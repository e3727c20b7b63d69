"""Checking many files: in order, in parallel, each within a time limit.

Workers are processes (pdfplumber is pure Python and would hold the GIL);
results come back in path order as they finish, so output streams and is
the same for any `--jobs`.
"""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from .errors import TimeLimit
from .pipeline import Result, check_file

DEFAULT_TIMEOUT = 30.0
WORKER_MEMORY_BYTES = 4 * 1024**3


def _on_alarm(signum, frame):  # noqa: ARG001
    raise TimeLimit("time limit reached")


def check_with_limit(path: str, timeout: float | None) -> Result:
    """check_file, interrupted after `timeout` seconds (main thread only)."""
    if not timeout or threading.current_thread() is not threading.main_thread():
        return check_file(path)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        result = check_file(path)
    except TimeLimit:
        result = Result(path, "error", error=f"time limit of {timeout:g} s reached")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if result.status == "error" and result.error and result.error.startswith("time limit"):
        result.error = f"time limit of {timeout:g} s reached"
    return result


def _init_worker() -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = WORKER_MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(hard, WORKER_MEMORY_BYTES)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl+C


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run(paths: Iterable[str], jobs: int = 1, timeout: float | None = DEFAULT_TIMEOUT) -> Iterator[Result]:
    paths = list(paths)
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield check_with_limit(p, timeout)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), initializer=_init_worker) as pool:
        futures = [pool.submit(check_with_limit, p, timeout) for p in paths]
        for path, future in zip(paths, futures):
            try:
                yield future.result()
            except BrokenProcessPool:
                yield Result(path, "error", error="the worker reading this file died (out of memory?)")
            except Exception as e:  # noqa: BLE001 - one file's failure must not stop the rest
                yield Result(path, "error", error=f"internal error: {type(e).__name__}: {e}".splitlines()[0])
