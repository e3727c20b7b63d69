"""Writing synthetic reports in every text layout, for property tests.

A `Truth` holds the numbers of tables 3 and 4; `render()` writes a whole
report around them (title, six sections, table 2) in one of the text layouts
the seeds show, with the quirks real copies have: blank vs 0 vs `—` cells,
full-width digits, wrapped labels, stray spaces, half- or full-width brackets,
`1.` or `1、`, and a page header in the middle of table 3.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from gikr_tui import template as T

LAYOUTS = ("cell-per-line", "tab", "pipe", "markdown")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16")
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Truth:
    template: int
    # numbers as they should read back: None for a blank or dash cell
    grid: dict[str, dict[str, int | None]]
    t4: dict[str, dict[str, int | None]]
    # how each cell is written: "" blank, "—" dash, or digits (maybe full-width)
    written: dict[tuple[str, str], str] = field(default_factory=dict)
    t4_written: dict[tuple[str, str], str] = field(default_factory=dict)


def consistent_truth(rng: random.Random, template: int) -> Truth:
    """Random tables for which every identity holds."""
    outcome_rows = T.outcome_rows_for(template)
    grid: dict[str, dict[str, int]] = {r: {} for r in T.rows_for(template)}
    for col in T.PART_COLS:
        busy = rng.random() < 0.6
        for row in outcome_rows:
            grid[row][col] = rng.choice([0, 0, 0, rng.randint(1, 40), rng.randint(1, 4000)]) if busy else 0
        handled = sum(grid[r][col] for r in outcome_rows)
        grid["results_total"][col] = handled
        forward = rng.randint(0, 30) if busy else 0
        grid["carried_forward"][col] = forward
        carried = rng.randint(0, handled + forward)
        grid["carried_over"][col] = carried
        grid["received_new"][col] = handled + forward - carried
    for row in grid:
        grid[row]["total"] = sum(grid[row][c] for c in T.PART_COLS)
    t4: dict[str, dict[str, int]] = {}
    for g in T.T4_GROUPS:
        parts = {f: rng.choice([0, 0, rng.randint(1, 50)]) for f in T.T4_PART_FIELDS}
        t4[g] = {**parts, "total": sum(parts.values())}
    return Truth(template, grid, t4)  # type: ignore[arg-type]


def write_cells(truth: Truth, rng: random.Random, blank_style: str) -> None:
    """Decide how each cell is written; zeros may become blank or a dash.

    blank_style: "zeros" writes 0, "blank" leaves zeros empty, "dash" writes —,
    "mixed" picks per cell, "fullwidth" writes digits full-width.
    """
    def one(v: int) -> tuple[str, int | None]:
        style = rng.choice(["zeros", "blank", "dash", "fullwidth"]) if blank_style == "mixed" else blank_style
        if v == 0 and style == "blank":
            return "", None
        if v == 0 and style == "dash":
            return "—", None
        text = str(v)
        return (text.translate(FULL) if style == "fullwidth" else text), v

    for row, cols in truth.grid.items():
        for col, v in cols.items():
            text, value = one(v)  # type: ignore[arg-type]
            truth.written[(row, col)] = text
            truth.grid[row][col] = value
    for g, fields in truth.t4.items():
        for f, v in fields.items():
            text, value = one(v)  # type: ignore[arg-type]
            truth.t4_written[(g, f)] = text
            truth.t4[g][f] = value


def set_cell(truth: Truth, row: str, col: str, value: int | None, text: str | None = None) -> None:
    truth.grid[row][col] = value
    truth.written[(row, col)] = text if text is not None else ("" if value is None else str(value))


def set_t4(truth: Truth, group: str, field_: str, value: int | None) -> None:
    truth.t4[group][field_] = value
    truth.t4_written[(group, field_)] = "" if value is None else str(value)


# --- labels, with the variants real files use ------------------------------------


def _label(row: str, rng: random.Random, fancy: bool) -> str:
    label = T.ROW_SPECS[row].label
    if not fancy:
        return label
    if rng.random() < 0.3:
        label = label.replace("（", "(").replace("）", ")")
    if rng.random() < 0.3 and label[:2] in {f"{i}." for i in range(1, 9)}:
        label = label[0] + "、" + label[2:]
    if row == "denied_2" and rng.random() < 0.5:
        label = label.replace("法律行政法规", "法律法规")
    if row == "results_total" and rng.random() < 0.5:
        label = label.replace("总计", "总 计")
    return label


def _group(row: str) -> str | None:
    return T.ROW_SPECS[row].group


def table3_rows(truth: Truth, rng: random.Random, fancy: bool, damage: dict[str, str] | None = None) -> list:
    """Table 3 as rows of cell texts, merged labels the way copies flatten them.

    `damage` maps row keys to what a copy did to that row (see DAMAGES); a
    row may then become a plain line (`Line`) and a row, or two rows.
    """
    head = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
        ["", "自然人", "法人或其他组织", "总计"],
        ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    rows: list = list(head)
    seen_groups: set[str] = set()
    for row in T.rows_for(truth.template):
        values = [truth.written[(row, c)] for c in T.COLS]
        label = _label(row, rng, fancy)
        group = _group(row)
        if row == "granted":
            cells = ["三、本年度办理结果"]
        elif group and group not in seen_groups:
            seen_groups.add(group)
            cells = ["", group]
        elif group:
            cells = ["", ""]
        elif T.ROW_SPECS[row].level == 1:
            cells = [""]
        else:
            cells = []
        rows.extend(_damaged(cells, label, values, (damage or {}).get(row), group, rng))
    return rows


class Line(str):
    """A plain line of text amid a table's rows (a label written on its own line)."""


