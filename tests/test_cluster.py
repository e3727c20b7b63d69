"""`--cluster`: gikr on a Dask cluster gives what it gives locally, within the same limits.

Nothing is mocked: one real LocalCluster of two single-threaded worker
processes serves the module (as `--cluster local:2` starts it), the command
line reaches it by its address as it would a remote scheduler, a gikr worker
process on a Dask worker is killed with SIGKILL while it reads a large
report, and a Dask worker itself is killed the same way.  Skipped when the
`cluster` extra (dask.distributed) is not installed.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from importlib.util import find_spec
from pathlib import Path

import pytest

from gikr_tui import cache, cluster
from gikr_tui.cli import main
from gikr_tui.runner import run
from gikr_tui.settings import Settings
from report_maker import with_long_prose
from series_maker import chained, forward_of, prose, write

# Found, not imported: every xdist worker collects this module, and importing dask.distributed
# takes half a second of CPU that only the worker running these tests needs.
pytestmark = pytest.mark.skipif(find_spec("distributed") is None, reason="the cluster extra is not installed (pip install -e '.[cluster]')")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
NO_CACHE = Settings(use_cache=False)
# one file of each kind gikr reads, one it cannot, and a legacy .doc where LibreOffice is installed
EVERY_FORMAT = ["seeds/000_8a0178302d297c36.txt", "copies/table4-per-group.md", "docx/2021-national-merged.docx",
                "html/gov-site-gbk.html", "html/gov-site-2019-layout-table.htm", "pdf/word-2021-basic.pdf",
                "pdf/errors/truncated.pdf"] + (["doc/2021-autonumber-fullwidth.doc"] if shutil.which("soffice") else [])


@pytest.fixture(scope="module")
def client():
    import distributed

    local = cluster.start_local(2)
    dask_client = distributed.Client(local)
    yield dask_client
    dask_client.close()
    local.close()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Every format, an empty file, and one agency's two years (a cross-year finding)."""
    root = tmp_path_factory.mktemp("cluster")
    for name in EVERY_FORMAT:
        shutil.copyfile(FIXTURES / name, root / name.replace("/", "-"))
    (root / "empty.txt").write_bytes(b"")
    rng = random.Random(16)
    t21 = chained(rng, 2021)
    write(root / "y" / "2021.txt", "淮安市洪泽区人民政府", 2021, t21, rng, prose_by_section={5: prose(rng, 6)})
    carried = forward_of(t21)
    carried["natural"] += 1
    write(root / "y" / "2022.txt", "淮安市洪泽区人民政府", 2022, chained(rng, 2021, carried), rng)
    return root


def _gikr(capsys, *args) -> tuple[int, str, list[str]]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def _without_time(lines: list[str]) -> list[str]:
    return [re.sub(r" \(\d+\.\d+ s[^)]*\)$", "", line) for line in lines]


def test_the_cluster_prints_the_local_runs_lines_byte_for_byte(client, folder, capsys):
    address = client.scheduler.address
    local = _gikr(capsys, "check", folder, "--format", "jsonl", "--no-cache", "--jobs", "2")
    remote = _gikr(capsys, "check", folder, "--format", "jsonl", "--no-cache", "--cluster", address)
    assert remote[1] == local[1]  # every line, in the same order
    assert remote[0] == local[0]  # the exit status
    assert _without_time(remote[2]) == _without_time(local[2])  # the notes and the summary line
    code, out, _err = remote
    assert len(out.splitlines()) == len(list(folder.rglob("*.*"))) + 1
    assert '"record": "series"' in out.splitlines()[-1]  # the cross-year checks ran on what the cluster read
    assert code == 2  # (the empty file, the truncated PDF)


