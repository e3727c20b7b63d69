"""The csv rows: `gikr check`'s (a row per finding, the series rows after the files) and
`gikr summary`'s.  Csv is for people and their spreadsheets: every text cell goes through
`safety.csv_cell`; numbers stay numbers.
"""

from __future__ import annotations

import csv
from typing import IO, Any

from ..msg import render
from ..pipeline import Result
from ..safety import csv_cell
from ..series.summary import FIGURES

CSV_FIELDS = (
    "path", "status", "error", "format", "template", "year", "agency",
    "rule", "row", "col", "group", "reported", "computed", "difference", "message",
    # added with the checks beyond arithmetic (new columns go at the end)
    "severity", "table", "field", "section", "quote",
    # added with the checks across years: `series` rows follow the files, naming the earlier report
    "record", "previous",
    # added with the notes in the human outputs: how many notes the report has (jsonl lists them)
    # and how many pages or pictures OCR read (blank when none)
    "notes", "ocr_pages",
)


# `gikr summary`'s columns
SUMMARY_CSV_FIELDS = (
    "record", "path", "agency", "year", "years", "agencies", "reports", "template", "format", "status", "error",
    "errors", "warnings", "hints", "cross_year",
    *(key for key, _h in FIGURES), "carried_over", "granted", "partial", "review_corrected",
)


def check_writer(out: IO[str]) -> csv.DictWriter:
    """`gikr check --format csv` on `out`, its header written."""
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    return writer


def summary_writer(out: IO[str]) -> csv.DictWriter:
    """`gikr summary --format csv` on `out`: a byte-order mark and CRLF line ends, so a spreadsheet
    opens it as it is; its header written."""
    out.write("\ufeff")  # the BOM: Excel reads the file as UTF-8
    writer = csv.DictWriter(out, fieldnames=SUMMARY_CSV_FIELDS, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    return writer


def _blank(value) -> object:
    return "" if value is None else value


def _finding_cells(f) -> dict:
    return dict(
        rule=f.rule, row=f.row or "", col=f.col or "", group=f.group or "",
        reported=_blank(f.reported), computed=_blank(f.computed),
        difference=_blank(f.difference), message=f.message(),
        severity=f.severity, table=_blank(f.table if f.cells else None), field=f.field or "",
        section=_blank(f.section if f.section is not None else (f.text.section if f.text else None)),
        quote=f.text.quote if f.text is not None else "",
    )


def csv_rows(result: Result) -> list[dict]:
    """The csv rows of a result: text cells shown safe and never formulas; numbers stay numbers."""
    return [{key: csv_cell(value) for key, value in row.items()} for row in _csv_rows(result)]


def _csv_rows(result: Result) -> list[dict]:
    base = {
        "path": result.path,
        "status": result.status,
        "error": render(result.error),
        "format": result.format or "",
        "template": result.report.template if result.report else "",
        "year": (result.report.year or "") if result.report else "",
        "agency": (result.report.agency or "") if result.report else "",
        "record": "report",
        "previous": "",
        "notes": len(result.report.notes) if result.report else "",
        "ocr_pages": len(result.report.ocr.pages) if result.report and result.report.ocr else "",
    }
    if not result.findings:
        return [base]
    return [{**base, **_finding_cells(f)} for f in result.findings]


def series_csv_rows(line) -> list[dict]:
    """A report's cross-year findings (a `collect.SeriesLine`), one row each, after the files:
    text cells shown safe and never formulas, as a file's own rows."""
    base = {
        "path": line.path,
        "status": "violations" if any(f.failing for f in line.violations) else "ok",
        "error": "",
        "format": line.format or "",
        "template": _blank(line.template),
        "year": _blank(line.year),
        "agency": line.agency or "",
        "record": "series",
        "previous": line.previous,
    }
    return [{key: csv_cell(value) for key, value in {**base, **_finding_cells(f)}.items()} for f in line.violations]


def _summary_figures(figures: dict[str, Any] | None) -> dict[str, Any]:
    if not figures:
        return {}
    return {k: ("" if v is None else v) for k, v in figures.items()}


def summary_csv_row(data: dict[str, Any]) -> dict[str, Any]:
    """A `gikr summary` row or total (its jsonl record) as a csv row."""
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
    out.update(_summary_figures(data.get("figures")))
    return out
