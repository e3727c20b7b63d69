"""Opening an Office zip package safely: damaged archives and zip bombs.

Every failure of zipfile or lxml becomes a ReportError here, so the readers
above never see a library exception.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import DamagedFile, Encrypted, LimitExceeded, Refused, ReportError, size_text
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
            raise DamagedFile(f"not a {kind} (zip is damaged)") from None

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str, limit: int | None = None) -> bytes:
        limit = MAX_PART_BYTES if limit is None else limit
        info = self.names[name]
        if info.file_size > limit:
            raise LimitExceeded(
                f"{self.kind} expands to {size_text(info.file_size)}, over the decompressed size limit of {size_text(limit)}"
            )
        try:
            with self.zip.open(info) as fh:
                data = fh.read(limit + 1)
        except MemoryError:
            raise
        except RuntimeError:
            raise Encrypted(f"not a readable {self.kind} (it is encrypted)") from None
        except NotImplementedError:
            raise ReportError(f"not a readable {self.kind} (unsupported zip compression)") from None
        except Exception:  # BadZipFile, zlib.error, EOFError, OSError on damaged members
            raise DamagedFile(f"not a {self.kind} (zip is damaged)") from None
        if len(data) > limit:
            # the directory lied about the size: the same bomb, caught while reading
            raise LimitExceeded(
                f"{self.kind} expands to over {size_text(limit)}, over the decompressed size limit of {size_text(limit)}"
            )
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
        first = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
        raise DamagedFile(f"{what} is not valid XML ({first})") from None
    if root is None:
        raise DamagedFile(f"{what} is empty")
    if has_doctype(root):
        raise dtd_refused(what)
    return root
