"""A persistent cache of results, shared by `gikr check` and the inspector.

One SQLite file in the user cache directory (or `$GIKR_CACHE_DIR`), private
to the user (folder 0700, file 0600).  A row is a file's result as data
(`records.Parsed`: a brief and the whole result, codec bytes, never pickles),
valid while the file's real path, size, modification and change times, inode
and device, and gikr's parser version are what they were when it was read: a
rewrite that keeps size and mtime (`cp -p`, `rsync -t`) still changes the
ctime or the inode.  The language is not part of it: a row holds data, worded
where it is shown, so one row serves Chinese and English.  Outputs render what they read here;
nothing here knows how.

The cache is best-effort and never makes a run wait: WAL mode lets runs read
while another writes; a run that finds the write lock held skips storing
(one line says so); a damaged file is replaced by a new one (one line); any
other trouble turns the cache off for the run (one line) and gikr parses as
if it were not there.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import stat
import sys
import threading
import time
from pathlib import Path
from typing import Callable, NamedTuple

from . import __version__, checks, codec
from .i18n import _
from .pipeline import Result
from .readers import format_of
from .records import Outcome, Parsed, parsed

# Bump whenever a change to reading, interpreting or checking could change a
# Result for the same bytes: cached results of older versions are then ignored.
PARSER_VERSION = 2

# Modules that do not shape a stored result (nor do the packages in
# _NOT_PARSING_PACKAGES: the inspector, and the outputs that render results);
# any other change to the package's source also retires old rows, in case a
# bump is forgotten.
_NOT_PARSING = {
    "__main__.py", "cli.py", "serialize.py", "runner.py", "pool.py", "cache.py", "scan.py",
    "settings.py", "memory.py", "procs.py", "cluster.py",
    "summary_cli.py", "compare_cli.py", "series/collect.py", "series/summary.py", "series/compare.py",
    "series/agency.py", "series/similarity.py", "progress.py",
}
_NOT_PARSING_PACKAGES = {"tui", "output"}


def shaping_sources(package: Path) -> list[Path]:
    """The package's modules whose change could change a stored result, in a fixed order."""
    return [path for path in sorted(package.rglob("*.py"))
            if path.relative_to(package).parts[0] not in _NOT_PARSING_PACKAGES
            and str(path.relative_to(package)) not in _NOT_PARSING]


def _source_digest() -> str:
    package = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=8)
    for path in shaping_sources(package):
        rel = path.relative_to(package)
        digest.update(str(rel).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            pass
    return digest.hexdigest()


def _base_version() -> str:
    """The package's version, parser version and source digest (`VERSION`), worked out on
    first use: hashing the source takes ~10 ms, off the inspector's first frame."""
    version = globals().get("VERSION")
    if version is None:
        version = globals()["VERSION"] = f"{__version__}+p{PARSER_VERSION}+{_source_digest()}"
    return version


def __getattr__(name: str):
    if name == "VERSION":
        return _base_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

ENV_DIR = "GIKR_CACHE_DIR"
FILE_NAME = "results.sqlite3"
# A write waits this long for another run's batch (a few ms), then gives up.
LOCK_WAIT_MS = 250
# A file modified this recently is not cached yet (2 s: FAT's timestamp step).
RACY_NS = 2_000_000_000
SCHEMA_VERSION = 4  # of the table below; another value means drop and start again

# Rows for deleted files and older parsers are dropped at most once a day.
PRUNE_EVERY = 24 * 3600.0
PRUNE_MARKER = "pruned"

_SCHEMA = """
CREATE TABLE results (
    path BLOB NOT NULL,  -- os.fsencode(): a name need not be valid UTF-8
    format TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    ctime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    device INTEGER NOT NULL,
    version TEXT NOT NULL,
    status TEXT NOT NULL,
    brief BLOB NOT NULL,  -- codec bytes of records.brief(result)
    data BLOB,  -- codec bytes of the whole result; NULL when the brief is all of it
    PRIMARY KEY (path, format)
) WITHOUT ROWID
"""
_COLUMNS = "path, format, size, mtime_ns, ctime_ns, inode, device, version, status, brief, data"
_IN_BATCH = 500  # keys a query looks up at once (SQLite allows 999 parameters at least)
_MATCH = "path=? AND format=? AND size=? AND mtime_ns=? AND ctime_ns=? AND inode=? AND device=? AND version=?"


class Key(NamedTuple):
    """What identifies one version of a file; taken before the file is read."""

    real: str
    format: str
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int


def _ctime_step_ns() -> int:
    """Two ticks of the clock the kernel stamps files with (at least 10 ms)."""
    try:
        tick = time.clock_getres(getattr(time, "CLOCK_REALTIME_COARSE", 5))
    except (OSError, ValueError, AttributeError):
        tick = 0.01
    return max(10_000_000, int(tick * 2e9))


RACY_CTIME_NS = _ctime_step_ns()


def cache_dir() -> Path:
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("gikr"))


