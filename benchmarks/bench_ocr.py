#!/usr/bin/env python
"""Reading scanned reports by OCR: seconds per page and peak memory, beside the text PDF.

    .venv/bin/python benchmarks/bench_ocr.py [--rounds N]

Needs the ocr extra (`pip install -e '.[ocr]'`).  The same report is read
from its text PDF (fixtures/pdf/word-2021-basic.pdf) and from each of its
scans in fixtures/scans (three pages each, all of which hold a table, so all
are read by OCR).  Each figure is measured in a fresh process, as a worker
would read the file:

* the whole read (read, interpret, check), fastest of --rounds, and per page
  read by OCR, in wall-clock and in CPU seconds (the CPU figure moves less
  with other load on the machine); the engine's start (models loaded, first
  call) apart;
* the process's peak resident memory after the read;
* for the text PDF, the same, as the baseline of the same run.

A fixed Python loop at the start and end says how fast the machine ran (this
VM has slow spells when every figure, baselines too, takes ~1.7x as long).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import calibrate, machine, print_rows  # noqa: E402

TEXT_PDF = ROOT / "fixtures" / "pdf" / "word-2021-basic.pdf"
SCANS = [ROOT / "fixtures" / "scans" / n for n in ("scan-150.pdf", "scan-300.pdf", "scan-degraded.pdf")]

# Runs in a fresh interpreter: read one file `rounds` times, report JSON.
_CHILD = r"""
import json, resource, sys, time
path, rounds, ocr = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
from gikr_tui.pipeline import check_file
start = 0.0
if ocr:
    import numpy as np
    from gikr_tui.readers import ocr as engine
    t = time.perf_counter()
    eng = engine.engine()
    eng(np.full((64, 256, 3), 255, np.uint8), use_det=True, use_cls=False, use_rec=True)
    start = time.perf_counter() - t
times, cpus = [], []
for _ in range(rounds):
    t, c = time.perf_counter(), time.process_time()
    result = check_file(path)
    times.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
report = result.report
pages = len(report.ocr.pages) if report is not None and report.ocr is not None else 0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"best": min(times), "cpu": min(cpus), "pages": pages, "start": start, "peak": peak, "status": result.status,
                  "error": result.error}))
"""


def measure(path: Path, rounds: int, ocr: bool) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(rounds), "1" if ocr else "0"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    before = calibrate()
    text = measure(TEXT_PDF, max(args.rounds, 5), ocr=False)
    rows = [("measurement", "per page", "CPU per page", "whole file", "engine start", "peak RSS", "status")]
    text_pages = 3
    rows.append((
        f"text PDF: {TEXT_PDF.name} (baseline)", f"{text['best'] / text_pages * 1000:.1f} ms",
        f"{text['cpu'] / text_pages * 1000:.1f} ms", f"{text['best']:.3f} s", "", f"{text['peak'] / 2**20:.0f} MB", text["status"],
    ))
    for scan in SCANS:
        got = measure(scan, args.rounds, ocr=True)
        per_page = got["best"] / max(got["pages"], 1)
        rows.append((
            f"OCR: {scan.name} ({got['pages']} pages)", f"{per_page:.2f} s ({per_page / (text['best'] / text_pages):.0f}x)",
            f"{got['cpu'] / max(got['pages'], 1):.2f} s", f"{got['best']:.2f} s", f"{got['start']:.2f} s", f"{got['peak'] / 2**20:.0f} MB", got["status"],
        ))
    after = calibrate()
    rows.append(("machine speed: a fixed Python loop, start / end", f"{before * 1000:.1f} ms", f"{after * 1000:.1f} ms", "", "", "", ""))
    print_rows(rows[0], rows[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
