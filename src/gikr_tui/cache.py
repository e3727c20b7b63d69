"""A persistent cache of parse results, shared by `gikr check` and the TUI.

One SQLite file in the user cache directory (or `$GIKR_CACHE_DIR`).  An
entry is the pickled `pipeline.Result` of one file, valid while the file's
real path, size and modification time and gikr's parser version are what
they were when it was parsed.  WAL mode and a busy timeout let several runs
(and the workers of each) read and write at once; each process opens its own
connection.  The cache is best-effort: any trouble with it turns it off for
the run, with one warning line, and gikr parses as if it were not there.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path

from . import __version__
from .pipeline import Result
from .readers import format_of

# Bump whenever a change to reading, interpreting or checking could change a
# Result for the same bytes: cached results of older versions are then ignored.
PARSER_VERSION = 1
VERSION = f"{__version__}+p{PARSER_VERSION}"

ENV_DIR = "GIKR_CACHE_DIR"
FILE_NAME = "results.sqlite3"
BUSY_MS = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    path TEXT NOT NULL,
    format TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    version TEXT NOT NULL,
    result BLOB NOT NULL,
    PRIMARY KEY (path, format)
) WITHOUT ROWID
"""


def cache_dir() -> Path:
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("gikr"))


def file_key(path: str | os.PathLike) -> tuple[str, str, int, int] | None:
    """(real path, format, size, mtime_ns), or None for a file that cannot be cached."""
    fmt = format_of(path)
    if fmt is None:
        return None
    try:
        real = os.path.realpath(path)
        st = os.stat(real)
    except (OSError, ValueError):
        return None
    # A file gikr may not read is read (and refused) every time, so that
    # fixing its permissions, which leaves its mtime alone, is noticed.
    if not os.path.isfile(real) or not os.access(real, os.R_OK):
        return None
    return real, fmt, st.st_size, st.st_mtime_ns


def cacheable(result: Result) -> bool:
    """Results that depend only on the file's bytes (not on limits or luck)."""
    if result.status != "error":
        return True
    # A reader bug keeps its traceback for --debug; a time or memory limit
    # depends on the run's settings and the machine's load.
    return result.debug is None and not (result.error or "").startswith(TRANSIENT_ERRORS)


TRANSIENT_ERRORS = ("time limit", "out of memory", "the worker", "internal error")


class Cache:
    """One process's connection to the cache file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=BUSY_MS / 1000, isolation_level=None)
        self._db.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()
        if not mode or str(mode[0]).lower() != "wal":
            raise sqlite3.DatabaseError(f"cannot use write-ahead logging (journal mode {mode and mode[0]})")
        # Durability is not needed for a cache; a lost entry is parsed again.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)
        # Reading a row of another schema raises here, not in the middle of a run.
        self._db.execute("SELECT path, format, size, mtime_ns, version, result FROM results LIMIT 1").fetchall()

    def get(self, path: str, key: tuple[str, str, int, int] | None = None) -> Result | None:
        key = key or file_key(path)
        if key is None:
            return None
        real, fmt, size, mtime_ns = key
        row = self._db.execute(
            "SELECT result FROM results WHERE path=? AND format=? AND size=? AND mtime_ns=? AND version=?",
            (real, fmt, size, mtime_ns, VERSION),
        ).fetchone()
        if row is None:
            return None
        try:
            result = pickle.loads(row[0])
        except Exception:  # noqa: BLE001 - an unreadable entry is a miss, not a failure
            return None
        if not isinstance(result, Result):
            return None
        result.path = str(path)  # the same file may be reached by several names
        return result

    def put(self, path: str, result: Result, key: tuple[str, str, int, int] | None) -> None:
        """Store `result` under `key`, the file's key taken before it was read."""
        if key is None or not cacheable(result):
            return
        if file_key(path) != key:
            return  # the file changed while it was parsed: the result may describe neither version
        blob = pickle.dumps(replace(result, debug=None), protocol=pickle.HIGHEST_PROTOCOL)
        real, fmt, size, mtime_ns = key
        self._db.execute(
            "INSERT OR REPLACE INTO results (path, format, size, mtime_ns, version, result) VALUES (?, ?, ?, ?, ?, ?)",
            (real, fmt, size, mtime_ns, VERSION, blob),
        )

    def close(self) -> None:
        self._db.close()


_cache: Cache | None = None
_owner_pid: int | None = None
_broken = False


def _in_main_process() -> bool:
    return multiprocessing.parent_process() is None


def _disable(error: BaseException) -> None:
    global _broken, _cache
    _broken = True
    _cache = None
    if _in_main_process():  # workers stay quiet: the TUI owns their terminal
        where = os.path.join(str(cache_dir()), FILE_NAME)
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"gikr: cache {where} is unusable ({detail}); continuing without it", file=sys.stderr)


def get_cache() -> Cache | None:
    """This process's cache connection, or None when the cache cannot be used."""
    global _cache, _owner_pid
    if _broken:
        return None
    pid = os.getpid()
    if _cache is not None and _owner_pid == pid:
        return _cache
    # A connection inherited through fork must not be used by the child.
    try:
        _cache = Cache(cache_dir() / FILE_NAME)
        _owner_pid = pid
    except (sqlite3.Error, OSError) as e:
        _disable(e)
        return None
    return _cache


def lookup(path: str, key: tuple[str, str, int, int] | None = None) -> Result | None:
    cache = get_cache()
    if cache is None:
        return None
    try:
        return cache.get(path, key)
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            return None  # another run holds it for longer than the busy timeout: parse instead
        _disable(e)
    except sqlite3.Error as e:
        _disable(e)
    return None


def store(path: str, result: Result, key: tuple[str, str, int, int] | None) -> None:
    cache = get_cache()
    if cache is None:
        return
    try:
        cache.put(path, result, key)
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            return
        _disable(e)
    except sqlite3.Error as e:
        _disable(e)


def reset() -> None:
    """Forget this process's connection and any earlier failure (tests, a new cache dir)."""
    global _cache, _owner_pid, _broken
    if _cache is not None and _owner_pid == os.getpid():
        try:
            _cache.close()
        except sqlite3.Error:
            pass
    _cache, _owner_pid, _broken = None, None, False
