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

import copyreg
import hashlib
import io
import json
import multiprocessing
import os
import pickle
import sqlite3
import stat
import sys
import threading
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path

from . import __version__, checks
from .checks import Finding, Quote
from .model import Origin, Report
from .pipeline import Result
from .readers import format_of

# Bump whenever a change to reading, interpreting or checking could change a
# Result for the same bytes: cached results of older versions are then ignored.
PARSER_VERSION = 2

# Modules whose code does not shape a Result; any other change to the
# package's source also retires old entries, in case a bump is forgotten.
# (serialize.py counts: entries hold its output too.)
_NOT_PARSING = {"__main__.py", "cli.py", "present.py", "runner.py", "cache.py", "scan.py",
                "summary_cli.py", "compare_cli.py", "series/collect.py", "series/summary.py", "series/compare.py",
                "series/agency.py", "series/similarity.py"}


def _source_digest() -> str:
    package = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=8)
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package)
        if rel.parts[0] == "tui" or str(rel) in _NOT_PARSING:
            continue
        digest.update(str(rel).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


VERSION = f"{__version__}+p{PARSER_VERSION}+{_source_digest()}"
_pinned: str | None = None


def version() -> str:
    """The cache key's code version: the package's source, and which checks are
    registered (a plugin or a test may add one at run time)."""
    if _pinned is not None:
        return _pinned
    return f"{VERSION}+c{checks.fingerprint()}"


def pin_version(value: str) -> None:
    """A worker keys its entries by the version of the process that started it."""
    global _pinned
    _pinned = value

ENV_DIR = "GIKR_CACHE_DIR"
FILE_NAME = "results.sqlite3"
BUSY_MS = 10_000
# A file modified this recently is not cached yet (2 s: FAT's timestamp step).
RACY_NS = 2_000_000_000
SCHEMA_VERSION = 3  # of the table below; another value means drop and start again

# Rows for deleted files and older parsers are dropped at most once a day.
PRUNE_EVERY = 24 * 3600.0
PRUNE_MARKER = "pruned"

_SCHEMA = """
CREATE TABLE results (
    path BLOB NOT NULL,  -- os.fsencode(): a name need not be valid UTF-8
    format TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    version TEXT NOT NULL,
    result BLOB NOT NULL,
    summary BLOB NOT NULL,
    jsonl_tail BLOB NOT NULL,
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
        st = os.stat(path)
        # A file gikr may not read is read (and refused) every time, so that
        # fixing its permissions, which leaves its mtime alone, is noticed.
        if not stat.S_ISREG(st.st_mode) or not os.access(path, os.R_OK):
            return None
        real = os.path.realpath(path)
    except (OSError, ValueError):
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


def _frozen_reducer(cls):
    names = tuple(f.name for f in fields(cls))

    def reduce(obj):
        return cls, tuple(getattr(obj, name) for name in names)

    return reduce


# Frozen slotted dataclasses unpickle through a Python-level __setstate__
# (about 3 µs each, and a report holds hundreds of Origins); rebuilt through
# their constructor instead, a cached result loads twice as fast.
_REDUCERS = {cls: _frozen_reducer(cls) for cls in (Origin, Finding, Quote)}


def _dumps(result: Result) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, **_REDUCERS}
    pickler.dump(result)
    return buffer.getvalue()


@dataclass(slots=True)
class Light:
    """What `gikr check` prints for one file, without the weight of its Report.

    `result` keeps the report's template, year and agency and the findings
    (all the table and csv formats show) but no tables; `jsonl_tail` is the
    file's jsonl record after its path, so the line is rebuilt for whatever
    name the file was given.
    """

    result: Result
    jsonl_tail: str

    def jsonl(self) -> str:
        return '{"record": "report", "path": ' + json.dumps(self.result.path, ensure_ascii=False) + ", " + self.jsonl_tail


def light(result: Result) -> Light:
    from .serialize import result_json

    record = result_json(result)
    del record["record"], record["path"]
    tail = json.dumps(record, ensure_ascii=False)[1:]
    rep = result.report
    stub = None
    if rep is not None:
        stub = Report(rep.format, rep.template, rep.year, rep.agency, encoding=rep.encoding, layout=rep.layout, pages=rep.pages)
    return Light(replace(result, report=stub), tail)


_ROW = "size=? AND mtime_ns=? AND version=?"


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
        if self._db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            # A cache of another layout (an older gikr) is only thrown away.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if self._db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                    self._db.execute("DROP TABLE IF EXISTS results")
                    self._db.execute(_SCHEMA)
                    self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        # A damaged file raises here, not in the middle of a run.
        self._db.execute(
            "SELECT path, format, size, mtime_ns, version, result, summary, jsonl_tail FROM results LIMIT 1"
        ).fetchall()

    def _row(self, columns: str, path: str, key: tuple[str, str, int, int] | None):
        key = key or file_key(path)
        if key is None:
            return None
        real, fmt, size, mtime_ns = key
        return self._db.execute(
            f"SELECT {columns} FROM results WHERE path=? AND format=? AND {_ROW}",
            (os.fsencode(real), fmt, size, mtime_ns, version()),
        ).fetchone()

    def get(self, path: str, key: tuple[str, str, int, int] | None = None) -> Result | None:
        row = self._row("result", path, key)
        result = _loads(row[0]) if row else None
        if result is not None:
            result.path = str(path)  # the same file may be reached by several names
        return result

    def get_light(self, path: str, key: tuple[str, str, int, int] | None = None) -> Light | None:
        row = self._row("summary, jsonl_tail", path, key)
        result = _loads(row[0]) if row else None
        if result is None:
            return None
        result.path = str(path)
        return Light(result, bytes(row[1]).decode("utf-8", "surrogatepass"))

    def put(self, path: str, result: Result, key: tuple[str, str, int, int] | None, lite: Light | None = None) -> None:
        """Store `result` under `key`, the file's key taken before it was read."""
        row = entry(path, result, key, lite)
        if row is not None:
            self.put_rows([row])

    def put_rows(self, rows: list[tuple]) -> None:
        """Store rows made by `entry()`, in one transaction: one brief lock for many files."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT OR REPLACE INTO results (path, format, size, mtime_ns, version, result, summary, jsonl_tail)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    def prune(self) -> int:
        """Drop the rows no run can use again (an older parser's, files that are gone); how many."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            removed = self._db.execute("DELETE FROM results WHERE version != ?", (version(),)).rowcount
            paths = [row[0] for row in self._db.execute("SELECT DISTINCT path FROM results")]
            gone = [(p,) for p in paths if not os.path.exists(os.fsdecode(p))]
            removed += self._db.executemany("DELETE FROM results WHERE path = ?", gone).rowcount
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return removed

    def close(self) -> None:
        self._db.close()


def entry(path: str, result: Result, key: tuple[str, str, int, int] | None, lite: Light | None = None) -> tuple | None:
    """The cache row for `result` (plain bytes and numbers, cheap to send to another
    process), or None when it must not be stored.  `key` is the file's key taken
    before it was read."""
    if key is None or not cacheable(result):
        return None
    if file_key(path) != key:
        return None  # the file changed while it was parsed: the result may describe neither version
    if time.time_ns() - key[3] < RACY_NS:
        # Written moments ago: a rewrite of the same size within the file
        # system's timestamp granularity would leave the key unchanged.
        return None
    result = replace(result, debug=None)
    lite = lite or light(result)
    real, fmt, size, mtime_ns = key
    return (
        os.fsencode(real), fmt, size, mtime_ns, version(), _dumps(result),
        _dumps(replace(lite.result, debug=None)), lite.jsonl_tail.encode("utf-8", "surrogatepass"),
    )


def _loads(blob: bytes) -> Result | None:
    try:
        result = pickle.loads(blob)
    except Exception:  # noqa: BLE001 - an unreadable entry is a miss, not a failure
        return None
    return result if isinstance(result, Result) else None


# One connection per thread (sqlite3 refuses to share one across threads: the
# TUI's pool thread and a test's main thread each get their own) and per
# process (a connection inherited through fork must not be used by the child).
_local = threading.local()
_broken = False


def _in_main_process() -> bool:
    return multiprocessing.parent_process() is None


def _disable(error: BaseException) -> None:
    global _broken
    _broken = True
    _local.cache = None
    if _in_main_process():  # workers stay quiet: the TUI owns their terminal
        where = os.path.join(str(cache_dir()), FILE_NAME)
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"gikr: cache {where} is unusable ({detail}); continuing without it", file=sys.stderr)


def get_cache() -> Cache | None:
    """This thread's cache connection, or None when the cache cannot be used."""
    if _broken:
        return None
    pid = os.getpid()
    cache = getattr(_local, "cache", None)
    if cache is not None and _local.pid == pid:
        return cache
    try:
        cache = Cache(cache_dir() / FILE_NAME)
    except (sqlite3.Error, OSError) as e:
        _disable(e)
        return None
    _local.cache, _local.pid = cache, pid
    return cache


def _guarded(action, default=None):
    """Run a cache action; trouble turns the cache off (a long lock is only a miss)."""
    try:
        return action()
    except (ValueError, TypeError, pickle.PicklingError, RecursionError):
        return default  # this one entry cannot be stored or read: a miss, the cache stays on
    except sqlite3.OperationalError as e:
        if "locked" in str(e) or "busy" in str(e):
            return default  # another run held it past the busy timeout: parse instead
        _disable(e)
    except sqlite3.Error as e:
        _disable(e)
    return default


def lookup(path: str, key: tuple[str, str, int, int] | None = None) -> Result | None:
    cache = get_cache()
    return None if cache is None else _guarded(lambda: cache.get(path, key))


def lookup_light(path: str, key: tuple[str, str, int, int] | None = None) -> Light | None:
    cache = get_cache()
    return None if cache is None else _guarded(lambda: cache.get_light(path, key))


def store(path: str, result: Result, key: tuple[str, str, int, int] | None, lite: Light | None = None) -> None:
    cache = get_cache()
    if cache is not None:
        _guarded(lambda: cache.put(path, result, key, lite))


def store_rows(rows: list[tuple]) -> None:
    cache = get_cache() if rows else None
    if cache is not None:
        _guarded(lambda: cache.put_rows(rows))


def prune(every: float = PRUNE_EVERY) -> int:
    """Prune the cache if it was not pruned in the last `every` seconds (a stat per
    file it knows, so not on every run); how many rows went."""
    cache = get_cache()
    if cache is None:
        return 0
    marker = cache_dir() / PRUNE_MARKER
    try:
        if time.time() - marker.stat().st_mtime < every:
            return 0
    except OSError:
        pass  # never pruned
    removed = _guarded(cache.prune, 0)
    try:
        marker.touch()
    except OSError:
        pass
    return removed


def reset() -> None:
    """Forget this thread's connection and any earlier failure (tests, a new cache dir)."""
    global _broken
    cache = getattr(_local, "cache", None)
    if cache is not None and _local.pid == os.getpid():
        try:
            cache.close()
        except sqlite3.Error:
            pass
    _local.cache, _local.pid, _broken = None, None, False
