"""The PDF reader: real producer output (LibreOffice from Word files, and the
WPS-made Huai'an report) read into the same Document the text layouts give."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expected import differences, load
from gikr_tui.errors import LimitExceeded, NoTextLayer, ReportError
from gikr_tui.interpret import interpret
from gikr_tui.model import Paragraph, Table
from gikr_tui.pipeline import check_file
from gikr_tui.readers import pdf as pdf_reader
from gikr_tui.readers.pdf import read_pdf
from gikr_tui.readers.pdf_layout import PAGE_NUMBER, group_lines, join_lines
from gikr_tui.readers.pdf_pdfium import Char
from gikr_tui.readers.pdf_tables import find_cells, rule

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
ERRORS = FIXTURES / "errors"
REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
CASES = sorted(load(FIXTURES))


def _doc(name: str):
    return read_pdf((FIXTURES / name).read_bytes())


def _rows(doc):
    for block in doc.blocks:
        if isinstance(block, Table):
            yield from block.rows


def _row_with(doc, words: str):
    hits = [row for row in _rows(doc) if any(words in c.text for c in row)]
    assert len(hits) == 1, f"{len(hits)} rows hold {words}"
    return hits[0]


# --- Whole reports, exactly ------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_fixture_reads_exactly(name):
    assert differences(FIXTURES / name, load(FIXTURES)[name], strict=True) == []


@pytest.mark.parametrize("name", CASES)
def test_fixture_headings_stand_apart_from_their_text(name):
    report = interpret(_doc(name))
    assert [s.status for s in report.sections] == ["ok"] * 6
    assert [c.title for c in report.sections[0].children] == ["（一）主动公开情况", "（二）依申请公开情况"]


@pytest.mark.skipif(not (REAL / "expected.json").exists(), reason="shared real reports not present")
def test_huaian_reads_exactly():
    want = load(REAL)["huaian-2024.pdf"]
    assert differences(REAL / "huaian-2024.pdf", want, strict=False) == []


@pytest.mark.skipif(not (REAL / "huaian-2024.pdf").exists(), reason="shared real reports not present")
def test_huaian_table_continues_over_the_page_break_with_its_own_labels():
    doc = read_pdf((REAL / "huaian-2024.pdf").read_bytes())
    row = _row_with(doc, "没有现成信息需要另行制作")
    numbers = [c for c in row if c.text.isdigit()]
    assert [c.text for c in numbers] == ["11", "0", "0", "0", "0", "0", "11"]
    assert {c.origin.page for c in numbers} == {5}
    # table 2 and table 3 each read as one table although both cross a page
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 3
    assert doc.pages == 6
    report = interpret(doc)
    assert [s.status for s in report.sections] == ["ok"] * 6
    assert len(report.sections[0].children) == 5
    # paragraphs cut by a page break read whole
    assert any(p.text.startswith("（一）主动公开情况") and p.text.endswith("回应舆论关切。") for p in report.sections[0].body)
    t2 = report.active_disclosure
    assert {k: v.number for k, v in t2["normative_documents"].items()} == {"issued": 8, "repealed": 26, "in_force": 66}
    assert t2["fees"]["amount"].number == 96171.6
    assert report.notes == []
    # WPS shades each prose line of page 3 with a white box: still prose
    assert any(p.text.startswith("（五）政府信息公开监督保障情况") for p in doc.blocks if isinstance(p, Paragraph))


# --- What the reader does with page breaks, frames and margins -------------------


def test_row_cut_by_page_break_is_rejoined_numbers_on_first_page():
    doc = _doc("word-2021-split-row.pdf")
    row = _row_with(doc, "逾期不补正")
    label = next(c for c in row if "逾期不补正" in c.text)
    assert re.sub(r"\s", "", label.text) == "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    numbers = [c for c in row if c.text.isdigit()]
    assert [c.text for c in numbers] == ["5", "0", "0", "0", "0", "0", "5"]
    # the label starts on the page that holds the numbers
    assert {c.origin.page for c in numbers} == {label.origin.page}


def test_row_cut_by_page_break_is_rejoined_numbers_on_both_pages():
    doc = _doc("word-2021-split-numbers-below.pdf")
    row = _row_with(doc, "确认或重新出具")
    label = next(c for c in row if "确认或重新出具" in c.text)
    assert re.sub(r"\s", "", label.text) == "5.要求行政机关确认或重新出具已获取信息"
    numbers = [c for c in row if c.text.isdigit()]
    assert [c.text for c in numbers] == ["1", "0", "0", "0", "0", "0", "1"]
    assert [c.origin.page - label.origin.page for c in numbers] == [1, 1, 1, 1, 1, 1, 0]


def test_blank_row_at_the_top_of_a_page_stays_its_own_row():
    # denied_3 is all blank and opens a page in the split-row fixture
    doc = _doc("word-2021-split-row.pdf")
    row = _row_with(doc, "三安全一稳定")
    assert [c.text for c in row if c.text.strip() and "三安全" not in c.text] == []
    other = _row_with(doc, "禁止公开")
    assert not any("三安全" in c.text for c in other)


def test_repeated_header_rows_are_dropped():
    doc = _doc("word-2021-basic.pdf")
    pages = {c.origin.page for row in _rows(doc) for c in row if "本年新收" in c.text or "结转下年度" in c.text}
    assert len(pages) == 2  # table 3 really runs over a page break
    assert len([row for row in _rows(doc) if any(c.text == "申请人情况" for c in row)]) == 1


def test_page_numbers_are_not_text():
    for name in ("word-2021-basic.pdf", "word-2019-vintage.pdf"):
        doc = _doc(name)
        texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
        assert not [t for t in texts if re.fullmatch(r"[-—\s]*\d+[-—\s]*", t)]
        assert doc.pages is not None and doc.pages >= 3


def test_prose_frames_are_paragraphs():
    # page borders on every page and a one-cell table around a paragraph
    doc = _doc("word-2021-split-numbers-below.pdf")
    paras = [b for b in doc.blocks if isinstance(b, Paragraph)]
    assert any(p.text.startswith("（一）主动公开情况。") for p in paras)
    for row in _rows(doc):
        assert not any("主动公开情况" in c.text for c in row)
    assert len([b for b in doc.blocks if isinstance(b, Table)]) == 3


def test_prose_row_across_a_ruled_grid_is_a_paragraph():
    doc = _doc("word-2019-vintage.pdf")
    at = next(i for i, b in enumerate(doc.blocks) if isinstance(b, Paragraph) and b.text.startswith("说明：本表依据"))
    assert doc.blocks[at].text.endswith("统计时间截至本年度十二月三十一日。")
    assert doc.blocks[at - 1].text == "二、主动公开政府信息情况"
    table = doc.blocks[at + 1]
    assert isinstance(table, Table) and table.rows[0][0].text == "第二十条第（一）项"


def test_reading_order_interleaves_paragraphs_and_tables():
    doc = _doc("word-2019-vintage.pdf")
    order = []
    for b in doc.blocks:
        if isinstance(b, Paragraph) and re.match(r"^[一二三四五六]、", b.text):
            order.append(b.text[0])
        elif isinstance(b, Table):
            order.append("T")
    assert order == ["一", "二", "T", "三", "T", "四", "T", "五", "六"]


def test_wrapped_labels_join_without_spaces():
    doc = _doc("word-2019-vintage.pdf")
    row = _row_with(doc, "区分处理的")
    assert any(c.text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" for c in row)


def test_every_value_keeps_page_and_position():
    import pypdfium2 as pdfium

    data = (FIXTURES / "word-2021-split-row.pdf").read_bytes()
    report = interpret(read_pdf(data))
    pdf = pdfium.PdfDocument(data)
    checked = 0
    for row in report.requests.values():
        for value in row.values():
            if not value.text:
                continue
            o = value.origin
            assert o is not None and o.page is not None and o.bbox is not None
            page = pdf[o.page - 1]
            height = page.get_height()
            x0, top, x1, bottom = o.bbox
            text = page.get_textpage().get_text_bounded(x0, height - bottom, x1, height - top)
            assert value.text in re.sub(r"\s", "", text)
            checked += 1
    assert checked > 100


def test_unruled_table_two_lines_become_rows():
    # word-2021-basic types table 2 as tab-stop lines with no ruling at all
    doc = _doc("word-2021-basic.pdf")
    row = _row_with(doc, "行政规范性文件")
    assert [c.text for c in row] == ["行政规范性文件", "5", "2", "41"]
    assert all(c.origin.page == 1 and c.origin.bbox is not None for c in row)
    t2 = interpret(doc).active_disclosure
    assert {k: v.number for k, v in t2["regulations"].items()} == {"issued": 0, "repealed": 0, "in_force": 3}
    assert t2["licensing"]["decisions"].number == 1234
    assert t2["fees"]["amount"].number == 12.5


def test_ruling_inside_form_xobjects_is_found():
    plain = _doc("word-2021-basic.pdf")
    wrapped = _doc("word-2021-in-forms.pdf")
    shape = lambda doc: [[len(r) for r in b.rows] for b in doc.blocks if isinstance(b, Table)]  # noqa: E731
    assert shape(wrapped) == shape(plain)
    assert max(len(t) for t in shape(plain)) > 20  # table 3 is among them


def test_2019_table_two_columns():
    report = interpret(_doc("word-2019-vintage.pdf"))
    t2 = report.active_disclosure
    assert t2["licensing"]["previous_count"].number == 120
    assert t2["licensing"]["change"].number == -3
    assert t2["procurement"]["amount"].number == 356.8


# --- Ruling ----------------------------------------------------------------------------


def _grid(top: float, rows: int, xs: list[float], sides: bool = True) -> list[dict]:
    """Rules of a grid `rows` high with columns at xs; sides=False leaves the outer verticals off."""
    ys = [top + 10 * i for i in range(rows + 1)]
    rules = [rule(xs[0], y, xs[-1], y) for y in ys]
    inner = xs if sides else xs[1:-1]
    rules += [rule(x, ys[0], x, ys[-1]) for x in inner]
    return rules


def test_table_without_outer_sides_keeps_its_label_column():
    cells = find_cells(_grid(0, 2, [0, 40, 60, 80], sides=False), 200, 200)
    assert [len(t) for t in cells] == [6]
    assert min(c[0] for c in cells[0]) == 0


def test_tables_one_above_the_other_stay_apart_when_closed():
    rules = _grid(0, 2, [0, 40, 60, 80], sides=False) + _grid(50, 3, [0, 40, 60, 80], sides=False)
    assert sorted(len(t) for t in find_cells(rules, 200, 200)) == [6, 9]


# --- Lines and margins ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["— 3 —", "- 3 -", "-4-", "12", "第 3 页 共 6 页", "3/6", "―5―"])
def test_page_number_lines(text):
    assert PAGE_NUMBER.match(text)


@pytest.mark.parametrize("text", ["2024年", "一、总体情况", "- 3 - 4 -x", "第三部分"])
def test_not_page_number_lines(text):
    assert not PAGE_NUMBER.match(text)


def _chars(text: str, x: float, base: float = 100.0, size: float = 10.0, step: float = 10.0) -> list[Char]:
    return [Char(t, x + i * step, base - 8, x + i * step + min(step, size), base + 2, size, base) for i, t in enumerate(text)]


def test_fake_bold_glyphs_drawn_twice_read_once():
    chars = _chars("一、总体情况", 50) + _chars("一、总体情况", 50.3, base=100.2)
    lines = group_lines(chars, 1)
    assert [line.text for line in lines] == ["一、总体情况"]


def test_lines_and_wide_gaps():
    chars = _chars("规章", 50) + _chars("12", 150, step=5) + _chars("本年度", 50, base=130)
    lines = group_lines(chars, 1)
    assert [line.text for line in lines] == ["规章12", "本年度"]
    assert [["".join(c.text for c in seg) for seg in line.segments] for line in lines] == [["规章", "12"], ["本年度"]]


def test_letter_spaced_title_is_not_a_table_row():
    from gikr_tui.readers.pdf import _unruled_rows

    title = group_lines(_chars("2024年报告", 50, step=30), 1)
    assert len(title[0].segments) == 7 and _unruled_rows(title) == {}
    numbers = group_lines(_chars("31206", 50, step=30), 1)
    assert [c.text for c in _unruled_rows(numbers)[id(numbers[0])]] == ["3", "1", "2", "0", "6"]


def test_lines_join_without_spaces_only_where_cjk_meets():
    assert join_lines(["（二）部分公开（区分处理的，只计这一情", "形，不计其他情形）"]) == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert join_lines(["hazwgkc@163.com", "phone"]) == "hazwgkc@163.com phone"
    assert join_lines(["2024", "年"]) == "2024年"


# --- Files that are not readable reports -------------------------------------------


def test_coarse_scan_is_refused_with_its_resolution():
    # judged before any OCR: the same line with or without the ocr extra
    with pytest.raises(NoTextLayer, match=r"^scanned at 56 ppi, too coarse to read by OCR \(it needs at least 100 ppi\)$"):
        read_pdf((ERRORS / "scanned.pdf").read_bytes())


def test_password_protected_pdf():
    with pytest.raises(ReportError, match="^encrypted PDF"):
        read_pdf((ERRORS / "encrypted.pdf").read_bytes())


def test_truncated_pdf():
    with pytest.raises(ReportError, match="^truncated PDF"):
        read_pdf((ERRORS / "truncated.pdf").read_bytes())


@pytest.mark.parametrize("data", [b"<html><body>report</body></html>", b"PK\x03\x04 not a pdf", b"   \n"])
def test_not_a_pdf(data):
    with pytest.raises(ReportError, match=r"^not a PDF \("):
        read_pdf(data)


def test_page_limit(monkeypatch):
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 2)
    with pytest.raises(LimitExceeded, match="limit of 2 pages"):
        read_pdf((FIXTURES / "word-2021-basic.pdf").read_bytes())


def test_pipeline_reports_errors_as_one_line():
    for name, start in (("scanned.pdf", "scanned at 56 ppi"), ("encrypted.pdf", "encrypted PDF"), ("truncated.pdf", "truncated PDF")):
        result = check_file(ERRORS / name)
        assert result.status == "error" and str(result.error).startswith(start), (name, result.error)
        assert "\n" not in str(result.error)


_SOURCES = [(FIXTURES / n).read_bytes() for n in ("word-2021-basic.pdf", "word-2019-vintage.pdf")]


@st.composite
def _mutated(draw):
    data = bytearray(draw(st.sampled_from(_SOURCES)))
    how = draw(st.sampled_from(["cut", "splat", "flip", "drop"]))
    at = draw(st.integers(0, len(data) - 1))
    if how == "cut":
        return bytes(data[:at])
    if how == "splat":
        junk = draw(st.binary(min_size=1, max_size=64))
        data[at: at + len(junk)] = junk
    elif how == "flip":
        for _ in range(draw(st.integers(1, 20))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= 1 << draw(st.integers(0, 7))
    else:
        span = draw(st.integers(1, 4096))
        del data[at: at + span]
    return bytes(data)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_mutated())
def test_damaged_bytes_raise_only_report_errors(data):
    try:
        doc = read_pdf(data)
    except ReportError as e:
        assert str(e) and "\n" not in str(e)
    else:
        assert doc.format == "pdf" and doc.pages