# What copies do to a row: a typo (1–3 characters dropped or changed),
# characters of a vertical label glued on in front, the label cut short, the
# values moved to the next line, the label split over two lines.
DAMAGES = ("typo", "glue", "cut", "moved", "split")
VERTICAL = "三、本年度办理结果"


def _stand_ins() -> str:
    """Characters no label of the template holds: a changed character never
    turns one row's label into another's."""
    used = set("".join(s.label for s in T.ROW_SPECS.values()) + "".join(T.GROUP_LABELS.values()) + VERTICAL)
    pool = "甲乙丙丁戊庚辛壬癸丑寅卯辰巳午未酉戌亥春夏秋冬东南北江河湖海山石木金土风云雨雪花草竹松梅兰菊鸟鱼虫"
    return "".join(c for c in pool if c not in used)


STAND_INS = _stand_ins()


def damage_label(label: str, kind: str, group: str | None, rng: random.Random) -> str:
    """The label as a damaging copy writes it; a word of it always survives
    (a label reduced to `3.` is a number, not a label)."""
    while True:
        damaged = _damage(label, kind, group, rng)
        if any(c >= "\u4e00" for c in damaged):
            return damaged


def _damage(label: str, kind: str, group: str | None, rng: random.Random) -> str:
    if kind == "typo":
        chars = list(label)
        for _ in range(rng.randint(1, min(3, len(chars) - 1))):
            i = rng.randrange(len(chars))
            if rng.random() < 0.5 and len(chars) > 2:
                del chars[i]
            else:
                chars[i] = rng.choice(STAND_INS)
        return "".join(chars)
    if kind == "glue":
        source = group if group and rng.random() < 0.5 else VERTICAL
        n = rng.randint(1, 2)
        start = rng.randrange(len(source) - n + 1)
        return source[start: start + n] + label
    if kind == "cut":
        return label[: rng.randint(1, len(label) - 1)]
    return label


def _damaged(cells: list[str], label: str, values: list[str], kind: str | None, group: str | None, rng: random.Random) -> list:
    if kind in ("typo", "glue", "cut"):
        return [cells + [damage_label(label, kind, group, rng)] + values]
    if kind == "moved":
        return [cells + [label], values]
    if kind == "split":
        cut = rng.randint(2, len(label) - 1)
        return [Line(label[:cut]), cells + [label[cut:]] + values]
    return [cells + [label] + values]


def t4_rows(truth: Truth, per_group: bool = False, rng: random.Random | None = None) -> list:
    """Table 4 as one table, or (per_group) as a small table per group, each
    under its caption: a line of its own or a row of the table."""
    parts = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    values = [[truth.t4_written[(g, f)] for f in T.T4_FIELDS] for g in T.T4_GROUPS]
    if per_group:
        rows: list = []
        captions = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
        for caption, group_values in zip(captions, values):
            rows += [Line(caption) if rng is None or rng.random() < 0.5 else [caption], parts, group_values, Line("")]
        return rows
    return [
        ["行政复议", "行政诉讼"],
        parts + ["未经复议直接起诉", "复议后起诉"],
        [""] * 5 + parts + parts,
        [v for group_values in values for v in group_values],
    ]


def t2_rows(template: int) -> list[list[str]]:
    if template == T.T2019:
        return [
            ["第二十条第（一）项"],
            ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "1", "1", "12"],
            ["规范性文件", "3", "3", "40"],
            ["第二十条第（五）项"],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "20", "-2", "300"],
            ["其他对外管理服务事项", "5", "0", "17"],
            ["第二十条第（六）项"],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政处罚", "9", "1", "88"],
            ["行政强制", "2", "0", "4"],
            ["第二十条第（八）项"],
            ["信息内容", "上一年项目数量", "本年增/减"],
            ["行政事业性收费", "3", "-1"],
            ["第二十条第（九）项"],
            ["信息内容", "采购项目数量", "采购总金额"],
            ["政府集中采购", "6", "120.5"],
        ]
    return [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "3"],
        ["行政规范性文件", "2", "1", "15"],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", "1,234"],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", "56"],
        ["行政强制", "0"],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", "12.3456"],
    ]


