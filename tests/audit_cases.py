"""The audit reports: one per prose rule's injected error, clean ones full of decoys.

Each case says which findings of the audit rules it must give, no more: the
clean cases hold every decoy the issue lists (percentages, changes on last
year, parts, dates, counts of other things, 受理 meaning 新收 + 上年结转,
full-width digits and Chinese numerals, “未发生…行政复议、行政诉讼案件”, next
year's plans, last year's comparisons, cited documents' dates).  The
fixtures/audit generator writes each case in every format; the tests read
them back.
"""

from __future__ import annotations

from gikr_tui import template as T

from audit_maker import Audit, Figures, default_prose, fullwidth

# the rules these cases are about: any other finding of them is a false one
AUDIT_RULES = ("narrative_mismatch", "year_mismatch", "section_thin", "contradiction")

A = Audit("clean")  # year 2023, 2021 template, the default figures
F = A.fig


def _decoys_2021(a: Audit, **say) -> dict[int, list[str]]:
    """Section 一 with every decoy, and the facts as `say` overrides them (an injected error)."""
    f = a.fig
    s = {
        "new": f.new, "results": f.results, "carried": f.carried, "forward": f.forward,
        "granted": f.granted, "partial": f.partial, "accepted": f.new + f.carried,
        "review": "二", "litigation": f.litigation,
    }
    s.update(say)
    prose = default_prose(a)
    prose[1] = [
        f"{a.year}年，本机关坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》，扎实推进政务公开工作。",
        f"（一）主动公开情况。{a.year}年，本机关通过门户网站主动公开政府信息1520条，同比增长12.5%，其中政策解读36篇，"
        f"占比2.37%。根据《国务院办公厅关于印发{a.year}年政务公开工作要点的通知》（国办发〔{a.year}〕10号）要求，及时调整公开目录。",
        f"（二）依申请公开情况。全年新收政府信息公开申请{s['new']}件，比上年增加12件，办结{s['results']}件"
        f"（含上年结转{s['carried']}件），其中8件申请人主动撤回，结转下年度继续办理{s['forward']}件。"
        f"本年度共受理政府信息公开申请{s['accepted']}件，均在法定期限内予以答复。",
        f"在办理结果中，予以公开{s['granted']}件，部分公开{s['partial']}件，占办结总数的41.5%。",
        f"{a.year - 1}年新收申请28件，本年增长明显。与{a.year - 1}年相比，网上申请占比提高到85%。",
        f"（三）政府信息管理情况。{a.year - 1}年12月，省政府办公厅印发《政府信息公开工作规范》，本机关据此修订了内部制度。",
        f"全年共收到网民留言120件，均已办结。因政府信息公开被申请行政复议{s['review']}件，其中一件已审结；"
        f"被提起行政诉讼{s['litigation']}件。",
    ]
    prose[3] = [f"{a.year}年1月1日至12月31日，本机关共新收政府信息公开申请{s['new']}件，上年结转{fullwidth(str(s['carried']))}件。"]
    prose[4] = [f"本年度因政府信息公开被申请行政复议{s['review']}件，行政诉讼{s['litigation']}件。"]
    return prose


def _case(name: str, expect=(), base: Audit = A, fig: Figures | None = None, **say) -> Audit:
    a = Audit(name, base.year, base.template, base.agency, fig or base.fig)
    a.prose = _decoys_2021(a, **say)
    a.expect = list(expect)
    return a


def _b_prose(a: Audit, new_words: str = "二十") -> dict[int, list[str]]:
    """The 2019 template's report: other phrasings, Chinese numerals, 受理 meaning 新收, no lawsuits."""
    f = a.fig
    prose = default_prose(a)
    prose[1] = [
        f"{a.year}年，本局认真落实《条例》各项要求，政府信息公开工作有序开展。",
        f"{a.year - 1}年，本局共收到申请15件，{a.year}年增长33%。",
        f"本年度共收到政府信息公开申请{new_words}件，受理政府信息公开申请{f.new}件，上年度结转申请{f.carried}件，"
        f"其中予以公开{f.granted}件、部分公开{f.partial}件，所有申请均已按时办结。",
        "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件，未发生一起因办理不当导致行政诉讼被判败诉的案件。",
        "行政复议、行政诉讼案件均为0件。",
    ]
    return prose


