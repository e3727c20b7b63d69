"""A folder of the junk real report folders hold, built in a tmp dir.

`make_broken_folder(tmp_path)` writes one file per kind of breakage next to
one good report (with spaces and Chinese in its name), so a test can check
that every broken file gets its one-line reason while the good one is read
as usual.  `CASES` says which reason each file must get; the CLI tests, the
pipeline tests and the TUI tests all reuse it.

Everything is generated from the repository's own fixtures except the
encrypted PDF (no installed library writes one; see fixtures/broken/README)
and the truncated PDF, cut from ../shared/real/huaian-2024.pdf when present.
"""

from __future__ import annotations

import io
import os
import random
import re
import stat
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_PDF = ROOT.parent / "shared" / "real" / "huaian-2024.pdf"
SEED = ROOT / "fixtures" / "seeds" / "000_8a0178302d297c36.txt"
DOC = ROOT / "fixtures" / "doc" / "2019-template-dashes.doc"
ENCRYPTED_PDF = ROOT / "fixtures" / "broken" / "encrypted.pdf"

GOOD_NAME = "淮安 市 2024 年报告 copy (1).txt"  # spaces, Chinese, brackets: must read as usual


@dataclass(frozen=True)
class Case:
    name: str
    reason: str  # a regex the one-line error must match (re.search)
    owner: str  # whose code gives the reason: pipeline, text, pdf, docx, html


CASES: tuple[Case, ...] = (
    Case("empty.txt", r"^empty file$", "pipeline"),
    Case("empty.pdf", r"^empty file$", "pipeline"),
    Case("empty.docx", r"^empty file$", "pipeline"),
    Case("random bytes.pdf", r"^not a PDF", "pdf"),
    Case("random bytes.docx", r"^not a DOCX \(zip is damaged\)$", "docx"),
    Case("random bytes.html", r".", "html"),  # any one-line reason; lxml reads nearly anything
    Case("plain text named.pdf", r"^not a PDF", "pdf"),
    Case("plain text named.docx", r"^not a DOCX", "docx"),
    Case("truncated.pdf", r"^(truncated|damaged) PDF", "pdf"),
    Case("truncated.docx", r"^not a DOCX \(zip is damaged\)$", "docx"),
    Case("encrypted.pdf", r"^encrypted PDF", "pdf"),
    Case("scanned.pdf", r"^scanned at 72 ppi, too coarse to read by OCR \(it needs at least 100 ppi\)$", "pdf"),
    Case("zip bomb.docx", r"over the decompressed size limit", "docx"),
    Case("zip bomb, lying sizes.docx", r"(over the decompressed size limit|^not a DOCX \(zip is damaged\)$)", "docx"),
    Case("blank.docx", r"^no text in the file$", "pipeline"),
    Case("blank page.html", r"^(no text in the file|not an HTML page)", "html"),
    Case("random bytes.doc", r"^not a Word \.doc file", "doc"),
    Case("truncated.doc", r"^(LibreOffice could not (convert|open)|legacy \.doc needs LibreOffice)", "doc"),
    Case("binary.txt", r"^file is 8\.0 KB of binary data \(it looks like a PNG image; wrong extension\?\)$", "text"),
    Case("noise.txt", r"^file is 8\.0 KB of binary data$", "text"),
    Case("utf16 no tables.txt", r"^no request-handling table found$", "text"),
    Case("one line 4MB.txt", r"^no request-handling table found$", "text"),
    Case("too many rows.txt", r"over the table-row limit of 20000$", "text"),
    Case("huge.txt", r"^file is 65\.0 MB, over the file size limit of 64\.0 MB$", "pipeline"),
    Case("whitespace only.md", r"^no text in the file$", "pipeline"),
    Case("unreadable.txt", r"^permission denied$", "pipeline"),
    Case("loop.txt", r"^symlink loop$", "pipeline"),
    Case("dangling.txt", r"^broken symlink \(its target does not exist\)$", "pipeline"),
    Case("fifo.txt", r"^not a regular file \(a named pipe\)$", "pipeline"),
    Case("device.txt", r"^not a regular file \(a device\)$", "pipeline"),  # -> /dev/zero: endless
)
BY_NAME = {c.name: c for c in CASES}
# under the wrong extension but whole: read by their content, with a note
MISNAMED = {"pdf named.txt": "pdf", "docx named.md": "docx", "web page named.doc": "html"}
# named like a report but a folder: the scanner walks into it, check_file says why
FOLDER_NAME = "report folder.txt"


def can_bypass_permissions() -> bool:
    """True as root (or with CAP_DAC_OVERRIDE), where chmod 000 blocks nothing."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def real_pdf_bytes() -> bytes:
    if SHARED_PDF.exists():
        return SHARED_PDF.read_bytes()
    pdfs = sorted((ROOT / "fixtures" / "pdf").glob("*.pdf"))
    return pdfs[0].read_bytes()


def small_docx_bytes(blank: bool = False) -> bytes:
    """A real DOCX made by python-docx: a heading, a paragraph and a table."""
    import docx

    d = docx.Document()
    if blank:
        out = io.BytesIO()
        d.save(out)
        return out.getvalue()
    d.add_heading("淮安市人民政府2024年政府信息公开工作年度报告", level=1)
    d.add_paragraph("一、总体情况")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = "本年新收政府信息公开申请数量" if c == 0 else str(r * 3 + c)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def image_only_pdf_bytes() -> bytes:
    """A one-page PDF holding only a picture of a page, as a scanner makes."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(img)
    for i in range(12):  # ruled lines and boxes, like a scanned table
        draw.rectangle((60, 120 + i * 40, 560, 150 + i * 40), outline="black")
    draw.text((60, 60), "scanned page", fill="black")
    out = io.BytesIO()
    img.save(out, format="PDF", resolution=72.0)
    return out.getvalue()