T2_EXPECTED = {
    T.T2021: {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 3},
        "normative_documents": {"issued": 2, "repealed": 1, "in_force": 15},
        "licensing": {"decisions": 1234},
        "punishment": {"decisions": 56},
        "enforcement": {"decisions": 0},
        "fees": {"amount": 12.3456},
    },
    T.T2019: {
        "regulations": {"new_made": 1, "new_published": 1, "total_published": 12},
        "normative_documents": {"new_made": 3, "new_published": 3, "total_published": 40},
        "licensing": {"previous_count": 20, "change": -2, "decisions": 300},
        "other_services": {"previous_count": 5, "change": 0, "decisions": 17},
        "punishment": {"previous_count": 9, "change": 1, "decisions": 88},
        "enforcement": {"previous_count": 2, "change": 0, "decisions": 4},
        "fees": {"previous_count": 3, "change": -1},
        "procurement": {"projects": 6, "amount": 120.5},
    },
}


# --- layouts -------------------------------------------------------------------


def _table(rows: list, layout: str, rng: random.Random, wrap: bool) -> list[str]:
    out: list[str] = []
    if layout == "cell-per-line":
        for cells in rows:
            if isinstance(cells, Line):
                out += [cells, ""] if cells else []
                continue
            for cell in cells:
                if wrap and len(cell) > 6 and not cell.isdigit() and rng.random() < 0.3:
                    cut = rng.randint(2, len(cell) - 2)
                    out.append("\t" + cell[:cut])
                    out.append(cell[cut:])  # a wrapped cell continues without the tab
                else:
                    out.append("\t" + cell)
            out.append("")
    elif layout == "tab":
        out.extend(cells if isinstance(cells, Line) else "\t".join(cells) for cells in rows)
    elif layout == "pipe":
        out.extend(cells if isinstance(cells, Line) else " | ".join(cells) + " |" for cells in rows)
    elif layout == "markdown":
        width = max(len(r) for r in rows if not isinstance(r, Line))
        first = True
        for cells in rows:
            if isinstance(cells, Line):
                out.append(cells)
                first = True
                continue
            padded = cells + [""] * (width - len(cells))
            out.append("| " + " | ".join(padded) + " |")
            if first:
                out.append("|" + "---|" * width)
                first = False
    else:
        raise ValueError(layout)
    return out


def render(
    truth: Truth,
    layout: str,
    rng: random.Random,
    *,
    fancy: bool = True,
    page_header: bool = False,
    damage: dict[str, str] | None = None,
    t4_per_group: bool = False,
    agency: str = "测试县人民政府办公室",
    year: int | None = None,
    prose: dict[int, str] | None = None,
    t2: list[list[str]] | None = None,
) -> str:
    """A whole report around `truth`; `prose` replaces sections 1, 5 and 6's text (paragraphs split at newlines)."""
    if year is None:
        year = 2020 if truth.template == T.T2019 else 2023
    prose = prose or {}
    heading = "## " if layout == "markdown" else ""
    title = f"{agency}{year}年政府信息公开工作年度报告"
    lines = [("# " if layout == "markdown" else "") + title, ""]

    def section(n: int) -> None:
        lines.extend(["", heading + T.SECTION_TITLES[n - 1], ""])

    def paragraphs(n: int, default: list[str]) -> list[str]:
        if n not in prose:
            return default
        return [line for para in prose[n].split("\n") for line in (para, "")]

    section(1)
    lines += paragraphs(1, [f"{year}年，本机关认真落实《中华人民共和国政府信息公开条例》。", "", "（一）主动公开情况。全年主动公开信息120条。", ""])
    section(2)
    lines += _table(t2 if t2 is not None else t2_rows(truth.template), layout, rng, False) + [""]
    section(3)
    t3 = table3_rows(truth, rng, fancy, damage)
    if page_header:
        cut = rng.randint(5, len(t3) - 3)
        lines += _table(t3[:cut], layout, rng, fancy) + ["", title, "- 3 -", ""]
        lines += _table(t3[cut:], layout, rng, fancy) + [""]
    else:
        lines += _table(t3, layout, rng, fancy) + [""]
    section(4)
    lines += _table(t4_rows(truth, t4_per_group, rng if t4_per_group else None), layout, rng, fancy) + [""]
    section(5)
    lines += paragraphs(5, ["一是公开深度不够。下一步将加强培训。", ""])
    section(6)
    lines += paragraphs(6, ["本机关未收取信息处理费。", ""])
    return "\n".join(lines)


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM
    return text.encode(encoding)


def with_long_prose(report: str, paragraphs: int = 150_000) -> str:
    """A real report followed by ~20 MB of prose: inside every protective
    limit, and seconds of honest work to read (for killing or freezing the
    worker that holds it)."""
    para = "本机关依法依规做好政府信息公开工作，主动公开各类信息，回应社会关切，切实保障人民群众知情权。"
    return report + "\n" + "\n\n".join(f"{para}{i}" for i in range(paragraphs))
