"""The run loop and the local executor: path order, limits, dying workers, priorities.

Nothing here is mocked: slow inputs are genuinely large reports, a dying
worker is a real worker process killed with SIGKILL (what the kernel's OOM
killer sends) while it reads a large report, a hung one is really stopped
with SIGSTOP.
"""

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from gikr_tui import cache
from gikr_tui.pool import ProcessExecutor
from gikr_tui.runner import BRIEF, FULL, RunLoop, outcomes, run
from gikr_tui.serialize import jsonl_line
from gikr_tui.settings import Settings
from report_maker import with_long_prose

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
NO_CACHE = Settings(use_cache=False)


def write_long_report(path: Path, paragraphs: int = 150_000) -> Path:
    path.write_text(with_long_prose(SEED_FILES[0].read_text(encoding="utf-8"), paragraphs), encoding="utf-8")
    return path


def _lines(results) -> list[str]:
    return [jsonl_line(r) for r in results]


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


def _wait_for(executor, path: str, seconds: float = 30.0) -> int:
    """The pid of the worker holding `path`, once it has it."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for pid, held in executor.busy():
            if held == path:
                return pid
        time.sleep(0.01)
    raise AssertionError(f"no worker took {path}")


def test_parallel_results_are_in_path_order_and_equal_to_serial(tmp_path):
    paths = [str(p) for p in SEED_FILES] * 3 + [str(tmp_path / "missing.txt")]
    serial = list(run(paths, NO_CACHE, jobs=1))
    parallel = list(run(paths, NO_CACHE, jobs=3))
    assert [r.path for r in parallel] == paths
    assert _lines(parallel) == _lines(serial)
    assert [r.status for r in serial[:5]] == ["ok"] * 5
    assert serial[-1].status == "error"


def test_every_file_is_read_in_a_worker_process(tmp_path):
    # one file and --jobs 1 too: the time limit, the memory limit and the
    # watchdog apply only to a process the parent can end from outside
    executor = ProcessExecutor(NO_CACHE, 1)
    try:
        got = list(run([str(SEED_FILES[0])], NO_CACHE, executor=executor))
        assert got[0].status == "ok"
        assert executor.started == 1
    finally:
        executor.close()


def test_time_limit_ends_a_slow_parse(big_report):
    # (in a worker: in pytest's own process the alarm may land in a gc callback
    # a library installed, which reports it as an unraisable exception)
    [result] = run([str(big_report)], NO_CACHE, jobs=1, timeout=0.05)
    assert result.status == "error"
    assert str(result.error) == "time limit of 0.05 s reached"
    # and the same file, given time, is a report: the limit, not the file, failed it
    [result] = run([str(big_report)], NO_CACHE, jobs=1, timeout=60)
    assert result.status == "ok"


def test_time_limit_ends_a_slow_parse_in_a_worker(tmp_path):
    # the long report takes seconds; a seed milliseconds, even in a new worker on a busy machine
    huge = write_long_report(tmp_path / "huge.txt")
    paths = [str(huge), str(SEED_FILES[1])]
    results = list(run(paths, NO_CACHE, jobs=2, timeout=0.5))
    assert str(results[0].error) == "time limit of 0.5 s reached"
    assert results[1].status == "ok"


def test_time_limit_result_is_not_cached(big_report, own_cache):
    list(run([str(big_report)], Settings(timeout=0.05)))
    assert cache.lookup(str(big_report)) is None


def _run_signalling(executor, paths: list[str], target: str, sig: int) -> list:
    """The results for `paths`, sending `sig` to the worker once it holds `target`."""
    thread = threading.Thread(target=lambda: os.kill(_wait_for(executor, target), sig))
    thread.start()
    try:
        return list(run(paths, executor.settings, executor=executor))
    finally:
        thread.join()
        executor.close()


def test_a_killed_worker_fails_its_file_only_and_is_replaced(tmp_path):
    # The worker reading a large report (seconds of work) is killed from
    # outside while it is busy, as the kernel's OOM killer would.
    big = write_long_report(tmp_path / "large.txt")
    paths = [str(big), str(SEED_FILES[0]), str(SEED_FILES[1])]
    executor = ProcessExecutor(NO_CACHE.but(timeout=60), 1)
    results = _run_signalling(executor, paths, str(big), signal.SIGKILL)
    assert [r.path for r in results] == paths
    assert results[0].status == "error"
    assert str(results[0].error) == "the worker reading this file was killed by signal 9 (out of memory?)"
    # one worker allowed, and it died: the two files after it needed a new one
    assert [r.status for r in results[1:]] == ["ok", "ok"]
    assert executor.started == 2


def test_a_worker_that_stops_answering_is_ended_after_its_time_limit(tmp_path):
    # SIGSTOP freezes the worker as a C call that never returns would: its
    # own alarm cannot fire, so the parent must end it.
    paths = [str(SEED_FILES[0]), str(SEED_FILES[1])]
    big = write_long_report(tmp_path / "slow.txt")
    paths.insert(1, str(big))
    executor = ProcessExecutor(NO_CACHE.but(timeout=2, kill_grace=0.5), 1)
    results = _run_signalling(executor, paths, str(big), signal.SIGSTOP)
    assert [r.status for r in results] == ["ok", "error", "ok"]
    assert str(results[1].error) == "time limit of 2 s reached (its worker stopped answering and was ended)"


def test_worker_memory_limit_turns_a_blow_up_into_an_error(tmp_path):
    # The long report needs far more than 64 MB more address space to read
    # (and reads fine without the limit: see the streaming test).  The
    # worker's RLIMIT_AS stops it, and the next file is read.  (From a
    # forkserver: a worker forked from pytest would inherit its freed heap as
    # headroom beyond the limit.)
    big = write_long_report(tmp_path / "huge.txt")
    settings = NO_CACHE.but(timeout=20, kill_grace=1, memory=64 * 1024**2)
    executor = ProcessExecutor(settings, 1, start_method="forkserver")
    try:
        results = list(run([str(big), str(SEED_FILES[4])], settings, executor=executor))
    finally:
        executor.close()
    assert results[0].status == "error"
    # Where the allocation fails decides the way: a MemoryError, or a worker
    # that Python itself aborts (SIGABRT) when even the error cannot be made.
    assert str(results[0].error) in (
        "out of memory reading this file",
        "the worker reading this file was killed by signal 6 (SIGABRT: a library failed, "
        "perhaps at the memory limit of 64.0 MB per worker)",
    )
    assert results[1].status == "ok"


def test_memory_is_shared_out_among_the_workers():
    settings = Settings(memory=8 * 1024**3)
    assert ProcessExecutor(settings, 4).memory_bytes == 2 * 1024**3
    assert ProcessExecutor(settings, 1).memory_bytes == 4 * 1024**3  # capped per worker
    assert ProcessExecutor(Settings(memory=300 * 1024**2), 3).memory_bytes == 100 * 1024**2


def test_cached_results_skip_the_workers(own_cache, tmp_path):
    paths = [str(p) for p in SEED_FILES]
    first_stats: dict = {}
    first = list(run(paths, Settings(jobs=2), stats=first_stats))
    second_stats: dict = {}
    executor = ProcessExecutor(Settings(jobs=2), 2)
    try:
        second = list(run(paths, Settings(jobs=2), executor=executor, stats=second_stats))
        assert executor.started == 0  # no worker was ever started
    finally:
        executor.close()
    assert first_stats["cached"] == 0
    assert second_stats["cached"] == len(paths)
    assert _lines(second) == _lines(first)


def test_a_brief_run_never_fetches_whole_reports(own_cache):
    paths = [str(p) for p in SEED_FILES]
    list(run(paths, Settings(jobs=1)))
    got = list(outcomes(paths, Settings(jobs=1), need=BRIEF))
    assert all(o.cached for o in got)
    assert [o.brief.report.agency for o in got][0] == "相城区人民政府办公室"
    assert got[0].brief.report.requests == {}  # a brief holds no tables
    with pytest.raises(LookupError):
        got[0].result()


def test_results_stream_out_before_later_files_are_done(tmp_path):
    # a fifth of the usual long report: still a second's work to a seed's tens of milliseconds,
    # and read to the end below
    huge = write_long_report(tmp_path / "huge.txt", 30_000)
    executor = ProcessExecutor(NO_CACHE.but(timeout=60), 2)
    results = run([str(SEED_FILES[1]), str(huge)], NO_CACHE, executor=executor)
    try:
        first = next(results)
        assert first.path == str(SEED_FILES[1]) and first.status == "ok"
        # handed over while the long report is still being read
        assert [path for _, path in executor.busy()] == [str(huge)]
        assert [r.status for r in results] == ["ok"]  # and, given time, it reads fine
    finally:
        results.close()
        executor.close()
    assert executor.busy() == []


def test_without_a_window_outcomes_come_as_they_finish_and_the_front_can_move(tmp_path):
    # The inspector's way: no path order, and the file the user opens jumps the queue.
    huge = write_long_report(tmp_path / "a-huge.txt")
    small = [str(p) for p in SEED_FILES]
    loop = RunLoop(NO_CACHE.but(timeout=1.0), need=FULL, workers=2)  # the huge one need not finish
    try:
        loop.add([str(huge), *small])
        assert loop.prioritise(small[-1])  # still waiting: moved to the front
        order = []
        while not loop.idle():
            order += [o.path for o in loop.step()]
    finally:
        loop.close()
    assert sorted(order) == sorted([str(huge), *small])
    # the prioritised file was read first; small ones, read by one worker
    # while the other reads the huge one, came back long before it
    assert order[0] == small[-1]
    assert order.index(str(huge)) >= 3


def test_a_path_already_waiting_is_not_queued_twice():
    loop = RunLoop(NO_CACHE, workers=1)
    try:
        assert loop.add(["a.txt", "b.txt"]) == [0, 1]
        assert loop.add(["b.txt", "c.txt"], skip_waiting=True) == [2]
        assert sorted(loop.abandon()) == ["a.txt", "b.txt", "c.txt"]
    finally:
        loop.close()


def test_without_a_window_no_hit_waits_for_a_parse(own_cache, tmp_path):
    # A folder partly in the cache: its cached files' badges show at once,
    # however many files before them must be parsed (they wait in a queue of their own).
    cached = [str(p) for p in SEED_FILES]
    list(run(cached, Settings(jobs=2)))
    slow = [str(write_long_report(tmp_path / f"{i}-long.txt")) for i in range(4)]
    loop = RunLoop(Settings(jobs=1, timeout=0.5), need=BRIEF, workers=1)  # backlog: 2 files
    try:
        loop.add([*slow, *cached])
        order: list[str] = []
        while not loop.idle():
            order += [o.path for o in loop.step()]
            if len(order) == len(cached) and set(order) == set(cached):
                assert [p for _, p in loop.busy()] != []  # a slow file is still being read
    finally:
        loop.close()
    assert order[: len(cached)] == cached and sorted(order[len(cached):]) == sorted(slow)
    assert loop.cached == len(cached)
