"""A report never makes gikr open a path it names: DTDs and external entities in XML and HTML.

Each hostile entity points at a FIFO the test creates.  Opening a FIFO for
reading blocks until a writer comes, so a watcher thread that keeps trying a
non-blocking write-open sees every open (and then lets it finish, so a failing
test fails instead of hanging).
"""

from __future__ import annotations

import codecs
import io
import os
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest

from gikr_tui.errors import Refused, ReportError
from gikr_tui.pipeline import check_file
from gikr_tui.readers import ooxml_zip, safe_xml
from gikr_tui.readers.docx import read_docx
from gikr_tui.readers.html import read_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
# body paragraphs use heading styles and Word's list numbering: styles.xml
# (350 KB, read in fragments) and numbering.xml are both parsed
STYLED = FIXTURES / "docx" / "2021-style-numbered.docx"
HTML_PAGE = FIXTURES / "html" / "gov-site-gbk.html"


class FifoWatch:
    """A FIFO, and whether anyone opened it for reading while the watch was on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.opened = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: nobody has it open for reading
                time.sleep(0.001)
                continue
            self.opened = True
            os.close(fd)  # the reader gets end of file and goes on

    def __enter__(self) -> FifoWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture
def trap(tmp_path):
    with FifoWatch(tmp_path / "trap") as watch:
        yield watch


def _doctypes(target: Path) -> dict[str, str]:
    url = target.as_uri()
    return {
        "parameter entity": f'<!DOCTYPE x [<!ENTITY % z SYSTEM "{url}"> %z;]>',
        "external subset": f'<!DOCTYPE x SYSTEM "{url}">',
        "external entity": f'<!DOCTYPE x [<!ENTITY z SYSTEM "{url}">]>',
    }


def _with_doctype(xml: bytes, doctype: str) -> bytes:
    """The part with `doctype` after its XML declaration (or at its start)."""
    text = xml.decode("utf-8")
    if text.startswith("<?xml"):
        head, rest = text.split("?>", 1)
        return (head + "?>" + doctype + rest).encode("utf-8")
    return (doctype + text).encode("utf-8")


def _parts(path: Path = STYLED) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _with_alt_chunk(parts: dict[str, bytes], payload: bytes) -> dict[str, bytes]:
    """The body replaced by one altChunk holding `payload` (an HTML part)."""
    parts = dict(parts)
    xml = parts["word/document.xml"].decode("utf-8")
    start = xml.index("<w:body>") + len("<w:body>")
    parts["word/document.xml"] = (xml[:start] + '<w:altChunk r:id="rIdChunk1"/>' + xml[xml.index("<w:sectPr"):]).encode()
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    rel = ('<Relationship Id="rIdChunk1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"'
           ' Target="afchunk.htm"/>')
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")
    parts["word/afchunk.htm"] = payload
    return parts


def _small_styles(parts: dict[str, bytes]) -> dict[str, bytes]:
    """styles.xml cut to the styles the body uses, under the size that is parsed whole."""
    from gikr_tui.readers.ooxml_numbering import _FULL_PARSE_BYTES

    data = parts["word/styles.xml"]
    head_end = data.index(b">", data.index(b"<w:styles")) + 1
    styles = [b"<w:style " + s.split(b"</w:style>")[0] + b"</w:style>" for s in data.split(b"<w:style ")[1:]]
    keep = [s for s in styles if b'w:styleId="Heading' in s or b'w:styleId="Normal"' in s or b'w:styleId="1"' in s]
    small = data[:head_end] + b"".join(keep[:12]) + b"</w:styles>"
    assert len(small) < _FULL_PARSE_BYTES
    return {**parts, "word/styles.xml": small}


# (the part the DOCTYPE goes into, how the package is built around it)
PARTS = {
    "_rels/.rels": lambda p: p,
    "word/document.xml": lambda p: p,
    "word/styles.xml": lambda p: p,  # large: parsed in fragments that leave out the prolog
    "word/styles.xml (small)": _small_styles,
    "word/numbering.xml": lambda p: p,
    "word/_rels/document.xml.rels": lambda p: _with_alt_chunk(p, HTML_PAGE.read_bytes()),
}


def test_the_fixture_reads_every_part_the_tests_poison():
    """Without a DOCTYPE, each variant reads, so a refusal below is the DOCTYPE's."""
    for name, build in PARTS.items():
        assert read_docx(_zip(build(_parts()))).blocks, name


@pytest.mark.parametrize("kind", ["parameter entity", "external subset", "external entity"])
@pytest.mark.parametrize("part", sorted(PARTS))
def test_a_doctype_in_any_part_is_refused_without_opening_its_path(part, kind, trap):
    parts = PARTS[part](_parts())
    name = part.split(" ")[0]
    parts[name] = _with_doctype(parts[name], _doctypes(trap.path)[kind])
    started = time.monotonic()
    with pytest.raises(Refused, match=rf"^{name} declares a DTD \(<!DOCTYPE>\), which OOXML parts never do$"):
        read_docx(_zip(parts))
    assert time.monotonic() - started < 2.0
    assert not trap.opened


