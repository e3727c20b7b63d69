"""Every file, on every path, within its limits: one file, `--jobs 1` on a folder, many jobs.

The hostile PDFs are built here (hostile_pdf.py): forms that draw themselves
make PDFium work in C for as long and as much memory as it is given, where
no alarm reaches it.  gikr runs under a 6 GB address-space limit, as on a
modest machine: the file gets one line, the run its exit status and summary,
within the time limit and a few seconds.
"""

import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile_pdf import nested_forms, self_drawing

SEEDS = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "seeds").glob("*.txt"))
TIMEOUT = 1
# A worker stuck in PDFium is ended this long past its time limit (2 s by default): the
# watchdog is what these files exercise, and each second more was PDFium burning a core.
KILL_GRACE = 0.5
ADDRESS_SPACE = 6 * 1024**3


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def gikr_limited(tmp_path: Path, *args) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "GIKR_CACHE_DIR": str(tmp_path / "cache"), "GIKR_KILL_GRACE": str(KILL_GRACE)}
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "gikr_tui", "check", *map(str, args), "--timeout", str(TIMEOUT)],
        capture_output=True, text=True, env=env, preexec_fn=_limited, timeout=120,
    )
    return done, time.monotonic() - started


def _assert_one_line_each(done: subprocess.CompletedProcess, expected: list[str]) -> list[dict]:
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in records] == expected
    for r in records:
        if r["status"] == "error":
            assert "\n" not in r["error"]
            assert r["error"].startswith(("time limit of 1 s reached", "out of memory", "the worker reading this file")), r
    # stderr: the summary line alone (no traceback, nothing a C library printed)
    assert done.stderr.count("\n") == 1, done.stderr
    return records


@pytest.mark.parametrize("make", [self_drawing, nested_forms], ids=["self-drawing", "nested-forms"])
def test_one_hostile_file_gets_one_line_within_its_limit(tmp_path, make):
    data = make()
    path = tmp_path / "hostile.pdf"
    path.write_bytes(data)
    assert len(data) < 4096
    done, seconds = gikr_limited(tmp_path, path, "--format", "jsonl", "--no-cache")
    _assert_one_line_each(done, ["error"])
    assert done.returncode == 2
    assert seconds < TIMEOUT + 6, seconds
    assert done.stderr.startswith("1 file: 0 consistent, 0 with findings, 1 unreadable (")


def test_a_folder_with_jobs_1_carries_on_past_them(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SEEDS[0], folder / "a-good.txt")
    (folder / "b-self-drawing.pdf").write_bytes(self_drawing())
    (folder / "c-nested-forms.pdf").write_bytes(nested_forms())
    shutil.copy(SEEDS[2], folder / "d-good.txt")  # another agency's: no series note
    done, seconds = gikr_limited(tmp_path, folder, "--format", "jsonl", "--jobs", "1", "--no-cache")
    records = _assert_one_line_each(done, ["ok", "error", "error", "ok"])
    assert [Path(r["path"]).name for r in records] == ["a-good.txt", "b-self-drawing.pdf", "c-nested-forms.pdf", "d-good.txt"]
    assert done.returncode == 2
    assert done.stderr.startswith("4 files: 2 consistent, 0 with findings, 2 unreadable (")
    assert seconds < 2 * (TIMEOUT + 6), seconds
