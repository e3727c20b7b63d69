"""Checking many files: in order, in parallel, cached, each within limits.

Workers are processes (pdfplumber is pure Python and would hold the GIL).
Each worker takes one file at a time, so the parent always knows which file
a worker holds: a worker that dies (the kernel's OOM killer, a crash in a C
library) or overruns its time limit is reported against that file and
replaced, and the rest of the folder carries on.  Results come back in path
order as soon as every earlier one is done, so output streams and is the
same for any `--jobs`; only a bounded window of files is in flight, so memory
stays flat however large the folder.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Iterable, Iterator

from . import cache, checks
from .errors import TimeLimit, one_line
from .pipeline import Result, check_file
from .readers import format_of

DEFAULT_TIMEOUT = 30.0
# Address space a worker may add for one file (RLIMIT_AS above its own size).
WORKER_MEMORY_BYTES = 4 * 1024**3
# How long past its time limit a worker may stay silent before it is stopped
# from outside (the alarm inside cannot interrupt a stuck C call).
KILL_GRACE = 5.0
# Files in flight per worker: enough to keep workers busy while the parent
# waits for a slow earlier file, few enough that waiting results stay small.
WINDOW_PER_JOB = 8
# Cache rows from workers are stored by the parent this many at a time (or
# this often, in seconds), each batch in one short transaction.
STORE_BATCH = 64
# Files a worker holds at once: the one it reads and the next, so it never
# waits for the parent between two files.
PREFETCH = 2
STORE_EVERY = 2.0


class _Alarm:
    """SIGALRM as a time limit, repeated until it lands.

    Code that catches Exception broadly (a library, a gc callback) can swallow
    one raise, so the alarm then repeats every 50 ms; and a parse that still
    completes after its time ran out is reported as over the limit all the
    same, so the outcome never depends on where the signal happened to land.
    """

    armed = False
    fired = False

    @classmethod
    def handler(cls, signum, frame):  # noqa: ARG003
        if cls.armed:
            cls.fired = True
            signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
            raise TimeLimit("time limit reached")


def _time_limit_result(path: str, timeout: float) -> Result:
    return Result(str(path), "error", format_of(path), error=f"time limit of {timeout:g} s reached")


def _check_limited(path: str, timeout: float | None) -> Result:
    """check_file, interrupted after `timeout` seconds (SIGALRM: main thread only)."""
    if not timeout or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return check_file(path)  # (in a worker, the parent's watchdog still applies)
    previous = signal.signal(signal.SIGALRM, _Alarm.handler)
    try:
        try:
            _Alarm.armed, _Alarm.fired = True, False
            signal.setitimer(signal.ITIMER_REAL, timeout)
            result = check_file(path)
        finally:
            _Alarm.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        if _Alarm.fired:
            result = _time_limit_result(path, timeout)
    except TimeLimit:
        result = _time_limit_result(path, timeout)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if result.status == "error" and result.error and result.error.startswith("time limit"):
        # check_file turns a TimeLimit raised inside it into a plain ReportError result
        result = _time_limit_result(path, timeout)
    return result


def _fresh(path: str, timeout: float | None, use_cache: bool, lite: bool = False) -> Result | cache.Light:
    """Parse `path` now, and remember the result if the cache is on.

    With `lite`, what `gikr check` prints (a `cache.Light`): a worker then
    does the serialising, and sends back a fraction of the bytes.
    """
    item, row = _fresh_row(path, timeout, use_cache, lite)
    if row is not None:
        cache.store_rows([row])
    return item


def _fresh_row(path: str, timeout: float | None, use_cache: bool, lite: bool) -> tuple[Result | cache.Light, tuple | None]:
    """(what to hand back, the cache row to store or None)."""
    key = cache.file_key(path) if use_cache else None
    result = _check_limited(path, timeout)
    light = cache.light(result) if lite else None
    row = None
    if key is not None:
        try:
            row = cache.entry(path, result, key, light)
        except (ValueError, TypeError, RecursionError):  # pickling trouble: a miss next time, nothing worse
            row = None
    return (light if lite else result), row


def cached(path: str, lite: bool = False) -> Result | cache.Light | None:
    key = cache.file_key(path)
    if key is None:
        return None
    return cache.lookup_light(path, key) if lite else cache.lookup(path, key)


def check_with_limit(path: str, timeout: float | None, use_cache: bool = True) -> Result:
    """One file's Result: from the cache when it is current, else parsed within `timeout`.

    The TUI calls this in its own worker pool, so its badges and `gikr check`
    share one cache.
    """
    hit = cached(path) if use_cache else None
    return hit if hit is not None else _fresh(path, timeout, use_cache)


def _address_space() -> int:
    """This process's current virtual size in bytes (0 where it cannot be read)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _init_worker(memory_bytes: int | None = WORKER_MEMORY_BYTES) -> None:
    """Limits for a worker process: memory for one file, and no Ctrl+C (the parent handles it).

    The address-space limit is `memory_bytes` beyond what the worker already
    maps, so the headroom a file gets does not depend on what the interpreter
    happened to import first.  A file that needs more fails with MemoryError
    (or, if that happens where Python cannot recover, its worker dies) and is
    reported as an error; the machine never swaps for it.
    """
    if memory_bytes:
        try:
            import resource

            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            limit = _address_space() + memory_bytes
            if hard != resource.RLIM_INFINITY:
                limit = min(hard, limit)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ImportError, ValueError, OSError):
            pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


