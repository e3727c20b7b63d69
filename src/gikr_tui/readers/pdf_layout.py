"""Characters into lines, lines into paragraphs, for the PDF reader.

Chinese text carries no spaces between words, so a line is joined without
them wherever either side is CJK; Latin words and numbers keep the gap the
page shows.  Paragraphs are rebuilt from the page's geometry: a first-line
indent, a short previous line, a wider gap or a change of type size starts a
new one.  Page numbers and running headers are dropped here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .pdf_pdfium import Char

# A gap this many line heights wide splits a line into separate cells: the
# tab stops of a table drawn without rules.
CELL_GAP = 1.2


@dataclass(slots=True)
class Line:
    chars: list[Char]
    page: int
    text: str = ""
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    height: float = 0.0
    segments: list[list[Char]] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


def wide(ch: str) -> bool:
    """CJK, full-width forms and typographic punctuation: joined without spaces."""
    return ord(ch) >= 0x2000


def join_chars(chars: list[Char]) -> str:
    """One line's characters, in x order, as text."""
    out: list[str] = []
    prev: Char | None = None
    space = False
    for ch in chars:
        if ch.text.isspace():
            space = prev is not None
            continue
        if prev is not None and not (wide(prev.text) or wide(ch.text)):
            if space or ch.x0 - prev.x1 > 0.25 * min(ch.size, prev.size):
                out.append(" ")
        out.append(ch.text)
        prev = ch
        space = False
    return "".join(out)


def confidence(chars: list[Char]) -> float | None:
    """The lowest OCR score among `chars` (None for characters from a text layer)."""
    scores = [c.conf for c in chars if c.conf is not None]
    return min(scores) if scores else None


def join_lines(parts: list[str]) -> str:
    """Lines of one cell or paragraph: no space where a CJK character meets the break."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not (wide(out[-1]) or wide(part[0])):
            out += " "
        out += part
    return out


def group_lines(chars: list[Char], page: int) -> list[Line]:
    """Characters grouped by shared baseline, top to bottom, each line left to right."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: (c.base, c.x0))
    lines: list[list[Char]] = [[ordered[0]]]
    base = ordered[0].base
    for ch in ordered[1:]:
        if ch.base - base > 0.4 * ch.size:
            lines.append([ch])
            base = ch.base
        else:
            lines[-1].append(ch)
    out = []
    for group in lines:
        group.sort(key=lambda c: c.x0)
        line = _make_line(_unstacked(group), page)
        if line.text:
            out.append(line)
    return out


def _unstacked(chars: list[Char]) -> list[Char]:
    """Drop glyphs drawn again over themselves: the fake bold of office suites
    prints a character twice, a fraction of a point apart."""
    out: list[Char] = []
    for ch in chars:
        if any(p.text == ch.text and abs(p.x0 - ch.x0) < 1.0 and abs(p.base - ch.base) < 1.0 for p in out[-3:]):
            continue
        out.append(ch)
    return out


