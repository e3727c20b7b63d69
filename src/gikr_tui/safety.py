"""Text from a report, made safe for the people who read it.

Reports come from the web: a title, a heading, a cell or a file name can carry
ESC sequences (OSC 52 writes the clipboard, OSC 2 the window title, CSI 2J
clears the screen), C1 controls, bidi overrides that reorder what is shown,
and a file name may hold a newline or bytes that are not UTF-8.  Wherever such
text reaches a terminal or a file meant for people, every control is shown as
a visible symbol instead.  Machine output (jsonl) stays lossless and escapes
them instead (see `output/jsonl.py`).
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, the bidi embeddings/overrides/isolates and
# marks, and the Unicode line/paragraph separators (some terminals break
# lines on them).  Lone surrogates are file-name bytes that are not UTF-8
# (os.fsdecode's surrogateescape): written back they would be raw bytes, C1
# controls among them.
# Other lone surrogates cannot be written to a UTF-8 stream at all.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_KEEP_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _symbol(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ … ␛ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # a byte of the name that is not UTF-8
    if code <= 0x9F:
        return f"\\x{code:02x}"  # C1 controls have no control picture
    return f"<U+{code:04X}>"


# What JSON leaves raw with ensure_ascii=False and a terminal (or a script's
# log) would act on: DEL, C1, bidi controls, line separators, and surrogates
# (from file names that are not UTF-8).  JSON's own escaping covers C0.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _json_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_escaped(text: str) -> str:
    """JSON text (from json.dumps with ensure_ascii=False) with those characters as \\uXXXX escapes.

    They only ever occur inside JSON strings, where an escape means the same
    character: the text parses back to exactly the same strings.  A lone
    surrogate stays a lone surrogate (`\\udc9b`), so `os.fsencode()` of a path
    read back gives the file name's bytes.
    """
    if _JSON_UNSAFE.search(text) is None:
        return text
    return _JSON_UNSAFE.sub(_json_escape, text)


def visible(text: str, keep_lines: bool = False) -> str:
    """`text` with every control character shown as a visible symbol.

    With `keep_lines`, newlines and tabs are kept (a body of text shown over
    several lines); otherwise they too become symbols (one line, one cell).
    """
    pattern = _UNSAFE_KEEP_LINES if keep_lines else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_symbol, text)


# A spreadsheet runs a cell that starts with one of these as a formula
# (`=HYPERLINK(...)`, `@SUM`, `+cmd|...`); a tab or CR may move it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value for a csv file people open in a spreadsheet: text shown safe and never a formula.

    Numbers stay numbers (a difference of -2 is not a formula); text that
    starts like a formula gets a leading `'`, as OWASP recommends.
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    return visible(value)
