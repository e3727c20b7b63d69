"""`gikr summary PATH...`: one row per report with its key figures, then totals per agency and per year.

Rows stream as results arrive (each from its brief and compact record, never
a whole report); the totals follow once every file is read.  The outputs draw
them: output/summary_table.py, output/csv.py, output/jsonl.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Sequence

from . import checks, cli_words
from .cli import add_run_options
from .i18n import _, ngettext
from .output.csv import summary_csv_row, summary_writer
from .output.jsonl import json_text
from .output.summary_table import SummaryTable
from .runner import BRIEF, outcomes
from .series.collect import Collector
from .series.summary import Row, totals

EXIT_OK, EXIT_ERROR = 0, 2
PROG = "gikr summary"


def _parser() -> argparse.ArgumentParser:
    p = cli_words.parser(PROG, _(
        "One row per report (agency, year, template, format, status, findings by severity and the key "
        "figures: 新收, 办结, 结转下年度, 公开率, 行政复议, 行政诉讼, 复议纠错率), then totals per agency and per year."))
    p.add_argument("paths", nargs="+", metavar=_("PATH"), help=_("report files or folders (searched recursively)"))
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table",
                   help=_("output format (default: table); csv is UTF-8 with BOM for spreadsheets"))
    add_run_options(p)
    return p


def summary_main(args: Sequence[str]) -> int:
    from .cli import _progress, consume, executor_or_status, parsed, print_notes, scan_reports

    parser = _parser()
    got = parsed(parser, args)
    if isinstance(got, int):
        return got
    ns, settings = got
    make_executor = executor_or_status(parser, settings)
    if isinstance(make_executor, int):
        return make_executor
    started = time.perf_counter()
    paths, scan_failed = scan_reports(ns.paths, settings.follow_symlinks)
    if ns.format == "csv" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", newline="")
    # briefs only: the series record a summary needs travels in them
    results = outcomes(paths, settings, need=BRIEF, make_executor=make_executor)
    out = sys.stdout
    table = writer = None
    progress = _progress(len(paths), ns.format, _("reading"))
    if ns.format == "table" and paths:
        # both on one terminal: rows go through the progress bar's console, above the bar
        table = SummaryTable(paths, progress.console if progress is not None and sys.stdout.isatty() else None)
        table.header()
    elif ns.format == "csv":
        writer = summary_writer(out)
    unreadable = seen = 0

    def emit(data: dict) -> None:
        if ns.format == "jsonl":
            out.write(json_text(data) + "\n")
        elif writer is not None:
            writer.writerow(summary_csv_row(data))

    with Collector({c.id for c in checks.all_checks("series")}) as collector:
        def each(outcome) -> None:
            nonlocal unreadable, seen
            result = outcome.brief
            collector.add(seen, result)
            seen += 1
            unreadable += result.status == "error"
            row = Row.of(result)
            if table is not None:
                table.row(row)
            else:
                emit(row.to_json())

        stopped = consume(results, each, progress, PROG, len(paths))
        if stopped is not None:
            return stopped
        lines = collector.finish()
        agencies, years = totals(collector, lines)
        series = collector.series
        try:
            if table is not None:
                table.totals(agencies, years)
                table.notes(collector.notes)
            else:
                for total in (*agencies, *years):
                    emit(total.to_json())
                if ns.format == "jsonl":
                    for note in collector.notes:
                        emit({"record": "note", **note.to_json()})
                else:
                    print_notes(PROG, collector.notes)
            out.flush()
        except BrokenPipeError:
            from .cli import _quiet_stdout

            _quiet_stdout()
            return EXIT_ERROR
    if settings.use_cache:
        from . import cache

        cache.prune()
    if not paths and not scan_failed:
        print(f"{PROG}: " + _("no report files found"), file=sys.stderr)
    counted = ngettext("{files} files ({unreadable} unreadable), {agencies} agency", "{files} files ({unreadable} unreadable), "
                       "{agencies} agencies", len(agencies)).format(files=len(paths), unreadable=unreadable, agencies=len(agencies))
    print(_("{counted}, {years} years, {series} series ({seconds} s)").format(
        counted=counted, years=len(years), series=series, seconds=f"{time.perf_counter() - started:.2f}"), file=sys.stderr)
    return EXIT_ERROR if unreadable or scan_failed or not paths else EXIT_OK

