"""Parsing off the UI thread: the run loop `gikr check` uses, driven by a thread of its own.

Badges a warm cache holds are looked up in a process of their own
(`lookup.Lookups`: on a thread here they starved the app's thread of the GIL);
what it does not find goes to the run loop.  The loop (`runner.RunLoop`)
takes a current result from the cache or hands the file to worker
processes, and stores what they parse in batches; here it runs without a
path-order window, so each result is delivered as soon as it is done, and the file the user opens can be moved to the front of the queue.
The loop is not thread-safe and its `step()` blocks, so one thread owns it;
the app hands it paths through a lock and wakes it through a pipe.

Processes, not threads: pdfplumber is pure Python and would hold the GIL,
stalling key handling.  The thread and the workers start with the first file
(the first frame never waits for them); workers come from a forkserver,
because forking a process that already runs Textual's driver threads can
deadlock the child.

What comes back for each file is its `Summary` (decoded from the brief as a
light view: a folder of 10,000 reports is a few megabytes), delivered a
batch at a time; the whole result is read when the file is opened (`load`:
from the cache, or from the bytes kept for a result no cache holds).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from concurrent.futures import Future
from multiprocessing.connection import wait
from typing import Callable, NamedTuple

from .. import cache, codec
from ..msg import Msg, msg
from ..pipeline import Result
from ..pool import prepare, start_context
from ..readers import format_of
from ..records import Outcome
from ..runner import BADGE, RunLoop, local_executor
from ..settings import TUI_MAX_JOBS, Settings
from .lookup import Lookups
from .session import Summary

# Reads handed to the app at once, at most (the rest go with the next batch): a
# batch is handled on the app's thread, and a key typed meanwhile waits for it
# (2,000 took 15-90 ms there; 500 stays within a frame or two).
DELIVER_AT_MOST = 500

CLOSING = msg("not read: gikr is closing")


class Read(NamedTuple):
    """One file read (from the cache, or by a worker)."""

    path: str
    summary: Summary
    # The whole result's codec bytes (compressed) when no cache holds it: the
    # cache is off, or the result could not be stored; None otherwise.
    data: bytes | None


Deliver = Callable[[list[Read]], None]


def read_of(outcome: Outcome) -> Read:
    data = None
    if not outcome.cached and not outcome.stored and outcome.data is not None:
        data = codec.packed(outcome.data)
    return Read(outcome.path, Summary.of(outcome.badge), data)


class ParsePool:
    """Files in (`submit`, `prioritise`), what was read out through `deliver(reads)`,
    called on the pool's thread with each batch (the app posts a message);
    whole results through `load()`."""

    def __init__(self, settings: Settings, deliver: Deliver) -> None:
        self.settings = settings
        self.jobs = settings.workers(cap=TUI_MAX_JOBS)
        self._deliver = deliver
        self._lock = threading.Lock()
        self._incoming: list[str] = []
        self._front: list[str] = []
        self._loads: list[tuple[str, bytes | None, Future]] = []
        self._flushes: list[threading.Event] = []
        self._thread: threading.Thread | None = None
        self._closed = False
        # One batch of reads in the app's queue at a time: what is read meanwhile goes
        # with the next, so a key's handling never waits behind a queue of batches.
        self._taken = threading.Event()
        self._taken.set()
        self._unsent: list[Read] = []
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._loop: RunLoop | None = None
        self._lookups: Lookups | None = None
        # (path, pages done, pages) as a file is read by OCR, called from the pool's thread
        self.on_progress = None

    def busy(self) -> list[tuple[int, str]]:
        """(worker pid, path) for every file being read right now."""
        loop = self._loop
        return loop.busy() if loop is not None else []

    def submit(self, paths: list[str], formats: set[str] | None = None) -> None:
        """Read `paths` (again, for one read before); one already waiting keeps its place.
        `formats`: the formats of `paths`, when the caller knows them (found off the app's thread)."""
        with self._lock:
            if self._closed:
                return
            self._incoming.extend(paths)
            if self._thread is None:
                if formats is None:
                    formats = {format_of(p) for p in paths} - {None}
                prepare(formats)  # from the app's (main) thread
            self._start()
        self._wake()

    def prioritise(self, path: str) -> None:
        """Read `path` next, if it is still waiting."""
        with self._lock:
            self._front.append(path)
        self._wake()

    def taken(self) -> None:
        """The app has taken the last batch out of its queue: the next may go."""
        self._taken.set()
        self._wake()

    def load(self, path: str, data: bytes | None = None) -> Future:
        """The whole result of `path` (from `data`, its codec bytes, or from the cache), as a
        Future: None when the file is no longer what the cache holds (it is read again, and
        delivered as usual).  Cancel the Future to drop a load no longer wanted."""
        future: Future = Future()
        with self._lock:
            if self._closed:
                future.set_result(None)
                return future
            self._loads.append((path, data, future))
            self._start()
        self._wake()
        return future

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until what the workers parsed so far is in the cache (another thread reads it there)."""
        done = threading.Event()
        with self._lock:
            if self._closed or self._thread is None:
                return True
            self._flushes.append(done)
        self._wake()
        return done.wait(timeout)

    def _start(self) -> None:
        """Start the pool's thread if it is not running (the lock held)."""
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._serve, name="gikr-pool", daemon=True)
            self._thread.start()

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

    def _executor(self, settings: Settings, workers: int, full: bool, formats: set):
        """The run loop's workers, telling the app how far OCR has read a file.

        They send whole results whatever the loop reads (`full`): one that is
        not stored in the cache is kept as bytes, to open the file later."""
        executor = local_executor(settings, workers, True, formats)
        executor.on_progress = self.on_progress
        return executor

    def _serve(self) -> None:
        loop = self._loop = RunLoop(self.settings, need=BADGE, workers=self.jobs, make_executor=self._executor)
        lookups = None
        try:
            lookups = self._lookups = self._start_lookups()
            while True:
                while self._wake_r.poll():  # (first: a wake after this is seen by the step below)
                    self._wake_r.recv_bytes()
                with self._lock:
                    if self._closed:
                        break
                    new, self._incoming = self._incoming, []
                    front, self._front = self._front, []
                    loads, self._loads = self._loads, []
                    flushes, self._flushes = self._flushes, []
                if lookups is not None:
                    lookups.add(new)
                else:
                    loop.add(new, skip_waiting=True)
                if loads or flushes:
                    loop.flush()  # what was just parsed may be opened: it is read from the cache
                for done in flushes:
                    done.set()
                for path, data, future in loads:
                    if future.set_running_or_notify_cancel():
                        self._load(loop, path, data, future)
                for path in front:
                    if lookups is None or not lookups.prioritise(path):
                        loop.prioritise(path)
                if lookups is not None and not self._take_answers(loop, lookups):
                    lookups = self._lookups = None  # it died (its files went to the loop)
                self._send()
                if lookups is not None and lookups.asked and loop.idle():
                    wait([self._wake_r, lookups.process.sentinel])  # (an answer comes with a wake)
                    continue
                self._unsent.extend(read_of(outcome) for outcome in loop.step(wake=self._wake_r))
                if loop.idle():
                    loop.flush()  # the last files read are in the cache before the app hears of them
                self._send()
        except Exception as e:  # noqa: BLE001 - no file may wait for ever on a dead thread
            error = msg("internal error in the parsing pool: {error}", error=f"{type(e).__name__}: {e}".splitlines()[0])
            self._fail_all(loop, error)
        finally:
            try:
                if lookups is not None:
                    lookups.close()
            finally:
                try:
                    loop.close()
                finally:
                    self._fail_all(loop, CLOSING)

    def _start_lookups(self) -> Lookups | None:
        """The process looking badges up in the cache; None (the loop looks them up here) without a cache."""
        if not self.settings.use_cache or cache.get_cache() is None:
            return None
        try:
            return Lookups(start_context(), self.settings, self._wake_w)
        except (OSError, ValueError, RuntimeError):
            return None

    def _take_answers(self, loop: RunLoop, lookups: Lookups) -> bool:
        """Hits as reads, misses to the loop (the opened file first); then ask for more.
        False when the process has died: what it had not answered went to the loop."""
        try:
            answers = lookups.answers()
        except (EOFError, OSError):
            answers = None
        for hits, misses in answers or ():
            for path, fields in hits:
                lookups.urgent.discard(path)
                summary = Summary._make(fields)
                if summary.agency:
                    summary = summary._replace(agency=sys.intern(summary.agency))
                self._unsent.append(Read(path, summary, None))
            self._to_loop(loop, lookups, misses)
        if answers is None or not lookups.process.is_alive():
            self._to_loop(loop, lookups, lookups.pending())
            lookups.close()
            return False
        lookups.ask()
        return True

    @staticmethod
    def _to_loop(loop: RunLoop, lookups: Lookups, paths: list[str]) -> None:
        loop.add(paths, skip_waiting=True)
        for path in paths:
            if path in lookups.urgent:
                lookups.urgent.discard(path)
                loop.prioritise(path)

    def _send(self) -> None:
        if self._unsent and self._taken.is_set():
            self._taken.clear()
            reads, self._unsent = self._unsent[:DELIVER_AT_MOST], self._unsent[DELIVER_AT_MOST:]
            self._deliver(reads)

    def _load(self, loop: RunLoop, path: str, data: bytes | None, future: Future) -> None:
        try:
            if data is not None:
                result = Outcome(0, path, "", None, data).result()
            else:
                result = cache.lookup(path)
                if result is None:  # changed since it was read, or its row could not be stored
                    loop.add([path], skip_waiting=True)
                    loop.prioritise(path)
        except Exception as e:  # noqa: BLE001 - whoever waits is told, never left waiting
            future.set_exception(e)
            return
        future.set_result(result)

    def _fail_all(self, loop: RunLoop, error: Msg) -> None:
        with self._lock:
            pending, self._incoming = self._incoming, []
            loads, self._loads = self._loads, []
            flushes, self._flushes = self._flushes, []
        for _path, _data, future in loads:
            if future.set_running_or_notify_cancel():
                future.set_result(None)
        for done in flushes:
            done.set()
        unsent, self._unsent = self._unsent, []
        lookups, self._lookups = self._lookups, None
        looking = lookups.pending() if lookups is not None else []
        reads = unsent + [Read(path, Summary.of(Result(path, "error", format_of(path), error=error)), None)
                          for path in dict.fromkeys([*looking, *loop.abandon(), *pending])]
        if reads:
            self._deliver(reads)
