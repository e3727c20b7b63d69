"""`gikr` on the command line: `gikr check PATH...` and `gikr [PATH]` (the TUI)."""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from typing import Sequence

from . import __version__
from .runner import DEFAULT_TIMEOUT, default_jobs, run
from .scan import ScanProblem, scan
from .serialize import CSV_FIELDS, csv_rows, result_json

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _check_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gikr check",
        description="Check government information-disclosure annual reports against the template's identities.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders (searched recursively)")
    p.add_argument("--format", choices=("table", "jsonl", "csv"), default="table", help="output format (default: table)")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N", help="parallel workers (default: CPU count)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S", help="time limit per file in seconds")
    p.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    return p


def _tui_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gikr",
        description="Inspect government information-disclosure annual reports in the terminal. "
        "Use `gikr check PATH...` for the headless check.",
    )
    p.add_argument("path", nargs="?", default=".", help="folder or report to open (default: current folder)")
    p.add_argument("--version", action="version", version=f"gikr {__version__}")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "check":
        return check_main(args[1:])
    ns = _tui_parser().parse_args(args)
    from .tui.app import run_app  # Textual is imported only for the TUI

    return run_app(ns.path)


def check_main(args: Sequence[str]) -> int:
    parser = _check_parser()
    try:
        ns = parser.parse_args(args)
    except SystemExit as e:
        return EXIT_ERROR if e.code else EXIT_OK
    if ns.jobs is not None and ns.jobs < 1:
        parser.print_usage(sys.stderr)
        print("gikr check: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_ERROR
    started = time.perf_counter()
    problems: list[ScanProblem] = []
    paths = scan(ns.paths, problems)
    jobs = ns.jobs or default_jobs()
    results = run(paths, jobs=jobs, timeout=ns.timeout)
    counts = {"ok": 0, "violations": 0, "error": 0}
    out = sys.stdout
    writer = None
    table_rows = []
    if ns.format == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
    try:
        for result in results:
            counts[result.status] += 1
            if ns.format == "jsonl":
                out.write(json.dumps(result_json(result), ensure_ascii=False) + "\n")
                out.flush()
            elif writer is not None:
                writer.writerows(csv_rows(result))
            else:
                table_rows.append(result)
            if ns.debug and result.debug:
                print(result.debug, file=sys.stderr)
    except KeyboardInterrupt:
        print("gikr check: interrupted", file=sys.stderr)
        return 130
    for problem in problems:
        print(f"{problem.path}: {problem.message}", file=sys.stderr)
    if ns.format == "table":
        from .present import print_table

        print_table(table_rows, time.perf_counter() - started)
    if counts["error"] or (not paths and not problems):
        if not paths:
            print("gikr check: no report files found", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_FINDINGS if counts["violations"] else EXIT_OK
