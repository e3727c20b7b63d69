"""What a slow read tells the process running it, and the one slot for OCR.

A reader calls `pages(done, total)` as it goes and `allow(seconds)` when a
step earns more time than the file's limit gives (each page read by OCR);
whoever runs the read (runner.py) listens with `listening()`: it moves the
file's alarm and tells the parent, which shows the count on the file's badge
and moves its watchdog.  With nobody listening both do nothing.

OCR takes a core and half a gigabyte for seconds a page, so only
`ocr_slots` workers read by OCR at once (one by default).  A slot is a lock
on one byte of a file: the kernel frees it when the process holding it dies,
so a killed worker can never keep it.  One file serves every gikr process of
a user (`slots_file()`), each pool locking bytes of its own in it, and is
never removed: a run that is killed leaves no file behind.  Time spent
waiting for a slot is not counted against the file (`paused()` stops the clock).
"""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from contextlib import contextmanager
from typing import Callable, Iterator

# Time a file may take past its limit: for starting the OCR engine, and for
# each page (or web picture) read by OCR, of which there are at most MAX_OCR_PAGES.
PAGE_SECONDS = 15.0
MAX_OCR_PAGES = 12
MOST_ALLOWED = PAGE_SECONDS * (1 + MAX_OCR_PAGES)

Listener = Callable[..., None]  # (event, *args): ("pages", done, total) | ("allow", s) | ("pause",) | ("resume",)

_listener: Listener | None = None
_slots: tuple[str, int, int] | None = None  # (lock file, number of slots, its first byte)
# Bytes of the slots file each set of slots may take: more OCR slots than any machine has cores.
SET_BYTES = 1 << 16
_sets_made = itertools.count()


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous


def _tell(*event) -> None:
    if _listener is not None:
        _listener(*event)


def pages(done: int, total: int) -> None:
    """`done` of `total` pages read (by OCR) so far."""
    _tell("pages", done, total)


def allow(seconds: float) -> None:
    """The file may take `seconds` more than its time limit."""
    _tell("allow", seconds)


@contextmanager
def paused() -> Iterator[None]:
    """Waiting that is not the file's fault: its clock stops meanwhile."""
    _tell("pause")
    try:
        yield
    finally:
        _tell("resume")


def slots_file() -> str:
    """The file of this user's OCR slots, shared by all their gikr processes and never removed."""
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return os.path.join(tempfile.gettempdir(), f"gikr-ocr-{uid}.lock")


def new_slots() -> int:
    """The first byte of a set of slots in `slots_file()` that no other live process uses:
    numbered by this process's id (a dead process's locks are gone with it) and a count."""
    return (os.getpid() * SET_BYTES + next(_sets_made) % SET_BYTES) * SET_BYTES


def use_slots(lock_file: str | None, count: int = 1, first: int = 0) -> None:
    """Limit OCR in this process (and its siblings given the same file and first byte)
    to `count` at once."""
    global _slots
    _slots = (lock_file, min(max(1, count), SET_BYTES), first) if lock_file else None


POLL = 0.1  # seconds between tries when every slot is taken and there are several


@contextmanager
def ocr_slot() -> Iterator[None]:
    """Hold one of the OCR slots while the block runs (waiting, if need be, off the clock)."""
    if _slots is None:
        yield
        return
    try:
        import fcntl
    except ImportError:  # no advisory locks (Windows): no limit beyond the pool's size
        yield
        return
    path, count, first = _slots
    try:
        # (never through a link another user left at this name in a shared temp folder)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        yield
        return
    try:
        held = _try_slots(fcntl, fd, count, first)
        if held is None:
            with paused():
                if count == 1:
                    fcntl.lockf(fd, fcntl.LOCK_EX, 1, first)
                    held = first
                while held is None:
                    time.sleep(POLL)
                    held = _try_slots(fcntl, fd, count, first)
        try:
            yield
        finally:
            try:
                fcntl.lockf(fd, fcntl.LOCK_UN, 1, held)
            except OSError:
                pass
    finally:
        os.close(fd)


def _try_slots(fcntl, fd: int, count: int, first: int) -> int | None:
    for slot in range(first, first + count):
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, slot)
            return slot
        except OSError:
            continue
    return None
