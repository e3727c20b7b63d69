"""The interpreter on the cases real files bring, one at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from gikr_tui import template as T
from gikr_tui.interpret import interpret, match_section, place
from gikr_tui.labels import norm, numbering_value, split_numbering
from gikr_tui.model import Cell
from gikr_tui.readers.text import parse_text
from gikr_tui.checks import run, select
from gikr_tui.values import kind, parse_number

ARITHMETIC = select("arithmetic").ids


def check(report):
    """The arithmetic's findings (what these tests are about)."""
    return run(report, only=ARITHMETIC)

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


def _cells(*texts):
    return [Cell(t) for t in texts]


def _report(text: str, fmt: str = "text"):
    return interpret(parse_text(text, fmt))


# --- values and labels ---------------------------------------------------------


@pytest.mark.parametrize(
    "text, number, k",
    [
        ("", None, "blank"),
        ("　 ", None, "blank"),
        ("0", 0, "number"),
        ("０", 0, "number"),
        ("１２３", 123, "number"),
        ("1,234", 1234, "number"),
        ("96171.6", 96171.6, "number"),
        ("-2", -2, "number"),
        ("—", None, "dash"),
        ("－", None, "dash"),
        ("/", None, "dash"),
        ("无", None, "dash"),
        ("3件", 3, "number"),
        ("自然人", None, "text"),
        ("999999999999999", 999999999999999, "number"),  # 15 digits: still a count
        ("9" * 16, None, "text"),  # past what a double holds exactly
        pytest.param("9" * 400 + ".5", None, "text", id="400-digit decimal"),  # would be inf
        pytest.param("9" * 5000, None, "text", id="5000 digits"),  # int() itself refuses it
    ],
)
def test_cell_values(text, number, k):
    assert parse_number(text) == number
    assert kind(text) == k


def test_label_normalisation_makes_variants_equal():
    assert norm("（七）总 计") == norm("(七)总计")
    assert norm("**(一) 完善制度建设。**") == "(一)完善制度建设。"
    assert split_numbering(norm("3、 收到和处理政府信息公开申请情况")) == ("3、", "收到和处理政府信息公开申请情况")
    assert split_numbering(norm("第三部分 收到和处理"))[0] == "第三部分"
    assert numbering_value("(十二)") == 12
    assert numbering_value("四、") == 4


# --- placement -----------------------------------------------------------------


def test_seven_cells_are_placed_by_position_blanks_kept():
    values, note = place(_cells("", "3", "", "", "", "", "3"), 7, lambda v: True, "row")
    assert [v.number for v in values] == [None, 3, None, None, None, None, 3]
    assert note is None


def test_padding_from_merged_labels_is_dropped_silently():
    values, note = place(_cells("", "", "1", "2", "0", "0", "0", "0", "3", ""), 7, lambda v: True, "row")
    assert [v.number for v in values] == [1, 2, 0, 0, 0, 0, 3]
    assert note is None


def test_an_extra_value_is_placed_where_the_row_total_holds_and_noted():
    from gikr_tui.interpret import _row_holds

    values, note = place(_cells("9", "1", "2", "0", "0", "0", "0", "3"), 7, _row_holds, "row")
    assert [v.number for v in values] == [1, 2, 0, 0, 0, 0, 3]
    assert "8 values where 7 belong" in str(note) and "only placement" in str(note)
    assert all(v.note == note for v in values)


def test_an_extra_value_that_fits_two_ways_is_not_guessed():
    from gikr_tui.interpret import _row_holds

    values, note = place(_cells("1", "0", "0", "0", "0", "0", "1", "1"), 7, _row_holds, "row")
    assert all(v.blank and v.note == note for v in values)
    assert "8 values where 7 belong" in str(note) and "none were used" in str(note)


def test_a_single_surviving_value_is_the_total_and_noted():
    values, note = place(_cells("5"), 7, lambda v: True, "row")
    assert [v.number for v in values] == [None] * 6 + [5]
    assert "only 1 of 7" in str(note)


def test_short_rows_whose_last_value_sums_the_rest_keep_it_as_total():
    from gikr_tui.interpret import _row_holds

    values, note = place(_cells("2", "3", "5"), 7, _row_holds, "row")
    assert [v.number for v in values] == [2, 3, None, None, None, None, 5]
    assert note


# --- sections -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number, numbering",
    [
        ("一、总体情况", 1, "一、"),
        ("## 二、主动公开政府信息情况", 2, "二、"),
        ("3、 收到和处理政府信息公开申请情况", 3, "3、"),
        ("第四部分 政府信息公开行政复议、行政诉讼情况", 4, "第四部分"),
        ("存在的主要问题及改进情况", 5, ""),
        ("    六、其他需要报告的事项    ", 6, "六、"),
    ],
)
def test_section_headings_in_every_numbering_style(text, number, numbering):
    assert match_section(text) == (number, numbering)


@pytest.mark.parametrize(
    "text",
    [
        "（一）主动公开情况",  # a sub-item, not section 二
        "本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。",
        "三、本年度办理结果",
    ],
)
def test_prose_and_table_labels_are_not_sections(text):
    assert match_section(text) is None


