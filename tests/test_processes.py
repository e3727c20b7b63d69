"""Nothing gikr starts outlives it: workers, the forkserver, LibreOffice.

Every process gikr starts inherits its environment, so a marker variable
finds them all, whoever their parent is by then (an orphan is re-parented).
The processes are real: a worker stuck in PDFium's C code on a hostile PDF,
and a fake `soffice` on PATH that hangs with a child of its own, as
LibreOffice's launcher and soffice.bin do.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from hostile_pdf import self_drawing
from report_maker import with_long_prose

SEED = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("*.txt"))[0]
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _marked(mark: str) -> list[int]:
    """Live processes carrying GIKR_TEST_MARK=mark (a zombie's environment reads empty)."""
    found = []
    needle = f"GIKR_TEST_MARK={mark}".encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as fh:
                if needle in fh.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            pass
    return found


def _cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _until(condition, seconds: float, what: str):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"not within {seconds} s: {what}")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            return bool(fh.read())  # a zombie's reads empty
    except OSError:
        return False


def _gone_within_a_second(mark: str, pids: list[int] | None = None) -> None:
    """Nothing marked `mark` (or, in this very process's tests, none of `pids`) runs a second later."""
    def left() -> list[int]:
        return _marked(mark) if pids is None else [p for p in pids if _alive(p)]

    end = time.monotonic() + 1.0
    while left() and time.monotonic() < end:
        time.sleep(0.02)
    left = left()
    names = []
    for pid in left:
        try:
            names.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:80])
        except OSError:
            pass
    for pid in left:  # leave nothing behind for the next test either
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    assert not left, f"still running a second later: {names}"


def _env(tmp_path: Path, mark: str, **extra) -> dict:
    return {**os.environ, "GIKR_CACHE_DIR": str(tmp_path / "cache"), "GIKR_TEST_MARK": mark, **extra}


_DRIVE = (
    "import sys\n"
    "from gikr_tui.pool import ProcessExecutor\n"
    "from gikr_tui.runner import run\n"
    "from gikr_tui.settings import Settings\n"
    "settings = Settings(jobs=2, timeout=60, use_cache=False)\n"
    "executor = ProcessExecutor(settings, 2, start_method=sys.argv[1])\n"
    "for result in run(sys.argv[2:], settings, executor=executor):\n"
    "    print(result.status, flush=True)\n"
)


