"""Saved web pages: the report inside a site's chrome, spans expanded, GBK pages."""

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expected import differences, load, paragraphs, tables
from gikr_tui.errors import ReportError
from gikr_tui.interpret import interpret
from gikr_tui.pipeline import check_file
from gikr_tui.readers.docx import read_docx
from gikr_tui.readers.html import read_html

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
EXPECTED = load(FIXTURES)


def _doc(name: str):
    return read_html((FIXTURES / name).read_bytes())


def _page(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode("utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reads_exactly(name):
    assert differences(FIXTURES / name, EXPECTED[name], strict=True) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_section_found_and_numbered(name):
    report = interpret(_doc(name))
    assert [s.status for s in report.sections] == ["ok"] * 6


@pytest.mark.parametrize("name", ["gov-site-gbk.html", "gov-site-2019-layout-table.htm"])
def test_gbk_pages_decode_by_their_meta_tag(name):
    doc = _doc(name)
    assert doc.encoding == "gb18030"  # gb2312/gbk declarations read with their superset
    assert "年政府信息公开工作年度报告" in paragraphs(doc)[0]


def test_site_chrome_is_dropped():
    paras = paragraphs(_doc("gov-site-gbk.html"))
    for menu in ("首页", "主动公开", "依申请公开", "无障碍"):
        assert not any(menu == p or p.startswith(menu) for p in paras), menu
    assert not any("当前位置" in p for p in paras)  # breadcrumbs
    assert not any("ICP" in p or "主办单位" in p for p in paras)  # footer
    assert not any("document.write" in p or "float" in p for p in paras)  # script and style
    assert paras[0] == "淮安市自然资源和规划局2021年政府信息公开工作年度报告"


def test_layout_tables_are_read_as_text():
    doc = _doc("gov-site-2019-layout-table.htm")
    paras = paragraphs(doc)
    assert not any("机构职能" in p for p in paras)  # the left menu of the layout table
    assert "一、总体情况" in paras
    assert len(tables(doc)) == 3  # tables 2, 3 and 4, not the page's frame


# a number too long to be a count is a value all the same: it is not repeated down like a label
@pytest.mark.parametrize("value", ["7", "12345678901234567"])
def test_spans_expand_labels_and_keep_values_once(value):
    doc = read_html(_page(
        "<table>"
        f'<tr><td rowspan="3">（三）不予公开</td><td>1.属于国家秘密</td><td rowspan="2">{value}</td><td>x</td></tr>'
        "<tr><td>2.其他法律行政法规禁止公开</td><td>y</td></tr>"
        '<tr><td>3.危及“三安全一稳定”</td><td colspan="2">&nbsp;</td></tr>'
        "</table>"
    ))
    (table,) = tables(doc)
    assert [[c.text for c in row] for row in table.rows] == [
        ["（三）不予公开", "1.属于国家秘密", value, "x"],
        ["（三）不予公开", "2.其他法律行政法规禁止公开", "", "y"],
        ["（三）不予公开", "3.危及“三安全一稳定”", ""],
    ]
    assert [c.origin.col for c in table.rows[1]] == [1, 2, 3, 4]
    assert table.rows[2][2].colspan == 2
    assert (table.rows[1][3].origin.table, table.rows[1][3].origin.row) == (1, 2)


def test_br_inside_cells_and_nbsp_cells():
    t3 = tables(_doc("gov-site-gbk.html"))[1]
    header = [c.text for c in t3.rows[2]]
    assert "商业\n企业" in header and "科研\n机构" in header
    received = next(row for row in t3.rows if row[0].text.startswith("一、本年新收"))
    assert [c.text for c in received[1:]] == ["45", "6", "", "1", "2", "", "54"]


def test_br_splits_paragraphs():
    paras = paragraphs(_doc("gov-site-gbk.html"))
    assert "（二）强化主动公开，提升公开质效。" in paras
    assert "六、其他需要报告的事项" in paras


def test_gbk_without_a_meta_tag_is_detected_from_the_bytes():
    body = "<p>某某县人民政府2021年政府信息公开工作年度报告</p><p>一、总体情况</p>"
    doc = read_html(f"<html><body>{body}</body></html>".encode("gbk"))
    assert paragraphs(doc) == ["某某县人民政府2021年政府信息公开工作年度报告", "一、总体情况"]


def test_a_lying_charset_falls_back_to_the_bytes():
    page = '<html><head><meta charset="utf-8"></head><body><p>二、主动公开政府信息情况</p></body></html>'
    assert paragraphs(read_html(page.encode("gbk"))) == ["二、主动公开政府信息情况"]


# rot13, hex, base64, zlib: codecs Python knows that are not text encodings;
# utf-7 and unicode_escape: text codecs no browser reads pages in; undefined:
# a codec that raises on every decode; hz-gb-2312: a label browsers refuse.
@pytest.mark.parametrize("charset", ["rot13", "hex", "base64", "zlib", "undefined", "utf-7", "unicode_escape",
                                     "hz-gb-2312", "no-such-codec", "x-user-defined"])
def test_a_charset_that_is_no_web_encoding_is_ignored_with_a_note(tmp_path, charset):
    page = (FIXTURES / "gov-site-gbk.html").read_bytes()
    assert page.count(b"charset=gb2312") == 1
    path = tmp_path / "page.html"
    path.write_bytes(page.replace(b"charset=gb2312", f"charset={charset}".encode()))
    result = check_file(path)
    assert result.error is None  # read, not "internal error: LookupError"
    assert result.report.agency == "淮安市自然资源和规划局"
    assert result.report.encoding == "gb18030"
    assert str(result.report.notes[-1].message) == (
        f"the page declares the charset {charset}, which is not a web text encoding; read as gb18030, detected from its bytes"
    )


def test_charset_labels_mean_what_they_mean_in_a_browser():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    doc = read_html(_page("", head).replace(b"<body></body>", "<body><p>一、总体情况</p></body>".encode("gbk")))
    assert (doc.encoding, doc.notes) == ("gb18030", [])  # GB2312 pages hold GBK characters
    # a page read as ASCII to find its <meta> is no UTF-16 page, whatever it says
    assert read_html(_page("<p>一、总体情况</p>", "<meta charset=utf-16>")).encoding == "utf-8"


def test_an_mhtml_chunk_with_a_charset_no_browser_knows_is_read_from_its_bytes():
    from email.mime.text import MIMEText

    from test_docx import _with_alt_chunk

    part = MIMEText("<html><body><p>一、总体情况</p></body></html>", "html", "utf-8")
    part.set_param("charset", "undefined")  # a Python codec that raises UnicodeError on every decode
    doc = read_docx(_with_alt_chunk("afchunk.mht", part.as_bytes()))
    assert paragraphs(doc) == ["一、总体情况"]


def test_link_only_paragraphs_are_menus_but_links_in_text_stay():
    doc = read_html(_page(
        '<div><a href="/">首页</a> <a href="/z">主动公开</a></div>'
        '<p>详见<a href="/f">附件</a>。</p>'
    ))
    assert paragraphs(doc) == ["详见附件。"]


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x00\x01\x02\x03" * 500])
def test_empty_or_binary_is_a_report_error(data):
    with pytest.raises(ReportError):
        read_html(data)


SEED = (FIXTURES / "gov-site-gbk.html").read_bytes()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED) - 1), st.binary(min_size=0, max_size=8)), min_size=1, max_size=10),
       st.integers(1, len(SEED)))