def test_missing_and_misnumbered_sections_are_reported():
    text = (SEEDS / "000_8a0178302d297c36.txt").read_text(encoding="utf-8")
    text = text.replace("五、存在的主要问题及改进情况", "七、存在的主要问题及改进情况")
    text = text.replace("\n    六、其他需要报告的事项    \n", "\n")
    report = _report(text)
    status = {s.number: s.status for s in report.sections}
    assert status == {1: "ok", 2: "ok", 3: "ok", 4: "ok", 5: "misnumbered", 6: "missing"}
    assert report.sections[5].text is None
    assert [c.title for c in report.sections[0].children][:2] == [
        "（一）加强组织指导，系统谋划工作",
        "（二）强化主动公开，增强公开实效",
    ]


def test_a_title_repeated_by_a_page_break_is_not_a_new_section():
    text = (SEEDS / "002_b6b60cc63538fb74.txt").read_text(encoding="utf-8")
    text = text.replace("党政办公室2021年政府信息公开工作年度报告\n\n三、本年度办理结果", "三、收到和处理政府信息公开申请情况\n三、本年度办理结果")
    report = _report(text, "markdown")
    assert [s.status for s in report.sections] == ["ok"] * 6
    assert check(report) == []


# --- tables -----------------------------------------------------------------------


def _tab_report(rows: list[str]) -> str:
    return "\n".join(["三、收到和处理政府信息公开申请情况", *rows, "四、政府信息公开行政复议、行政诉讼情况"])


def test_a_row_cut_in_half_by_a_page_break_is_joined():
    text = (SEEDS / "004_bca2272ab24a3735.txt").read_text(encoding="utf-8")
    cut = "\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t0\t0\t0\t0\t0\t0\t0"
    assert cut in text
    text = text.replace(
        cut,
        "\t\t2.申请人逾期未按收费通知要求\n\n梁园区信访局2021年政府信息公开工作年度报告\n- 5 -\n\n"
        "缴纳费用、行政机关不再处理其政府信息公开申请\t1\t0\t0\t0\t0\t0\t1",
    )
    report = _report(text)
    assert report.requests["other_2"]["natural"].number == 1
    assert {(f.rule, f.col or f.row) for f in check(report)} == {
        ("results_total", "natural"),
        ("results_total", "total"),
    }


