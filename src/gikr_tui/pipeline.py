"""One file in, one result out: read, interpret, check.

This is the single code path behind `gikr check` and the TUI's workers.  It
never raises for a bad file: every failure becomes `Result.error`, one line.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LimitExceeded, ReportError, UnsupportedFormat, size_text
from .interpret import interpret
from .model import Report
from .readers import format_of, read_bytes
from .rules import Finding, check

MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(slots=True)
class Result:
    path: str
    status: str  # ok | violations | error
    format: str | None = None
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    debug: str | None = None  # a traceback, for --debug only


def read_report(path: str | Path) -> Report:
    """Read and interpret one file, or raise a ReportError."""
    fmt = format_of(path)
    if fmt is None:
        raise UnsupportedFormat(f"not a report format gikr reads ({Path(path).suffix or 'no extension'})")
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise LimitExceeded(f"file is {size_text(size)}, over the file size limit of {size_text(MAX_FILE_BYTES)}")
        with open(path, "rb") as fh:  # read-only, always
            data = fh.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise ReportError("is a folder") from None
    except PermissionError:
        raise ReportError("permission denied") from None
    except FileNotFoundError:
        raise ReportError("file disappeared before it could be read") from None
    except OSError as e:
        raise ReportError(e.strerror or "cannot read file") from None
    if not data:
        raise ReportError("empty file")
    return interpret(read_bytes(data, fmt, path))


def result_for(path: str | Path, report: Report) -> Result:
    findings = check(report)
    return Result(str(path), "violations" if findings else "ok", report.format, report, findings)


def check_file(path: str | Path) -> Result:
    try:
        return result_for(path, read_report(path))
    except ReportError as e:
        return Result(str(path), "error", format_of(path), error=str(e))
    except MemoryError:
        return Result(str(path), "error", format_of(path), error="out of memory reading this file")
    except Exception as e:  # a reader bug must not stop the folder
        line = f"internal error: {type(e).__name__}: {e}".splitlines()[0][:200]
        return Result(str(path), "error", format_of(path), error=line, debug=traceback.format_exc())
