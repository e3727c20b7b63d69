"""Normalising labels so that real files' variants compare equal.

Real reports write the same label many ways: full- or half-width brackets and
digits, `1.` or `1、`, spaces and line breaks inside words (“总 计”), Markdown
emphasis.  Everything is compared in one canonical form.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DROP = re.compile(r"[\s*#_`\u200b\ufeff]+")
# Brackets and punctuation NFKC leaves alone.
_TRANSLATE = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "．": ".", "﹒": ".", "：": ":"})

_CN_DIGITS = "一二三四五六七八九十"
# Numbering at the start of a label: 三、 (三) 3、 3. (3) 第三部分 第三 …
NUMBERING = re.compile(
    r"^(?:"
    r"第[一二三四五六七八九十\d]+(?:部分|项|章|节)?[、.:]?"
    r"|\([一二三四五六七八九十\d]{1,3}\)[、.]?"
    r"|[一二三四五六七八九十]{1,3}[、.]"
    r"|\d{1,2}[、.)](?!\d)"
    r")"
)
_NOT_A_DIGIT = re.compile(r"[^0-9一二三四五六七八九十]")


@lru_cache(maxsize=16384)  # the template's labels recur in every report
def norm(text: str) -> str:
    """Canonical form: NFKC, no whitespace or Markdown marks, ASCII brackets."""
    return _DROP.sub("", unicodedata.normalize("NFKC", text).translate(_TRANSLATE))


@lru_cache(maxsize=16384)
def split_numbering(normed: str) -> tuple[str, str]:
    """`(三)不予公开` -> (`(三)`, `不予公开`) on already normalised text."""
    m = NUMBERING.match(normed)
    if not m:
        return "", normed
    return m.group(0), normed[m.end():]


def numbering_value(numbering: str) -> int | None:
    """The number a numbering prefix stands for: `三、` -> 3, `(4)` -> 4."""
    digits = _NOT_A_DIGIT.sub("", numbering)
    if not digits:
        return None
    if digits.isdigit():
        return int(digits)
    if digits == "十":
        return 10
    if digits.startswith("十"):
        return 10 + _CN_DIGITS.index(digits[1]) + 1
    if len(digits) == 1:
        return _CN_DIGITS.index(digits) + 1
    if digits.endswith("十"):
        return (_CN_DIGITS.index(digits[0]) + 1) * 10
    return None