def test_2019_template_is_detected_with_23_rows():
    text = (SEEDS / "001_409f4fcd39a1998d.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("(六)其他处理"))
    lines[start: start + 3] = ["(六)其他处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | |"]
    report = _report("\n".join(lines))
    assert report.template == T.T2019
    assert list(report.requests) == list(T.ROWS_2019)
    assert check(report) == []


def test_seed_with_eight_values_says_so():
    text = (SEEDS / "002_b6b60cc63538fb74.txt").read_text(encoding="utf-8")
    report = _report(text, "markdown")
    noted = {n.row for n in report.notes}
    assert "granted" in noted and "results_total" in noted
    assert all("8 values where 7 belong" in str(n.message) for n in report.notes)


def test_a_row_whose_label_is_lost_is_placed_by_its_position_and_says_so():
    text = (SEEDS / "001_409f4fcd39a1998d.txt").read_text(encoding="utf-8")
    text = text.replace("4.保护第三方合法权益 | 0 | 0 |", "4.某种新情形 | 2 | 0 |")
    report = _report(text)
    cell = report.requests["denied_4"]["natural"]
    assert cell.number == 2
    assert "by its position" in str(cell.note) and "某种新情形" in str(cell.note)
    assert [n.row for n in report.notes if "by its position" in str(n.message)] == ["denied_4"]


def test_an_extra_row_with_values_is_noted_not_guessed():
    text = (SEEDS / "001_409f4fcd39a1998d.txt").read_text(encoding="utf-8")
    text = text.replace("4.保护第三方合法权益 |", "4.某种新情形 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | |\n4.保护第三方合法权益 |")
    report = _report(text)
    assert any(str(n.message).startswith("row not recognised") and "某种新情形" in str(n.message) for n in report.notes)
    assert all(v.number == 0 and v.note is None for v in report.requests["denied_4"].values())


def test_rows_in_another_order_are_read_by_their_labels():
    text = (SEEDS / "001_409f4fcd39a1998d.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(n for n, l in enumerate(lines) if l.startswith("3.危及"))
    lines[i] = lines[i].replace("| 0 | 0 |", "| 2 | 0 |", 1).replace("| 0 | |", "| 2 | |")
    lines[i], lines[i + 1] = lines[i + 1], lines[i]  # 4. before 3.
    lines[i + 2] = "5.属于三类内部X务 | 1 | 0 | 0 | 0 | 0 | 0 | 1 | |"  # and 5. damaged after them
    report = _report("\n".join(lines))
    assert report.requests["denied_3"]["natural"].number == 2 and report.requests["denied_3"]["natural"].note is None
    assert report.requests["denied_5"]["total"].number == 1 and "5.属于三类内部X务" in str(report.requests["denied_5"]["total"].note)


def test_year_and_agency():
    report = _report((SEEDS / "003_071553c8290f36c9.txt").read_text(encoding="utf-8"))
    assert (report.agency, report.year) == ("长春市南关区幸福乡人民政府", 2021)
    report = _report((SEEDS / "001_409f4fcd39a1998d.txt").read_text(encoding="utf-8"))
    assert (report.agency, report.year) == (None, 2021)


def test_no_request_table_is_a_clear_error(tmp_path):
    from gikr_tui.pipeline import check_file

    path = tmp_path / "notes.txt"
    path.write_text("一、总体情况\n本年度无申请。\n", encoding="utf-8")
    result = check_file(path)
    assert (result.status, str(result.error)) == ("error", "no request-handling table found")


def test_table_2_without_its_header_rows_takes_the_templates_columns():
    text = (SEEDS / "004_bca2272ab24a3735.txt").read_text(encoding="utf-8")
    lines = [l for l in text.splitlines() if not l.startswith("信息内容")]
    report = _report("\n".join(lines).replace("规章\t0\t0\t0", "规章\t1\t0\t5"))
    assert {f: v.number for f, v in report.active_disclosure["regulations"].items()} == {
        "issued": 1, "repealed": 0, "in_force": 5,
    }
    assert set(report.active_disclosure["fees"]) == {"amount"}


def test_hundreds_of_unrecognised_rows_are_one_note_not_an_alignment():
    rows = "".join(f"某某情形{i}\t1\t0\t0\t0\t0\t0\t1\n" for i in range(500))
    report = _report(_tab_report([
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1", rows.rstrip("\n"), "四、结转下年度继续办理\t2\t0\t0\t0\t0\t0\t2",
    ]))
    assert [str(n.message) for n in report.notes if "not recognised" in str(n.message)] == [
        "500 rows not recognised, their values were not used"
    ]
    assert report.requests["carried_forward"]["total"].number == 2
    assert all(v.blank for r in ("carried_over", "granted", "other_3") for v in report.requests[r].values())


def test_a_cell_of_thousands_of_digits_is_text_not_an_internal_error(tmp_path):
    from gikr_tui.pipeline import check_file

    lines = (SEEDS / "000_8a0178302d297c36.txt").read_text(encoding="utf-8").split("\n")
    fee = next(i for i, line in enumerate(lines) if "本年收费金额" in line) + 3
    assert lines[fee].strip() == "0"
    lines[fee] = lines[fee].replace("0", "9" * 5000)
    (tmp_path / "r.txt").write_text("\n".join(lines), encoding="utf-8")
    result = check_file(tmp_path / "r.txt")
    assert result.status == "ok", str(result.error)
    [note] = [str(n.message) for n in result.report.notes if n.col == "amount"]
    assert note == f"表二 行政事业性收费 / 金额: {'9' * 23}… has more than 15 digits, more than any count; " \
                   "read as text, not as a number"


def test_a_number_of_more_than_15_digits_is_text_and_a_note_says_so_in_every_table():
    """Past MAX_DIGITS a cell is read as text: table 2 would drop it without a word, tables 3–4
    show only the arithmetic it breaks; a note names each such cell (table, row, column)."""
    long = "1" * 16
    text = (SEEDS / "004_bca2272ab24a3735.txt").read_text(encoding="utf-8")
    text = text.replace("规章\t0\t0\t0", f"规章\t{long}\t0\t0")
    text = text.replace("一、本年新收政府信息公开申请数量\t0\t0", f"一、本年新收政府信息公开申请数量\t{long}件\t0")
    lines = text.split("\n")
    t4 = next(i for i, line in enumerate(lines) if line.startswith("0\t0\t0\t0\t0\t0\t0\t0\t0\t0"))
    lines[t4] = f"{long[:-1]}２\t" + lines[t4][2:]  # full-width digits count too
    report = _report("\n".join(lines))
    assert report.active_disclosure["regulations"]["issued"].number is None
    assert report.requests["received_new"]["natural"].number is None
    assert report.review_litigation["review"]["upheld"].number is None
    said = {(n.row, n.col): str(n.message) for n in report.notes if "digits" in str(n.message)}
    assert said == {
        ("regulations", "issued"): f"表二 规章 / 本年制发件数: {long} has more than 15 digits, more than any count; "
                                   "read as text, not as a number",
        ("received_new", "natural"): f"表三 一、本年新收政府信息公开申请数量 / 自然人: {long}件 has more than 15 digits, "
                                     "more than any count; read as text, not as a number",
        ("review", "upheld"): f"表四 行政复议 / 结果维持: {long[:-1]}２ has more than 15 digits, more than any count; "
                              "read as text, not as a number",
    }
    # the cell itself carries it, for the inspector's detail line
    assert "more than 15 digits" in str(report.active_disclosure["regulations"]["issued"].note)
    # a 15-digit count, a long text and a blank are no such cell
    assert not any("digits" in str(n.message) for n in _report(
        (SEEDS / "004_bca2272ab24a3735.txt").read_text(encoding="utf-8").replace("规章\t0\t0\t0", "规章\t" + "1" * 15 + "\t0\t0")).notes)
