"""Typed errors: each one becomes a single line for the user.

Readers and the interpreter raise these; the CLI and the TUI print
`str(error)` and carry on with the next file.  Anything else escaping a
reader is a bug, reported as one line too (with a traceback under --debug).
"""

from __future__ import annotations

# A reason is shown in a table cell and the TUI's file pane: keep it short.
MAX_MESSAGE = 200


def one_line(message: str) -> str:
    """Collapse any whitespace run (newlines included) and cap the length."""
    line = " ".join(str(message).split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


class ReportError(Exception):
    """A file that cannot be read as a report; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class UnsupportedFormat(ReportError):
    pass


class DecodeError(ReportError):
    pass


class BinaryFile(ReportError):
    pass


class EmptyFile(ReportError):
    def __init__(self, message: str = "empty file") -> None:
        super().__init__(message)


class Unreadable(ReportError):
    """The file system refused: permission, a folder or FIFO, a vanished file, a link loop."""


class DamagedFile(ReportError):
    """The bytes are cut short or corrupt ("truncated PDF", "not a DOCX (zip is damaged)")."""


class Encrypted(ReportError):
    """Password-protected; gikr never asks for or guesses passwords."""


class Refused(ReportError):
    """Markup that would make a parser reach outside the file (a DTD, an external entity)."""


class NoTextLayer(ReportError):
    """Pages that are pictures only (a scan); gikr does not do OCR."""


class NoRequestTable(ReportError):
    def __init__(self, message: str = "no request-handling table found") -> None:
        super().__init__(message)


class LimitExceeded(ReportError):
    """A protective limit was hit; the message names the limit."""


class TimeLimit(ReportError):
    pass


def size_text(n: int) -> str:
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"
