"""Ruled tables of a PDF page, and tables that run on over page breaks.

The ruling lines come from PDFium (pdf_pdfium.py); pdfplumber's table finder
turns them into cells (the finder only reads a page's `edges`, so it is given
those).  Each merged cell is emitted once, at its first grid position, with
its span: the interpreter reads a row's values by count, and padding cells
for merged labels would shift them.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from ..labels import norm, split_numbering
from ..model import Cell, Origin, Paragraph, Table
from ..values import place_kind
from .pdf_layout import confidence, group_lines, join_lines
from .pdf_pdfium import Char

SNAP = 2.0  # grid lines closer than this are one line


@dataclass(slots=True)
class _EdgePage:
    """The two things pdfplumber's TableFinder reads from a page."""

    edges: list[dict]
    bbox: tuple[float, float, float, float]


@dataclass(slots=True)
class PageTable:
    table: Table
    bbox: tuple[float, float, float, float]
    page: int


@dataclass(slots=True)
class PageProse:
    """A paragraph held in a ruled frame, in its place among the tables."""

    paragraph: Paragraph
    top: float


def find_cells(edges: list[dict], width: float, height: float) -> list[list[tuple]]:
    """Cell boxes of each table the ruling lines draw."""
    from pdfplumber.table import TableFinder

    edges = edges + _closing_edges(edges)
    finder = TableFinder(_EdgePage(edges, (0.0, 0.0, width, height)), {})
    return [list(t.cells) for t in finder.tables]


def _closing_edges(edges: list[dict]) -> list[dict]:
    """The outer sides of a table drawn without them.

    Styles without outer borders leave the label column (and the last one)
    open, and the table finder only sees closed cells.  Where rules start (or
    end) at the same x, the side is drawn between each two of them that a
    crossing rule joins, so two tables one above the other stay apart; and
    likewise across vertical rules that share a top or a bottom.  A side that
    is drawn already merges with its copy.
    """
    out: list[dict] = []
    horizontal = [e for e in edges if e["orientation"] == "h"]
    vertical = [e for e in edges if e["orientation"] == "v"]
    for key in ("x0", "x1"):  # open left or right side
        for members in _same_end(horizontal, key):
            members.sort(key=lambda e: e["top"])
            for upper, lower in zip(members, members[1:]):
                a, b = upper["top"], lower["top"]
                left = min(upper["x0"], lower["x0"]) - 3
                right = max(upper["x1"], lower["x1"]) + 3
                if any(v["top"] <= a + 3 and v["bottom"] >= b - 3 and left <= v["x0"] <= right for v in vertical):
                    x = (upper[key] + lower[key]) / 2
                    out.append(rule(x, a, x, b))
    for key in ("top", "bottom"):  # open top or bottom
        for members in _same_end(vertical, key):
            members.sort(key=lambda e: e["x0"])
            for first, second in zip(members, members[1:]):
                a, b = first["x0"], second["x0"]
                top = min(first["top"], second["top"]) - 3
                bottom = max(first["bottom"], second["bottom"]) + 3
                if any(h["x0"] <= a + 3 and h["x1"] >= b - 3 and top <= h["top"] <= bottom for h in horizontal):
                    y = (first[key] + second[key]) / 2
                    out.append(rule(a, y, b, y))
    return out


def _same_end(rules: list[dict], key: str) -> list[list[dict]]:
    ends: dict[int, list[dict]] = {}
    for e in rules:
        ends.setdefault(round(e[key] / 2), []).append(e)
    return [members for members in ends.values() if len(members) >= 2]


def rule(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
        "width": x1 - x0, "height": bottom - top,
        "orientation": "v" if x0 == x1 else "h", "object_type": "line",
    }


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(grid: list[float], v: float) -> int:
    return max(0, bisect_right(grid, v + SNAP) - 1)


PROSE_CHARS = 60  # a cell across the whole table holding more than this is prose


