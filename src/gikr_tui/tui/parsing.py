"""Parsing off the UI thread: the run loop `gikr check` uses, driven by a thread of its own.

The loop (`runner.RunLoop`) takes a current result from the cache or hands
the file to worker processes, and stores what they parse in batches; here it
runs without a path-order window, so each result is delivered as soon as it
is done, and the file the user opens can be moved to the front of the queue.
The loop is not thread-safe and its `step()` blocks, so one thread owns it;
the app hands it paths through a lock and wakes it through a pipe.

Processes, not threads: pdfplumber is pure Python and would hold the GIL,
stalling key handling.  The thread and the workers start with the first file
(the first frame never waits for them); workers come from a forkserver,
because forking a process that already runs Textual's driver threads can
deadlock the child.
"""

from __future__ import annotations

import multiprocessing
import threading
from typing import Callable

from ..msg import Msg, msg
from ..pipeline import Result
from ..pool import prepare
from ..readers import format_of
from ..runner import FULL, RunLoop, local_executor
from ..settings import TUI_MAX_JOBS, Settings

CLOSING = msg("not read: gikr is closing")

Deliver = Callable[[str, Result], None]


class ParsePool:
    """Files in (`submit`, `prioritise`), results out through `deliver(path, result)`,
    called on the pool's thread as each file is done (the app posts a message)."""

    def __init__(self, settings: Settings, deliver: Deliver) -> None:
        self.settings = settings
        self.jobs = settings.workers(cap=TUI_MAX_JOBS)
        self._deliver = deliver
        self._lock = threading.Lock()
        self._incoming: list[str] = []
        self._front: list[str] = []
        self._thread: threading.Thread | None = None
        self._closed = False
        self._wake_r, self._wake_w = multiprocessing.Pipe(duplex=False)
        self._loop: RunLoop | None = None
        # (path, pages done, pages) as a file is read by OCR, called from the pool's thread
        self.on_progress = None

    def busy(self) -> list[tuple[int, str]]:
        """(worker pid, path) for every file being read right now."""
        loop = self._loop
        return loop.busy() if loop is not None else []

    def submit(self, paths: list[str]) -> None:
        """Read `paths` (again, for one read before); one already waiting keeps its place."""
        with self._lock:
            if self._closed:
                return
            self._incoming.extend(paths)
            if self._thread is None:
                prepare({format_of(p) for p in paths} - {None})  # from the app's (main) thread
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._serve, name="gikr-pool", daemon=True)
                self._thread.start()
        self._wake()

    def prioritise(self, path: str) -> None:
        """Read `path` next, if it is still waiting."""
        with self._lock:
            self._front.append(path)
        self._wake()

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
        """The run loop's workers, telling the app how far OCR has read a file."""
        executor = local_executor(settings, workers, full, formats)
        executor.on_progress = self.on_progress
        return executor

    def _serve(self) -> None:
        loop = self._loop = RunLoop(self.settings, need=FULL, workers=self.jobs, make_executor=self._executor)
        try:
            while True:
                with self._lock:
                    if self._closed:
                        break
                    new, self._incoming = self._incoming, []
                    front, self._front = self._front, []
                loop.add(new, skip_waiting=True)
                for path in front:
                    loop.prioritise(path)
                for outcome in loop.step(wake=self._wake_r):
                    self._deliver(outcome.path, outcome.result())
                while self._wake_r.poll():
                    self._wake_r.recv_bytes()
        except Exception as e:  # noqa: BLE001 - no file may wait for ever on a dead thread
            error = msg("internal error in the parsing pool: {error}", error=f"{type(e).__name__}: {e}".splitlines()[0])
            self._fail_all(loop, error)
        finally:
            try:
                loop.close()
            finally:
                self._fail_all(loop, CLOSING)

    def _fail_all(self, loop: RunLoop, error: Msg) -> None:
        with self._lock:
            pending, self._incoming = self._incoming, []
        for path in [*loop.abandon(), *pending]:
            self._deliver(path, Result(path, "error", format_of(path), error=error))
