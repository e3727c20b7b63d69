"""Tables pasted into a saved web page as pictures, read by OCR.

Agencies paste table 3 into their site as a screenshot: the page then holds
an `<img>` where the table should be.  When the page's own text lacks the
request-handling or review tables, each picture saved beside the page (in
its folder or the browser's `<name>_files` folder, never outside it) that
shows a ruled table is read by OCR and its tables and lines take the
picture's place in the document, each value keeping its confidence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import progress
from ..errors import ReportError
from ..msg import Msg, msg
from ..model import Block, OcrInfo, Table

MAX_PICTURES = 8  # pictures read by OCR in one page (within progress.MAX_OCR_PAGES)
MAX_PIXELS = 40_000_000
MIN_SIDE = 120  # pixels: icons, bullets and spacers are smaller
DEFAULT_DPI = 96.0  # a screenshot's, when the file does not say
PICTURE_SECONDS = progress.PAGE_SECONDS
# Words only the template's request-handling and review tables hold: a page
# whose text has both needs no picture read.
_T3_WORD, _T4_WORD = "本年新收", "行政复议"


@dataclass(slots=True)
class ImagePlace:
    """Where an `<img>` stood in the page."""

    src: str
    line: int | None


def _in_tables(blocks: list, word: str) -> bool:
    return any(word in cell.text for b in blocks if isinstance(b, Table) for row in b.rows for cell in row)


def _beside(page: Path, src: str) -> Path | None:
    """The picture's file in the page's folder (or its `_files` folder), if it is there."""
    parts = urlsplit(src.strip())
    if parts.scheme in ("data", "javascript"):
        return None
    name = unquote(parts.path)
    if not name:
        return None
    folder = page.parent.resolve()
    tries = []
    if not parts.scheme and not parts.netloc and not name.startswith("/"):
        tries.append(folder / name)
    base = os.path.basename(name)
    if base:
        tries += [folder / base, folder / f"{page.stem}_files" / base, folder / f"{page.stem}.files" / base]
    for candidate in tries:
        try:
            real = candidate.resolve()
        except (OSError, RuntimeError):
            continue
        if (real == folder or folder in real.parents) and real.is_file():
            return real
    return None


def _load(path: Path):
    """The picture as 8-bit grayscale and its resolution, or None if it is not one we can read."""
    from PIL import Image

    from ..pipeline import read_file_bytes

    try:
        data = read_file_bytes(path)
    except ReportError:
        return None
    import io

    try:
        with Image.open(io.BytesIO(data)) as im:
            if im.width * im.height > MAX_PIXELS or min(im.size) < MIN_SIDE:
                return None
            dpi = im.info.get("dpi", (DEFAULT_DPI, DEFAULT_DPI))[0] or DEFAULT_DPI
            import numpy as np

            return np.asarray(im.convert("L")).copy(), float(dpi)
    except Exception:  # noqa: BLE001 - a damaged or unknown image is just not read
        return None


def expand(blocks: list, page: str | os.PathLike | None) -> tuple[list[Block], OcrInfo | None, list[Msg]]:
    """The document's blocks with each table picture replaced by what OCR read in it."""
    pictures = [b for b in blocks if isinstance(b, ImagePlace)]
    text_blocks = [b for b in blocks if not isinstance(b, ImagePlace)]
    if not pictures or page is None or (_in_tables(text_blocks, _T3_WORD) and _in_tables(text_blocks, _T4_WORD)):
        return text_blocks, None, []
    files = {id(p): _beside(Path(page), p.src) for p in pictures}
    if not any(files.values()):
        return text_blocks, None, []
    from . import ocr

    progress.allow(PICTURE_SECONDS)  # loading the engine and preparing the pictures
    if not ocr.available():
        if not _in_tables(text_blocks, _T3_WORD):
            raise ocr.OcrUnavailable(msg("the tables are pictures; to read them by OCR: {command}", command=ocr.INSTALL))
        return text_blocks, None, [msg("pictures beside the page may hold tables; to read them by OCR: {command}",
                                       command=ocr.INSTALL)]
    from .pdf import _assemble

    chosen: dict[int, tuple[int, object]] = {}  # id(picture) -> (number, prepared picture)
    for number, picture in enumerate(pictures, start=1):
        path = files[id(picture)]
        loaded = _load(path) if path is not None else None
        if loaded is None:
            continue
        prepared = ocr.prepare(loaded[0], loaded[1])
        if prepared.has_table and len(chosen) < MAX_PICTURES:
            chosen[id(picture)] = (number, prepared)
    info = OcrInfo([], engine=ocr.engine_name())
    out: list[Block] = []
    with progress.ocr_slot():
        done = 0
        for block in blocks:
            if not isinstance(block, ImagePlace):
                out.append(block)
                continue
            if id(block) not in chosen:
                continue
            number, prepared = chosen[id(block)]
            progress.allow(PICTURE_SECONDS)
            progress.pages(done, len(chosen))
            read = _assemble([ocr.read_page(prepared, number)]).blocks
            out.extend(_placed(read, block.line))
            info.pages.append(number)
            info.dpi.append(round(prepared.dpi))
            info.skew.append(prepared.angle)
            done += 1
        progress.pages(done, len(chosen))
    return out, (info if info.pages else None), []


def _placed(blocks: list[Block], line: int | None) -> list[Block]:
    """Blocks read from a picture, their origins the `<img>`'s line and their place in it."""
    for block in blocks:
        origins = [block.origin]
        if isinstance(block, Table):
            origins += [cell.origin for row in block.rows for cell in row]
        for origin in origins:
            origin.page, origin.line = None, line
    return blocks
