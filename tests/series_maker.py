"""Yearly series of reports for the cross-year tests: one agency, consecutive years.

`chained()` makes table 3 for a year whose 二、上年结转 is the previous year's
四、结转下年度 (or anything a test wants), every identity of the year holding;
`prose()` writes section text that differs from any other call's (so no two
years look copied unless a test copies them); `write()` puts a report on disk
in a text layout, with table 2's stock rows as given.
"""

from __future__ import annotations

import copy
import random
from pathlib import Path

from gikr_tui import template as T

from report_maker import Truth, consistent_truth, render, set_cell, write_cells

# Clauses of the kind these reports are written in; a section is a random
# handful, so two sections share little beyond the reports' common words.
CLAUSES = (
    "坚持以习近平新时代中国特色社会主义思想为指导", "全面贯彻落实党中央国务院关于政务公开的决策部署",
    "围绕中心服务大局", "健全政务公开工作机制", "调整充实政务公开工作领导小组", "明确分管领导和具体工作人员",
    "深化重点领域信息公开", "及时公开财政预决算和三公经费", "加强政策解读和回应关切", "开展政府开放日活动",
    "完善依申请公开受理办理流程", "严格执行答复期限", "规范答复文书格式", "加强与申请人的沟通",
    "优化政府网站栏目设置", "推进政务新媒体规范发展", "及时更新政府信息公开指南", "做好公开目录动态调整",
    "组织开展业务培训两次", "将政务公开纳入年度绩效考核", "强化保密审查", "落实信息发布三审制度",
    "扎实推进基层政务公开标准化规范化", "梳理公开事项清单", "推动决策公开", "邀请利益相关方列席会议",
    "加强行政规范性文件管理", "开展规范性文件清理", "公开权责清单", "推进办事服务公开",
    "主动回应社会热点", "完善舆情收集研判机制", "建设政策文件库", "提升公开的标准化水平",
    "加大惠民政策宣传力度", "做好建议提案办理结果公开", "公开重大建设项目批准和实施情况", "推进公共资源配置领域公开",
    "部分工作人员业务能力有待提升", "政策解读形式较为单一", "公开内容的全面性还不够", "栏目更新不够及时",
    "下一步将加大培训力度", "丰富解读形式", "加强督促检查", "建立常态化检查机制",
    "开展网站内容普查", "压实各科室公开责任", "探索图表图解和视频解读", "加强政务公开平台安全防护",
)


def prose(rng: random.Random, clauses: int = 12) -> str:
    """A paragraph or two of report-like prose, hundreds of characters long."""
    picked = rng.sample(CLAUSES, clauses)
    sentences = ["，".join(picked[i: i + 3]) + "。" for i in range(0, len(picked), 3)]
    half = len(sentences) // 2
    return "".join(sentences[:half]) + "\n" + "".join(sentences[half:])


def chained(rng: random.Random, template: int, carried_over: dict[str, int] | None = None) -> Truth:
    """Consistent tables whose 二、上年结转 is `carried_over` (per applicant column)."""
    truth = consistent_truth(rng, template)
    grid = truth.grid
    if carried_over is not None:
        for col in T.PART_COLS:
            carried = carried_over[col]
            handled = grid["results_total"][col]
            forward = grid["carried_forward"][col]
            received = handled + forward - carried
            if received < 0:
                forward -= received
                received = 0
            grid["carried_over"][col] = carried
            grid["received_new"][col] = received
            grid["carried_forward"][col] = forward
        for row in ("carried_over", "received_new", "carried_forward"):
            grid[row]["total"] = sum(grid[row][c] for c in T.PART_COLS)
    write_cells(truth, rng, "zeros")
    return truth


def forward_of(truth: Truth) -> dict[str, int]:
    return {c: truth.grid["carried_forward"][c] or 0 for c in T.PART_COLS}


def t2_2021(regulations: tuple[int, int, int], normative: tuple[int, int, int]) -> list[list[str]]:
    """Table 2 of the 2021 template with 规章 and 行政规范性文件 as (issued, repealed, in_force)."""
    return [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", *map(str, regulations)],
        ["行政规范性文件", *map(str, normative)],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", "12"],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", "5"],
        ["行政强制", "0"],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "0"],
    ]


STEADY_STOCK = t2_2021((0, 0, 3), (0, 0, 15))


def write(
    path: Path, agency: str, year: int, truth: Truth, rng: random.Random, *,
    prose_by_section: dict[int, str] | None = None, t2: list[list[str]] | None = None, layout: str = "tab",
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if t2 is None and truth.template == T.T2021:
        t2 = STEADY_STOCK  # report_maker's own table 2 issues and repeals without its stock following
    text = render(truth, layout, rng, fancy=False, agency=agency, year=year,
                  prose=prose_by_section if prose_by_section is not None else {1: prose(rng), 5: prose(rng, 6)}, t2=t2)
    path.write_text(text, encoding="utf-8")
    return path


def blank_vs_zero_pair(tmp: Path, agency: str, body: str) -> tuple[Path, Path]:
    """One year's tables written twice: with its zeros (one.txt), then with them blank (two.txt),
    one count changed (natural 一、本年新收 + 1) and one count left blank (a non-zero)."""
    rng = random.Random(11)
    first = consistent_truth(rng, 2021)
    second = copy.deepcopy(first)
    write_cells(first, rng, "zeros")
    write_cells(second, rng, "blank")
    set_cell(second, "received_new", "natural", second.grid["received_new"]["natural"] + 1)
    row, col = next((r, c) for r, cols in first.grid.items() for c, v in cols.items()
                    if v and r != "received_new" and c != "total")
    set_cell(second, row, col, None, "")
    p1 = write(tmp / "one.txt", agency, 2022, first, rng, prose_by_section={1: body})
    p2 = write(tmp / "two.txt", agency, 2022, second, rng, prose_by_section={1: body})
    return p1, p2
