"""Word (.docx) reports: the body's paragraphs and tables, merges expanded.

The XML is read directly with lxml: python-docx's `cell.text` walks merged
tables cell by cell and costs tens of milliseconds a report.

Only the body of word/document.xml is report content.  Headers, footers and
text boxes (w:txbxContent, whether in a drawing or in an mc:Fallback copy of
it) are not, and deleted revisions are not text at all.

Merged cells:
* a horizontal merge (gridSpan) stays one Cell with `colspan`, and
  `origin.col` is its first grid column.  Padding it with blank cells would
  give rows more value cells than the template has columns, and the
  interpreter places values by count;
* a vertical merge (vMerge) continues into the rows below, where Word writes
  an empty continuation cell.  A merged *label* is repeated there, so every row
  carries its own group label (（三）不予公开 on each of its eight rows).  A
  merged *value* (a number or a dash) appears once, in the first row, and the
  continuation cells stay blank: repeating it would count it once per row.
"""

from __future__ import annotations

import codecs
import posixpath
import re
from dataclasses import replace

from ..errors import DamagedFile, Encrypted, LimitExceeded, Refused, ReportError
from ..model import Cell, Document, Origin, Paragraph, Table
from ..msg import msg
from ..values import place_kind
from .ooxml_numbering import Numbering, parse_numbering, parse_styles, style_roots
from .ooxml_zip import Package, parse_xml
from .safe_xml import refuse_doctype

W_MAIN = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL_DOC = "/officeDocument"

# A report's tables hold a few hundred cells; this bounds a crafted file.
MAX_CELLS = 200_000

_CJK_END = "、，,.．）)]】:："


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_docx(data: bytes) -> Document:
    if data[:8] == OLE2:
        # not a zip: a password-protected DOCX, or a legacy .doc renamed .docx
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise Encrypted(msg("DOCX is password-protected"))
        from .doc import read_doc

        return read_doc(data)
    pkg = Package(data, "DOCX")
    name = _main_part(pkg)
    if name is None:
        raise DamagedFile(msg("not a DOCX (no word/document.xml)"))
    xml = pkg.read(name)
    root = parse_xml(xml, "word/document.xml")
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else W_MAIN
    if ns not in (W_MAIN, W_STRICT):
        raise DamagedFile(msg("not a DOCX (word/document.xml is not a Word document)"))
    body = root.find(ns + "body")
    if body is None:
        raise DamagedFile(msg("not a DOCX (word/document.xml has no body)"))
    folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
    numbering = Numbering()
    # styles and numbering are read only as far as the body uses them
    used: set[str] = set()
    direct = False
    for el in body.iter(ns + "pStyle", ns + "numPr"):
        if el.tag == ns + "numPr":
            direct = True
        elif v := el.get(ns + "val"):
            used.add(v)
    if used and pkg.has(folder + "styles.xml"):
        styles = pkg.read(folder + "styles.xml")
        refuse_doctype(styles, "word/styles.xml")  # a large file is parsed in fragments, without its prolog
        roots = style_roots(styles, used, ns, lambda b: parse_xml(b, "word/styles.xml"))
        parse_styles(roots, ns, numbering)
    if (direct or numbering.style_num) and pkg.has(folder + "numbering.xml"):
        parse_numbering(parse_xml(pkg.read(folder + "numbering.xml"), "word/numbering.xml"), ns, numbering)
    # a scan of the bytes is much cheaper than walking the tree for elements most files lack
    prune = any(mark in xml for mark in (b"txbxContent", b"Fallback", b"del ", b"del>", b"moveFrom"))
    walker = _Walker(ns, numbering)
    walker.nested_tables = _has_nested_tables(xml)
    if b"altChunk" in xml:
        walker.alt_chunk = lambda rid: _alt_chunk(pkg, name, rid)
    try:
        return walker.document(body, prune)
    except RecursionError:
        raise LimitExceeded(msg("DOCX nests tables too deeply to read")) from None


def _main_part(pkg: Package) -> str | None:
    """The main document part the package's relationships name."""
    if pkg.has("_rels/.rels"):
        try:
            rels = parse_xml(pkg.read("_rels/.rels", 1024 * 1024), "_rels/.rels")
        except Refused:
            raise
        except ReportError:
            rels = None
        if rels is not None:
            for rel in rels:
                if (rel.get("Type") or "").endswith(_REL_DOC) and rel.get("TargetMode") != "External":
                    target = (rel.get("Target") or "").lstrip("/")
                    if pkg.has(target):
                        return target
    return "word/document.xml" if pkg.has("word/document.xml") else None


