"""English words on a Chinese screen: what a user with LANG=zh_CN.UTF-8 must not see.

A word of ASCII letters is allowed when it is a file name (or part of one), a
rule id, a key name (a keyboard key, an option, a jsonl key or a --checks
word), or one of the few names that have no Chinese of their own (file
formats, units, programs).  Anything with a digit, a path separator, a dot or
an underscore is a name or a number (2021, 4G, word/document.xml, row_total,
GIKR_LANG), and a single letter is a key (q, j, k) or a placeholder (Y).
"""

from __future__ import annotations

import re

from gikr_tui import checks

# Runs of what can make up a name, a path, an option or a number.
_TOKEN = re.compile(r"[A-Za-z0-9_$.\-/~=+*|%@#:]+")
_WORD = re.compile(r"[A-Za-z]{2,}")

KEYS = {
    # keyboard keys, as the footer, help and palette name them
    "Enter", "Esc", "Tab", "Shift", "Ctrl", "Alt", "PgUp", "PgDn", "Home", "End", "Space", "Backspace",
    "Del", "Delete", "Up", "Down", "Left", "Right", "ctrl", "shift", "tab", "enter", "escape", "up", "down",
    "left", "right", "home", "end", "pageup", "pagedown", "space", "backspace", "delete",
    # what the user types after gikr: commands, option values and --checks words
    "gikr", "check", "summary", "compare", "table", "jsonl", "csv", "zh", "en", "all",
    "error", "warning", "hint", *checks.SEVERITIES, *checks.families(), "ansi", "dark",
    # pip's command for the OCR extra, shown where it is missing
    "pip", "install", "ocr", "cluster", "local", "tcp", "host",
}
NAMES = {
    # file formats and the names of programs and encodings, written so in Chinese too
    "PDF", "DOCX", "DOC", "HTML", "XML", "OOXML", "DTD", "DOCTYPE", "Markdown", "pdf", "docx", "doc", "html",
    "htm", "txt", "md", "xls", "PNG", "JPEG", "GIF", "TIFF", "RAR", "Zip", "LibreOffice", "soffice", "CSV", "JSON",
    "TSV", "OSC", "SVG", "TOML",
    "rapidocr", "UTF", "GBK", "OLE", "Dask",
    # units
    "KB", "MB", "GB",
}


def allowed_words(file_names=()) -> set[str]:
    words = set(KEYS) | NAMES | {c.id for c in checks.all_checks()}
    for name in file_names:
        words.update(_WORD.findall(str(name)))
    return words


def english_words(text: str, allowed: set[str]) -> list[str]:
    """The English words in `text` that are none of the names above, in order."""
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0).strip(".:,=|*+~%")
        if not token or any(c.isdigit() for c in token) or "/" in token or "_" in token or "." in token:
            continue
        if token.startswith(("-", "$")):
            continue  # an option (--lang) or an environment variable ($GIKR_MEMORY)
        cut = text[match.end():match.end() + 1] == "…"  # a name cut short to fit its column
        words = _WORD.findall(token)
        for i, word in enumerate(words):
            if word in allowed or (cut and i == len(words) - 1 and any(a.startswith(word) for a in allowed)):
                continue
            found.append(word)
    return found