def file_key(path: str | os.PathLike) -> Key | None:
    """The file's Key, or None for a file that cannot be cached."""
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
    return Key(real, fmt, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def file_keys(paths: list[str]) -> list[Key | None]:
    """`file_key` of each path, each folder's real path resolved once.

    Resolving a path walks every folder above it (a system call each); for
    a file that is not itself a symlink its real path is its folder's real
    path and its name, so a folder of many files costs one walk.
    """
    folders: dict[str, str] = {}
    out: list[Key | None] = []
    for path in paths:
        fmt = format_of(path)
        key = None
        if fmt is not None:
            try:
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    key = file_key(path)  # the link's target is the file
                elif stat.S_ISREG(st.st_mode) and os.access(path, os.R_OK):
                    folder, name = os.path.split(path)
                    real = folders.get(folder)
                    if real is None:
                        real = folders[folder] = os.path.realpath(folder)
                    key = Key(os.path.join(real, name), fmt, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino,
                              st.st_dev)
            except (OSError, ValueError):
                key = None
        out.append(key)
    return out


def settled(path: str, key: Key) -> bool:
    """Whether a result read from the file as `key` saw it may be stored under that key.

    Not when the file changed while it was read (the result may describe
    neither version), nor when it was written moments ago: a rewrite within
    the file system's timestamp step could leave every stamp unchanged.
    """
    if file_key(path) != key:
        return False
    now = time.time_ns()
    return now - key.mtime_ns >= RACY_NS and now - key.ctime_ns >= RACY_CTIME_NS


TRANSIENT_ERRORS = ("time limit", "out of memory", "the worker", "internal error")


def cacheable(result: Result) -> bool:
    """Results that depend only on the file's bytes (not on limits or luck)."""
    if result.status != "error":
        return True
    # A reader bug keeps its traceback for --debug; a time or memory limit
    # depends on the run's settings and the machine's load.
    return result.debug is None and not (result.error is not None and result.error.startswith(TRANSIENT_ERRORS))


# --- messages ---------------------------------------------------------------------


def _in_main_process() -> bool:
    return multiprocessing.parent_process() is None


def _print_warning(message: str) -> None:
    print(f"gikr: {message}", file=sys.stderr)


# Where the cache's one-line notices go; the inspector points it at a notification.
on_warning: Callable[[str], None] = _print_warning
_said: set[str] = set()


def _warn(kind: str, message: str) -> None:
    """Say `message` once per process for each `kind`; workers stay quiet."""
    if kind in _said or not _in_main_process():
        return
    _said.add(kind)
    try:
        on_warning(message)
    except Exception:  # noqa: BLE001 - a notice must never break a run
        pass


def _where() -> str:
    return os.path.join(str(cache_dir()), FILE_NAME)


# --- the file ------------------------------------------------------------------------


class Damaged(Exception):
    """The file is not a database, or its pages are corrupt."""

    def __init__(self, detail: str, inode: int | None = None) -> None:
        super().__init__(detail)
        self.inode = inode  # of the damaged file, so that only it is replaced


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = folder.stat()
    if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(folder, 0o700)


def _private_file(path: Path) -> int:
    """Create the file 0600 (SQLite gives its -wal and -shm files the same mode); its inode."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        st = os.fstat(fd)
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            os.fchmod(fd, 0o600)
        return st.st_ino
    finally:
        os.close(fd)


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return not isinstance(error, sqlite3.OperationalError) or "malformed" in text or "not a database" in text


def _is_lock(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class Cache:
    """One thread's connection to the cache file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        _private_folder(path.parent)
        self.inode = _private_file(path)
        self._db = sqlite3.connect(str(path), timeout=LOCK_WAIT_MS / 1000, isolation_level=None)
        try:
            self._open()
        except sqlite3.DatabaseError as e:
            self._db.close()
            if _is_damage(e):
                raise Damaged(str(e) or type(e).__name__, self.inode) from None
            raise

    def _open(self) -> None:
        self._db.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
        mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()
        if not mode or str(mode[0]).lower() != "wal":
            raise sqlite3.OperationalError(f"cannot use write-ahead logging (journal mode {mode and mode[0]})")
        # Durability is not needed for a cache; a lost row is parsed again.
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
        self._db.execute(f"SELECT {_COLUMNS} FROM results LIMIT 1").fetchall()

    def row(self, columns: str, key: Key):
        return self._db.execute(
            f"SELECT {columns} FROM results WHERE {_MATCH}",
            (os.fsencode(key.real), key.format, key.size, key.mtime_ns, key.ctime_ns, key.inode, key.device,
             version()),
        ).fetchone()

    def rows(self, columns: str, keys: list[Key]) -> dict[Key, tuple]:
        """The current rows of many keys, `columns` of each, in a query per few hundred keys."""
        out: dict[Key, tuple] = {}
        wanted: dict[tuple[bytes, str], list[Key]] = {}
        for key in keys:
            wanted.setdefault((os.fsencode(key.real), key.format), []).append(key)
        names = list({real for real, _fmt in wanted})
        v = version()
        for i in range(0, len(names), _IN_BATCH):
            chunk = names[i:i + _IN_BATCH]
            query = (f"SELECT path, format, size, mtime_ns, ctime_ns, inode, device, version, {columns} "
                     f"FROM results WHERE path IN ({','.join('?' * len(chunk))})")
            for row in self._db.execute(query, chunk):
                for key in wanted.get((row[0], row[1]), ()):
                    if row[7] == v and (key.size, key.mtime_ns, key.ctime_ns, key.inode, key.device) == row[2:7]:
                        out[key] = row[8:]
        return out

    def forget(self, key: Key) -> None:
        self._db.execute("DELETE FROM results WHERE path=? AND format=?", (os.fsencode(key.real), key.format))

    def put(self, rows: list[Parsed]) -> None:
        """Store rows in one transaction: one brief lock for many files."""
        v = version()
        values = [
            (os.fsencode(p.key.real), p.key.format, p.key.size, p.key.mtime_ns, p.key.ctime_ns, p.key.inode,
             p.key.device, v, p.status, p.brief, p.data)
            for p in rows if p.key is not None
        ]
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(f"INSERT OR REPLACE INTO results ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", values)
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


def code_version() -> str:
    """The code that made a row: the package's source, and which checks are registered
    (a plugin or a test may add one at run time)."""
    return f"{_base_version()}+c{checks.fingerprint()}"


_pinned: str | None = None


def version() -> str:
    """The version rows are stored under: the code's.  Not the language: a row holds data
    (findings, notes and errors as message ids with their values), worded where it is shown."""
    return _pinned or code_version()


def pin_version(pinned: str | None) -> None:
    """Take rows of `pinned` as current: a helper process looking up for another whose
    checks (registered at run time) it has not loaded."""
    global _pinned
    _pinned = pinned


def _set_aside(path: Path, inode: int | None) -> None:
    """Remove a damaged cache file, unless another run has replaced it already."""
    try:
        if inode is not None and os.stat(path).st_ino != inode:
            return
    except FileNotFoundError:
        return
    for suffix in ("", "-wal", "-shm"):
        try:
            os.unlink(f"{path}{suffix}")
        except FileNotFoundError:
            pass


# --- this process's connection ---------------------------------------------------------

# One connection per thread (sqlite3 refuses to share one across threads: the
# inspector's pool thread and a test's main thread each get their own) and per
# process (a connection inherited through fork must not be used by the child).
_local = threading.local()
_off = False  # unusable for the rest of this process
_no_store = False  # another process held the write lock: this run stores nothing
_rebuilt = False


def _disable(error: BaseException) -> None:
    global _off
    _off = True
    _local.cache = None
    detail = str(error).splitlines()[0] if str(error) else type(error).__name__
    _warn("off", _("cache {path} is unusable ({detail}); continuing without it").format(path=_where(), detail=detail))


def _rebuild(detail: str, inode: int | None = None) -> Cache | None:
    """Replace a damaged cache file with a new one, once per process."""
    global _rebuilt
    old = getattr(_local, "cache", None)
    if inode is None and old is not None:
        inode = old.inode
    if old is not None:
        try:
            old.close()
        except sqlite3.Error:
            pass
    _local.cache = None
    if _rebuilt:
        _disable(Damaged(detail))
        return None
    _rebuilt = True
    path = cache_dir() / FILE_NAME
    try:
        _set_aside(path, inode)
        cache = Cache(path)
    except (sqlite3.Error, OSError, Damaged) as e:
        _disable(e)
        return None
    _warn("rebuilt", _("cache {path} was damaged ({detail}); started a new one").format(path=_where(), detail=detail))
    _local.cache, _local.pid = cache, os.getpid()
    return cache


def get_cache() -> Cache | None:
    """This thread's cache connection, or None when the cache cannot be used."""
    if _off:
        return None
    pid = os.getpid()
    cache = getattr(_local, "cache", None)
    if cache is not None and _local.pid == pid:
        return cache
    try:
        cache = Cache(cache_dir() / FILE_NAME)
    except Damaged as e:
        return _rebuild(str(e), e.inode)
    except (sqlite3.Error, OSError) as e:
        _disable(e)
        return None
    _local.cache, _local.pid = cache, pid
    return cache


def _guarded(action, default=None, on_lock=None):
    """Run an action on this thread's connection; trouble never stops a run.

    A lock held past LOCK_WAIT_MS is a miss for a read (rare in WAL mode), and
    `on_lock()` for a write."""
    cache = get_cache()
    if cache is None:
        return default
    try:
        return action(cache)
    except sqlite3.DatabaseError as e:
        if _is_lock(e):
            if on_lock is not None:
                on_lock()
            return default
        if _is_damage(e):
            _rebuild(str(e).splitlines()[0] if str(e) else type(e).__name__)
        else:
            _disable(e)
    except sqlite3.Error as e:
        _disable(e)
    return default


# --- what the rest of gikr uses -----------------------------------------------------------


def _columns(need: str) -> str:
    return "status, brief" if need in ("brief", "badge") else "status, brief, data"


def _outcome(index: int, path: str, need: str, key: Key, row) -> Outcome | None:
    """The Outcome of a current row, decoded as `need` asks; None (and the row dropped) when it does not decode."""
    data = bytes(row[2]) if len(row) > 2 and row[2] is not None else None
    outcome = Outcome(index, str(path), row[0], bytes(row[1]), data, cached=True)
    try:
        if need == "full":
            outcome.result()
        elif need == "badge":
            outcome.badge  # noqa: B018 - decoding checks the row
        else:
            outcome.brief  # noqa: B018
            if need == "shown":
                outcome.shown()
    except (codec.CodecError, LookupError):
        _guarded(lambda c: c.forget(key))
        return None
    return outcome


def lookup_outcome(index: int, path: str, need: str, key: Key | None = None) -> Outcome | None:
    """The cached Outcome for `path` (whose Key is `key`, taken now if not given) if its row
    is current, decoded as `need` asks (`runner.FULL`, `BRIEF`, `BADGE` or `SHOWN`: a row
    that does not decode is a miss, and is dropped)."""
    key = key or file_key(path)
    if key is None:
        return None
    row = _guarded(lambda c: c.row(_columns(need), key))
    if row is None:
        return None
    return _outcome(index, path, need, key, row)


def lookup_outcomes(entries: list[tuple[int, str, Key]], need: str) -> dict[int, Outcome]:
    """`lookup_outcome` for many files at once: {index: Outcome} of those whose row is current."""
    if not entries:
        return {}
    rows = _guarded(lambda c: c.rows(_columns(need), [key for _, _, key in entries]), {})
    out: dict[int, Outcome] = {}
    for index, path, key in entries:
        row = rows.get(key)
        if row is not None:
            outcome = _outcome(index, path, need, key, row)
            if outcome is not None:
                out[index] = outcome
    return out


def lookup(path: str) -> Result | None:
    """The whole cached Result for `path` (its report with every table), or None."""
    outcome = lookup_outcome(0, path, "full")
    return None if outcome is None else outcome.result()


def lookup_brief(path: str) -> Result | None:
    """The cached brief for `path` (status, findings, the report's template/year/agency; no tables)."""
    outcome = lookup_outcome(0, path, "brief")
    return None if outcome is None else outcome.brief


def store(rows: list[Parsed]) -> None:
    """Store what workers parsed (rows without a key are skipped), in one short transaction.

    When another process holds the write lock past LOCK_WAIT_MS, this run
    stops storing (one line says so) rather than waiting on every batch.
    """
    rows = [r for r in rows if r.key is not None]
    if rows and not _no_store:
        _guarded(lambda c: c.put(rows), on_lock=_stop_storing)


def _stop_storing() -> None:
    global _no_store
    _no_store = True
    _warn("locked", _("cache {path} is locked by another process; this run's results are not stored").format(path=_where()))


def store_result(path: str, result: Result, key: Key | None = None) -> None:
    """Store `result` as the current result of `path` (key: the file's, taken before reading)."""
    key = key or file_key(path)
    if key is not None:
        store([parsed(result, key)])


def prune(every: float = PRUNE_EVERY) -> int:
    """Prune the cache if it was not pruned in the last `every` seconds (a stat per
    file it knows, so not on every run); how many rows went."""
    if get_cache() is None:
        return 0
    marker = cache_dir() / PRUNE_MARKER
    try:
        if time.time() - marker.stat().st_mtime < every:
            return 0
    except OSError:
        pass  # never pruned
    removed = _guarded(lambda c: c.prune(), 0)
    try:
        marker.touch(mode=0o600)
    except OSError:
        pass
    return removed


def reset() -> None:
    """Forget this thread's connection and any earlier failure (tests, a new cache dir)."""
    global _off, _no_store, _rebuilt
    cache = getattr(_local, "cache", None)
    if cache is not None and getattr(_local, "pid", None) == os.getpid():
        try:
            cache.close()
        except sqlite3.Error:
            pass
    _local.cache, _local.pid = None, None
    _off = _no_store = _rebuilt = False
    _said.clear()
