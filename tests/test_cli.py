"""`gikr check` end to end: formats, exit codes, jobs, limits, the summary and the progress bar."""

import csv
import io
import json
import os
import pty
import random
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from report_maker import consistent_truth, render, set_cell, write_cells
from test_runner import write_long_report

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SUMMARY_END = " s)\n"


def gikr(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "gikr_tui", "check", *map(str, args)],
        capture_output=True, text=True, cwd=cwd,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The seeds, one report with a wrong total, and one empty file, in nested folders."""
    root = tmp_path_factory.mktemp("reports")
    for i, p in enumerate(SEED_FILES):
        sub = root / ("a" if i % 2 else "b")
        sub.mkdir(exist_ok=True)
        shutil.copy(p, sub / p.name)
    rng = random.Random(5)
    truth = consistent_truth(rng, 2021)
    write_cells(truth, rng, "zeros")
    set_cell(truth, "granted", "total", (truth.grid["granted"]["total"] or 0) + 3)
    (root / "c 有错").mkdir()
    (root / "c 有错" / "错误的报告.md").write_text(render(truth, "markdown", rng), encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    return root


@pytest.fixture(scope="module")
def jsonl(folder) -> subprocess.CompletedProcess:
    """`gikr check folder --format jsonl` as a user types it, run once for the tests that read its lines."""
    return gikr(folder, "--format", "jsonl")


@pytest.fixture(scope="module")
def uncached(folder) -> dict:
    """Each format's `--no-cache` run at --jobs 1 and at --jobs 4, run once for the tests that compare them."""
    return {(fmt, jobs): gikr(folder, "--format", fmt, "--jobs", jobs, "--no-cache")
            for fmt in ("jsonl", "csv", "table") for jobs in ("1", "4")}


def _summary(stderr: str) -> str:
    lines = stderr.splitlines()
    assert lines, "no summary line"
    return lines[-1]


def test_exit_0_when_every_report_is_consistent():
    got = gikr(SEEDS, "--format", "jsonl")
    assert got.returncode == 0
    assert [json.loads(line)["status"] for line in got.stdout.splitlines()] == ["ok"] * len(SEED_FILES)


def test_exit_1_for_findings(folder):
    got = gikr(folder / "c 有错")
    assert got.returncode == 1
    assert "findings" in got.stdout and "row_total" in got.stdout


def test_exit_2_for_an_unreadable_file_and_the_rest_still_reported(jsonl):
    got = jsonl
    assert got.returncode == 2
    records = [json.loads(line) for line in got.stdout.splitlines()]
    assert len(records) == len(SEED_FILES) + 2
    assert {r["status"] for r in records} == {"ok", "violations", "error"}
    assert next(r for r in records if r["status"] == "error")["error"] == "empty file"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--jobs", "0", "."], "--jobs must be at least 1"),
        (["--timeout", "0", "."], "--timeout must be more than 0"),
        (["--format", "xml", "."], "invalid choice"),
        (["does-not-exist"], "no such file or folder"),
    ],
)
def test_exit_2_for_bad_usage(args, message, tmp_path):
    got = gikr(*args, cwd=tmp_path)
    assert got.returncode == 2
    assert message in got.stderr


def test_exit_2_when_no_report_is_found(tmp_path):
    (tmp_path / "notes.xlsx").write_bytes(b"x")
    got = gikr(tmp_path)
    assert got.returncode == 2
    assert "no report files found" in got.stderr


def test_a_file_named_explicitly_is_checked_whatever_its_name(tmp_path):
    odd = tmp_path / "table.xlsx"
    odd.write_bytes(b"x")
    got = gikr(odd, "--format", "jsonl")
    assert got.returncode == 2
    assert json.loads(got.stdout)["error"] == "not a report format gikr reads (.xlsx)"


def test_jsonl_has_the_documented_keys(jsonl):
    got = jsonl
    records = [json.loads(line) for line in got.stdout.splitlines()]
    for key in ("path", "status", "error", "format", "violations"):
        assert all(key in r for r in records)
    ok = next(r for r in records if r["status"] == "ok")
    for key in ("template", "year", "agency", "sections", "review_litigation", "active_disclosure"):
        assert key in ok
    assert ok["requests"]["rows"]["granted"]["total"] is not None
    bad = next(r for r in records if r["status"] == "violations")
    assert bad["violations"] and bad["violations"][0]["rule"]
    assert [r["path"] for r in records] == sorted(r["path"] for r in records)


def test_csv_one_row_per_file_or_per_finding(folder):
    got = gikr(folder, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(got.stdout)))
    assert list(rows[0].keys())[:7] == ["path", "status", "error", "format", "template", "year", "agency"]
    by_status: dict[str, list] = {}
    for row in rows:
        by_status.setdefault(row["status"], []).append(row)
    assert len(by_status["ok"]) == len(SEED_FILES)
    assert len(by_status["error"]) == 1
    assert len(by_status["violations"]) >= 1 and all(r["rule"] for r in by_status["violations"])


