"""The runner: path order, worker pool, time and memory limits, dying workers.

Nothing here is mocked: slow inputs are genuinely large reports, a dying
worker is a real worker process killed with SIGKILL (what the kernel's OOM
killer sends) while it reads a large report, a hung one is really stopped
with SIGSTOP.
"""

import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from gikr_tui import cache
from gikr_tui.runner import Pool, check_with_limit, run
from gikr_tui.serialize import result_json
from report_maker import with_long_prose

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def write_long_report(path: Path) -> Path:
    path.write_text(with_long_prose(SEED_FILES[0].read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _lines(results) -> list[str]:
    return [json.dumps(result_json(r), ensure_ascii=False) for r in results]


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GIKR_CACHE_DIR", str(tmp_path / "cache"))
    cache.reset()
    yield tmp_path / "cache"
    cache.reset()


@pytest.fixture(scope="module")
def big_report(tmp_path_factory) -> Path:
    """A real report repeated to about 3 MB: under the size limit, and slow to read."""
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text(SEED_FILES[0].read_text(encoding="utf-8") * 400, encoding="utf-8")
    return path


def _wait_for(pool: Pool, path: str, seconds: float = 30.0) -> int:
    """The pid of the worker holding `path`, once it has it."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for pid, held in pool.busy():
            if held == path:
                return pid
        time.sleep(0.01)
    raise AssertionError(f"no worker took {path}")


def test_parallel_results_are_in_path_order_and_equal_to_serial(tmp_path):
    paths = [str(p) for p in SEED_FILES] * 3 + [str(tmp_path / "missing.txt")]
    serial = list(run(paths, jobs=1, use_cache=False))
    parallel = list(run(paths, jobs=3, use_cache=False))
    assert [r.path for r in parallel] == paths
    assert _lines(parallel) == _lines(serial)
    assert [r.status for r in serial[:5]] == ["ok"] * 5
    assert serial[-1].status == "error"


def test_time_limit_ends_a_slow_parse_in_process(big_report):
    result = check_with_limit(str(big_report), 0.05, use_cache=False)
    assert result.status == "error"
    assert result.error == "time limit of 0.05 s reached"
    # and the same file, given time, is a report: the limit, not the file, failed it
    assert check_with_limit(str(big_report), None, use_cache=False).status == "ok"


def test_time_limit_ends_a_slow_parse_in_a_worker(tmp_path):
    # the long report takes seconds; a seed milliseconds, even in a new worker on a busy machine
    huge = write_long_report(tmp_path / "huge.txt")
    paths = [str(huge), str(SEED_FILES[1])]
    results = list(run(paths, jobs=2, timeout=0.5, use_cache=False))
    assert results[0].error == "time limit of 0.5 s reached"
    assert results[1].status == "ok"


def test_time_limit_result_is_not_cached(big_report, own_cache):
    check_with_limit(str(big_report), 0.05, use_cache=True)
    assert cache.lookup(str(big_report)) is None
    check_with_limit(str(SEED_FILES[0]), 30, use_cache=True)
    assert cache.lookup(str(SEED_FILES[0])) is not None


def _run_signalling(pool: Pool, paths: list[str], target: str, sig: int) -> list:
    """run() over `paths`, sending `sig` to the worker once it holds `target`."""
    thread = threading.Thread(target=lambda: os.kill(_wait_for(pool, target), sig))
    thread.start()
    try:
        return list(run(paths, pool=pool))
    finally:
        thread.join()
        pool.close()


def test_a_killed_worker_fails_its_file_only_and_is_replaced(tmp_path):
    # The worker reading a large report (seconds of work) is killed from
    # outside while it is busy, as the kernel's OOM killer would.
    big = write_long_report(tmp_path / "large.txt")
    paths = [str(big), str(SEED_FILES[0]), str(SEED_FILES[1])]
    results = _run_signalling(Pool(jobs=1, timeout=60, use_cache=False), paths, str(big), signal.SIGKILL)
    assert [r.path for r in results] == paths
    assert results[0].status == "error"
    assert results[0].error == "the worker reading this file was killed by signal 9 (out of memory?)"
    # one worker allowed, and it died: the two files after it needed a new one
    assert [r.status for r in results[1:]] == ["ok", "ok"]


def test_a_worker_that_stops_answering_is_ended_after_its_time_limit(tmp_path):
    # SIGSTOP freezes the worker as a C call that never returns would: its
    # own alarm cannot fire, so the parent must end it.
    paths = [str(SEED_FILES[0]), str(SEED_FILES[1])]
    big = write_long_report(tmp_path / "slow.txt")
    paths.insert(1, str(big))
    results = _run_signalling(Pool(jobs=1, timeout=2, use_cache=False, kill_grace=0.5), paths, str(big), signal.SIGSTOP)
    assert [r.status for r in results] == ["ok", "error", "ok"]
    assert results[1].error == "time limit of 2 s reached (its worker stopped answering and was ended)"


def test_worker_memory_limit_turns_a_blow_up_into_an_error(tmp_path):
    # The long report needs far more than 64 MB more address space to read
    # (and reads fine without the limit: see the streaming test).  The
    # worker's RLIMIT_AS stops it, and the next file is read.
    big = write_long_report(tmp_path / "huge.txt")
    pool = Pool(jobs=1, timeout=20, use_cache=False, memory_bytes=64 * 1024**2, kill_grace=1)
    try:
        results = list(run([str(big), str(SEED_FILES[4])], pool=pool))
    finally:
        pool.close()
    assert results[0].status == "error"
    # Where the allocation fails decides the way: a MemoryError, or a worker
    # that Python itself aborts (SIGABRT) when even the error cannot be made.
    assert results[0].error in (
        "out of memory reading this file",
        "the worker reading this file was killed by signal 6",
    )
    assert results[1].status == "ok"


def test_cached_results_skip_the_workers(own_cache):
    paths = [str(p) for p in SEED_FILES]
    first_stats: dict = {}
    first = list(run(paths, jobs=2, stats=first_stats))
    second_stats: dict = {}
    pool = Pool(jobs=2)
    try:
        second = list(run(paths, pool=pool, stats=second_stats))
        assert pool._ctx is None  # no worker was ever started
    finally:
        pool.close()
    assert first_stats["cached"] == 0
    assert second_stats["cached"] == len(paths)
    assert _lines(second) == _lines(first)


def test_results_stream_out_before_later_files_are_done(tmp_path):
    huge = write_long_report(tmp_path / "huge.txt")
    pool = Pool(jobs=2, timeout=60, use_cache=False)
    results = run([str(SEED_FILES[1]), str(huge)], pool=pool)
    try:
        first = next(results)
        assert first.path == str(SEED_FILES[1]) and first.status == "ok"
        # handed over while the long report is still being read
        assert [path for _, path in pool.busy()] == [str(huge)]
        assert [r.status for r in results] == ["ok"]  # and, given time, it reads fine
    finally:
        results.close()
        pool.close()
    assert pool.busy() == []
