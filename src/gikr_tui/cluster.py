"""`--cluster`: files read on a Dask cluster, through the one run loop.

The client (gikr) keeps the cache, the order and the output; only files the
cache does not know go to the cluster, a few at a time in one Dask task
(`read_on_worker`), and only once a file misses: a run whose files are all
cached never connects.

On a Dask worker the task does not parse in Dask's thread, where an alarm
cannot land and an address-space limit would bind the whole worker: it hands
the file to a gikr worker process of that thread's own (`pool.ProcessExecutor`
of one), so every file has the limits it has locally — the time limit inside
the process, its memory share as an address-space limit, the watchdog outside
it — and the same lines when one is hit or the process dies.  Those processes
die with the Dask worker (the forkserver they come from dies with it, and
they with the forkserver).  A Dask worker that dies is Dask's to recover: its
files run again on other workers, and a file whose workers died more often
than the scheduler's `allowed-failures` (Dask's KilledWorker) gets one line.

Workers read a file at the path gikr found it: the cluster must share the
filesystem; a file a worker cannot see gets one line saying so.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
import weakref
from typing import Iterable

from . import cache, checks, codec, pool, progress, records
from .errors import one_line
from .i18n import _, language, set_language
from .memory import default_total
from .msg import msg, nmsg
from .settings import Settings

LOCAL = "local:"
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler, and for a first worker to be there
CLOSE_TIMEOUT = 5.0
CANCEL_POLL = 0.5  # seconds: how often a task on a worker looks whether it is still wanted
BATCH_FILES = 8  # files a task at most (see DaskExecutor)
BATCH_BYTES = 2 * 1024 * 1024  # and bytes
WAKE_POLL = 0.02  # seconds: how often collect(wake) looks at `wake`


class ClusterError(Exception):
    """The cluster cannot be used; the message says why, in one line."""


def spec_problem(spec: str) -> str | None:
    """What is wrong with a `--cluster` value (or the installation for it), if anything."""
    import importlib.util

    if spec.startswith(LOCAL):
        count = spec[len(LOCAL):]
        if not count.isdigit() or int(count) < 1:
            return _("--cluster local:N needs a number of workers, 1 or more (local:4)")
    elif not spec.strip():
        return _("--cluster needs a scheduler's address (tcp://host:8786) or local:N")
    if importlib.util.find_spec("distributed") is None:
        return _("--cluster needs Dask: pip install 'gikr[cluster]'")
    if not spec.startswith(LOCAL):
        # before a Client is made of it: one made of a bad address hangs 20 s closing itself at exit
        from distributed.comm.addressing import get_address_host_port

        try:
            get_address_host_port(spec)
        except ValueError as e:
            return _("--cluster needs a scheduler's address (tcp://host:8786) or local:N: {reason}").format(
                reason=one_line(str(e)))
    return None


# --- the client's side -------------------------------------------------------------------


def executor_factory(spec: str):
    """A runner.ExecutorFactory for `spec` (an address, or local:N).  It connects when the
    loop first needs it: files the cache knows are never sent, nor is a cluster started for them."""

    def make(settings: Settings, workers: int, full: bool, formats: set) -> "DaskExecutor":
        client, own = connect(spec, settings)
        try:
            client.run(prepare_worker, tuple(sorted(formats)))
        except Exception:  # noqa: BLE001 - only a head start: a task starts what it needs
            pass
        return DaskExecutor(client, settings, full, formats, own=own)

    return make


def _quiet() -> None:
    """Dask's own log lines (a worker restarted, a comm closed) stay off gikr's stderr."""
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def start_local(workers: int, quiet: bool = True):
    """A LocalCluster of `workers` single-threaded worker processes, no dashboard.

    Its processes ignore Ctrl-C (they inherit the disposition, and Python keeps
    it): the terminal sends it to the whole process group, and it is gikr's to
    handle, by closing the cluster.
    """
    from distributed import LocalCluster

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        # (the scheduler's HTTP server, for health checks, listens anyway: on a free port of this machine only)
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                            dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                            silence_logs=logging.CRITICAL if quiet else logging.WARNING)
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)


def connect(spec: str, settings: Settings) -> tuple:
    """(a Client, what to close with it) for `spec`; ClusterError when it cannot be used."""
    problem = spec_problem(spec)
    if problem:
        raise ClusterError(problem)
    import distributed

    if not settings.debug:
        _quiet()
    own: list = []
    try:
        if spec.startswith(LOCAL):
            own.append(start_local(int(spec[len(LOCAL):]), quiet=not settings.debug))
            client = distributed.Client(own[0], timeout=CONNECT_TIMEOUT, set_as_default=False)
        else:  # (not the default client: a program using gikr as a library keeps its own)
            client = distributed.Client(spec, timeout=CONNECT_TIMEOUT, set_as_default=False)
        own.insert(0, client)
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (TimeoutError, distributed.TimeoutError):
            raise ClusterError(_("no worker joined the Dask scheduler at {address} within {seconds} s").format(
                address=spec, seconds=f"{CONNECT_TIMEOUT:g}")) from None
        try:
            versions = client.run(worker_version)
        except Exception as e:  # noqa: BLE001 - a worker without gikr fails to unpickle the function
            raise ClusterError(_("the Dask workers at {address} cannot run gikr ({error}): install gikr[cluster] "
                                 "{version} on every worker").format(address=spec, error=one_line(f"{type(e).__name__}: {e}"),
                                                                     version=cache.VERSION.split("+")[0])) from None
        other = sorted({v for v in versions.values() if v != cache.VERSION})
        if other:
            raise ClusterError(_("the Dask workers at {address} run another gikr ({theirs}) than this one ({ours}): "
                                 "install the same version everywhere").format(
                address=spec, theirs=", ".join(other), ours=cache.VERSION))
    except ClusterError:
        _close(own)
        raise
    except Exception as e:  # noqa: BLE001 - OSError, a bad address, Dask's own: one line
        _close(own)
        raise ClusterError(_("cannot use the Dask cluster at {address}: {error}").format(
            address=spec, error=one_line(str(e) or type(e).__name__))) from None
    except BaseException:  # Ctrl-C while connecting: nothing started is left running
        _close(own)
        raise
    return client, tuple(own)


def _close(things: Iterable) -> None:
    for thing in things:
        try:
            thing.close(timeout=CLOSE_TIMEOUT)
        except Exception:  # noqa: BLE001 - closing what may be gone already
            pass


class DaskExecutor:
    """The runner's executor on a Dask cluster: files go out in small batches, one Dask task each,
    and come back one `records.Parsed` per file.

    A batch, not a file, per task: Dask spends a few milliseconds on every task
    (the scheduler, the worker, the client), as long as reading a text report
    takes; consecutive files are sent together, up to BATCH_FILES of them or
    BATCH_BYTES (so slow PDFs go a few at a time), and the gikr process on the
    worker reads one while it is handed the next.  `capacity` is the cluster's
    threads when it was connected; the run loop keeps two batches a thread
    handed out (`backlog`) and eight in its window: the client's memory stays
    bounded.  A batch's results are released as soon as they are taken.
    `own`: what to close with the executor (the client, and a LocalCluster gikr
    started); a client handed in by a caller is left open.
    """

    def __init__(self, client, settings: Settings, full: bool = True, formats: Iterable[str] = (),
                 own: tuple = ()) -> None:
        from distributed import as_completed

        self.client = client
        # the client's language for the lines a worker writes: its environment may speak another
        self.settings = settings if settings.lang else settings.but(lang=language())
        self.full = full
        self.formats = tuple(sorted(formats))
        self.capacity = max(1, sum(client.nthreads().values()))
        self.backlog = self.capacity * BATCH_FILES * 2
        self._own = own
        self._plugins = checks.plugin_modules()
        self._futures: dict = {}  # key -> (future, [(index, path)])
        self._batch: list[tuple[int, str]] = []
        self._batch_bytes = 0
        self._in_flight = 0  # files in the batches sent and not yet collected
        self._done = as_completed(loop=client.loop)

    def submit(self, index: int, path: str) -> None:
        self._batch.append((index, path))
        try:
            self._batch_bytes += os.stat(path).st_size
        except (OSError, ValueError):
            pass
        if len(self._batch) >= BATCH_FILES or self._batch_bytes >= BATCH_BYTES:
            self._send()

    def _send(self) -> None:
        batch, self._batch, self._batch_bytes = self._batch, [], 0
        if not batch:
            return
        # Sent as absolute paths (a worker's working folder is not gikr's), answered under the paths given.
        # pure=False: a file handed out again (it changed) is read again; retries=0: a task never fails
        # for its files (each gets its line), so an error is not worth repeating.
        future = self.client.submit(read_on_worker, [os.path.abspath(p) for _i, p in batch], self.settings, self.full,
                                    self.formats, self._plugins, cache.VERSION, pure=False, retries=0)
        self._futures[future.key] = (future, batch)
        self._in_flight += len(batch)
        self._done.add(future)

    def pending(self) -> int:
        return self._in_flight + len(self._batch)

    def busy(self) -> list[tuple[int, str]]:
        return []  # which files in flight are being read is the workers' knowledge (see `reading`)

    def collect(self, wake=None) -> list[tuple[int, records.Parsed]]:
        self._send()  # the loop has handed out what it may for now: a part batch goes as it is
        if not self._futures:
            return []
        if wake is None:
            done = [next(self._done)]
        else:
            while not self._done.has_ready():
                if wake.poll(WAKE_POLL):
                    return []
            done = []
        done += self._done.next_batch(block=False)
        out = []
        for future in done:
            entry = self._futures.pop(future.key, None)
            if entry is None:
                continue
            _future, batch = entry
            self._in_flight -= len(batch)
            answers = self._answers(future, [p for _i, p in batch])
            future.release()
            for (index, path), answer in zip(batch, answers):
                answer.path = path
                out.append((index, answer))
        return out

    @staticmethod
    def _answers(future, paths: list[str]) -> list[records.Parsed]:
        """One Parsed a file of the batch: what the worker read, or the same line for each when the task failed."""
        from distributed import KilledWorker
        from distributed.utils import CancelledError

        try:
            answers = future.result()
        except CancelledError:
            reason = msg("its Dask task was cancelled (was the scheduler restarted?)")
        except KilledWorker as e:
            tries = e.allowed_failures + 1
            reason = nmsg(
                "the Dask worker reading this file died (tried on {count} worker: the scheduler's allowed-failures "
                "is {allowed}); the last was {worker}",
                "the Dask workers reading this file died (tried on {count} workers: the scheduler's allowed-failures "
                "is {allowed}); the last was {worker}", count=tries, allowed=e.allowed_failures,
                worker=str(e.last_worker.address))
        except Exception as e:  # noqa: BLE001 - lost, a bug: a line for each file, never a lost file
            reason = msg("internal error on the Dask cluster: {error}", error=f"{type(e).__name__}: {e}")
        else:
            if isinstance(answers, list) and len(answers) == len(paths) and all(
                    isinstance(a, records.Parsed) for a in answers):
                return answers
            reason = msg("internal error on the Dask cluster: {error}", error=repr(answers)[:200])
        return [records.failed(path, reason) for path in paths]

    def close(self) -> None:
        """Cancel what is in flight (queued tasks never start; a running one stops within half a second)."""
        futures = [f for f, _b in self._futures.values()]
        self._futures.clear()
        self._batch.clear()
        self._in_flight = 0
        self._done.clear()
        if futures:
            try:
                self.client.cancel(futures, force=True)
            except Exception:  # noqa: BLE001 - the cluster may be gone
                pass
        own, self._own = self._own, ()
        _close(own)


# --- the worker's side ---------------------------------------------------------------------

_local = threading.local()  # each Dask thread's gikr worker process (a ProcessExecutor of one)
_executors: "weakref.WeakSet[pool.ProcessExecutor]" = weakref.WeakSet()


def worker_version() -> str:
    """The gikr a Dask worker runs (client.run asks every worker before the first file)."""
    return cache.VERSION


def prepare_worker(formats: tuple = ()) -> None:
    """Start this Dask worker's forkserver (the readers `formats` need preloaded) from its main thread,
    where client.run calls it: its parent-death signal then follows the worker's whole life, and the
    first file does not wait for it.  (A worker that joins later starts it from a task's thread.)"""
    pool.prepare(formats)


def reading() -> list[tuple[int, str]]:
    """(pid, path) of every file the gikr processes of this Dask worker are reading now."""
    return [pair for executor in list(_executors) for pair in executor.busy()]


def _dask_worker():
    try:
        from distributed import get_worker

        return get_worker()
    except (ImportError, ValueError):
        return None


def _memory_share(settings: Settings) -> int | None:
    """What one gikr process on this Dask worker may take: `--memory` (per Dask worker), else the
    smaller of half this machine's memory and the worker's own Dask memory limit, shared by its threads."""
    worker = _dask_worker()
    threads = getattr(getattr(worker, "state", None), "nthreads", 1) or 1
    total = settings.memory
    if total is None:
        limit = getattr(getattr(worker, "memory_manager", None), "memory_limit", None)
        found = [n for n in (default_total(), limit) if n]
        total = min(found) if found else None
    return None if total is None else max(1, total // threads)


_slots_file: list[tuple[str, int]] = []
_slots_lock = threading.Lock()


def _ocr_slots() -> tuple[str, int]:
    """The OCR slots of this Dask worker (file, first byte), one set for all its threads:
    `--ocr-jobs` reads by OCR at once on each Dask worker, as on one machine.  In the worker's
    own folder, which Dask removes with the worker (or, after a crash, when the next worker
    starts there); without one, a set of the user's slots file, as a local pool takes."""
    with _slots_lock:
        if not _slots_file:
            folder = getattr(_dask_worker(), "local_directory", None)
            if folder and os.path.isdir(folder):
                path = os.path.join(folder, "gikr-ocr-slots.lock")
                os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
                _slots_file.append((path, 0))
            else:
                _slots_file.append((progress.slots_file(), progress.new_slots()))
        return _slots_file[0]


def _executor(settings: Settings, full: bool, formats: tuple) -> pool.ProcessExecutor:
    key = (settings, full)
    mine = getattr(_local, "executor", None)
    if mine is not None and _local.key == key:
        return mine
    if mine is not None:
        mine.close()
    # A Dask worker under a nanny is a daemonic process, and multiprocessing refuses such a process
    # children lest they outlive it; gikr's die with it (the parent-death chain), so that reason
    # does not hold (Dask's other way round it is a setting on every worker: distributed.worker.daemon).
    me = multiprocessing.current_process()
    if me.daemon:
        me.daemon = False
    ocr_lock, first = _ocr_slots()
    mine = pool.ProcessExecutor(settings.but(memory=_memory_share(settings), ocr_lock=ocr_lock, ocr_slots_at=first), 1,
                                full=full, formats=formats)
    _local.executor, _local.key = mine, key
    _executors.add(mine)
    return mine


def _drop_executor() -> None:
    mine = getattr(_local, "executor", None)
    _local.executor = _local.key = None
    if mine is not None:
        mine.close()


def _cancelled() -> bool:
    """Whether the client no longer wants the task this thread runs (cancelled, or released)."""
    worker = _dask_worker()
    if worker is None:
        return False
    try:
        task = worker.state.tasks.get(worker.get_current_task())
    except Exception:  # noqa: BLE001 - Dask's internals moved: carry on reading
        return False
    return task is None or task.state in ("cancelled", "released")


def read_on_worker(paths: list[str], settings: Settings, full: bool, formats: tuple, plugins: tuple,
                   version: str) -> list[records.Parsed]:
    """Files on a Dask worker, read by this thread's gikr worker process, each within its limits."""
    if settings.lang and language() != settings.lang:
        set_language(settings.lang)
    answers: dict[int, records.Parsed] = {}
    if version != cache.VERSION:
        reason = msg("the Dask worker runs another gikr ({theirs}) than the client ({ours})",
                     theirs=cache.VERSION, ours=version)
        return [records.failed(path, reason) for path in paths]
    try:
        checks.load_plugins(plugins)
    except Exception as e:  # noqa: BLE001 - said for each file, rather than a silent gap in its findings
        reason = msg("internal error: the checks in {modules} could not be loaded: {error}",
                     modules=", ".join(name for name, _file in plugins), error=f"{type(e).__name__}: {e}")
        return [records.failed(path, reason) for path in paths]
    executor = _executor(settings, full, formats)
    for index, path in enumerate(paths):
        if os.path.lexists(path):
            executor.submit(index, path)
        else:
            answers[index] = records.failed(path, msg(
                "not found on the Dask worker {worker}: the workers must see the files at the path gikr was given "
                "(a shared filesystem)", worker=str(getattr(_dask_worker(), "address", "?"))))
    while len(answers) < len(paths):
        for index, parsed in executor.collect(within=CANCEL_POLL):
            answers[index] = parsed
        if len(answers) < len(paths) and _cancelled():
            _drop_executor()  # ends the process reading a file; the next task starts another
            cancelled = msg("not read: the run was cancelled")
            return [answers.get(i) or records.failed(p, cancelled) for i, p in enumerate(paths)]
    for answer in answers.values():  # what crosses the network goes packed (a report's data: 40 KB, 5 packed,
        if answer.data is not None:    # in 0.2 ms at zlib's level 1; a row to store is packed already)
            answer.data = codec.packed(answer.data, level=1)
    return [answers[i] for i in range(len(paths))]
