"""One file in, one result out: read, interpret, check.

This is the single code path behind `gikr check` and the TUI's workers.  It
never raises for a bad file: every failure becomes `Result.error`, one line.
Reports are opened read-only and only regular files are read, so a FIFO or
device named `.txt` cannot block a scan.
"""

from __future__ import annotations

import errno
import os
import stat
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import checks
from .checks import Finding
from .errors import (
    EmptyFile,
    LimitExceeded,
    ReportError,
    Unreadable,
    UnsupportedFormat,
    size_text,
    system_error,
)
from .limits import MAX_FILE_BYTES, check_limits
from .model import Document, Note, Report, Table
from .msg import Msg, msg
from .readers import format_of, read_bytes, sniff
from .series.record import Record, record_of

# O_NONBLOCK: opening a FIFO must not wait for a writer; on a regular file
# the flag changes nothing.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1024 * 1024


@dataclass(slots=True)
class Result:
    path: str
    status: str  # ok | violations (an error or a warning found) | error (unreadable); hints alone are ok
    format: str | None = None
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: Msg | None = None  # why the file could not be read, as data (str() says it in the language in use)
    debug: str | None = None  # a traceback, for --debug only
    # what cross-report work needs (series checks, gikr summary): it travels with the brief
    record: Record | None = None


def _not_regular(mode: int) -> Msg:
    if stat.S_ISDIR(mode):
        return msg("is a folder")
    if stat.S_ISFIFO(mode):
        return msg("not a regular file (a named pipe)")
    if stat.S_ISSOCK(mode):
        return msg("not a regular file (a socket)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return msg("not a regular file (a device)")
    return msg("not a regular file")


def _os_reason(path: str | Path, e: OSError) -> Msg:
    """The one-line reason for an OSError met while opening or reading."""
    code = e.errno
    if code in (errno.EACCES, errno.EPERM):
        return msg("permission denied")
    if code == errno.ENOENT:
        if os.path.islink(path):
            return msg("broken symlink (its target does not exist)")
        return msg("file disappeared before it could be read")
    if code == errno.ELOOP:
        return msg("symlink loop")
    if code == errno.EISDIR:
        return msg("is a folder")
    if code == errno.ENAMETOOLONG:
        return msg("file name too long")
    if code == errno.ENXIO:
        return msg("not a regular file")
    if code == errno.EIO:
        return msg("input/output error while reading (failing disk or network share?)")
    return msg("cannot read file: {error}", error=system_error(e))


def read_file_bytes(path: str | Path) -> bytes:
    """A regular file's bytes, read-only, within MAX_FILE_BYTES, or a ReportError."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        raise Unreadable(_os_reason(path, e)) from None
    except ValueError:  # a NUL in the name
        raise Unreadable(msg("invalid file name")) from None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise Unreadable(_not_regular(before.st_mode))
        if before.st_size > MAX_FILE_BYTES:
            raise LimitExceeded(msg("file is {size}, over the file size limit of {limit}",
                                    size=size_text(before.st_size), limit=size_text(MAX_FILE_BYTES)))
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, _CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise LimitExceeded(msg("file grew past the file size limit of {limit} while being read",
                                        limit=size_text(MAX_FILE_BYTES)))
        after = os.fstat(fd)
    except OSError as e:
        raise Unreadable(_os_reason(path, e)) from None
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise Unreadable(msg("file changed while it was being read (still being written?)"))
    if not total:
        raise EmptyFile()
    return b"".join(chunks)


def _has_text(doc: Document) -> bool:
    for block in doc.blocks:
        if isinstance(block, Table):
            if any(cell.text.strip() for row in block.rows for cell in row):
                return True
        elif block.text.strip():
            return True
    return False


def read_document(path: str | Path) -> Document:
    """Read one file into the neutral Document, or raise a ReportError."""
    fmt = format_of(path)
    if fmt is None:
        suffix = Path(path).suffix
        raise UnsupportedFormat(msg("not a report format gikr reads ({suffix})", suffix=suffix) if suffix
                                else msg("not a report format gikr reads (no extension)"))
    data = read_file_bytes(path)
    real = sniff(data, fmt)
    doc = read_bytes(data, real, path)
    if real != fmt:
        doc.named_as = Path(path).suffix.lower()
    if not _has_text(doc):
        raise EmptyFile(msg("no text in the file"))
    check_limits(doc)
    return doc


def read_report(path: str | Path) -> Report:
    """Read and interpret one file, or raise a ReportError."""
    from .interpret import interpret  # (here: a process that only shows results, the inspector, starts without it)

    return interpret(read_document(path))


def result_for(path: str | Path, report: Report) -> Result:
    failures: list[Msg] = []
    findings = checks.run(report, errors=failures)
    # a check's own bug is said once per report, and the other checks' findings stand
    report.notes.extend(Note(line) for line in failures)
    return Result(str(path), checks.status(findings), report.format, report, findings, record=record_of(report))


def check_file(path: str | Path) -> Result:
    try:
        return result_for(path, read_report(path))
    except ReportError as e:
        return Result(str(path), "error", format_of(path), error=e.msg)
    except MemoryError:
        return Result(str(path), "error", format_of(path), error=msg("out of memory reading this file"))
    except RecursionError:
        return Result(str(path), "error", format_of(path), error=msg("document nests too deeply to read"),
                      debug=traceback.format_exc())
    except Exception as e:  # a reader bug must not stop the folder
        return Result(str(path), "error", format_of(path), error=internal_error(e), debug=traceback.format_exc())


def internal_error(e: BaseException) -> Msg:
    """A bug's one line: the exception's own words are Python's (English), kept as they are."""
    return msg("internal error: {error}", error=f"{type(e).__name__}: {e}")
