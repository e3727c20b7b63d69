"""The jsonl records: a report's (`gikr check`), and the lines of a run's series, summary and comparison.

`--format jsonl` is an interface scripts depend on: keys are added, never
renamed.  README documents every key.  Its strings are the report's own,
lossless; the controls a terminal would act on are escaped
(`safety.json_escaped`).
"""

from __future__ import annotations

import json
import re

import msgspec

from .. import template as T
from ..model import Report, Section, Value
from ..pipeline import Result
from ..safety import json_escaped

def _section(sec: Section) -> dict:
    out = {
        "title": sec.title,
        "text": sec.text,
        "number": sec.number,
        "numbering": sec.numbering,
        "status": sec.status,
        "children": [_section(c) for c in sec.children],
    }
    if sec.origin is not None:
        out.update({k: v for k, v in sec.origin.to_json().items() if k in ("line", "page")})
    return out


def _sources(table: dict[str, dict[str, Value]]) -> dict:
    """Where each written cell came from, and its text where that is not a plain number."""
    out: dict = {}
    for row, cols in table.items():
        entries: dict = {}
        for col, v in cols.items():
            if v.origin is not None:
                entry = v.origin.to_json({"text": v.text})
            elif v.text:
                entry = {"text": v.text}
            else:
                continue
            if v.note:
                entry["note"] = str(v.note)
            entries[col] = entry
        if entries:
            out[row] = entries
    return out


def _numbers(table: dict[str, dict[str, Value]]) -> dict:
    return {row: {col: v.number for col, v in cols.items()} for row, cols in table.items()}


def report_json(report: Report) -> dict:
    return {
        "template": report.template,
        "year": report.year,
        "agency": report.agency,
        "sections": [_section(s) for s in report.sections],
        "requests": {
            "rows": _numbers(report.requests),
            "labels": {r: T.ROW_SPECS[r].label for r in report.requests},
            "sources": _sources(report.requests),
        },
        "review_litigation": _numbers(report.review_litigation),
        "active_disclosure": _numbers(report.active_disclosure),
        "notes": [n.to_json() for n in report.notes],
        "encoding": report.encoding,
        "layout": report.layout,
        "pages": report.pages,
        "ocr": _ocr(report),
    }


def _ocr(report: Report) -> dict | None:
    """How the report's pictures were read, and which values OCR is unsure of."""
    if report.ocr is None:
        return None
    out = report.ocr.to_json()
    out["uncertain"] = [
        [row, col]
        for table in (report.requests, report.review_litigation, report.active_disclosure)
        for row, cols in table.items()
        for col, value in cols.items()
        if value.uncertain
    ]
    return out


_OWN = object()


def result_json(result: Result, report=_OWN) -> dict:
    """The jsonl record of `result`; with `report` (its report, or a view of it: `records.SHOWN`)
    the tables come from there, and the rest from `result` (a brief will do)."""
    report = result.report if report is _OWN else report
    out: dict = {
        "record": "report",  # a run's series lines (cross-year findings) follow its reports: "record": "series"
        "path": result.path,
        "status": result.status,
        "error": None if result.error is None else str(result.error),
        "format": result.format,
    }
    if report is not None:
        out.update(report_json(report))
    out["violations"] = [f.to_json() for f in result.findings]
    return out


def json_text(value, **options) -> str:
    """`value` as JSON text, non-ASCII kept readable, terminal controls escaped: the line of a
    series record, a summary row or total, a comparison."""
    return json_escaped(json.dumps(value, ensure_ascii=False, **options))


_JSONL = json.JSONEncoder(ensure_ascii=False, check_circular=False)  # a record holds no cycles
# A number msgspec writes otherwise than json: where Python's repr has an exponent (1e+16, 1e-05),
# msgspec writes 1e16 and 0.00001.  (Text in a string may look the same: then json writes the line.)
# Searched from the literal, which is ten times faster than from a character class.
_EXPONENT = re.compile(rb"e(?<=\de)[-+\d]")
_SMALL = b"0.0000"


def json_line(record: dict) -> str:
    """`record` as json.dumps(record, ensure_ascii=False) writes it, byte for byte, in a third of the time.

    msgspec writes it (one line, a space after `,` and `:` as json's defaults)
    and hands it back unless it may differ from json's: a float in exponent
    form, or a lone surrogate (a file name that is not UTF-8), which msgspec
    refuses.  Strings escape the same characters either way.  (A record's floats
    are finite: a result crosses the codec, which has no inf or nan.)
    """
    try:
        text = msgspec.json.format(msgspec.json.encode(record), indent=0)
    except (UnicodeEncodeError, OverflowError, TypeError, ValueError):
        return _JSONL.encode(record)
    if _SMALL in text or _EXPONENT.search(text) is not None:
        return _JSONL.encode(record)
    return text.decode()


def jsonl_line(result: Result, report=_OWN) -> str:
    """The file's `--format jsonl` line (without the newline); `report` as for `result_json`."""
    return json_escaped(json_line(result_json(result, report)))
