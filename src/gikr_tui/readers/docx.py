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

from ..errors import LimitExceeded, ReportError
from ..model import Cell, Document, Origin, Paragraph, Table
from ..values import kind
from .ooxml_numbering import Numbering, parse_numbering, parse_styles
from .ooxml_zip import Package, parse_xml

W_MAIN = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_STRICT = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL_DOC = "/officeDocument"

# A report's tables hold a few hundred cells; this bounds a crafted file.
MAX_CELLS = 200_000

_CJK_END = "、，,.．）)]】:："


def read_docx(data: bytes) -> Document:
    pkg = Package(data, "DOCX")
    name = _main_part(pkg)
    if name is None:
        raise ReportError("not a DOCX (no word/document.xml)")
    root = parse_xml(pkg.read(name), "word/document.xml")
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else W_MAIN
    if ns not in (W_MAIN, W_STRICT):
        raise ReportError("not a DOCX (word/document.xml is not a Word document)")
    body = root.find(ns + "body")
    if body is None:
        raise ReportError("not a DOCX (word/document.xml has no body)")
    folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
    numbering = Numbering()
    if pkg.has(folder + "numbering.xml"):
        numbering = parse_numbering(parse_xml(pkg.read(folder + "numbering.xml"), "word/numbering.xml"), ns)
    if pkg.has(folder + "styles.xml"):
        parse_styles(parse_xml(pkg.read(folder + "styles.xml"), "word/styles.xml"), ns, numbering)
    return _Walker(ns, numbering).document(body)


def _main_part(pkg: Package) -> str | None:
    """The main document part the package's relationships name."""
    if pkg.has("_rels/.rels"):
        try:
            rels = parse_xml(pkg.read("_rels/.rels", 1024 * 1024), "_rels/.rels")
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
    def __init__(self, ns: str, numbering: Numbering) -> None:
        self.ns = ns
        self.numbering = numbering
        self.P, self.TBL, self.TR, self.TC = ns + "p", ns + "tbl", ns + "tr", ns + "tc"
        self.T, self.TAB, self.BR, self.CR = ns + "t", ns + "tab", ns + "br", ns + "cr"
        self.HYPHEN = ns + "noBreakHyphen"
        self.SDT, self.SDT_CONTENT, self.CUSTOM = ns + "sdt", ns + "sdtContent", ns + "customXml"
        self.cells = 0
        self.tables = 0
        self.paragraphs = 0

    def document(self, body) -> Document:
        ns = self.ns
        # Not report content: text boxes, fallback copies of drawings, deleted
        # and moved-away revisions.  Collected first: removing while iterating
        # would skip siblings.
        drop = list(body.iter(ns + "txbxContent", MC + "Fallback", ns + "del", ns + "moveFrom"))
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
            elif child.tag == self.TBL:
                self.tables += 1
                out.append(self._table(child, self.tables))

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
        ppr = p.find(ns + "pPr")
        num_id: str | None = None
        ilvl: int | None = None
        style: str | None = None
        if ppr is not None:
            ps = ppr.find(ns + "pStyle")
            if ps is not None:
                style = ps.get(ns + "val")
            numpr = ppr.find(ns + "numPr")
            if numpr is not None:
                nid = numpr.find(ns + "numId")
                il = numpr.find(ns + "ilvl")
                if nid is not None:
                    num_id = nid.get(ns + "val")
                if il is not None:
                    try:
                        ilvl = int(il.get(ns + "val") or 0)
                    except ValueError:
                        ilvl = 0
        if style is not None:
            level = self.numbering.style_level.get(style, 0)
            if num_id is None and style in self.numbering.style_num:
                num_id, style_ilvl = self.numbering.style_num[style]
                if ilvl is None:
                    ilvl = style_ilvl
        if num_id is not None and num_id != "0" and text.strip():
            label = self.numbering.label(num_id, ilvl, style)
            if label:
                body = text.lstrip()
                text = label + ("" if label[-1] in _CJK_END else " ") + body
        return text, level

    # tables ----------------------------------------------------------------

    def _table(self, tbl, index: int) -> Table:
        ns = self.ns
        rows: list[list[Cell]] = []
        open_merges: dict[int, Cell] = {}  # grid column -> the cell a vMerge started
        for r, tr in enumerate((c for c in self._children(tbl) if c.tag == self.TR), start=1):
            col = 0
            trpr = tr.find(ns + "trPr")
            if trpr is not None:
                gb = trpr.find(ns + "gridBefore")
                if gb is not None:
                    col = _int(gb.get(ns + "val"), 0)
            row: list[Cell] = []
            for tc in self._children(tr):
                if tc.tag != self.TC:
                    continue
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise LimitExceeded(f"DOCX has over {MAX_CELLS} table cells, the limit for one report")
                span, vmerge = 1, None
                tcpr = tc.find(ns + "tcPr")
                if tcpr is not None:
                    gs = tcpr.find(ns + "gridSpan")
                    if gs is not None:
                        span = max(1, min(_int(gs.get(ns + "val"), 1), 1000))
                    vm = tcpr.find(ns + "vMerge")
                    if vm is not None:
                        vmerge = vm.get(ns + "val") or "continue"
                origin = Origin(table=index, row=r, col=col + 1)
                start = open_merges.get(col) if vmerge == "continue" else None
                if start is not None:
                    start.rowspan += 1
                    # labels repeat into every row they span; values appear once
                    text = start.text if kind(start.text) == "text" else ""
                    cell = Cell(text, origin, colspan=span)
                else:
                    cell = Cell(self._cell_text(tc), origin, colspan=span)
                    if vmerge == "restart":
                        open_merges[col] = cell
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


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
