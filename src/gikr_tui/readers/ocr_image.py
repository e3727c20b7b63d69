"""A scanned page as pixels: its skew, its ruling lines and its inked cells.

Everything here works on an 8-bit grayscale numpy array (0 ink, 255 paper)
with OpenCV.  The OCR reader straightens a page before reading it, reads its
ruling lines as table edges (the same edges PDFium gives for a text PDF),
erases them so the recogniser never reads a rule as `1` or `一`, and asks
whether a cell the recogniser left empty holds marks all the same.
"""

from __future__ import annotations

import cv2
import numpy as np

# A scan is straightened when it leans more than this (degrees); the search
# looks this far either way (a page fed askew, not one scanned sideways).
MIN_SKEW = 0.05
MAX_SKEW = 3.0
# Side of the copy the skew is measured on, in pixels: text lines stay
# several pixels apart, and each trial rotation costs about a millisecond.
SKEW_SIDE = 900

# A rule is a run of ink longer than any stroke of a character and thinner
# than a bold stroke, in inches (times the page's dpi).
RULE_MIN_H = 0.45
RULE_MIN_V = 0.25
RULE_MAX_THICK = 0.025
# A cell left empty by the recogniser holds marks if this much ink (in
# square inches, about a small `1` or a dash) is left once specks are dropped.
CELL_INK = 0.00045
CELL_INSET = 0.035  # inches kept clear of the cell's own rules
SPECK = 5  # pixels at 150 dpi: a blot this small is dust, not a stroke


def _ink(gray: np.ndarray) -> np.ndarray:
    """255 where there is ink, by Otsu's threshold (scans vary in contrast)."""
    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return out


def _rotate(image: np.ndarray, degrees: float, fill: int) -> np.ndarray:
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def skew(gray: np.ndarray) -> float:
    """The rotation (degrees, OpenCV's sense) that sets the page's lines level.

    Text lines and rules make the row profile of ink sharpest when they run
    level: the angle whose profile has the largest sum of squared steps wins,
    searched coarsely over ±MAX_SKEW and then finely around the best.
    """
    scale = min(1.0, SKEW_SIDE / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    ink = (_ink(small) > 0).astype(np.float32)
    if ink.sum() < 50:
        return 0.0

    def sharpness(angle: float) -> float:
        rows = _rotate(ink, angle, 0).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 1e-9, 0.25)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05)
    best = float(max(fine, key=sharpness))
    return best if abs(best) >= MIN_SKEW else 0.0


def straighten(gray: np.ndarray, degrees: float) -> np.ndarray:
    return _rotate(gray, degrees, 255) if degrees else gray


def _segments(mask: np.ndarray, horizontal: bool, min_len: int, max_thick: int) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) of each straight run in an opened mask, in pixels."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:count]:
        length, thick = (w, h) if horizontal else (h, w)
        if length < min_len or thick > max_thick:
            continue
        out.append((int(x), int(y), int(x + w), int(y + h)))
    return out


def _crossing(a: tuple[int, int, int, int], b: tuple[int, int, int, int], tol: int) -> bool:
    """Whether horizontal run `a` and vertical run `b` meet (or nearly)."""
    y = (a[1] + a[3]) / 2
    x = (b[0] + b[2]) / 2
    return a[0] - tol <= x <= a[2] + tol and b[1] - tol <= y <= b[3] + tol


def ruling(gray: np.ndarray, dpi: float) -> tuple[list[tuple[int, int, int, int]], list[tuple[int, int, int, int]], np.ndarray]:
    """Horizontal and vertical rules as pixel boxes, and a mask of their ink.

    Only runs that meet a run of the other direction count: a table's rules
    cross, while the long stroke of a large bold character (the hook of 报
    in a title) stands alone and must not be erased.
    """
    ink = _ink(gray)
    thick = max(3, round(RULE_MAX_THICK * dpi))
    bridge = max(3, round(dpi / 50))  # gaps a blurred or noisy rule breaks into
    found = []
    masks = []
    for horizontal, min_inch in ((True, RULE_MIN_H), (False, RULE_MIN_V)):
        length = max(10, round(min_inch * dpi))
        close = cv2.getStructuringElement(cv2.MORPH_RECT, (bridge, 1) if horizontal else (1, bridge))
        line = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        mask = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, close), cv2.MORPH_OPEN, line)
        found.append(_segments(mask, horizontal, length, thick * 2))
        masks.append(mask)
    tol = 2 * bridge
    across, down = found
    across_kept = [a for a in across if any(_crossing(a, b, tol) for b in down)]
    down_kept = [b for b in down if any(_crossing(a, b, tol) for a in across)]
    mask = np.zeros_like(ink)
    for runs, source in ((across_kept, masks[0]), (down_kept, masks[1])):
        for x0, y0, x1, y1 in runs:
            mask[y0:y1, x0:x1] |= source[y0:y1, x0:x1]
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    return across_kept, down_kept, mask


def erase(gray: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The page with its rules painted over in paper white."""
    out = gray.copy()
    out[mask > 0] = 255
    return out


def has_ink(gray: np.ndarray, box: tuple[int, int, int, int], dpi: float) -> bool:
    """Marks inside a cell (its own rules kept out), specks of noise aside."""
    inset = max(2, round(CELL_INSET * dpi))
    x0, y0, x1, y1 = box
    x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
    if x1 - x0 < 3 or y1 - y0 < 3:
        return False
    region = gray[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if region.size == 0:
        return False
    dark = (region < 128).astype(np.uint8)
    # specks of dust are a few pixels; a dash is one pixel thin but long
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    ink = sum(int(area) for area in stats[1:count, cv2.CC_STAT_AREA] if area >= SPECK * (dpi / 150) ** 2)
    return ink >= CELL_INK * dpi * dpi


def crop(gray: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return gray[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
