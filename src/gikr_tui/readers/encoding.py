"""Turning a text file's bytes into str.

Reports arrive as UTF-8 (with or without BOM), GB18030/GBK and UTF-16.  The
common cases are settled by BOMs and strict decodes, which cost microseconds;
charset-normalizer handles what is left.  Every failure is a typed error, and
a file cut short mid-character (a truncated download) still decodes.
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


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) or a typed error."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = _strict(data[len(bom):], codec)
            except UnicodeDecodeError as e:
                raise DecodeError(f"not valid {name} text despite its byte-order mark (byte {e.start})") from None
            if _binary(text):
                raise BinaryFile(f"file is {size_text(len(data))} of binary data")
            return text, name
    utf16 = _looks_utf16(data)
    if utf16:
        try:
            text = _strict(data, utf16)
            if not _binary(text):
                return text, utf16
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:65536]:
        raise BinaryFile(f"file is {size_text(len(data))} of binary data")
    for codec in ("utf-8", "gb18030"):
        try:
            text = _strict(data, codec)
        except UnicodeDecodeError:
            continue
        if not _binary(text):
            return text, codec
        if codec == "utf-8":  # control characters are the same in every ASCII-based codec
            raise BinaryFile(f"file is {size_text(len(data))} of binary data")
    try:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
    except Exception:  # noqa: BLE001 - a detector failure is just "undetectable"
        best = None
    if best is None:
        raise BinaryFile(f"file is {size_text(len(data))} of binary data")
    try:
        text = str(best)
    except (UnicodeDecodeError, LookupError):
        raise DecodeError(f"text in an encoding gikr cannot decode ({best.encoding})") from None
    if _binary(text):
        raise BinaryFile(f"file is {size_text(len(data))} of binary data")
    return text, best.encoding
