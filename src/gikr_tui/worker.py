"""What runs inside a worker process: one file at a time, within its limits.

Every parse runs here, never in the process that shows results: the file's
time limit (SIGALRM, repeated until it lands), its memory limit (RLIMIT_AS),
a CPU-time backstop, and a parent-death signal all apply to a process the
parent can end from outside when a C library stops answering.  A worker
hands back data (`records.Parsed`), ready to store and to render.
"""

from __future__ import annotations

import os
import signal
import threading

from . import cache, checks, procs, progress, records
from .errors import TimeLimit
from .i18n import set_language
from .msg import Msg, msg
from .pipeline import Result, check_file, internal_error
from .readers import format_of
from .settings import Settings


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
            raise TimeLimit(msg("time limit reached"))


def time_limit_error(timeout: float, extra: float = 0.0) -> Msg:
    if extra:
        return msg("time limit of {seconds} s (+{extra} s for OCR) reached", seconds=f"{timeout:g}", extra=f"{extra:g}")
    return msg("time limit of {seconds} s reached", seconds=f"{timeout:g}")


class _Clock:
    """The file's alarm, moved by what the reader tells (progress.py): more time
    for each page read by OCR, none counted while it waits for the OCR slot."""

    def __init__(self, alarm: bool, forward=None) -> None:
        self.alarm = alarm
        self.forward = forward
        self.extra = 0.0
        self._left: float | None = None

    def __call__(self, event: str, *args) -> None:
        if event == "allow":
            self.extra += args[0]
        if self.alarm and _Alarm.armed and not _Alarm.fired:
            left = signal.getitimer(signal.ITIMER_REAL)[0]
            if event == "allow" and left > 0:
                signal.setitimer(signal.ITIMER_REAL, left + args[0])
            elif event == "pause" and left > 0:
                self._left = left
                signal.setitimer(signal.ITIMER_REAL, 0)
            elif event == "resume" and self._left is not None:
                signal.setitimer(signal.ITIMER_REAL, self._left)
                self._left = None
        if self.forward is not None:
            self.forward(event, *args)


def check_limited(path: str, timeout: float | None, forward=None) -> tuple[Result, bool]:
    """(check_file's result, whether the time limit ended it); SIGALRM, so main thread only.

    `forward(event, *args)` hears what the reader tells as it goes (pages read
    by OCR, time allowed, waits for the OCR slot): a worker passes it on to the parent.
    """
    alarm = bool(timeout) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    clock = _Clock(alarm, forward)
    if not alarm:
        with progress.listening(clock):
            return check_file(path), False  # (the parent's watchdog still applies)
    previous = signal.signal(signal.SIGALRM, _Alarm.handler)
    timed_out = False
    try:
        try:
            _Alarm.armed, _Alarm.fired = True, False
            signal.setitimer(signal.ITIMER_REAL, timeout)
            with progress.listening(clock):
                result = check_file(path)
        finally:
            _Alarm.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
        timed_out = _Alarm.fired
    except TimeLimit:
        timed_out = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if timed_out:
        result = Result(str(path), "error", format_of(path), error=time_limit_error(timeout, clock.extra))
    return result, timed_out


def parse(path: str, settings: Settings, full: bool = True, forward=None) -> records.Parsed:
    """One file, as data.  With the cache on, the file's key is taken before it is read
    and handed back only when the result may be stored (see `cache.cacheable`)."""
    key = cache.file_key(path) if settings.use_cache else None
    timeout = settings.timeout
    # the CPU backstop leaves room for the most time OCR may earn
    procs.cpu_backstop(timeout + settings.kill_grace + 1 + progress.MOST_ALLOWED if timeout else None)
    result, timed_out = check_limited(path, timeout, forward)
    if key is not None and (timed_out or not cache.cacheable(result) or not cache.settled(path, key)):
        key = None
    return records.parsed(result, key, full=full)


def _address_space() -> int:
    """This process's current virtual size in bytes (0 where it cannot be read)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def limit_memory(memory_bytes: int | None) -> None:
    """An address-space limit of `memory_bytes` beyond what this process already maps.

    Relative, so the headroom a file gets does not depend on what the
    interpreter happened to import first.  A file that needs more fails with
    MemoryError (or, where a C library cannot recover, its worker dies) and is
    reported as an error; the machine never swaps for it.
    """
    if not memory_bytes:
        return
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = _address_space() + memory_bytes
        if hard != resource.RLIM_INFINITY:
            limit = min(hard, limit)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def init(settings: Settings, memory_bytes: int | None) -> None:
    """A worker's first steps: die with the parent, no core files, quiet, limited."""
    procs.die_with_parent()
    procs.no_core_files()
    # Ctrl-C is the parent's to handle: it ends the workers in its own way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Nothing a library prints may reach the user's terminal between gikr's
    # lines (nor what a forked worker inherited unflushed from its parent).
    if not settings.debug:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
    if settings.lang:
        set_language(settings.lang)
    limit_memory(memory_bytes)


HELPER = "helper"  # a message that is not an answer: ("helper", "start" | "end", pgid)
PROGRESS = "progress"  # nor this: ("progress", index, (event, *args)), what the reader told (progress.py)


def serve(conn, settings: Settings, memory_bytes: int | None, full: bool, env: dict[str, str],
          plugins: tuple = ()) -> None:
    """A worker process's main: take (index, path), answer (index, Parsed), until told to stop.

    `env` is the parent's environment now: a forkserver started earlier may
    hold an older one, and what a file needs (PATH to find LibreOffice) must
    be what the user's gikr has.  `plugins` are the modules of the checks the
    parent registered from outside the package (`checks.plugin_modules()`).
    """
    init(settings, memory_bytes)
    progress.use_slots(settings.ocr_lock, settings.ocr_jobs, settings.ocr_slots_at)
    procs.adopt_environment(env)
    procs.announce = lambda what, pgid: conn.send((HELPER, what, pgid))
    broken = None
    try:
        checks.load_plugins(plugins)
    except Exception as e:  # noqa: BLE001 - said for every file, rather than a silent gap in the findings
        broken = msg("internal error: the checks in {modules} could not be loaded: {error}",
                     modules=", ".join(name for name, _file in plugins), error=f"{type(e).__name__}: {e}")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        index, path = task

        def tell(*event, _index=index) -> None:
            try:
                conn.send((PROGRESS, _index, event))
            except (OSError, ValueError):
                pass  # the parent is gone; the answer's send will say so

        try:
            answer = records.failed(path, broken) if broken else parse(path, settings, full, tell)
        except Exception as e:  # noqa: BLE001 - a bug here must cost one file, not the worker
            answer = records.failed(path, internal_error(e))
        try:
            conn.send((index, answer))
        except (OSError, ValueError):
            return