def _make_line(chars: list[Char], page: int) -> Line:
    ink = [c for c in chars if not c.text.isspace()] or chars
    heights = sorted(c.size for c in ink)
    line = Line(
        chars,
        page,
        join_chars(chars),
        min(c.x0 for c in ink),
        min(c.top for c in ink),
        max(c.x1 for c in ink),
        max(c.bottom for c in ink),
        heights[len(heights) // 2],
    )
    segments: list[list[Char]] = [[ink[0]]]
    for prev, ch in zip(ink, ink[1:]):
        if ch.x0 - prev.x1 > CELL_GAP * line.height:
            segments.append([ch])
        else:
            segments[-1].append(ch)
    line.segments = segments
    return line


# --- Running headers, footers and page numbers ---------------------------------

# Around the number: dashes, and the stray strokes OCR adds from a scan's
# specks (`-4-|`, `一4一`, `' -4- .`); a footer that is not recognised would
# stand between the two halves of a table that runs over the page break.
# `*+` and `\s*+` are possessive: two runs of spaces side by side must not
# trade characters, which is quadratic on a long line of spaces.
_AROUND = r"[-—–－―─_·•\s一丨|'‘’`.,:;~]"
PAGE_NUMBER = re.compile(
    rf"^(?:{_AROUND}*+\d{{1,4}}{_AROUND}*+"
    r"|第\s*\d{1,4}\s*+页(?:\s*+[,，/]?\s*+共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|Page|PAGE)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$"
)
_DIGITS = re.compile(r"\d+")
_MARGIN = 0.09  # the top and bottom share of a page where running text lives


def drop_running(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Remove page numbers and text repeated in the same margin on several pages."""
    def in_margin(line: Line, h: float) -> bool:
        return line.bottom < h * _MARGIN * 1.5 or line.top > h * (1 - _MARGIN)

    repeated = Counter()
    for lines, h in zip(pages, heights):
        seen = {_DIGITS.sub("#", line.text) for line in lines if in_margin(line, h)}
        repeated.update(seen)
    need = max(2, (len(pages) + 1) // 2)
    out: list[list[Line]] = []
    for lines, h in zip(pages, heights):
        kept = []
        for line in lines:
            if in_margin(line, h):
                if PAGE_NUMBER.match(line.text.strip()):
                    continue
                if len(pages) > 1 and repeated[_DIGITS.sub("#", line.text)] >= need:
                    continue
            kept.append(line)
        out.append(kept)
    return out


# --- Paragraphs ---------------------------------------------------------------------


@dataclass(slots=True)
class Measure:
    """The page body's left and right edges and usual line gap, document-wide."""

    left: float
    right: float
    gap: float


def measure(pages: list[list[Line]]) -> Measure:
    """Margins from the long lines only: short ones (headings, list items,
    last lines) would pull the right edge in and, when indented, the left."""
    every = [line for lines in pages for line in lines]
    widest = max((line.x1 - line.x0 for line in every), default=0.0)
    body = [line for line in every if line.x1 - line.x0 >= 0.6 * widest] or every
    lefts = Counter(round(line.x0) for line in body)
    rights = Counter(round(line.x1) for line in body)
    gaps = sorted(
        b.top - a.bottom
        for lines in pages
        for a, b in zip(lines, lines[1:])
        if 0 <= b.top - a.bottom < 3 * a.height
    )
    shared = [x for x in lefts if lefts[x] + lefts.get(x - 1, 0) + lefts.get(x + 1, 0) >= 2]
    left = float(min(shared)) if shared else float(min(lefts, default=0))
    right = _mode_edge(rights, max)
    gap = gaps[len(gaps) // 2] if gaps else 4.0
    return Measure(left, right, gap)


def _mode_edge(counts: Counter, pick) -> float:
    if not counts:
        return 0.0
    # neighbouring rounded positions are one margin: add them up
    best = max(counts, key=lambda x: counts[x] + counts.get(x - 1, 0) + counts.get(x + 1, 0))
    top = counts[best] + counts.get(best - 1, 0) + counts.get(best + 1, 0)
    if top < 3:
        return float(pick(counts))
    return float(best)


_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|第[一二三四五六七八九十\d]+部分|\d{1,2}\s*[、.．](?!\d))")


def starts_paragraph(prev: Line, line: Line, m: Measure) -> bool:
    h = max(line.height, 1.0)
    if line.x0 - m.left > 0.9 * h:
        return True  # first-line indent, or a centred title
    if m.right - prev.x1 > 1.5 * h:
        return True  # the previous line stopped short
    if line.top - prev.bottom > m.gap * 1.6 + 0.3 * h:
        return True
    if abs(line.height - prev.height) > 0.3 * h:
        return True
    return bool(_NUMBERED.match(line.text))


def ends_full(line: Line, m: Measure) -> bool:
    return m.right - line.x1 <= 1.5 * max(line.height, 1.0)
