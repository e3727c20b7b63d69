"""The two data models every part of gikr shares.

* The neutral *document* a reader produces: paragraphs, headings and tables of
  cells, each remembering where it came from.  Readers know nothing of the
  template.
* The interpreted *report*: the template's sections and tables with the values
  the interpreter placed, plus notes where placement was uncertain.

Both are plain dataclasses so they pickle across the process pool.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from .msg import Msg

# --- Where a piece of text came from -----------------------------------------


@dataclass(slots=True)  # not frozen: a frozen __init__ costs 1.5 µs a cell, a third of reading a table
class Origin:
    line: int | None = None  # 1-based line in a text file
    page: int | None = None  # 1-based page in a PDF
    bbox: tuple[float, float, float, float] | None = None  # x0, top, x1, bottom in PDF points
    table: int | None = None  # 1-based table index in DOCX/HTML
    row: int | None = None  # 1-based row inside that table
    col: int | None = None  # 1-based column inside that table
    # For text read by OCR: the lowest score of its characters (0..1); a cell
    # that shows marks the recogniser could not read is 0.
    confidence: float | None = None

    def describe(self) -> str:
        """Where, in words of the language in use: page 3, line 12, table 2 row 4 col 5."""
        from .i18n import _, comma

        parts: list[str] = []
        if self.page is not None:
            parts.append(_("page {page}").format(page=self.page))
        if self.line is not None:
            parts.append(_("line {line}").format(line=self.line))
        if self.table is not None:
            if self.row is not None and self.col is not None:
                where = _("table {table} row {row} col {col}")
            elif self.row is not None:
                where = _("table {table} row {row}")
            elif self.col is not None:
                where = _("table {table} col {col}")
            else:
                where = _("table {table}")
            parts.append(where.format(table=self.table, row=self.row, col=self.col))
        if self.bbox is not None:
            parts.append(_("at ({x}, {y})").format(x=f"{self.bbox[0]:.0f}", y=f"{self.bbox[1]:.0f}"))
        return comma().join(parts) or _("unknown")

    def to_json(self, out: dict | None = None) -> dict:
        """The jsonl keys of this origin (those that are set), added to `out` if given."""
        # (field by field, not a loop over names: jsonl writes one for every cell of every report)
        if out is None:
            out = {}
        if self.line is not None:
            out["line"] = self.line
        if self.page is not None:
            out["page"] = self.page
        if self.table is not None:
            out["table"] = self.table
        if self.row is not None:
            out["row"] = self.row
        if self.col is not None:
            out["col"] = self.col
        if self.bbox is not None:
            out["bbox"] = [round(v, 1) for v in self.bbox]
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 3)
        return out


# --- The neutral document ----------------------------------------------------


@dataclass(slots=True)
class Cell:
    text: str
    origin: Origin = field(default_factory=Origin)
    # How many grid columns/rows a merged cell covered before expansion.
    colspan: int = 1
    rowspan: int = 1


@dataclass(slots=True)
class Paragraph:
    text: str
    origin: Origin = field(default_factory=Origin)
    # 0 for body text; 1.. for a heading level the source itself declared
    # (Markdown `#`, a Word heading style).  The interpreter does not rely on it.
    level: int = 0


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]]
    origin: Origin = field(default_factory=Origin)


Block = Union[Paragraph, Table]

# A value read by OCR whose weakest character scored under this is noted and
# marked: on the fixtures a wrong digit scored 0.57, while a clean 150-dpi
# scan reads every digit at 0.9 and over (a thin black-and-white one reads
# `0` as `o` at 0.5-0.9, mended to 0 and marked all the same).
LOW_CONFIDENCE = 0.8


@dataclass(slots=True)
class OcrInfo:
    """How pictures in a report were read by OCR (jsonl `ocr`)."""

    pages: list[int]  # pages read by OCR (for a web page: its pictures, in order)
    skipped: list[int] = field(default_factory=list)  # pictures of pages without a table, not read
    dpi: list[int] = field(default_factory=list)  # the resolution each was read at
    skew: list[float] = field(default_factory=list)  # degrees each was straightened by
    engine: str = ""

    def to_json(self) -> dict:
        return {
            "pages": list(self.pages),
            "skipped": list(self.skipped),
            "dpi": list(self.dpi),
            "skew": [round(a, 2) for a in self.skew],
            "engine": self.engine,
            "threshold": LOW_CONFIDENCE,
        }


@dataclass(slots=True)
class Document:
    blocks: list[Block]
    format: str  # text | markdown | docx | pdf | html
    encoding: str | None = None
    layout: str | None = None  # for text: the table layout(s) recognised
    pages: int | None = None
    named_as: str | None = None  # the file's extension, when its content is another format
    notes: list[Msg] = field(default_factory=list)  # what the reader decided for itself, for the report's notes
    ocr: OcrInfo | None = None  # set when some of it was read from pictures


# --- The interpreted report -------------------------------------------------


@dataclass(slots=True)
class Value:
    """One cell of a template table as the report wrote it."""

    number: int | float | None  # None: blank, a dash, or not a number
    text: str = ""  # as written, stripped; "" is a blank cell
    origin: Origin | None = None
    note: Msg | None = None  # why the placement is uncertain, if it is

    @property
    def confidence(self) -> float | None:
        """The OCR score of the cell's weakest character; None where no OCR was involved."""
        return self.origin.confidence if self.origin is not None else None

    @property
    def uncertain(self) -> bool:
        """Read by OCR with a score under LOW_CONFIDENCE."""
        c = self.confidence
        return c is not None and c < LOW_CONFIDENCE

    @property
    def blank(self) -> bool:
        return self.text == ""

    @property
    def dash(self) -> bool:
        """Written but holding no value: `—`, `-`, `/`, `无`."""
        return self.number is None and self.text != ""

    def amount(self) -> int | float:
        """The value in arithmetic: blank and dashes count as 0."""
        return self.number if self.number is not None else 0


