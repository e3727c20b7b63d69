"""Typed errors: each one becomes a single line for the user.

Readers and the interpreter raise these with a `Msg` (the reason as data);
the result keeps it (`Result.error`), and the CLI and the TUI show it in the
language in use, then carry on with the next file.  Anything else escaping a
reader is a bug, reported as one line too (with a traceback under --debug).
"""

from __future__ import annotations

from .msg import MAX_MESSAGE, Msg, msg, one_line  # noqa: F401  (one_line, MAX_MESSAGE: where they were)


def system_error(e: OSError) -> Msg:
    """An error the system reported, by its errno name (the C library's own words are English only)."""
    import errno

    name = errno.errorcode.get(e.errno or 0)
    return msg("system error {name}", name=name) if name else msg("system error ({error})", error=type(e).__name__)


class ReportError(Exception):
    """A file that cannot be read as a report; `msg` says why (one line once rendered)."""

    def __init__(self, message: Msg) -> None:
        if not isinstance(message, Msg):  # a sentence for people is data, rendered where shown
            raise TypeError(f"{type(self).__name__} takes a Msg, not {type(message).__name__}")
        self.msg = message
        super().__init__(message.text)

    def __str__(self) -> str:
        return str(self.msg)


class UnsupportedFormat(ReportError):
    pass


class DecodeError(ReportError):
    pass


class BinaryFile(ReportError):
    pass


class EmptyFile(ReportError):
    def __init__(self, message: Msg | None = None) -> None:
        super().__init__(message or msg("empty file"))


class Unreadable(ReportError):
    """The file system refused: permission, a folder or FIFO, a vanished file, a link loop."""


class DamagedFile(ReportError):
    """The bytes are cut short or corrupt ("truncated PDF", "not a DOCX (zip is damaged)")."""


class Encrypted(ReportError):
    """Password-protected; gikr never asks for or guesses passwords."""


class Refused(ReportError):
    """Markup that would make a parser reach outside the file (a DTD, an external entity)."""


class NoTextLayer(ReportError):
    """Pages that are pictures only (a scan) that OCR cannot or may not read."""


class NoRequestTable(ReportError):
    def __init__(self, message: Msg | None = None) -> None:
        super().__init__(message or msg("no request-handling table found"))


class LimitExceeded(ReportError):
    """A protective limit was hit; the message names the limit."""


class TimeLimit(ReportError):
    pass


def size_text(n: int) -> Msg:
    if n >= 1024**3:
        return msg("{size} GB", size=f"{n / 1024**3:.1f}")
    if n >= 1024 * 1024:
        return msg("{size} MB", size=f"{n / (1024 * 1024):.1f}")
    if n >= 1024:
        return msg("{size} KB", size=f"{n / 1024:.1f}")
    return msg("{size} bytes", size=n)