def test_what_the_cache_knows_is_never_sent(client, folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GIKR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1.0)
    cache.reset()
    small = tmp_path / "small"
    small.mkdir()
    for seed in SEEDS[:3]:
        shutil.copyfile(seed, small / seed.name)
    old = time.time() - 60  # a file written moments ago is not cached yet
    for p in small.iterdir():
        os.utime(p, (old, old))
    try:
        cold = _gikr(capsys, "check", small, "--format", "jsonl", "--cluster", client.scheduler.address)
        # every file known: nothing is sent, so no scheduler is ever asked for (none listens there)
        warm = _gikr(capsys, "check", small, "--format", "jsonl", "--cluster", "tcp://127.0.0.1:9")
        assert warm[1] == cold[1] and warm[0] == cold[0] == 0
        assert "3 from cache" in warm[2][-1]
        (small / "new.txt").write_bytes(SEEDS[3].read_bytes())
        code, out, err = _gikr(capsys, "check", small, "--cluster", "tcp://127.0.0.1:9")
        assert code == 2
        assert err[-1].startswith("gikr check: cannot use the Dask cluster at tcp://127.0.0.1:9: ")
        # nothing the cache knows: no header over nothing, only why
        code, out, err = _gikr(capsys, "check", small / "new.txt", "--cluster", "tcp://127.0.0.1:9")
        assert (code, out) == (2, "")
        assert len(err) == 1 and err[0].startswith("gikr check: cannot use the Dask cluster at tcp://127.0.0.1:9: ")
    finally:
        cache.reset()


def _long_report(path: Path) -> str:
    """A report that takes a second or two to read: long enough to be caught reading it."""
    path.write_text(with_long_prose(SEEDS[0].read_text(encoding="utf-8"), 40_000), encoding="utf-8")
    return str(path)


