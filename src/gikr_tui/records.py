"""A file's result as it travels: from a worker, through the cache, to an output.

A worker turns its `pipeline.Result` into data at once (`Parsed`): a small
*brief* (status, format, the report's template/year/agency, the findings, the
error) and the whole result, each as codec bytes.  The cache stores exactly
those bytes; the run loop hands them on as an `Outcome`, which decodes only
what its reader asks for.  So a table or csv run, and the inspector's badges,
never decode whole reports, and a result read from the cache and one parsed
this moment are the same bytes, so every output prints them the same.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from . import codec
from .checks import Finding
from .model import Report, Section
from .msg import Msg
from .pipeline import Result
from .readers import format_of

# A whole result as the line outputs show it (jsonl): the report's tables,
# sections (headings, not their prose), notes and how it was read.  Decoded
# from the same data into light mirrors (`codec.view`), skipping the prose
# and the preamble, in a fifth of the time the report itself takes; the rest
# of the line (status, findings, error) is the brief's.
SHOWN = codec.view(Result, {
    Result: tuple(f.name for f in fields(Result) if f.name != "report"),
    Report: ("preamble",),
    Section: ("body",),
}, keep=(Msg,))  # a note is worded by Msg's own __str__, which a mirror would not have

# A brief as a badge shows it (the inspector's Files pane, for every file of
# a folder): status, error, format, the report's template, year, agency and
# how OCR read it, each finding's rule and severity.  The series record (each
# section's text) and the findings' details are skipped in the bytes, never
# built: a badge decodes in a fraction of a whole brief's time and memory.
_BADGE_REPORT = ("format", "template", "year", "agency", "ocr")
BADGE = codec.view(Result, {
    Result: ("record", "debug"),
    Report: tuple(f.name for f in fields(Report) if f.name not in _BADGE_REPORT),
    Finding: tuple(f.name for f in fields(Finding) if f.name not in ("rule", "severity")),
}, keep=(Msg,))  # an error is worded by Msg's own __str__


_BRIEF_KEEPS = ("notes",)


def brief(result: Result) -> Result:
    """`result` without its report's tables: what a status line, a table row or a badge shows.

    The report keeps its scalar fields (template, year, agency, encoding …)
    and drops every list and dict (sections, tables), whatever fields the
    model grows.  The findings and the report's notes are kept: they are few,
    and the table and csv outputs print them (a report read with doubts must
    not look like one read with none).
    """
    report = result.report
    if report is None:
        return result
    emptied = {f.name: type(getattr(report, f.name))() for f in fields(Report)
               if f.name not in _BRIEF_KEEPS and isinstance(getattr(report, f.name), (list, dict))}
    return replace(result, report=replace(report, **emptied))


@dataclass(slots=True)
class Parsed:
    """What a worker hands back for one file: data, ready to store and to render."""

    path: str
    status: str
    brief: bytes | None  # codec bytes of brief(result), its path left empty; None when nobody needs it
    data: bytes | None  # codec bytes of the whole result; None when nobody needs it, or it has no report
    # The file's cache key, taken before it was read, when the result may be
    # cached (it depends on the bytes alone, and the file did not change while
    # it was read); None otherwise.  A row to store has both brief and data.
    key: tuple | None = None
    debug: str | None = None  # a traceback for --debug (never stored)


def parsed(result: Result, key: tuple | None = None, full: bool = True) -> Parsed:
    """`result` as data: its brief, and the whole of it too when `full` or when it is to be
    stored (`key`).  The path travels beside the data, never inside (a file has many names).
    (The brief always: 1 KB that spares jsonl decoding a whole report for its findings.)"""
    store = key is not None
    bare = replace(result, path="", debug=None)
    data = codec.dumps(bare, compress=store) if (full or store) and bare.report is not None else None
    return Parsed(result.path, result.status, codec.dumps(brief(bare)), data, key, result.debug)


def failed(path: str, error: Msg) -> Parsed:
    """The Parsed for a file that could not be read at all (a worker died, a limit was hit)."""
    return parsed(Result(path, "error", format_of(path), error=error))


_UNREAD = object()


class Outcome:
    """One file's result as the run loop delivers it; decoded on first use.

    `brief` serves the table, csv and badges; `result()` is the whole result
    (for the inspector) and `shown()` the report as jsonl shows it; both need
    the data, which the loop fetches when it was asked for more than briefs.
    """

    __slots__ = ("index", "path", "status", "cached", "stored", "debug", "_brief", "_data", "_brief_obj", "_result",
                 "_shown", "_badge")

    def __init__(self, index: int, path: str, status: str, brief: bytes | None, data: bytes | None,
                 cached: bool = False, debug: str | None = None) -> None:
        self.index = index
        self.path = path
        self.status = status
        self.cached = cached
        self.stored = False  # parsed, and queued for the cache (where a whole result can be read again)
        self.debug = debug
        self._brief = brief
        self._data = data
        self._brief_obj: Result | None = None
        self._result: Result | None = None
        self._shown = _UNREAD
        self._badge = None

    @classmethod
    def of(cls, index: int, parsed: Parsed, cached: bool = False) -> "Outcome":
        return cls(index, parsed.path, parsed.status, parsed.brief, parsed.data, cached, parsed.debug)

    @property
    def brief(self) -> Result:
        if self._brief_obj is None:
            if self._brief is None:
                self._brief_obj = brief(self.result())
            else:
                self._brief_obj = self._finish(codec.loads(Result, self._brief))
        return self._brief_obj

    @property
    def badge(self):
        """The brief as a `BADGE` view (status, findings' rules and severities, the report's
        format, template, year, agency, ocr; no series record, no findings' details)."""
        if self._badge is None:
            if self._brief is None:
                whole = self.brief
                self._badge = codec.loads(BADGE, codec.dumps(whole, compress=False))
            else:
                self._badge = codec.loads(BADGE, self._brief)
        return self._badge

    @property
    def data(self) -> bytes | None:
        """The codec bytes of the whole result, when they were fetched (None for a result without a report)."""
        return self._data

    def result(self) -> Result:
        """The whole result (its report with every table)."""
        if self._result is None:
            if self._data is None:
                if self._brief is None:
                    raise LookupError(f"{self.path}: no data was kept for this result")
                # a result without a report has nothing a brief leaves out
                self._result = self._finish(codec.loads(Result, self._brief))
                if self._result.report is not None:
                    raise LookupError(f"{self.path}: only the brief of this result was fetched")
            else:
                self._result = self._finish(codec.loads(Result, self._data))
        return self._result

    def shown(self):
        """The report as a line output shows it (a `SHOWN` view of it: attributes and methods
        as the report's, no prose bodies), or None for a result without one."""
        if self._shown is _UNREAD:
            if self._data is not None:
                self._shown = codec.loads(SHOWN, self._data).report
            elif self.brief.report is None:
                self._shown = None
            else:
                raise LookupError(f"{self.path}: only the brief of this result was fetched")
        return self._shown

    def _finish(self, result: Result) -> Result:
        result.path = self.path
        result.debug = self.debug
        return result
