"""Badges from the cache, looked up in a process of their own.

For a warm cache each file's lookup (lstat, access, its SQLite row, the
brief decoded into a `Summary`) is many small steps, each handing the GIL
over; on a thread of the app's process they and Textual's thread (keys,
redraws) starve each other: 10,000 badges took 4-9 s while keys were typed,
and a key waited behind a step of a thousand lookups.  Here a process does
them and answers a batch at a time with one compact message (paths and
Summaries as plain tuples), so the app's process only unpickles it.

The process comes from the workers' forkserver (forking a process that runs
Textual's threads can deadlock the child), is told the app's environment and
the version rows are stored under (which checks are registered), and dies
with the app.  A file it does not find (not cached, changed, unreadable, or
the cache unusable here) goes back as a miss: the run loop takes it as it
always has (looks it up again, parses it in a worker, says what went wrong).
"""

from __future__ import annotations

import os
import signal
from collections import deque
from multiprocessing.connection import Connection

from .. import cache
from ..runner import BADGE
from ..settings import Settings
from .session import Summary

# Paths asked for at once, and batches asked for ahead of those answered: the
# process is never idle, and a file the user opens waits behind a few at most.
CHUNK = 256
AHEAD = 2

# What comes back for a batch: ([(path, Summary as a tuple)], [missed path])
Answer = tuple[list[tuple[str, tuple]], list[str]]


def look_up(paths: list[str]) -> Answer:
    """The badges the cache holds for `paths` (current rows only), and the paths it does not."""
    hits: list[tuple[str, tuple]] = []
    misses: list[str] = []
    try:
        keys = cache.file_keys(paths)
        found = cache.lookup_outcomes([(i, p, k) for i, (p, k) in enumerate(zip(paths, keys)) if k is not None], BADGE)
        for i, path in enumerate(paths):
            outcome = found.get(i)
            if outcome is None:
                misses.append(path)
            else:
                hits.append((path, tuple(Summary.of(outcome.badge))))
    except Exception:  # noqa: BLE001 - the run loop looks them up again, and says what is wrong
        return [], list(paths)
    return hits, misses


def serve(conn: Connection, wake: Connection, env: dict[str, str], version: str, settings: Settings) -> None:
    """The process's main: take a list of paths, answer its `Answer`, then a byte on `wake`; None ends it."""
    from .. import procs
    from ..i18n import set_language

    procs.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the app's to handle
    procs.adopt_environment(env)
    if settings.lang:
        set_language(settings.lang)
    cache.pin_version(version)
    while True:
        try:
            paths = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if paths is None:
            return
        try:
            conn.send(look_up(paths))
            wake.send_bytes(b"")
        except (OSError, ValueError):
            return


class Lookups:
    """The lookup process and the paths waiting for it (driven by the parsing pool's thread alone)."""

    def __init__(self, ctx, settings: Settings, wake: Connection) -> None:
        parent_conn, child_conn = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=serve, args=(child_conn, wake, dict(os.environ), cache.version(), settings),
                                   daemon=True, name="gikr-lookup")
        self.process.start()
        child_conn.close()
        self.conn = parent_conn
        self.waiting: deque[str] = deque()
        self._queued: set[str] = set()
        self.asked: deque[list[str]] = deque()  # batches sent, not answered yet
        self.urgent: set[str] = set()  # prioritised before they were answered

    def add(self, paths: list[str]) -> None:
        """Queue `paths`; one already waiting keeps its place (one asked for is queued again:
        the file may have changed since)."""
        for path in paths:
            if path not in self._queued:
                self._queued.add(path)
                self.waiting.append(path)

    def prioritise(self, path: str) -> bool:
        """Ask for `path` now, ahead of the queue; False when it is not waiting or asked for."""
        if path in self._queued:
            self.waiting.remove(path)
            self.urgent.add(path)
            if len(self.asked) < AHEAD + 2:  # (bounded: neither side's pipe may fill while the other writes)
                self._queued.discard(path)
                self._ask([path])
            else:
                self.waiting.appendleft(path)
            return True
        if any(path in batch for batch in self.asked):
            self.urgent.add(path)
            return True
        return False

    def ask(self) -> None:
        """Keep AHEAD batches asked for."""
        while self.waiting and len(self.asked) < AHEAD:
            batch = [self.waiting.popleft() for _ in range(min(CHUNK, len(self.waiting)))]
            self._queued.difference_update(batch)
            self._ask(batch)

    def _ask(self, batch: list[str]) -> None:
        self.asked.append(batch)
        self.conn.send(batch)

    def answers(self) -> list[Answer]:
        """What the process has answered so far (without waiting)."""
        out = []
        while self.asked and self.conn.poll():
            out.append(self.conn.recv())
            self.asked.popleft()
        return out

    def pending(self) -> list[str]:
        """Every path not answered yet."""
        return [p for batch in self.asked for p in batch] + list(self.waiting)

    def close(self) -> None:
        """End the process at once (it holds no state worth waiting for)."""
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.conn.close()
        self.process.join(0.5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(1.0)
