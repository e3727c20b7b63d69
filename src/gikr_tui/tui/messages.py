"""Typed messages the workers post back to the app (never shared state)."""

from __future__ import annotations

from textual.message import Message

from ..pipeline import Result
from ..scan import ScanProblem


class FolderScanned(Message):
    def __init__(self, paths: list[str], problems: list[ScanProblem]) -> None:
        super().__init__()
        self.paths = paths
        self.problems = problems


class ReportParsed(Message):
    def __init__(self, path: str, result: Result) -> None:
        super().__init__()
        self.path = path
        self.result = result


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