class _Walker:
    alt_chunk = None  # rid -> the blocks of an embedded HTML part, when the body has any
    nested_tables = True  # whether any table may hold another

    def __init__(self, ns: str, numbering: Numbering) -> None:
        self.ns = ns
        self.numbering = numbering
        self.P, self.TBL, self.TR, self.TC = ns + "p", ns + "tbl", ns + "tr", ns + "tc"
        self.T, self.TAB, self.BR, self.CR = ns + "t", ns + "tab", ns + "br", ns + "cr"
        self.HYPHEN = ns + "noBreakHyphen"
        self.SDT, self.SDT_CONTENT, self.CUSTOM = ns + "sdt", ns + "sdtContent", ns + "customXml"
        self.TCPR, self.GRIDSPAN, self.VMERGE, self.HMERGE = ns + "tcPr", ns + "gridSpan", ns + "vMerge", ns + "hMerge"
        self.PSTYLE, self.NUMPR, self.NUMID, self.ILVL = ns + "pStyle", ns + "numPr", ns + "numId", ns + "ilvl"
        self.VAL = ns + "val"
        self.ALTCHUNK = ns + "altChunk"
        self.cells = 0
        self.tables = 0
        self.paragraphs = 0

    def document(self, body, prune: bool = True) -> Document:
        ns = self.ns
        # Not report content: text boxes, fallback copies of drawings, deleted
        # and moved-away revisions.  Collected first: removing while iterating
        # would skip siblings.
        drop = list(body.iter(ns + "txbxContent", MC + "Fallback", ns + "del", ns + "moveFrom")) if prune else []
        for el in drop:
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
        blocks: list = []
        self._blocks(body, blocks)
        return Document(blocks, "docx")

    def _children(self, el):
        """Children, looking through content controls and custom XML wrappers."""
        for child in el:
            tag = child.tag
            if tag == self.SDT:
                content = child.find(self.SDT_CONTENT)
                if content is not None:
                    yield from self._children(content)
            elif tag == self.CUSTOM or tag == MC + "AlternateContent" or tag == MC + "Choice":
                yield from self._children(child)
            else:
                yield child

    def _blocks(self, body, out: list) -> None:
        for child in self._children(body):
            if child.tag == self.P:
                self.paragraphs += 1
                text, level = self._paragraph(child)
                text = text.strip()
                if text:
                    out.append(Paragraph(text, Origin(line=self.paragraphs), level))
            elif child.tag == self.ALTCHUNK and self.alt_chunk is not None:
                rid = next((v for k, v in child.attrib.items() if k.endswith("}id")), None)
                for block in self.alt_chunk(rid) if rid else ():
                    if isinstance(block, Table):
                        self.tables += 1
                        block = _renumbered(block, self.tables)
                    out.append(block)
            elif child.tag == self.TBL:
                if self._is_layout(child):
                    # a frame around content (a boxed title, a web page pasted into
                    # Word): its cells' paragraphs and tables are read in order
                    for tr in self._children(child):
                        if tr.tag == self.TR:
                            for tc in self._children(tr):
                                if tc.tag == self.TC:
                                    self._blocks(tc, out)
                    continue
                self.tables += 1
                out.append(self._table(child, self.tables))

    def _is_layout(self, tbl) -> bool:
        """A table holding tables, or a single cell, frames content rather than tabulating it."""
        if self.nested_tables:
            inner = tbl.iter(self.TBL)
            next(inner)  # the table itself
            if next(inner, None) is not None:
                return True
        rows = [tr for tr in self._children(tbl) if tr.tag == self.TR]
        return len(rows) == 1 and sum(1 for tc in self._children(rows[0]) if tc.tag == self.TC) == 1

    # paragraphs ------------------------------------------------------------

    def _paragraph(self, p, in_cell: bool = False) -> tuple[str, int]:
        ns = self.ns
        parts: list[str] = []
        for el in p.iter(self.T, self.TAB, self.BR, self.CR, self.HYPHEN):
            tag = el.tag
            if tag == self.T:
                if el.text:
                    parts.append(el.text)
            elif tag == self.TAB:
                if el.getparent().tag != ns + "tabs":  # a tab stop definition, not a tab
                    parts.append(" " if in_cell else "\t")
            elif tag == self.HYPHEN:
                parts.append("-")
            else:
                parts.append("\n")
        text = "".join(parts)
        level = 0
        num_id: str | None = None
        ilvl: int | None = None
        style: str | None = None
        # lxml's find() parses its path each call; scanning the few children is 3x faster
        ppr = _child(p, ns + "pPr")
        if ppr is not None:
            for el in ppr:
                tag = el.tag
                if tag == self.PSTYLE:
                    style = el.get(self.VAL)
                elif tag == self.NUMPR:
                    for sub in el:
                        if sub.tag == self.NUMID:
                            num_id = sub.get(self.VAL)
                        elif sub.tag == self.ILVL:
                            ilvl = _int(sub.get(self.VAL), 0)
        if style is not None:
            level = self.numbering.style_level.get(style, 0)
            if num_id is None and style in self.numbering.style_num:
                num_id, style_ilvl = self.numbering.style_num[style]
                if ilvl is None:
                    ilvl = style_ilvl
        if num_id is not None and num_id != "0":
            # an empty list paragraph still shows, and uses up, its number
            label = self.numbering.label(num_id, ilvl, style)
            if label:
                body = text.lstrip()
                text = label + ("" if label[-1] in _CJK_END or not body else " ") + body
        return text, level

    # tables ----------------------------------------------------------------

    def _table(self, tbl, index: int) -> Table:
        ns = self.ns
        rows: list[list[Cell]] = []
        open_merges: dict[int, tuple[Cell, bool]] = {}  # grid column -> (cell a vMerge started, is a label)
        for r, tr in enumerate((c for c in self._children(tbl) if c.tag == self.TR), start=1):
            col = 0
            trpr = _child(tr, ns + "trPr")
            if trpr is not None:
                gb = _child(trpr, ns + "gridBefore")
                if gb is not None:
                    col = _int(gb.get(ns + "val"), 0)
            row: list[Cell] = []
            for tc in self._children(tr):
                if tc.tag != self.TC:
                    continue
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise LimitExceeded(msg("DOCX has over {limit} table cells, the limit for one report", limit=MAX_CELLS))
                span, vmerge, hmerge = 1, None, None
                tcpr = _child(tc, self.TCPR)
                if tcpr is not None:
                    for el in tcpr:
                        tag = el.tag
                        if tag == self.GRIDSPAN:
                            span = max(1, min(_int(el.get(self.VAL), 1), 1000))
                        elif tag == self.VMERGE:
                            vmerge = el.get(self.VAL) or "continue"
                        elif tag == self.HMERGE:
                            hmerge = el.get(self.VAL) or "continue"
                if hmerge == "continue" and row:
                    # the legacy horizontal merge older converters write: part of the cell to the left
                    row[-1].colspan += span
                    col += span
                    continue
                origin = Origin(table=index, row=r, col=col + 1)
                start = open_merges.get(col) if vmerge == "continue" else None
                if start is not None:
                    start[0].rowspan += 1
                    # labels repeat into every row they span; values appear once
                    cell = Cell(start[0].text if start[1] else "", origin, colspan=span)
                else:
                    cell = Cell(self._cell_text(tc), origin, colspan=span)
                    if vmerge == "restart":
                        open_merges[col] = (cell, place_kind(cell.text) == "text")
                    else:
                        open_merges.pop(col, None)
                row.append(cell)
                col += span
            rows.append(row)
        return Table(rows, Origin(table=index))

    def _cell_text(self, tc) -> str:
        texts = []
        for p in tc.iter(self.P):
            text = self._paragraph(p, in_cell=True)[0].strip()
            if text:
                texts.append(text)
        return "\n".join(texts)


