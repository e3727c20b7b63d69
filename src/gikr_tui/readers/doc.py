"""Legacy Word (.doc) reports, converted to DOCX by LibreOffice and read as such.

The conversion runs in a private temporary directory: the report's bytes are
written there, never next to the report, and LibreOffice gets a profile of its
own so concurrent conversions (the process pool, a second gikr) do not fight
over the user's profile lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import procs
from ..errors import ReportError, TimeLimit, system_error
from ..msg import msg
from ..model import Document
from .docx import OLE2, read_docx

# LibreOffice's cold start takes a few seconds; a report that converts for a
# minute is stuck, not slow.
CONVERT_TIMEOUT = 60.0


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(data: bytes, path: str | Path | None = None) -> Document:
    if data[:8] != OLE2:
        if data[:4] == b"PK\x03\x04":
            return _as_docx(read_docx(data), "doc")  # a .docx saved under the old name
        # RTF saved as .doc is common and LibreOffice converts it the same way
        if not data.lstrip()[:5] == b"{\\rtf":
            raise ReportError(msg("not a Word .doc file (no OLE2 signature)"))
    exe = soffice()
    if exe is None:
        raise ReportError(msg("legacy .doc needs LibreOffice (soffice), which is not installed"))
    with tempfile.TemporaryDirectory(prefix="gikr-doc-") as tmp:
        src = Path(tmp, "report.doc")
        src.write_bytes(data)
        out = Path(tmp, "out")
        profile = Path(tmp, "profile").as_uri()
        cmd = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(src),
        ]
        def start() -> subprocess.Popen:
            # A session of its own, so that ending it ends soffice.bin too, not
            # just its launcher; and the launcher dies with this process.
            try:
                return subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env={**os.environ, "HOME": tmp},
                    start_new_session=True,
                    preexec_fn=procs.preexec,  # noqa: PLW1509 - workers are single-threaded
                )
            except OSError as e:
                raise ReportError(msg("could not run LibreOffice: {error}", error=system_error(e))) from None

        with procs.helper(start) as proc:
            try:
                stdout, stderr = proc.communicate(timeout=CONVERT_TIMEOUT)
            except subprocess.TimeoutExpired:
                _kill_group(proc)
                raise TimeLimit(msg("LibreOffice did not convert the .doc within {seconds} s",
                                    seconds=f"{CONVERT_TIMEOUT:.0f}")) from None
            except BaseException:
                _kill_group(proc)  # interrupted (the file's time limit, Ctrl-C): leave no soffice behind
                raise
        made = out / "report.docx"
        if proc.returncode != 0 or not made.exists():
            detail = (stderr or stdout or b"").decode("utf-8", "replace").strip().splitlines()
            if detail and "could not be loaded" in detail[-1]:  # its word for a file it cannot open
                raise ReportError(msg("LibreOffice could not open this .doc (it may be damaged)"))
            if detail:  # LibreOffice's own words, quoted
                raise ReportError(msg("LibreOffice could not convert this .doc: {detail}", detail=detail[-1][:120]))
            raise ReportError(msg("LibreOffice could not convert this .doc"))
        converted = made.read_bytes()
    return _as_docx(read_docx(converted), "doc")


def _kill_group(proc: subprocess.Popen) -> None:
    procs.kill_group(proc.pid)
    proc.wait()


def _as_docx(doc: Document, fmt: str) -> Document:
    doc.format = fmt
    return doc
