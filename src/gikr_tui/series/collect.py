"""A run's reports gathered for the work across them, with flat memory.

Each report's compact record goes to a temporary spill file as it arrives;
memory keeps four integers a report (where it came in, its agency name, its
year, where its record lies in the file) and the distinct agency names.
When the run is over, `finish()` groups the reports into agencies, notes
what cannot be paired (two files that are one report, two different reports
for one year, a name that fits several agencies) and the gaps in each
series, and runs the series checks on every pair of consecutive years,
reading each record back once it is needed.
"""

from __future__ import annotations

import pickle
import tempfile
from array import array
from dataclasses import dataclass, field
from typing import Any, Collection, Iterator

from ..checks import Finding
from ..checks import series as series_checks
from ..i18n import _
from . import agency as names
from .record import Record

_NO_NAME = -1
SHOWN_PATHS = 4  # a note's message names this many files (its jsonl lists them all)


@dataclass(slots=True)
class Stored:
    """One report as the spill file holds it."""

    index: int  # its place in the run (path order)
    path: str
    status: str
    severities: dict[str, int]  # its own findings, counted by severity
    record: Record


@dataclass(slots=True)
class SeriesLine:
    """A report's cross-year findings: one `{"record": "series"}` line."""

    index: int
    path: str
    agency: str | None
    year: int | None
    previous: str
    violations: list[Finding]
    template: int | None = None  # (for the csv rows; not in the jsonl line)
    format: str | None = None

    def to_json(self) -> dict:
        return {
            "record": "series",
            "path": self.path,
            "agency": self.agency,
            "year": self.year,
            "previous": self.previous,
            "violations": [f.to_json() for f in self.violations],
        }


@dataclass(slots=True)
class Note:
    """Something about the series that is no finding: a duplicate, a gap, what could not be paired."""

    kind: str  # duplicate | conflict | ambiguous | gap
    agency: str
    paths: list[str]
    years: list[int] = field(default_factory=list)
    others: list[str] = field(default_factory=list)  # ambiguous: the agencies the name could be

    def message(self) -> str:
        paths = ", ".join(self.paths[:SHOWN_PATHS])
        if len(self.paths) > SHOWN_PATHS:
            paths = _("{paths} and {more} more").format(paths=paths, more=len(self.paths) - SHOWN_PATHS)
        years = ", ".join(str(y) for y in self.years)
        if self.kind == "duplicate":
            return _("{agency} {years}: {paths} are the same report").format(agency=self.agency, years=years, paths=paths)
        if self.kind == "conflict":
            return _("{agency} {years}: {paths} are different reports for one year; that year is not compared "
                     "with the years around it").format(agency=self.agency, years=years, paths=paths)
        if self.kind == "ambiguous":
            return _("{agency} could be any of {others}; {paths} not paired with other years").format(
                agency=self.agency, others=", ".join(self.others), paths=paths)
        return _("{agency}: no report for {years} (a gap in the series)").format(agency=self.agency, years=years)

    def to_json(self) -> dict:
        out: dict = {"kind": self.kind, "agency": self.agency, "paths": self.paths}
        if self.years:
            out["years"] = self.years
        if self.others:
            out["others"] = self.others
        out["message"] = self.message()
        return out


@dataclass(slots=True)
class Agency:
    """One agency's reports, each year's copies of one report together."""

    name: str  # the longest name it goes by
    years: dict[int, list[int]]  # year -> entries (same report; or, in a conflict, different ones)
    conflicts: set[int] = field(default_factory=set)  # years with different reports


