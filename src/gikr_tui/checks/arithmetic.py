"""The template's identities over tables 3 and 4.

Blank and dash cells count as 0.  A blank total whose parts add up to more
than 0 is an *unfilled total* (its own finding), and every other identity
sees it filled with that sum, so one empty cell never cascades into false
arithmetic errors elsewhere.

The inspector's grid asks this module what a total's parts add up to
(`parts_sum`), so the arithmetic lives here only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .. import template as T
from ..i18n import N_, _
from ..model import Report, Value
from .finding import Finding, number, signed
from .registry import check, derived



def num(value: Value | None) -> int | float:
    return value.amount() if value is not None else 0


def missing(value: Value | None) -> bool:
    return value is None or value.number is None


@dataclass(slots=True)
class Sums:
    """Table 3's numbers, read once per report and shared by every check."""

    parts: dict[str, int | float]  # each row's six part columns added up
    filled: dict[str, dict[str, int | float]]  # every cell, blank and dash as 0, a blank 总计 as its parts' sum
    blank_total: set[str]  # rows whose 总计 holds no number
    outcomes: dict[str, int | float]  # per column: the outcome rows （一）…（六） added up


def _sums(report: Report) -> Sums:
    parts: dict[str, int | float] = {}
    filled: dict[str, dict[str, int | float]] = {}
    blank: set[str] = set()
    for row, cols in report.requests.items():
        get = cols.get
        nums = {c: (v.number or 0) if (v := get(c)) is not None else 0 for c in T.COLS}
        parts[row] = nums["natural"] + nums["commercial"] + nums["research"] + nums["social"] + nums["legal"] + nums["other"]
        total = cols.get("total")
        if total is None or total.number is None:
            blank.add(row)
            nums["total"] = parts[row]
        filled[row] = nums
    rows = [filled[r] for r in T.outcome_rows_for(report.template) if r in filled]
    outcomes = {c: sum(n[c] for n in rows) for c in T.COLS}
    return Sums(parts, filled, blank, outcomes)


def sums(report: Report) -> Sums:
    return derived(_sums, report)


def filled(report: Report) -> dict[str, dict[str, int | float]]:
    """Table 3's numbers with each blank row total replaced by its parts' sum."""
    return sums(report).filled


def outcome_rows(report: Report) -> tuple[str, ...]:
    return tuple(r for r in T.outcome_rows_for(report.template) if r in report.requests)


def _where(f: Finding) -> str:
    if f.group:
        return T.T4_GROUP_LABELS.get(f.group, f.group)
    if f.row and f.col:
        return _("{row} / {col}").format(row=T.ROW_SPECS[f.row].label, col=T.COL_LABELS[f.col])
    if f.row:
        return T.ROW_SPECS[f.row].label
    return T.COL_LABELS.get(f.col or "", "")


def _values(f: Finding) -> dict:
    return {
        "where": _where(f),
        "col": T.COL_LABELS.get(f.col or "total", ""),
        "reported": number(f.reported),
        "computed": number(f.computed),
        "difference": signed(f.difference),
    }


def _sum_identity(rule: str, fields: dict[str, Value], parts: tuple[str, ...], key: str, table: int, **where) -> Finding | None:
    """One `total = sum(parts)` identity; a blank total is unfilled_total's, not this rule's."""
    total = fields.get("total")
    if missing(total):
        return None
    computed = sum(num(fields.get(f)) for f in parts)
    if total.number != computed:
        cells = tuple((key, f) for f in ("total", *parts))
        return Finding(rule, "error", total.number, computed, cells, table, **where)
    return None


# --- row_total -------------------------------------------------------------------


@check(
    "row_total", family="arithmetic", severity="error",
    title=N_("Row total"), title_zh="行合计",
    summary=N_("each row of table 3: 总计 = 自然人 + the five 法人或其他组织 columns"),
    example=N_("（一）予以公开 总计: reported 11, columns sum to 10, +1"),
    message=lambda f: _("{where} 总计: reported {reported}, columns sum to {computed}, {difference}").format(**_values(f)),
)
def row_total(report: Report) -> Iterator[Finding]:
    totals = sums(report)
    for row, cols in report.requests.items():
        if row not in totals.blank_total and cols["total"].number != totals.parts[row]:
            cells = tuple((row, c) for c in ("total", *T.PART_COLS))
            yield Finding("row_total", "error", cols["total"].number, totals.parts[row], cells, 3, row=row)


# --- balance ---------------------------------------------------------------------

BALANCE_ROWS = ("received_new", "carried_over", "results_total", "carried_forward")


def handled(report: Report, totals: Sums, col: str) -> int | float:
    """（七）总计 of a column, or its outcome rows' sum where it was left blank."""
    handled = totals.filled["results_total"][col]
    if missing(report.requests["results_total"].get(col)) and not (col == "total" and handled):
        handled = totals.outcomes[col]
    return handled