def test_mutated_pages_raise_only_report_errors(edits, cut):
    data = bytearray(SEED[:cut])
    for pos, chunk in edits:
        data[pos: pos + len(chunk)] = chunk
    try:
        read_html(bytes(data))
    except ReportError:
        pass


def test_a_content_block_with_a_chrome_like_class_is_kept():
    table = "".join(f"<tr><td>{label}</td><td>1</td></tr>" for label in ("规章", "行政规范性文件", "行政许可"))
    doc = read_html(_page(f'<div class="position-relative"><p>二、主动公开政府信息情况</p><table>{table}</table></div>'
                          '<div class="position"><a href="/">首页</a> &gt; 年报</div>'))
    assert paragraphs(doc) == ["二、主动公开政府信息情况"]
    assert len(tables(doc)) == 1


def test_rowspans_cannot_multiply_cells_past_the_limit(monkeypatch):
    from gikr_tui.errors import LimitExceeded
    from gikr_tui.readers import html as html_reader

    monkeypatch.setattr(html_reader, "MAX_CELLS", 1000)
    rows = "".join(f'<tr><td rowspan="65534">标签{i}</td></tr>' for i in range(60))  # 60 cells, 1830 after expansion
    with pytest.raises(LimitExceeded, match="over 1000 table cells"):
        read_html(_page(f"<table>{rows}</table>"))


def test_a_two_column_layout_without_nested_tables_is_prose():
    prose = "本机关认真贯彻落实政府信息公开条例。" * 20
    doc = read_html(_page(
        f'<table><tr><td><a href="/a">机构概况</a></td><td><p>一、总体情况</p><p>{prose}</p></td></tr></table>'
    ))
    assert paragraphs(doc) == ["一、总体情况", prose]
    assert tables(doc) == []


def test_a_western_charset_on_a_chinese_page_is_not_trusted():
    page = '<html><head><meta charset="iso-8859-1"></head><body><p>三、收到和处理政府信息公开申请情况</p></body></html>'
    assert paragraphs(read_html(page.encode("gbk"))) == ["三、收到和处理政府信息公开申请情况"]
    assert paragraphs(read_html(page.encode("utf-8"))) == ["三、收到和处理政府信息公开申请情况"]


def test_a_long_remark_cell_keeps_its_table_a_data_table():
    remark = "说明：" + "本表数据来源于本机关依申请公开工作台账，统计口径与上年一致。" * 12
    doc = read_html(_page(
        "<table><tr><td>一、本年新收政府信息公开申请数量</td><td>3</td><td>3</td></tr>"
        f'<tr><td colspan="3">{remark}</td></tr></table>'
    ))
    (table,) = tables(doc)
    assert [c.text for c in table.rows[0]] == ["一、本年新收政府信息公开申请数量", "3", "3"]


