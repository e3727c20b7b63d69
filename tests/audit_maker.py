"""Whole reports with prose, for the audit checks, in every format.

An `Audit` is a report's key figures, its prose (one list of paragraphs per
section, plus the preamble) and the template; the writers put it out as a
text copy (tab tables, or hard-wrapped lines as copied from a PDF), Markdown,
a web page, or a Word file whose numbers sit in runs of their own and whose
sentences may hold soft line breaks.  fixtures/audit/generate.py turns the
Word files into PDF and legacy .doc with LibreOffice.

`figures()` makes consistent tables around the numbers the prose states, so
a test changes one side only (the prose, or one cell) to inject an error.
"""

from __future__ import annotations

import html as htmllib
import random
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from gikr_tui import template as T

from report_maker import Truth, _table, t2_rows, table3_rows, t4_rows

FULL = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class Figures:
    new: int = 40
    carried: int = 3
    granted: int = 12
    partial: int = 5
    forward: int = 2
    review: tuple[int, int, int, int] = (1, 1, 0, 0)  # 维持 纠正 其他 尚未审结
    direct: tuple[int, int, int, int] = (1, 0, 0, 0)
    after: tuple[int, int, int, int] = (0, 0, 0, 0)
    commercial: int = 2  # of the new applications, from companies (all granted)

    @property
    def results(self) -> int:
        return self.new + self.carried - self.forward

    @property
    def litigation(self) -> int:
        return sum(self.direct) + sum(self.after)


def truth(fig: Figures, template: int) -> Truth:
    """Consistent tables 3 and 4 whose totals are the figures."""
    grid: dict[str, dict[str, int]] = {r: {c: 0 for c in T.COLS} for r in T.rows_for(template)}
    nat = grid
    nat["received_new"]["natural"], nat["received_new"]["commercial"] = fig.new - fig.commercial, fig.commercial
    nat["carried_over"]["natural"] = fig.carried
    nat["granted"]["natural"], nat["granted"]["commercial"] = fig.granted - fig.commercial, fig.commercial
    nat["partial"]["natural"] = fig.partial
    rest = fig.results - fig.granted - fig.partial
    nat["unable_1"]["natural"] = rest - min(rest, 2)
    nat["not_processed_2"]["natural"] = min(rest, 2)
    nat["carried_forward"]["natural"] = fig.forward
    for col in T.PART_COLS:
        grid["results_total"][col] = sum(grid[r][col] for r in T.outcome_rows_for(template))
    for row in grid:
        grid[row]["total"] = sum(grid[row][c] for c in T.PART_COLS)
    t4 = {}
    for group, parts in zip(T.T4_GROUPS, (fig.review, fig.direct, fig.after)):
        t4[group] = dict(zip(T.T4_PART_FIELDS, parts))
        t4[group]["total"] = sum(parts)
    out = Truth(template, grid, t4)  # type: ignore[arg-type]
    out.written = {(r, c): str(v) for r, cols in grid.items() for c, v in cols.items()}
    out.t4_written = {(g, f): str(v) for g, fs in t4.items() for f, v in fs.items()}
    return out


@dataclass
class Audit:
    name: str
    year: int = 2023
    template: int = T.T2021
    agency: str = "清河县人民政府办公室"
    fig: Figures = field(default_factory=Figures)
    prose: dict[int, list[str]] = field(default_factory=dict)  # section -> paragraphs; missing: the default
    preamble: list[str] | None = None
    cells: dict[tuple[str, str], str] = field(default_factory=dict)  # table-3 cells written otherwise (an injected error)
    expect: list[tuple[str, object]] = field(default_factory=list)  # (rule, row|col|group|section)

    def tables(self) -> Truth:
        t = truth(self.fig, self.template)
        t.written.update(self.cells)
        return t

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def paragraphs(self, section: int) -> list[str]:
        if section in self.prose:
            return self.prose[section]
        return default_prose(self)[section]

    def intro(self) -> list[str]:
        if self.preamble is not None:
            return self.preamble
        y = self.year
        return [
            f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，现公布{self.agency}{y}年政府信息公开工作年度报告。"
            f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
        ]


