"""DOCX reports: merged tables, auto-numbered headings, and damaged files."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expected import differences, load, paragraphs, tables
from gikr_tui.errors import LimitExceeded, ReportError
from gikr_tui.interpret import interpret
from gikr_tui.model import Paragraph
from gikr_tui.readers import ooxml_zip
from gikr_tui.readers import docx as docx_reader
from gikr_tui.readers.docx import read_docx
from gikr_tui.readers.ooxml_numbering import format_number

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docx"
EXPECTED = load(FIXTURES)


def _doc(name: str):
    return read_docx((FIXTURES / name).read_bytes())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reads_exactly(name):
    assert differences(FIXTURES / name, EXPECTED[name], strict=True) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_section_found_and_numbered(name):
    report = interpret(_doc(name))
    assert [s.status for s in report.sections] == ["ok"] * 6
    assert [s.numbering for s in report.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]


def test_auto_numbered_headings_get_their_numbers():
    paras = paragraphs(_doc("2021-autonumber-fullwidth.docx"))
    # the heading paragraphs hold only the titles; the numbers come from numbering.xml
    assert "一、总体情况" in paras
    assert "四、政府信息公开行政复议、行政诉讼情况" in paras
    # the second list level restarts under each heading: （一）（二）（三）
    assert [p for p in paras if p.startswith("（")] == [
        "（一）加强组织领导，压实工作责任。",
        "（二）强化主动公开，提升公开质效。",
        "（三）规范依申请公开办理。",
    ]


def test_numbering_through_the_heading_style():
    doc = _doc("2021-style-numbered.docx")
    headings = [b for b in doc.blocks if isinstance(b, Paragraph) and b.level == 1]
    assert [h.text for h in headings] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_headers_footers_and_text_boxes_are_not_content():
    paras = paragraphs(_doc("2021-national-merged.docx"))
    # the page header repeats a heading, the text box another; each must occur once, where the body has it
    assert paras.count("三、收到和处理政府信息公开申请情况") == 1
    assert sum("行政复议" in p for p in paras) == 1
    assert not any("第 1 页" in p for p in paras)
    assert paras.index("四、政府信息公开行政复议、行政诉讼情况") > paras.index("三、收到和处理政府信息公开申请情况")


def test_merged_labels_repeat_and_values_keep_their_grid_column():
    t3 = tables(_doc("2021-national-merged.docx"))[1]
    denied = [row for row in t3.rows if any(c.text == "（三）不予公开" for c in row)]
    assert len(denied) == 8  # the vertically merged group label is in each of its rows
    assert all(row[0].text == "三、本年度办理结果" for row in denied)
    received = next(row for row in t3.rows if row[0].text.startswith("一、本年新收"))
    assert received[0].colspan == 3  # one cell, not three
    assert [c.origin.col for c in received[1:]] == list(range(4, 11))
    assert (received[1].origin.table, received[1].origin.row) == (2, 4)
    assert received[1].text == "45"
    group = next(c for c in denied[0] if c.text == "（三）不予公开")
    assert group.rowspan == 8


@pytest.mark.parametrize("value", ["7", "１２３４５６７８９０１２３４５６７"])  # too long for a count: a value all the same
def test_vertically_merged_value_appears_once(value):
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(2, 0)).text = "（三）不予公开"
    t.cell(0, 1).text = "1.属于国家秘密"
    t.cell(1, 1).text = "2.其他法律行政法规禁止公开"
    t.cell(2, 1).text = "3.危及“三安全一稳定”"
    t.cell(0, 2).merge(t.cell(1, 2)).text = value
    t.cell(2, 2).text = "—"
    buf = io.BytesIO()
    d.save(buf)
    (table,) = tables(read_docx(buf.getvalue()))
    assert [[c.text for c in row] for row in table.rows] == [
        ["（三）不予公开", "1.属于国家秘密", value],
        ["（三）不予公开", "2.其他法律行政法规禁止公开", ""],
        ["（三）不予公开", "3.危及“三安全一稳定”", "—"],
    ]


def test_2019_table_2_rows_and_negative_changes():
    t2 = interpret(_doc("2019-template-dashes.docx")).active_disclosure
    got = {row: {f: v.number for f, v in fields.items()} for row, fields in t2.items()}
    assert got == {
        "regulations": {"new_made": 0, "new_published": 0, "total_published": 3},
        "normative_documents": {"new_made": 4, "new_published": 4, "total_published": 31},
        "licensing": {"previous_count": 40, "change": -3, "decisions": 212},
        "other_services": {"previous_count": 6, "change": 0, "decisions": 15},
        "punishment": {"previous_count": 85, "change": 2, "decisions": 64},
        "enforcement": {"previous_count": 12, "change": -1, "decisions": 3},
        "fees": {"previous_count": 5, "change": -5},
        "procurement": {"projects": 9, "amount": 356.8},
    }


def test_2021_table_2_rows():
    t2 = interpret(_doc("2021-national-merged.docx")).active_disclosure
    got = {row: {f: v.number for f, v in fields.items()} for row, fields in t2.items()}
    assert got["normative_documents"] == {"issued": 3, "repealed": 1, "in_force": 17}
    assert got["licensing"] == {"decisions": 126}
    assert got["fees"] == {"amount": 12.5}


def test_paragraph_origins_count_body_paragraphs():
    doc = _doc("2021-national-merged.docx")
    first = next(b for b in doc.blocks if isinstance(b, Paragraph))
    assert first.origin.line == 1
    assert first.text == "淮安市生态环境局2021年政府信息公开工作年度报告"


# --- numbering formats -------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, fmt, text",
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCountingThousand", "二十"),
        (3, "taiwaneseCountingThousand", "三"),
        (10, "ideographDigital", "一〇"),
        (23, "chineseCounting", "二十三"),
        (3, "ideographTraditional", "丙"),
        (2, "chineseLegalSimplified", "贰"),
        (4, "decimalEnclosedCircle", "④"),
        (28, "lowerLetter", "bb"),
        (14, "upperRoman", "XIV"),
        (7, "decimal", "7"),
        (12, "decimalFullWidth", "１２"),
    ],
)
def test_number_formats(n, fmt, text):
    assert format_number(n, fmt) == text


# --- broken input ------------------------------------------------------------------------


def _zip(files: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


def _parts(name: str) -> dict[str, bytes]:
    with zipfile.ZipFile(FIXTURES / name) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_random_bytes_are_not_a_docx():
    with pytest.raises(ReportError, match=r"^not a DOCX \(zip is damaged\)$"):
        read_docx(b"\x00\x01 this is not a zip file at all" * 10)


def test_truncated_zip_is_damaged():
    data = (FIXTURES / "2021-national-merged.docx").read_bytes()
    with pytest.raises(ReportError, match="zip is damaged"):
        read_docx(data[: len(data) // 2])


def test_zip_without_document_xml():
    with pytest.raises(ReportError, match=r"^not a DOCX \(no word/document.xml\)$"):
        read_docx(_zip({"hello.txt": b"hi"}))


def test_document_xml_that_is_not_xml():
    with pytest.raises(ReportError, match="word/document.xml is not valid XML"):
        read_docx(_zip({"word/document.xml": b"<w:document><unclosed"}))


def test_zip_bomb_is_refused_by_declared_size(monkeypatch):
    monkeypatch.setattr(ooxml_zip, "MAX_PART_BYTES", 1024 * 1024)
    bomb = _zip({"word/document.xml": b" " * (3 * 1024 * 1024)})
    assert len(bomb) < 20_000
    with pytest.raises(LimitExceeded, match=r"DOCX expands to 3\.0 MB, over the decompressed size limit of 1\.0 MB"):
        read_docx(bomb)


def test_zip_bomb_limit_is_64_mb_by_default():
    bomb = _zip({"word/document.xml": b"\x00" * (65 * 1024 * 1024)})
    with pytest.raises(LimitExceeded, match=r"over the decompressed size limit of 64\.0 MB"):
        read_docx(bomb)


def test_table_cell_limit(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_CELLS", 50)
    with pytest.raises(LimitExceeded, match="over 50 table cells"):
        _doc("2021-national-merged.docx")


SEED_DOCX = (FIXTURES / "2021-autonumber-fullwidth.docx").read_bytes()
SEED_XML = _parts("2021-autonumber-fullwidth.docx")["word/document.xml"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED_DOCX) - 1), st.integers(0, 255)), min_size=1, max_size=8),
       st.integers(0, len(SEED_DOCX)))
def test_mutated_docx_bytes_raise_only_report_errors(flips, cut):
    data = bytearray(SEED_DOCX[:max(cut, 1)])
    for pos, byte in flips:
        if pos < len(data):
            data[pos] = byte
    try:
        read_docx(bytes(data))
    except ReportError:
        pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED_XML) - 1), st.binary(min_size=0, max_size=6)), min_size=1, max_size=6))
def test_mutated_document_xml_raises_only_report_errors(edits):
    # stored uncompressed, so the damage reaches the XML parser and the walker, not just the zip's CRC
    xml = bytearray(SEED_XML)
    for pos, chunk in edits:
        xml[pos: pos + len(chunk)] = chunk
    parts = _parts("2021-autonumber-fullwidth.docx")
    parts["word/document.xml"] = bytes(xml)
    try:
        read_docx(_zip(parts, zipfile.ZIP_STORED))
    except ReportError:
        pass


def test_legacy_hmerge_joins_the_cell_to_its_left():
    d = docx.Document()
    t = d.add_table(rows=1, cols=4)
    for i, text in enumerate(("一、本年新收政府信息公开申请数量", "", "5", "5")):
        t.cell(0, i).text = text
    tc = t.cell(0, 1)._tc
    tc.get_or_add_tcPr().append(docx.oxml.parse_xml(f'<w:hMerge {docx.oxml.ns.nsdecls("w")}/>'))
    buf = io.BytesIO()
    d.save(buf)
    (table,) = tables(read_docx(buf.getvalue()))
    assert [(c.text, c.colspan, c.origin.col) for c in table.rows[0]] == [
        ("一、本年新收政府信息公开申请数量", 2, 1), ("5", 1, 3), ("5", 1, 4)]


def test_a_frame_table_around_the_report_is_read_as_its_content():
    d = docx.Document()
    frame = d.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = "三、收到和处理政府信息公开申请情况"
    inner = cell.add_table(rows=1, cols=3)
    for i, text in enumerate(("一、本年新收政府信息公开申请数量", "4", "4")):
        inner.cell(0, i).text = text
    cell.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    buf = io.BytesIO()
    d.save(buf)
    doc = read_docx(buf.getvalue())
    kinds = [(type(b).__name__, getattr(b, "text", None)) for b in doc.blocks]
    assert kinds == [
        ("Paragraph", "三、收到和处理政府信息公开申请情况"),
        ("Table", None),
        ("Paragraph", "四、政府信息公开行政复议、行政诉讼情况"),
    ]
    assert [c.text for c in doc.blocks[1].rows[0]] == ["一、本年新收政府信息公开申请数量", "4", "4"]
    assert doc.blocks[1].rows[0][1].origin.table == 1


def _with_alt_chunk(name: str, payload: bytes) -> bytes:
    """A DOCX whose body is one altChunk holding `payload`, as web-to-Word exporters write it."""
    parts = _parts("2021-national-merged.docx")
    xml = parts["word/document.xml"].decode("utf-8")
    start = xml.index("<w:body>") + len("<w:body>")
    end = xml.index("<w:sectPr")
    parts["word/document.xml"] = (xml[:start] + '<w:altChunk r:id="rIdChunk1"/>' + xml[end:]).encode("utf-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    rel = ('<Relationship Id="rIdChunk1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"'
           f' Target="{name}"/>')
    parts["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")
    parts["word/" + name] = payload
    return _zip(parts)


HTML_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "html" / "gov-site-gbk.html"


def test_alt_chunk_html_is_the_report():
    doc = read_docx(_with_alt_chunk("afchunk.htm", HTML_FIXTURE.read_bytes()))
    report = interpret(doc)
    assert report.agency == "淮安市自然资源和规划局"
    assert report.requests["received_new"]["total"].number == 54
    assert [s.status for s in report.sections] == ["ok"] * 6
    t3 = tables(doc)[1]
    assert t3.rows[0][0].origin.table == 2


def test_alt_chunk_mhtml_is_the_report():
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    html = HTML_FIXTURE.read_bytes().decode("gbk").replace("gb2312", "gbk")
    message = MIMEMultipart("related")
    message.attach(MIMEText(html, "html", "gbk"))
    doc = read_docx(_with_alt_chunk("afchunk.mht", message.as_bytes()))
    assert interpret(doc).requests["carried_forward"]["total"].number is not None
    assert "一、总体情况" in paragraphs(doc)


def _numbered_docx(headings: list[tuple[str, str]], nums: str) -> bytes:
    """A DOCX whose paragraphs carry (numId, text) under the given w:num elements of one abstract list."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    ns = docx.oxml.ns.nsdecls("w")
    abstract = docx.oxml.parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
    )
    numbering.find(docx.oxml.ns.qn("w:num")).addprevious(abstract)
    for el in docx.oxml.parse_xml(f"<w:x {ns}>{nums}</w:x>"):
        numbering.append(el)
    for num_id, text in headings:
        p = d.add_paragraph(text)
        p._p.get_or_add_pPr().append(docx.oxml.parse_xml(
            f'<w:numPr {ns}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_a_second_instance_of_a_list_continues_its_count():
    nums = '<w:num w:numId="91"><w:abstractNumId w:val="77"/></w:num><w:num w:numId="92"><w:abstractNumId w:val="77"/></w:num>'
    data = _numbered_docx([("91", "总体情况"), ("91", "主动公开政府信息情况"), ("92", "收到和处理政府信息公开申请情况")], nums)
    assert paragraphs(read_docx(data)) == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"]


def test_a_start_override_restarts_the_count():
    nums = ('<w:num w:numId="91"><w:abstractNumId w:val="77"/></w:num><w:num w:numId="93"><w:abstractNumId w:val="77"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>')
    data = _numbered_docx([("91", "总体情况"), ("91", "主动公开政府信息情况"), ("93", "甲"), ("93", "乙")], nums)
    assert paragraphs(read_docx(data)) == ["一、总体情况", "二、主动公开政府信息情况", "一、甲", "二、乙"]
