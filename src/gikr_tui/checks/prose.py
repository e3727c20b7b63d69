"""The prose against the tables and the report's year.

`narrative_mismatch`: a number the prose states for a table fact (新收 N 件,
行政复议 N 件…) that no reading of the table gives.  A table whose own
arithmetic fails can be read several ways (its 总计 cell, the sum of its
parts, what the balance implies); the prose is checked against each, so one
wrong cell is the arithmetic's finding and never also the prose's.

`year_mismatch`: a sentence that dates the year's work to an earlier year
(text copied from last year's report), or a statistics period of another year.

`contradiction`: the prose says every application was finished (均已办结)
while table 3 carries some forward to next year.
"""

from __future__ import annotations

from typing import Iterator

from .. import template as T
from ..i18n import N_, _
from ..model import Report, Value
from .arithmetic import BALANCE_ROWS, num, sums
from .finding import Finding, Quote, number
from .prose_scan import Fact, Statement, claims_all_done, scan, wrong_year
from .registry import check, derived

def prose(report: Report):
    return derived(scan, report)


def quote(said: Statement) -> Quote:
    """The sentence a statement stands in, and where it starts."""
    block = said.block
    start, end = block.sentence(said.start)
    paragraph, offset, passage = block.where(start)
    origin = passage.origin
    return Quote(
        block.text[start:end].strip(), block.section,
        line=origin.line if origin is not None else None,
        page=origin.page if origin is not None else None,
        paragraph=paragraph, offset=offset,
    )


# --- Reading the tables -----------------------------------------------------------------


def _read(value: Value | None) -> bool:
    """A cell the reader found (a blank cell it read counts; a row it never found does not)."""
    return value is not None and (value.origin is not None or not value.blank)


def _row_readings(report: Report, row: str) -> tuple[int | float, set] | None:
    """(the 总计 as the table means it, every value a reading of the table gives)."""
    cols = report.requests.get(row)
    if not cols or not any(_read(v) for v in cols.values()):
        return None
    totals = sums(report)
    nums = totals.filled
    primary = nums[row]["total"]
    readings = {primary, totals.parts[row]}
    if all(r in report.requests for r in BALANCE_ROWS):
        n, c, r, f = (nums[k]["total"] for k in BALANCE_ROWS)
        implied = {"received_new": r + f - c, "carried_over": r + f - n, "results_total": n + c - f, "carried_forward": n + c - r}
        if row in implied:
            readings.add(implied[row])
        if row == "results_total":
            readings.add(totals.outcomes["total"])
    return primary, readings


def _group_readings(report: Report, group: str) -> tuple[int | float, set] | None:
    fields = report.review_litigation.get(group)
    if not fields or not any(_read(v) for v in fields.values()):
        return None
    parts = sum(num(fields.get(f)) for f in T.T4_PART_FIELDS)
    total = fields.get("total")
    primary = parts if total is None or total.number is None else total.number
    return primary, {primary, parts}


def readings(report: Report, fact: str) -> tuple[int | float, set, int | float | None] | None:
    """(the table's value, every value it can be read as, the alternative shown) for a fact."""
    if fact == "accepted":
        new, carried = _row_readings(report, "received_new"), _row_readings(report, "carried_over")
        if new is None:
            return None
        if carried is None:
            return new[0], new[1], None
        both = {a + b for a in new[1] for b in carried[1]}
        return new[0], new[1] | both, new[0] + carried[0]
    if fact == "litigation":
        direct, after = _group_readings(report, "litigation_direct"), _group_readings(report, "litigation_after_review")
        if direct is None or after is None:
            return None
        return direct[0] + after[0], {a + b for a in direct[1] for b in after[1]}, None
    if fact == "review":
        found = _group_readings(report, "review")
        return None if found is None else (found[0], found[1], None)
    found = _row_readings(report, fact)
    return None if found is None else (found[0], found[1], None)


def _place(fact: str) -> dict:
    """The finding's place key, cells and table for a fact."""
    if fact == "review":
        return {"group": "review", "cells": (("review", "total"),), "table": 4}
    if fact == "litigation":
        return {"group": "litigation", "cells": (("litigation_direct", "total"), ("litigation_after_review", "total")), "table": 4}
    if fact == "accepted":
        return {"row": "received_new", "cells": (("received_new", "total"), ("carried_over", "total")), "table": 3}
    return {"row": fact, "cells": ((fact, "total"),), "table": 3}


