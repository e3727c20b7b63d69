"""The local executor: worker processes on this machine, one file at a time each.

Processes, not threads: pdfplumber is pure Python and would hold the GIL, and
only a process can be given a memory limit and be ended from outside.  Each
worker holds at most PREFETCH files (the one it reads and the next), so the
parent always knows which file a worker is reading: a worker that dies (the
OOM killer, a crash in a C library) or stops answering past its time limit is
blamed for that file and replaced, and the rest carry on.

Workers fork from the parent while it has a single thread (a few ms, and
they inherit what it has imported); otherwise (the inspector runs Textual's
threads) from a forkserver, a clean single-threaded process that imports the
needed readers once.  Either way a worker dies with its parent (see procs).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import replace
from importlib import import_module
from multiprocessing.connection import wait
from typing import Iterable

from . import checks, forkserver_guard, procs, progress, records, worker
from .errors import size_text
from .msg import Msg, msg
from .settings import Settings

# Files a worker holds at once: the one it reads and the next, so it never
# waits for the parent between two files.
PREFETCH = 2
# How long a worker ended with SIGTERM may take to end its helper programs
# (a LibreOffice conversion) before it is killed.
TERM_GRACE = 0.5

READER_MODULES = {"docx": "gikr_tui.readers.docx", "html": "gikr_tui.readers.html", "pdf": "gikr_tui.readers.pdf",
                  "doc": "gikr_tui.readers.doc", "text": "gikr_tui.readers.text", "markdown": "gikr_tui.readers.text"}


def _forkserver_context(formats: Iterable[str]):
    """The forkserver, started with the real stderr and the readers `formats` need preloaded.

    Textual swaps sys.stderr for a capture object whose fileno() is -1, and the
    resource tracker passes stderr's fd to its child ("bad value(s) in
    fds_to_keep").  Only the server's first start reads the preload list.
    """
    from multiprocessing import forkserver, resource_tracker

    ctx = multiprocessing.get_context("forkserver")
    readers = sorted({READER_MODULES[f] for f in formats if f in READER_MODULES})
    ctx.set_forkserver_preload(["gikr_tui.forkserver_guard", "gikr_tui.worker", "gikr_tui.interpret", *readers])
    saved = sys.stderr
    os.environ[forkserver_guard.MARK] = str(os.getpid())  # the server's guard acts on it (see there)
    try:
        sys.stderr = sys.__stderr__ or saved
        resource_tracker.ensure_running()
        forkserver.ensure_running()
    finally:
        sys.stderr = saved
        os.environ.pop(forkserver_guard.MARK, None)
    return ctx


def start_context(formats: Iterable[str] = (), method: str | None = None):
    """The multiprocessing context to start the next worker with (see the module's docstring)."""
    methods = multiprocessing.get_all_start_methods()
    if method is None:
        if "fork" in methods and threading.active_count() == 1:
            method = "fork"
        else:
            method = "forkserver" if "forkserver" in methods else "spawn"
    if method == "fork":
        procs.load()  # libc for the parent-death signal, loaded once here too
        import_module("gikr_tui.interpret")  # (the pipeline imports it where a file is read)
        for fmt in formats:  # imported once here, inherited by every worker
            if fmt in READER_MODULES:
                try:
                    import_module(READER_MODULES[fmt])
                except ImportError:
                    pass  # the worker reports it for the file that needs it
        for stream in (sys.stdout, sys.stderr):  # a child must not inherit unwritten output
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        return multiprocessing.get_context("fork")
    if method == "forkserver":
        return _forkserver_context(formats)
    return multiprocessing.get_context(method)


def prepare(formats: Iterable[str] = ()) -> None:
    """Start the forkserver now, from this thread, if workers will come from it.

    Call it from the main thread of a program that runs threads (the
    inspector): the server's parent-death signal follows the thread that
    started it, and the main thread lives as long as the program.
    """
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods and not ("fork" in methods and threading.active_count() == 1):
        _forkserver_context(formats)


class _Worker:
    """One worker process and the files it has been given, oldest (the one it reads) first."""

    __slots__ = ("process", "conn", "tasks", "started", "helpers", "paused")

    def __init__(self, ctx, settings: Settings, memory_bytes: int | None, full: bool) -> None:
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=worker.serve,
            args=(child_conn, settings, memory_bytes, full, dict(os.environ), checks.plugin_modules()),
            daemon=True, name="gikr-worker",
        )
        self.process.start()
        child_conn.close()
        self.conn = parent_conn
        self.tasks: deque[tuple[int, str]] = deque()
        self.started = 0.0  # when it began the file it reads now (moved on by time OCR earns)
        self.helpers: set[int] = set()  # process groups of programs it runs (LibreOffice)
        self.paused: float | None = None  # since when it waits for the OCR slot (off its clock)

    def give(self, index: int, path: str) -> None:
        self.conn.send((index, path))
        if not self.tasks:
            self.started, self.paused = time.monotonic(), None
        self.tasks.append((index, path))

    def read_helpers(self) -> None:
        """Take in the helper notices still unread (a dead worker's answers no longer count)."""
        try:
            while self.conn.poll():
                message = self.conn.recv()
                if message[0] == worker.HELPER:
                    self.note_helper(*message[1:])
        except (EOFError, OSError, ValueError):
            pass

    def note_helper(self, what: str, pgid: int) -> None:
        (self.helpers.add if what == "start" else self.helpers.discard)(pgid)

    def terminate(self) -> None:
        """SIGTERM: a worker waiting on a helper program ends it first; any other ends at once."""
        if self.process.pid is not None and self.process.exitcode is None:
            try:
                os.kill(self.process.pid, signal.SIGTERM)
            except OSError:
                pass

    def finish(self, deadline: float) -> None:
        """Wait for it to end until `deadline`, then kill it, and any helper it left running."""
        self.process.join(max(0.0, deadline - time.monotonic()))
        if self.process.is_alive():
            # (frozen, it could not end its helpers; they are its children until it dies)
            self.helpers |= procs.helper_groups(self.process.pid)
            self.process.kill()
            self.process.join(1.0)
        self.read_helpers()
        for pgid in self.helpers:
            procs.kill_group(pgid)
        self.helpers.clear()
        self.conn.close()


