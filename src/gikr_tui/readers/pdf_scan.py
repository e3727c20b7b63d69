"""Pages of a PDF that are pictures: which to read by OCR, how, and within what time.

A page without a text layer that shows a picture (or every page, when none
has text) is a scan.  Reading one costs seconds, so only the pages that
matter are read: the first (its title gives agency, year and template) and
every page whose picture shows a ruled table.  The others are named in a
note.  Each page read earns PAGE_SECONDS beyond the file's time limit, and
so does loading the engine; at most MAX_OCR_PAGES pages are read.

A page is rendered at OCR_DPI, or at its picture's own resolution when that
is lower (more pixels than the scan has add nothing but time); a picture
under MIN_PPI is refused: at 56 ppi the recogniser turns digits into
confident garbage.
"""

from __future__ import annotations

from .. import progress
from ..errors import LimitExceeded, NoTextLayer
from ..msg import Msg, msg
from ..model import OcrInfo
from .pdf_pdfium import PageData

OCR_DPI = 150
MIN_PPI = 100
MAX_OCR_PAGES = progress.MAX_OCR_PAGES
PAGE_SECONDS = progress.PAGE_SECONDS
# Pixels one page may be rendered to (A4 at 150 dpi is 2.2 million): a page
# drawn hundreds of inches wide is read coarser, or refused under MIN_PPI.
MAX_PIXELS = 40_000_000


def image_ppi(page) -> float | None:
    """The resolution of the page's largest picture, in pixels per inch as drawn."""
    import pypdfium2.raw as R

    best: tuple[float, float] | None = None  # (drawn area, ppi)
    for obj in page.get_objects(filter=(R.FPDF_PAGEOBJ_IMAGE,), max_depth=3):
        try:
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except Exception:  # noqa: BLE001 - a damaged image object: judge by the others
            continue
        width, height = (right - left) / 72.0, (top - bottom) / 72.0
        if width <= 0 or height <= 0 or px_w <= 0 or px_h <= 0:
            continue
        ppi = min(px_w / width, px_h / height)
        if best is None or width * height > best[0]:
            best = (width * height, ppi)
    return best[1] if best is not None else None


def has_picture(page) -> bool:
    import pypdfium2.raw as R

    return any(True for _obj in page.get_objects(filter=(R.FPDF_PAGEOBJ_IMAGE,), max_depth=3))


def _render(page, dpi: float):
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    try:
        pixels = bitmap.to_numpy()
        return (pixels[:, :, 0] if pixels.ndim == 3 else pixels).copy()
    finally:
        bitmap.close()


def coarse_reason(ppi: float) -> Msg:
    return msg("scanned at {ppi} ppi, too coarse to read by OCR (it needs at least {minimum} ppi)",
               ppi=round(ppi), minimum=MIN_PPI)


def read_scanned(pdf, pages: list[PageData], scanned: list[int]) -> tuple[list[PageData], OcrInfo, list[Msg]]:
    """`pages` with the scanned ones (0-based indexes) read by OCR where they matter.

    Raises NoTextLayer when every page is a scan that cannot be read (no OCR
    here, or too coarse); a page that cannot be read among pages with text
    becomes a note instead.
    """
    from . import ocr

    every = len(scanned) == len(pages)
    notes: list[Msg] = []  # for the report's notes
    readable: list[tuple[int, float]] = []  # (index, dpi)
    coarse: list[tuple[int, float]] = []
    for i in scanned:
        page = pdf[i]
        try:
            ppi = image_ppi(page)
        finally:
            page.close()
        if ppi is not None and ppi < MIN_PPI:
            coarse.append((i, ppi))
        else:
            readable.append((i, min(OCR_DPI, round(ppi)) if ppi is not None else OCR_DPI))
    if coarse and not readable and every:
        raise NoTextLayer(coarse_reason(min(ppi for _index, ppi in coarse)))
    for i, ppi in coarse:
        notes.append(msg("page {page} was not read: {reason}", page=i + 1, reason=coarse_reason(ppi)))
    if not readable:
        return pages, OcrInfo([]), notes
    progress.allow(PAGE_SECONDS)  # loading the engine and preparing the pages
    if not ocr.available():
        if every:
            raise ocr.OcrUnavailable(ocr.unavailable_reason())
        listed = ", ".join(str(i + 1) for i, _dpi in readable)
        notes.append(msg("pages {pages} are pictures without text; to read them by OCR: {command}",
                         pages=listed, command=ocr.INSTALL))
        return pages, OcrInfo([]), notes
    chosen: list[tuple[int, ocr.Picture]] = []
    skipped: list[int] = []
    for i, dpi in readable:
        page = pdf[i]
        try:
            width, height = page.get_size()
            area = max(width * height / 72.0 / 72.0, 1e-6)  # square inches
            if dpi * dpi * area > MAX_PIXELS:
                dpi = (MAX_PIXELS / area) ** 0.5
                if dpi < MIN_PPI:
                    raise LimitExceeded(msg("page {page} is too large to read by OCR ({width} × {height} inches)",
                                            page=i + 1, width=f"{width / 72.0:.0f}", height=f"{height / 72.0:.0f}"))
            picture = _render(page, dpi)
        finally:
            page.close()
        picture = ocr.prepare(picture, dpi)
        if i == 0 or picture.has_table:
            if len(chosen) >= MAX_OCR_PAGES:
                raise LimitExceeded(msg("over {limit} scanned pages hold tables, the limit for reading by OCR",
                                        limit=MAX_OCR_PAGES))
            chosen.append((i, picture))
        else:
            skipped.append(i + 1)
    if skipped:
        notes.append(msg("pages {pages} are pictures without a table and were not read by OCR",
                         pages=", ".join(map(str, skipped))))
    info = OcrInfo([], skipped, engine=ocr.engine_name())
    out = list(pages)
    with progress.ocr_slot():
        for done, (i, picture) in enumerate(chosen):
            progress.allow(PAGE_SECONDS)
            progress.pages(done, len(chosen))
            out[i] = ocr.read_page(picture, i + 1)
            info.pages.append(i + 1)
            info.dpi.append(int(picture.dpi))
            info.skew.append(picture.angle)
        progress.pages(len(chosen), len(chosen))
    return out, info, notes
