"""Typed messages the workers post back to the app (never shared state)."""

from __future__ import annotations

from textual.message import Message

from ..pipeline import Result
from ..scan import ScanProblem
from .parsing import Read


class FolderScanned(Message):
    def __init__(self, paths: list[str], problems: list[ScanProblem], real: dict[str, str]) -> None:
        super().__init__()
        self.paths = paths
        self.problems = problems
        self.real = real  # real path -> the path found, for the paths that differ


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
