"""PDF reports (Word- and WPS-made) into the neutral Document.

Every page's text and ruling lines come from PDFium, which is fast.  Only the
pages whose text names one of the template's tables (本年新收, 行政复议,
信息内容, 第二十条 …) have their ruling read and go through pdfplumber's
table finder; everything else is read as lines and paragraphs.  A table that
runs on over a page break is joined into one, its repeated header rows
dropped and a row the break cut in half rejoined.  Lines whose tab-stop gaps
part label text from numbers are rows of a table drawn without ruling.
Frames around prose (page borders, one-cell boxes, shaded lines) give
paragraphs, not tables.

Every failure of the PDF libraries becomes a ReportError with one line.
"""

from __future__ import annotations

from ..errors import DamagedFile, Encrypted, LimitExceeded, NoTextLayer, ReportError
from ..model import Cell, Document, Origin, Paragraph, Table
from ..msg import msg
from ..values import place_kind
from .pdf_layout import (
    Line,
    confidence,
    Measure,
    drop_running,
    ends_full,
    group_lines,
    join_chars,
    join_lines,
    measure,
    starts_paragraph,
    wide,
)
from .pdf_tables import PageProse, PageTable, build_table, continues, find_cells, merge_continuation

MAX_PAGES = 500
MAX_CHARS = 2_000_000  # characters in the whole document

# Words only the template's tables print: a page holding one of them and
# ruling lines gets the table finder.
TABLE_WORDS = (
    "本年新收", "上年结转", "申请人情况", "予以公开", "不予公开", "无法提供", "不予处理",
    "其他处理", "结转下年度", "转下年度", "行政复议", "行政诉讼", "结果维持", "尚未审结",
    "信息内容", "第二十条", "本年制发件数", "本年新制作数量", "处理决定数量", "收费金额",
    "重复申请", "国家秘密", "不掌握", "公开出版物", "逾期不补正", "收费通知", "总计", "办理结果",
)


def read_pdf(data: bytes) -> Document:
    try:
        return _read(data)
    except ReportError:
        raise
    except MemoryError:
        raise
    except Exception as e:  # pdfium/pdfminer fail in many ways on damaged files
        raise DamagedFile(msg("damaged PDF (cannot be read: {error})", error=type(e).__name__)) from None