B = Audit("clean-2019", 2020, T.T2019, "清河县交通运输局",
          Figures(new=20, carried=3, granted=8, partial=4, forward=0, review=(0, 0, 0, 0), direct=(0, 0, 0, 0), commercial=0))
B.prose = _b_prose(B)

CASES: list[Audit] = [
    _case("clean-2021"),
    B,
    # stated twice (一 and 三): checked twice
    _case("mismatch-new", [("narrative_mismatch", "received_new")] * 2, new=F.new + 1),
    _case("mismatch-carried-fullwidth", [("narrative_mismatch", "carried_over")] * 2, carried=fullwidth(str(F.carried + 1))),
    _case("mismatch-results", [("narrative_mismatch", "results_total")], results=F.results - 1),
    _case("mismatch-forward", [("narrative_mismatch", "carried_forward")], forward=F.forward + 2),
    _case("mismatch-granted-fullwidth", [("narrative_mismatch", "granted")], granted=fullwidth(str(F.granted + 1))),
    _case("mismatch-partial", [("narrative_mismatch", "partial")], partial=F.partial - 1),
    _case("mismatch-review-chinese", [("narrative_mismatch", "review")] * 2, review="三"),
    _case("mismatch-accepted", [("narrative_mismatch", "received_new")], accepted=F.new + F.carried + 2),
]

# 未发生…行政复议、行政诉讼案件 while table 4 holds a lawsuit
_E = Audit("mismatch-litigation-zero", fig=Figures(review=(0, 0, 0, 0), direct=(0, 1, 0, 0)))
_E.prose = default_prose(_E)
_E.prose[4] = ["本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。"]
_E.expect = [("narrative_mismatch", "litigation")]
CASES.append(_E)

# last year's text: 总体情况 opens with the year before
_Y = _case("year-opening", [("year_mismatch", None)])
_Y.prose[1][0] = _Y.prose[1][0].replace(f"{A.year}年，本机关", f"{A.year - 1}年，本机关")
CASES.append(_Y)

_P = _case("year-period", [("year_mismatch", None)])  # one finding for the sentence
_P.preamble = [
    f"根据《中华人民共和国政府信息公开条例》规定，现公布{A.agency}{A.year}年政府信息公开工作年度报告。"
    f"本报告所列数据的统计期限自{A.year - 1}年1月1日起至{A.year - 1}年12月31日止。"
]
CASES.append(_P)

_T5 = _case("thin-five", [("section_thin", 5)])
_T5.prose[5] = ["无。"]
CASES.append(_T5)

_T1 = Audit("thin-one", expect=[("section_thin", 1)])
_T1.prose = default_prose(_T1)
_T1.prose[1] = ["按要求执行。"]
CASES.append(_T1)

_C = _case("contradiction", [("contradiction", None)])
_C.prose[1][2] = _C.prose[1][2].replace("均在法定期限内予以答复", "均已按时办结")
CASES.append(_C)

# an arithmetic error (one cell of 一、本年新收): the prose, true to the report, must not be blamed
_R = _case("arithmetic-part")
_R.cells = {("received_new", "natural"): str(F.new - F.commercial + 1)}
_R.expect = []
CASES.append(_R)

# 结转下年度 changed in its row consistently: balance fails, the prose's 结转 is what balance implies
_K = _case("arithmetic-forward-row")
_K.cells = {("carried_forward", "natural"): str(F.forward + 1), ("carried_forward", "total"): str(F.forward + 1)}
CASES.append(_K)

BY_NAME = {a.name: a for a in CASES}
# the legacy .doc goes through LibreOffice on every read (a second or two): a few cases suffice
DOC_CASES = ("clean-2021", "mismatch-review-chinese")
