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
import re

from ..errors import DecodeError, LimitExceeded, ReportError
from ..model import Cell, Document, Origin, Paragraph, Table
from ..values import kind
from .encoding import decode

MAX_CELLS = 200_000
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
_BREADCRUMB_STARTS = ("当前位置", "您当前的位置", "您的位置", "您现在的位置", "所在位置", "当前所在位置", "您所在的位置")
# GB2312 and GBK pages routinely hold characters only their superset has
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "ascii": "utf-8"}
# Western single-byte declarations on a Chinese report are template leftovers;
# they decode any bytes without error, so only the bytes themselves can tell.
_UNTRUSTED = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15"})


def read_html(data: bytes) -> Document:
    from lxml import etree

    text, encoding = _decode(data)
    try:
        # plain etree elements: lxml.html's element classes cost a Python-level
        # lookup for every node the walk touches (half the reader's time)
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
        root = etree.fromstring(text.encode("utf-8", "replace"), parser=parser)
    except MemoryError:
        raise
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        raise ReportError("not an HTML page (nothing to parse)")
    walker = _Walker()
    try:
        walker.walk(root)
    except RecursionError:
        raise LimitExceeded("HTML nests elements too deeply to read") from None
    walker.flush()
    return Document(walker.blocks, "html", encoding=encoding)


# --- Encoding ----------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data)
    declared = _declared_charset(data[:_PRESCAN_BYTES])
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the page lies about its charset: fall back to the bytes
    try:
        return decode(data)
    except DecodeError:
        raise
    except ReportError as e:
        raise ReportError(f"not an HTML page ({e})") from None


def _declared_charset(head: bytes) -> str | None:
    """The charset a <meta> declares, read by lxml from the page's first bytes."""
    from lxml import etree

    # latin-1 maps every byte, and the tags are ASCII whatever the charset
    text = head.decode("latin-1")
    if text.lstrip().startswith("<?xml"):
        text = text.split("?>", 1)[-1]  # lxml refuses a str that declares an encoding
    try:
        root = etree.fromstring(text, etree.HTMLParser(no_network=True))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if root is None:
        return None
    for meta in root.iter("meta"):
        name = meta.get("charset")
        if not name and (meta.get("http-equiv") or "").lower() == "content-type":
            content = (meta.get("content") or "").lower()
            if "charset=" in content:
                name = content.split("charset=", 1)[1].split(";")[0]
        if name:
            name = name.strip().strip("\"'").lower()
            try:
                canonical = codecs.lookup(name).name
            except LookupError:
                continue
            if canonical in _UNTRUSTED:
                return None
            return _SUPERSETS.get(canonical, canonical)
    return None


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
    """A table used to lay the page out: it holds tables, is one cell, or holds prose."""
    for inner in table.iter("table"):
        if inner is not table:
            return True
    rows = _rows(table)
    if len(rows) == 1 and len(_cells(rows[0])) == 1:
        return True
    # a cell holding several paragraphs of prose is a column of the layout; one
    # long remark in a data table is not
    return any(
        len(td) and _at_least(td.iter("p", "div", "br", "li"), 2) and len(_text(td)) > _LAYOUT_CELL_CHARS
        for tr in rows
        for td in _cells(tr)
    )


def _at_least(items, n: int) -> bool:
    for _ in items:
        n -= 1
        if n <= 0:
            return True
    return False


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
        for r, tr in enumerate(_rows(el), start=1):
            tds = _cells(tr)
            row: list[Cell] = []
            col, i = 0, 0
            while i < len(tds) or any(k >= col for k in carry):
                spanned = carry.get(col)
                if spanned is not None:
                    self._count()
                    first = spanned[1]
                    # labels repeat into every row they span; values appear once
                    row.append(Cell(first.text if spanned[2] else "", Origin(table=index, row=r, col=col + 1), first.colspan))
                    spanned[0] -= 1
                    if spanned[0] <= 0:
                        del carry[col]
                    col += first.colspan
                    continue
                if i >= len(tds):
                    col = min(k for k in carry if k >= col)  # a gap before a spanned cell further right
                    continue
                td = tds[i]
                i += 1
                self._count()
                colspan = 1 if td.get("colspan") is None else _span(td.get("colspan"), 1000)
                rowspan = 1 if td.get("rowspan") is None else _span(td.get("rowspan"), 65534)
                cell = Cell(_cell_text(td), Origin(table=index, row=r, col=col + 1), colspan, rowspan)
                row.append(cell)
                if rowspan > 1:
                    carry[col] = [rowspan - 1, cell, kind(cell.text) == "text"]
                col += colspan
            rows.append(row)
        if rows:
            self.blocks.append(Table(rows, Origin(table=index)))

    def _count(self) -> None:
        # spanned copies count too: rowspans could otherwise multiply a small page
        self.cells += 1
        if self.cells > MAX_CELLS:
            raise LimitExceeded(f"HTML has over {MAX_CELLS} table cells, the limit for one report")


def _cell_text(td) -> str:
    """A cell's text: <br> and block elements start new lines, spaces collapse."""
    if len(td) == 0:  # most cells: one run of text, no markup
        return _SPACE.sub(" ", td.text or "").strip()
    lines: list[str] = []
    current: list[str] = []

    def newline() -> None:
        text = _SPACE.sub(" ", "".join(current)).strip()
        if text:
            lines.append(text)
        current.clear()

    def visit(el) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag == "br":
            newline()
            return
        block = tag in _BLOCK
        if block:
            newline()
        if el.text:
            current.append(el.text)
        for child in el:
            visit(child)
            if child.tail:
                current.append(child.tail)
        if block:
            newline()

    if td.text:
        current.append(td.text)
    for child in td:
        visit(child)
        if child.tail:
            current.append(child.tail)
    newline()
    return "\n".join(lines)
