"""The prose checks: each fact phrasing found, each decoy left alone, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audit_cases import AUDIT_RULES, BY_NAME, CASES, DOC_CASES
from audit_maker import WRITTEN, Audit, Figures, default_prose, expected_entry, text, write_case
from gikr_tui import template as T
from gikr_tui.checks import run
from gikr_tui.checks.prose_scan import cn_number
from gikr_tui.interpret import interpret
from gikr_tui.pipeline import check_file
from gikr_tui.readers.text import parse_text

AUDIT = Path(__file__).resolve().parents[1] / "fixtures" / "audit"
PROSE = {"narrative_mismatch", "year_mismatch", "contradiction"}
FIG = Figures()  # 新收 40, 上年结转 3, 办结 41, 结转 2, 予以公开 12, 部分公开 5, 复议 2, 诉讼 1


def report(*paragraphs: str, fig: Figures = FIG, year: int = 2023, template: int = T.T2021, section: int = 1,
           preamble: list[str] | None = None):
    a = Audit("t", year, template, fig=fig, preamble=preamble)
    a.prose = default_prose(a)
    a.prose[section] = list(paragraphs)
    return interpret(parse_text(text(a)))


def found(*paragraphs: str, **kw) -> list[tuple]:
    return [(f.rule, f.row or f.group, f.reported, f.computed) for f in run(report(*paragraphs, **kw), only=PROSE)]


# --- Facts: each phrasing states its number ---------------------------------------------------------


@pytest.mark.parametrize("sentence, fact, stated, table", [
    ("全年新收政府信息公开申请41件。", "received_new", 41, 40),
    ("本年度共收到政府信息公开申请39件。", "received_new", 39, 40),
    ("本年度新收到各类政府信息公开申请共计42件。", "received_new", 42, 40),
    ("收到公民、法人或其他组织提出的政府信息公开申请44件。", "received_new", 44, 40),
    ("办结1191件（含上年结转4件）。", "carried_over", 4, 3),
    ("上年度结转申请5件。", "carried_over", 5, 3),
    ("全年办结政府信息公开申请40件。", "results_total", 40, 41),
    ("依法答复42件。", "results_total", 42, 41),
    ("结转下年度继续办理3件。", "carried_forward", 3, 2),
    ("其中，予以公开11件，部分公开5件。", "granted", 11, 12),
    ("予以公开12件，部分公开6件。", "partial", 6, 5),
    ("因政府信息公开被申请行政复议3件。", "review", 3, 2),
    ("政府信息公开行政诉讼2件。", "litigation", 2, 1),
    ("本机关共收到政府信息公开申请 56 件（其中，当面申请 3 件），上年结转 2 件，共计 58 件。", "received_new", 56, 40),
    ("因政府信息公开申请引起行政复议1件、行政诉讼2件。", "litigation", 2, 1),
    ("本年度政府信息公开申请总数为58件，其中新收申请56件，上年结转3件。", "received_new", 56, 40),
    ("截至12月31日，已办结46件，正在办理12件。", "results_total", 46, 41),
    ("全市共收到政府信息公开申请1200件，其中本机关收到政府信息公开申请41件。", "received_new", 41, 40),
    ("全年未收到行政复议申请，被提起行政诉讼2件。", "litigation", 2, 1),
    ("全年新收政府信息公开申请４１件。", "received_new", 41, 40),  # full-width digits
    ("被申请行政复议三件。", "review", 3, 2),  # Chinese numerals
    ("新收政府信息公开申请一百零五件。", "received_new", 105, 40),
    ("新收政府信息公开申请1,041件。", "received_new", 1041, 40),
    ("行政复议、行政诉讼案件均为0件。", "review", 0, 2),
    ("行政复议和行政诉讼分别为2件、3件。", "litigation", 3, 1),
])
def test_a_stated_fact_that_the_table_does_not_give_is_found(sentence, fact, stated, table):
    assert ("narrative_mismatch", fact, stated, table) in found(sentence)


def test_the_same_facts_agreeing_with_the_table_find_nothing():
    assert found(
        "全年新收政府信息公开申请40件，办结41件（含上年结转3件），结转下年度继续办理2件。",
        "其中，予以公开12件，部分公开5件。被申请行政复议二件，行政诉讼1件。",
        "全年新收政府信息公开申请４０件，上年结转三件。",
    ) == []


def test_a_fact_stated_twice_is_checked_twice():
    assert found("全年新收政府信息公开申请41件。", "全年新收政府信息公开申请41件，办结41件。") == [
        ("narrative_mismatch", "received_new", 41, 40)] * 2


def test_the_finding_quotes_the_sentence_and_where_it_is():
    rep = report("（一）主动公开情况。公开信息120条。", "（二）依申请公开情况。全年新收政府信息公开申请41件，办结41件。其余略。")
    [f] = run(rep, only=PROSE)
    assert f.text.quote == "全年新收政府信息公开申请41件，办结41件。"
    assert f.text.section == 1 and f.text.paragraph == 1 and f.text.offset == len("（二）依申请公开情况。")
    assert f.text.line == rep.sections[0].body[1].origin.line
    assert (f.cells, f.table, f.phrase) == ((("received_new", "total"),), 3, "新收政府信息公开申请41件")
    assert f.to_json()["text"] == {"quote": f.text.quote, "section": 1, "line": f.text.line}
    assert f.message() == "prose says “新收政府信息公开申请41件” (41); 表三 一、本年新收 总计 is 40"


# --- 受理 is ambiguous ----------------------------------------------------------------------------------


@pytest.mark.parametrize("accepted, flagged", [(40, False), (43, False), (41, True), (45, True)])
def test_accepted_matches_new_or_new_plus_carried(accepted, flagged):
    got = found(f"本年度共受理政府信息公开申请{accepted}件。")
    assert got == ([("narrative_mismatch", "received_new", accepted, 40)] if flagged else [])
    if flagged:
        [f] = run(report(f"本年度共受理政府信息公开申请{accepted}件。"), only=PROSE)
        assert f.alternative == 43 and "with 上年结转 43" in f.message()


def test_accepted_without_the_word_application_is_not_a_fact():
    assert found("受理群众来电咨询41件。", "共受理网民留言99件。") == []


# --- “未发生…” states 0 -------------------------------------------------------------------------------------


def test_a_regions_figures_are_a_governments_own_and_a_departments_others():
    # the default agency is 清河县人民政府办公室: a department; its 全县 is others
    assert found("全县各部门共收到政府信息公开申请1200件。") == []
    rep = report("全县共收到政府信息公开申请1200件。")
    rep.agency = "清河县人民政府"  # a county government reports for the county
    assert [(f.row, f.reported) for f in run(rep, only=PROSE)] == [("received_new", 1200)]


def test_nothing_happened_states_zero_for_both():
    fig = Figures(review=(0, 0, 0, 0), direct=(0, 1, 0, 0))
    assert found("本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。", fig=fig) == [("narrative_mismatch", "litigation", 0, 1)]
    assert found("本年度未发生政府信息公开行政复议案件。", fig=fig) == []
    assert found("全年未收到政府信息公开申请。") == [("narrative_mismatch", "received_new", 0, 40)]
    assert found("全年未收到行政复议申请。", fig=fig) == []
    assert found("本年度无行政复议、行政诉讼案件。", fig=fig) == [("narrative_mismatch", "litigation", 0, 1)]


@pytest.mark.parametrize("sentence", [
    "未发生一起因办理不当导致行政诉讼被判败诉，或行政复议被上级机关撤销、变更或确认行为违法的案件。",
    "未发生行政复议被纠错的情况。",
    "无因信息公开导致的行政诉讼和涉密情形。",
    "上半年未发生行政诉讼案件。",
])
def test_nothing_happened_to_something_else_is_no_zero(sentence):
    assert found(sentence, fig=Figures(review=(1, 0, 0, 0), direct=(1, 0, 0, 0))) == []


# --- Decoys: numbers that are not the fact's --------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "全年新收政府信息公开申请40件，占比17.46%。",  # a percentage
    "新收申请较上年增加12件。",  # a change
    "全年新收政府信息公开申请40件，比上年增加12件，同比增长42%。",
    "全年新收政府信息公开申请40件，其中8件申请人主动撤回。",  # a part
    "被申请行政复议二件，其中1件已审结。",
    "行政复议结果维持1件，结果纠正1件。",
    "2023年1月1日至12月31日，共新收政府信息公开申请40件。",  # dates
    "新收申请于3月15日前办结。",
    "全年新收政府信息公开申请40件，涉及12个部门、办理部门7个。",  # counts of other things
    "收到网民留言120件，办理群众来信35件。",
    "2022年新收申请28件，本年增长明显。",  # last year's figure
    "2022年，本机关共收到申请15件，2023年增长167%。",
    "上年新收申请28件。",
    "上半年新收申请18件。",
    "延期答复5件，按时答复36件。",  # parts of 答复
    "不予公开3件，予以公开和部分公开共17件。",  # a combined count
    "新收申请约50件。", "新收申请40余件。", "新收申请数十件。",  # approximate
    "未办结3件。",
    "新收政府信息公开申请与行政复议一起研究。",
    "全年共受理依申请公开事项43件，按期办结41件，2件结转下一年度办理。",
    "新收申请较2022年的45件增加11件。",
    "与上年相比，新收申请数量增加了11件。",
    "2022年结转至本年度的3件申请已全部办结。",
    "本年度受理的43件申请中，41件已办结。",
    "不予公开3件（其中属于国家秘密1件）。",
    "全县各部门共收到政府信息公开申请1200件，办结1150件。",  # the region's figures, not the agency's
    "本机关收到政府信息公开申请40件，全市共收到政府信息公开申请1200件。",
])
def test_decoys_find_nothing(sentence):
    assert found(sentence) == []


# --- year_mismatch ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, flagged", [
    ("2022年，本机关认真贯彻落实《条例》。", True),
    ("（一）主动公开情况。2022年，本机关公开信息1520条。", True),
    ("2022年度，本机关扎实推进政务公开。", True),
    ("2022年本机关扎实推进政务公开。", True),
    ("2023年，本机关认真贯彻落实《条例》。", False),
    ("2024年，将进一步加强培训。", False),  # next year's plan
    ("2024年，继续深化公开内容。", False),
    ("2022年以来，本机关持续推进政务公开。", False),  # a span
    ("2022年，本机关收到申请15件，2023年增加到40件。", False),  # a comparison with this year
    ("与2022年相比，申请数量有所增加。", False),
    ("2022年12月，省政府办公厅印发《政府信息公开工作规范》。", False),  # a cited document's date
    ("2022年，国务院办公厅印发《关于政府信息公开工作的通知》，本机关认真落实。", False),
    ("根据《国务院办公厅关于印发2022年政务公开工作要点的通知》要求，及时调整公开目录。", False),
])
def test_year_mismatch(sentence, flagged):
    got = [(f.reported, f.computed) for f in run(report(sentence), only={"year_mismatch"})]
    assert got == ([(2022, 2023)] if flagged else [])


def test_statistics_period_of_another_year():
    rep = report("本机关扎实推进政务公开。", preamble=["本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。"])
    [f] = run(rep, only={"year_mismatch"})
    assert f.text.section is None and f.text.quote.startswith("本报告所列数据的统计期限")
    rep = report("本机关扎实推进政务公开。", preamble=["本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。"])
    assert run(rep, only={"year_mismatch"}) == []


def test_year_mismatch_in_section_five_and_never_without_a_year():
    assert [f.text.section for f in run(report("2022年，我局存在公开不及时的问题。", section=5), only={"year_mismatch"})] == [5]
    rep = report("2022年，本机关认真贯彻落实《条例》。")
    rep.year = None
    assert run(rep, only={"year_mismatch"}) == []


# --- contradiction ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence, flagged", [
    ("本年度共收到政府信息公开申请40件，均已办结。", True),
    ("所有政府信息公开申请全部按时办结。", True),
    ("本年度共收到政府信息公开申请40件，均在法定期限内予以答复。", False),  # answered in time, not all finished
    ("上年结转的3件申请均已办结。", False),  # a part
    ("收到网民留言120件，均已办结。", False),  # other things
    ("本年度共收到政府信息公开申请40件，未能全部办结。", False),
    ("所有申请均在法定期限内办结。", True),
    ("已办结的申请均按时办结。", False),  # the finished ones
])
def test_contradiction(sentence, flagged):
    got = [(f.rule, f.reported, f.phrase) for f in run(report(sentence), only={"contradiction"})]
    assert bool(got) == flagged
    if flagged:
        assert got[0][:2] == ("contradiction", 2)
    assert run(report(sentence, fig=Figures(forward=0)), only={"contradiction"}) == []  # nothing carried forward


# --- Table readings: one wrong cell is the arithmetic's, not also the prose's -------------------------------------------


def test_prose_agreeing_with_any_reading_of_an_inconsistent_table_is_not_blamed():
    rep = report("全年新收政府信息公开申请40件，结转下年度继续办理2件。")
    rep.requests["received_new"]["natural"].number = 39  # the parts now sum to 41; its 总计 still says 40
    assert run(rep, only=PROSE) == []
    rep.requests["received_new"]["total"].number = 41  # and now the other way round
    rep.requests["received_new"]["natural"].number = 38
    assert run(rep, only=PROSE) == []
    rep = report("结转下年度继续办理2件。")
    for col in ("natural", "total"):  # the row changed consistently: balance fails, the prose is what balance implies
        rep.requests["carried_forward"][col].number += 1
    assert run(rep, only=PROSE) == []


def test_a_table_the_reader_did_not_find_is_not_compared():
    rep = report("因政府信息公开被申请行政复议3件。")
    from gikr_tui.model import EMPTY

    rep.review_litigation = {g: {f: EMPTY for f in T.T4_FIELDS} for g in T.T4_GROUPS}
    assert run(rep, only=PROSE) == []


# --- Numbers ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("words, value", [
    ("三", 3), ("十", 10), ("十二", 12), ("二十", 20), ("两", 2), ("一百零五", 105), ("一千二百三十四", 1234),
    ("三万", 30000), ("零", 0), ("一二", None), ("万", 0),
])
def test_chinese_numerals(words, value):
    assert cn_number(words) == value


# --- The audit corpus: every case in every format ------------------------------------------------------------------


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("audit")
    for case in CASES:
        for fmt in WRITTEN:
            write_case(case, fmt, folder)
    return folder


def _audit_findings(path: Path) -> tuple[list, object]:
    result = check_file(path)
    assert result.status != "error", result.error
    got = sorted(([f.rule, f.row or f.col or f.group or f.section] for f in result.findings if f.rule in AUDIT_RULES), key=str)
    return got, result.report


@pytest.mark.parametrize("fmt", WRITTEN)
@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_audit_case_written_now(written, name, fmt):
    case = BY_NAME[name]
    got, rep = _audit_findings(written / f"{name}.{fmt}")
    assert got == sorted(expected_entry(case)["violations"], key=str)
    assert (rep.year, rep.template) == (case.year, case.template)


EXPECTED = json.loads((AUDIT / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_audit_fixture_converted_by_libreoffice(name):
    if name.endswith(".doc"):
        from gikr_tui.readers import doc as doc_reader

        if doc_reader.soffice() is None:
            pytest.skip("LibreOffice (soffice) is not installed")
    want = EXPECTED["files"][name]
    got, rep = _audit_findings(AUDIT / name)
    assert got == sorted(want["violations"], key=str)
    assert (rep.year, rep.template) == (want["year"], want["template"])


def test_audit_fixtures_are_the_cases_of_today():
    """The committed PDFs and .doc files were made from these cases (else: run fixtures/audit/generate.py)."""
    assert EXPECTED["rules"] == list(AUDIT_RULES)
    want = {f"{c.name}.pdf": expected_entry(c) for c in CASES}
    want.update({f"{n}.doc": expected_entry(BY_NAME[n]) for n in DOC_CASES})
    assert EXPECTED["files"] == json.loads(json.dumps(want))


# --- Property: random phrasings and decoys around true numbers find nothing; one changed number, one finding ---------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FACT_PHRASES = {
    "received_new": ("全年新收政府信息公开申请{}件", "本年度共收到政府信息公开申请{}件", "新收到各类政府信息公开申请共计{}件"),
    "carried_over": ("上年结转{}件", "上年度结转申请{}件"),
    "results_total": ("办结{}件", "依法答复{}件", "共办结政府信息公开申请{}件"),
    "carried_forward": ("结转下年度继续办理{}件", "结转下一年度办理{}件"),
    "granted": ("予以公开{}件",),
    "partial": ("部分公开{}件",),
    "review": ("被申请行政复议{}件", "行政复议案件{}件"),
    "litigation": ("被提起行政诉讼{}件",),
    "accepted": ("本年度共受理政府信息公开申请{}件",),
}
DECOYS = (
    "占比{pct}%", "比上年增加{n}件", "其中{n}件申请人主动撤回", "同比增长{pct}%", "涉及{n}个部门", "发布信息{n}条",
    "2022年新收申请{n}件", "其中{n}件已审结", "召开新闻发布会{n}场", "较上年减少{n}件", "上半年新收申请{n}件",
    "延期答复{n}件", "网民留言{n}件均已办结",
)
CN = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """An integer below 10000 in Chinese numerals: 105 -> 一百零五, 12 -> 十二."""
    if n < 10:
        return CN[n]
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            if zero:
                out += "零"
            out += ("" if (unit == "十" and digit == 1 and n < 20) else CN[digit]) + unit
            zero = False
        elif out:
            zero = True
    return out


def as_written(n: int, style: int) -> str:
    return (str(n), str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")), chinese(n))[style % 3]


@st.composite
def prose_cases(draw):
    fig = Figures(
        new=draw(st.integers(5, 400)), carried=draw(st.integers(0, 30)), granted=draw(st.integers(3, 5)),
        partial=draw(st.integers(0, 2)), forward=draw(st.integers(0, 4)), commercial=draw(st.integers(0, 2)),
        review=(draw(st.integers(0, 3)), 0, 0, 0), direct=(draw(st.integers(0, 2)), 0, 0, 0),
    )
    values = {
        "received_new": fig.new, "carried_over": fig.carried, "results_total": fig.results, "carried_forward": fig.forward,
        "granted": fig.granted, "partial": fig.partial, "review": sum(fig.review), "litigation": fig.litigation,
        "accepted": draw(st.sampled_from([fig.new, fig.new + fig.carried])),
    }
    facts = draw(st.lists(st.sampled_from(sorted(FACT_PHRASES)), min_size=1, max_size=6))
    clauses = []
    for fact in facts:
        phrase = draw(st.sampled_from(FACT_PHRASES[fact]))
        clauses.append((fact, phrase, values[fact], draw(st.integers(0, 2))))
    decoys = [draw(st.sampled_from(DECOYS)).format(n=draw(st.integers(1, 500)), pct=draw(st.sampled_from(["12.5", "3", "41.7"])))
              for _ in range(draw(st.integers(0, 4)))]
    order = draw(st.permutations(list(range(len(clauses) + len(decoys)))))
    wrong = draw(st.integers(0, len(clauses) - 1))
    return fig, clauses, decoys, order, wrong


def _sentence(clauses, decoys, order, wrong: int | None = None) -> str:
    """The clauses (the `wrong` one stating one more than the table) and decoys, in `order`, as one sentence."""
    pieces = [phrase.format(as_written(value + (i == wrong), style)) for i, (_, phrase, value, style) in enumerate(clauses)]
    items = pieces + list(decoys)
    return "，".join(items[i] for i in order) + "。"


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(prose_cases())
def test_random_phrasings_find_exactly_the_changed_number(case):
    fig, clauses, decoys, order, wrong = case
    assert found(_sentence(clauses, decoys, order), fig=fig) == []
    fact, _, value, _ = clauses[wrong]
    changed = _sentence(clauses, decoys, order, wrong)
    got = found(changed, fig=fig)
    key = "received_new" if fact == "accepted" else fact
    # the changed clause, and no other, is found (unless a 受理 one more than 新收 is 新收 + 上年结转)
    if fact == "accepted" and value + 1 in (fig.new, fig.new + fig.carried):
        assert got == []
    else:
        assert [(g[0], g[1], g[2]) for g in got] == [("narrative_mismatch", key, value + 1)], (changed, got)