@pytest.mark.parametrize("before", ["<!-- a comment <w:x> -->", "<?mso-application progid=\"Word.Document\"?>", "\n \t"])
def test_a_doctype_after_comments_or_instructions_is_still_found(before, trap):
    parts = _parts()
    doctype = before + _doctypes(trap.path)["parameter entity"]
    parts["word/document.xml"] = _with_doctype(parts["word/document.xml"], doctype)
    with pytest.raises(Refused, match="declares a DTD"):
        read_docx(_zip(parts))
    assert not trap.opened


def test_doctype_text_inside_the_document_is_no_doctype():
    parts = _parts()
    xml = parts["word/document.xml"].replace(b"<w:body>", b"<w:body><!-- <!DOCTYPE x> -->", 1)
    assert read_docx(_zip({**parts, "word/document.xml": xml})).blocks


def test_the_resolver_refuses_when_the_byte_scan_is_bypassed(monkeypatch, trap):
    """Belt and braces: with the DOCTYPE scan off, libxml2 asks the resolver, which refuses."""
    monkeypatch.setattr(ooxml_zip, "refuse_doctype", lambda data, what: None)
    parts = _parts()
    parts["word/document.xml"] = _with_doctype(parts["word/document.xml"], _doctypes(trap.path)["parameter entity"])
    with pytest.raises(Refused, match=r"^the file points at file://.*trap, which gikr never loads$"):
        read_docx(_zip(parts))
    assert not trap.opened


def test_a_doctype_that_loads_nothing_is_still_refused_after_parsing(monkeypatch):
    monkeypatch.setattr(ooxml_zip, "refuse_doctype", lambda data, what: None)
    parts = _parts()
    parts["word/document.xml"] = _with_doctype(parts["word/document.xml"], "<!DOCTYPE x>")
    with pytest.raises(Refused, match="declares a DTD"):
        read_docx(_zip(parts))


def _declaring(xml: bytes, encoding: str) -> str:
    text = xml.decode("utf-8")
    declared = re.sub(r"encoding=(['\"])UTF-8\1", f'encoding="{encoding}"', text, count=1)
    assert declared != text
    return declared


def _utf16(xml: bytes, bom: bool) -> bytes:
    text = _declaring(xml, "UTF-16")
    return (codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le")


@pytest.mark.parametrize("bom", [True, False])
def test_utf16_parts_read_and_their_doctype_is_seen(bom, trap):
    parts = _parts()
    xml = parts["word/document.xml"]
    assert read_docx(_zip({**parts, "word/document.xml": _utf16(xml, bom)})).blocks
    poisoned = _with_doctype(xml, _doctypes(trap.path)["parameter entity"])
    with pytest.raises(Refused, match="declares a DTD"):
        read_docx(_zip({**parts, "word/document.xml": _utf16(poisoned, bom)}))
    assert not trap.opened


@pytest.mark.parametrize("declared", ["UTF-7", "UTF-32", "cp500", "no-such-codec"])
def test_an_encoding_that_could_hide_a_doctype_is_refused(declared):
    parts = _parts()
    xml = _declaring(parts["word/document.xml"], declared)
    with pytest.raises(Refused, match=rf"^word/document.xml declares the encoding {declared}; OOXML parts are UTF-8 or UTF-16$"):
        read_docx(_zip({**parts, "word/document.xml": xml.encode("utf-8")}))


def test_ucs4_and_ebcdic_parts_are_refused():
    for data in ("<w:document/>".encode("utf-32-be"), "<?xml version='1.0'?><w:document/>".encode("cp500")):
        with pytest.raises(Refused, match="not UTF-8 or UTF-16"):
            read_docx(_zip({**_parts(), "word/document.xml": data}))


def test_gikr_check_gives_one_line_for_the_file(tmp_path, trap):
    parts = _parts()
    parts["word/numbering.xml"] = _with_doctype(parts["word/numbering.xml"], _doctypes(trap.path)["parameter entity"])
    path = tmp_path / "hostile.docx"
    path.write_bytes(_zip(parts))
    result = check_file(path)
    assert (result.status, str(result.error)) == (
        "error", "word/numbering.xml declares a DTD (<!DOCTYPE>), which OOXML parts never do")
    assert not trap.opened


# --- HTML: a DOCTYPE is normal there, and loads nothing ----------------------------------


def _html_with(doctype: str) -> bytes:
    page = HTML_PAGE.read_bytes()
    return doctype.encode() + page[page.index(b"<html"):]


@pytest.mark.parametrize("kind", ["parameter entity", "external subset", "external entity"])
def test_html_pages_never_open_what_their_doctype_names(kind, trap):
    page = _html_with(_doctypes(trap.path)[kind])
    started = time.monotonic()
    assert read_html(page).blocks
    docx = read_docx(_zip(_with_alt_chunk(_parts(), page)))  # a page inside a DOCX too
    assert docx.blocks
    assert time.monotonic() - started < 2.0
    assert not trap.opened


def test_html_parsers_carry_the_refusing_resolver():
    """libxml2's HTML parser loads nothing today; if it ever asks, the answer is no."""
    parser = safe_xml.html_parser()
    with pytest.raises(Refused):
        parser.resolvers.resolve("file:///etc/passwd", None, None)
    with pytest.raises(ReportError):
        safe_xml.xml_parser().resolvers.resolve("file:///etc/passwd", None, None)