def _end(workers: list[_Worker]) -> None:
    """End `workers`: idle ones are asked to stop, busy ones terminated; none is left running."""
    for w in workers:
        if w.tasks:
            w.terminate()
        else:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                w.terminate()
    deadline = time.monotonic() + TERM_GRACE
    for w in workers:
        w.finish(deadline if w.tasks else deadline + 0.5)


def death_message(exitcode: int | None, memory_bytes: int | None, timeout: float | None) -> Msg:
    """One line for a worker that died while reading a file."""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"SIG{number}"
        if number == getattr(signal, "SIGXCPU", None) and timeout:
            return msg("time limit of {seconds} s reached (its worker used up its CPU time and was ended)",
                       seconds=f"{timeout:g}")
        if number == signal.SIGKILL:
            return msg("the worker reading this file was killed by signal {number} (out of memory?)", number=number)
        if name in ("SIGABRT", "SIGSEGV", "SIGBUS") and memory_bytes:
            return msg("the worker reading this file was killed by signal {number} ({name}: a library failed, "
                       "perhaps at the memory limit of {limit} per worker)",
                       number=number, name=name, limit=size_text(memory_bytes))
        return msg("the worker reading this file was killed by signal {number} ({name})", number=number, name=name)
    if exitcode:
        return msg("the worker reading this file died (exit status {code})", code=exitcode)
    return msg("the worker reading this file died")