def _alt_chunk(pkg: Package, main: str, rid: str) -> list:
    """The blocks of an altChunk: HTML (or MHTML) a web-to-Word export embedded whole.

    Such documents hold the entire report in that part and nothing in the body.
    """
    folder, _, base = main.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if not pkg.has(rels_name):
        return []
    rels = parse_xml(pkg.read(rels_name, 4 * 1024 * 1024), rels_name)
    target = next((r.get("Target") for r in rels if r.get("Id") == rid and r.get("TargetMode") != "External"), None)
    if not target:
        return []
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    if not pkg.has(part):
        return []
    data = pkg.read(part)
    if data[:4096].lstrip().lower().startswith((b"mime-version", b"content-")) or part.lower().endswith((".mht", ".mhtml")):
        data = _mhtml_html(data)
        if data is None:
            return []
    elif not part.lower().endswith((".htm", ".html", ".xhtml")) and b"<" not in data[:1024]:
        return []  # plain text or RTF chunks: not handled
    from .html import read_html

    return read_html(data).blocks


def _mhtml_html(data: bytes) -> bytes | None:
    """The HTML part of an MHTML file, as UTF-8 with a BOM so its charset is certain."""
    import email
    import email.policy

    from .html import charset_codec

    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if not isinstance(payload, bytes):
                    return None
                codec = charset_codec(part.get_content_charset() or "")
                if codec:
                    try:
                        return codecs.BOM_UTF8 + payload.decode(codec).encode("utf-8")
                    except UnicodeError:
                        pass
                return payload  # an unknown or lying charset: the HTML reader reads the bytes
    except (ValueError, TypeError, LookupError, UnicodeError, IndexError):
        return None
    return None


def _renumbered(table: Table, index: int) -> Table:
    rows = [[Cell(c.text, replace(c.origin, table=index), c.colspan, c.rowspan) for c in row] for row in table.rows]
    return Table(rows, Origin(table=index))


_TABLE_TAGS = re.compile(rb"<(/?)w:tbl(?=[\s>/])")


def _has_nested_tables(xml: bytes) -> bool:
    """Whether a table opens inside another, from the bytes: searching each
    table's subtree in the tree costs a millisecond a report."""
    if b"<w:tbl" not in xml:
        return b"tbl" in xml  # another prefix, or no tables: let the tree decide
    depth = 0
    for m in _TABLE_TAGS.finditer(xml):
        depth += -1 if m.group(1) else 1
        if depth > 1:
            return True
    return False


def _child(el, tag: str):
    for child in el:
        if child.tag == tag:
            return child
    return None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