def default_prose(a: Audit) -> dict[int, list[str]]:
    """Plain prose in the phrasings real reports use, every number agreeing with the tables."""
    y, f = a.year, a.fig
    return {
        1: [
            f"{y}年，{a.agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》，扎实推进政务公开工作。",
            "（一）主动公开情况。全年通过门户网站主动公开政府信息1520条，其中政策解读36篇，占比2.37%。",
            f"（二）依申请公开情况。全年新收政府信息公开申请{f.new}件，办结{f.results}件（含上年结转{f.carried}件），"
            f"结转下年度继续办理{f.forward}件。",
            "（三）政府信息管理情况。严格落实公开前保密审查制度，动态调整主动公开基本目录。",
        ],
        2: [],
        3: [],
        4: [],
        5: [
            "一是政策解读形式还不够丰富；二是依申请公开答复的规范化水平有待提高。",
            f"{y + 1}年，将持续加强业务培训，提升政府信息公开工作质量。",
        ],
        6: [f"本机关{y}年度未收取政府信息公开信息处理费。"],
    }


# --- Writers ----------------------------------------------------------------------------------------


def _rows(a: Audit, section: int) -> list[list[str]]:
    t = a.tables()
    if section == 2:
        return t2_rows(a.template)
    if section == 3:
        return table3_rows(t, random.Random(0), fancy=False)
    if section == 4:
        return t4_rows(t)
    return []


def wrap(text: str, width: int = 34) -> list[str]:
    """A paragraph as a text copy of a PDF has it: cut every `width` characters."""
    return [text[i: i + width] for i in range(0, len(text), width)] or [""]


def text(a: Audit, *, hard_wrap: bool = False, layout: str = "tab") -> str:
    rng = random.Random(0)
    lines = [a.title, ""]
    for para in a.intro():
        lines += (wrap(para) if hard_wrap else [para]) + [""]
    for n in range(1, 7):
        lines += [T.SECTION_TITLES[n - 1], ""]
        for para in a.paragraphs(n):
            lines += (wrap(para) if hard_wrap else [para]) + [""]
        rows = _rows(a, n)
        if rows:
            lines += _table(rows, layout, rng, False) + [""]
    return "\n".join(lines) + "\n"


def markdown(a: Audit) -> str:
    rng = random.Random(0)
    lines = [f"# {a.title}", ""]
    for para in a.intro():
        lines += [para, ""]
    for n in range(1, 7):
        lines += [f"## {T.SECTION_TITLES[n - 1]}", ""]
        for para in a.paragraphs(n):
            lines += [para, ""]
        rows = _rows(a, n)
        if rows:
            lines += _table(rows, "markdown", rng, False) + [""]
    return "\n".join(lines) + "\n"


_NUMBER = re.compile(r"([0-9０-９]+)")


def html(a: Audit) -> str:
    """A government site's page: navigation, the report in a content div, numbers in spans."""
    def para(text: str) -> str:
        # numbers in <span>s, as CMS editors leave them; one sentence broken by <br>
        body = _NUMBER.sub(r'<span style="font-family:Times New Roman">\1</span>', htmllib.escape(text))
        return f'<p style="text-indent:2em">{body}</p>'

    def table(rows: list[list[str]]) -> str:
        width = max(len(r) for r in rows)
        out = ['<table border="1" cellspacing="0">']
        for r in rows:
            cells = [""] * (width - len(r)) + r
            out.append("<tr>" + "".join(f"<td>{htmllib.escape(c)}</td>" for c in cells) + "</tr>")
        out.append("</table>")
        return "\n".join(out)

    parts = [
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' + htmllib.escape(a.title) + "</title></head><body>",
        '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 年度报告</div>',
        '<div class="content">',
        f"<h1>{htmllib.escape(a.title)}</h1>",
    ]
    parts += [para(p) for p in a.intro()]
    for n in range(1, 7):
        parts.append(f"<p><strong>{T.SECTION_TITLES[n - 1]}</strong></p>")
        parts += [para(p) for p in a.paragraphs(n)]
        rows = _rows(a, n)
        if rows:
            parts.append(table(rows))
    parts += ["</div>", '<div class="footer">主办单位：清河县人民政府办公室 版权所有</div>', "</body></html>"]
    return "\n".join(parts) + "\n"