def _open(data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    head = data[:1024]
    if b"%PDF" not in head:
        raise DamagedFile(msg("not a PDF (empty)") if not data.strip() else msg("not a PDF (no %PDF header)"))
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == R.FPDF_ERR_PASSWORD:
            raise Encrypted(msg("encrypted PDF (it needs a password to open)")) from None
        if code == R.FPDF_ERR_SECURITY:
            raise Encrypted(msg("encrypted PDF (unsupported security handler)")) from None
        if b"%%EOF" not in data[-2048:]:
            raise DamagedFile(msg("truncated PDF (the end of the file is missing)")) from None
        raise DamagedFile(msg("damaged PDF (cannot be opened)")) from None


def _read(data: bytes) -> Document:
    from .pdf_pdfium import PageData, page_chars, page_edges

    pdf = _open(data)
    try:
        count = len(pdf)
        if count > MAX_PAGES:
            raise LimitExceeded(msg("PDF has {count} pages, over the limit of {limit} pages", count=count, limit=MAX_PAGES))
        if count == 0:
            raise DamagedFile(msg("empty PDF (no pages)"))
        pages: list[PageData] = []
        pictures: list[bool] = []  # whether a page without text shows a picture
        total = 0
        for i in range(count):
            try:
                page = pdf[i]
            except Exception:
                if b"%%EOF" not in data[-2048:]:
                    raise DamagedFile(msg("truncated PDF (page {page} is missing)", page=i + 1)) from None
                raise DamagedFile(msg("damaged PDF (page {page} cannot be read)", page=i + 1)) from None
            try:
                left, bottom, right, top = page.get_mediabox()
                textpage = page.get_textpage()
                chars = page_chars(textpage, left, top)
                textpage.close()
                total += len(chars)
                if total > MAX_CHARS:
                    raise LimitExceeded(msg("PDF holds over {limit} characters, the limit for one report",
                                            limit=f"{MAX_CHARS:,}"))
                text = "".join(c.text for c in chars)
                # only pages that name a template table pay for its ruling
                edges = page_edges(page, left, top) if any(w in text for w in TABLE_WORDS) else []
                pages.append(PageData(i + 1, right - left, top - bottom, chars, edges))
                if _textless(pages[-1]):
                    from .pdf_scan import has_picture

                    pictures.append(has_picture(page))
                else:
                    pictures.append(False)
            finally:
                page.close()
        # a scan may still carry a few characters (a stamp, a watermark, a page number)
        every = all(_textless(p) for p in pages)
        scanned = [i for i, p in enumerate(pages) if every or pictures[i]]
        ocr, notes = None, []
        if scanned:
            from .pdf_scan import read_scanned

            pages, ocr, notes = read_scanned(pdf, pages, scanned)
    finally:
        pdf.close()
    doc = _assemble(pages)
    doc.ocr = ocr if ocr is not None and ocr.pages else None
    doc.notes.extend(notes)
    return doc


def _textless(page) -> bool:
    return sum(1 for c in page.chars if not c.text.isspace()) < 15


# --- Assembly ------------------------------------------------------------------


def _assemble(pages) -> Document:
    tables: list[list[PageTable | PageProse]] = []
    lines: list[list[Line]] = []
    for p in pages:
        found: list[PageTable | PageProse] = []
        chars = p.chars
        if p.edges:
            for cells in find_cells(p.edges, p.width, p.height):
                pieces, taken = build_table(cells, chars, p.number)
                if pieces:
                    found.extend(pieces)
                    chars = [c for c in chars if id(c) not in taken]
        tables.append(found)
        lines.append(group_lines(chars, p.number))
    lines = drop_running(lines, [p.height for p in pages])
    m = measure(lines)

    # each page: its tables and lines in reading order
    blocks: list[Paragraph | Table] = []
    last_kind: str | None = None  # what ended the previous page
    last_table: PageTable | None = None
    last_line: Line | None = None
    pages_items: list[list[object]] = []
    for page_tables, page_lines in zip(tables, lines):
        items: list[tuple[float, int, object]] = [
            (t.bbox[1] if isinstance(t, PageTable) else t.top, 0, t) for t in page_tables
        ]
        items += [(line.top, 1, line) for line in page_lines]
        items.sort(key=lambda t: (t[0], t[1]))
        pages_items.append([item for _, _, item in items])
    row_lines = _unruled_rows([item for items in pages_items for item in items])
    for items in pages_items:
        first = True
        for item in items:
            if isinstance(item, PageProse):
                blocks.append(item.paragraph)
                last_kind, last_line, first = "prose", None, False
                continue
            if isinstance(item, PageTable):
                if first and last_kind == "table" and last_table is not None and continues(last_table, item):
                    merge_continuation(last_table.table, item.table)
                    last_table = PageTable(last_table.table, item.bbox, item.page)
                else:
                    blocks.append(item.table)
                    last_table = item
                last_kind, last_line = "table", None
            else:
                line = item
                row = row_lines.get(id(line))
                if row is not None:
                    if last_kind == "row" and isinstance(blocks[-1], Table):
                        blocks[-1].rows.append(row)
                    else:
                        blocks.append(Table([row], Origin(page=line.page, bbox=_round(line.bbox))))
                    last_kind, last_line, first = "row", None, False
                    continue
                carry = last_kind == "line" and last_line is not None and (
                    not starts_paragraph(last_line, line, m)
                    if not first
                    else _carries_over(last_line, line, m)
                )
                if carry:
                    para = blocks[-1]
                    para.text = join_lines([para.text, line.text])
                    if para.origin.page == line.page and para.origin.bbox is not None:
                        b = para.origin.bbox
                        para.origin = Origin(page=line.page, bbox=_round((min(b[0], line.x0), b[1], max(b[2], line.x1), line.bottom)))
                else:
                    blocks.append(Paragraph(line.text, Origin(page=line.page, bbox=_round(line.bbox))))
                last_kind, last_line = "line", line
            first = False
    return Document(blocks, "pdf", pages=len(pages))


def _carries_over(prev: Line, line: Line, m: Measure) -> bool:
    """A paragraph the page break cut: its last line is full and the next page's first is not a new start."""
    if not ends_full(prev, m):
        return False
    moved = Line(prev.chars, prev.page, prev.text, prev.x0, line.top - prev.height - m.gap, prev.x1, line.top - m.gap, prev.height)
    return not starts_paragraph(moved, line, m)


def _round(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return tuple(round(v, 1) for v in bbox)  # type: ignore[return-value]


def _unruled_rows(items: list[object]) -> dict[int, list[Cell]]:
    """Rows of tables drawn without rules, by id of their line.

    A line whose wide gaps (tab stops) part it into cells is a row when it
    stands in a run of such lines of which at least one holds a number: the
    header line of such a table has no number, a prose line has no wide gap.
    """
    out: dict[int, list[Cell]] = {}
    run: list[tuple[Line, list[Cell]]] = []

    def flush() -> None:
        if any(place_kind(c.text) in ("number", "dash") for _, cells in run for c in cells):
            out.update((id(line), cells) for line, cells in run)
        run.clear()

    for item in items:
        if isinstance(item, Line) and len(item.segments) >= 2 and not _spaced_out(item):
            run.append((item, _segment_cells(item)))
        else:
            flush()
    flush()
    return out


def _spaced_out(line: Line) -> bool:
    """A title set with letter spacing (分散对齐): one character per gap, some of them CJK."""
    return all(len(seg) == 1 for seg in line.segments) and any(wide(seg[0].text) for seg in line.segments)


def _segment_cells(line: Line) -> list[Cell]:
    cells = []
    for seg in line.segments:
        box = (min(c.x0 for c in seg), min(c.top for c in seg), max(c.x1 for c in seg), max(c.bottom for c in seg))
        cells.append(Cell(join_chars(seg), Origin(page=line.page, bbox=_round(box), confidence=confidence(seg))))
    return cells
