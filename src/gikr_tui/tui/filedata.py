"""What the summary and compare screens read of a file, in one place.

The summary and the pairing of reports into series need only a file's brief:
its status, its findings and the compact series record (agency, year, the key
figures, the text the similarity compares), never its tables.  A comparison
needs the whole report.  These two accessors are the only code of the screens
that knows where a FileState keeps either, so when it keeps a brief and loads
the report on open, only they change.

The files are taken as published: edits are what-ifs of the grid and do not
count in the summary or a comparison, as they do not in an export.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..pipeline import Result
from ..series.collect import Collector
from ..runner import BRIEF, FULL
from .session import FileState, read_again


def brief(state: FileState | None) -> Result | None:
    """The file's status, findings and series record (None while it is being read).
    A file not open is read again for it, from the cache: the app keeps a summary of each."""
    return _read(state, BRIEF)


def whole(state: FileState | None) -> Result | None:
    """The file's whole result, its report with every table and its prose (None while it is being read).
    Called off the UI thread (a comparison is made in a worker thread): it may take its time."""
    return _read(state, FULL)


def _read(state: FileState | None, need: str) -> Result | None:
    if state is None or state.summary is None:
        return None
    if state.result is not None:
        return state.result
    summary = state.summary
    if summary.status == "error":  # an unreadable file's result is all in its summary
        return Result(state.path, "error", summary.format, error=summary.error)
    outcome = read_again(state.path, summary, state.data, need)
    if outcome is None:
        return None
    return outcome.result() if need == FULL else outcome.brief


def collector(briefs: Iterable[tuple[int, Result]]) -> Collector:
    """The run's reports as the series checks pair them: `briefs` are (place in the folder's
    order, brief).  The records stay in memory: the app holds them anyway."""
    out = Collector(spill=False)
    for index, result in briefs:
        out.add(index, result)
    return out