# --- narrative_mismatch ---------------------------------------------------------------------


# The table cells the prose facts are compared with, as findings name them.
_TABLE_NAMES = {
    "received_new": "表三 一、本年新收 总计",
    "carried_over": "表三 二、上年结转 总计",
    "results_total": "表三 （七）总计",
    "carried_forward": "表三 四、结转下年度 总计",
    "granted": "表三 （一）予以公开 总计",
    "partial": "表三 （二）部分公开 总计",
    "review": "表四 行政复议 总计",
    "litigation": "表四 行政诉讼 总计（两项之和）",
}


def _table_name(f: Finding) -> str:
    return _TABLE_NAMES.get(f.group or f.row or "", f.group or f.row or "")


def _mismatch_message(f: Finding) -> str:
    values = {
        "said": f.phrase or "", "stated": number(f.reported), "table": _table_name(f), "value": number(f.computed),
    }
    if f.alternative is not None:
        return _("prose says “{said}” ({stated}); {table} is {value}, with 上年结转 {alternative}").format(
            alternative=number(f.alternative), **values)
    return _("prose says “{said}” ({stated}); {table} is {value}").format(**values)


@check(
    "narrative_mismatch", family="prose", severity="error",
    title=N_("Prose and table disagree"), title_zh="文字与表格不符",
    summary=N_("a number the prose states for a table fact (新收, 上年结转, 办结/答复, 结转下年度, 予以公开, 部分公开, "
               "行政复议, 行政诉讼; 受理 as 新收 or 新收 + 上年结转) that the table does not give"),
    example=N_("prose says “新收政府信息公开申请1295件” (1295); 表三 一、本年新收 总计 is 1296"),
    message=_mismatch_message,
)
def narrative_mismatch(report: Report) -> Iterator[Finding]:
    for said in prose(report).facts:
        found = readings(report, said.fact)
        if found is None:
            continue
        value, accepted, alternative = found
        if said.value in accepted:
            continue
        yield Finding(
            "narrative_mismatch", "error", said.value, value, text=quote(said), phrase=_phrase(said),
            alternative=alternative, **_place(said.fact),
        )


def _phrase(said: Fact) -> str:
    return " ".join(said.phrase.split())


# --- year_mismatch ------------------------------------------------------------------------------


@check(
    "year_mismatch", family="prose", severity="warning",
    title=N_("Another year's text"), title_zh="年份不符",
    summary=N_("the prose dates the year's work to an earlier year (“2022年，本机关…” in a 2023 report: copied from "
               "last year), or states a statistics period of another year; plans for next year, comparisons, spans "
               "and cited documents' dates are not the work year"),
    example=N_("the prose dates the work to 2022; the report is for 2023"),
    message=lambda f: _("the prose dates the work to {stated}; the report is for {year}").format(
        stated=number(f.reported), year=number(f.computed)),
)
def year_mismatch(report: Report) -> Iterator[Finding]:
    if report.year is None:
        return
    seen: set[tuple[int, int]] = set()
    for said in prose(report).years:
        if (id(said.block), said.start) in seen or not wrong_year(said, report.year):
            continue
        seen.add((id(said.block), said.start))
        yield Finding("year_mismatch", "warning", said.year, report.year, text=quote(said))


# --- contradiction ----------------------------------------------------------------------------------


@check(
    "contradiction", family="prose", severity="warning",
    title=N_("Prose contradicts table"), title_zh="文字与表格矛盾",
    summary=N_("the prose says every application was finished (均已办结, 全部办结) while 结转下年度 is above 0"),
    example=N_("prose says “均已办结”, but table 3 carries 3 forward to next year"),
    message=lambda f: _("prose says “{said}”, but table 3 carries {count} forward to next year").format(
        said=f.phrase or "", count=number(f.reported)),
)
def contradiction(report: Report) -> Iterator[Finding]:
    statements = prose(report).all_done
    if not statements:
        return
    found = _row_readings(report, "carried_forward")
    if found is None or min(found[1]) <= 0:
        return
    for said in statements:
        if claims_all_done(said):
            yield Finding(
                "contradiction", "warning", found[0], 0, (("carried_forward", "total"),), 3,
                text=quote(said), phrase=said.words,
            )
