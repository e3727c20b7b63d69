"""Text copies of reports: every table layout the copies produce.

* cell-per-line: each cell on its own line behind one tab, blank lines between
  rows; a cell's text may wrap onto following lines without the tab;
* tab: one row a line, cells separated by tabs;
* pipe: one row a line, cells separated by `|` (Markdown tables included,
  with their `|---|` rule lines skipped).

Everything else is a paragraph; Markdown `#` lines are headings.
"""

from __future__ import annotations

import re

from ..limits import (
    MAX_BLOCKS,
    MAX_ROW_CELLS,
    MAX_TABLE_CELLS,
    MAX_TABLE_ROWS,
    too_many_blocks,
    too_many_cells,
    too_many_rows,
    too_wide,
)
from ..model import Cell, Document, Origin, Paragraph, Table
from ..values import place_kind
from .encoding import decode

# Possessive runs (`*+`): a run of spaces is never split between two `\s*`,
# which cost time quadratic in its length (`|--`, 60,000 spaces, `x`).
_MD_RULE = re.compile(r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*\|?\s*+$")
# Only the marker is matched; the closing `#`s are stripped in Python, as a
# lazy `(.*?)\s*#*\s*$` backtracks cubically on long runs of spaces.
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})(.*)$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_EMPHASIS = re.compile(r"\*\*|__")
# Bounded and line-local so a file of unclosed "[bookmark: " stays linear.
_ARTIFACT = re.compile(r"\[bookmark: [^\]\n]{0,100}\]")  # Word caps bookmark names at 40
_CELL_LINE = re.compile(r"^\t[^\t]*$")
# A wrapped cell this long is prose: re-reading all of it per line would be quadratic.
_LONG_CELL = 1000


def _line_kind(line: str) -> str:
    if "\t" not in line and not line.strip():
        return "blank"
    if "|" in line:
        stripped = line.strip()
        if _MD_RULE.match(stripped) and "-" in stripped:
            return "rule"
        pipes = len(_PIPE_SPLIT.findall(stripped))
        if pipes >= 2 or (pipes == 1 and (stripped.startswith("|") or stripped.endswith("|"))):
            return "pipe"
    if _CELL_LINE.match(line):
        return "cell"
    if "\t" in line:
        return "tab"
    return "text"


def _pipe_rows(lines: list[tuple[int, str]], ruled: bool = False) -> tuple[list[list[Cell]], bool]:
    """Split pipe rows; a leading `|` is a border only when every row has one.

    Markdown tables frame every row with pipes; plain pipe copies do not, and
    there a leading `|` means the first cell is empty.  So does a line that
    starts with blanks and then a `|` (` |  | 1 | 5 |`: the copy kept the empty
    first cell's padding), unless a `|---|` rule says the table is Markdown.
    """
    if ruled:
        framed = all(line.lstrip().startswith("|") for _, line in lines)
    else:
        framed = all(line.startswith("|") for _, line in lines)
    rows = []
    for lineno, line in lines:
        stripped = line.strip()
        parts = _PIPE_SPLIT.split(stripped)
        if framed:
            parts = parts[1:]
            if stripped.endswith("|") and parts:
                parts = parts[:-1]
        rows.append([Cell(p.replace("\\|", "|").strip(), Origin(line=lineno)) for p in parts])
    return rows, framed


def _tab_cells(line: str, lineno: int) -> list[Cell]:
    return [Cell(p.strip(), Origin(line=lineno)) for p in line.split("\t")]


