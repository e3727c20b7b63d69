"""Every check gikr runs, one module per family, and the registry they share.

    arithmetic  the template's identities over tables 3 and 4
    form        the report's sections (missing, out of order, thin)
    table2      table 2's values
    hints       what a failed identity may really be (a split number, a misplaced count)
    prose       the prose against the tables (narrative_mismatch, year_mismatch, contradiction)
    series      one agency's report against its previous year's (carry_over, t2_stock, repeated_text)

Importing this package registers them all; `run(report)` runs them.
"""

from __future__ import annotations

from typing import Any, Collection

from .finding import FAILING, SEVERITIES, CellRef, Finding, Quote
from .registry import (
    SCOPES,
    Check,
    Selection,
    SelectionError,
    all_checks,
    by_severity,
    check,
    derived,
    failing,
    families,
    fingerprint,
    get,
    load_plugins,
    plugin_modules,
    register,
    render,
    run_report,
    select,
    status,
    title,
    unregister,
)
# Importing a family registers its checks; this order is the findings' order.
from . import arithmetic, prose, form, table2, hints  # noqa: E402,F401
from . import series  # noqa: E402,F401  (across years: run by gikr_tui.series.collect)

__all__ = [
    "FAILING", "SCOPES", "SEVERITIES", "CellRef", "Check", "Finding", "Quote", "Selection", "SelectionError",
    "all_checks", "by_severity", "check", "derived", "failing", "families", "fingerprint", "get",
    "load_plugins", "plugin_modules", "register", "render", "run", "run_report", "select", "status", "title",
    "unregister",
]


def run(report: Any, only: Collection[str] | None = None, errors: list["Msg"] | None = None) -> list[Finding]:
    """Every report-scope check on `report` (see `registry.run_report`); on a
    report read by OCR each finding names its least sure cell (misread.py)."""
    from .misread import annotate

    return annotate(run_report(report, only, errors), report)