# --- The worker pool ----------------------------------------------------------


def _worker_main(
    conn, timeout: float | None, use_cache: bool, memory_bytes: int | None, cache_where: tuple[str, str, tuple], lite: bool
) -> None:
    _init_worker(memory_bytes)
    # Workers fork from a server started earlier, whose environment (and, if
    # gikr was upgraded since, code version) may be older than the parent's:
    # entries must be written where and as the parent will look for them.
    os.environ[cache.ENV_DIR], version, plugins = cache_where
    cache.pin_version(version)
    # checks registered outside the package (plugins, tests) run here too
    try:
        checks.load_plugins(plugins)
        broken = None
    except Exception as e:  # noqa: BLE001 - said for every file, rather than a silent gap in the findings
        broken = one_line(f"internal error: the checks in {plugins} could not be loaded: {type(e).__name__}: {e}")
    cache.reset()
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        index, path = task
        if broken is not None:
            conn.send((index, Result(path, "error", format_of(path), error=broken), None))
            continue
        # The cache row goes to the parent, which stores rows in batches: one
        # writer taking the lock now and then, not every worker for every file.
        item, row = _fresh_row(path, timeout, use_cache, lite)
        try:
            conn.send((index, item, row))
        except (OSError, ValueError):
            return
        except Exception as e:  # noqa: BLE001 - a result that does not pickle is a bug, not a stop
            line = f"internal error: {type(e).__name__}: {e}".splitlines()[0][:200]
            conn.send((index, Result(path, "error", format_of(path), error=line), None))


_READER_MODULES = {"docx": "gikr_tui.readers.docx", "html": "gikr_tui.readers.html", "pdf": "gikr_tui.readers.pdf"}


def worker_context(formats: Iterable[str] = ()):
    # forkserver: workers fork from a clean single-threaded server, not from a
    # parent that may be running a progress-bar thread; spawn where it is missing.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        # Imported once in the server, the readers the folder needs are
        # inherited by every worker instead of imported by each (a missing
        # one is skipped by the server).  Only the first server start counts.
        readers = sorted({_READER_MODULES[f] for f in formats if f in _READER_MODULES})
        ctx.set_forkserver_preload(["gikr_tui.pipeline", "gikr_tui.cache", *readers])
    return ctx


class _Worker:
    """One worker process and the files it has been given, oldest (the one it reads) first."""

    __slots__ = ("process", "conn", "tasks", "started")

    def __init__(self, ctx, timeout, use_cache, memory_bytes, lite) -> None:
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main,
            args=(child_conn, timeout, use_cache, memory_bytes, (str(cache.cache_dir()), cache.version(), checks.plugin_modules()), lite),
            daemon=True,
            name="gikr-worker",
        )
        self.process.start()
        child_conn.close()
        self.conn = parent_conn
        self.tasks: deque[tuple[int, str]] = deque()
        self.started = 0.0  # when it began the file it reads now

    def give(self, index: int, path: str) -> None:
        self.conn.send((index, path))
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append((index, path))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except (OSError, ValueError):
                pass
        self.process.join(0.0 if kill else 1.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1.0)
        self.conn.close()


