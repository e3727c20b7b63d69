"""Two reports side by side: tables 2–4 cell by cell, the cross-year findings,
and each section's similarity with a paragraph diff.  Pure data; the CLI and
the inspector present it.

The first report is `a`, the second `b`; a change is b − a.  When the two
are consecutive years the series checks run on them, the later year's
report being the one checked, exactly as `gikr check` would pair them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from .. import template as T
from ..checks import Finding
from ..checks import series as series_checks
from ..model import Report, Value
from ..pipeline import Result
from . import agency as names
from .record import Number, record_of
from .similarity import MEASURE, ParagraphChange, paragraph_diff, similarity

# table 3's rows of both templates, in the order the grid shows them
T3_ROWS = (*T.ROWS_2021[:-2], "other", *T.ROWS_2021[-2:])
# table 2's rows in the template's order
T2_ROWS = tuple(T.T2_ROW_LABELS)


@dataclass(slots=True)
class Cell:
    a: Number | None  # None: blank, a dash, or no such cell in that report
    b: Number | None
    a_text: str | None = None  # as written; None when the report has no such cell
    b_text: str | None = None

    @property
    def differs(self) -> bool:
        """Written differently at all: a blank against a 0 too."""
        return self.a != self.b or (self.a_text is None) != (self.b_text is None)

    @property
    def blank_vs_zero(self) -> bool:
        """Blank in one report and 0 in the other: in these reports the two usually mean the same,
        so it is shown (dimly) but not counted as a change.  A dash is not a blank."""
        return (self.a_text == "" and self.b == 0 and self.b_text is not None) or (
            self.b_text == "" and self.a == 0 and self.a_text is not None)

    @property
    def changed(self) -> bool:
        return self.differs and not self.blank_vs_zero

    @property
    def change(self) -> Number | None:
        if self.a is None or self.b is None:
            return None
        return self.b - self.a

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "change": self.change, "changed": self.changed, "blank_vs_zero": self.blank_vs_zero}


@dataclass(slots=True)
class TableDiff:
    table: int  # 2, 3 or 4
    key: str  # its jsonl key: active_disclosure, requests, review_litigation
    rows: dict[str, dict[str, Cell]]  # row (group) -> col (field) -> cell

    @property
    def changed(self) -> int:
        return sum(c.changed for cols in self.rows.values() for c in cols.values())

    @property
    def blank_vs_zero(self) -> int:
        """Cells blank in one report and 0 in the other (not counted in `changed`)."""
        return sum(c.blank_vs_zero for cols in self.rows.values() for c in cols.values())

    def to_json(self) -> dict:
        return {row: {col: c.to_json() for col, c in cols.items()} for row, cols in self.rows.items()}


@dataclass(slots=True)
class SectionDiff:
    number: int
    title: str
    a_length: int  # characters of prose as written, spaces not counted
    b_length: int
    similarity: float | None  # None when neither report has prose there
    paragraphs: list[ParagraphChange] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "number": self.number, "title": self.title, "a_length": self.a_length, "b_length": self.b_length,
            "similarity": None if self.similarity is None else round(self.similarity, 4), "measure": MEASURE,
            "paragraphs": [p.to_json() for p in self.paragraphs],
        }


@dataclass(slots=True)
class Comparison:
    a: Result
    b: Result
    tables: list[TableDiff]
    sections: list[SectionDiff]
    findings: list[Finding]  # the series checks on the pair (on the later report)
    checked: str | None  # the path of the report the findings belong to; None when not consecutive years
    notes: list[str]  # why the cross-year checks did not run, or what to mind: year | not_consecutive | agencies

    def to_json(self) -> dict:
        return {
            "record": "compare",
            "a": _side(self.a),
            "b": _side(self.b),
            "tables": {t.key: t.to_json() for t in self.tables},
            "checked": self.checked,
            "violations": [f.to_json() for f in self.findings],
            "notes": [{"kind": n, "message": note_message(n, self)} for n in self.notes],
            "sections": [s.to_json() for s in self.sections],
        }


def _side(result: Result) -> dict:
    rep = result.report
    return {
        "path": result.path, "status": result.status, "error": None if result.error is None else str(result.error), "format": result.format,
        "agency": rep.agency if rep else None, "year": rep.year if rep else None,
        "template": rep.template if rep else None,
    }


def _cells(a: dict[str, Value] | None, b: dict[str, Value] | None, keys: list[str]) -> dict[str, Cell]:
    out: dict[str, Cell] = {}
    for key in keys:
        va = a.get(key) if a is not None else None
        vb = b.get(key) if b is not None else None
        out[key] = Cell(
            va.number if va is not None else None, vb.number if vb is not None else None,
            va.text if va is not None else None, vb.text if vb is not None else None,
        )
    return out


def _table(number: int, key: str, a: dict, b: dict, rows: list[str], fields_of) -> TableDiff:
    return TableDiff(number, key, {row: _cells(a.get(row), b.get(row), fields_of(row)) for row in rows})


def tables(a: Report, b: Report) -> list[TableDiff]:
    t2_rows = [r for r in T2_ROWS if r in a.active_disclosure or r in b.active_disclosure]

    def t2_fields(row: str) -> list[str]:
        seen = dict.fromkeys([*a.active_disclosure.get(row, {}), *b.active_disclosure.get(row, {})])
        return list(seen)

    t3_rows = [r for r in T3_ROWS if r in a.requests or r in b.requests]
    t4_groups = [g for g in T.T4_GROUPS if g in a.review_litigation or g in b.review_litigation]
    return [
        _table(2, "active_disclosure", a.active_disclosure, b.active_disclosure, t2_rows, t2_fields),
        _table(3, "requests", a.requests, b.requests, t3_rows, lambda _r: list(T.COLS)),
        _table(4, "review_litigation", a.review_litigation, b.review_litigation, t4_groups, lambda _g: list(T.T4_FIELDS)),
    ]


def _prose(report: Report, number: int) -> list[str]:
    for sec in report.sections:
        if sec.number == number:
            return [p.text for p in sec.body if not p.row and p.text.strip()]
    return []


def compare(a: Result, b: Result) -> Comparison:
    """Both results must have a report (the caller says why one does not)."""
    ra, rb = a.report, b.report
    assert ra is not None and rb is not None
    reca = a.record or record_of(ra)
    recb = b.record or record_of(rb)
    sections = []
    for number in range(1, 7):
        sa, sb = reca.section(number), recb.section(number)
        alike = None if sa is None and sb is None else similarity(sa.text if sa else "", sb.text if sb else "")
        sections.append(SectionDiff(
            number, T.SECTION_TITLES[number - 1], sa.length if sa else 0, sb.length if sb else 0, alike,
            paragraph_diff(_prose(ra, number), _prose(rb, number)),
        ))
    findings: list[Finding] = []
    checked = None
    notes: list[str] = []
    if ra.year is None or rb.year is None:
        notes.append("year")
    elif abs(ra.year - rb.year) != 1:
        notes.append("not_consecutive")
    else:
        later, earlier, rec_later, rec_earlier = (b, a, recb, reca) if rb.year > ra.year else (a, b, reca, recb)
        findings = series_checks.run(series_checks.Pair(rec_later, rec_earlier, earlier.path))
        checked = later.path
        if not _same_agency(ra.agency, rb.agency):
            notes.append("agencies")
    return Comparison(a, b, tables(ra, rb), sections, findings, checked, notes)


def _same_agency(x: str | None, y: str | None) -> bool:
    if not x or not y:
        return False
    nx, ny = names.normalise(x), names.normalise(y)
    mapping, _ambiguous = names.group([nx, ny])
    return mapping.get(nx) is not None and mapping.get(nx) == mapping.get(ny)


def note_message(note: str, comparison: Comparison) -> str:
    from ..i18n import _

    if note == "year":
        return _("a report states no year: no cross-year checks")
    if note == "not_consecutive":
        return _("the reports are not of consecutive years: no cross-year checks")
    a, b = comparison.a.report, comparison.b.report
    return _("the reports name different agencies ({a}, {b}); the cross-year checks ran all the same").format(
        a=(a.agency if a else None) or "—", b=(b.agency if b else None) or "—")