FONT = "Droid Sans Fallback"


def docx_document(a: Audit):
    """A Word file: bordered tables, numbers in runs of their own, a soft line break in long paragraphs."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    section = d.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.6)
    normal = d.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FONT)

    def para(text: str, bold: bool = False, soft_break: bool = False) -> None:
        p = d.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(24)
        pieces = _NUMBER.split(text)
        if soft_break and len(text) > 60:
            # Word's Shift+Enter inside a sentence, after a comma near the middle
            cut = text.find("，", len(text) // 2)
            if cut > 0:
                pieces = _NUMBER.split(text[: cut + 1]) + ["\n"] + _NUMBER.split(text[cut + 1:])
        for piece in pieces:
            if piece == "\n":
                p.add_run().add_break()
            elif piece:
                run = p.add_run(piece)
                run.bold = bold or None
                if piece[:1].isdigit():
                    run.font.name = "Times New Roman"  # a run of its own, as Word splits them

    def table(rows: list[list[str]]) -> None:
        width = max(len(r) for r in rows)
        t = d.add_table(rows=len(rows), cols=width)
        t.style = "Table Grid"
        grid = t._cells  # (each row's .cells walks the whole table again: 40 % of writing the corpus)
        for r, cells in enumerate(rows):
            padded = [""] * (width - len(cells)) + cells
            for cell, value in zip(grid[r * width: (r + 1) * width], padded):
                cell.paragraphs[0].add_run(value).font.size = Pt(8)  # (what `cell.text = value` made, for less)

    title = d.add_paragraph()
    title.add_run(a.title).bold = True
    for p in a.intro():
        para(p)
    for n in range(1, 7):
        para(T.SECTION_TITLES[n - 1], bold=True)
        for i, p in enumerate(a.paragraphs(n)):
            para(p, soft_break=i % 2 == 1)
        rows = _rows(a, n)
        if rows:
            table(rows)
    return d


def variant(a: Audit, **changes) -> Audit:
    return replace(a, **changes)


def fullwidth(text: str) -> str:
    return text.translate(FULL)


# --- Files ---------------------------------------------------------------------------------------

WRITTEN = ("txt", "md", "html", "docx")  # written when the tests run; PDF and .doc are committed fixtures


def write_case(a: Audit, fmt: str, folder) -> Path:
    """Write one case as `folder/<name>.<fmt>` (txt: hard-wrapped or cell-per-line, by case)."""
    path = Path(folder) / f"{a.name}.{fmt}"
    if fmt == "txt":
        wrapped = sum(map(ord, a.name)) % 2 == 1  # half the cases each way, the same every run
        path.write_text(text(a, hard_wrap=True) if wrapped else text(a, layout="cell-per-line"), encoding="utf-8")
    elif fmt == "md":
        path.write_text(markdown(a), encoding="utf-8")
    elif fmt == "html":
        path.write_text(html(a), encoding="utf-8")
    elif fmt == "docx":
        docx_document(a).save(path)
    else:
        raise ValueError(fmt)
    return path


def expected_entry(a: Audit) -> dict:
    """What a case's file must give: its audit findings as [rule, place], its year and template."""
    return {"violations": [[rule, key] for rule, key in a.expect], "year": a.year, "template": a.template}
