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


# --- A damaged label: its numbering, and how much of a template label it holds ---

# Numbering as a row label writes it, found after up to two characters glued on
# in front (a vertical label such as 三、本年度办理结果 drawn through the rows
# beside it lends each row a character or two).
# A bracket may be lost: (七 and 七) are still (七).
_ROW_NUMBERING = re.compile(
    r"\((?P<paren>[一二三四五六七八九十]{1,2}|\d{1,2})\)?"
    r"|(?P<top>[一二三四五六七八九十]{1,2})[、.]"
    r"|(?P<item>\d{1,2})[、.)](?!\d)"
    r"|(?P<closed>[一二三四五六七八九十]{1,2})\)"
)
GLUED_MAX = 2


@lru_cache(maxsize=4096)
def row_numbering(normed: str) -> tuple[str | None, int | None, str]:
    """(style, number, body) of a normalised row label, tolerant of glued characters.

    style is `top` (一、), `paren` ((一)) or `item` (1.); None when the label
    shows no numbering.  `三、1.属于国家秘密` (a glued 三、) is item 1.
    """
    for start in range(min(GLUED_MAX, len(normed)) + 1):
        m = _ROW_NUMBERING.match(normed, start)
        if m is None:
            continue
        group = m.lastgroup
        style = "paren" if group == "closed" else group
        body = normed[m.end():]
        if style == "top" and _ROW_NUMBERING.match(body):
            return row_numbering(body)  # 三、 glued in front of the row's own numbering
        return style, numbering_value(m.group(group)), body
    return None, None, normed


def common_chars(a: str, b: str) -> int:
    """How many characters of `a` appear in `b` in the same order (their LCS).

    A typo costs a character, glued or missing characters cost nothing but
    their own, and a label cut short keeps what it kept: the measure fits
    labels damaged by copying.
    """
    from rapidfuzz.distance import LCSseq  # only damaged labels get here

    return LCSseq.similarity(a, b)