def build_table(cells: list[tuple], chars: list[Char], page: int) -> tuple[list[PageTable | PageProse], set[int]]:
    """The Tables (and framed paragraphs) one ruled grid holds, and which chars (by id) they took.

    A grid of a single column only frames prose (a page border, a one-cell
    box around a paragraph, shading behind lines): it gives no table.  A row
    that is one cell across the whole grid holding a long text is prose in a
    frame that also holds a table: it becomes a paragraph, and the table is
    cut there so reading order holds.
    """
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 3 or len(ys) < 2:
        return [], set()
    ncols = len(xs) - 1
    x0, top, x1, bottom = xs[0], ys[0], xs[-1], ys[-1]
    placed: dict[tuple[int, int], int] = {}  # grid position -> cell number
    spans = []
    for n, (cx0, ctop, cx1, cbottom) in enumerate(cells):
        c0, c1 = _index(xs, cx0), max(_index(xs, cx1), _index(xs, cx0) + 1)
        r0, r1 = _index(ys, ctop), max(_index(ys, cbottom), _index(ys, ctop) + 1)
        spans.append((r0, c0, r1 - r0, c1 - c0))
        for r in range(r0, r1):
            for c in range(c0, c1):
                placed.setdefault((r, c), n)
    inside: list[list[Char]] = [[] for _ in cells]
    for ch in chars:
        cx, cy = (ch.x0 + ch.x1) / 2, (ch.top + ch.bottom) / 2
        if not (x0 <= cx <= x1 and top <= cy <= bottom):
            continue
        n = placed.get((_index(ys, cy), _index(xs, cx)))
        if n is not None:
            inside[n].append(ch)
    rows: dict[int, list[tuple[int, Cell, int]]] = {}
    for n, box in enumerate(cells):
        r0, c0, rs, cs = spans[n]
        text = join_lines([line.text for line in group_lines(inside[n], page)])
        origin = Origin(page=page, bbox=tuple(round(v, 1) for v in box), confidence=confidence(inside[n]))
        cell = Cell(text, origin, colspan=cs, rowspan=rs)
        rows.setdefault(r0, []).append((c0, cell, n))
    taken: set[int] = set()
    pieces: list[list[tuple[list[Cell], list[int]]]] = [[]]
    prose: list[PageProse] = []
    for r in sorted(rows):
        entries = sorted(rows[r], key=lambda t: t[0])
        only = entries[0][1]
        if len(entries) == 1 and only.colspan == ncols and len(only.text) > PROSE_CHARS:
            n = entries[0][2]
            taken.update(id(ch) for ch in inside[n])
            prose.append(PageProse(Paragraph(only.text, only.origin), cells[n][1]))
            pieces.append([])
            continue
        pieces[-1].append(([cell for _, cell, _ in entries], [n for _, _, n in entries]))
    out: list[PageTable | PageProse] = list(prose)
    for piece in pieces:
        if not piece:
            continue
        numbers = [n for _, ns in piece for n in ns]
        for n in numbers:
            taken.update(id(ch) for ch in inside[n])
        box = (
            round(min(cells[n][0] for n in numbers), 1),
            round(min(cells[n][1] for n in numbers), 1),
            round(max(cells[n][2] for n in numbers), 1),
            round(max(cells[n][3] for n in numbers), 1),
        )
        out.append(PageTable(Table([row for row, _ in piece], Origin(page=page, bbox=box)), box, page))
    return out, taken


# --- Tables that continue on the next page -------------------------------------


def _row_key(row: list[Cell]) -> str:
    """A row's text, whatever its cells: a repeated header may be cut into cells differently."""
    return "".join(norm(c.text) for c in row)


def _has_values(row: list[Cell]) -> bool:
    return any(place_kind(c.text) in ("number", "dash") for c in row)


def _overlap(a: Cell, b: Cell) -> float:
    if a.origin.bbox is None or b.origin.bbox is None:
        return 0.0
    return min(a.origin.bbox[2], b.origin.bbox[2]) - max(a.origin.bbox[0], b.origin.bbox[0])


def _partner(cell: Cell, row: list[Cell]) -> int | None:
    best, where = 0.0, None
    for i, other in enumerate(row):
        ov = _overlap(cell, other)
        if ov > best:
            best, where = ov, i
    return where


def continues(a: PageTable, b: PageTable) -> bool:
    """b, at the top of the next page, carries on a (at the bottom of this one)."""
    return b.page == a.page + 1 and abs(a.bbox[0] - b.bbox[0]) <= 6 and abs(a.bbox[2] - b.bbox[2]) <= 6


def merge_continuation(a: Table, b: Table) -> None:
    """Append b's rows to a: repeated header rows dropped, a row cut by the break rejoined."""
    rows = list(b.rows)
    header: set[str] = set()  # a's rows above its first number
    for row in a.rows:
        if _has_values(row):
            break
        header.add(_row_key(row))
    k = 0
    while k < len(rows) and not _has_values(rows[k]) and _row_key(rows[k]) in header:
        k += 1
    rows = rows[k:]
    if rows and a.rows and _rejoin(a.rows[-1], rows[0]):
        rows = rows[1:]
    a.rows.extend(rows)


def _rejoin(last: list[Cell], first: list[Cell]) -> bool:
    """Join the halves of one row that a page break cut, if that is what they are.

    The halves complement each other: where one has a number the other has
    nothing, and no label text stands over a number (that would be a header
    row).  The half on the new page is a fragment: a label there that starts
    with its own numbering (`3.` `（四）`) begins a row of its own, perhaps one
    whose cells are all blank.  Two halves without any number are left apart;
    the interpreter joins label-only rows itself.
    """
    if not (_has_values(last) or _has_values(first)):
        return False
    if any(split_numbering(norm(c.text))[0] for c in first if place_kind(c.text) == "text"):
        return False
    if not any(c.text.strip() for c in first):
        return False
    for one, other in ((last, first), (first, last)):
        for cell in one:
            k = place_kind(cell.text)
            if k == "blank":
                continue
            i = _partner(cell, other)
            if i is None:
                continue
            facing = place_kind(other[i].text)
            if k in ("number", "dash") and facing != "blank":
                return False
            if k == "text" and facing in ("number", "dash"):
                return False
    # join cell by cell into `last`, in page order
    for cell in first:
        i = _partner(cell, last)
        if i is None or not cell.text.strip():
            continue
        target = last[i]
        if not target.text.strip():
            target.text, target.origin = cell.text, cell.origin
        else:
            target.text = join_lines([target.text, cell.text])
    return True
