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
# Told ("start" | "end", pgid) about each helper, so that the parent can end
# it too when it has to end this process without its cooperation (a worker
# frozen, or killed by the watchdog): a worker sends it to its parent.
announce = None


def _prctl():
    global _libc
    if _libc is None and sys.platform.startswith("linux"):
        try:
            import ctypes

            _libc = ctypes.CDLL(None, use_errno=True)
        except OSError:
            _libc = False
    return getattr(_libc, "prctl", None) if _libc else None


def load() -> None:
    """Load what a worker needs here, before forking: the child then inherits it."""
    _prctl()


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


def adopt_environment(env: dict[str, str]) -> None:
    """Take the parent's environment as it is now: a process from a forkserver started earlier
    holds the one the forkserver had (PATH to find LibreOffice, the cache's folder)."""
    if os.environ != env:
        os.environ.clear()
        os.environ.update(env)


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


def helper_groups(pid: int) -> set[int]:
    """The process groups of `pid`'s children that run in groups of their own (its helpers)."""
    children: list[int] = []
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            children = [int(c) for c in fh.read().split()]
    except (OSError, ValueError):
        pass
    groups = set()
    for child in children:
        try:
            pgid = os.getpgid(child)
        except OSError:
            continue
        if pgid == child:  # a session or group leader: a helper started in its own group
            groups.add(pgid)
    return groups


def kill_helpers() -> None:
    for pgid in list(_groups):
        kill_group(pgid)
    _groups.clear()


def _terminated(signum, frame):  # noqa: ARG001
    kill_helpers()
    os._exit(128 + signum)


@contextlib.contextmanager
def helper(start):
    """Run `start()` (a subprocess.Popen in a session of its own, with preexec_fn=preexec) and
    yield the process; while it runs, whoever ends this process ends its whole group too.

    SIGTERM (what the pool sends first when it ends a worker) kills the group,
    and so does this process's parent dying: the parent-death signal becomes
    SIGTERM meanwhile, so the handler can run (the process waits in Python for
    the helper, where a handler runs at once).  SIGTERM is held back from the
    moment before the helper starts until all that is in place, so no signal
    can fall between the two; the parent is told the group, for when it must
    kill this process without its help (frozen, or past the watchdog).
    """
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    previous = None
    pgid = None
    try:
        if _guarded:  # from now on the parent's death is a SIGTERM, held back until the handler is in place
            parent_death_signal(signal.SIGTERM)
        proc = start()
        pgid = proc.pid
        _groups.add(pgid)
        if main:
            previous = signal.signal(signal.SIGTERM, _terminated)
        _tell("start", pgid)
    except BaseException:
        if _guarded:
            parent_death_signal(signal.SIGKILL)
        raise
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    try:
        yield proc
    finally:
        if _guarded:
            parent_death_signal(signal.SIGKILL)
        if main:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        _groups.discard(pgid)
        _tell("end", pgid)


def _tell(what: str, pgid: int) -> None:
    if announce is not None:
        try:
            announce(what, pgid)
        except Exception:  # noqa: BLE001 - the parent may be gone; the group is ended here anyway
            pass


def preexec() -> None:
    """For subprocess.Popen(preexec_fn=…) under `helper()`: the helper dies with the process
    that started it, and takes SIGTERM as usual (the mask held back here is inherited)."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    _die_with_parent_in_child()
