"""The five ways real copies went wrong (issue 11), one file each in fixtures/copies.

1. a WPS PDF draws the vertical label 三、本年度办理结果 through the rows beside
   it, so a row reads `理结2.其他法律行政止公开` (glued characters and the
   report's own typo): the neutral document as the PDF reader gives it;
2. a PDF converter's text: labels alone on a line with the values on the
   next, labels cut off mid-word, labels split over two lines;
3. table 4 as three small tables, one per group;
4. a saved web page whose title line starts with a `标题：` field;
5. a pipe copy whose table-4 values row starts with an empty cell and no pipe.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from expected import differences, load
from gikr_tui import template as T
from gikr_tui.interpret import interpret
from gikr_tui.model import Cell, Document, Origin, Paragraph, Table
from gikr_tui.pipeline import check_file
from gikr_tui.readers.text import parse_text
from gikr_tui.checks import run, select

COPIES = Path(__file__).resolve().parents[1] / "fixtures" / "copies"
EXPECTED = load(COPIES)
FILES = sorted(name for name in EXPECTED if not name.endswith(".document.json"))

ARITHMETIC = select("arithmetic").ids


def check(report):
    """The arithmetic's findings (what these tests are about)."""
    return run(report, only=ARITHMETIC)


def _origin(d: dict) -> Origin:
    return Origin(page=d.get("page"), bbox=tuple(d["bbox"]) if "bbox" in d else None)


def load_document(path: Path) -> Document:
    """A neutral document written as JSON: paragraphs and tables of cells, each with its page and box."""
    data = json.loads(path.read_text(encoding="utf-8"))
    blocks = [
        Table([[Cell(c["text"], _origin(c)) for c in row] for row in b["table"]])
        if "table" in b else Paragraph(b["paragraph"], _origin(b))
        for b in data["blocks"]
    ]
    return Document(blocks, data["format"], pages=data["pages"])


@pytest.mark.parametrize("name", FILES)
def test_copy_reads_exactly(name):
    assert differences(COPIES / name, EXPECTED[name], strict=True) == []


def _notes(report, row):
    return [str(n.message) for n in report.notes if n.row == row]


# --- 1: glued characters of a vertical label, and a typo ------------------------------


def test_a_row_with_a_vertical_labels_characters_and_a_typo_is_read_by_its_likeness():
    report = interpret(load_document(COPIES / "wps-vertical-label.document.json"))
    want = EXPECTED["wps-vertical-label.document.json"]
    assert {r: {c: v.number for c, v in cols.items()} for r, cols in report.requests.items()} == want["grid"]
    assert check(report) == []
    cell = report.requests["denied_2"]["natural"]
    assert (cell.number, cell.origin.page) == (1, 1) and cell.origin.bbox[0] == 210
    assert "理结2.其他法律行政止公开" in str(cell.note) and "read as 2.其他法律行政法规禁止公开" in str(cell.note)
    assert _notes(report, "denied_2") == [str(cell.note)]
    # the rows whose keyword survived the glued characters need no note
    assert all(v.note is None for r in ("granted", "partial", "denied_1", "denied_3") for v in report.requests[r].values())
    assert not any("not recognised" in str(n.message) or "not found" in str(n.message) for n in report.notes)


# --- 2: a PDF converter's lines ------------------------------------------------------------


def test_a_converters_label_lines_cut_and_split_labels_all_read():
    report = check_file(COPIES / "pdf-converter-label-lines.txt").report
    # a label alone on its line, its values on the next: no doubt, no note
    for row in ("carried_over", "denied_2", "denied_4", "unable_2", "not_processed_2", "other_2", "carried_forward"):
        assert _notes(report, row) == [], row
        assert report.requests[row]["total"].origin.line > 0
    # split over two lines, then the values
    assert report.requests["partial"]["total"].number == 3
    assert report.requests["not_processed_5"]["total"].number == 0
    # cut before any keyword: placed by what is left of the label, and said so
    for row, label in (("denied_6", "6.属于四类过程"), ("denied_7", "7.属于行政执法"), ("denied_8", "8.属于行政查询"),
                       ("not_processed_4", "4.无正当理由大量反")):
        (note,) = _notes(report, row)
        assert label in note and T.ROW_SPECS[row].label in note
    assert report.requests["denied_6"]["natural"].number == 1


# --- 3: table 4 per group ----------------------------------------------------------------------


