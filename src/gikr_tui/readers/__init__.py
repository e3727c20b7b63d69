"""Readers: one per file format, each producing the neutral `Document`.

The heavy libraries (pdfplumber, python-docx, lxml) are imported inside the
reader that needs them, so text-only runs and the TUI's first frame never pay
for them.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import UnsupportedFormat
from ..model import Document
from ..msg import msg

# suffix -> format name, the formats `gikr check` and the file pane list
FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".doc": "doc",
}


def format_of(path: str | Path) -> str | None:
    name = os.fspath(path)
    if isinstance(name, str):
        # Path(path).suffix without making a Path (a few microseconds, for each of
        # 10,000 files on the inspector's thread): the last name's text from its last dot
        base = name[name.rfind(os.sep) + 1:] if os.altsep is None else os.path.basename(name)
        if base not in ("", ".", ".."):
            dot = base.rfind(".")
            return FORMATS.get(base[dot:].lower()) if 0 < dot < len(base) - 1 else None
    return FORMATS.get(Path(path).suffix.lower())


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, fmt: str) -> str:
    """The format the bytes say they are, where that differs from the name's.

    Sites serve PDFs as .doc, Word saves web pages as .doc, downloads lose
    their extension: a report is read by what it is, and a note says so.
    """
    head = data[:1024]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and fmt != "docx" and b"word/" in data[:65536]:
        return "docx"
    if head.startswith(_OLE) and fmt != "doc":
        return "doc"
    if fmt in ("doc", "text", "markdown"):
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith((b"<!doctype html", b"<html")):
            return "html"
    return fmt


def read_bytes(data: bytes, fmt: str, path: str | Path | None = None) -> Document:
    """Parse a file's bytes; `path` is only used by readers that need a file."""
    if fmt in ("text", "markdown"):
        from .text import read_text

        return read_text(data, fmt)
    try:
        if fmt == "docx":
            from .docx import read_docx as reader
        elif fmt == "pdf":
            from .pdf import read_pdf as reader
        elif fmt == "html":
            from .html import read_html

            return read_html(data, path)
        elif fmt == "doc":
            from .doc import read_doc

            return read_doc(data, path)
        else:
            raise UnsupportedFormat(msg("{format} files are not supported", format=fmt))
    except ImportError:
        raise UnsupportedFormat(msg("{format} files are not supported yet", format=fmt)) from None
    return reader(data)