class Pool:
    """Worker processes handing back one Result per file, replacing any that die or hang.

    Each worker holds up to PREFETCH files, so it starts the next one without
    waiting for the parent; the parent still knows which one it is reading
    (the oldest), which is the one blamed if the worker dies or hangs.
    """

    def __init__(
        self,
        jobs: int,
        timeout: float | None = DEFAULT_TIMEOUT,
        use_cache: bool = True,
        memory_bytes: int | None = WORKER_MEMORY_BYTES,
        kill_grace: float = KILL_GRACE,
        lite: bool = False,
        formats: Iterable[str] = (),
    ) -> None:
        self.jobs = max(1, jobs)
        self.lite = lite
        self.formats = set(formats)
        self.kill_grace = kill_grace
        self.timeout = timeout
        self.use_cache = use_cache
        self.memory_bytes = memory_bytes
        self._ctx = None
        self._workers: list[_Worker] = []
        self._queue: deque[tuple[int, str]] = deque()

    # what a caller (or a test) may look at: which worker holds which file
    def busy(self) -> list[tuple[int, str]]:
        """(worker pid, path) for every file being read right now."""
        return [(w.process.pid, w.tasks[0][1]) for w in list(self._workers) if w.tasks and w.process.pid is not None]

    def submit(self, index: int, path: str) -> None:
        self._queue.append((index, path))
        self._dispatch()

    def _dispatch(self) -> None:
        while self._queue:
            worker = min(self._workers, key=lambda w: len(w.tasks), default=None)
            if worker is None or (worker.tasks and len(self._workers) < self.jobs):
                if self._ctx is None:
                    self._ctx = worker_context(self.formats)
                worker = _Worker(self._ctx, self.timeout, self.use_cache, self.memory_bytes, self.lite)
                self._workers.append(worker)
            elif len(worker.tasks) >= PREFETCH:
                return
            index, path = self._queue.popleft()
            try:
                worker.give(index, path)
            except (OSError, ValueError):  # it died before it could be given the file
                self._queue.appendleft((index, path))
                if worker.tasks:
                    return  # collect() sees it died, and blames the file it was reading
                self._retire(worker)

    def _retire(self, worker: _Worker) -> None:
        """Stop `worker`; files it was given but had not begun go back to the queue."""
        self._workers.remove(worker)
        waiting = list(worker.tasks)[1:]
        self._queue.extendleft(reversed(waiting))
        worker.stop(kill=True)

    def collect(self, wake=None) -> list[tuple[int, Result | cache.Light, tuple | None]]:
        """Block until at least one file is done: (index, result, cache row or None) for each.

        `wake`, a connection, ends the wait early when it becomes readable
        (the TUI's pool thread: new files to hand out); it is not read here.
        """
        done: list[tuple[int, Result | cache.Light, tuple | None]] = []
        while not done and any(w.tasks for w in self._workers):
            busy = [w for w in self._workers if w.tasks]
            deadline = None
            if self.timeout:
                deadline = min(w.started for w in busy) + self.timeout + self.kill_grace
            wait_for = None if deadline is None else max(0.0, deadline - time.monotonic())
            extra = [wake] if wake is not None else []
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy] + extra, timeout=wait_for))
            for worker in busy:
                self._harvest(worker, ready, done)
            self._dispatch()
            if wake is not None and wake in ready:
                break
        return done


    def _harvest(self, worker: _Worker, ready: set, done: list) -> None:
        """Take what `worker` finished; end it, blaming its file, if it died or hung."""
        died = worker.process.sentinel in ready
        if worker.conn in ready or died:
            try:
                while worker.tasks and worker.conn.poll():
                    got_index, result, row = worker.conn.recv()
                    index, _ = worker.tasks.popleft()
                    if got_index != index:  # cannot happen with one pipe per worker; never misfile
                        raise EOFError
                    done.append((index, result, row))
                    worker.started = time.monotonic()
            except (EOFError, OSError):
                died = True
        if died:
            if worker.tasks:
                index, path = worker.tasks[0]
                worker.process.join(1.0)
                code = worker.process.exitcode
                how = f"was killed by signal {-code}" if code is not None and code < 0 else "died"
                if code == -signal.SIGKILL:
                    how += " (out of memory?)"
                done.append((index, Result(path, "error", format_of(path), error=f"the worker reading this file {how}"), None))
            self._retire(worker)
            return
        if worker.tasks and self.timeout and time.monotonic() - worker.started >= self.timeout + self.kill_grace:
            index, path = worker.tasks[0]
            result = _time_limit_result(path, self.timeout)
            result.error += " (its worker stopped answering and was ended)"
            done.append((index, result, None))
            self._retire(worker)

    def close(self) -> None:
        for worker in self._workers:
            worker.stop(kill=bool(worker.tasks))
        self._workers = []
        self._queue.clear()


