"""What a failed identity may really be: hints that name the likely cause.

A hint never fails a report; its cells get their own mark in the grid.
"""

from __future__ import annotations

from typing import Iterator

from .. import template as T
from ..i18n import N_, _
from ..model import Report, Value
from .arithmetic import BALANCE_ROWS, handled, missing, sums
from .finding import Finding, number
from .registry import check


def _digits(value: Value | None) -> str | None:
    """A cell's whole, non-negative number as digits; None for anything else."""
    if value is None or value.number is None or value.number < 0 or value.number != int(value.number):
        return None
    return str(int(value.number))


def _split_message(f: Finding) -> str:
    (row, a), (_row, b) = f.cells
    return _("{where}: {first} and {second} read as one number, {merged}, make 总计 hold (a number split in two by the copy?)").format(
        where=T.ROW_SPECS[row].label, first=T.COL_LABELS[a], second=T.COL_LABELS[b], merged=number(f.alternative),
    )


@check(
    "split_number", family="hints", severity="hint",
    title=N_("Split number"), title_zh="数字被拆分",
    summary=N_("a failed row total that holds when two adjacent cells are read as one number (1 and 0 as 10)"),
    example=N_("（一）予以公开: 自然人 and 商业企业 read as one number, 10, make 总计 hold"),
    message=_split_message,
)
def split_number(report: Report) -> Iterator[Finding]:
    totals = sums(report)
    for row, cols in report.requests.items():
        total = cols.get("total")
        parts = totals.parts[row]
        if missing(total) or parts == total.number:
            continue
        for a, b in zip(T.COLS, T.COLS[1:]):
            first, second = _digits(cols.get(a)), _digits(cols.get(b))
            if first is None or second is None or first == "0":
                continue
            merged = int(first + second)
            if b == "total":  # the last column and the total were one total
                holds = parts - int(first) == merged
            else:
                holds = parts - int(first) - int(second) + merged == total.number
            if holds:
                yield Finding("split_number", "hint", total.number, parts, ((row, a), (row, b)), 3, row=row, alternative=merged)


def _misplaced_message(f: Finding) -> str:
    return _("balance / {col}: off by {difference} and {other} by the opposite while 总计 holds "
             "(an application counted in the wrong column?)").format(
        col=T.COL_LABELS.get(f.col or "", ""), other=T.COL_LABELS.get(f.pair or "", ""), difference=number(f.difference),
    )


@check(
    "misplaced_column", family="hints", severity="hint",
    title=N_("Misplaced column"), title_zh="申请人类别错列",
    summary=N_("two applicant columns fail balance with opposite differences while 总计 holds"),
    example=N_("balance / 自然人: off by 1 and 商业企业 by the opposite while 总计 holds"),
    message=_misplaced_message,
)
def misplaced_column(report: Report) -> Iterator[Finding]:
    if not all(r in report.requests for r in BALANCE_ROWS):
        return
    totals = sums(report)
    nums = totals.filled
    off: dict[str, tuple[int | float, int | float]] = {}
    for col in T.COLS:
        incoming = nums["received_new"][col] + nums["carried_over"][col]
        outgoing = handled(report, totals, col) + nums["carried_forward"][col]
        if incoming != outgoing:
            off[col] = (incoming, outgoing)
    if "total" in off or len(off) != 2:
        return
    (a, (in_a, out_a)), (b, (in_b, out_b)) = off.items()
    if in_a - out_a != -(in_b - out_b):
        return
    for col, other, incoming, outgoing in ((a, b, in_a, out_a), (b, a, in_b, out_b)):
        cells = tuple((r, col) for r in BALANCE_ROWS)
        yield Finding("misplaced_column", "hint", incoming, outgoing, cells, 3, col=col, pair=other)
