"""Results as plain data (JSON bytes), derived from the dataclasses themselves.

Results cross process boundaries (workers, later a cluster) and live in the
cache; both carry data, never pickles, so a cache file or a message holds
nothing that runs code when it is read.  msgspec derives the encoding from
each dataclass's fields and type hints, so a field added to the model (a
finding's severity, a value's OCR confidence) travels and round-trips with no
edit here; decoding checks every value against its type, so bytes that are
not what gikr wrote are an error, never a wrong object.

Bytes are compact JSON, zlib-compressed where that pays (a report's tables
and origins are repetitive: 38 KB of JSON packs to about 5 KB).  A zlib
stream starts with 0x78 (`x`), which no JSON text does.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

import msgspec

COMPRESS_FROM = 512  # bytes; below this zlib's header and dictionary do not pay
_LEVEL = 6
_ZLIB = b"\x78"

_encoder = msgspec.json.Encoder()
_decoders: dict[Any, msgspec.json.Decoder] = {}


class CodecError(ValueError):
    """Bytes that do not decode to the type asked for."""


def dumps(obj: Any, compress: bool = True) -> bytes:
    """`obj` (a dataclass, or containers of them) as JSON bytes, compressed when that pays."""
    try:
        text = _encoder.encode(obj)
    except UnicodeEncodeError:
        # A lone surrogate (text that was not valid Unicode where it came
        # from) has no UTF-8 form: it becomes U+FFFD, as a decoder would show it.
        text = _encoder.encode(_replace_surrogates(msgspec.to_builtins(obj)))
    if compress and len(text) >= COMPRESS_FROM:
        packed = zlib.compress(text, _LEVEL)
        if len(packed) < len(text) * 0.9:
            return packed
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(data):
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data)
    if isinstance(data, list):
        return [_replace_surrogates(v) for v in data]
    if isinstance(data, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in data.items()}
    return data


def _decoder(tp) -> msgspec.json.Decoder:
    decoder = _decoders.get(tp)
    if decoder is None:
        decoder = _decoders[tp] = msgspec.json.Decoder(tp)
    return decoder


def loads(tp, blob: bytes) -> Any:
    """The `tp` that `dumps` wrote into `blob`; CodecError for anything else."""
    try:
        if blob[:1] == _ZLIB:
            blob = zlib.decompress(blob)
        return _decoder(tp).decode(blob)
    except (zlib.error, msgspec.DecodeError, TypeError, ValueError) as e:
        raise CodecError(f"not a {getattr(tp, '__name__', tp)} gikr wrote: {e}") from None