@check(
    "balance", family="arithmetic", severity="error",
    title=N_("Balance"), title_zh="勾稽关系",
    summary=N_("each column of table 3: 一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度"),
    example=N_("balance / 自然人: 一+二 = 31, （七）+四 = 30, +1"),
    message=lambda f: _("balance / {col}: 一+二 = {reported}, （七）+四 = {computed}, {difference}").format(**_values(f)),
)
def balance(report: Report) -> Iterator[Finding]:
    if not all(r in report.requests for r in BALANCE_ROWS):
        return
    totals = sums(report)
    nums = totals.filled
    for col in T.COLS:
        incoming = nums["received_new"][col] + nums["carried_over"][col]
        outgoing = handled(report, totals, col) + nums["carried_forward"][col]
        if incoming != outgoing:
            cells = tuple((r, col) for r in BALANCE_ROWS)
            yield Finding("balance", "error", incoming, outgoing, cells, 3, col=col)


# --- results_total ---------------------------------------------------------------


@check(
    "results_total", family="arithmetic", severity="error",
    title=N_("Results total"), title_zh="办理结果总计",
    summary=N_("each column of table 3: （七）总计 = the sum of every outcome row （一）…（六）"),
    example=N_("（七）总计 / 自然人: reported 45, items sum to 47, -2"),
    message=lambda f: _("（七）总计 / {col}: reported {reported}, items sum to {computed}, {difference}").format(**_values(f)),
)
def results_total(report: Report) -> Iterator[Finding]:
    grid = report.requests
    if "results_total" not in grid:
        return
    totals = sums(report)
    rows = outcome_rows(report)
    for col in T.COLS:
        reported = grid["results_total"].get(col)
        if missing(reported):
            continue  # unfilled_total's
        items = totals.outcomes[col]
        if reported.number != items:
            cells = (("results_total", col), *((r, col) for r in rows))
            yield Finding("results_total", "error", reported.number, items, cells, 3, col=col)


# --- t4_total --------------------------------------------------------------------


@check(
    "t4_total", family="arithmetic", severity="error",
    title=N_("Table 4 total"), title_zh="复议诉讼总计",
    summary=N_("each group of table 4: 总计 = 维持 + 纠正 + 其他 + 尚未审结"),
    example=N_("行政复议 总计: reported 5, parts sum to 4, +1"),
    message=lambda f: _("{where} 总计: reported {reported}, parts sum to {computed}, {difference}").format(**_values(f)),
)
def t4_total(report: Report) -> Iterator[Finding]:
    table = report.review_litigation
    for group in T.T4_GROUPS:
        if table.get(group):
            found = _sum_identity("t4_total", table[group], T.T4_PART_FIELDS, group, 4, group=group)
            if found is not None:
                yield found


# --- unfilled_total ----------------------------------------------------------------


def _unfilled_message(f: Finding) -> str:
    return _("{where}: total left blank, its parts sum to {computed}").format(**_values(f))


@check(
    "unfilled_total", family="arithmetic", severity="error",
    title=N_("Total left blank"), title_zh="总计未填",
    summary=N_("a total left blank whose parts sum to more than 0 (`of` names the identity)"),
    example=N_("（七）总计: total left blank, its parts sum to 3"),
    message=_unfilled_message,
)
def unfilled_total(report: Report) -> Iterator[Finding]:
    grid = report.requests
    totals = sums(report)
    for row in grid:
        if row in totals.blank_total and totals.parts[row] > 0:
            cells = tuple((row, c) for c in ("total", *T.PART_COLS))
            yield Finding("unfilled_total", "error", None, totals.parts[row], cells, 3, row=row, of="row_total")
    if "results_total" in grid:
        rows = outcome_rows(report)
        for col in T.COLS:
            if not missing(grid["results_total"].get(col)):
                continue
            items = totals.outcomes[col]
            # a blank 总计 cell that its row already fills is row_total's blank
            row_filled = col == "total" and totals.filled["results_total"]["total"] > 0
            if items > 0 and not row_filled:
                cells = (("results_total", col), *((r, col) for r in rows))
                yield Finding("unfilled_total", "error", None, items, cells, 3, col=col, of="results_total")
    table = report.review_litigation
    for group in T.T4_GROUPS:
        fields = table.get(group)
        if fields and missing(fields.get("total")):
            computed = sum(num(fields.get(f)) for f in T.T4_PART_FIELDS)
            if computed > 0:
                cells = tuple((group, f) for f in ("total", *T.T4_PART_FIELDS))
                yield Finding("unfilled_total", "error", None, computed, cells, 4, group=group, of="t4_total")


# --- For the inspector's grid ------------------------------------------------------------


def parts_sum(report: Report, table: int, row: str, col: str) -> int | float | None:
    """What a total cell's parts add up to; None for a cell that is no identity's total.

    `table` is 3 (row, col) or 4 (group, field).  A row's 总计 sums its
    columns; （七）总计's other cells sum their column's outcome rows.
    """
    if table == 4:
        if col != "total":
            return None
        fields = report.review_litigation.get(row, {})
        return sum(num(fields.get(f)) for f in T.T4_PART_FIELDS)
    grid = report.requests
    if col == "total":
        cols = grid.get(row, {})
        return sum(num(cols.get(c)) for c in T.PART_COLS)
    if row == "results_total":
        return sum(num(grid.get(r, {}).get(col)) for r in outcome_rows(report))
    return None
