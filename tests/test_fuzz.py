"""Fuzzing every reader with mutated real fixtures: only typed errors escape.

Each example takes a real file (the seeds, the PDF/DOCX/HTML fixtures, the
real Huai'an PDF when ../shared is present), mutates its bytes (bit flips,
cuts, deleted and duplicated runs, and tokens that matter to the format:
tabs and pipes for text, `<td colspan=…>` for HTML, `endobj` for PDF, table
XML inside a DOCX) and runs the whole pipeline: read, limits, interpret,
checks.  A ReportError is a pass; any other exception, or a hang, is a bug.

The budget is fixed and derandomized, so the suite is repeatable.
"""

from __future__ import annotations

import io
import os
import random
import signal
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gikr_tui import template as T
from gikr_tui.errors import ReportError
from gikr_tui.interpret import interpret
from gikr_tui.limits import check_limits
from gikr_tui.model import Cell, Document, Origin, Paragraph, Table
from gikr_tui.readers import read_bytes
from gikr_tui.checks import run

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
REAL_PDF = ROOT.parent / "shared" / "real" / "huaian-2024.pdf"

# A watchdog, not a speed test: a mutated file that makes a reader loop for
# a minute is a hang the runner's per-file time limit would have to catch.
HANG_SECONDS = 60


# GIKR_FUZZ_SCALE=20 multiplies every budget and draws fresh random inputs,
# for a deeper run by hand; the suite itself runs the fixed, repeatable budget.
FUZZ_SCALE = int(os.environ.get("GIKR_FUZZ_SCALE", "1"))


def _budget(n: int):
    return settings(
        max_examples=n * FUZZ_SCALE,
        deadline=None,
        derandomize=FUZZ_SCALE == 1,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def _blobs(*patterns: str) -> list[bytes]:
    files: list[Path] = []
    for pattern in patterns:
        files.extend(sorted(FIXTURES.glob(pattern)))
    return [p.read_bytes() for p in files]


TEXT = _blobs("seeds/*.txt")
PDF = ([REAL_PDF.read_bytes()] if REAL_PDF.exists() else []) + _blobs("pdf/*.pdf")
DOCX = _blobs("docx/*.docx")
HTML = _blobs("html/*.htm", "html/*.html")

TEXT_TOKENS = [
    b"\t", b"|", b"\n", b"\r\n", b"\n\n", b"\r", b"# ", b"| --- | --- |", b"\\|", b"**",
    "本年新收政府信息公开申请数量".encode(), "合计".encode(), "总计".encode(), "—".encode(), "０".encode(),
    "（三）不予公开".encode(), "行政复议".encode(), "其他".encode(), "一、".encode(), b"0", b"-1",
    b"99999999999999999999999999", b"1,234.5", b"1e999", b"[bookmark: ", b"\x00", b"\xef\xbb\xbf",
    b"\xff\xfe", b"\xe6\x9c", "\u3000".encode(), "\u200b".encode(),
]
PDF_TOKENS = [
    b"obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"startxref", b"%%EOF",
    b"/Length 999999999", b"/Length -1", b"/Type /Page", b"/Type /Pages", b"/Kids [", b"/Count 99999",
    b"0 0 R", b"1 0 R", b"<<", b">>", b"[", b"]", b"(", b")", b"/Filter /FlateDecode", b"/Encrypt",
    b"/Root", b"BT", b"ET", b"Tj", b"TJ", b"re f", b"/MediaBox [0 0 0 0]", b"/Rotate 45",
]
HTML_TOKENS = [
    b"<table>", b"</table>", b"<tr>", b"</tr>", b"<td>", b"</td>", b"<th>", b'<td rowspan="99999">',
    b'<td colspan="1000000">', b'<td colspan="-3">', b'<td rowspan="x">', b"<tbody>", b"<br>",
    b'<meta charset="gbk">', b'<meta charset="no-such-codec">', b"<!--", b"-->", b"&#0;", b"&#xD800;",
    b"<script>", b"</script>", b"<p>", "本年新收".encode(), "合计".encode(), b"\x00", b"\xff\xfe",
]
DOCX_XML_TOKENS = [
    b"<w:tbl>", b"</w:tbl>", b"<w:tr>", b"</w:tr>", b"<w:tc>", b"</w:tc>", b"<w:p>", b"</w:p>",
    b"<w:r><w:t>", b"</w:t></w:r>", b'<w:gridSpan w:val="999999"/>', b'<w:gridSpan w:val="-1"/>',
    b'<w:vMerge w:val="restart"/>', b"<w:vMerge/>", b'<w:numId w:val="7"/>', b'<w:ilvl w:val="99"/>',
    b"<w:altChunk r:id=\"rId999\"/>", b"<!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\">]>", b"&a;", b"&#0;",
    "本年新收".encode(), "合计".encode(), b"<", b">", b'"', b"\x00",
]


@st.composite
def mutated(draw, blobs: list[bytes], tokens: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(blobs)))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "byte", "cut", "token", "delete", "duplicate", "random"]))
        pos = draw(st.integers(0, len(data)))
        if op == "flip" and pos < len(data):
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "byte" and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[pos:]
        elif op == "token":
            data[pos:pos] = draw(st.sampled_from(tokens)) * draw(st.sampled_from([1, 1, 1, 2, 50]))
        elif op == "delete":
            del data[pos: pos + draw(st.integers(1, 256))]
        elif op == "duplicate":
            start = draw(st.integers(0, len(data)))
            data[pos:pos] = data[start: start + draw(st.integers(1, 4096))]
        elif op == "random":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