@pytest.mark.parametrize("start", ["fork", "forkserver"])
def test_kill_9_of_gikr_leaves_no_worker_running(tmp_path, start):
    # One worker is stuck in PDFium (C code, no alarm reaches it), the other
    # reads a long report; then the main process is killed with SIGKILL, which
    # it cannot catch.  Workers forked from it and workers of a forkserver alike
    # must be gone a second later.
    pdf = tmp_path / "a-self-drawing.pdf"
    pdf.write_bytes(self_drawing())
    long = tmp_path / "b-long.txt"
    long.write_text(with_long_prose(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    mark = uuid.uuid4().hex
    if start == "fork":  # what `gikr check` does when it runs alone
        cmd = [sys.executable, "-m", "gikr_tui", "check", str(pdf), str(long), "--jobs", "2", "--timeout", "60", "--no-cache"]
    else:  # what the inspector does: it runs threads
        cmd = [sys.executable, "-c", _DRIVE, start, str(pdf), str(long)]
    main = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(tmp_path, mark))
    try:
        # both workers busy, and the one on the PDF deep in C
        _until(lambda: any(_cpu_seconds(p) > 0.3 for p in _marked(mark) if p != main.pid), 30, "a busy worker")
        _until(lambda: len(_marked(mark)) >= 3, 30, "two workers")
    finally:
        main.kill()
        main.wait()
    _gone_within_a_second(mark)


_FAKE_SOFFICE = """#!/bin/sh
# LibreOffice's launcher starts soffice.bin; this one starts a sleep, and both hang
echo $$ >> "$GIKR_TEST_PIDS"
sleep 300 &
echo $! >> "$GIKR_TEST_PIDS"
wait
"""


@pytest.fixture
def hanging_soffice(tmp_path) -> tuple[dict, Path]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    fake.write_text(_FAKE_SOFFICE)
    fake.chmod(0o755)
    pids = tmp_path / "soffice.pids"
    doc = tmp_path / "report.doc"
    doc.write_bytes(OLE2 + b"\0" * 2048)  # an OLE2 signature: off to LibreOffice it goes
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GIKR_TEST_PIDS": str(pids)}, doc


def _converting(pids: Path) -> bool:
    return pids.exists() and len(pids.read_text().split()) >= 2


def _as_a_terminal_starts_it() -> None:  # preexec_fn: in the child, before gikr starts
    """Ctrl+C as a program in a terminal's foreground gets it: SIGINT neither ignored nor blocked.

    A child inherits both from whoever starts it, and the suite may itself run
    where SIGINT is ignored: a background job of a script (`pytest ... &`) is
    started so, and every process under it then, gikr included.  A Python that
    starts with SIGINT ignored keeps it ignored (no KeyboardInterrupt), as a
    background job should; that gikr would not hear this test's Ctrl+C at all,
    and would read on to its time limit.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@pytest.mark.parametrize("how", ["ctrl-c", "kill -9", "time limit"])
def test_a_hanging_conversion_is_ended_with_gikr(tmp_path, hanging_soffice, how):
    extra, doc = hanging_soffice
    pids = Path(extra["GIKR_TEST_PIDS"])
    mark = uuid.uuid4().hex
    timeout = "1" if how == "time limit" else "60"
    cmd = [sys.executable, "-m", "gikr_tui", "check", str(doc), "--timeout", timeout, "--no-cache"]
    main = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=_env(tmp_path, mark, **extra), preexec_fn=_as_a_terminal_starts_it)
    try:
        _until(lambda: _converting(pids), 30, "soffice started")
        if how == "ctrl-c":
            main.send_signal(signal.SIGINT)
        elif how == "kill -9":
            main.kill()
        out, err = main.communicate(timeout=30)
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
    if how == "ctrl-c":
        assert main.returncode == 130 and "interrupted" in err
    elif how == "time limit":
        assert main.returncode == 2
        assert "time limit of 1 s reached" in out
    _gone_within_a_second(mark)
    assert not any(_alive(pid) for pid in map(int, pids.read_text().split()))


# Ctrl+C lands in gikr's imports: a meta-path finder sends the SIGINT as the command line's
# module is first looked for, then the command runs as its console script runs it.
_INTERRUPTED_IMPORTS = (
    "import os, signal, sys\n"
    "class Interrupt:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name == 'gikr_tui.cli':\n"
    "            sys.meta_path.remove(self)\n"
    "            os.kill(os.getpid(), signal.SIGINT)\n"
    "        return None\n"
    "sys.meta_path.insert(0, Interrupt())\n"
    "sys.argv = ['gikr', 'check', sys.argv[1]]\n"
    "from importlib.metadata import entry_points\n"
    "sys.exit(entry_points(group='console_scripts')['gikr'].load()())\n"
)


def test_ctrl_c_while_gikr_is_still_starting_ends_it_with_one_line(tmp_path):
    # Imports take gikr a few tenths of a second, before any run's own handling of Ctrl+C:
    # there it used to end in a Python traceback and status 1.
    proc = subprocess.run([sys.executable, "-c", _INTERRUPTED_IMPORTS, str(SEED)], capture_output=True,
                          text=True, timeout=60, env=_env(tmp_path, uuid.uuid4().hex),
                          preexec_fn=_as_a_terminal_starts_it)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == ["gikr: interrupted"]
    assert proc.returncode == 130


def test_the_watchdog_ends_a_conversion_with_its_worker(tmp_path, hanging_soffice):
    # A worker frozen (SIGSTOP: no alarm, no handler runs) while LibreOffice
    # converts: the parent's watchdog ends the worker, and the conversion with it.
    from gikr_tui.pool import ProcessExecutor
    from gikr_tui.runner import run
    from gikr_tui.settings import Settings

    extra, doc = hanging_soffice
    pids = Path(extra["GIKR_TEST_PIDS"])
    mark = uuid.uuid4().hex
    saved = {k: os.environ.get(k) for k in [*extra, "GIKR_TEST_MARK"]}
    os.environ.update(extra, GIKR_TEST_MARK=mark)
    settings = Settings(timeout=1, kill_grace=0.5, use_cache=False)
    executor = ProcessExecutor(settings, 1)
    try:
        results = run([str(doc)], settings, executor=executor)
        import threading

        workers = []

        def freeze():
            _until(lambda: _converting(pids), 30, "soffice started")
            workers.append(executor.busy()[0][0])
            os.kill(workers[0], signal.SIGSTOP)

        thread = threading.Thread(target=freeze)
        thread.start()
        result = next(results)
        thread.join()
        assert str(result.error) == "time limit of 1 s reached (its worker stopped answering and was ended)"
    finally:
        executor.close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    # (the forkserver, if this process started one, lives as long as the process: here, pytest)
    _gone_within_a_second(mark, workers + list(map(int, pids.read_text().split())))


def test_quitting_the_inspector_ends_a_conversion(tmp_path, hanging_soffice, monkeypatch):
    import asyncio

    from gikr_tui.tui.app import GikrApp

    extra, doc = hanging_soffice
    pids = Path(extra["GIKR_TEST_PIDS"])
    mark = uuid.uuid4().hex
    for key, value in {**extra, "GIKR_TEST_MARK": mark, "GIKR_CACHE_DIR": str(tmp_path / "cache")}.items():
        monkeypatch.setenv(key, value)

    workers = []

    async def go():
        app = GikrApp(doc.parent)
        async with app.run_test(size=(80, 24)) as pilot:
            while not _converting(pids):
                await pilot.pause(0.05)
            workers.extend(pid for pid, _ in app.pool.busy())
            await pilot.press("q")

    asyncio.run(asyncio.wait_for(go(), 60))
    assert workers
    _gone_within_a_second(mark, workers + list(map(int, pids.read_text().split())))


def _core_pattern() -> str:
    try:
        return Path("/proc/sys/kernel/core_pattern").read_text().strip()
    except OSError:
        return ""


@pytest.mark.skipif(_core_pattern().startswith("|") or "/" in _core_pattern() or not _core_pattern(),
                    reason="core files do not go to the crashing process's folder here")
def test_a_crashing_worker_leaves_no_core_file_in_the_folder(tmp_path):
    # A C library that aborts at the memory limit dumps core where gikr was
    # started (the user's folder), when the user allows core files.
    import resource

    long = tmp_path / "long.txt"
    long.write_text(with_long_prose(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    cwd = tmp_path / "where the user is"
    cwd.mkdir()
    mark = uuid.uuid4().hex

    def allow_cores():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))

    main = subprocess.Popen([sys.executable, "-m", "gikr_tui", "check", str(long), "--format", "csv", "--no-cache"],
                            cwd=cwd, env=_env(tmp_path, mark), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=allow_cores)
    try:
        worker = _until(lambda: [p for p in _marked(mark) if p != main.pid and _cpu_seconds(p) > 0.1], 30, "a worker")[0]
        os.kill(worker, signal.SIGABRT)
        out, err = main.communicate(timeout=30)
    finally:
        if main.poll() is None:
            main.kill()
    assert "the worker reading this file was killed by signal 6 (SIGABRT" in out
    assert main.returncode == 2
    assert os.listdir(cwd) == []
