"""`gikr summary`'s data: key figures per report, then totals per agency and per year.

Rows are built from a result's brief (status, findings, the compact record),
so a summary never needs a report's tables.  Totals add each agency's
reports once: of two files that are one report, the first in path order
counts.  An agency's 结转下年度 is its latest year's (a stock, not a flow);
its rates are recomputed from the sums, never averaged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Iterable

from ..checks import SEVERITIES
from .collect import Collector, SeriesLine
from .record import Figures, Number

# (key, header) of every figure a row shows, in order; the headers are shown through _()
FIGURES = (
    ("received_new", "new"),
    ("results_total", "handled"),
    ("carried_forward", "forward"),
    ("disclosure_rate", "disclosed"),
    ("review", "review"),
    ("litigation", "lawsuits"),
    ("correction_rate", "corrected"),
)
RATES = ("disclosure_rate", "correction_rate")
# what jsonl and csv carry besides: the parts the rates are made of
EXTRA_FIGURES = ("carried_over", "granted", "partial", "review_corrected")


def figures_json(figures: Figures | None) -> dict[str, Any] | None:
    if figures is None:
        return None
    out: dict[str, Any] = {}
    for key, _header in FIGURES:
        value = getattr(figures, key)
        out[key] = round(value, 4) if key in RATES and value is not None else value
    for key in EXTRA_FIGURES:
        out[key] = getattr(figures, key)
    return out


def _severities(findings: Iterable[Any]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts


@dataclass(slots=True)
class Row:
    """One report's line."""

    path: str
    agency: str | None
    year: int | None
    template: int | None
    format: str | None
    status: str
    error: str | None
    findings: dict[str, int]
    figures: Figures | None

    @classmethod
    def of(cls, result: Any) -> "Row":
        """From a Result or its brief."""
        record = getattr(result, "record", None)
        report = result.report
        return cls(
            result.path,
            record.agency if record else (report.agency if report else None),
            record.year if record else (report.year if report else None),
            record.template if record else (report.template if report else None),
            result.format,
            result.status,
            None if result.error is None else str(result.error),
            _severities(result.findings),
            record.figures if record else None,
        )

    def to_json(self) -> dict:
        return {
            "record": "report", "path": self.path, "agency": self.agency, "year": self.year,
            "template": self.template, "format": self.format, "status": self.status, "error": self.error,
            "findings": self.findings, "figures": figures_json(self.figures),
        }


def _add(total: Figures, part: Figures) -> None:
    for f in fields(Figures):
        value: Number | None = getattr(part, f.name)
        if value is not None:
            setattr(total, f.name, (getattr(total, f.name) or 0) + value)


@dataclass(slots=True)
class Total:
    """An agency's reports over the years, or one year's over the agencies."""

    kind: str  # agency | year
    key: str | int | None  # the agency's name (None: reports that name none), or the year
    reports: int = 0
    years: set[int] = field(default_factory=set)
    agencies: set[str] = field(default_factory=set)
    findings: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    cross_year: int = 0  # failing series findings of its reports
    figures: Figures = field(default_factory=Figures)
    _latest: int = -1  # the year whose 结转下年度 an agency's total shows

    def add(self, stored, agency: str | None, cross_year: int) -> None:
        record = stored.record
        self.reports += 1
        if record.year:
            self.years.add(record.year)
        if agency:
            self.agencies.add(agency)
        for severity, n in stored.severities.items():
            self.findings[severity] = self.findings.get(severity, 0) + n
        self.cross_year += cross_year
        forward = self.figures.carried_forward
        _add(self.figures, record.figures)
        if self.kind == "agency":
            # a stock: the latest year's, not the sum of the years
            year = record.year or 0
            if year >= self._latest and record.figures.carried_forward is not None:
                forward, self._latest = record.figures.carried_forward, year
            self.figures.carried_forward = forward

    def to_json(self) -> dict:
        out: dict[str, Any] = {"record": self.kind}
        if self.kind == "agency":
            out["agency"] = self.key
            out["years"] = sorted(self.years)
        else:
            out["year"] = self.key
            out["agencies"] = len(self.agencies)
        out.update(reports=self.reports, findings=self.findings, cross_year=self.cross_year,
                   figures=figures_json(self.figures))
        return out


def totals(collector: Collector, lines: list[SeriesLine]) -> tuple[list[Total], list[Total]]:
    """Per agency (by name) and per year (in order), each report counted once."""
    cross: dict[int, int] = {line.index: sum(f.failing for f in line.violations) for line in lines}
    by_agency: dict[str | None, Total] = {}
    by_year: dict[int, Total] = {}
    for stored, agency, counted in collector.entries():
        if not counted:
            continue
        n = cross.get(stored.index, 0)
        by_agency.setdefault(agency, Total("agency", agency)).add(stored, agency, n)
        year = stored.record.year
        if year:
            by_year.setdefault(year, Total("year", year)).add(stored, agency, n)
    agencies = sorted(by_agency.values(), key=lambda t: (t.key is None, t.key or ""))
    return agencies, [by_year[y] for y in sorted(by_year)]
