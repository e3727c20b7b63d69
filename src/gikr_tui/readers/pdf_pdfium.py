"""What pypdfium2 gives the PDF reader: characters and ruling lines, fast.

PDFium reads a page's text and drawing objects in a fraction of the time
pdfminer takes to lay the same page out, so every page is read here and only
the table *geometry* is handed to pdfplumber's table finder (pdf_tables.py).
Coordinates are turned into pdfplumber's convention: points from the page's
top-left corner, `top` growing downwards.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as R

# A filled path thinner than this is a drawn line (Word and WPS draw cell
# borders as thin filled rectangles as often as stroked lines).
THIN = 2.5
# A page with more path segments than this is a drawing, not a table.
MAX_SEGMENTS = 50_000


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size in points, for gaps and indents
    base: float  # baseline, from the top: chars of one line share it
    conf: float | None = None  # the recogniser's score, for a character read by OCR


@dataclass(slots=True)
class PageData:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char]
    edges: list[dict]  # pdfplumber-style edge dicts (orientation h|v)

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)


def _skip(code: int) -> bool:
    # control characters, surrogates and non-characters never belong in a label
    return code < 32 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF, 0xFEFF)


def page_chars(textpage: pdfium.PdfTextPage, left: float, top: float) -> list[Char]:
    tp = textpage.raw
    count = R.FPDFText_CountChars(tp)
    rect = R.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    out: list[Char] = []
    for i in range(count):
        if R.FPDFText_IsGenerated(tp, i) == 1:
            continue  # spaces and line breaks PDFium made up
        code = R.FPDFText_GetUnicode(tp, i)
        if _skip(code):
            continue
        if not R.FPDFText_GetLooseCharBox(tp, i, rect):
            continue
        R.FPDFText_GetCharOrigin(tp, i, ox, oy)
        # the loose box spans ascent to descent: a steadier measure of the
        # type size than FPDFText_GetFontSize, which WPS scales by its matrix
        size = (rect.top - rect.bottom) or 10.0
        out.append(
            Char(
                chr(code),
                rect.left - left,
                top - rect.top,
                rect.right - left,
                top - rect.bottom,
                float(size),
                top - oy.value,
            )
        )
    return out


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    horizontal = (x1 - x0) >= (bottom - top)
    if horizontal:
        y = (top + bottom) / 2
        top = bottom = y
    else:
        x = (x0 + x1) / 2
        x0 = x1 = x
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": "h" if horizontal else "v",
        "object_type": "line",
    }


def _white(obj, getter) -> bool:
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not getter(obj, r, g, b, a):
        return False
    return a.value == 0 or (r.value > 245 and g.value > 245 and b.value > 245)


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 8


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    """inner applied first, then outer (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def page_edges(page: pdfium.PdfPage, left: float, top: float) -> list[dict]:
    """Axis-aligned ruling lines of a page, form XObjects included."""
    edges: list[dict] = []
    budget = [MAX_SEGMENTS]
    raw = page.raw
    objects = [R.FPDFPage_GetObject(raw, i) for i in range(R.FPDFPage_CountObjects(raw))]
    _walk(objects, _IDENTITY, 0, edges, budget, left, top)
    return edges if budget[0] >= 0 else []


def _walk(objects, outer: Matrix, depth: int, edges: list[dict], budget: list[int], left: float, top: float) -> None:
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    fm = R.FS_MATRIX()
    for obj in objects:
        if not obj or budget[0] < 0:
            continue
        kind = R.FPDFPageObj_GetType(obj)
        if kind == R.FPDF_PAGEOBJ_FORM:
            if depth < MAX_FORM_DEPTH and R.FPDFPageObj_GetMatrix(obj, fm):
                inner = (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
                children = [R.FPDFFormObj_GetObject(obj, i) for i in range(R.FPDFFormObj_CountObjects(obj))]
                _walk(children, _compose(inner, outer), depth + 1, edges, budget, left, top)
            continue
        if kind != R.FPDF_PAGEOBJ_PATH:
            continue
        if not R.FPDFPath_GetDrawMode(obj, fillmode, stroke):
            continue
        stroked = bool(stroke.value) and not _white(obj, R.FPDFPageObj_GetStrokeColor)
        filled = fillmode.value != 0 and not _white(obj, R.FPDFPageObj_GetFillColor)
        if not (stroked or filled) or not R.FPDFPageObj_GetMatrix(obj, fm):
            continue
        n = R.FPDFPath_CountSegments(obj)
        budget[0] -= max(n, 0)
        if budget[0] < 0:
            return
        m = _compose((fm.a, fm.b, fm.c, fm.d, fm.e, fm.f), outer)
        _path_edges(obj, n, m, stroked, filled, edges, left, top)


def _path_edges(obj, n: int, m: Matrix, stroked: bool, filled: bool, edges: list[dict], left: float, top: float) -> None:
    a, b, c, d, e, f = m
    px, py = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for i in range(n):
        seg = R.FPDFPath_GetPathSegment(obj, i)
        if not seg or not R.FPDFPathSegment_GetPoint(seg, px, py):
            continue
        x = a * px.value + c * py.value + e - left
        y = top - (b * px.value + d * py.value + f)
        st = R.FPDFPathSegment_GetType(seg)
        if st == R.FPDF_SEGMENT_MOVETO:
            if len(current) > 1:
                subpaths.append(current)
            current = [(x, y)]
        elif st == R.FPDF_SEGMENT_LINETO:
            current.append((x, y))
        else:  # a curve: rounded corners are no table ruling
            if len(current) > 1:
                subpaths.append(current)
            current = [(x, y)]
            continue
        if R.FPDFPathSegment_GetClose(seg) and current:
            current.append(current[0])
            subpaths.append(current)
            current = []
    if len(current) > 1:
        subpaths.append(current)
    for points in subpaths:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        w, h = max(xs) - min(xs), max(ys) - min(ys)
        if filled and not stroked:
            if min(w, h) <= THIN and max(w, h) >= 1:
                edges.append(_edge(min(xs), min(ys), max(xs), max(ys)))
            continue
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            if abs(y0 - y1) < 0.5 and abs(x1 - x0) >= 1:
                edges.append(_edge(min(x0, x1), y0, max(x0, x1), y0))
            elif abs(x0 - x1) < 0.5 and abs(y1 - y0) >= 1:
                edges.append(_edge(x0, min(y0, y1), x0, max(y0, y1)))
