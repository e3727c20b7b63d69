"""The TUI's state without the TUI: each file's parse and the user's edits.

Kept free of Textual (harlequin's "headless core" idea) so the edit →
recompute → undo logic is testable on its own and the widgets only render.
Edits replace Value objects in a `Report.copy()`; the parsed report and its
Values are never mutated, and nothing is ever written to the file.

A folder may hold tens of thousands of reports: each file keeps a compact
`Summary` (what its badge, a sort and the filter need), and its whole result
only while it is open or has edits; the app reads it again (from the cache,
or from `data`) when the file is opened.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from .. import cache, checks
from .. import template as T
from ..checks import CellRef, Finding
from ..checks.arithmetic import parts_sum
from ..i18n import _
from ..model import Report, Value
from ..msg import Msg
from ..pipeline import Result
from ..records import Outcome
from ..values import MAX_DIGITS, kind, to_value, too_many_digits

# Which table a cell lives in: table 3 (requests) or table 4 (review/litigation).
T3, T4 = "t3", "t4"
GridRef = tuple[str, str, str]  # (table, row-or-group, col-or-field)


class EditRejected(ValueError):
    """The typed text is not a value a cell can hold."""


@dataclass(slots=True)
class _Edit:
    ref: GridRef
    before: Value | None  # None: the cell was absent from the parsed table


class Summary(NamedTuple):
    """A file's result as its badge, a sort and the filter need it (a tuple of plain
    values: about 200 bytes, and out of the garbage collector's sight)."""

    status: str  # ok | violations | error (as read: without the user's edits)
    failing: int  # errors and warnings
    hints: int
    format: str | None
    template: int | None
    year: int | None
    agency: str | None
    error: Msg | None  # worded where it is shown (str), in the language in use
    ocr_pages: int | None  # pages (of a web page: pictures) read by OCR; None when OCR read none

    @classmethod
    def of(cls, result) -> "Summary":
        """From a Result, a brief, or a `records.BADGE` view of one."""
        failing = sum(1 for f in result.findings if f.failing)
        report = result.report
        ocr = report.ocr if report is not None else None
        agency = report.agency if report is not None else None
        return cls(
            result.status, failing, len(result.findings) - failing, result.format,
            report.template if report is not None else None, report.year if report is not None else None,
            sys.intern(agency) if agency else agency, result.error, len(ocr.pages) if ocr is not None else None,
        )


def read_again(path: str, summary: Summary, data: bytes | None, need: str) -> Outcome | None:
    """A file not in memory, as it was read: from the bytes kept for it, or from the cache
    (decoded as `need` asks: `runner.FULL`, `BRIEF`, `SHOWN`); None when neither holds it now
    (the file changed since)."""
    if data is not None:
        return Outcome(0, path, summary.status, None, data)
    return cache.lookup_outcome(0, path, need)