def test_bookmark_anchors_around_headings_are_not_links():
    doc = read_html(_page('<h1><a name="_Toc1"><span>一、总体情况</span></a></h1><p><a href="#_Toc1">一、总体情况</a></p>'))
    assert paragraphs(doc) == ["一、总体情况"]
    assert doc.blocks[0].level == 1


def test_a_scripted_menu_without_links_is_dropped():
    menu = "".join(f"<li onclick=\"go({i})\">{t}</li>" for i, t in enumerate(("首页", "主动公开", "依申请公开", "年度报告")))
    doc = read_html(_page(f"<ul>{menu}</ul><p>一、总体情况</p><ul><li>本年度主动公开政府信息1200条。</li>"
                          "<li>办理依申请公开31件。</li><li>无行政复议。</li></ul>"))
    assert paragraphs(doc) == ["一、总体情况", "本年度主动公开政府信息1200条。", "办理依申请公开31件。", "无行政复议。"]


def test_cell_text_lines_spaces_and_hidden_parts():
    doc = read_html(_page(
        "<table><tr>"
        "<td><p><span>商业</span></p>\n  <p> <span>企业</span> </p></td>"  # Word: a <p> per line
        "<td>\u3000 4 5\t\n 6 \xa0</td>"  # spaces inside kept once, Unicode spaces at the ends dropped
        "<td>法律<br/>服务<br><br>机构</td>"  # empty lines between <br>s go
        "<td><script>var x = 1;</script><style>p{}</style>12<span hidden-by-nothing> </span></td>"
        '<td colspan="1" rowspan="1"><div><div>  </div></div></td>'  # explicit span 1, nothing but blocks
        "</tr></table>"
    ))
    (table,) = tables(doc)
    assert [c.text for c in table.rows[0]] == ["商业\n企业", "4 5 6", "法律\n服务\n机构", "12", ""]
    assert [(c.colspan, c.rowspan) for c in table.rows[0]] == [(1, 1)] * 5


def test_separator_characters_in_a_page_cannot_split_its_cells():
    # the table pass separates rows, cells and lines with U+FDD0..U+FDD3;
    # a page holding them (noncharacters, never real text) gets U+FFFD instead
    doc = read_html(_page(
        "<table><tr><td>一、本年新收\ufdd1政府信息公开申请数量</td><td>4\ufdd05</td><td>\ufdd2\ufdd3</td></tr></table>"
    ))
    (table,) = tables(doc)
    assert [c.text for c in table.rows[0]] == ["一、本年新收\ufffd政府信息公开申请数量", "4\ufffd5", "\ufffd\ufffd"]
    assert len(table.rows) == 1


def test_a_rowspan_reaching_past_a_short_row_fills_the_gap_and_the_end():
    doc = read_html(_page(
        "<table>"
        '<tr><td>a</td><td rowspan="2">标签</td><td>b</td><td rowspan="2">9</td></tr>'
        "<tr><td>c</td></tr>"
        "</table>"
    ))
    (table,) = tables(doc)
    assert [[c.text for c in row] for row in table.rows] == [["a", "标签", "b", "9"], ["c", "标签", ""]]
    assert [c.origin.col for c in table.rows[1]] == [1, 2, 4]


def _reference_cell_text(td) -> str:
    """The cell-text rule written as a plain walk, to hold the XSLT pass to it."""
    from gikr_tui.readers.html import _BLOCK, _SKIP

    lines: list[str] = []
    current: list[str] = []

    def newline() -> None:
        text = re.sub(r"[ \t\r\n\f]+", " ", "".join(current)).strip()
        current.clear()
        if text:
            lines.append(text)

    def visit(el, top: bool) -> None:
        if not top:
            if el.tag in _SKIP:
                return
            if el.tag == "br":
                newline()
                return
        block = not top and el.tag in _BLOCK
        if block:
            newline()
        current.append(el.text or "")
        for child in el:
            visit(child, False)
            current.append(child.tail or "")
        if block:
            newline()

    visit(td, True)
    newline()
    return "\n".join(lines)


_CELL_TEXT = st.text(alphabet=st.sampled_from(list("0123456789一二 \t\n\xa0\u3000—")), max_size=6)
_CELL_HTML = st.recursive(
    _CELL_TEXT.map(lambda s: s.replace("&", "")),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(["p", "span", "div", "b", "font", "script", "li", "a"]), st.lists(inner, max_size=3)).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
        ),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: "<br>".join(parts)),
    ),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_CELL_HTML, min_size=1, max_size=4))
def test_cell_text_matches_the_rule_for_any_markup(cells):
    from lxml import etree

    page = _page("<table><tr><td>x</td><td>1</td></tr><tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr></table>")
    root = etree.fromstring(page, etree.HTMLParser(encoding="utf-8", remove_comments=True))
    expected = [_reference_cell_text(td) for td in root.iter("td")]
    got = [c.text for t in tables(read_html(page)) for row in t.rows for c in row]
    assert got == expected
