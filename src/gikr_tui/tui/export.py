"""`x` / `X`: every file's findings, as published, written for people (CSV) or scripts (JSON).

An export says what the files hold, never what-if edits dressed up as
findings: each file's status and findings are those of the file as
published.  A file with edits also lists each edited cell (its value in the
file and the edited value), and each finding that exists only with the
edits, marked as such.

Kept free of Textual: the app hands over its files (`items()`, taken on its
own thread) and shows what happened.  A file that is not open is read again
for the export (its brief for CSV, its tables for JSON: from the cache, or
from the bytes kept for it), so an export of a folder of thousands needs no
more memory than showing it; it runs off the app's thread.
"""

from __future__ import annotations

import csv
import errno
import os
from dataclasses import dataclass
from pathlib import Path

from .. import template as T
from ..i18n import _
from ..model import Value
from ..checks import Finding
from ..pipeline import Result
from ..safety import csv_cell
from ..output.csv import CSV_FIELDS, csv_rows
from ..output.jsonl import json_text, result_json
from .session import T3, FileState, GridRef, Summary, read_again

STEM = "gikr-findings"
# The columns of `gikr check --format csv`, then an edited cell's two values.
# `record` says what a row is: report (the file as published, as check
# writes it), edit (a cell changed in gikr) or with_edits (a finding that
# exists only with the edits).
FIELDS = (*CSV_FIELDS, "file_value", "edited_value")
TRIES = 1000


class ExportFolderGone(OSError):
    """The folder the export goes to (the current folder) no longer exists."""

    said = True  # its words are gikr's (words.os_reason)


class ExportsFull(FileExistsError):
    """Every name an export may take is taken."""

    said = True


def _key(f: Finding) -> tuple:
    return (f.rule, f.table, f.row, f.col, f.group, f.field, f.section, f.of)


@dataclass
class Item:
    """One file as the export writes it, taken on the app's thread."""

    path: str
    summary: Summary
    data: bytes | None  # the whole result's bytes, where no cache holds them
    result: Result | None  # the whole result as published, when it is loaded
    findings: list[Finding]  # with the edits
    edits: list[tuple[GridRef, Value | None, Value | None]]

    @property
    def dirty(self) -> bool:
        return bool(self.edits)


def items(states: list[FileState]) -> list[Item]:
    """The files that have been read (pending ones have nothing to say yet)."""
    return [Item(s.path, s.summary, s.data, s.result, list(s.findings), s.edits() if s.dirty else [])
            for s in states if s.summary is not None]


def published(item: Item, need: str = "brief") -> tuple[Result, object] | None:
    """The file's result as published and its report as the export writes it (for `need`
    "shown": its tables), from memory, the bytes kept, or the cache; None when none
    holds it any more (the file changed since it was read)."""
    if item.result is not None:
        return item.result, item.result.report
    summary = item.summary
    if summary.status == "error":  # an unreadable file's result is all in its summary
        return Result(item.path, "error", summary.format, error=summary.error), None
    outcome = read_again(item.path, summary, item.data, need)
    if outcome is None:
        return None
    if item.data is not None:  # (the whole result: no lighter view of it is kept)
        result = outcome.result()
        return result, result.report
    return outcome.brief, outcome.shown() if need == "shown" else outcome.brief.report


def only_with_edits(item: Item, result: Result) -> list[Finding]:
    """Findings the edited report has and the published one does not."""
    published = {_key(f) for f in result.findings}
    return [f for f in item.findings if _key(f) not in published]


def _text(value: Value | None) -> str:
    return "" if value is None else value.text


def _cell(ref: GridRef) -> dict:
    table, row, col = ref
    if table == T3:
        return {"table": "t3", "row": row, "col": col, "label": f"{T.ROW_SPECS[row].label} / {T.COL_LABELS[col]}"}
    return {"table": "t4", "group": row, "col": col, "label": f"{T.T4_GROUP_LABELS[row]} / {T.T4_FIELD_LABELS[col]}"}


@dataclass
class Written:
    """What an export wrote: where, how many findings, and the files it could not read again."""

    target: Path
    findings: int
    missing: list[str]