@dataclass(eq=False)
class FileState:
    """One report file as the TUI knows it: pending, read (its summary), open (its whole result)."""

    path: str
    # The whole result, while it is loaded: the open file, and every file with edits
    # (edits are never dropped); None for the rest, which keep their summary.
    result: Result | None = None
    edited: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    progress: tuple[int, int] | None = None  # (pages done, pages) while read by OCR
    _undo: list[_Edit] = field(default_factory=list)
    summary: Summary | None = None  # None while the file has never been read
    # The whole result's codec bytes (compressed) when no cache holds them
    # (the cache is off, or the result could not be stored): opening the file
    # reads them instead of parsing it again.
    data: bytes | None = None
    generation: int = 0  # one more with every new result: a load asked for an older one is dropped

    def __post_init__(self) -> None:
        if self.result is not None and self.summary is None:  # made with its result (tests, scripts)
            self.summary = Summary.of(self.result)
            self.findings = self.findings or list(self.result.findings)

    # --- lifecycle -------------------------------------------------------

    def set_result(self, result: Result) -> None:
        """A (re)parse finished and its whole result is here: start over from the file's contents."""
        self.set_summary(Summary.of(result))
        self.load(result)

    def set_summary(self, summary: Summary, data: bytes | None = None) -> None:
        """A (re)parse or a cache lookup finished: the file as read now, its whole result not loaded."""
        self.summary = summary
        self.data = data
        self.generation += 1
        self.progress = None
        self.result = self.edited = None
        self.findings = ()  # type: ignore[assignment] - shared: a folder holds thousands of these
        self._undo.clear()

    def load(self, result: Result) -> None:
        """The whole result of the file as summarised (the app checks `generation`)."""
        self.result = result
        self.edited = result.report.copy() if result.report is not None else None
        self.findings = list(result.findings)
        self._undo.clear()

    def unload(self) -> bool:
        """Drop the whole result (the user has moved on) unless it carries edits; whether it went."""
        if self.dirty or self.result is None:
            return False
        self.result = self.edited = None
        self.findings = ()  # type: ignore[assignment]
        return True

    @property
    def loaded(self) -> bool:
        return self.result is not None

    @property
    def status(self) -> str:
        """pending | ok | violations | error, counting the user's edits."""
        summary = self.summary
        if summary is None:
            return "pending"
        if summary.status == "error" or self.result is None:
            return summary.status
        return checks.status(self.findings)

    def counts(self) -> tuple[int, int]:
        """(errors and warnings, hints), counting the user's edits."""
        if self.result is None:
            return (self.summary.failing, self.summary.hints) if self.summary is not None else (0, 0)
        failing = sum(1 for f in self.findings if f.failing)
        return failing, len(self.findings) - failing

    @property
    def error(self) -> str | None:
        """Why the file could not be read, in the language in use."""
        error = self.summary.error if self.summary is not None else None
        return None if error is None else str(error)

    @property
    def agency(self) -> str | None:
        return self.summary.agency if self.summary is not None else None

    @property
    def year(self) -> int | None:
        return self.summary.year if self.summary is not None else None

    @property
    def ocr_pages(self) -> int | None:
        return self.summary.ocr_pages if self.summary is not None else None

    @property
    def report(self) -> Report | None:
        return self.edited

    @property
    def original(self) -> Report | None:
        return self.result.report if self.result is not None else None

    @property
    def dirty(self) -> bool:
        return bool(self._undo)

    # --- cells -----------------------------------------------------------

    def _table(self, report: Report, table: str) -> dict[str, dict[str, Value]]:
        return report.requests if table == T3 else report.review_litigation

    def value(self, ref: GridRef) -> Value | None:
        if self.edited is None:
            return None
        return self._table(self.edited, ref[0]).get(ref[1], {}).get(ref[2])

    def original_value(self, ref: GridRef) -> Value | None:
        if self.original is None:
            return None
        return self._table(self.original, ref[0]).get(ref[1], {}).get(ref[2])

    def is_edited(self, ref: GridRef) -> bool:
        # identity, not equality: undoing restores the parsed object itself
        return self.value(ref) is not self.original_value(ref)

    def failing(self) -> set[GridRef]:
        """The grid cells of every error or warning (marked `!`)."""
        return {ref for f in self.findings if f.failing for ref in finding_refs(f)}

    def hinted(self) -> set[GridRef]:
        """The grid cells a hint names (marked `?`: where a failure likely comes from)."""
        return {ref for f in self.findings if not f.failing for ref in finding_refs(f)}

    def computed(self, ref: GridRef) -> int | float | None:
        """What a total cell's parts add up to (the checks' arithmetic); None for a cell that is not a total."""
        if self.edited is None:
            return None
        table, row, col = ref
        return parts_sum(self.edited, 4 if table == T4 else 3, row, col)

    # --- editing ---------------------------------------------------------

    def edit(self, ref: GridRef, text: str) -> Value:
        """Put `text` into a cell of the edited copy and re-check it."""
        if self.edited is None:
            raise EditRejected(_("no table to edit in this file"))
        text = text.strip()
        if kind(text) == "text":
            if too_many_digits(text):
                raise EditRejected(_("more than {digits} digits: no count in a report is that large").format(
                    digits=MAX_DIGITS))
            raise EditRejected(_("not a number: {text} (type digits, or leave empty for blank)").format(text=repr(text)))
        table = self._table(self.edited, ref[0])
        before = table.get(ref[1], {}).get(ref[2])
        old = before or Value(None)
        origin = old.origin
        if origin is not None and origin.confidence is not None:
            origin = replace(origin, confidence=None)  # what the user typed is not in doubt
        new = to_value(text, origin)  # a new object; the parsed Value stays as it was
        table.setdefault(ref[1], {})[ref[2]] = new
        self._undo.append(_Edit(ref, before))
        self._recheck()
        return new

    def undo(self) -> GridRef | None:
        if not self._undo or self.edited is None:
            return None
        step = self._undo.pop()
        table = self._table(self.edited, step.ref[0])
        if step.before is None:
            table.get(step.ref[1], {}).pop(step.ref[2], None)
        else:
            table.setdefault(step.ref[1], {})[step.ref[2]] = step.before
        self._recheck()
        return step.ref

    def revert(self) -> None:
        if self.result is not None:
            self.set_result(self.result)

    def _recheck(self) -> None:
        assert self.edited is not None
        self.findings = checks.run(self.edited, errors=[])

    def edits(self) -> list[tuple[GridRef, Value | None, Value | None]]:
        """Each cell the edits changed: (cell, value in the file, edited value), in table order."""
        refs = {step.ref for step in self._undo if self.is_edited(step.ref)}
        return [(ref, self.original_value(ref), self.value(ref)) for ref in sorted(refs, key=_grid_order)]

    def current_result(self) -> Result | None:
        """A Result carrying the edited report and its findings (for export)."""
        if self.result is None:
            return None
        if self.edited is None:
            return self.result
        status = checks.status(self.findings)
        return Result(self.result.path, status, self.result.format, self.edited, list(self.findings))


_GRID_TABLES = {3: T3, 4: T4}


def _grid_order(ref: GridRef) -> tuple:
    table, row, col = ref
    if table == T3:
        return (0, list(T.ROW_SPECS).index(row), T.COLS.index(col))
    return (1, T.T4_GROUPS.index(row), T.T4_FIELDS.index(col))


def finding_refs(finding: Finding) -> list[GridRef]:
    """The grid cells a finding names (tables 3 and 4; table 2 is not in the grid)."""
    table = _GRID_TABLES.get(finding.table) if finding.cells else None
    if table is None:
        return []
    return [(table, a, b) for a, b in finding.cells]


def cell_ref(ref: CellRef, table: str = T3) -> GridRef:
    return (table, ref[0], ref[1])
