"""Turning a text file's bytes into str.

Reports arrive as UTF-8 (with or without BOM), GB18030/GBK and UTF-16.  The
common cases are settled by BOMs and strict decodes, which cost microseconds;
charset-normalizer handles what is left.  Every failure is a typed error.

Damaged copies still decode when the damage is small: a file cut off
mid-character, a zero-filled tail left by an unfinished download, a few
corrupt bytes (each becomes U+FFFD).  Binary files are named for what they
look like, since a report under the wrong extension is the usual cause.
"""

from __future__ import annotations

import codecs

from ..errors import BinaryFile, DecodeError, size_text
from ..msg import msg

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_UNIT = {"utf-16-le": 2, "utf-16-be": 2, "utf-32-le": 4, "utf-32-be": 4}


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: NULs fill one byte of most ASCII characters."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > half * 0.2 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.2 and odd < half * 0.05:
        return "utf-16-be"
    return None


def _texty(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o < 0x7F or ch in "\t\n\r"
        or 0x4E00 <= o <= 0x9FFF  # CJK ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation: — “ ” …
    )


def _utf16_by_content(data: bytes) -> str | None:
    """UTF-16 Chinese without a BOM has few NULs (一 is 00 4E) on both sides.

    Decoding a sample both ways tells: the right byte order reads as
    ideographs, punctuation and ASCII; the wrong one, and binary data, do not.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        text = sample.decode(codec, errors="replace")
        if text and sum(map(_texty, text)) >= 0.9 * len(text):
            return codec
    return None


def _binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad > max(8, len(sample) // 100)


def _strict(data: bytes, codec: str) -> str:
    """Decode strictly, forgiving only a character cut off at the very end.

    A download that stopped mid-character is still the report it was; any
    bad byte before the last few is a real decoding failure.
    """
    unit = _UNIT.get(codec)
    if unit and len(data) % unit:
        data = data[: len(data) - len(data) % unit]
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        if e.start >= len(data) - 4 and e.reason in ("unexpected end of data", "incomplete multibyte sequence"):
            return data[: e.start].decode(codec)
        raise


def _lenient(data: bytes, codec: str) -> str | None:
    """The text with its few bad bytes replaced, or None if there are many.

    A report with a handful of corrupted bytes is still the report; text in
    another encoding fails on nearly every character and stays refused.
    """
    text = data.decode(codec, errors="replace")
    return text if text.count("\ufffd") <= 8 + len(text) // 1000 else None


# What a binary file most often is when it carries a text extension: a
# report saved or downloaded under the wrong name.
_MAGIC = (
    (b"%PDF-", msg("a PDF")),
    (b"PK\x03\x04", msg("a zip archive, such as a DOCX")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", msg("an old Word .doc or Excel .xls")),
    (b"\x89PNG", msg("a PNG image")),
    (b"\xff\xd8\xff", msg("a JPEG image")),
    (b"GIF8", msg("a GIF image")),
    (b"II*\x00", msg("a TIFF image")),
    (b"MM\x00*", msg("a TIFF image")),
    (b"Rar!", msg("a RAR archive")),
    (b"7z\xbc\xaf", msg("a 7-Zip archive")),
    (b"\x1f\x8b", msg("a gzip archive")),
)


def _binary_error(data: bytes) -> BinaryFile:
    head = data.lstrip()[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return BinaryFile(msg("file is {size} of binary data (it looks like {what}; wrong extension?)",
                                  size=size_text(len(data)), what=what))
    return BinaryFile(msg("file is {size} of binary data", size=size_text(len(data))))


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or a typed error."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                text = _strict(body, codec)
            except UnicodeDecodeError as e:
                text = _lenient(body, codec)
                if text is None:
                    raise DecodeError(msg("not valid {encoding} text despite its byte-order mark (byte {byte})",
                                          encoding=name, byte=e.start)) from None
            if _binary(text):
                raise _binary_error(data)
            return text, name
    for utf16 in (_looks_utf16(data), _utf16_by_content(data) if b"\x00" in data[:65536] else None):
        if utf16:
            try:
                text = _strict(data, utf16)
            except UnicodeDecodeError:
                continue
            if not _binary(text):
                return text, utf16
    # An interrupted download is often zero-filled to its full size.
    body = data.rstrip(b"\x00")
    if not body:
        raise BinaryFile(msg("file holds only NUL bytes ({size}; an unfinished download?)", size=size_text(len(data))))
    if b"\x00" in body[:65536]:
        raise _binary_error(data)
    for codec in ("utf-8", "gb18030"):
        try:
            text = _strict(body, codec)
        except UnicodeDecodeError:
            continue
        if not _binary(text):
            return text, codec
        if codec == "utf-8":  # control characters are the same in every ASCII-based codec
            raise _binary_error(data)
    for codec in ("utf-8", "gb18030"):
        text = _lenient(body, codec)
        if text is not None and not _binary(text):
            return text, codec
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(body).best()
    except Exception:  # noqa: BLE001 - a detector failure is just "undetectable"
        best = None
    if best is None:
        raise _binary_error(data)
    try:
        text = str(best)
    except (UnicodeDecodeError, LookupError):
        raise DecodeError(msg("text in an encoding gikr cannot decode ({encoding})", encoding=best.encoding)) from None
    if _binary(text):
        raise _binary_error(data)
    return text, best.encoding
