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

from . import cache, checks, procs, records
from .errors import TimeLimit
from .i18n import _, set_language
from .pipeline import Result, check_file
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
            raise TimeLimit("time limit reached")


def time_limit_error(timeout: float) -> str:
    return _("time limit of {seconds} s reached").format(seconds=f"{timeout:g}")


def check_limited(path: str, timeout: float | None) -> tuple[Result, bool]:
    """(check_file's result, whether the time limit ended it); SIGALRM, so main thread only."""
    if not timeout or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return check_file(path), False  # (the parent's watchdog still applies)
    previous = signal.signal(signal.SIGALRM, _Alarm.handler)
    timed_out = False
    try:
        try:
            _Alarm.armed, _Alarm.fired = True, False
            signal.setitimer(signal.ITIMER_REAL, timeout)
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
        result = Result(str(path), "error", format_of(path), error=time_limit_error(timeout))
    return result, timed_out


def parse(path: str, settings: Settings, full: bool = True) -> records.Parsed:
    """One file, as data.  With the cache on, the file's key is taken before it is read
    and handed back only when the result may be stored (see `cache.cacheable`)."""
    key = cache.file_key(path) if settings.use_cache else None
    timeout = settings.timeout
    procs.cpu_backstop(timeout + settings.kill_grace + 1 if timeout else None)
    result, timed_out = check_limited(path, timeout)
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


def serve(conn, settings: Settings, memory_bytes: int | None, full: bool, env: dict[str, str],
          plugins: tuple = ()) -> None:
    """A worker process's main: take (index, path), answer (index, Parsed), until told to stop.

    `env` is the parent's environment now: a forkserver started earlier may
    hold an older one, and what a file needs (PATH to find LibreOffice) must
    be what the user's gikr has.  `plugins` are the modules of the checks the
    parent registered from outside the package (`checks.plugin_modules()`).
    """
    init(settings, memory_bytes)
    if os.environ != env:
        os.environ.clear()
        os.environ.update(env)
    procs.announce = lambda what, pgid: conn.send((HELPER, what, pgid))
    broken = None
    try:
        checks.load_plugins(plugins)
    except Exception as e:  # noqa: BLE001 - said for every file, rather than a silent gap in the findings
        broken = _("internal error: the checks in {modules} could not be loaded: {error}").format(
            modules=plugins, error=f"{type(e).__name__}: {e}")
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if task is None:
            return
        index, path = task
        try:
            answer = records.failed(path, broken) if broken else parse(path, settings, full)
        except Exception as e:  # noqa: BLE001 - a bug here must cost one file, not the worker
            answer = records.failed(path, _("internal error: {error}").format(error=f"{type(e).__name__}: {e}"))
        try:
            conn.send((index, answer))
        except (OSError, ValueError):
            return
