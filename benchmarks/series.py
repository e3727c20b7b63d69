#!/usr/bin/env python
"""`gikr summary` against `gikr check` on the same folder of yearly series, measured in the same run.

    .venv/bin/python benchmarks/series.py [--files N] [--rounds N] [--keep]

Builds N reports (default 10,000) under a temporary folder: N/4 agencies,
each with reports for 2020–2023 (2020 on the 2019 template), text and
Markdown, every year's prose its own; one agency in 40 carries one request
too many into the next year and one in 40 copies last year's 总体情况, so the
cross-year checks have findings to make.  Then, with --jobs 2:

* cold (no cache): `gikr check` vs `gikr summary`, in alternating rounds, fastest of each;
* warm (the cache filled): both, in alternating rounds, fastest of each
  (what is left is the main process: reading results, the series records,
  the output);
* the main process's peak RSS of both, on a tenth of the folder and on all
  of it: flat memory means the two are close (and summary's close to check's).

Goal (issue 13): summary within 1.2x the time of check; main-process memory flat.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import _MEASURE, print_rows  # noqa: E402  (runs gikr and reports the main process's peak RSS)

YEARS = (2020, 2021, 2022, 2023)

def build(folder: Path, count: int) -> int:
    from series_maker import chained, forward_of, prose, write

    rng = random.Random(13)
    made = 0
    for agency in range(max(1, count // len(YEARS))):
        name = f"测试市第{agency}区人民政府"
        forward = None
        body_before = None
        for year in YEARS:
            carried = None if forward is None else dict(forward)
            if carried is not None and agency % 40 == 7 and year == 2022:
                carried["natural"] += 1
            truth = chained(rng, 2019 if year <= 2020 else 2021, carried)
            body = prose(rng)
            if agency % 40 == 13 and year == 2023 and body_before is not None:
                body = body_before
            sub = folder / f"片区{agency % 10}" / (str(year) if agency % 2 else "")
            layout = "markdown" if (agency + year) % 3 == 0 else "tab"
            suffix = ".md" if layout == "markdown" else ".txt"
            write(sub / f"{agency:05}-{year}{suffix}", name, year, truth, rng,
                  prose_by_section={1: f"{year}年，" + body, 5: prose(rng, 6)}, layout=layout)
            forward, body_before = forward_of(truth), body
            made += 1
    return made


def gikr(command: str, args: list[str], cache_dir: Path) -> tuple[float, float, str]:
    """(wall seconds from launch to exit, main process peak RSS in MB, the last stderr line)."""
    env = {**os.environ, "GIKR_CACHE_DIR": str(cache_dir)}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, command, *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, env=env)
    seconds = time.perf_counter() - t
    rss, last = 0.0, ""
    for line in done.stderr.splitlines():
        if line.startswith("MAXRSS_KB"):
            rss = int(line.split()[1]) / 1024
        elif line.strip():
            last = line
    if done.returncode not in (0, 1, 2):
        raise SystemExit(f"gikr {command} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, rss, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000, help="reports in the folder (default 10,000)")
    parser.add_argument("--rounds", type=int, default=3, help="warm rounds of each command (default 3)")
    parser.add_argument("--cold-rounds", type=int, default=2, help="rounds without the cache (default 2)")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    ns = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gikr-series-bench-"))
    rows: list[tuple[str, str, str, str]] = []
    try:
        folder = work / "reports"
        t = time.perf_counter()
        n = build(folder, ns.files)
        print(f"built {n} reports in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        args = [str(folder), "--jobs", "2"]
        load = os.getloadavg()[0]
        cold_check, cold_summary = [], []
        for _round in range(ns.cold_rounds):
            seconds, _, check_line = gikr("check", args + ["--no-cache"], work / "cold")
            cold_check.append(seconds)
            seconds, _, summary_line = gikr("summary", args + ["--no-cache"], work / "cold")
            cold_summary.append(seconds)
        rows.append((f"{n} reports, no cache: summary vs check (fastest of {ns.cold_rounds})", f"{min(cold_summary):.1f} s",
                     f"{min(cold_check):.1f} s", f"{min(cold_summary) / min(cold_check):.2f}x"))
        gikr("check", args, work / "warm")  # fills the cache
        checks, summaries, rss_check, rss_summary = [], [], 0.0, 0.0
        for _round in range(ns.rounds):
            seconds, rss, _ = gikr("check", args, work / "warm")
            checks.append(seconds)
            rss_check = max(rss_check, rss)
            seconds, rss, _ = gikr("summary", args, work / "warm")
            summaries.append(seconds)
            rss_summary = max(rss_summary, rss)
        rows.append((f"{n} reports, warm cache: summary vs check (fastest of {ns.rounds})",
                     f"{min(summaries):.2f} s", f"{min(checks):.2f} s", f"{min(summaries) / min(checks):.2f}x"))
        tenth = sorted(folder.iterdir())[0]  # one of the ten top folders
        small_n = sum(1 for p in tenth.rglob("*") if p.is_file())
        _, small_summary, _ = gikr("summary", [str(tenth), "--jobs", "2"], work / "warm")
        _, small_check, _ = gikr("check", [str(tenth), "--jobs", "2"], work / "warm")
        rows.append((f"main process peak RSS, {n} reports (warm)", f"{rss_summary:.0f} MB", f"{rss_check:.0f} MB",
                     f"{rss_summary / rss_check:.2f}x"))
        rows.append((f"main process peak RSS, {small_n} reports (warm)", f"{small_summary:.0f} MB", f"{small_check:.0f} MB",
                     f"{small_summary / small_check:.2f}x"))
        rows.append((f"memory flat: RSS at {n} / at {small_n} reports", f"{rss_summary / small_summary:.2f}x",
                     f"{rss_check / small_check:.2f}x", ""))
        rows.append(("load average (1 min) before / after", f"{load:.2f}", f"{os.getloadavg()[0]:.2f}", ""))
        print(f"  check:   {check_line}\n  summary: {summary_line}", file=sys.stderr)
    finally:
        if ns.keep:
            print(f"inputs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_rows(("measurement", "gikr summary", "gikr check (same run)", "ratio"), rows)
    print("goal: summary <= 1.2x check; memory flat")
    return 0


if __name__ == "__main__":
    sys.exit(main())