def _reading(client, path: str, seconds: float = 30.0) -> tuple[str, int]:
    """(the Dask worker's address, the gikr process's pid) once a gikr process on the cluster reads `path`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for address, pairs in client.run(cluster.reading).items():
            for pid, held in pairs:
                if held == path:
                    return address, pid
        time.sleep(0.02)
    raise AssertionError(f"no gikr process on the cluster took {path}")


def _run_signalling(client, settings: Settings, paths: list[str], act) -> list:
    """The results for `paths` on the cluster, calling `act(address, pid)` once the first is being read."""
    executor = cluster.DaskExecutor(client, settings)
    thread = threading.Thread(target=lambda: act(*_reading(client, paths[0])))
    thread.start()
    try:
        return list(run(paths, settings, executor=executor))
    finally:
        thread.join()
        executor.close()


def test_a_killed_gikr_worker_on_a_dask_worker_fails_its_file_only(client, tmp_path):
    # what the kernel's OOM killer does to the process reading a file that needs too much
    paths = [_long_report(tmp_path / "large.txt"), *map(str, SEEDS[:3])]
    results = _run_signalling(client, NO_CACHE.but(timeout=60), paths, lambda _a, pid: os.kill(pid, signal.SIGKILL))
    assert [r.path for r in results] == paths
    assert str(results[0].error) == "the worker reading this file was killed by signal 9 (out of memory?)"  # the local line
    assert [r.status for r in results[1:]] == ["ok"] * 3


def test_the_time_limit_holds_on_a_dask_worker(client, tmp_path):
    # Dask runs a task in a thread, where an alarm cannot land: the file is read by a gikr process
    huge = _long_report(tmp_path / "huge.txt")
    limited = NO_CACHE.but(timeout=0.5)
    executor = cluster.DaskExecutor(client, limited)
    try:
        results = list(run([huge, str(SEEDS[1])], limited, executor=executor))
    finally:
        executor.close()
    assert str(results[0].error) == "time limit of 0.5 s reached"
    assert results[1].status == "ok"
    # and a process frozen where its alarm cannot reach it is ended from outside, as locally
    frozen = NO_CACHE.but(timeout=1, kill_grace=0.5)
    results = _run_signalling(client, frozen, [huge, str(SEEDS[2])], lambda _a, pid: os.kill(pid, signal.SIGSTOP))
    assert str(results[0].error) == "time limit of 1 s reached (its worker stopped answering and was ended)"
    assert results[1].status == "ok"


def _allowed_failures(count, dask_scheduler=None) -> int:
    before, dask_scheduler.allowed_failures = dask_scheduler.allowed_failures, count
    return before


def test_a_dask_worker_that_dies_mid_file_takes_its_gikr_process_and_the_run_carries_on(client, tmp_path):
    large = _long_report(tmp_path / "large.txt")
    held: dict = {}

    def kill_the_dask_worker(address, pid):
        held["gikr"] = pid
        os.kill(client.run(os.getpid, workers=[address])[address], signal.SIGKILL)

    # Dask's way: the files the dead worker held run again on the other one
    paths = [large, *map(str, SEEDS)]
    results = _run_signalling(client, NO_CACHE.but(timeout=60), paths, kill_the_dask_worker)
    assert [r.path for r in results] == paths
    assert [r.status for r in results] == ["ok"] * len(paths)
    with pytest.raises(ProcessLookupError):  # the gikr process died with its Dask worker
        for _ in range(100):
            os.kill(held["gikr"], 0)
            time.sleep(0.02)
    # a scheduler that gives up on a file at its first worker's death (allowed-failures 0): one line for it
    # (the nanny starts the killed one again, which a loaded machine may take a minute or more to finish:
    # one worker is all the rest of the module needs)
    client.wait_for_workers(1, timeout=120)
    before = client.run_on_scheduler(_allowed_failures, 0)
    try:
        [result] = _run_signalling(client, NO_CACHE.but(timeout=60), [large], kill_the_dask_worker)
    finally:
        client.run_on_scheduler(_allowed_failures, before)
    assert str(result.error).startswith("the Dask worker reading this file died (tried on 1 worker: the scheduler's "
                                   "allowed-failures is 0); the last was tcp://127.0.0.1:")
    client.wait_for_workers(1, timeout=120)


def test_a_file_the_workers_cannot_see_gets_one_line(client):
    executor = cluster.DaskExecutor(client, NO_CACHE)
    try:
        executor.submit(0, "/nowhere/shared/report.txt")
        [(index, parsed)] = executor.collect()
    finally:
        executor.close()
    assert index == 0 and parsed.status == "error"
    assert parsed.path == "/nowhere/shared/report.txt"
    from gikr_tui.records import Outcome

    error = str(Outcome.of(0, parsed).brief.error)
    assert error.startswith("not found on the Dask worker tcp://")
    assert error.endswith(": the workers must see the files at the path gikr was given (a shared filesystem)")


def test_stopping_a_run_cancels_its_tasks_and_frees_the_workers(client, tmp_path):
    # what Ctrl-C does: the loop closes its executor, whose tasks are cancelled, and the
    # one being read stops within a second, long before the file (seconds of work) would be done
    huge = tmp_path / "huge.txt"
    huge.write_text(with_long_prose(SEEDS[0].read_text(encoding="utf-8")), encoding="utf-8")
    executor = cluster.DaskExecutor(client, NO_CACHE.but(timeout=60))
    executor.submit(0, str(huge))  # (a batch of its own: it is larger than a batch may be)
    for index, seed in enumerate(SEEDS, 1):
        executor.submit(index, str(seed))
    _reading(client, str(huge))
    stopped = time.monotonic()
    executor.close()
    while time.monotonic() < stopped + 10 and any(client.run(cluster.reading).values()):
        time.sleep(0.05)
    assert not any(client.run(cluster.reading).values())
    assert time.monotonic() - stopped < 3
    while time.monotonic() < stopped + 10 and client.run_on_scheduler(_task_count):
        time.sleep(0.05)
    assert client.run_on_scheduler(_task_count) == 0


def _task_count(dask_scheduler) -> int:
    return len(dask_scheduler.tasks)


def test_local_n_starts_a_cluster_and_leaves_nothing_running(folder, capsys):
    # the command line's own LocalCluster, for gikr summary (its totals and cross-year counts too), in a
    # process of its own that must end; the local run to compare with needs none
    code, out, err = _gikr(capsys, "summary", folder / "y", "--no-cache", "--jobs", "1", "--format", "jsonl")
    remote = subprocess.run([sys.executable, "-m", "gikr_tui", "summary", str(folder / "y"), "--no-cache",
                             "--cluster", "local:1", "--format", "jsonl"], capture_output=True, text=True)
    assert remote.stdout == out and remote.returncode == code == 0
    assert _without_time(remote.stderr.splitlines()) == _without_time(err)


@pytest.mark.parametrize("spec, reason", [
    ("local:0", "--cluster local:N needs a number of workers, 1 or more (local:4)"),
    ("bogus", "--cluster needs a scheduler's address (tcp://host:8786) or local:N: missing port number in address 'bogus'"),
    ("tcp://host", "--cluster needs a scheduler's address (tcp://host:8786) or local:N: missing port number in address 'host'"),
])
def test_a_bad_cluster_value_is_a_usage_error_at_once(spec, reason, capsys):
    started = time.perf_counter()
    code, out, err = _gikr(capsys, "check", SEEDS[0], "--no-cache", "--cluster", spec)
    assert (code, out) == (2, "")
    assert err[-1] == f"gikr check: error: {reason}"
    # (a Client made of a bad address hung 20 s at exit, closing itself, and printed a traceback)
    assert time.perf_counter() - started < 5
