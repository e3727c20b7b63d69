"""On a report read by OCR, a finding over table cells names its least sure cell.

Not a check of its own: OCR's errors are misread digits, and a misread digit
breaks the template's arithmetic, so every finding that involves cells says
which of them OCR was least sure of (`Finding.misread`), and its message that
the cell may be misread.
"""

from __future__ import annotations

from dataclasses import replace

from .. import template as T
from ..i18n import _
from .finding import Finding


def _table(report, finding: Finding) -> dict:
    if finding.table == 4 or (finding.table is None and finding.group is not None):
        return report.review_litigation
    if finding.table == 2:
        return report.active_disclosure
    return report.requests


def annotate(findings: list[Finding], report) -> list[Finding]:
    """`findings`, each naming the least sure cell it involves (reports read by OCR only)."""
    if getattr(report, "ocr", None) is None:
        return findings
    out = []
    for finding in findings:
        table = _table(report, finding)
        scored = [
            (value.confidence, row, col)
            for row, col in finding.cells
            if (value := table.get(row, {}).get(col)) is not None and value.confidence is not None
        ]
        if not scored:
            out.append(finding)
            continue
        score, row, col = min(scored)
        out.append(replace(finding, misread=(row, col, score)))
    return out


def _cell_name(row: str, col: str) -> str:
    if row in T.T4_GROUP_LABELS:
        return _("{row} / {col}").format(row=T.T4_GROUP_LABELS[row], col=T.T4_FIELD_LABELS.get(col, col))
    if row in T.ROW_SPECS:
        return _("{row} / {col}").format(row=T.ROW_SPECS[row].label, col=T.COL_LABELS.get(col, col))
    return _("{row} / {col}").format(row=row, col=col)


def caveat(finding: Finding) -> str:
    row, col, score = finding.misread
    return _("; read by OCR, a cell may be misread (least sure: {cell}, {confidence})").format(
        cell=_cell_name(row, col), confidence=f"{score:.2f}"
    )
