"""Tiny PDFs whose form XObjects multiply the work of reading them (issue 10).

A form that draws itself twice makes a reader that follows forms to some
depth do 2^depth draws: 835 bytes that took a C library 28 s and 6 GB before
it aborted.  Forms drawing each other ten times, seven levels deep, ask for
ten million draws from 3 KB.  Both are written here, byte by byte.
"""

from __future__ import annotations

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of `objects` (numbered from 1, the first the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(entries: bytes, data: bytes) -> bytes:
    return b"<< " + entries + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _page(resources: bytes, content: bytes) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources " + resources + b" >>",
        stream(b"", content),
    ]


def self_drawing(times: int = 2) -> bytes:
    """A page that draws form /X, whose content draws /X (itself) `times` times."""
    resources = b"<< /XObject << /X 5 0 R >> /Font << /F 6 0 R >> >>"
    return pdf(_page(resources, b"BT /F 12 Tf 72 720 Td (report) Tj ET /X Do") + [
        stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources,
               b"BT /F 12 Tf 72 700 Td (x) Tj ET " + b" ".join([b"/X Do"] * times)),
        FONT,
    ])


def nested_forms(levels: int = 7, fanout: int = 10) -> bytes:
    """Form k draws form k+1 `fanout` times, `levels` deep; the last one prints a number."""
    first = 5
    objects = _page(b"<< /XObject << /F%d %d 0 R >> >>" % (first, first), b"/F%d Do" % first)
    font = first + levels
    for k in range(levels):
        number = first + k
        if k < levels - 1:
            data = b" ".join(b"q 1 0 0 1 %d 0 cm /F%d Do Q" % (i, number + 1) for i in range(fanout))
            resources = b"<< /XObject << /F%d %d 0 R >> >>" % (number + 1, number + 1)
        else:
            data = b"BT /F 8 Tf 10 10 Td (12) Tj ET"
            resources = b"<< /Font << /F %d 0 R >> >>" % font
        objects.append(stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources " + resources, data))
    objects.append(FONT)
    return pdf(objects)
