"""Turning a text file's bytes into str.

Reports arrive as UTF-8 (with or without BOM), GB18030/GBK and UTF-16.  The
common cases are settled by BOMs and strict decodes, which cost microseconds;
charset-normalizer handles what is left.
"""

from __future__ import annotations

import codecs

from ..errors import BinaryFile, DecodeError, size_text

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


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


def _binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad > max(8, len(sample) // 100)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or a typed error."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), name
            except UnicodeDecodeError as e:
                raise DecodeError(f"not valid {name} text despite its byte-order mark (byte {e.start})") from None
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
            if not _binary(text):
                return text, utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:65536]:
        raise BinaryFile(f"file is {size_text(len(data))} of binary data")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if not _binary(text):
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is None or _binary(str(best)):
        raise BinaryFile(f"file is {size_text(len(data))} of binary data")
    return str(best), best.encoding