def test_table_4_written_per_group_is_read_whole():
    report = check_file(COPIES / "table4-per-group.md").report
    got = {g: [v.number for v in fields.values()] for g, fields in report.review_litigation.items()}
    assert got == {"review": [2, 1, 0, 0, 3], "litigation_direct": [0, 1, 0, 1, 2], "litigation_after_review": [1, 0, 0, 0, 1]}
    assert not any(str(n.message).startswith("table 4") for n in report.notes)


def test_per_group_tables_without_captions_are_placed_by_position_and_say_so():
    text = (COPIES / "table4-per-group.md").read_text(encoding="utf-8")
    for caption in ("**行政复议**", "**行政诉讼（未经复议直接起诉）**", "**行政诉讼（复议后起诉）**"):
        text = text.replace(caption, "")
    report = interpret(parse_text(text, "markdown"))
    assert [v.number for v in report.review_litigation["litigation_direct"].values()] == [0, 1, 0, 1, 2]
    notes = [str(n.message) for n in report.notes if str(n.message).startswith("table 4")]
    assert len(notes) == 3 and all("by its position" in n for n in notes)
    assert "by its position" in str(report.review_litigation["review"]["total"].note)


def test_two_small_tables_with_no_caption_for_three_groups_are_not_guessed():
    text = (COPIES / "table4-per-group.md").read_text(encoding="utf-8")
    text = text.replace("**行政复议**", "").replace("**行政诉讼（未经复议直接起诉）**", "")
    cut = text.index("**行政诉讼（复议后起诉）**")
    text = text[:cut] + text[text.index("## 五"):]  # the third table is gone
    report = interpret(parse_text(text, "markdown"))
    assert all(v.blank for fields in report.review_litigation.values() for v in fields.values())
    assert sum(str(n.message).startswith("table 4: values not used") for n in report.notes) == 2


# --- 4: a site's 标题： field ----------------------------------------------------------------------


def test_a_title_field_name_is_not_part_of_the_agency():
    report = check_file(COPIES / "site-title-field.html").report
    assert (report.agency, report.year) == ("青河县发展和改革局", 2022)


@pytest.mark.parametrize("line", ["标题：青河县发展和改革局2022年政府信息公开工作年度报告", "【标题】青河县发展和改革局2022年度政府信息公开工作年度报告",
                                  "信息名称: 青河县发展和改革局2022年政府信息公开工作年度报告"], ids=["标题：", "【标题】", "信息名称:"])
def test_field_names_before_a_title(line):
    text = line + "\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n"
    assert interpret(parse_text(text)).agency == "青河县发展和改革局"


# --- 5: a pipe row whose first cell is empty ----------------------------------------------------------


def test_a_pipe_row_starting_with_an_empty_cell_keeps_it():
    line = " |  |  |  |  | 1 | 5 |  | 4 | 11 |  | 3 |  |  | 3 |"
    (table,) = parse_text("行政复议 | 行政诉讼 |\n\n" + line).blocks[1:]
    assert [c.text for c in table.rows[0]][:15] == ["", "", "", "", "", "1", "5", "", "4", "11", "", "3", "", "", "3"]
    report = check_file(COPIES / "pipe-blank-first-cell.txt")
    (finding,) = report.findings
    assert (finding.rule, finding.group, finding.reported, finding.computed) == ("t4_total", "litigation_direct", 11, 10)


def test_markdown_tables_keep_their_frame():
    doc = parse_text("  | a | b |\n  |---|---|\n  | 1 | 2 |\n\n| c | d |\n| 3 | 4 |\n")
    assert [[c.text for c in row] for t in doc.blocks for row in t.rows] == [["a", "b"], ["1", "2"], ["c", "d"], ["3", "4"]]


def test_the_inspectors_status_line_says_how_a_row_was_placed(tmp_path):
    from gikr_tui.tui.app import GikrApp
    from gikr_tui.tui.components.grid import ReportGrid
    from test_tui import run, settle, status_text

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "copy.txt").write_bytes((COPIES / "pdf-converter-label-lines.txt").read_bytes())

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await pilot.press("3")
            grid = app.query_one(ReportGrid)
            grid.move_cursor(row=list(T.ROWS_2021).index("denied_6"), column=1, animate=False)
            await pilot.pause()
            assert "note: label “6.属于四类过程” read as 6.属于四类过程性信息" in status_text(app)

    run(go())
