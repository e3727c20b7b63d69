"""lxml parsers that never load anything a file points to.

A DOCX part can declare a DTD whose parameter entity names a local file
(`<!DOCTYPE x [<!ENTITY % z SYSTEM "file:///dev/zero"> %z;]>`): libxml2 opens
it even with `resolve_entities=False` and `load_dtd=False`, so /dev/zero never
returns and /dev/tty steals the inspector's keys.  OOXML parts never carry a
DOCTYPE, so one is refused before lxml sees the bytes; and in case a part
hides one (an encoding the byte scan cannot read), every parser also turns
off DTD loading, entity expansion and the network, and its resolver refuses
every load instead of letting libxml2 open the path.

HTML pages legitimately start with a DOCTYPE, and libxml2's HTML parser
neither loads DTDs nor expands declared entities; its parsers get the
refusing resolver all the same.
"""

from __future__ import annotations

import codecs
import functools
import re

from ..errors import Refused
from ..msg import msg

_DOCTYPE = "<!DOCTYPE"
_DOCTYPE_FORMS = {
    "ascii": (_DOCTYPE.encode("ascii"),),
    "utf-16": (_DOCTYPE.encode("utf-16-le"), _DOCTYPE.encode("utf-16-be")),
}
# The start of an XML declaration in UTF-16 without a byte-order mark.
_UTF16_STARTS = (b"<\x00?\x00", b"\x00<\x00?")
# What libxml2 also recognises from a document's first bytes: UCS-4 and EBCDIC.
# A byte scan for `<!DOCTYPE` cannot read them, and OOXML allows neither.
_EBCDIC_START = b"\x4c\x6f\xa7\x94"
# Bounded, and only over the declaration's first bytes.
_DECLARED = re.compile(r"""^\s{0,64}<\?xml\s[^>]{0,200}?\bencoding\s{0,8}=\s{0,8}["']([A-Za-z0-9._:-]{1,40})["']""")
_PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


@functools.cache
def _refusing_resolver_class():
    """Built on first use: lxml is imported only by the readers that need it."""
    from lxml import etree

    class RefuseEveryLoad(etree.Resolver):
        def resolve(self, url, pubid, context):
            raise Refused(msg("the file points at {url}, which gikr never loads", url=url))

    return RefuseEveryLoad


def xml_parser():
    """An XMLParser for package parts: no DTD, no entities, no network, no loads."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )
    parser.resolvers.add(_refusing_resolver_class()())
    return parser


def html_parser(**options):
    """An HTMLParser with the network off and a resolver that refuses every load."""
    from lxml import etree

    parser = etree.HTMLParser(no_network=True, **options)
    parser.resolvers.add(_refusing_resolver_class()())
    return parser


def _scan_encoding(data: bytes, what: str) -> str:
    """`ascii` or `utf-16`: how `<!DOCTYPE` would be written in these bytes."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or data.startswith(_UTF16_STARTS):
        family = "utf-16"
        if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            head = data[:512].decode("utf-16", "replace")
        else:
            head = data[:512].decode("utf-16-le" if data[:1] == b"<" else "utf-16-be", "replace")
    else:
        if b"\x00" in data[:4] or data.startswith(_EBCDIC_START):
            raise Refused(msg("{what} is not UTF-8 or UTF-16 text, as OOXML requires", what=what))
        family = "ascii"
        head = data[:256].decode("latin-1").lstrip("\ufeff\u00ef\u00bb\u00bf")
    m = _DECLARED.match(head)
    if m:
        declared = m.group(1)
        try:
            codec = codecs.lookup(declared)
        except LookupError:
            codec = None
        if codec is None or not _keeps_ascii(codec.name, family):
            raise Refused(msg("{what} declares the encoding {encoding}; OOXML parts are UTF-8 or UTF-16",
                              what=what, encoding=declared))
    return family


@functools.cache
def _keeps_ascii(codec: str, family: str) -> bool:
    """Whether text in `codec` writes `<!DOCTYPE` the way the byte scan looks for it."""
    if family == "utf-16":
        return codec.startswith("utf-16") or codec == "utf-8"  # a UTF-8 label on UTF-16 bytes: libxml2 keeps UTF-16
    try:
        return _PRINTABLE_ASCII.encode(codec) == _PRINTABLE_ASCII.encode("ascii")
    except (LookupError, UnicodeError, TypeError):
        return False


def dtd_refused(what: str) -> Refused:
    return Refused(msg("{what} declares a DTD (<!DOCTYPE>), which OOXML parts never do", what=what))


def refuse_doctype(data: bytes, what: str) -> None:
    """Raise Refused if the part declares a DTD, or is written so a byte scan cannot tell."""
    family = _scan_encoding(data, what)
    if family == "ascii":
        found = _prolog_has_doctype(data)
    else:  # UTF-16 parts are rare: the whole part is searched
        found = any(form in data for form in _DOCTYPE_FORMS[family])
    if found:
        raise dtd_refused(what)


def _prolog_has_doctype(data: bytes) -> bool:
    """Whether a DOCTYPE comes before the root element, the only place one can stand.

    Only the prolog is read (declaration, comments, processing instructions):
    searching a 350 KB styles.xml whole for `<!DOCTYPE` cost 0.4 ms.  After
    the root element starts, a DOCTYPE is a syntax error libxml2 stops at.
    """
    pos = 0
    while True:
        pos = data.find(b"<", pos)
        if pos < 0:
            return False
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos + 2)
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
        else:
            return data.startswith(_DOCTYPE_FORMS["ascii"][0], pos)
        if end < 0:
            return False  # never closed: the parser fails before any DOCTYPE
        pos = end + 2


def has_doctype(root) -> bool:
    """After parsing: whether the document declared a DTD after all."""
    docinfo = root.getroottree().docinfo
    return bool(docinfo.doctype or docinfo.internalDTD is not None or docinfo.system_url or docinfo.public_id)
