"""Nothing gikr starts outlives it.

A worker asks the kernel for a signal when its parent dies (Linux's
PR_SET_PDEATHSIG), so `kill -9` of gikr ends a worker stuck in C code as
surely as one waiting for work; a CPU-time limit per file is the backstop
where that signal does not exist.  A helper program a worker starts (LibreOffice
for `.doc`) runs in a process group of its own, registered here: whoever ends
the worker (its own time limit, the parent's watchdog, Ctrl-C, quitting the
inspector, the parent's death) ends that group too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1

_libc = None
_guarded = False  # this process asked for a signal at its parent's death
_groups: set[int] = set()  # process groups of helper programs running now


def _prctl():
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        try:
            import ctypes

            _libc = ctypes.CDLL(None, use_errno=True)
        except OSError:
            _libc = False
    return getattr(_libc, "prctl", None) if _libc else None


def parent_death_signal(sig: int) -> bool:
    """Have the kernel send `sig` to this process when its parent dies (Linux only)."""
    prctl = _prctl()
    return bool(prctl is not None and prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0)


def die_with_parent() -> None:
    """In a worker, first thing: SIGKILL when the parent dies; gone at once if it already has."""
    global _guarded
    parent = os.getppid()
    _guarded = parent_death_signal(signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _die_with_parent_in_child() -> None:  # preexec_fn: runs in the child before exec
    parent_death_signal(signal.SIGKILL)


def no_core_files() -> None:
    """A worker that crashes (a C library aborting when memory runs out) writes no core file
    into whatever folder gikr was started in."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass


def cpu_backstop(seconds: float | None) -> None:
    """Allow this process `seconds` more CPU time (RLIMIT_CPU); then the kernel ends it.

    Set before each file, so a worker that has lost its parent and is stuck in C
    stops on its own; the parent's watchdog (wall time) normally acts first.
    """
    try:
        import resource

        usage = resource.getrusage(resource.RUSAGE_SELF)
        used = usage.ru_utime + usage.ru_stime
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = resource.RLIM_INFINITY if seconds is None else int(used + seconds) + 1
        if hard != resource.RLIM_INFINITY and (soft == resource.RLIM_INFINITY or soft > hard):
            soft = hard
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    except (ImportError, ValueError, OSError):
        pass


def kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def kill_helpers() -> None:
    for pgid in list(_groups):
        kill_group(pgid)
    _groups.clear()


def _terminated(signum, frame):  # noqa: ARG001
    kill_helpers()
    os._exit(128 + signum)


@contextlib.contextmanager
def helper_group(pgid: int):
    """While a helper program runs in process group `pgid`, whoever ends this process ends it too.

    SIGTERM (what the pool sends first when it ends a worker) kills the group,
    and so does this process's parent dying: the parent-death signal becomes
    SIGTERM meanwhile, so the handler can run (the process waits in Python for
    the helper, where a handler runs at once).
    """
    _groups.add(pgid)
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if main else None
    if _guarded:
        parent_death_signal(signal.SIGTERM)
    try:
        yield
    finally:
        if _guarded:
            parent_death_signal(signal.SIGKILL)
        if main:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        _groups.discard(pgid)


def preexec() -> None:
    """For subprocess.Popen(preexec_fn=…): the helper dies with the process that started it."""
    _die_with_parent_in_child()
