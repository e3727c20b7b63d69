"""Saved web pages: the report inside a government site's page.

Everything readable becomes paragraphs and tables in page order; the
interpreter finds the report by its headings and tables.  What a site wraps
around it is dropped where that is cheap to recognise, because menu items
such as 主动公开 or 依申请公开 would otherwise read as section headings:
scripts and styles, <nav>/<footer> and elements whose class or id names a
menu, breadcrumb or footer, lists of short items, paragraphs made only of
links, and breadcrumb lines (当前位置：…).

Tables: a table holding another table is page layout, read as flowing text;
the others are data tables, with rowspan/colspan expanded the way the DOCX
reader expands merges (a spanned label repeats into every row it spans, a
spanned value appears once, a column span stays one cell).
"""

from __future__ import annotations

import codecs
import functools
import os
import re

from ..errors import DecodeError, LimitExceeded, ReportError
from ..msg import Msg, msg
from ..model import Cell, Document, Origin, Paragraph, Table
from ..values import place_kind
from .encoding import decode
from .safe_xml import html_parser

MAX_CELLS = 200_000
MAX_IMAGES = 500  # <img> places remembered (only pictures beside the page are ever read)
_PRESCAN_BYTES = 16 * 1024

_SKIP = frozenset({
    "script", "style", "noscript", "template", "head", "title", "select", "option", "button", "input",
    "textarea", "iframe", "object", "embed", "svg", "math", "nav", "footer", "map", "canvas", "audio", "video",
})
_BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
    "header", "main", "aside", "blockquote", "pre", "center", "form", "fieldset", "address", "figure",
    "figcaption", "hr", "tr", "td", "th", "caption", "body", "html", "tbody", "thead", "tfoot", "table",
})
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
# class/id words of site chrome: navigation, menus, breadcrumbs, footers
_CHROME_PREFIXES = (
    "nav", "menu", "breadcrumb", "crumb", "footer", "copyright", "sidebar", "topbar", "toolbar", "daohang",
    "dqwz", "weizhi", "share", "skip", "subnav",
)
_CHROME_WORDS = frozenset({"foot", "dh", "bottom", "position", "location", "banner", "search", "login"})
_CHROME_MAX_CHARS = 1500
_LAYOUT_CELL_CHARS = 300
_MENU_ITEM_CHARS = 8
_CLASS_SPLIT = re.compile(r"[^a-z0-9]+")
_SPACE = re.compile(r"[ \t\r\n\f]+")
# separators the table pass writes between rows, cells, a cell's fields, and
# lines: Unicode noncharacters, so no text can hold them (the page's are replaced)
_ROW, _CELL, _FIELD, _BREAK = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
_ONE = ("", "1")
_MARKS = (_ROW, _CELL, _FIELD, _BREAK)
_MARK_CHARS = re.compile("[" + "".join(_MARKS) + "]")
# what str.strip() strips, and the line separator: ends of a cell
_STRIP = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _BREAK
_BREADCRUMB_STARTS = ("当前位置", "您当前的位置", "您的位置", "您现在的位置", "所在位置", "当前所在位置", "您所在的位置")
# GB2312 and GBK pages routinely hold characters only their superset has
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "ascii": "utf-8"}
# Western single-byte declarations on a Chinese report are template leftovers;
# they decode any bytes without error, so only the bytes themselves can tell.
_UNTRUSTED = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15"})


def read_html(data: bytes, path: str | os.PathLike | None = None) -> Document:
    """A saved page; `path` lets pictures saved beside it be read by OCR (html_pictures.py)."""
    from lxml import etree

    text, encoding, utf8, notes = _decode(data)
    if any(mark in text for mark in _MARKS):
        # noncharacters never appear in real text; the table pass uses them as separators
        text = _MARK_CHARS.sub("\ufffd", text)
        utf8 = None
    try:
        # plain etree elements: lxml.html's element classes cost a Python-level
        # lookup for every node the walk touches (half the reader's time)
        parser = html_parser(encoding="utf-8", remove_comments=True, remove_pis=True)
        root = etree.fromstring(utf8 or text.encode("utf-8", "replace"), parser=parser)
    except MemoryError:
        raise
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        raise ReportError(msg("not an HTML page (nothing to parse)"))
    walker = _Walker()
    try:
        walker.walk(root)
    except RecursionError:
        raise LimitExceeded(msg("HTML nests elements too deeply to read")) from None
    walker.flush()
    if walker.pictures:
        from .html_pictures import expand

        blocks, ocr, picture_notes = expand(walker.blocks, path)
        return Document(blocks, "html", encoding=encoding, notes=notes + picture_notes, ocr=ocr)
    return Document(walker.blocks, "html", encoding=encoding, notes=notes)