def run(
    paths: Iterable[str],
    jobs: int = 1,
    timeout: float | None = DEFAULT_TIMEOUT,
    use_cache: bool = True,
    memory_bytes: int | None = WORKER_MEMORY_BYTES,
    pool: Pool | None = None,
    stats: dict[str, int] | None = None,
    lite: bool = False,
) -> Iterator[Result] | Iterator[cache.Light]:
    """Results for `paths`, in their order, each yielded as soon as it and all before it are done.

    Files whose cached result is current never reach a worker, and workers
    start only when some file needs parsing.  `pool` lets a caller watch the
    workers (its `busy()`), and then its settings apply; by default run()
    makes and closes its own.
    `stats["cached"]` counts the results that came from the cache.  With
    `lite`, every item is a `cache.Light` (what `gikr check` prints) rather
    than a whole Result: the main process then never builds nor serialises
    a Report, which is most of its work on a folder of thousands.
    """
    paths = [str(p) for p in paths]
    stats = {} if stats is None else stats
    stats.setdefault("cached", 0)
    if pool is not None:
        use_cache, lite = pool.use_cache, pool.lite  # the pool's settings rule
    if use_cache and paths and cache.get_cache() is None:
        use_cache = False  # broken: said once already; workers must not try again
    if (jobs <= 1 or len(paths) <= 1) and pool is None:
        rows: list[tuple] = []
        try:
            for p in paths:
                hit = cached(p, lite) if use_cache else None
                if hit is not None:
                    stats["cached"] += 1
                    yield hit
                    continue
                item, row = _fresh_row(p, timeout, use_cache, lite)
                if row is not None:
                    rows.append(row)
                if len(rows) >= STORE_BATCH:
                    cache.store_rows(rows)
                    rows = []
                yield item
        finally:
            cache.store_rows(rows)
        return
    own = pool is None
    if pool is None:
        pool = Pool(jobs, timeout, use_cache, memory_bytes, lite=lite, formats={format_of(p) for p in paths})
    window = max(2, pool.jobs * WINDOW_PER_JOB)
    ready: dict[int, Result | cache.Light] = {}
    next_out = next_look = 0
    rows: list[tuple] = []
    flushed = time.monotonic()
    try:
        while next_out < len(paths):
            while next_look < len(paths) and next_look < next_out + window:
                path = paths[next_look]
                hit = cached(path, lite) if use_cache else None
                if hit is not None:
                    stats["cached"] += 1
                    ready[next_look] = hit
                else:
                    pool.submit(next_look, path)
                next_look += 1
                if next_out in ready:
                    break  # stream what is done before looking further
            while next_out in ready:
                item = ready.pop(next_out)
                if lite and isinstance(item, Result):  # the pool's own verdicts: a death, a hang
                    item = cache.light(item)
                yield item
                next_out += 1
            if next_out < len(paths) and next_out not in ready and next_look >= min(len(paths), next_out + window):
                for index, result, row in pool.collect():
                    ready[index] = result
                    if row is not None:
                        rows.append(row)
                if len(rows) >= STORE_BATCH or (rows and time.monotonic() - flushed > STORE_EVERY):
                    cache.store_rows(rows)
                    rows, flushed = [], time.monotonic()
    finally:
        if own:
            pool.close()
        cache.store_rows(rows)  # also when stopped early: what was parsed is kept
