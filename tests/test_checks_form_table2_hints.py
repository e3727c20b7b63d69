"""The form (sections), table 2 and hint checks, on reports built in memory."""

import pytest

from gikr_tui import template as T
from gikr_tui.checks import run, status
from gikr_tui.checks.form import section_missing, section_order, section_thin
from gikr_tui.checks.hints import misplaced_column, split_number
from gikr_tui.checks.table2 import t2_value
from gikr_tui.model import Origin, Passage, Report, Section, Value
from gikr_tui.values import to_value


def _sections(**bodies) -> list[Section]:
    """Six sections, each with a body of real length unless given (`s5=["无。"]`)."""
    out = []
    for n in range(1, 7):
        body = bodies.get(f"s{n}", ["本机关认真贯彻落实政府信息公开条例，各项工作有序开展。"])
        out.append(Section(n, T.SECTION_TITLES[n - 1], T.SECTION_TITLES[n - 1], Origin(line=n * 10), "一二三四五六"[n - 1] + "、",
                           body=[Passage(t, Origin(line=n * 10 + 1 + i)) for i, t in enumerate(body)]))
    return out


def _report(**kw) -> Report:
    kw.setdefault("sections", _sections())
    return Report("text", T.T2021, 2023, **kw)


# --- form -------------------------------------------------------------------------------


@pytest.mark.parametrize("body, count", [([], 0), (["无"], 1), (["无。"], 1), (["暂无"], 2), (["本年度无。"], 4), (["问题较少，继续改进了"], 9)])
def test_section_five_thin(body, count):
    [f] = section_thin(_report(sections=_sections(s5=body)))
    assert (f.rule, f.severity, f.section, f.reported) == ("section_thin", "warning", 5, count)
    assert f.text is not None and f.text.section == 5
    if body:
        assert f.text.quote == body[0] and f.text.line == 51 and f.text.paragraph == 0


def test_section_thin_messages_say_what_the_section_says():
    assert section_thin_message([]) == "section 五（存在的主要问题及改进情况） is empty"
    assert section_thin_message(["无。"]) == "section 五（存在的主要问题及改进情况） says only “无。”"
    assert "has 4 characters of its own text (“本年度无。”), fewer than 10" in section_thin_message(["本年度无。"])


def section_thin_message(body):
    [f] = section_thin(_report(sections=_sections(s5=body)))
    return f.message()


def test_section_one_thin_but_not_two_to_four_nor_six():
    sections = _sections(s1=["无"], s2=[], s3=[], s4=["无"], s6=["无。"])
    assert [f.section for f in section_thin(_report(sections=sections))] == [1]


@pytest.mark.parametrize("body", [
    ["一是公开深度不够。下一步将加强培训。"],
    ["无", "（一）存在问题：信息更新不够及时。"],  # 无 on one line, then the real text
    ["问题较少，继续改进。"] * 2,
    ["问题较少，需要继续改进"],  # 10 characters: enough
])
def test_section_with_text_of_its_own_is_not_thin(body):
    assert list(section_thin(_report(sections=_sections(s5=body)))) == []


def test_heading_tail_counts_and_a_repeated_title_does_not():
    sections = _sections(s5=["某某县人民政府2023年政府信息公开工作年度报告"])
    sections[4].text = "五、存在的主要问题及改进情况：无"
    [f] = section_thin(_report(sections=sections))
    assert f.text.quote == "无"
    sections[4].text = "五、存在的主要问题及改进情况：人员力量不足，培训不够"
    assert list(section_thin(_report(sections=sections))) == []


def test_missing_section_is_missing_not_thin():
    sections = _sections()
    sections[4] = Section(5, T.SECTION_TITLES[4], None, status="missing")
    report = _report(sections=sections)
    assert [(f.rule, f.section) for f in run(report, only={"section_missing", "section_thin"})] == [("section_missing", 5)]
    assert status(run(report)) == "violations"  # a warning fails the report


def test_section_order_findings_name_the_numbering():
    sections = _sections()
    sections[2].status, sections[2].numbering = "misnumbered", "四、"
    sections[3].status, sections[3].numbering = "unnumbered", None
    sections[1].status = "out_of_order"
    found = list(section_order(_report(sections=sections)))
    assert [(f.section, f.phrase) for f in found] == [(2, "二、"), (3, "四、"), (4, None)]
    assert [f.message() for f in found] == [
        "section 二（主动公开政府信息情况） comes after a later section",
        "section 三（收到和处理政府信息公开申请情况） is numbered “四、”",
        "section 四（政府信息公开行政复议、行政诉讼情况） has no number",
    ]
    assert list(section_missing(_report(sections=sections))) == []


def test_interpreter_says_out_of_order(tmp_path):
    from gikr_tui.pipeline import read_report
    from report_maker import consistent_truth, render, write_cells
    import random

    rng = random.Random(3)
    truth = consistent_truth(rng, T.T2021)
    write_cells(truth, rng, "zeros")
    text = render(truth, "tab", rng)
    # move section 五 (heading and body) before section 四
    four = text.index("四、政府信息公开行政复议")
    five = text.index("五、存在的主要问题")
    six = text.index("六、其他需要报告")
    text = text[:four] + text[five:six] + text[four:five] + text[six:]
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    report = read_report(path)
    assert [s.status for s in report.sections] == ["ok", "ok", "ok", "out_of_order", "ok", "ok"]
    assert report.sections[4].body[0].text == "一是公开深度不够。下一步将加强培训。"
    assert [(f.rule, f.section) for f in run(report, only={"section_order", "section_missing"})] == [("section_order", 4)]


