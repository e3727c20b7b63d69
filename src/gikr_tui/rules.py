"""The template's identities, as pure functions over a report's tables.

Blank and dash cells count as 0.  A blank total whose parts add up to more
than 0 is an *unfilled total* (its own finding), and every other identity
sees it filled with that sum, so one empty cell never cascades into false
arithmetic errors elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import template as T
from .model import Report, Value

Grid = dict[str, dict[str, Value]]
CellRef = tuple[str, str]  # (row, col) in table 3; (group, field) in table 4


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str  # row_total | balance | results_total | t4_total | unfilled_total
    reported: int | float | None  # the total as written; None when it is blank
    computed: int | float  # what the parts add up to
    cells: tuple[CellRef, ...]  # every cell the identity involves; the total first
    row: str | None = None
    col: str | None = None
    group: str | None = None
    of: str | None = None  # for unfilled_total: the identity whose total is blank

    @property
    def difference(self) -> int | float:
        return (self.reported or 0) - self.computed

    def where(self) -> str:
        if self.group:
            return T.T4_GROUP_LABELS[self.group]
        if self.row and self.col:
            return f"{T.ROW_SPECS[self.row].label} / {T.COL_LABELS[self.col]}"
        if self.row:
            return T.ROW_SPECS[self.row].label
        return T.COL_LABELS.get(self.col or "", "")

    def message(self) -> str:
        diff = self.difference
        signed = f"{diff:+g}"
        if self.rule == "unfilled_total":
            return f"{self.where()}: total left blank, its parts sum to {self.computed:g}"
        if self.rule == "balance":
            return (
                f"balance / {T.COL_LABELS[self.col or 'total']}: 一+二 = {self.reported:g}, "
                f"（七）+四 = {self.computed:g}, {signed}"
            )
        if self.rule == "results_total":
            return (
                f"（七）总计 / {T.COL_LABELS[self.col or 'total']}: reported {self.reported:g}, "
                f"items sum to {self.computed:g}, {signed}"
            )
        if self.rule == "t4_total":
            return f"{self.where()} 总计: reported {self.reported:g}, parts sum to {self.computed:g}, {signed}"
        return f"{self.where()} 总计: reported {self.reported:g}, columns sum to {self.computed:g}, {signed}"

    def to_json(self) -> dict:
        out: dict = {"rule": self.rule}
        for key in ("row", "col", "group", "of"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["reported"] = self.reported
        out["computed"] = self.computed
        out["difference"] = self.difference
        out["cells"] = [list(c) for c in self.cells]
        out["message"] = self.message()
        return out


def _num(value: Value | None) -> int | float:
    return value.amount() if value is not None else 0


def _missing(value: Value | None) -> bool:
    return value is None or value.number is None


def _sum_identity(rule: str, fields: dict[str, Value], parts: tuple[str, ...], key: str, **where) -> Finding | None:
    """One `total = sum(parts)` identity over `fields`; cells are (key, field)."""
    computed = sum(_num(fields.get(f)) for f in parts)
    total = fields.get("total")
    cells = tuple((key, f) for f in ("total", *parts))
    if _missing(total):
        return Finding("unfilled_total", None, computed, cells, of=rule, **where) if computed > 0 else None
    if total.number != computed:
        return Finding(rule, total.number, computed, cells, **where)
    return None


def row_total(grid: Grid) -> list[Finding]:
    """Each row: 总计 = 自然人 + the five organisation columns."""
    found = (_sum_identity("row_total", cols, T.PART_COLS, row, row=row) for row, cols in grid.items())
    return [f for f in found if f is not None]


def _filled_rows(grid: Grid) -> dict[str, dict[str, int | float]]:
    """Numbers with each blank row total replaced by its parts' sum."""
    filled: dict[str, dict[str, int | float]] = {}
    for row, cols in grid.items():
        nums = {c: _num(cols.get(c)) for c in T.COLS}
        if _missing(cols.get("total")):
            nums["total"] = sum(nums[c] for c in T.PART_COLS)
        filled[row] = nums
    return filled


def _outcomes(grid: Grid, template: int) -> tuple[str, ...]:
    return tuple(r for r in T.outcome_rows_for(template) if r in grid)


def results_total(grid: Grid, template: int, filled: dict | None = None) -> list[Finding]:
    """Each column: （七）总计 = the sum of every outcome row （一）…（六）."""
    if "results_total" not in grid:
        return []
    filled = filled or _filled_rows(grid)
    rows = _outcomes(grid, template)
    out: list[Finding] = []
    for col in T.COLS:
        items = sum(filled[r][col] for r in rows)
        reported = grid["results_total"].get(col)
        cells = (("results_total", col), *((r, col) for r in rows))
        if _missing(reported):
            # a blank 总计 cell that its row already fills is row_total's finding
            row_filled = col == "total" and filled["results_total"]["total"] > 0
            if items > 0 and not row_filled:
                out.append(Finding("unfilled_total", None, items, cells, col=col, of="results_total"))
        elif reported.number != items:
            out.append(Finding("results_total", reported.number, items, cells, col=col))
    return out


def balance(grid: Grid, template: int, filled: dict | None = None) -> list[Finding]:
    """Each column: 一 + 二 = （七）总计 + 四 (the template's 勾稽关系)."""
    needed = ("received_new", "carried_over", "results_total", "carried_forward")
    if not all(r in grid for r in needed):
        return []
    filled = filled or _filled_rows(grid)
    rows = _outcomes(grid, template)
    out: list[Finding] = []
    for col in T.COLS:
        incoming = filled["received_new"][col] + filled["carried_over"][col]
        handled = filled["results_total"][col]
        if _missing(grid["results_total"].get(col)) and not (col == "total" and handled):
            handled = sum(filled[r][col] for r in rows)
        outgoing = handled + filled["carried_forward"][col]
        if incoming != outgoing:
            cells = tuple((r, col) for r in needed)
            out.append(Finding("balance", incoming, outgoing, cells, col=col))
    return out


def t4_total(table: Grid) -> list[Finding]:
    """Each group of table 4: 总计 = 维持 + 纠正 + 其他 + 尚未审结."""
    found = (
        _sum_identity("t4_total", table[group], T.T4_PART_FIELDS, group, group=group)
        for group in T.T4_GROUPS
        if table.get(group)
    )
    return [f for f in found if f is not None]


def check(report: Report) -> list[Finding]:
    """Every identity of the template, in a stable order."""
    grid = report.requests
    filled = _filled_rows(grid)  # both column identities see blank row totals filled
    return [
        *row_total(grid),
        *balance(grid, report.template, filled),
        *results_total(grid, report.template, filled),
        *t4_total(report.review_litigation),
    ]


def failing_cells(findings: list[Finding]) -> set[CellRef]:
    return {cell for f in findings for cell in f.cells}