class ProcessExecutor:
    """Worker processes handing back one `records.Parsed` per file, replacing any that die or hang.

    The executor interface the run loop drives (see runner.Executor):
    `submit(index, path)`, `collect(wake) -> [(index, Parsed)]`, `pending()`,
    `busy()`, `close()`, and `capacity` (files it reads at once).
    """

    def __init__(self, settings: Settings, workers: int, full: bool = True, formats: Iterable[str] = (),
                 start_method: str | None = None) -> None:
        # the OCR slots: bytes of the user's slots file only this executor locks, one by each worker
        # reading by OCR (or those `settings` names: executors sharing their slots, as a cluster worker's do)
        if settings.ocr_lock is None:
            settings = replace(settings, ocr_lock=progress.slots_file(), ocr_slots_at=progress.new_slots())
        self.settings = settings
        # (path, pages done, pages) as a worker reads a file by OCR; called from
        # whichever thread runs collect()
        self.on_progress = None
        self.capacity = max(1, workers)
        self.full = full
        self.formats = set(formats)
        self.start_method = start_method
        self.memory_bytes = settings.worker_memory(self.capacity)
        self.started = 0  # workers started so far (replacements included)
        self._workers: list[_Worker] = []
        self._queue: deque[tuple[int, str]] = deque()

    # what a caller (or a test) may look at: which worker holds which file
    def busy(self) -> list[tuple[int, str]]:
        """(worker pid, path) for every file being read right now."""
        return [(w.process.pid, w.tasks[0][1]) for w in list(self._workers) if w.tasks and w.process.pid is not None]

    def pending(self) -> int:
        return len(self._queue) + sum(len(w.tasks) for w in self._workers)

    def submit(self, index: int, path: str) -> None:
        self._queue.append((index, path))
        self._dispatch()

    def _start(self) -> _Worker:
        ctx = start_context(self.formats, self.start_method)
        w = _Worker(ctx, self.settings, self.memory_bytes, self.full)
        self._workers.append(w)
        self.started += 1
        return w

    def _dispatch(self) -> None:
        while self._queue:
            w = min(self._workers, key=lambda w: len(w.tasks), default=None)
            if w is None or (w.tasks and len(self._workers) < self.capacity):
                w = self._start()
            elif len(w.tasks) >= PREFETCH:
                return
            index, path = self._queue.popleft()
            try:
                w.give(index, path)
            except (OSError, ValueError):  # it died before it could be given the file
                self._queue.appendleft((index, path))
                if w.tasks:
                    return  # collect() sees it died, and blames the file it was reading
                self._retire(w)

    def _retire(self, w: _Worker) -> None:
        """End `w`; files it was given but had not begun go back to the queue."""
        self._workers.remove(w)
        self._queue.extendleft(reversed(list(w.tasks)[1:]))
        w.tasks.clear()
        w.terminate()
        w.finish(time.monotonic() + TERM_GRACE)

    def collect(self, wake=None, within: float | None = None) -> list[tuple[int, records.Parsed]]:
        """Block until at least one file is done: (index, Parsed) for each.

        `wake`, a connection, ends the wait early when it becomes readable
        (the inspector's loop thread: new files to hand out); it is not read here.
        `within` (seconds) ends it early too, perhaps with nothing done.
        """
        done: list[tuple[int, records.Parsed]] = []
        timeout = self.settings.timeout
        until = None if within is None else time.monotonic() + within
        while not done and any(w.tasks for w in self._workers):
            busy = [w for w in self._workers if w.tasks]
            clocked = [w for w in busy if w.paused is None]
            wait_for = None
            if timeout and clocked:
                deadline = min(w.started for w in clocked) + timeout + self.settings.kill_grace
                wait_for = max(0.0, deadline - time.monotonic())
            if until is not None:
                wait_for = max(0.0, min(until - time.monotonic(), wait_for if wait_for is not None else within))
            extra = [wake] if wake is not None else []
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy] + extra, timeout=wait_for))
            for w in busy:
                self._harvest(w, ready, done)
            self._dispatch()
            if (wake is not None and wake in ready) or (until is not None and time.monotonic() >= until):
                break
        return done

    def _harvest(self, w: _Worker, ready: set, done: list) -> None:
        """Take what `w` finished; end it, blaming its file, if it died or hung."""
        died = w.process.sentinel in ready
        if w.conn in ready or died:
            try:
                while w.tasks and w.conn.poll():
                    got_index, *answer = w.conn.recv()
                    if got_index == worker.HELPER:
                        w.note_helper(*answer)
                        continue
                    if got_index == worker.PROGRESS:
                        self._heard(w, *answer)
                        continue
                    answer = answer[0]
                    index, _path = w.tasks.popleft()
                    if got_index != index:  # cannot happen with one pipe per worker; never misfile
                        raise EOFError
                    done.append((index, answer))
                    w.started, w.paused = time.monotonic(), None
            except (EOFError, OSError):
                died = True
        if died:
            if w.tasks:
                index, path = w.tasks[0]
                w.process.join(1.0)
                message = death_message(w.process.exitcode, self.memory_bytes, self.settings.timeout)
                done.append((index, records.failed(path, message)))
            self._retire(w)
            return
        timeout = self.settings.timeout
        if w.tasks and timeout and w.paused is None and time.monotonic() - w.started >= timeout + self.settings.kill_grace:
            index, path = w.tasks[0]
            message = msg("{limit} (its worker stopped answering and was ended)", limit=worker.time_limit_error(timeout))
            done.append((index, records.failed(path, message)))
            self._retire(w)

    def _heard(self, w: _Worker, index: int, event: tuple) -> None:
        """What `w`'s reader told about the file it reads (progress.py)."""
        if not w.tasks or w.tasks[0][0] != index:
            return  # about a file already settled
        kind, *args = event
        now = time.monotonic()
        if kind == "allow":
            w.started += args[0]
        elif kind == "pause":
            w.paused = now
        elif kind == "resume" and w.paused is not None:
            w.started += now - w.paused
            w.paused = None
        elif kind == "pages" and self.on_progress is not None:
            self.on_progress(w.tasks[0][1], *args)

    def close(self) -> None:
        workers, self._workers = self._workers, []
        self._queue.clear()
        _end(workers)