EMPTY = Value(None)


@dataclass(slots=True)
class Passage:
    """One paragraph of a section's body, and where it came from.

    A table row inside a section is kept too, its cells joined with " | "
    and `row` set: the Reader shows it, the prose checks skip it.
    """

    text: str
    origin: Origin | None = None
    row: bool = False


@dataclass(slots=True)
class Section:
    number: int  # 1..6 in the template
    title: str  # the template's title, e.g. 一、总体情况
    text: str | None  # the heading as the report wrote it; None when missing
    origin: Origin | None = None
    numbering: str | None = None  # the number as written: 三、 3、 第三部分 …
    status: str = "ok"  # ok | missing | misnumbered | unnumbered | out_of_order
    body: list[Passage] = field(default_factory=list)  # paragraphs under it (sub-items too, in order)
    children: list["Section"] = field(default_factory=list)


@dataclass(slots=True)
class Note:
    """Something the interpreter could not do with certainty (said in words where shown)."""

    message: Msg
    row: str | None = None
    col: str | None = None
    origin: Origin | None = None

    def where(self) -> str:
        """Where the note points, in the language in use, to follow its words: " (page 3, line 12)", or ""."""
        from .i18n import _

        return " " + _("({where})").format(where=self.origin.describe()) if self.origin is not None else ""

    def to_json(self) -> dict:
        out: dict = {"message": str(self.message)}
        if self.row:
            out["row"] = self.row
        if self.col:
            out["col"] = self.col
        if self.origin is not None:
            out.update(self.origin.to_json())
        return out


@dataclass(slots=True)
class Report:
    format: str
    template: int
    year: int | None = None
    agency: str | None = None
    sections: list[Section] = field(default_factory=list)
    # row key -> col key -> Value, rows/cols in template order
    requests: dict[str, dict[str, Value]] = field(default_factory=dict)
    # group -> field -> Value
    review_litigation: dict[str, dict[str, Value]] = field(default_factory=dict)
    # row -> field -> Value
    active_disclosure: dict[str, dict[str, Value]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    # paragraphs between the title and section 一 (the introduction, its 统计期限)
    preamble: list[Passage] = field(default_factory=list)
    encoding: str | None = None
    layout: str | None = None
    pages: int | None = None
    ocr: OcrInfo | None = None  # set when some of the report was read by OCR

    def copy(self) -> "Report":
        """A copy whose tables can be edited without touching this one."""
        from dataclasses import replace

        return replace(
            self,
            requests={r: dict(c) for r, c in self.requests.items()},
            review_litigation={g: dict(f) for g, f in self.review_litigation.items()},
            active_disclosure={r: dict(f) for r, f in self.active_disclosure.items()},
            notes=list(self.notes),
        )