def _read_again(item: Item, need: str, written: Written | None) -> tuple[Result, object] | None:
    """`published()`, each file read counted in `written` (its findings, or it as missing)."""
    found = published(item, need)
    if written is not None:
        if found is None:
            written.missing.append(item.path)
        else:
            written.findings += len(found[0].findings)
    return found


def csv_records(items: list[Item], written: Written | None = None) -> list[dict]:
    """The export's rows, each cell already safe for a spreadsheet (safety.csv_cell)."""
    rows: list[dict] = []
    for item in items:
        found = _read_again(item, "brief", written)
        if found is None:
            continue
        result = found[0]
        published_rows = csv_rows(result)
        rows.extend(published_rows)
        if not item.dirty:
            continue
        base = {k: published_rows[0][k] for k in ("path", "status", "error", "format", "template", "year", "agency")}
        for ref, before, after in item.edits:
            cell = _cell(ref)
            message = _("edited in gikr: {cell}: {file} in the file, {edited} edited (not in the file)").format(
                cell=cell["label"], file=_text(before) or _("blank"), edited=_text(after) or _("blank")
            )
            edit = {
                "record": "edit", "row": cell.get("row", ""), "col": cell["col"], "group": cell.get("group", ""),
                "table": 3 if cell["table"] == "t3" else 4,
                "file_value": _text(before), "edited_value": _text(after), "message": message,
            }
            rows.append({**base, **{k: csv_cell(v) for k, v in edit.items()}})
        only = only_with_edits(item, result)
        if only:
            edited = Result(result.path, result.status, result.format, result.report, only, result.error)
            for row in csv_rows(edited):
                row["record"] = "with_edits"
                row["message"] = _("only with the edits: {finding}").format(finding=row["message"])
                rows.append(row)
    return rows


def json_records(items: list[Item], written: Written | None = None) -> list[dict]:
    out = []
    for item in items:
        found = _read_again(item, "shown", written)
        if found is None:
            continue
        result, report = found
        record = result_json(result, report)
        if item.dirty:
            record["edits"] = [
                {**_cell(ref), "file": _text(before), "edited": _text(after),
                 "file_number": before.number if before is not None else None,
                 "edited_number": after.number if after is not None else None}
                for ref, before, after in item.edits
            ]
            only = {_key(f) for f in only_with_edits(item, result)}
            record["violations_with_edits"] = [
                {**f.to_json(), "only_with_edits": _key(f) in only} for f in item.findings
            ]
        out.append(record)
    return out


def _create(folder: Path, kind: str):
    """A new file in `folder` under the first free name: gikr-findings.csv, gikr-findings-1.csv …

    O_EXCL never follows or replaces anything already there, a dangling
    symlink included: that name is skipped like any other taken one.
    """
    for n in range(TRIES):
        target = folder / (f"{STEM}.{kind}" if n == 0 else f"{STEM}-{n}.{kind}")
        if os.path.lexists(target):
            continue
        try:
            return target, open(target, "x", encoding="utf-8", newline="")
        except FileExistsError:
            continue  # taken meanwhile
        except FileNotFoundError as e:
            raise ExportFolderGone(errno.ENOENT, _("{folder} no longer exists").format(folder=folder)) from e
    raise ExportsFull(errno.EEXIST, _("{count} exports already in {folder}").format(count=TRIES, folder=folder))


def current_folder() -> Path:
    try:
        folder = Path.cwd()
    except FileNotFoundError as e:  # the shell's folder was deleted under it
        raise ExportFolderGone(errno.ENOENT, _("the current folder no longer exists")) from e
    if not folder.is_dir():
        raise ExportFolderGone(errno.ENOENT, _("{folder} no longer exists").format(folder=folder))
    return folder


def write(kind: str, items: list[Item], folder: Path) -> Written:
    """Write the export into `folder`; OSError (ExportFolderGone among them) when it cannot."""
    target, fh = _create(folder, kind)
    written = Written(target, 0, [])
    with fh:
        if kind == "json":
            # escaped as jsonl is: nothing a terminal acts on reaches a file people `cat`
            fh.write(json_text(json_records(items, written), indent=1))
            fh.write("\n")
        else:
            writer = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n", restval="")
            writer.writeheader()
            writer.writerows(csv_records(items, written))
    return written
