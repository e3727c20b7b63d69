"""The form (sections), table 2 and hint checks, on reports built in memory."""

import pytest

from gikr_tui import template as T
from gikr_tui.checks import run, status
from gikr_tui.checks.form import section_missing, section_order, section_thin
from gikr_tui.model import Origin, Passage, Report, Section


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