# --- Encoding ----------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str, bytes | None, list[Msg]]:
    """(text, encoding, the page's own bytes when they are the text's UTF-8 already, notes)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return *decode(data), None, []
    declared, unknown = _declared_charset(data[:_PRESCAN_BYTES])
    if declared:
        try:
            return data.decode(declared), declared, data if declared == "utf-8" else None, []
        except UnicodeError:
            pass  # the page lies about its charset: fall back to the bytes
    try:
        text, encoding = decode(data)
    except DecodeError:
        raise
    except ReportError as e:
        raise ReportError(msg("not an HTML page ({reason})", reason=e.msg)) from None
    notes = []
    if unknown:
        notes.append(msg("the page declares the charset {charset}, which is not a web text encoding; "
                         "read as {encoding}, detected from its bytes", charset=unknown[:40], encoding=encoding))
    return text, encoding, None, notes


def charset_codec(label: str) -> str | None:
    """The Python codec a web charset label names, or None when browsers do not know it.

    An unknown label (`rot13`, `base64`, a typo) is ignored and the bytes
    decide, as in a browser (the HTML standard's prescan skips it): a page the
    user's browser shows is readable here too, where refusing it would not be.
    Labels are the WHATWG Encoding Standard's (webencodings), not every name
    Python's codec registry knows: that registry also holds bytes-to-bytes
    codecs and escape codecs that are no page's encoding.
    """
    import webencodings

    found = webencodings.lookup(label)
    if found is None or found.name in ("replacement", "x-user-defined"):
        return None  # replacement: ISO-2022-KR, HZ…, which browsers refuse to decode
    if found.name in ("utf-16le", "utf-16be"):
        return "utf-8"  # the tag was just read as ASCII, so the page is not UTF-16 (the HTML standard says so too)
    return found.codec_info.name


def _declared_charset(head: bytes) -> tuple[str | None, str | None]:
    """(the codec a <meta> declares, the first label no browser knows), read by lxml from the page's first bytes."""
    from lxml import etree

    # the <meta> is in the head: parsing a long body's start as well costs more
    # than the rest of reading a small page
    end = head.lower().find(b"</head")
    if end > 0:
        head = head[:end]
    # latin-1 maps every byte, and the tags are ASCII whatever the charset
    text = head.decode("latin-1")
    if text.lstrip().startswith("<?xml"):
        text = text.split("?>", 1)[-1]  # lxml refuses a str that declares an encoding
    try:
        root = etree.fromstring(text, html_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None, None
    if root is None:
        return None, None
    unknown = None
    for meta in root.iter("meta"):
        name = meta.get("charset")
        if not name and (meta.get("http-equiv") or "").lower() == "content-type":
            content = (meta.get("content") or "").lower()
            if "charset=" in content:
                name = content.split("charset=", 1)[1].split(";")[0]
        if name:
            name = name.strip().strip("\"'").lower()
            canonical = charset_codec(name)
            if canonical is None:
                unknown = unknown or name
                continue
            if canonical in _UNTRUSTED:
                return None, None
            return _SUPERSETS.get(canonical, canonical), None
    return None, unknown


# --- Walking the page --------------------------------------------------------------------


def _text(el) -> str:
    return "".join(el.itertext())


def _is_chrome(el) -> bool:
    named = (el.get("role") or "").lower() in ("navigation", "banner", "contentinfo", "menu", "menubar")
    if not named:
        names = ((el.get("class") or "") + " " + (el.get("id") or "")).lower()
        if not names.strip():
            return False
        named = any(w and (w in _CHROME_WORDS or w.startswith(_CHROME_PREFIXES)) for w in _CLASS_SPLIT.split(names))
    if not named:
        return False
    # a class name is a guess ("position-relative" is layout, not a breadcrumb):
    # an element holding a data table or a page of text is kept whatever it is called
    if any(len(_rows(t)) >= 3 for t in el.iter("table")):
        return False
    return len(_text(el)) < _CHROME_MAX_CHARS


def _is_menu_list(el) -> bool:
    """A list of three or more short items: a menu, even when scripts make the links."""
    items = [li for li in el if li.tag == "li"]
    if len(items) < 3:
        return False
    return all(len(_text(li).strip()) <= _MENU_ITEM_CHARS for li in items)


def _is_layout(table) -> bool:
    """A table used to lay the page out: it holds tables, is one cell, or holds prose.

    A cell holding several paragraphs of prose is a column of the layout; one
    long remark in a data table is not.  One XPath, so no cell is visited in
    Python.
    """
    return _layout_query()(table)


_LAYOUT_XPATH = (  # cheapest tests first: XPath's `and`/`or` stop early
    "boolean(.//table"
    " or count({rows}) = 1 and count({cells}) = 1"
    " or ({cells})[*][string-length(string(.)) > {chars}][count(.//p | .//div | .//br | .//li) >= 2])"
)


@functools.cache
def _layout_query():
    from lxml import etree

    rows = "tr | thead/tr | tbody/tr | tfoot/tr"
    cells = f"({rows})/*[self::td or self::th]"
    return etree.XPath(_LAYOUT_XPATH.format(rows=rows, cells=cells, chars=_LAYOUT_CELL_CHARS))


def _rows(table) -> list:
    out = []
    for child in table:
        tag = child.tag
        if tag == "tr":
            out.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            out.extend(c for c in child if c.tag == "tr")
    return out


def _cells(tr) -> list:
    return [c for c in tr if c.tag in ("td", "th")]


def _span(value: str | None, top: int) -> int:
    try:
        n = int((value or "1").strip().rstrip(";"))
    except ValueError:
        return 1
    return max(1, min(n, top))


class _Walker:
    def __init__(self) -> None:
        self.blocks: list = []
        self.pieces: list[str] = []
        self.link_chars = 0
        self.other_chars = 0
        self.line: int | None = None
        self.level = 0
        self.tables = 0
        self.cells = 0
        self.pictures = 0

    # flowing text -----------------------------------------------------------

    def add(self, text: str, link: bool, line: int | None) -> None:
        if not text:
            return
        self.pieces.append(text)
        solid = len(text) - text.count(" ") - text.count("\n") - text.count("\t") - text.count("\xa0")
        if link:
            self.link_chars += solid
        else:
            self.other_chars += solid
        if self.line is None and solid:
            self.line = line

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.pieces)).strip().strip("\xa0\u3000 ")
        only_links = self.link_chars > 0 and self.other_chars == 0
        if text and not only_links and not text.startswith(_BREADCRUMB_STARTS):
            self.blocks.append(Paragraph(text, Origin(line=self.line), self.level))
        self.pieces = []
        self.link_chars = self.other_chars = 0
        self.line = None
        self.level = 0

    def walk(self, el, link: bool = False) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP or _is_chrome(el):
            return
        if tag == "br":
            self.flush()
            return
        if tag == "img":
            src = el.get("src")
            if src and self.pictures < MAX_IMAGES:
                from .html_pictures import ImagePlace

                self.flush()
                self.pictures += 1
                self.blocks.append(ImagePlace(src, el.sourceline))
            return
        if (tag == "ul" or tag == "ol") and _is_menu_list(el):
            return
        if tag == "table":
            self.flush()
            if _is_layout(el):
                for tr in _rows(el):
                    for td in _cells(tr):
                        self.walk(td)
                        self.flush()
            else:
                self.table(el)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        # only a link that goes somewhere: Word's bookmarks (<a name=_Toc…>) wrap headings
        link = link or (tag == "a" and el.get("href") is not None)
        if tag in _HEADINGS:
            self.level = _HEADINGS[tag]
        if el.text:
            self.add(el.text, link, el.sourceline)
        for child in el:
            self.walk(child, link)
            if child.tail:
                self.add(child.tail, link, child.sourceline)
        if block:
            if tag in _HEADINGS:
                self.level = _HEADINGS[tag]
            self.flush()

    # tables --------------------------------------------------------------------

    def table(self, el) -> None:
        self.tables += 1
        index = self.tables
        rows: list[list[Cell]] = []
        # starting grid column -> [rows still spanned, first cell, is a label]
        carry: dict[int, list] = {}
        for r, cells in enumerate(_table_rows(el), start=1):
            row: list[Cell] = []
            col = 0
            for cell in cells:
                colspan, rowspan, text = cell.split(_FIELD, 2)
                text = text.strip(_STRIP)
                if _BREAK in text:
                    text = "\n".join(line for line in (piece.strip() for piece in text.split(_BREAK)) if line)
                while col in carry:
                    col = _spanned(carry, col, row, index, r)
                colspan = 1 if colspan in _ONE else _span(colspan, 1000)
                rowspan = 1 if rowspan in _ONE else _span(rowspan, 65534)
                cell = Cell(text, Origin(table=index, row=r, col=col + 1), colspan, rowspan)
                row.append(cell)
                if rowspan > 1:
                    carry[col] = [rowspan - 1, cell, place_kind(text) == "text"]
                col += colspan
            while carry:  # cells spanned from above, right of this row's last cell
                later = [k for k in carry if k >= col]
                if not later:
                    break
                col = _spanned(carry, col if col in carry else min(later), row, index, r)
            rows.append(row)
            # spanned copies count too: rowspans could otherwise multiply a small page
            self.cells += len(row)
            if self.cells > MAX_CELLS:
                raise LimitExceeded(msg("HTML has over {limit} table cells, the limit for one report", limit=MAX_CELLS))
        if rows:
            self.blocks.append(Table(rows, Origin(table=index)))


