"""Typed messages the workers post back to the app (never shared state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from ..pipeline import Result
from ..scan import ScanProblem
from .parsing import Read

if TYPE_CHECKING:
    from .components.files import Rows
    from .session import FileState


class FolderScanned(Message):
    def __init__(self, paths: list[str], problems: list[ScanProblem], real: dict[str, str],
                 states: dict[str, FileState], formats: set[str], listing: Rows) -> None:
        super().__init__()
        self.paths = paths
        self.problems = problems
        self.real = real  # real path -> the path found, for the paths that differ
        # Made where the folder was listed, off the app's thread (for 10,000 files they cost the
        # keys typed meanwhile ~100 ms): a fresh state for each path, the formats found, and the
        # Files pane's rows and counts for these states, by name.
        self.states = states
        self.formats = formats
        self.listing = listing


class ReportsRead(Message):
    """Files read (from the cache, or by the workers): each one's summary."""

    def __init__(self, reads: list[Read]) -> None:
        super().__init__()
        self.reads = reads


class ReportLoaded(Message):
    """The whole result of a file opened (None: it is being read again), for the state's `generation`."""

    def __init__(self, path: str, generation: int, result: Result | None, error: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.generation = generation
        self.result = result
        self.error = error


class FilesChanged(Message):
    """Report files that changed, appeared or vanished on disk."""

    def __init__(self, changed: set[str], added: set[str]) -> None:
        super().__init__()
        self.changed = changed
        self.added = added


class CacheNotice(Message):
    """A one-line notice from the result cache (damaged and rebuilt, locked, unusable)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ReportProgress(Message):
    """A worker has read `done` of the `total` pages it reads by OCR in a file."""

    def __init__(self, path: str, done: int, total: int) -> None:
        super().__init__()
        self.path = path
        self.done = done
        self.total = total
