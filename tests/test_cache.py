"""The persistent cache of parse results."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from gikr_tui import cache
from gikr_tui.pipeline import check_file
from gikr_tui.runner import check_with_limit

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


def _age(path: Path, seconds: float = 60) -> Path:
    """Date a file back: one written moments ago is not cached yet (see test_a_file_written_moments_ago)."""
    past = time.time() - seconds
    os.utime(path, (past, past))
    return path


def _copy_seeds(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [_age(Path(shutil.copy(p, folder / p.name))) for p in SEED_FILES]


def test_cache_dir_follows_the_environment(own_cache):
    assert cache.cache_dir() == own_cache
    check_with_limit(str(SEED_FILES[0]), 30)
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
    cache.store(path, planted, cache.file_key(path))
    assert check_with_limit(path, 30).report.agency == "缓存里的机关"
    assert check_with_limit(path, 30, use_cache=False).report.agency == real.report.agency
    out = gikr(path, "--format", "csv").stdout
    assert "缓存里的机关" in out


def test_a_changed_file_is_parsed_again(tmp_path, own_cache):
    path = _copy_seeds(tmp_path / "r")[0]
    real = check_file(str(path))
    planted = replace(real, report=replace(real.report, agency="旧的"))
    cache.store(str(path), planted, cache.file_key(str(path)))
    assert check_with_limit(str(path), 30).report.agency == "旧的"

    # same bytes, new modification time: stale
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert cache.lookup(str(path)) is None
    assert check_with_limit(str(path), 30).report.agency == real.report.agency

    # new bytes, modification time put back: the size gives it away
    cache.store(str(path), planted, cache.file_key(str(path)))
    st = path.stat()
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("\n")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert cache.lookup(str(path)) is None
    assert check_with_limit(str(path), 30).report.agency == real.report.agency
    # and the fresh result replaced the stale entry
    assert cache.lookup(str(path)).report.agency == real.report.agency


def test_one_entry_serves_every_name_of_a_file(tmp_path, own_cache):
    path = _copy_seeds(tmp_path / "r")[0]
    alias = tmp_path / "alias.txt"
    os.symlink(path, alias)
    check_with_limit(str(path), 30)
    hit = cache.lookup(str(alias))
    assert hit is not None and hit.path == str(alias)


def test_a_parser_version_change_retires_entries(tmp_path, own_cache, monkeypatch):
    path = str(_copy_seeds(tmp_path / "r")[0])
    check_with_limit(path, 30)
    assert cache.lookup(path) is not None
    monkeypatch.setattr(cache, "VERSION", cache.VERSION + "-next")
    assert cache.lookup(path) is None


def test_a_corrupted_cache_file_warns_once_and_the_run_goes_on(tmp_path, own_cache):
    reports = tmp_path / "reports"
    _copy_seeds(reports)
    own_cache.mkdir(parents=True)
    (own_cache / cache.FILE_NAME).write_bytes(b"this is not an SQLite database, just junk " * 200)
    expected = gikr(reports, "--format", "jsonl", "--no-cache")
    got = gikr(reports, "--format", "jsonl", "--jobs", "2")
    assert got.stdout == expected.stdout
    assert got.returncode == expected.returncode == 0
    warnings = [line for line in got.stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1
    assert "is unusable" in warnings[0] and "continuing without it" in warnings[0]


def test_a_cache_of_another_layout_is_replaced(own_cache):
    own_cache.mkdir(parents=True)
    db = sqlite3.connect(own_cache / cache.FILE_NAME)
    db.execute("CREATE TABLE results (path TEXT PRIMARY KEY, blob BLOB)")
    db.commit()
    db.close()
    path = str(SEED_FILES[0])
    assert check_with_limit(path, 30).status == "ok"
    assert cache.lookup(path) is not None


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
    assert check_with_limit(str(empty), 30).error == "empty file"
    assert cache.lookup(str(empty)).error == "empty file"  # a property of the bytes: kept
    gone = tmp_path / "gone.txt"
    assert check_with_limit(str(gone), 30).status == "error"
    gone.write_text(SEED_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    assert check_with_limit(str(gone), 30).status == "ok"  # not a remembered "disappeared"


@pytest.mark.parametrize("name", ["plain.txt", '引号"和\\反斜杠 报告.txt', "bad-\udcb1-bytes.txt"])
def test_light_line_is_the_serialiser_s_line_for_any_name(tmp_path, name):
    import json

    from gikr_tui.serialize import result_json

    result = check_file(str(SEED_FILES[2]))
    result.path = str(tmp_path / name)
    assert cache.light(result).jsonl() == json.dumps(result_json(result), ensure_ascii=False)


def test_a_file_name_that_is_not_utf8_is_cached_too(tmp_path, own_cache):
    name = os.fsdecode(b"\xc4\xea\xb1\xa8 report.txt")  # 年报 in GBK, on a UTF-8 system
    path = str(tmp_path / name)
    shutil.copy(SEED_FILES[0], path)
    _age(Path(path))
    first = check_with_limit(path, 30)
    assert first.status == "ok"
    hit = cache.lookup(path)
    assert hit is not None and hit.path == path
    assert cache.lookup_light(path).jsonl() == cache.light(first).jsonl()


def test_a_file_written_moments_ago_is_not_cached_yet(tmp_path, own_cache):
    # Within the file system's timestamp step, a rewrite of the same size
    # could keep (size, mtime): such a file is parsed, not remembered.
    path = tmp_path / "fresh.txt"
    shutil.copy(SEED_FILES[0], path)
    os.utime(path)  # modified now
    assert check_with_limit(str(path), 30).status == "ok"
    assert cache.lookup(str(path)) is None
    _age(path)
    check_with_limit(str(path), 30)
    assert cache.lookup(str(path)) is not None


def test_what_the_tui_path_fills_the_command_line_reads(tmp_path, own_cache):
    # the TUI's workers call check_with_limit: its entries serve `gikr check`
    paths = _copy_seeds(tmp_path / "r")
    for p in paths:
        check_with_limit(str(p), 30)
    got = gikr(tmp_path / "r", "--format", "jsonl", "--jobs", "2")
    assert f", {len(paths)} from cache)" in got.stderr
    fresh = gikr(tmp_path / "r", "--format", "jsonl", "--no-cache")
    assert got.stdout == fresh.stdout


def test_each_thread_gets_its_own_connection(own_cache, tmp_path):
    # The TUI's pool thread stores what the workers parsed; the main thread
    # (and any other) reads it.  sqlite3 refuses a connection made in another
    # thread, which used to switch the cache off for the whole process.
    import threading

    seed = tmp_path / "seed.txt"
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], seed)
    _age(seed)  # a file written this second is not cached (its mtime could still change unseen)
    done = threading.Event()

    def fill():
        check_with_limit(str(seed), timeout=None)  # parsed, then stored by this thread
        done.set()

    thread = threading.Thread(target=fill)
    thread.start()
    thread.join()
    assert done.is_set()
    key = cache.file_key(str(seed))
    hit = cache.lookup(str(seed), key)
    assert hit is not None and hit.status == "ok"
    assert cache.get_cache() is not None  # still on


def test_prune_drops_rows_of_deleted_files_and_older_parsers(own_cache, tmp_path, monkeypatch):
    folder = tmp_path / "r"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))[:3]
    kept, deleted, old = (folder / f"{n}.txt" for n in ("kept", "deleted", "old"))
    for path, seed in zip((kept, deleted, old), seeds):
        shutil.copy(seed, path)
        _age(path)
    for path in (kept, deleted):
        check_with_limit(str(path), timeout=None)
    monkeypatch.setattr(cache, "VERSION", "an older parser")
    check_with_limit(str(old), timeout=None)  # stored under another parser version
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
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
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
