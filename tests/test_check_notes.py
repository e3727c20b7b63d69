"""`gikr check`'s table and csv say what the reading was unsure of: that OCR read the report, and
its notes (a label read in other words, values placed by their totals, a cell OCR is unsure of).
A consistent report read with doubts must not look like one read with none; jsonl always had them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rich.console import Console

from gikr_tui.cli import main
from gikr_tui.output.table import TablePrinter
from gikr_tui.records import Outcome, parsed

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "fixtures" / "scans"
RELABELLED = ROOT / "fixtures" / "copies" / "pdf-converter-label-lines.txt"  # four labels read in other words


def _gikr(capsys, *args) -> str:
    code = main([str(a) for a in args])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


def _printed(result) -> list[str]:
    """The table's lines for `result` as `gikr check` has it (the brief, through its bytes), after the header."""
    brief = Outcome.of(0, parsed(result)).brief
    console = Console(file=io.StringIO(), width=200, color_system=None)
    TablePrinter([brief.path], console).row(brief)
    return console.file.getvalue().splitlines()[1:]


def test_the_table_lists_a_reports_first_notes_and_counts_the_rest(capsys):
    notes = json.loads(_gikr(capsys, "check", "--format", "jsonl", "--no-series", RELABELLED))["notes"]
    assert len(notes) == 4
    for run in ("read", "from the cache"):  # the cache keeps the notes with the brief
        lines = _gikr(capsys, "check", "--no-series", RELABELLED).splitlines()
        assert "consistent" in lines[1], run
        said = [line for line in lines if line.startswith("  ~ ")]
        assert said == [
            "  ~ note label “6.属于四类过程” read as 6.属于四类过程性信息 (not the template's wording) (line 38)",
            "  ~ note label “7.属于行政执法” read as 7.属于行政执法案卷 (not the template's wording) (line 39)",
            "  ~ note label “8.属于行政查询” read as 8.属于行政查询事项 (not the template's wording) (line 40)",
            "  ~ 1 more note (--format jsonl lists every one)",
        ], run


def test_a_report_without_notes_gets_no_note_lines(capsys):
    lines = _gikr(capsys, "check", "--no-series", ROOT / "fixtures" / "seeds" / "000_8a0178302d297c36.txt").splitlines()
    assert not [line for line in lines if "~" in line]


def test_the_table_says_a_scan_was_read_by_ocr_and_which_cells_it_doubts(fixture_result):
    pdf = _printed(fixture_result(SCANS / "scan-degraded.pdf"))
    assert "consistent" in pdf[0] and pdf[1] == "  ~ read by OCR (3 pages)"
    assert pdf[2].startswith("  ~ note read by OCR as — with confidence 0.73: it may be misread (page 2, at (")
    assert pdf[-1] == "  ~ 1 more note (--format jsonl lists every one)"
    web = _printed(fixture_result(SCANS / "web-table-image.html"))
    assert web[1] == "  ~ read by OCR (1 picture)"
    assert len(web) == 4 and "consistent" in web[0] and all(line.startswith("  ~ note read by OCR as 0 ") for line in web[2:])


def test_csv_counts_the_notes_and_the_pages_read_by_ocr(capsys, fixture_result):
    rows = list(csv.DictReader(io.StringIO(_gikr(capsys, "check", "--format", "csv", "--no-series", RELABELLED))))
    assert [(r["notes"], r["ocr_pages"]) for r in rows] == [("4", "")]
    from gikr_tui.output.csv import csv_rows

    scan = Outcome.of(0, parsed(fixture_result(SCANS / "scan-degraded.pdf"))).brief
    assert [(r["notes"], r["ocr_pages"]) for r in csv_rows(scan)] == [(4, 3)]