# --- table 2 ------------------------------------------------------------------------------


def _t2(**rows) -> dict:
    return {row: {f: to_value(v) for f, v in fields.items()} for row, fields in rows.items()}


def test_t2_negative_and_fractional_counts_are_warnings_blanks_hints():
    t2 = _t2(
        regulations={"issued": "0", "repealed": "", "in_force": "3"},
        normative_documents={"issued": "2", "repealed": "-1", "in_force": "15"},
        licensing={"decisions": "12.5"},
        fees={"amount": "12.3456"},
    )
    found = list(t2_value(_report(active_disclosure=t2)))
    assert [(f.severity, f.row, f.field, f.reported, f.table, f.cells) for f in found] == [
        ("hint", "regulations", "repealed", None, 2, (("regulations", "repealed"),)),
        ("warning", "normative_documents", "repealed", -1, 2, (("normative_documents", "repealed"),)),
        ("warning", "licensing", "decisions", 12.5, 2, (("licensing", "decisions"),)),
    ]
    assert [f.message() for f in found] == [
        "table 2 规章 / 本年废止件数: left blank where the template asks for a number",
        "table 2 行政规范性文件 / 本年废止件数: -1 is a negative count",
        "table 2 行政许可 / 处理决定数量: 12.5 is not a whole number",
    ]


def test_t2_trailing_blank_cells_are_blank_and_2019_changes_may_be_negative():
    t2 = _t2(regulations={"issued": "1"}, licensing={"previous_count": "20", "change": "-2", "decisions": "300"})
    report = _report(active_disclosure=t2)
    assert [(f.severity, f.field) for f in t2_value(report)] == [("hint", "repealed"), ("hint", "in_force")]
    report.template = T.T2019  # its 本年增/减 may be negative; 2021 names on a 2019 row are not guessed at
    assert list(t2_value(report)) == []
    report.active_disclosure = _t2(regulations={"new_made": "1", "new_published": "", "total_published": "-3"})
    assert [(f.severity, f.field) for f in t2_value(report)] == [("warning", "total_published"), ("hint", "new_published")]


def test_hints_alone_leave_a_report_ok():
    t2 = _t2(regulations={"issued": "", "repealed": "0", "in_force": "3"})
    findings = run(_report(active_disclosure=t2))
    assert [f.severity for f in findings] == ["hint"]
    assert status(findings) == "ok"


# --- hints ----------------------------------------------------------------------------------


def _grid(**cells):
    grid = {r: {c: Value(None) for c in T.COLS} for r in T.rows_for(T.T2021)}
    for key, n in cells.items():
        row, col = key.rsplit("__", 1)
        grid[row][col] = to_value(str(n))
    return grid


def test_split_number_names_both_cells():
    # 自然人 10 was copied as 1 | 0 into two cells, the row's other columns shifted
    grid = _grid(granted__natural=1, granted__commercial=0, granted__research=2, granted__total=12)
    [f] = split_number(_report(requests=grid))
    assert (f.rule, f.severity, f.row, f.cells, f.alternative, f.table) == (
        "split_number", "hint", "granted", (("granted", "natural"), ("granted", "commercial")), 10, 3)
    assert f.message() == "（一）予以公开: 自然人 and 商业企业 read as one number, 10, make 总计 hold (a number split in two by the copy?)"
    findings = run(_report(requests=grid), only={"row_total", "split_number"})
    assert [f.rule for f in findings] == ["row_total", "split_number"]  # the error stays; the hint explains it


def test_split_number_between_the_last_column_and_the_total():
    grid = _grid(granted__natural=10, granted__other=2, granted__total=0)  # 总计 12 read as 2 | 0? no: 1 | 2
    grid["granted"]["other"], grid["granted"]["total"] = to_value("1"), to_value("0")
    assert [f.cells for f in split_number(_report(requests=grid))] == [(("granted", "other"), ("granted", "total"))]


def test_no_split_number_when_no_merge_explains_the_row():
    grid = _grid(granted__natural=3, granted__commercial=4, granted__total=8)
    assert list(split_number(_report(requests=grid))) == []
    grid = _grid(granted__natural=3, granted__commercial=4, granted__total=7)  # holds
    assert list(split_number(_report(requests=grid))) == []


def _balanced(**extra):
    cells = dict(
        received_new__natural=5, received_new__commercial=2, received_new__total=7,
        granted__natural=5, granted__commercial=2, granted__total=7,
        results_total__natural=5, results_total__commercial=2, results_total__total=7,
    )
    cells.update(extra)
    return _grid(**cells)


def test_misplaced_column_pairs_opposite_balance_failures():
    # one application received from a company counted under 自然人 in the results
    grid = _balanced(granted__natural=6, granted__commercial=1, results_total__natural=6, results_total__commercial=1)
    findings = run(_report(requests=grid))
    assert [(f.rule, f.col) for f in findings] == [
        ("balance", "natural"), ("balance", "commercial"), ("misplaced_column", "natural"), ("misplaced_column", "commercial"),
    ]
    hint = findings[2]
    assert (hint.severity, hint.pair, hint.difference, hint.cells[0]) == ("hint", "commercial", -1, ("received_new", "natural"))
    assert hint.message() == ("balance / 自然人: off by -1 and 商业企业 by the opposite while 总计 holds "
                              "(an application counted in the wrong column?)")


def test_no_misplaced_column_when_the_total_fails_too():
    grid = _balanced(results_total__natural=6, granted__natural=6, granted__total=8, results_total__total=8)
    assert list(misplaced_column(_report(requests=grid))) == []
