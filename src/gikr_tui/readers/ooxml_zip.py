"""Opening an Office zip package safely: damaged archives and zip bombs.

Every failure of zipfile or lxml becomes a ReportError here, so the readers
above never see a library exception.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import DamagedFile, Encrypted, LimitExceeded, Refused, ReportError, size_text
from ..msg import msg
from .safe_xml import dtd_refused, has_doctype, refuse_doctype, xml_parser

# document.xml of a long report is a few MB; 64 MB leaves room for embedded
# markup noise while refusing archives built to exhaust memory.
MAX_PART_BYTES = 64 * 1024 * 1024


class Package:
    def __init__(self, data: bytes, kind: str = "DOCX") -> None:
        self.kind = kind
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = {info.filename: info for info in self.zip.infolist()}
        except MemoryError:
            raise
        except Exception:  # BadZipFile, struct/unicode/value errors from a damaged directory
            raise DamagedFile(msg("not a {kind} (zip is damaged)", kind=kind)) from None

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str, limit: int | None = None) -> bytes:
        limit = MAX_PART_BYTES if limit is None else limit
        info = self.names[name]
        if info.file_size > limit:
            raise LimitExceeded(msg("{kind} expands to {size}, over the decompressed size limit of {limit}",
                                    kind=self.kind, size=size_text(info.file_size), limit=size_text(limit)))
        try:
            with self.zip.open(info) as fh:
                data = fh.read(limit + 1)
        except MemoryError:
            raise
        except RuntimeError:
            raise Encrypted(msg("not a readable {kind} (it is encrypted)", kind=self.kind)) from None
        except NotImplementedError:
            raise ReportError(msg("not a readable {kind} (unsupported zip compression)", kind=self.kind)) from None
        except Exception:  # BadZipFile, zlib.error, EOFError, OSError on damaged members
            raise DamagedFile(msg("not a {kind} (zip is damaged)", kind=self.kind)) from None
        if len(data) > limit:
            # the directory lied about the size: the same bomb, caught while reading
            raise LimitExceeded(msg("{kind} expands to over {limit}, over the decompressed size limit of {limit}",
                                    kind=self.kind, limit=size_text(limit)))
        return data


def parse_xml(data: bytes, what: str):
    """An lxml element for a package part; a DTD is refused and nothing is ever loaded."""
    from lxml import etree

    refuse_doctype(data, what)
    try:
        root = etree.fromstring(data, xml_parser())
    except MemoryError:
        raise
    except Refused:  # the resolver refused a load the byte scan could not see coming
        raise
    except Exception as e:  # XMLSyntaxError, ValueError for odd encodings
        position = getattr(e, "position", None)  # lxml's own words are English: say where instead
        if position and position[0]:
            raise DamagedFile(msg("{what} is not valid XML (line {line}, column {column})",
                                  what=what, line=position[0], column=position[1])) from None
        raise DamagedFile(msg("{what} is not valid XML", what=what)) from None
    if root is None:
        raise DamagedFile(msg("{what} is empty", what=what))
    if has_doctype(root):
        raise dtd_refused(what)
    return root