def test_table_lists_every_file_and_its_findings(folder):
    got = gikr(folder)
    for p in SEED_FILES:
        assert p.name in got.stdout
    assert "consistent" in got.stdout and "unreadable" in got.stdout and "empty file" in got.stdout
    assert "错误的报告.md" in got.stdout and "row_total" in got.stdout
    assert got.stdout.splitlines()[0].split()[:2] == ["file", "status"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_jobs_1_and_jobs_4_give_the_same_output(uncached, fmt):
    one, four = uncached[fmt, "1"], uncached[fmt, "4"]
    assert one.stdout and one.stdout == four.stdout
    assert one.returncode == four.returncode == 2


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_summary_line_on_stderr_for_every_format(uncached, fmt):
    n = len(SEED_FILES) + 2
    for jobs in ("1", "4"):  # one process, and a pool
        got = uncached[fmt, jobs]
        summary = _summary(got.stderr)
        assert summary.startswith(f"{n} files: {len(SEED_FILES)} consistent, 1 with findings, 1 unreadable (")
        assert summary.endswith(" s)")
        assert "consistent, 1 with findings" not in got.stdout


def test_time_limit_from_the_command_line(tmp_path):
    # the long report takes seconds to read; the small one milliseconds, even on a busy machine
    write_long_report(tmp_path / "big.txt")
    shutil.copy(SEED_FILES[1], tmp_path / "small.txt")
    for jobs in ("1", "2"):
        got = gikr(tmp_path, "--format", "jsonl", "--timeout", "0.5", "--jobs", jobs, "--no-cache")
        records = [json.loads(line) for line in got.stdout.splitlines()]
        assert [r["status"] for r in records] == ["error", "ok"]
        assert records[0]["error"] == "time limit of 0.5 s reached"
        assert got.returncode == 2


def _run_with_stderr_on_a_pty(args, out_file: Path) -> tuple[str, str]:
    master, slave = pty.openpty()
    with open(out_file, "w") as out:  # a file: a full pipe would stall the child while we read the pty
        proc = subprocess.Popen(
            [sys.executable, "-m", "gikr_tui", "check", *map(str, args)],
            stdout=out, stderr=slave, env={**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"},
        )
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    return out_file.read_text(encoding="utf-8"), b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_only_when_stderr_is_a_terminal(tmp_path):
    for i in range(30):
        shutil.copy(SEED_FILES[i % len(SEED_FILES)], tmp_path / f"{i:02}.txt")
    out, tty_err = _run_with_stderr_on_a_pty(
        [tmp_path, "--format", "jsonl", "--jobs", "1", "--no-cache"], tmp_path.parent / "out.jsonl"
    )
    assert len(out.splitlines()) == 30
    assert "checking" in tty_err and "/30" in tty_err  # the bar: label and done/total
    assert "30 files: 30 consistent" in tty_err
    # (--no-series: six copies of each seed would be said to be the same report)
    piped = gikr(tmp_path, "--format", "jsonl", "--jobs", "1", "--no-cache", "--no-series")
    assert "checking" not in piped.stderr and "\x1b" not in piped.stderr
    assert piped.stderr.count("\n") == 1  # the summary alone


def test_jsonl_lines_are_the_serialiser_s_own(folder, jsonl, uncached):
    import json as _json

    from gikr_tui.pipeline import check_file
    from gikr_tui.serialize import result_json

    # as typed (the cache), without the cache (a pool of 4), from the cache in one process
    runs = [jsonl, uncached["jsonl", "4"], gikr(folder, "--format", "jsonl", "--jobs", "1")]
    expected = {}  # each file checked here once, not once per run
    for got in runs:
        assert got.stdout
        for line in got.stdout.splitlines():
            path = _json.loads(line)["path"]
            if path not in expected:
                expected[path] = _json.dumps(result_json(check_file(path)), ensure_ascii=False)
            assert line == expected[path]


def test_every_command_that_reads_folders_takes_the_same_run_options():
    from gikr_tui import cli, summary_cli

    def flags(parser):
        return {o for a in parser._actions for o in a.option_strings}

    run = {"--jobs", "--timeout", "--ocr-jobs", "--memory", "--no-cache", "--follow-symlinks"}
    assert run | {"--cluster"} <= flags(cli._check_parser())
    assert run | {"--cluster"} <= flags(summary_cli._parser())
    assert run <= flags(cli._tui_parser())  # the inspector reads on this machine
    assert "--cluster" not in flags(cli._tui_parser())


def test_the_inspector_refuses_a_bad_limit_before_it_starts():
    done = subprocess.run([sys.executable, "-m", "gikr_tui", "--jobs", "0", "--lang", "en", "fixtures"],
                          capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == "gikr: error: --jobs must be at least 1"


def test_a_number_too_long_to_be_a_count_is_noted_in_the_jsonl(tmp_path):
    """A 16-digit cell in table 2 is read as text; the report's notes say which cell, and the row's
    other cells are still read (the long number did not take its row's label)."""
    text = (SEEDS / "004_bca2272ab24a3735.txt").read_text(encoding="utf-8")
    (tmp_path / "r.txt").write_text(text.replace("规章\t0\t0\t0", "规章\t" + "1" * 16 + "\t0\t7"), encoding="utf-8")
    [line] = [json.loads(x) for x in gikr(tmp_path / "r.txt", "--format", "jsonl", "--no-cache").stdout.splitlines()]
    [note] = [n for n in line["notes"] if "digits" in n["message"]]
    assert (note["row"], note["col"]) == ("regulations", "issued")
    assert note["message"].startswith("表二 规章 / 本年制发件数: 1111111111111111 has more than 15 digits")
    assert line["active_disclosure"]["regulations"]["in_force"] == 7
