"""Table 2 (主动公开政府信息情况): counts that cannot be, and cells left blank."""

from __future__ import annotations

from typing import Iterator

from .. import template as T
from ..i18n import N_, _
from ..model import Report
from .finding import Finding, number
from .registry import check


def _where(f: Finding) -> str:
    row = T.T2_ROW_LABELS.get(f.row or "", f.row or "")
    return _("{row} / {col}").format(row=row, col=T.T2_FIELD_LABELS.get(f.field or "", f.field or ""))


def _message(f: Finding) -> str:
    if f.reported is None:
        return _("table 2 {where}: left blank where the template asks for a number").format(where=_where(f))
    if f.reported < 0:
        return _("table 2 {where}: {value} is a negative count").format(where=_where(f), value=number(f.reported))
    return _("table 2 {where}: {value} is not a whole number").format(where=_where(f), value=number(f.reported))


@check(
    "t2_value", family="table2", severity="warning",
    title=N_("Table 2 value"), title_zh="主动公开数据",
    summary=N_("table 2: a negative count or one that is not a whole number (warning); a blank where the template "
               "asks for a number (hint: many reports leave zeros blank)"),
    example=N_("table 2 行政规范性文件 / 本年废止件数: -1 is a negative count"),
    message=_message,
)
def t2_value(report: Report) -> Iterator[Finding]:
    asked = T.T2_DEFAULT_FIELDS.get(report.template, {})
    for row, fields in report.active_disclosure.items():
        for name, value in fields.items():
            n = value.number
            if n is None or name in T.T2_NOT_COUNTS or name not in T.T2_FIELD_LABELS:
                continue
            if n < 0 or n != int(n):
                yield Finding("t2_value", "warning", n, cells=((row, name),), table=2, row=row, field=name)
        names = asked.get(row, ())
        # a trailing blank cell leaves no field at all when the row's columns are the template's
        same = all(name in names for name in fields)
        for name in names:
            value = fields.get(name)
            if value is None and same or value is not None and value.blank:
                yield Finding("t2_value", "hint", cells=((row, name),), table=2, row=row, field=name)