class Collector:
    """Gathers records as results arrive; `finish()` pairs them and runs the series checks."""

    def __init__(self, only: Collection[str] | None = None, spill: bool = True) -> None:
        """`spill`: keep the records in a temporary file (flat memory); False keeps them in a
        list, for a caller that holds every report's record anyway (the inspector)."""
        self.only = only
        self._spill = tempfile.TemporaryFile(prefix="gikr-series-") if spill else None
        self._held: list[Stored] = []
        self._index = array("q")  # per entry: arrival, name id, year, offset, size
        self._names: dict[str, int] = {}
        self._end = 0
        self.errors: list = []  # Msg: a series check that failed
        self._agencies: list[Agency] | None = None
        self._mapping: dict[str, str] = {}
        self._duplicates: set[int] = set()  # entries that repeat an earlier file's report
        self.notes: list[Note] = []

    # --- gathering ----------------------------------------------------------------

    def add(self, index: int, result: Any) -> None:
        """`result` (a Result or its brief) of the run's `index`-th file."""
        record: Record | None = getattr(result, "record", None)
        if record is None:
            return
        counts: dict[str, int] = {}
        for f in result.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        stored = Stored(index, result.path, result.status, counts, record)
        if self._spill is None:
            offset, size = len(self._held), 0
            self._held.append(stored)
        else:
            # not compressed: zlib would cost a fifth of what the main process spends on a cached file
            blob = pickle.dumps(stored, pickle.HIGHEST_PROTOCOL)
            self._spill.seek(self._end)
            self._spill.write(blob)
            offset, size = self._end, len(blob)
            self._end += size
        name = names.normalise(record.agency) if record.agency else ""
        name_id = self._names.setdefault(name, len(self._names)) if name else _NO_NAME
        self._index.extend((index, name_id, record.year or 0, offset, size))

    def __len__(self) -> int:
        return len(self._index) // 5

    def load(self, entry: int) -> Stored:
        base = entry * 5
        offset, size = self._index[base + 3], self._index[base + 4]
        if self._spill is None:
            return self._held[offset]
        self._spill.seek(offset)
        return pickle.loads(self._spill.read(size))

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()

    def __enter__(self) -> "Collector":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- agencies --------------------------------------------------------------------

    def agencies(self) -> list[Agency]:
        """The run's agencies (each with its reports by year), once the run is over; notes made on the way."""
        if self._agencies is not None:
            return self._agencies
        by_id = {i: n for n, i in self._names.items()}
        self._mapping, ambiguous = names.group(list(self._names))
        mapping = self._mapping
        groups: dict[str, dict[int, list[int]]] = {}
        blocked: dict[str, list[int]] = {}
        for entry in range(len(self)):
            base = entry * 5
            name_id, year = self._index[base + 1], self._index[base + 2]
            if name_id == _NO_NAME or not year:
                continue
            name = by_id[name_id]
            canonical = mapping.get(name)
            if canonical is None:
                blocked.setdefault(name, []).append(entry)
                continue
            groups.setdefault(canonical, {}).setdefault(year, []).append(entry)
        others = dict(ambiguous)
        for name, entries in sorted(blocked.items()):
            self.notes.append(Note("ambiguous", name, [self.load(e).path for e in entries], others=others[name]))
        agencies = []
        for canonical in sorted(groups):
            agency = Agency(canonical, dict(sorted(groups[canonical].items())))
            for year, entries in agency.years.items():
                if len(entries) > 1:
                    self._same_year(agency, year, entries)
            present = list(agency.years)
            missing = [y for a, b in zip(present, present[1:]) for y in range(a + 1, b)]
            if missing:
                self.notes.append(Note("gap", canonical, [], missing))
            agencies.append(agency)
        self._agencies = agencies
        return agencies

    def _same_year(self, agency: Agency, year: int, entries: list[int]) -> None:
        stored = [self.load(e) for e in entries]
        first = stored[0]
        if all(_same_report(first.record, s.record) for s in stored[1:]):
            self.notes.append(Note("duplicate", agency.name, [s.path for s in stored], [year]))
            self._duplicates.update(entries[1:])
        else:
            agency.conflicts.add(year)
            self.notes.append(Note("conflict", agency.name, [s.path for s in stored], [year]))

    def entries(self) -> Iterator[tuple[Stored, str | None, bool]]:
        """Every report in the run's order: (what was stored, its agency, whether totals count it).

        The agency is the name its series goes by (a name that fits several
        agencies stands alone); a second file of one report is not counted.
        """
        self.agencies()
        by_id = {i: n for n, i in self._names.items()}
        for entry in range(len(self)):
            name_id = self._index[entry * 5 + 1]
            name = by_id.get(name_id)
            agency = self._mapping.get(name, name) if name else None
            yield self.load(entry), agency, entry not in self._duplicates

    @property
    def series(self) -> int:
        """Agencies with reports for two or more years."""
        return sum(len(a.years) >= 2 for a in self.agencies())

    # --- the checks ---------------------------------------------------------------------

    def finish(self) -> list[SeriesLine]:
        """Every report's cross-year findings, in the run's order."""
        lines: list[SeriesLine] = []
        for agency in self.agencies():
            loaded: dict[int, Stored] = {}  # each report read back once

            def get(entry: int) -> Stored:
                if entry not in loaded:
                    loaded[entry] = self.load(entry)
                return loaded[entry]

            for entry, before in _pairs(agency):
                now, previous = get(entry), get(before)
                pair = series_checks.Pair(now.record, previous.record, previous.path)
                found = series_checks.run(pair, self.only, self.errors)
                if found:
                    rec = now.record
                    lines.append(SeriesLine(now.index, now.path, rec.agency, rec.year, previous.path, found, rec.template, rec.format))
        lines.sort(key=lambda line: line.index)
        return lines

    # --- one report's pair ------------------------------------------------------------

    def previous(self, index: int) -> tuple[Stored | None, str]:
        """The report the series checks hold the run's `index`-th report against (its agency's
        report of the year before), and why there is none: `paired`, or `unread` (no record),
        `unnamed` (no agency or no year stated), `ambiguous` (a name several agencies fit),
        `conflict` (two different reports for that year or the year before), `first` (no
        report of the year before)."""
        entry = next((e for e in range(len(self)) if self._index[e * 5] == index), None)
        if entry is None:
            return None, "unread"
        base = entry * 5
        if self._index[base + 1] == _NO_NAME or not self._index[base + 2]:
            return None, "unnamed"
        for agency in self.agencies():
            year = self._index[base + 2]
            if entry not in agency.years.get(year, ()):
                continue
            for now, before in _pairs(agency):
                if now == entry:
                    return self.load(before), "paired"
            conflict = year in agency.conflicts or (year - 1) in agency.conflicts
            return None, "conflict" if conflict else "first"
        return None, "ambiguous"


def _pairs(agency: Agency) -> Iterator[tuple[int, int]]:
    """(entry, the entry it is held against) for each report of an agency that has a previous
    year: the first file of that year's report; no pair across a year with different reports."""
    for year, entries in agency.years.items():
        before = agency.years.get(year - 1)
        if before is None or year in agency.conflicts or (year - 1) in agency.conflicts:
            continue
        for entry in entries:
            yield entry, before[0]


def _same_report(a: Record, b: Record) -> bool:
    """Two files of one agency and year hold the same report: tables 3 and 4 alike, prose at least 90 % the same."""
    if a.digest != b.digest:
        return False
    from .similarity import THRESHOLD, similarity  # (rapidfuzz: loaded only when there is text to compare)

    return similarity(a.text, b.text) >= THRESHOLD
