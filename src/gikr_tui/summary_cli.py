"""`gikr summary PATH...`: one row per report with its key figures, then totals per agency and per year.

Rows stream as results arrive (each from its brief and compact record, never
a whole report); the totals follow once every file is read.  The csv is
UTF-8 with a byte-order mark and CRLF line ends, so a spreadsheet opens it
as it is.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from typing import Any, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from . import checks, cli_words
from .checks.finding import number
from .cli import add_run_options
from .i18n import N_, _, ngettext
from .present import STATUS, Lines, _fit, format_name, status_word
from .runner import BRIEF, outcomes
from .safety import csv_cell, json_escaped, visible
from .series.collect import Collector
from .series.summary import FIGURES, RATES, Row, Total, totals

EXIT_OK, EXIT_ERROR = 0, 2
PROG = "gikr summary"

HEADERS = {
    "new": N_("new"), "handled": N_("handled"), "forward": N_("forward"), "disclosed": N_("disclosed"),
    "review": N_("review"), "lawsuits": N_("lawsuits"), "corrected": N_("corrected"),
}
FIGURE_WIDTH = {"received_new": 6, "results_total": 7, "carried_forward": 7, "disclosure_rate": 9,
                "review": 6, "litigation": 8, "correction_rate": 9}
CSV_FIELDS = (
    "record", "path", "agency", "year", "years", "agencies", "reports", "template", "format", "status", "error",
    "errors", "warnings", "hints", "cross_year",
    *(key for key, _h in FIGURES), "carried_over", "granted", "partial", "review_corrected",
)


def _parser() -> argparse.ArgumentParser:
    p = cli_words.parser(PROG, _(
        "One row per report (agency, year, template, format, status, findings by severity and the key "
        "figures: 新收, 办结, 结转下年度, 公开率, 行政复议, 行政诉讼, 复议纠错率), then totals per agency and per year."))
    p.add_argument("paths", nargs="+", metavar=_("PATH"), help=_("report files or folders (searched recursively)"))
    p.add_argument("--format", choices=("table", "csv", "jsonl"), default="table",
                   help=_("output format (default: table); csv is UTF-8 with BOM for spreadsheets"))
    add_run_options(p)
    return p


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f} %"


def _width(header: str, least: int) -> int:
    """A column as wide as its figures need, or as its header in the language in use."""
    return max(least, cell_len(header))


def _figure_cells(figures) -> list[tuple[str, int]]:
    out = []
    for key, header in FIGURES:
        value = getattr(figures, key) if figures is not None else None
        text = percent(value) if key in RATES else ("" if value is None else number(value))
        out.append((text, _width(_(HEADERS[header]), FIGURE_WIDTH[key])))
    return out


def _figure_header() -> list[tuple[str, int]]:
    return [(_(HEADERS[h]), _width(_(HEADERS[h]), FIGURE_WIDTH[key])) for key, h in FIGURES]


SEVERITY_HEADERS = ((N_("err"), 3), (N_("warn"), 4), (N_("hint"), 4))


def _severity_header() -> list[tuple[str, int]]:
    return [(_(h), _width(_(h), w)) for h, w in SEVERITY_HEADERS]


def _severity_cells(findings: dict[str, int]) -> list[tuple[str, int]]:
    widths = [w for _h, w in _severity_header()]
    return [(str(findings.get(s, 0)), w) for s, w in zip(("error", "warning", "hint"), widths)]


def _right(cells: list[tuple[str, int]]) -> str:
    """Numbers and words of ASCII, right-aligned (no cell-width measuring needed)."""
    return "  ".join(text.rjust(width) for text, width in cells)


def _line(cells: list[tuple[str, int]], first: str, first_width: int) -> str:
    return _fit(first, first_width) + "  " + "  ".join(_fit(text, width, "right") for text, width in cells)


class SummaryTable(Lines):
    """The table format: report rows as they come, the totals at the end."""

    AGENCY = 20

    def __init__(self, paths: list[str], console: Console | None = None) -> None:
        super().__init__(console)
        longest = max((cell_len(visible(p)) for p in paths), default=4)
        room = max(20, self.console.width - 120) if self.console.is_terminal else longest
        self.path_width = max(4, min(longest, room))

    def header(self) -> None:
        cells = [(_("year"), 4), (_("agency"), self.AGENCY), (_("tpl"), 4), (_("format"), 8), (_("status"), 10),
                 *_severity_header(), *_figure_header()]
        head = [_fit(_("file"), self.path_width)]
        for i, (text, width) in enumerate(cells):
            head.append(_fit(text, width, "left" if 1 <= i <= 4 else "right"))
        self.print("  ".join(head), "bold")

    def row(self, row: Row) -> None:
        path = visible(row.path)
        if cell_len(path) > self.path_width:
            self.print(path)
            path = ""
        label, style = status_word(row.status), STATUS[row.status]
        line = Text(_fit(path, self.path_width))
        line.append("  " + _fit(str(row.year or ""), 4, "right"))
        line.append("  " + _fit(visible(row.agency or ""), self.AGENCY))
        line.append("  " + _fit(str(row.template or ""), 4, "right"))
        line.append("  " + _fit(format_name(row.format), 8))
        line.append("  ")
        line.append(_fit(label, 10), style=style)
        if row.status != "error":
            line.append("  " + _right(_severity_cells(row.findings) + _figure_cells(row.figures)))
        self.print(line)
        if row.status == "error":
            self.print(Text.assemble("  ", (visible(row.error or ""), "yellow")))

    def totals(self, agencies: list[Total], years: list[Total]) -> None:
        if agencies:
            width = max([cell_len(_("agency"))] + [cell_len(visible(t.key or "—")) for t in agencies])
            self.print("")
            self.print(_("per agency"), "bold")
            head = [(_("reports"), 7), (_("years"), 11), *_severity_header(),
                    (_("cross-year"), 10), *_figure_header()]
            self.print(_line(head, _("agency"), width), "bold")
            for t in agencies:
                cells = [(str(t.reports), 7), (years_text(t.years), 11), *_severity_cells(t.findings),
                         (str(t.cross_year), 10), *_figure_cells(t.figures)]
                self.print(_line(cells, visible(t.key or "—"), width))
        if years:
            self.print("")
            self.print(_("per year"), "bold")
            head = [(_("reports"), 7), (_("agencies"), 8), *_severity_header(),
                    (_("cross-year"), 10), *_figure_header()]
            self.print(_line(head, _("year"), 4), "bold")
            for t in years:
                cells = [(str(t.reports), 7), (str(len(t.agencies)), 8), *_severity_cells(t.findings),
                         (str(t.cross_year), 10), *_figure_cells(t.figures)]
                self.print(_line(cells, str(t.key), 4))

    def notes(self, notes) -> None:
        if notes:
            self.print("")
            self.print(_("notes"), "bold")
            for note in notes:
                self.print("  " + visible(note.message()))


def years_text(years: set[int]) -> str:
    if not years:
        return ""
    ordered = sorted(years)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 1:
        return f"{ordered[0]}–{ordered[-1]}"
    return ",".join(str(y) for y in ordered)


def _csv_figures(figures: dict[str, Any] | None) -> dict[str, Any]:
    if not figures:
        return {}
    return {k: ("" if v is None else v) for k, v in figures.items()}


def _csv_row(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"record": data["record"]}
    for key in ("path", "agency", "year", "template", "format", "status", "error", "reports"):
        if key in data:
            out[key] = csv_cell("" if data[key] is None else data[key])
    if "years" in data:
        out["years"] = " ".join(str(y) for y in data["years"])
    if "agencies" in data:
        out["agencies"] = data["agencies"]
    findings = data.get("findings") or {}
    out.update(errors=findings.get("error", 0), warnings=findings.get("warning", 0), hints=findings.get("hint", 0))
    if "cross_year" in data:
        out["cross_year"] = data["cross_year"]
    out.update(_csv_figures(data.get("figures")))
    return out


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
        out.write("\ufeff")  # the BOM: Excel reads the file as UTF-8
        writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\r\n", extrasaction="ignore")
        writer.writeheader()
    unreadable = seen = 0

    def emit(data: dict) -> None:
        if ns.format == "jsonl":
            out.write(json_escaped(json.dumps(data, ensure_ascii=False)) + "\n")
        elif writer is not None:
            writer.writerow(_csv_row(data))

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