def _spanned(carry: dict[int, list], col: int, row: list[Cell], index: int, r: int) -> int:
    """Place the cell a rowspan above carries into this row; the next free column."""
    left, first, label = carry[col]
    # labels repeat into every row they span; values appear once
    row.append(Cell(first.text if label else "", Origin(table=index, row=r, col=col + 1), first.colspan))
    if left <= 1:
        del carry[col]
    else:
        carry[col][0] = left - 1
    return col + first.colspan


# --- A data table's cells, read in one pass -------------------------------------------
#
# Word and LibreOffice wrap every value in <p><span>; walking those cells node
# by node in Python cost more than parsing the page.  One XSLT pass writes the
# table as text with separators instead, and Python only splits strings.
# A cell's text: <br> and block elements start new lines, spaces collapse,
# blank lines go, what _SKIP names is not text.

_TABLE_XSLT = """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="utf-8"/>
<xsl:template match="/">
  <xsl:for-each select="*/tr | */thead/tr | */tbody/tr | */tfoot/tr">
    <xsl:text>{row}</xsl:text>
    <xsl:for-each select="td | th">
      <xsl:text>{cell}</xsl:text><xsl:value-of select="@colspan"/>
      <xsl:text>{field}</xsl:text><xsl:value-of select="@rowspan"/>
      <xsl:text>{field}</xsl:text><xsl:apply-templates/>
    </xsl:for-each>
  </xsl:for-each>
</xsl:template>
<xsl:template match="br"><xsl:text>{brk}</xsl:text></xsl:template>
<xsl:template match="{skip}"/>
<xsl:template match="{block}"><xsl:text>{brk}</xsl:text><xsl:apply-templates/><xsl:text>{brk}</xsl:text></xsl:template>
</xsl:stylesheet>"""


@functools.cache
def _table_transform():
    from lxml import etree

    def chars(c: str) -> str:
        return f"&#x{ord(c):X};"

    source = _TABLE_XSLT.format(
        row=chars(_ROW), cell=chars(_CELL), field=chars(_FIELD), brk=chars(_BREAK),
        skip=" | ".join(sorted(_SKIP)), block=" | ".join(sorted(_BLOCK)),
    )
    # the stylesheet is ours; the page it runs over must not make it read or write files
    return etree.XSLT(etree.XML(source), access_control=etree.XSLTAccessControl.DENY_ALL)


def _table_rows(table) -> list[list[str]]:
    """Each row's cells, each written colspan FIELD rowspan FIELD text (a span "" when absent)."""
    out = _collapse_spaces(str(_table_transform()(table)))
    return [row.split(_CELL)[1:] for row in out.split(_ROW)[1:]]


def _collapse_spaces(text: str) -> str:
    """_SPACE.sub(" ", text), in str methods: a third of the time on a table's text."""
    text = text.replace("\n", " ").replace("\t", " ")
    if "\r" in text:
        text = text.replace("\r", " ")
    if "\f" in text:
        text = text.replace("\f", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text