def parse_text(text: str, fmt: str = "text") -> Document:
    """Segment decoded text into paragraphs and tables."""
    text = _ARTIFACT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    blocks: list = []
    layouts: set[str] = set()

    table_rows: list[list[Cell]] = []
    table_start = 0
    table_kind: str | None = None
    cell_row: list[Cell] = []  # the cell-per-line row being built
    # Lines wrapped onto the row's last cell, joined once when the cell is
    # done: appending to the cell's text line by line is quadratic.
    wrapped: list[str] = []
    wrapped_len = 0

    def settle_wrapped() -> None:
        nonlocal wrapped_len
        if wrapped:
            cell_row[-1].text += "".join(wrapped)
            wrapped.clear()
            wrapped_len = 0
    pipe_lines: list[tuple[int, str]] = []  # split when the table ends
    pipe_ruled = False  # a Markdown `|---|` rule among them

    def flush_cell_row() -> None:
        nonlocal cell_row
        settle_wrapped()
        if cell_row:
            table_rows.append(cell_row)
            cell_row = []

    def flush_table() -> None:
        nonlocal table_rows, table_kind, pipe_lines, pipe_ruled
        flush_cell_row()
        if pipe_lines:
            table_rows, framed = _pipe_rows(pipe_lines, pipe_ruled)
            table_kind = "markdown" if framed else "pipe"
            pipe_lines = []
        pipe_ruled = False
        if table_rows:
            blocks.append(Table(table_rows, Origin(line=table_start)))
            layouts.add(table_kind or "tab")
        table_rows = []
        table_kind = None

    def start(kind_: str, lineno: int) -> None:
        nonlocal table_kind, table_start
        if table_kind != kind_:
            flush_table()
            table_kind = kind_
            table_start = lineno

    cells = 0
    for index, line in enumerate(lines):
        lineno = index + 1
        k = _line_kind(line)
        if k == "cell" and table_kind == "tab":
            k = "tab"  # a two-cell row whose first cell is empty
        # Limits are checked as lines arrive, before a hostile line's cells
        # are built, so a file of millions of cells stops at once.
        if k in ("tab", "cell", "pipe"):
            on_line = _cells_on(line, k)
            if on_line > MAX_ROW_CELLS:
                raise too_wide(on_line if k == "tab" else None)
            if k == "cell" and len(cell_row) >= MAX_ROW_CELLS:
                raise too_wide()
            cells += on_line
            if cells > MAX_TABLE_CELLS:
                raise too_many_cells()
            if len(table_rows) + len(pipe_lines) > MAX_TABLE_ROWS:
                raise too_many_rows()
        elif len(blocks) > MAX_BLOCKS:
            raise too_many_blocks()
        if k == "blank":
            if table_kind == "cell-per-line":
                flush_cell_row()
            elif table_kind is not None:
                flush_table()
            continue
        if k == "rule":
            pipe_ruled = pipe_ruled or table_kind == "pipe"
            continue
        if k == "pipe":
            start("pipe", lineno)
            pipe_lines.append((lineno, line))
            continue
        if k == "tab":
            start("tab", lineno)
            table_rows.append(_tab_cells(line, lineno))
            continue
        if k == "cell":
            start("cell-per-line", lineno)
            settle_wrapped()
            cell_row.append(Cell(line[1:].strip(), Origin(line=lineno)))
            continue
        # plain text: a wrapped cell, or a paragraph
        if table_kind == "cell-per-line" and cell_row:
            last = cell_row[-1].text
            if len(last) + wrapped_len > _LONG_CELL or _continues(last + "".join(wrapped)):
                piece = line.strip()
                wrapped.append(piece)
                wrapped_len += len(piece)
                continue
        flush_table()
        m = _MD_HEADING.match(line) if line.lstrip().startswith("#") else None
        if m:
            title = m.group(2).strip().rstrip("#").rstrip()
            blocks.append(Paragraph(_EMPHASIS.sub("", title), Origin(line=lineno), level=len(m.group(1))))
        else:
            para = _EMPHASIS.sub("", line).strip()
            if para:
                blocks.append(Paragraph(para, Origin(line=lineno)))
    flush_table()
    return Document(blocks, fmt, layout=",".join(sorted(layouts)) or None)


def _cells_on(line: str, k: str) -> int:
    """How many cells a table line holds, never more than it will."""
    if k == "tab":
        return line.count("\t") + 1
    if k == "pipe":  # `| a | b |`: one cell fewer than pipes; unframed rows have more
        return max(1, line.count("|") - line.count("\\|") - 1)
    return 1


def _continues(previous: str) -> bool:
    """Only a cell holding words wraps; a number (one too long to be a count too) or blank cell ends there."""
    return place_kind(previous) == "text"


def read_text(data: bytes, fmt: str = "text") -> Document:
    text, encoding = decode(data)
    doc = parse_text(text, fmt)
    doc.encoding = encoding
    return doc