def zip_bomb_docx(path: Path, expanded: int = 96 * 1024 * 1024, zip64: bool = True) -> None:
    """A DOCX-shaped zip whose document.xml expands to `expanded` bytes of spaces."""
    head = b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=zip64) as fh:
            fh.write(head)
            written = len(head)
            while written < expanded:
                fh.write(chunk)
                written += len(chunk)
            fh.write(b"</w:body></w:document>")


def lying_zip_bomb_docx(path: Path, expanded: int = 96 * 1024 * 1024) -> None:
    """The same bomb, but its zip directory claims document.xml is 1 KB."""
    import struct

    zip_bomb_docx(path, expanded, zip64=False)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
    # uncompressed size: offset 22 in the local header, 24 in the central directory entry
    struct.pack_into("<I", data, info.header_offset + 22, 1024)
    central = data.rindex(b"word/document.xml") - 46  # the name follows the entry's 46-byte head
    assert data[central: central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, central + 24, 1024)
    path.write_bytes(bytes(data))


def make_broken_folder(tmp_path: Path) -> Path:
    """Write the broken folder under `tmp_path` and return it."""
    folder = Path(tmp_path) / "broken reports 年报"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)
    noise = bytes(rng.getrandbits(8) for _ in range(8192))

    def put(name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)

    seed_text = SEED.read_bytes()
    pdf = real_pdf_bytes()
    docx_bytes = small_docx_bytes()

    put(GOOD_NAME, seed_text)
    put("empty.txt", b"")
    put("empty.pdf", b"")
    put("empty.docx", b"")
    put("random bytes.pdf", noise)
    put("random bytes.docx", noise)
    put("random bytes.html", noise)
    put("plain text named.pdf", seed_text)
    put("plain text named.docx", seed_text)
    put("truncated.pdf", pdf[: len(pdf) * 2 // 5])
    put("truncated.docx", docx_bytes[: len(docx_bytes) // 2])
    put("encrypted.pdf", ENCRYPTED_PDF.read_bytes())
    put("scanned.pdf", image_only_pdf_bytes())
    zip_bomb_docx(folder / "zip bomb.docx")
    lying_zip_bomb_docx(folder / "zip bomb, lying sizes.docx")
    put("blank.docx", small_docx_bytes(blank=True))
    put("blank page.html", b"<!DOCTYPE html><html><head><title></title></head><body></body></html>")
    put("random bytes.doc", noise)
    # an OLE2 header with most of the file missing: LibreOffice gets to try
    put("truncated.doc", DOC.read_bytes()[:4096] if DOC.exists() else b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + noise)
    put("binary.txt", b"\x89PNG\r\n\x1a\n" + noise)
    put("noise.txt", noise)
    put("pdf named.txt", pdf)
    put("docx named.md", docx_bytes)
    put("web page named.doc", (ROOT / "fixtures" / "html").joinpath(sorted(p.name for p in (ROOT / "fixtures" / "html").glob("*.html"))[0]).read_bytes())
    prose = "本机关坚持以公开为常态、不公开为例外，持续深化政务公开。\n" * 40
    put("utf16 no tables.txt", prose.encode("utf-16"))
    line = "政府信息公开工作年度报告总体情况主动公开依申请公开" * 60000
    put("one line 4MB.txt", line.encode("utf-8")[: 4 * 1024 * 1024 // 3 * 3])
    put("too many rows.txt", "".join(f"第{i}行\t{i}\t{i}\n" for i in range(25000)).encode())
    with open(folder / "huge.txt", "wb") as fh:  # sparse: 65 MB on paper, nothing on disk
        fh.truncate(65 * 1024 * 1024)
    put("whitespace only.md", b"  \n\t\n   \r\n" * 100)
    put("unreadable.txt", seed_text)
    os.chmod(folder / "unreadable.txt", 0)
    os.symlink("loop.txt", folder / "loop.txt")
    os.symlink("no such report.txt", folder / "dangling.txt")
    os.mkfifo(folder / "fifo.txt")
    os.symlink("/dev/zero", folder / "device.txt")
    (folder / FOLDER_NAME).mkdir()
    return folder


def aged(folder: Path, seconds: float = 60) -> Path:
    """Date every entry of `folder` back (a link itself, never what it points to): a file written
    moments ago is not cached yet, and a run over the folder is to leave the next its results."""
    from gikr_tui import cache

    past = time.time() - seconds
    for entry in folder.iterdir():
        os.utime(entry, (past, past), follow_symlinks=False)
    # setting a time stamps the ctime with now, which the cache trusts a few clock ticks later
    ctime = max(entry.lstat().st_ctime_ns for entry in folder.iterdir())
    wait = (ctime + cache.RACY_CTIME_NS - time.time_ns()) / 1e9
    if wait > 0:
        time.sleep(wait)
    return folder


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under `folder` (links not followed): type, size, mtime, content hash."""
    import hashlib

    out: dict[str, tuple] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = os.lstat(p)
            digest = None
            if stat.S_ISREG(st.st_mode):
                try:
                    with open(p, "rb") as fh:
                        digest = hashlib.file_digest(fh, "sha256").hexdigest()
                except PermissionError:
                    digest = "unreadable"
            elif stat.S_ISLNK(st.st_mode):
                digest = os.readlink(p)
            out[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), st.st_size, st.st_mtime_ns, digest)
    return out


def matches(case: Case, error: str | None) -> bool:
    return error is not None and re.search(case.reason, error) is not None
