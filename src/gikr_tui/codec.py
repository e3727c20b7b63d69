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

import dataclasses
import re
import types
import typing
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
    return packed(text) if compress else text


def packed(blob: bytes, level: int = _LEVEL) -> bytes:
    """`dumps`'s bytes compressed, when that pays and they are not already."""
    if len(blob) >= COMPRESS_FROM and blob[:1] != _ZLIB:
        smaller = zlib.compress(blob, level)
        if len(smaller) < len(blob) * 0.9:
            return smaller
    return blob


_SURROGATE = re.compile("[\ud800-\udfff]")


def _replace_surrogates(data):
    if isinstance(data, str):
        return _SURROGATE.sub("\ufffd", data)
    if isinstance(data, list):
        return [_replace_surrogates(v) for v in data]
    if isinstance(data, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in data.items()}
    return data


def _decoder(tp) -> msgspec.json.Decoder:  # (a view's Structs decode the same way)
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



# --- views: the same bytes decoded into light mirrors ------------------------------


def view(tp, leave_out: dict[type, tuple[str, ...]] | None = None, keep: tuple[type, ...] = ()) -> type:
    """A mirror of the dataclass `tp` as msgspec Structs, to decode what `dumps(tp)` wrote, faster.

    Each dataclass reached from `tp` becomes a Struct with its fields, types,
    defaults, methods and properties, less the fields `leave_out` names per
    class (skipped in the bytes, never built); classes in `keep` stay
    themselves.  A Struct is built in C where a dataclass is built field by
    field: a report's ~400 cells and origins decode in a fifth of the time.
    The values are checked against the same types, so bytes that are not what
    gikr wrote are still an error.  Derived from the dataclasses, so a field
    added to the model is in the view with no edit here.
    """
    made: dict[type, type] = {}
    leave_out = leave_out or {}

    def mirrored(t):
        if dataclasses.is_dataclass(t) and isinstance(t, type) and t not in keep:
            return struct(t)
        args = typing.get_args(t)
        if not args:
            return t
        origin = typing.get_origin(t)
        mapped = tuple(a if a is Ellipsis else mirrored(a) for a in args)
        if origin in (typing.Union, types.UnionType):
            return typing.Union[mapped]
        return origin[mapped if len(mapped) > 1 else mapped[0]]

    def struct(cls):
        if cls in made:
            return made[cls]
        skip = leave_out.get(cls, ())
        hints = typing.get_type_hints(cls)
        fields = [f for f in dataclasses.fields(cls) if f.name not in skip]
        spec = []
        for f in fields:
            if f.default is not dataclasses.MISSING:
                spec.append((f.name, object, f.default))
            elif f.default_factory is not dataclasses.MISSING:
                spec.append((f.name, object, msgspec.field(default_factory=f.default_factory)))
            else:
                spec.append((f.name, object))
        namespace = {name: value for name, value in vars(cls).items()
                     if not name.startswith("__") and isinstance(value, (types.FunctionType, property))}
        made[cls] = mirror = msgspec.defstruct(f"{cls.__name__}View", spec, namespace=namespace, module=__name__, gc=False)
        # the types last: a class that holds itself (a section's children) finds its mirror made
        mirror.__annotations__.update({f.name: mirrored(hints[f.name]) for f in fields})
        return mirror

    return struct(tp)
