"""Typed errors: each one becomes a single line for the user.

Readers and the interpreter raise these; the CLI and the TUI print
`str(error)` and carry on with the next file.  Anything else escaping a
reader is a bug, reported as one line too (with a traceback under --debug).
"""

from __future__ import annotations


class ReportError(Exception):
    """A file that cannot be read as a report; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message.replace("\n", " ").strip())


class UnsupportedFormat(ReportError):
    pass


class DecodeError(ReportError):
    pass


class BinaryFile(ReportError):
    pass


class NoRequestTable(ReportError):
    def __init__(self, message: str = "no request-handling table found") -> None:
        super().__init__(message)


class LimitExceeded(ReportError):
    """A protective limit was hit; the message names the limit."""


class TimeLimit(ReportError):
    pass


def size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"
