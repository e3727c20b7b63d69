"""The one run loop: take from the cache or submit, collect, store in batches.

`gikr check` and the inspector both drive a `RunLoop`; only the executor
(where files are parsed) is pluggable.  The loop owns the order files are
handed out in (a file can be moved to the front: the one the user opened),
the cache (a current result never reaches an executor; what executors parse
is stored in batches, one short transaction each) and the window (in path
order, how far ahead of the oldest unfinished file it may run, so memory
stays flat however large the folder).  Outcomes come back as they finish;
`run()` puts them in path order for the command line.

An executor is anything with this shape (the local one is
`pool.ProcessExecutor`; a cluster's plugs in the same way):

    capacity: int                                   files it reads at once
    backlog: int (optional)                         files to hand it ahead (default 2 x capacity)
    submit(index: int, path: str) -> None           queue a file
    collect(wake=None) -> list[(int, Parsed)]       block until >= 1 is done, or `wake`
                                                    (a multiprocessing Connection) is readable
    pending() -> int                                submitted and not yet collected
    busy() -> list[(pid, path)]                     what is being read right now
    close() -> None                                 end everything it started, now

Every file an executor accepts comes back from `collect()` exactly once, as
a `records.Parsed` (a worker's death or a hang included: one line blaming
that file), with the file's own time and memory limits applied where it ran.
A Parsed whose `key` is set may be cached; the loop stores it under the key
it took itself before handing the file out, if the file is still that, so an
executor on other machines (other device numbers) needs no access to the
cache and cannot fill it with what a file has since stopped being.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import replace
from multiprocessing.connection import wait
from typing import Callable, Iterable, Iterator, Protocol

from . import cache
from .pool import ProcessExecutor
from .readers import format_of
from .pipeline import Result
from .records import Outcome, Parsed
from .settings import Settings

# What the consumer reads: whole results, briefs only (table, csv, summary), briefs as a
# badge shows them (`Outcome.badge`: the inspector, which reads a whole result when it is
# opened), or briefs and the reports as jsonl shows them (`Outcome.shown()`).
FULL, BRIEF, BADGE, SHOWN = "full", "brief", "badge", "shown"
# Files in flight (or done, waiting for an earlier one) per worker, in path
# order: enough to keep workers busy while a slow earlier file finishes.
WINDOW_PER_JOB = 8
# Files handed to an executor ahead of those it reads, per worker (unless it says otherwise).
BACKLOG_PER_JOB = 2
# What executors parsed is stored this many at a time, or this often (seconds).
STORE_BATCH = 64
STORE_EVERY = 2.0
# Without a window, cache hits are handed back this many at a time, so the
# first results show while the rest of a large folder is looked up.
HITS_PER_STEP = 64
# Without a window, files are looked up in the cache this many at a time (one
# query), and a step looks up at most LOOKUPS_PER_STEP before it returns.
LOOKUP_BATCH = 64
LOOKUPS_PER_STEP = 1024


class Executor(Protocol):
    capacity: int

    def submit(self, index: int, path: str) -> None: ...

    def collect(self, wake=None) -> list[tuple[int, Parsed]]: ...

    def pending(self) -> int: ...

    def busy(self) -> list[tuple[int, str]]: ...

    def close(self) -> None: ...


# (settings, workers, full: whether whole results are needed, formats to expect) -> Executor
ExecutorFactory = Callable[[Settings, int, bool, set], Executor]


def local_executor(settings: Settings, workers: int, full: bool, formats: set) -> Executor:
    return ProcessExecutor(settings, workers, full=full, formats=formats)


class RunLoop:
    """Files in, `Outcome`s out as they finish; see the module docstring.

    Not thread-safe: one thread drives it (the inspector's pool thread,
    woken through `wake` when it has new work for the loop).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        need: str = FULL,
        workers: int | None = None,
        window: int | None = None,
        executor: Executor | None = None,
        make_executor: ExecutorFactory = local_executor,
    ) -> None:
        self.settings = settings
        self.need = need
        self.workers = workers or settings.workers()
        self.window = window  # None: no path-order window (outcomes are used as they come)
        self.make_executor = make_executor
        self.executor = executor
        self._own_executor = executor is None
        self.cached = 0  # outcomes that came from the cache
        self._queue: deque[tuple[int, str]] = deque()
        # Without a window: files looked up and not in the cache, waiting for the executor
        # (with the key taken when they were looked up), so later hits never wait behind them.
        self._misses: deque[tuple[int, str, cache.Key | None]] = deque()
        self._urgent: set[str] = set()  # prioritised while still to be looked up
        self._open: dict[int, str] = {}  # handed out, not yet come back
        self._waiting: dict[str, int] = {}  # queued paths: how many times
        self._next = 0
        self._missed: int | None = None  # the queue's head, looked up and not in the cache
        self._keys: dict[int, cache.Key] = {}  # files handed out: their key when they were
        self._rows: list[Parsed] = []
        self._flushed = time.monotonic()
        self._use_cache = settings.use_cache and cache.get_cache() is not None

    # --- what the driver asks ------------------------------------------------------

    def add(self, paths: Iterable[str], skip_waiting: bool = False) -> list[int]:
        """Queue `paths` (after what is queued); their indices, in order.

        With `skip_waiting`, a path already queued keeps its place and is not
        added again (one being read is: the file may have changed since).
        """
        indices = []
        for path in paths:
            path = str(path)
            if skip_waiting and path in self._waiting:
                continue
            self._queue.append((self._next, path))
            self._waiting[path] = self._waiting.get(path, 0) + 1
            indices.append(self._next)
            self._next += 1
        return indices

    def abandon(self) -> list[str]:
        """Forget every file not done yet (queued or handed out); their paths."""
        paths = [p for _, p in self._queue] + [p for _, p, _k in self._misses] + list(self._open.values())
        self._keys.clear()
        self._queue.clear()
        self._misses.clear()
        self._urgent.clear()
        self._waiting.clear()
        self._open.clear()
        return paths

    def prioritise(self, path: str) -> bool:
        """Move `path` to the front of the queue; False when it is not waiting there."""
        for i, (index, queued, key) in enumerate(self._misses):
            if queued == path:
                del self._misses[i]
                self._misses.appendleft((index, queued, key))
                return True
        for i, (index, queued) in enumerate(self._queue):
            if queued == path:
                del self._queue[i]
                self._queue.appendleft((index, queued))
                if self.window is None:
                    self._urgent.add(path)  # a miss goes to the front of the misses too
                return True
        return False

    def idle(self) -> bool:
        return not self._queue and not self._misses and not self._open

    def busy(self) -> list[tuple[int, str]]:
        return self.executor.busy() if self.executor is not None else []

    def step(self, wake=None) -> list[Outcome]:
        """Hand out what may go; the outcomes now done (cache hits at once, else at least one parse).

        With `wake` (a Connection), returns early, perhaps with nothing, when it
        becomes readable; when the loop is idle, it waits for `wake` alone.
        """
        out = self._hand_out()
        if out or (self.window is None and self._queue):
            return out  # (files still to look up: the caller steps again at once)
        if not self._open:
            if wake is not None:
                wait([wake])
            return out
        for index, parsed in self.executor.collect(wake):
            path = self._open.pop(index, None)
            key = self._keys.pop(index, None)
            out.append(Outcome.of(index, parsed))
            # Stored under the key this process took before handing the file out,
            # and only if the file is still that: an executor elsewhere (a cluster
            # worker) sees other device numbers, and the file may change meanwhile.
            if parsed.key is not None and key is not None and path is not None and cache.settled(path, key):
                self._rows.append(replace(parsed, key=key))
                out[-1].stored = True
        if len(self._rows) >= STORE_BATCH or (self._rows and time.monotonic() - self._flushed > STORE_EVERY):
            self.flush()
        return out

    def flush(self) -> None:
        rows, self._rows = self._rows, []
        self._flushed = time.monotonic()
        if rows:
            cache.store(rows)

    def close(self) -> None:
        """End the executor (if the loop made it) and store what was parsed, also when stopped early."""
        try:
            if self._own_executor and self.executor is not None:
                self.executor.close()
                self.executor = None
        finally:
            self.flush()

    # --- inside ----------------------------------------------------------------------

    def _may_hand_out(self, index: int) -> bool:
        if self.window is None:
            return True
        oldest = min(self._open) if self._open else index
        return index < oldest + self.window

    def _waited(self, path: str) -> None:
        """`path` has left the queue (a hit, or handed out)."""
        left = self._waiting.pop(path) - 1
        if left:
            self._waiting[path] = left

    def _start(self, index: int, path: str, key: cache.Key | None) -> None:
        """Hand a file to the executor (made now if it is the first)."""
        if self.executor is None:
            formats = {format_of(p) for _, p in self._queue} | {format_of(p) for _, p, _k in self._misses}
            formats |= {format_of(path)}
            full = self.need not in (BRIEF, BADGE)  # whether executors send the data
            self.executor = self.make_executor(self.settings, self.workers, full, formats - {None})
            if self.window is not None:  # a cluster's size is known once it is connected
                self.window = max(self.window, backlog(self.executor) * WINDOW_PER_JOB // BACKLOG_PER_JOB)
        self.executor.submit(index, path)
        self._open[index] = path
        if key is not None:
            self._keys[index] = key

    def _hand_out_as_found(self) -> list[Outcome]:
        """Without a window: hits as they are found, misses to the executor as it has room.

        Files are looked up a batch at a time (one query); a miss waits in its
        own queue, so no hit ever waits for a parse to finish.
        """
        hits: list[Outcome] = []
        looked = 0
        while True:
            while self._misses and (self.executor is None or self.executor.pending() < backlog(self.executor)):
                index, path, key = self._misses.popleft()
                self._waited(path)
                self._start(index, path, key)
            if not self._queue or len(hits) >= HITS_PER_STEP or looked >= LOOKUPS_PER_STEP:
                return hits
            batch = [self._queue.popleft() for _ in range(min(LOOKUP_BATCH, len(self._queue)))]
            looked += len(batch)
            keys = cache.file_keys([p for _, p in batch]) if self._use_cache else [None] * len(batch)
            found = cache.lookup_outcomes([(i, p, k) for (i, p), k in zip(batch, keys) if k is not None], self.need)
            for (index, path), key in zip(batch, keys):
                hit = found.get(index)
                if hit is not None:
                    self._waited(path)
                    self._urgent.discard(path)
                    self.cached += 1
                    hits.append(hit)
                elif path in self._urgent:
                    self._urgent.discard(path)
                    self._misses.appendleft((index, path, key))
                else:
                    self._misses.append((index, path, key))

    def _hand_out(self) -> list[Outcome]:
        if self.window is None:
            return self._hand_out_as_found()
        hits: list[Outcome] = []
        while self._queue:
            index, path = self._queue[0]
            if not self._may_hand_out(index):
                break
            hit = key = None
            if self._use_cache:
                key = cache.file_key(path)
                if index != self._missed:
                    hit = cache.lookup_outcome(index, path, self.need, key)
                    self._missed = None if hit is not None else index
            if hit is None and self.executor is not None and self.executor.pending() >= backlog(self.executor):
                break  # the executor has enough to do: later files wait here, where they can be reordered
            self._queue.popleft()
            self._waited(path)
            if hit is not None:
                self.cached += 1
                hits.append(hit)
                if len(hits) >= self.window:
                    break  # stream what is done before looking further
                continue
            self._start(index, path, key)
        return hits


def backlog(executor: Executor) -> int:
    """How many files `executor` wants handed to it before it finishes any (its own say, or 2 a worker)."""
    return getattr(executor, "backlog", None) or executor.capacity * BACKLOG_PER_JOB


def outcomes(
    paths: Iterable[str],
    settings: Settings,
    need: str = FULL,
    executor: Executor | None = None,
    stats: dict[str, int] | None = None,
    make_executor: ExecutorFactory = local_executor,
) -> Iterator[Outcome]:
    """Outcomes for `paths`, in their order, each as soon as it and all before it are done.

    `executor` lets a caller watch the workers (its `busy()`); by default the
    loop makes its own with `make_executor` when a file misses the cache, and
    ends it.  `stats["cached"]` counts cache hits.
    """
    paths = [str(p) for p in paths]
    stats = {} if stats is None else stats
    workers = executor.capacity if executor is not None else settings.workers()
    ahead = backlog(executor) if executor is not None else workers * BACKLOG_PER_JOB
    loop = RunLoop(settings, need=need, workers=workers, window=max(2, ahead * WINDOW_PER_JOB // BACKLOG_PER_JOB),
                   executor=executor, make_executor=make_executor)
    loop.add(paths)
    held: dict[int, Outcome] = {}
    next_out = 0
    try:
        while next_out < len(paths):
            for outcome in loop.step():
                held[outcome.index] = outcome
            while next_out in held:
                yield held.pop(next_out)
                next_out += 1
    finally:
        stats["cached"] = loop.cached
        loop.close()


def run(
    paths: Iterable[str],
    settings: Settings | None = None,
    *,
    executor: Executor | None = None,
    stats: dict[str, int] | None = None,
    **overrides,
) -> Iterator[Result]:
    """Whole Results for `paths`, in their order (a library's and a test's way in).

    `overrides` are Settings fields (`jobs=2`, `timeout=5`, `use_cache=False`)
    over `settings`, by default the environment's.
    """
    if settings is None:
        settings = Settings.from_env(**overrides)
    elif overrides:
        settings = settings.but(**overrides)
    for outcome in outcomes(paths, settings, FULL, executor, stats):
        yield outcome.result()