@st.composite
def docx_with_mutated_xml(draw) -> bytes:
    """A DOCX whose zip is sound but whose XML parts are mutated: reaches the parser."""
    source = zipfile.ZipFile(io.BytesIO(draw(st.sampled_from(DOCX))))
    names = source.namelist()
    xml_names = [n for n in names if n.endswith(".xml") or n.endswith(".rels")]
    target = draw(st.sampled_from(sorted(xml_names, key=lambda n: (n != "word/document.xml", n))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name in names:
            part = source.read(name)
            if name == target:
                part = draw(mutated([part], DOCX_XML_TOKENS))
            z.writestr(name, part)
    return out.getvalue()


class Hang(Exception):
    pass


def _on_alarm(signum, frame):  # noqa: ARG001
    raise Hang(f"the pipeline ran over {HANG_SECONDS} s on one input")


def pipeline(data: bytes, fmt: str) -> None:
    """Read, limit-check, interpret and check: typed errors are fine, anything else is not."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        doc = read_bytes(data, fmt)
        check_limits(doc)
        run(interpret(doc))  # every check, so none raises on odd input
    except ReportError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _reader_available(fmt: str) -> bool:
    try:
        read_bytes(b"x", fmt)
    except ReportError as e:
        return "not supported" not in str(e)
    except Exception:  # noqa: BLE001 - the reader exists; the fuzz test reports its failures
        return True
    return True


def _needs(blobs: list[bytes], fmt: str):
    return pytest.mark.skipif(
        not blobs or not _reader_available(fmt), reason=f"no {fmt} fixtures or no {fmt} reader in this tree"
    )


@_needs(TEXT, "text")
@_budget(60)
@given(mutated(TEXT, TEXT_TOKENS))
def test_fuzz_text(data):
    pipeline(data, "text")


@_needs(TEXT, "markdown")
@_budget(60)
@given(mutated(TEXT, TEXT_TOKENS))
def test_fuzz_markdown(data):
    pipeline(data, "markdown")


@_needs(PDF, "pdf")
@_budget(60)
@given(mutated(PDF, PDF_TOKENS))
def test_fuzz_pdf(data):
    pipeline(data, "pdf")


@_needs(DOCX, "docx")
@_budget(30)
@given(mutated(DOCX, DOCX_XML_TOKENS))
def test_fuzz_docx_bytes(data):
    pipeline(data, "docx")


@_needs(DOCX, "docx")
@_budget(60)
@given(docx_with_mutated_xml())
def test_fuzz_docx_xml(data):
    pipeline(data, "docx")


@_needs(HTML, "html")
@_budget(60)
@given(mutated(HTML, HTML_TOKENS))
def test_fuzz_html(data):
    pipeline(data, "html")


# --- odd documents straight into the interpreter --------------------------------
# Readers of every format hand the interpreter paragraphs and tables; these
# are built from the template's own words, numbers and dashes in any order,
# with empty rows, empty tables and ragged widths.

WORDS = sorted(
    set(T.SECTION_TITLES)
    | {spec.label for spec in T.ROW_SPECS.values()}
    | set(T.COL_LABELS.values())
    | set(T.GROUP_LABELS.values())
    | {
        "", " ", "0", "1", "7", "０", "１２", "1,234", "3.5", "-7", "99999999999999999999", "—", "-", "/", "无",
        "合计", "总计", "行政复议", "行政诉讼", "维持", "纠正", "其他结果", "尚未审结", "未经复议直接起诉",
        "复议后起诉", "申请人情况", "第三部分", "（三）", "三、", "3.", "2021年", "2019", "本年新收",
        "某某市人民政府办公室2023年政府信息公开工作年度报告", "\n", "\t", "|", "**", "#",
    }
)
# The cells are many (tables up to 40 rows of 12): drawn one by one through hypothesis, they took
# 90 % of this test's time (28 s for 150 documents, the interpreter 2 s).  Hypothesis draws each
# document's shape (which blocks, the table's cuts and row widths, the format) and one seed, from
# which a plain Random fills the cells the way the strategies did (mostly short lists, now and then
# empty or full): the same inputs' kind, the same derandomized repeatability.
VALUES = ["", "0", "1", "12", "—", "/", "无", "１２", "-3", "2.5", "1,000"]
_seed = st.integers(0, 2**64 - 1).map(random.Random)


def _size(rng: random.Random, most: int) -> int:
    """A list's length as hypothesis draws one: mostly a few, now and then none or the most."""
    if rng.random() < 0.1:
        return rng.choice((0, most))
    return min(most, int(rng.expovariate(1 / 5)))


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(_size(rng, 3)))


def _value(rng: random.Random) -> str:
    return rng.choice(VALUES) if rng.random() < 0.5 else _text(rng)


@st.composite
def template_table(draw) -> list[list[str]]:
    """Table 3 (and maybe 4) as the template lays it out, then knocked about."""
    rng = draw(_seed)
    labels = [spec.label for spec in T.ROW_SPECS.values()]
    if draw(st.booleans()):
        labels += ["行政复议", "维持", "纠正", "其他结果", "尚未审结", "总计", "行政诉讼", "未经复议直接起诉", "复议后起诉"]
    rows = []
    for label in labels:
        cut = draw(st.sampled_from(["keep", "keep", "keep", "drop", "split", "twice"]))
        if cut == "drop":
            continue
        cells = [label] + [_value(rng) for _ in range(draw(st.sampled_from([7, 7, 7, 0, 1, 6, 8, 9, 15])))]
        if cut == "split":  # a label broken over two rows, as page breaks do
            rows.append([label[: len(label) // 2]])
            cells[0] = label[len(label) // 2:]
        rows.append(cells)
        if cut == "twice":
            rows.append(list(cells))
    if draw(st.booleans()):
        rows.insert(0, ["申请人情况"] + list(T.COL_LABELS.values()))
    return rows


@st.composite
def odd_documents(draw) -> Document:
    blocks = []
    if draw(st.booleans()):
        rows = draw(template_table())
        blocks.append(Table([[Cell(t, Origin(table=1, row=r + 1)) for t in row] for r, row in enumerate(rows)], Origin(table=1)))
    rng = draw(_seed)
    for i in range(draw(st.integers(0, 30))):
        if draw(st.booleans()):
            blocks.append(Paragraph(_text(rng), Origin(line=i + 1), level=draw(st.integers(0, 3))))
        else:
            rows = [[_text(rng) for _ in range(_size(rng, 12))] for _ in range(_size(rng, 40))]
            blocks.append(Table([[Cell(t, Origin(table=i + 1)) for t in row] for row in rows], Origin(table=i + 1)))
    return Document(blocks, draw(st.sampled_from(["text", "markdown", "docx", "pdf", "html"])))


@_budget(300)
@given(odd_documents())
def test_fuzz_interpreter(doc):
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        check_limits(doc)
        run(interpret(doc))  # every check, so none raises on odd input
    except ReportError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
