"""Checks across years: one agency's report against its previous year's.

Each check is a pure function over a `Pair` of compact records (see
`gikr_tui.series.record`): the later year's report, the earlier one, and the
earlier one's path, which every finding names in `previous`.  A finding
belongs to the later report.  `gikr_tui.series.collect` decides which
reports form a pair (same agency, consecutive years) and runs them.

The 2019 and 2021 templates both end table 3 with 四、结转下年度继续办理, so
carry_over holds across the boundary (a 2021 report against a 2020 one);
t2_stock needs the 2021 template's table-2 columns in both years.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Collection, Iterator

from .. import template as T
from ..i18n import N_, _
from .finding import Finding, Quote, number, signed
from .registry import all_checks, check, run_each

if TYPE_CHECKING:
    from ..series.record import Record

FAMILY = "series"
STOCK_ROWS = ("regulations", "normative_documents")
STOCK_FIELDS = ("issued", "repealed", "in_force")


@dataclass(frozen=True, slots=True)
class Pair:
    current: "Record"  # the later year's report: findings are its
    previous: "Record"  # the year before's
    previous_path: str


def run(pair: Pair, only: Collection[str] | None = None, errors: list["Msg"] | None = None) -> list[Finding]:
    """Every series check (or those in `only`) on one pair; a check that raises is one line in `errors`."""
    return run_each(all_checks("series"), pair, only, errors)


def _values(f: Finding) -> dict[str, Any]:
    return {
        "col": T.COL_LABELS.get(f.col or "", f.col or ""),
        "row": T.T2_ROW_LABELS.get(f.row or "", f.row or ""),
        "reported": number(f.reported),
        "computed": number(f.computed),
        "difference": signed(f.difference),
    }


# --- carry_over ----------------------------------------------------------------------


@check(
    "carry_over", family=FAMILY, severity="error", scope="series",
    title=N_("Carried over"), title_zh="上年结转衔接",
    summary=N_("each column of table 3: 二、上年结转 of year Y = 四、结转下年度 of the agency's year Y−1 report"),
    example=N_("二、上年结转 / 自然人: reported 5, last year's 四、结转下年度 says 4, +1"),
    message=lambda f: _("二、上年结转 / {col}: reported {reported}, last year's 四、结转下年度 says {computed}, {difference}").format(**_values(f)),
)
def carry_over(pair: Pair) -> Iterator[Finding]:
    now, before = pair.current.carried_over, pair.previous.carried_forward
    if now is None or before is None:
        return
    for col in T.COLS:
        if now[col] != before[col]:
            yield Finding(
                "carry_over", "error", now[col], before[col], (("carried_over", col),), 3,
                col=col, previous=pair.previous_path,
            )


# --- t2_stock ------------------------------------------------------------------------


@check(
    "t2_stock", family=FAMILY, severity="warning", scope="series",
    title=N_("Table 2 stock"), title_zh="现行有效件数衔接",
    summary=N_("2021+ template, 规章 and 规范性文件: 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y)"),
    example=N_("规范性文件 现行有效件数: reported 15, last year's 14 + issued − repealed gives 16, -1"),
    message=lambda f: _("{row} 现行有效件数: reported {reported}, last year's stock + issued − repealed gives {computed}, {difference}").format(**_values(f)),
)
def t2_stock(pair: Pair) -> Iterator[Finding]:
    for row in STOCK_ROWS:
        now = pair.current.stock.get(row)
        before = pair.previous.stock.get(row)
        # the 2019 template's columns (本年新制作数量 …) say nothing of a stock
        if not now or not before or not all(f in now for f in STOCK_FIELDS) or "in_force" not in before:
            continue
        if now["in_force"] is None or before["in_force"] is None:
            continue  # no stock stated: nothing to follow (a blank is t2_value's)
        computed = before["in_force"] + (now["issued"] or 0) - (now["repealed"] or 0)
        if now["in_force"] != computed:
            cells = ((row, "in_force"), (row, "issued"), (row, "repealed"))
            yield Finding(
                "t2_stock", "warning", now["in_force"], computed, cells, 2,
                row=row, field="in_force", previous=pair.previous_path,
            )


# --- repeated_text -------------------------------------------------------------------


def _percent(similarity: float | None) -> str:
    # rounded down, so a text that is not quite the same never shows as 100 %
    return f"{math.floor((similarity or 0) * 1000) / 10:.1f}"


def _repeated_message(f: Finding) -> str:
    title = T.SECTION_TITLES[(f.section or 1) - 1]
    from ..series.similarity import MEASURE_NAME

    return _("{title}: {percent} % the same as last year's ({measure}; numbers and years ignored)").format(
        title=title, percent=_percent(f.similarity), measure=_(MEASURE_NAME))


@check(
    "repeated_text", family=FAMILY, severity="warning", scope="series",
    title=N_("Repeated text"), title_zh="内容雷同",
    summary=N_("a section of at least 100 characters is 90 % or more the same as that section of the agency's "
               "previous-year report (Indel similarity: 2 × common subsequence / both lengths), numbers and years ignored"),
    example=N_("一、总体情况: 97.4 % the same as last year's (indel similarity; numbers and years ignored)"),
    message=_repeated_message,
)
def repeated_text(pair: Pair) -> Iterator[Finding]:
    from ..series.similarity import MEASURE, MIN_LENGTH, THRESHOLD, similarity

    for sec in pair.current.sections:
        if sec.length < MIN_LENGTH:
            continue
        old = pair.previous.section(sec.number)
        if old is None or not old.text:
            continue
        alike = similarity(sec.text, old.text)
        if alike >= THRESHOLD:
            yield Finding(
                "repeated_text", "warning", section=sec.number, previous=pair.previous_path,
                similarity=round(alike, 4), measure=MEASURE,
                text=Quote(sec.opening, sec.number, sec.line, sec.page),
            )
