"""Reading one cell's text as a value.

Blank stays blank, `0` is 0, and the dashes agencies use for "nothing here"
(`—`, `-`, `/`, `无`) are kept as written but hold no number.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .model import Origin, Value

DASHES = frozenset({"—", "——", "-", "--", "–", "－", "/", "／", "\\", "无", "—/—", "-/-", "…", "——/——", "─", "―"})
_INT = re.compile(r"^[+-]?\d+$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_UNIT = re.compile(r"(?:件|个|项|条|万元|元)$")
_SPACE = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
# No count or fee in a report has more digits; past them a number is not held exactly by a
# double (nor by a JavaScript reading the jsonl), a decimal overflows to inf and a long enough
# integer is refused by int() itself: such a cell is text, as a hostile file's would be.
MAX_DIGITS = 15


def too_many_digits(text: str) -> bool:
    """More digits than a count in a report has (MAX_DIGITS): never read as a number."""
    return sum(c.isdigit() for c in text) > MAX_DIGITS


_NUMBER_CHARS = frozenset("0123456789,.")


@lru_cache(maxsize=8192)
def over_long_number(text: str) -> bool:
    """Written as a number, but with more digits than MAX_DIGITS: its value is text (no number),
    and the interpreter says so in a note."""
    s = _UNIT.sub("", unicodedata.normalize("NFKC", clean(text)))
    body = s[1:] if s[:1] in "+-" else s
    return too_many_digits(body) and body.count(".") <= 1 and _NUMBER_CHARS.issuperset(body)


def clean(text: str) -> str:
    """Strip the whitespace copies leave inside cells (ideographic, NBSP)."""
    return _SPACE.sub("", text)


@lru_cache(maxsize=8192)  # cell texts repeat ("0", "") across rows and files
def parse_number(text: str) -> int | float | None:
    """The number in a cell's text, or None if it holds none."""
    s = unicodedata.normalize("NFKC", clean(text))
    if not s:
        return None
    s = _UNIT.sub("", s)
    if too_many_digits(s):
        return None
    if _INT.match(s):
        return int(s)
    if _THOUSANDS.match(s):
        s = s.replace(",", "")
        return float(s) if "." in s else int(s)
    if _DECIMAL.match(s):
        return float(s)
    return None


@lru_cache(maxsize=8192)
def kind(text: str) -> str:
    """`blank`, `number`, `dash` or `text` for a cell's raw text."""
    s = clean(text)
    if not s:
        return "blank"
    if s in DASHES or unicodedata.normalize("NFKC", s) in DASHES:
        return "dash"
    if parse_number(s) is not None:
        return "number"
    return "text"


def place_kind(text: str) -> str:
    """kind() for placing a cell in its table: a number too long to be a count is a value's cell
    all the same (`number` here, though it holds none), so its row keeps its label and its cells
    their columns; read as a label, it took a table-2 row away without a word."""
    k = kind(text)
    return "number" if k == "text" and over_long_number(text) else k


def is_value(text: str) -> bool:
    return kind(text) != "text"


def to_value(text: str, origin: Origin | None = None, note: str | None = None) -> Value:
    s, number = _cleaned(text)
    return Value(number, s, origin, note)


@lru_cache(maxsize=8192)
def _cleaned(text: str) -> tuple[str, int | float | None]:
    s = clean(text)
    return s, parse_number(s)
