"""Reading a picture of a page offline, into the characters and rules a text PDF gives.

The `ocr` extra brings RapidOCR with the detection and recognition models
inside its wheel, run by onnxruntime on one thread: nothing is downloaded,
ever (the models are named by path, so RapidOCR never looks for them on the
network).  A page is straightened, its ruling lines found and erased, and
the recogniser's character boxes become `Char`s carrying their score; the
rules become the edges PDFium would have given.  From there the page goes
through the same table assembly as a text PDF.

A cell that the detector left empty although it holds marks (an isolated
`1` is the usual victim) is read again on its own; if that still gives
nothing, it stays blank with a confidence of 0, so it is noted rather than
silently read as blank.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import NoTextLayer
from ..msg import Msg, msg
from .pdf_pdfium import Char, PageData
from .pdf_tables import find_cells, rule

INSTALL = "pip install 'gikr[ocr]'"
# A text box scoring this low is still read: single digits alone in a cell
# score low as boxes, and a missed `1` is the usual OCR error on tables.
DET_BOX_THRESH = 0.3
# The recogniser pads every crop to this width:height ratio at least; table
# cells hold short numbers, and the default (320/48) triples the work.
REC_IMAGE_SHAPE = [3, 48, 96]
REC_BATCH = 12
# The detector sees the page scaled to this many pixels on its long side
# (a 150-dpi A4 page is 1754): half the time, and on the fixtures no box lost.
DET_SIDE = 1280

_engine = None

# onnxruntime otherwise writes a device id for its telemetry under
# ~/.cache/Microsoft: a report checker has no business in the user's home.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")


class OcrUnavailable(NoTextLayer):
    """No OCR here: the extra is not installed, or its models are missing."""


def available() -> bool:
    """Whether the `ocr` extra is installed (imports it: only asked for a scanned page)."""
    try:
        import cv2  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True


def unavailable_reason() -> Msg:
    return msg("no text layer (a scanned PDF); to read it by OCR: {command}", command=INSTALL)


def engine_name() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"rapidocr {version('rapidocr')}"
    except PackageNotFoundError:
        return "rapidocr"


def _models() -> dict[str, Path]:
    """The detection and recognition models inside the rapidocr package."""
    import rapidocr

    folder = Path(rapidocr.__file__).parent / "models"
    found: dict[str, Path] = {}
    for task in ("det", "rec", "cls"):
        matches = sorted(folder.glob(f"*{task}*.onnx"))
        if len(matches) != 1 and task != "cls":
            raise OcrUnavailable(
                msg("the OCR models are missing from the rapidocr package ({folder}); reinstall it: {command}",
                    folder=str(folder), command=INSTALL)
            )
        if matches:
            found[task] = matches[0]
    return found


def engine():
    """One RapidOCR per process, made on first use (about half a second)."""
    global _engine
    if _engine is not None:
        return _engine
    if not available():
        raise OcrUnavailable(unavailable_reason())
    import cv2

    cv2.setNumThreads(1)  # one worker, one core: the pool decides the parallelism
    models = _models()
    from rapidocr import RapidOCR

    params = {
        "Global.log_level": "critical",
        "Global.use_cls": False,  # pages are upright: straightened, never upside down
        "Det.model_path": str(models["det"]),
        "Rec.model_path": str(models["rec"]),
        "Det.box_thresh": DET_BOX_THRESH,
        "Rec.rec_img_shape": REC_IMAGE_SHAPE,
        "Rec.rec_batch_num": REC_BATCH,
        "Det.limit_type": "max",
        "Det.limit_side_len": DET_SIDE,
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    if "cls" in models:
        params["Cls.model_path"] = str(models["cls"])
    _engine = RapidOCR(params=params)
    return _engine


def _bgr(gray):
    import cv2

    return cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)


# A box holding nothing but one to three of these is a dash in a table cell:
# the recogniser reads `—` as 一 (one), the commonest Chinese character.
_DASH_LIKE = frozenset("一—－-–―_~")
# Letters the recogniser gives for digits in a box of figures: `o` for 0 in a
# thin black-and-white scan.  Only boxes of figures and these are mended.
_DIGIT_LIKE = {"o": "0", "O": "0", "〇": "0", "。": "0", "°": "0", "D": "0", "l": "1", "I": "1", "|": "1", "丨": "1"}
_FIGURES = frozenset("0123456789.,%")
# A box this much lower than the page's usual line is a speck of dust or a
# scrap of an erased rule, not text (4-point type is not used in reports).
MIN_BOX_HEIGHT = 0.45


def _mend(text: str):
    """How to mend one box's text, read as figures or a dash: a function of an entry's text, or None."""
    chars = set(text)
    if 0 < len(text) <= 3 and chars <= _DASH_LIKE:
        return lambda t: "—" * len(t)
    lookalike = chars & set(_DIGIT_LIKE)
    if lookalike and chars <= _FIGURES | lookalike and (len(text) <= 2 or any(c.isdigit() for c in text)):
        return lambda t: "".join(_DIGIT_LIKE.get(c, c) for c in t)
    return None


def _chars(result, k: float) -> list[Char]:
    """Recognised characters, each with its box (points) and its score."""
    lines = []
    for line in result.word_results or ():
        boxes = [b for _t, _s, b in line if b is not None]
        if boxes:
            top = min(min(p[1] for p in b) for b in boxes)
            bottom = max(max(p[1] for p in b) for b in boxes)
            lines.append((line, top, bottom))
    if not lines:
        return []
    heights = sorted(bottom - top for _line, top, bottom in lines)
    usual = heights[len(heights) // 2]
    out: list[Char] = []
    for line, top, bottom in lines:
        if bottom - top < MIN_BOX_HEIGHT * usual:
            continue
        mend = _mend("".join(t for t, _s, _b in line))
        if mend is not None:
            line = [(mend(t), s, b) for t, s, b in line]
        for text, score, box in line:
            if box is None or not text:
                continue
            xs = [p[0] for p in box]
            x0, x1 = min(xs) * k, max(xs) * k
            step = (x1 - x0) / len(text)
            for i, ch in enumerate(text):  # a Latin "word" box: share it out
                out.append(Char(ch, x0 + i * step, top * k, x0 + (i + 1) * step, bottom * k, (bottom - top) * k, bottom * k, float(score)))
    return out


def _reread(eng, gray, box: tuple[int, int, int, int], k: float) -> list[Char]:
    """A cell the detector skipped, read on its own; a blank of confidence 0 if that fails too."""
    from . import ocr_image

    x0, y0, x1, y1 = box
    piece = ocr_image.crop(gray, box)
    text, score = "", 0.0
    if piece.size:
        got = eng(_bgr(piece), use_det=False, use_cls=False, use_rec=True, return_word_box=False, return_single_char_box=False)
        if got is not None and getattr(got, "txts", None):
            text, score = "".join(got.txts).strip(), float(min(got.scores))
            mend = _mend(text)
            text = mend(text) if mend is not None else text
    if not text:
        mid_x, mid_y = (x0 + x1) / 2 * k, (y0 + y1) / 2 * k
        return [Char(" ", mid_x, mid_y, mid_x, mid_y, 1.0, mid_y, 0.0)]
    top, bottom = y0 * k, y1 * k
    step = (x1 - x0) * k / len(text)
    return [Char(ch, x0 * k + i * step, top, x0 * k + (i + 1) * step, bottom, bottom - top, bottom, score) for i, ch in enumerate(text)]


@dataclass(slots=True)
class Picture:
    """A page picture made ready for reading: straightened, its rules found."""

    gray: object  # numpy uint8 array, straightened
    dpi: float
    angle: float  # degrees it was turned by
    across: list[tuple[int, int, int, int]]  # horizontal rules (pixels)
    down: list[tuple[int, int, int, int]]  # vertical rules (pixels)
    mask: object  # the rules' ink

    @property
    def has_table(self) -> bool:
        return len(self.across) >= TABLE_RULES and len(self.down) >= TABLE_RULES


# A picture showing this many rules each way holds a table.
TABLE_RULES = 3


def prepare(gray, dpi: float) -> Picture:
    """Straighten a picture (8-bit grayscale) and find its rules: cheap, before deciding to read it."""
    from . import ocr_image

    angle = ocr_image.skew(gray)
    gray = ocr_image.straighten(gray, angle)
    across, down, mask = ocr_image.ruling(gray, dpi)
    return Picture(gray, dpi, angle, across, down, mask)


def read_page(picture: Picture, number: int) -> PageData:
    """A prepared picture as a PageData: points from the straightened page's top-left corner."""
    from . import ocr_image

    eng = engine()
    dpi = picture.dpi
    clean = ocr_image.erase(picture.gray, picture.mask)
    k = 72.0 / dpi
    result = eng(
        _bgr(clean), use_det=True, use_cls=False, use_rec=True, return_word_box=True, return_single_char_box=True
    )
    chars = _chars(result, k) if result is not None else []
    edges = [rule(x0 * k, (y0 + y1) / 2 * k, x1 * k, (y0 + y1) / 2 * k) for x0, y0, x1, y1 in picture.across]
    edges += [rule((x0 + x1) / 2 * k, y0 * k, (x0 + x1) / 2 * k, y1 * k) for x0, y0, x1, y1 in picture.down]
    height, width = clean.shape[:2]
    if edges:
        for table in find_cells(edges, width * k, height * k):
            for cx0, ctop, cx1, cbottom in table:
                if any(cx0 <= (c.x0 + c.x1) / 2 <= cx1 and ctop <= (c.top + c.bottom) / 2 <= cbottom for c in chars):
                    continue
                box = (round(cx0 / k), round(ctop / k), round(cx1 / k), round(cbottom / k))
                if ocr_image.has_ink(clean, box, dpi):
                    chars.extend(_reread(eng, clean, box, k))
    return PageData(number, width * k, height * k, chars, edges)
