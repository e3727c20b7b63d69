"""The persistent cache of results: it tells the truth, holds data, and never makes a run wait."""

import json
import os
import pickle
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from gikr_tui import cache
from gikr_tui.pipeline import check_file
from gikr_tui.runner import STORE_BATCH, run
from gikr_tui.settings import Settings

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GIKR_CACHE_DIR", str(folder))
    cache.reset()
    yield folder
    cache.reset()


def gikr(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "gikr_tui", "check", *map(str, args)],
        capture_output=True, text=True, env=env or os.environ.copy(),
    )


def check(path, **overrides):
    """One file's Result through the run loop (the cache on unless told otherwise)."""
    return next(run([str(path)], Settings(jobs=1).but(**overrides)))


def _age(path: Path, seconds: float = 60) -> Path:
    """Date a file back: one written moments ago is not cached yet (see test_a_file_written_moments_ago).

    Setting the mtime stamps the ctime with now; the cache trusts a ctime a
    couple of the kernel's clock ticks old, so wait those few ms out.
    """
    past = time.time() - seconds
    os.utime(path, (past, past))
    wait = (path.stat().st_ctime_ns + cache.RACY_CTIME_NS - time.time_ns()) / 1e9
    if wait > 0:
        time.sleep(wait)
    return path


def _copy_seeds(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [Path(shutil.copy(p, folder / p.name)) for p in SEED_FILES]
    for p in paths:
        _age(p)
    return paths


def test_cache_dir_follows_the_environment(own_cache):
    assert cache.cache_dir() == own_cache
    check(SEED_FILES[0])
    assert (own_cache / cache.FILE_NAME).is_file()


def test_cached_output_is_byte_for_byte_the_fresh_output(tmp_path, own_cache):
    reports = tmp_path / "reports"
    _copy_seeds(reports)
    fresh = gikr(reports, "--format", "jsonl", "--no-cache")
    cold = gikr(reports, "--format", "jsonl")
    warm = gikr(reports, "--format", "jsonl")
    assert fresh.stdout and fresh.stdout == cold.stdout == warm.stdout
    assert "from cache" not in cold.stderr
    assert "(5 from cache)" not in fresh.stderr
    assert f", {len(SEED_FILES)} from cache)" in warm.stderr
    csv_fresh = gikr(reports, "--format", "csv", "--no-cache")
    csv_warm = gikr(reports, "--format", "csv")
    assert csv_fresh.stdout == csv_warm.stdout


def test_no_cache_neither_reads_nor_writes(tmp_path, own_cache):
    reports = tmp_path / "reports"
    _copy_seeds(reports)
    gikr(reports, "--no-cache")
    assert not (own_cache / cache.FILE_NAME).exists()


def test_a_stored_result_is_what_a_check_returns(tmp_path, own_cache):
    # Plant a result that differs from what parsing gives: a check that
    # consults the cache must return it, one that parses cannot.
    path = str(_copy_seeds(tmp_path / "r")[0])
    real = check_file(path)
    planted = replace(real, report=replace(real.report, agency="缓存里的机关"))
    cache.store_result(path, planted)
    assert check(path).report.agency == "缓存里的机关"
    assert check(path, use_cache=False).report.agency == real.report.agency
    assert cache.lookup_brief(path).report.agency == "缓存里的机关"
    out = gikr(path, "--format", "csv").stdout
    assert "缓存里的机关" in out


def _plant_stale(path: Path) -> str:
    real = check_file(str(path))
    cache.store_result(str(path), replace(real, report=replace(real.report, agency="旧的")))
    assert check(path).report.agency == "旧的"
    return real.report.agency


def test_a_changed_file_is_parsed_again(tmp_path, own_cache):
    path = _copy_seeds(tmp_path / "r")[0]
    agency = _plant_stale(path)

    # same bytes, new modification time: stale
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert cache.lookup(str(path)) is None
    assert check(path).report.agency == agency

    # new bytes, modification time put back: the size gives it away
    _age(path)
    _plant_stale(path)
    st = path.stat()
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.lookup(str(path)) is None
    _age(path)
    assert check(path).report.agency == agency
    # and the fresh result replaced the stale entry
    assert cache.lookup(str(path)).report.agency == agency


def _same_size_other_verdict(seed: Path) -> bytes:
    text = seed.read_bytes()
    edited = text.replace("一、本年新收政府信息公开申请数量\n\t28\n".encode(), "一、本年新收政府信息公开申请数量\n\t29\n".encode(), 1)
    assert edited != text and len(edited) == len(text)
    return edited


@pytest.mark.parametrize("how", ["in place, mtime put back", "cp -p over it"])
def test_a_rewrite_keeping_size_and_mtime_is_seen(tmp_path, own_cache, how):
    # `cp -p`, `rsync -t` and `wget -N` keep the timestamp: same size and
    # mtime, other bytes.  The ctime (and, for a new file, the inode) tells.
    path = tmp_path / "report.txt"
    shutil.copy(SEED_FILES[0], path)
    _age(path)
    env = {**os.environ, "GIKR_CACHE_DIR": str(own_cache)}
    first = gikr(path, "--format", "csv", env=env)
    assert first.returncode == 0 and ",ok," in first.stdout
    assert "1 from cache" in gikr(path, env=env).stderr  # stored, and served
    before = path.stat()
    if how == "cp -p over it":
        other = tmp_path / "other.txt"
        other.write_bytes(_same_size_other_verdict(SEED_FILES[0]))
        os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
        shutil.copy2(other, path)  # what cp -p does: the bytes, then the times
    else:
        path.write_bytes(_same_size_other_verdict(SEED_FILES[0]))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    again = gikr(path, "--format", "csv", env=env)
    assert again.returncode == 1, again.stdout
    assert ",violations," in again.stdout and "row_total" in again.stdout
    assert "from cache" not in again.stderr


def test_one_entry_serves_every_name_of_a_file(tmp_path, own_cache):
    path = _copy_seeds(tmp_path / "r")[0]
    alias = tmp_path / "alias.txt"
    os.symlink(path, alias)
    check(path)
    hit = cache.lookup(str(alias))
    assert hit is not None and hit.path == str(alias)


def test_a_parser_version_change_retires_entries(tmp_path, own_cache, monkeypatch):
    path = str(_copy_seeds(tmp_path / "r")[0])
    check(path)
    assert cache.lookup(path) is not None
    monkeypatch.setattr(cache, "VERSION", cache.VERSION + "-next")
    assert cache.lookup(path) is None


def test_rows_hold_data_not_pickles(tmp_path, own_cache):
    path = str(_copy_seeds(tmp_path / "r")[0])
    check(path)
    db = sqlite3.connect(own_cache / cache.FILE_NAME)
    status, brief, data = db.execute("SELECT status, brief, data FROM results").fetchone()
    assert status == "ok"

    def unpack(blob: bytes) -> dict:  # JSON, zlib-compressed where that pays
        return json.loads(zlib.decompress(blob) if blob[:1] == b"x" else blob)

    assert unpack(brief)["report"]["agency"] == "相城区人民政府办公室"
    assert "requests" not in unpack(brief)["report"] or not unpack(brief)["report"]["requests"]
    whole = unpack(data)
    assert whole["report"]["requests"]["received_new"]["natural"]["number"] == 28


class _Marker:
    """Unpickling this creates a file: the proof that code ran."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __reduce__(self):
        return (open, (self.where, "w"))


def test_a_planted_pickle_is_never_run(tmp_path, own_cache):
    # Anyone who can write the cache file must not be able to run code as the
    # user: rows are decoded as data, and a pickle is no data gikr wrote.
    path = _copy_seeds(tmp_path / "r")[0]
    check(path)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Marker(str(marker)))
    db = sqlite3.connect(own_cache / cache.FILE_NAME)
    db.execute("UPDATE results SET brief=?, data=?", (payload, payload))
    db.commit()
    cache.reset()
    assert cache.lookup_brief(str(path)) is None
    assert cache.lookup(str(path)) is None
    got = gikr(path, "--format", "jsonl", env={**os.environ, "GIKR_CACHE_DIR": str(own_cache)})
    assert got.returncode == 0 and json.loads(got.stdout)["status"] == "ok"
    assert "from cache" not in got.stderr
    assert not marker.exists()


def test_the_cache_is_private_to_the_user(tmp_path, own_cache):
    own_cache.mkdir(mode=0o755)  # made by someone else, too open
    old = os.umask(0o022)
    try:
        check(_copy_seeds(tmp_path / "r")[0])
    finally:
        os.umask(old)
    assert stat.S_IMODE(own_cache.stat().st_mode) == 0o700
    for name in os.listdir(own_cache):
        if name.startswith(cache.FILE_NAME):  # the file, its -wal and -shm
            assert stat.S_IMODE((own_cache / name).stat().st_mode) == 0o600, name


def test_a_damaged_cache_file_is_rebuilt_once_with_one_line(tmp_path, own_cache):
    reports = tmp_path / "reports"
    _copy_seeds(reports)
    own_cache.mkdir(parents=True)
    (own_cache / cache.FILE_NAME).write_bytes(b"this is not an SQLite database, just junk " * 200)
    expected = gikr(reports, "--format", "jsonl", "--no-cache")
    got = gikr(reports, "--format", "jsonl", "--jobs", "2")
    assert got.stdout == expected.stdout
    assert got.returncode == expected.returncode == 0
    notes = [line for line in got.stderr.splitlines() if "cache" in line]
    assert len(notes) == 1
    assert "was damaged" in notes[0] and "started a new one" in notes[0]
    # the new file works: the next run says nothing and reads every result from it
    warm = gikr(reports, "--format", "jsonl")
    assert warm.stdout == expected.stdout
    assert warm.stderr.count("\n") == 1 and f"{len(SEED_FILES)} from cache" in warm.stderr


def test_a_cache_of_another_layout_is_replaced(own_cache):
    own_cache.mkdir(parents=True)
    db = sqlite3.connect(own_cache / cache.FILE_NAME)
    db.execute("CREATE TABLE results (path TEXT PRIMARY KEY, blob BLOB)")
    db.commit()
    db.close()
    path = str(SEED_FILES[0])
    assert check(path).status == "ok"
    assert cache.lookup(path) is not None


_HOLD_LOCK = (
    "import sqlite3, sys, time\n"
    "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "db.execute('BEGIN IMMEDIATE')\n"
    "db.execute('DELETE FROM results WHERE 0')\n"
    "print('locked', flush=True)\n"
    "time.sleep(120)\n"
)


def test_a_run_under_another_process_s_lock_does_not_wait(tmp_path, own_cache):
    # Another process holds the write lock for as long as it likes: the run
    # stores nothing, says so once, and takes no longer than an unlocked run.
    folder = tmp_path / "many"
    folder.mkdir()
    # three batches to store (runner.STORE_BATCH), two of them whole: a wait per batch shows
    for i in range(2 * STORE_BATCH + 5):
        shutil.copy(SEED_FILES[i % len(SEED_FILES)], folder / f"{i:03}.txt")
        os.utime(folder / f"{i:03}.txt", (time.time() - 60,) * 2)
    _age(folder / "000.txt")
    env = {**os.environ, "GIKR_CACHE_DIR": str(tmp_path / "free")}
    started = time.monotonic()
    # (--no-series: copies of five seeds would be said to be the same reports)
    free = gikr(folder, "--format", "csv", "--jobs", "2", "--no-series", env=env)
    unlocked = time.monotonic() - started
    assert free.returncode == 0 and free.stderr.count("\n") == 1

    check(SEED_FILES[0])  # the locked cache exists
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(own_cache / cache.FILE_NAME)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        env = {**os.environ, "GIKR_CACHE_DIR": str(own_cache)}
        started = time.monotonic()
        got = gikr(folder, "--format", "csv", "--jobs", "2", "--no-series", env=env)
        locked = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert got.stdout == free.stdout and got.returncode == 0
    notes = [line for line in got.stderr.splitlines() if "cache" in line]
    assert len(notes) == 1 and "locked by another process" in notes[0], got.stderr
    # (it used to wait 10 s for every batch of 64: 51 s for 300 files)
    assert locked < unlocked + 2.0, (locked, unlocked)
    assert cache.lookup(str(folder / "001.txt")) is None  # nothing was stored


def test_two_runs_sharing_the_cache_at_once(tmp_path, own_cache):
    reports = tmp_path / "reports"
    for i in range(8):
        _copy_seeds(reports / f"d{i}")
    expected = gikr(reports, "--format", "jsonl", "--no-cache").stdout
    # (--no-series: eight copies of each seed would be said to be the same report)
    cmd = [sys.executable, "-m", "gikr_tui", "check", str(reports), "--format", "jsonl", "--jobs", "2", "--no-series"]
    runs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [r.communicate() for r in runs]
    for out, err in outs:
        assert out == expected
        assert "cache" not in err.split("(")[0]  # no warning, only the summary line
        assert err.count("\n") == 1
    # and what they stored together serves a later run completely
    warm = gikr(reports, "--format", "jsonl")
    assert warm.stdout == expected
    assert f", {8 * len(SEED_FILES)} from cache)" in warm.stderr


def test_errors_of_the_bytes_are_kept_errors_of_the_moment_are_not(tmp_path, own_cache):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _age(empty)
    assert str(check(empty).error) == "empty file"
    assert str(cache.lookup(str(empty)).error) == "empty file"  # a property of the bytes: kept
    gone = tmp_path / "gone.txt"
    assert check(gone).status == "error"
    gone.write_text(SEED_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    assert check(gone).status == "ok"  # not a remembered "disappeared"


def test_a_file_name_that_is_not_utf8_is_cached_too(tmp_path, own_cache):
    name = os.fsdecode(b"\xc4\xea\xb1\xa8 report.txt")  # 年报 in GBK, on a UTF-8 system
    path = str(tmp_path / name)
    shutil.copy(SEED_FILES[0], path)
    _age(Path(path))
    first = check(path)
    assert first.status == "ok"
    hit = cache.lookup(path)
    assert hit is not None and hit.path == path
    assert hit == first


def test_a_file_written_moments_ago_is_not_cached_yet(tmp_path, own_cache):
    # Within the file system's timestamp step, a rewrite of the same size
    # could keep (size, mtime): such a file is parsed, not remembered.
    path = tmp_path / "fresh.txt"
    shutil.copy(SEED_FILES[0], path)
    os.utime(path)  # modified now
    assert check(path).status == "ok"
    assert cache.lookup(str(path)) is None
    _age(path)
    check(path)
    assert cache.lookup(str(path)) is not None


def test_what_one_run_stores_the_command_line_reads(tmp_path, own_cache):
    # the inspector drives the same loop in-process: its rows serve `gikr check`
    paths = _copy_seeds(tmp_path / "r")
    list(run([str(p) for p in paths], Settings(jobs=2)))
    got = gikr(tmp_path / "r", "--format", "jsonl", "--jobs", "2")
    assert f", {len(paths)} from cache)" in got.stderr
    fresh = gikr(tmp_path / "r", "--format", "jsonl", "--no-cache")
    assert got.stdout == fresh.stdout


def test_each_thread_gets_its_own_connection(own_cache, tmp_path):
    # The inspector's pool thread stores what the workers parsed; the main
    # thread (and any other) reads it.  sqlite3 refuses a connection made in
    # another thread, which used to switch the cache off for the whole process.
    import threading

    seed = _copy_seeds(tmp_path / "r")[0]
    thread = threading.Thread(target=lambda: check(seed))
    thread.start()
    thread.join()
    hit = cache.lookup(str(seed))
    assert hit is not None and hit.status == "ok"
    assert cache.get_cache() is not None  # still on


def test_prune_drops_rows_of_deleted_files_and_older_parsers(own_cache, tmp_path, monkeypatch):
    folder = tmp_path / "r"
    folder.mkdir()
    kept, deleted, old = (folder / f"{n}.txt" for n in ("kept", "deleted", "old"))
    for path, seed in zip((kept, deleted, old), SEED_FILES[:3]):
        shutil.copy(seed, path)
        _age(path)
    for path in (kept, deleted):
        check(path)
    monkeypatch.setattr(cache, "VERSION", "an older parser")
    check(old)  # stored under another parser version
    monkeypatch.undo()
    monkeypatch.setenv("GIKR_CACHE_DIR", str(own_cache))
    deleted.unlink()
    db = sqlite3.connect(own_cache / cache.FILE_NAME)
    assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 3
    assert cache.prune() == 2  # never pruned before: due
    assert [os.fsdecode(p) for (p,) in db.execute("SELECT path FROM results")] == [os.path.realpath(kept)]
    assert cache.lookup(str(kept)) is not None
    # then not again within a day, however much is gone
    kept.unlink()
    assert cache.prune() == 0
    assert cache.prune(every=0) == 1


def test_gikr_check_prunes_the_cache(own_cache, tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    for seed in SEED_FILES[:2]:
        _age(Path(shutil.copy(seed, folder)))
    env = {**os.environ, "GIKR_CACHE_DIR": str(own_cache)}
    assert gikr(str(folder), env=env).returncode == 0
    marker = own_cache / cache.PRUNE_MARKER
    assert marker.exists()
    os.utime(marker, (0, 0))  # a day and more ago
    first = sorted(folder.iterdir())[0]
    first.unlink()
    assert gikr(str(folder), env=env).returncode == 0
    db = sqlite3.connect(own_cache / cache.FILE_NAME)
    assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1


def test_many_files_are_looked_up_at_once_exactly_as_one_by_one(tmp_path, own_cache):
    # the inspector looks a folder up a batch at a time: one query, each folder resolved
    # once; every kind of name must give the key and the answer a lookup of its own gives
    paths = _copy_seeds(tmp_path / "r")
    list(run([str(p) for p in paths], Settings(jobs=2)))
    (tmp_path / "linked").symlink_to(tmp_path / "r", target_is_directory=True)
    (tmp_path / "alias.txt").symlink_to(paths[1])
    with open(paths[2], "a", encoding="utf-8") as fh:
        fh.write("\n")  # changed since it was stored: a miss
    locked = tmp_path / "r" / "locked.txt"
    locked.write_text("x", encoding="utf-8")
    locked.chmod(0)
    names = [str(p) for p in paths] + [
        str(tmp_path / "linked" / paths[0].name), str(tmp_path / "alias.txt"), str(locked),
        str(tmp_path / "r" / "gone.txt"), str(tmp_path / "r"), str(tmp_path / "r" / "notes.rtf"),
    ]
    try:
        assert cache.file_keys(names) == [cache.file_key(n) for n in names]
        keys = cache.file_keys(names)
        entries = [(i, n, k) for i, (n, k) in enumerate(zip(names, keys)) if k is not None]
        for need in ("brief", "badge", "full"):
            found = cache.lookup_outcomes(entries, need)
            alone = {i: cache.lookup_outcome(i, n, need, k) for i, n, k in entries}
            assert sorted(found) == sorted(i for i, o in alone.items() if o is not None)
            assert 2 not in found and 0 in found and len(paths) in found  # the changed file; a name through a link
            for i, outcome in found.items():
                assert outcome.path == names[i] and outcome.cached
                assert (outcome.status, outcome._brief, outcome.data) == (alone[i].status, alone[i]._brief, alone[i].data)
            assert all((o.data is None) == (need != "full") for o in found.values())
    finally:
        locked.chmod(0o600)


def test_a_badge_holds_what_the_files_pane_shows_and_nothing_more(tmp_path, own_cache):
    path = str(_copy_seeds(tmp_path / "r")[0])
    check(path)
    outcome = cache.lookup_outcome(0, path, "badge")
    badge = outcome.badge
    assert (badge.status, badge.format, badge.report.agency, badge.report.year) == ("ok", "text", "相城区人民政府办公室", 2021)
    assert not hasattr(badge, "record") and not hasattr(badge.report, "requests")
    assert outcome.data is None  # the whole result stays in the cache until the file is opened


def test_only_modules_that_shape_a_result_retire_the_cache():
    """Editing how results are rendered (output/, the inspector) keeps cached results; editing how they are read retires them."""
    package = Path(cache.__file__).parent
    shaping = {str(p.relative_to(package)) for p in cache.shaping_sources(package)}
    assert {"interpret.py", "values.py", "checks/arithmetic.py", "readers/text.py"} <= shaping
    assert not {p for p in shaping if p.startswith(("output/", "tui/"))}
    assert "cli.py" not in shaping
