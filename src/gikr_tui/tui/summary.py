"""The summary screen: `gikr summary`'s table in the inspector, sortable, with charts.

One row per report (agency, year, template, format, status, findings by
severity and the key figures), then the totals per agency and per year, and
charts of the key figures.  The rows come from each file's brief, never a
whole report (filedata.brief), so the screen works at ten thousand files and
fills in while they are still being read: a row appears with its file and
fills in as its badge arrives.  The totals are the core's (series.summary,
after the series pairing of series.collect, so an agency's name variants are
one agency and two files of one report count once); they are made in a
worker thread, at most about once a second while results arrive.

Rows and totals show the files as published: edits are what-ifs of the grid.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import ContentSwitcher

from ..checks.finding import number
from ..i18n import N_, _, ngettext
from ..output.words import STATUS, format_name, status_word
from ..series.summary import Row, Total
from . import filedata
from .components.chart import FigureChart
from .components.file_filter import FilterInput
from .components.files import matches
from .components.status import StatusLine
from .components.table import Column, SortedTable
from .render import shown
from .subscreen import SubScreen, pane
from .words import Footer

_STATUS_RANK = {"error": 0, "violations": 1, "pending": 2, "ok": 3}
TOTALS_EVERY = 1.0  # seconds: the totals are made again at most this often while results arrive
ROWS_EVERY = 0.25  # seconds: arriving results re-sort the rows at most this often


@dataclass(frozen=True, slots=True)
class ReportItem:
    """A report's row: its file, and its summary Row once it is read."""

    path: str
    status: str  # pending | ok | violations | error
    row: Row | None


def report_item(path: str, state) -> ReportItem:
    result = filedata.brief(state)
    if result is None:
        return ReportItem(path, "pending", None)
    return ReportItem(path, result.status, Row.of(result))


# --- the columns ---------------------------------------------------------------------


def _count(value) -> Text:
    return Text("" if value is None else number(value))


def _figure(key: str):
    def get(item):
        if isinstance(item, ReportItem):
            figures = item.row.figures if item.row is not None else None
        else:
            figures = item.figures
        return getattr(figures, key) if figures is not None else None
    return get


def _figure_columns() -> list[Column]:
    from ..series.summary import FIGURES, RATES
    from ..output.summary_table import FIGURE_WIDTH, HEADERS, percent

    out = []
    for key, header in FIGURES:
        get = _figure(key)
        text = (lambda g: lambda item: Text(percent(g(item))))(get) if key in RATES else (lambda g: lambda item: _count(g(item)))(get)
        out.append(Column(key, HEADERS[header], FIGURE_WIDTH[key], text, get))
    return out


def _severity(severity: str):
    def get(item):
        if isinstance(item, ReportItem):
            if item.row is None or item.row.status == "error":
                return None
            return item.row.findings.get(severity, 0)
        return item.findings.get(severity, 0)
    return get


def _severity_columns() -> list[Column]:
    return [
        Column(severity, header, width, (lambda g: lambda item: _count(g(item)))(_severity(severity)), _severity(severity))
        for severity, header, width in (("error", N_("err"), 3), ("warning", N_("warn"), 4), ("hint", N_("hint"), 4))
    ]


def _agency_text(item: ReportItem) -> Text:
    agency = item.row.agency if item.row is not None else None
    if agency:
        return Text(shown(agency))
    return Text(shown(os.path.basename(item.path)), style="dim italic")  # no agency (yet): its file


def _agency_sort(item: ReportItem):
    agency = item.row.agency if item.row is not None else None
    return agency.casefold() if agency else None


def _status_text(item: ReportItem) -> Text:
    if item.status == "pending":
        return Text(_("reading…"), style="dim")
    return Text(status_word(item.status), style=STATUS[item.status])


def _attr(name: str):
    return lambda item: getattr(item.row, name) if item.row is not None else None


@lru_cache(maxsize=1)
def report_columns() -> tuple[Column, ...]:
    return (
        Column("agency", N_("agency"), 12, _agency_text, _agency_sort, numeric=False, flexible=True),
        Column("year", N_("year"), 4, lambda i: _count(_attr("year")(i)), _attr("year")),
        Column("template", N_("tpl"), 4, lambda i: _count(_attr("template")(i)), _attr("template")),
        Column("format", N_("format"), 8, lambda i: Text(format_name(_attr("format")(i))), _attr("format"), numeric=False),
        Column("status", N_("status"), 10, _status_text, lambda i: _STATUS_RANK[i.status], numeric=False),
        *_severity_columns(),
        *_figure_columns(),
    )


def severity_words(findings: dict[str, int]) -> Text:
    errors, warnings, hints = (findings.get(s, 0) for s in ("error", "warning", "hint"))
    words = [
        ngettext("{n} error", "{n} errors", errors).format(n=errors),
        ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
        ngettext("{n} hint", "{n} hints", hints).format(n=hints),
    ]
    return Text(", ".join(words), style="red" if errors or warnings else "green")


def _total_key_text(total: Total) -> Text:
    if total.kind == "year":
        return Text(str(total.key))
    return Text(shown(total.key)) if total.key else Text(_("(no agency stated)"), style="dim italic")


@lru_cache(maxsize=2)
def total_columns(kind: str) -> tuple[Column, ...]:
    from ..output.summary_table import years_text

    if kind == "agency":
        first = Column("agency", N_("agency"), 12, _total_key_text,
                       lambda t: t.key.casefold() if t.key else None, numeric=False, flexible=True)
        spread = Column("years", N_("years"), 9, lambda t: Text(years_text(t.years)), lambda t: min(t.years) if t.years else None)
    else:
        first = Column("year", N_("year"), 4, _total_key_text, lambda t: t.key)
        spread = Column("agencies", N_("agencies"), 8, lambda t: _count(len(t.agencies)), lambda t: len(t.agencies))
    return (
        first,
        Column("reports", N_("reports"), 7, lambda t: _count(t.reports), lambda t: t.reports),
        spread,
        *_severity_columns(),
        Column("cross_year", N_("cross-year"), 10, lambda t: _count(t.cross_year), lambda t: t.cross_year),
        *_figure_columns(),
    )


# --- the panes ---------------------------------------------------------------------------


class ReportsTable(SortedTable):
    PANE, KEY, NAME = "reports", "1", N_("Reports")
    HELP = N_(
        "One row per report, as gikr summary prints it: agency, year, template, format, status, findings by "
        "severity (err, warn, hint) and the key figures: new 新收, handled 办结, forward 结转下年度, disclosed 公开率 "
        "= (予以公开 + 部分公开) / 办结, review 行政复议, lawsuits 行政诉讼, corrected 复议纠错率 = 纠正 / 复议. "
        "h and l move between columns, s sorts by the cursor's column. Files are counted as published "
        "(your edits are what-ifs). A file still being read shows its name and fills in when read."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "screen.filter", N_("Filter"), tooltip=N_("Show only the reports whose file, agency or year match"), id="summary.filter"),
        Binding("escape", "step_back", N_("Back"), show=False, tooltip=N_("Clear the agency or year shown, then the filter, then leave"), id="summary.step_back"),
        Binding("C", "compare", N_("Compare"), show=False, tooltip=N_("Compare the report with its agency's previous year"), id="summary.compare"),
        Binding("V", "compare_with", N_("Compare with…"), show=False, tooltip=N_("Compare the report with one you pick"), id="summary.compare_with"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(report_columns(), key=lambda item: item.path, id=id)
        self.pattern = ""
        self.scope: tuple[str, frozenset[str]] | None = None  # (what, its paths): an agency's or a year's reports
        self.canonical: dict[str, str] = {}  # path -> the agency its series goes by (from the last totals)
        self.keep = self._keeps

    @property
    def frame(self):
        return self.parent

    def _keeps(self, item: ReportItem) -> bool:
        if self.scope is not None and item.path not in self.scope[1]:
            return False
        if not self.pattern.strip():
            return True
        row = item.row
        return matches(self.pattern, os.path.basename(item.path), (row.agency or "") if row else "",
                       str(row.year or "") if row else "", self.canonical.get(item.path, ""))

    def title_parts(self) -> list[tuple[str, str]]:
        read = sum(item.status != "pending" for item in self.rows)
        out = [(_("{shown} of {total}").format(shown=len(self.shown), total=len(self.rows)), "")]
        if read < len(self.rows):
            out.append((_("{read} read").format(read=read), "dim"))
        if self.scope is not None:
            out.append((_("only {what}").format(what=self.scope[0]), "bold"))
        return out

    def status(self) -> list[Text]:
        item = self.current_row
        if item is None:
            return [Text(_("no reports match"), style="dim") if self.rows else Text(_("no report files found"), style="dim")]
        out = [Text(shown(os.path.basename(item.path)), style="bold")]
        row = item.row
        if row is None:
            return [*out, Text(_("being read…"), style="dim")]
        if row.status == "error":
            return [*out, Text(_("unreadable: {reason}").format(reason=shown(row.error or "")), style="yellow")]
        if row.agency:
            out.append(Text(shown(row.agency)))
        if row.year:
            out.append(Text(str(row.year)))
        out.append(severity_words(row.findings))
        out.append(Text(_("Enter opens it, C compares it with the year before"), style="dim"))
        return out

    @property
    def current_path(self) -> str | None:
        item = self.current_row
        return item.path if item is not None else None

    def action_step_back(self) -> None:
        if self.scope is not None:
            self.scope = None
            self.arrange()
        elif self.pattern:
            self.screen.clear_filter()  # type: ignore[attr-defined]
        else:
            self.screen.dismiss()

    def action_compare(self) -> None:
        if self.current_path is not None:
            self.app.compare_report(self.current_path)  # type: ignore[attr-defined]

    def action_compare_with(self) -> None:
        if self.current_path is not None:
            self.app.pick_comparison(self.current_path)  # type: ignore[attr-defined]


class TotalsTable(SortedTable):
    """Totals of one kind: per agency or per year."""

    KIND: ClassVar[str] = ""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(total_columns(self.KIND), key=lambda total: (total.kind, total.key), id=id)
        self.kind = self.KIND
        self.notes: list = []
        self.made_of: tuple[int, int] | None = None  # (files read, files) when the totals were made

    def title_parts(self) -> list[tuple[str, str]]:
        if self.made_of is None:
            return [(_("adding up…"), "dim")]
        read, total = self.made_of
        n = len(self.rows)
        counted = ngettext("{n} agency", "{n} agencies", n) if self.kind == "agency" else ngettext("{n} year", "{n} years", n)
        out = [(counted.format(n=n), "")]
        if read < total:
            out.append((_("of {read} of {total} files read").format(read=read, total=total), "dim"))
        return out

    def status(self) -> list[Text]:
        total = self.current_row
        if total is None:
            return [Text(_("adding up…") if self.made_of is None else _("no reports read yet"), style="dim")]
        from ..output.summary_table import years_text

        if self.kind == "agency":
            out = [_total_key_text(total).copy(), Text(ngettext("{n} report", "{n} reports", total.reports).format(n=total.reports))]
            out[0].stylize("bold")
            if total.years:
                out.append(Text(years_text(total.years)))
        else:
            out = [Text(str(total.key), style="bold"), Text(ngettext("{n} report", "{n} reports", total.reports).format(n=total.reports)),
                   Text(ngettext("{n} agency", "{n} agencies", len(total.agencies)).format(n=len(total.agencies)))]
        if total.cross_year:
            out.append(Text(ngettext("{n} cross-year finding", "{n} cross-year findings", total.cross_year).format(n=total.cross_year), style="red"))
        if self.kind == "agency":
            for note in self.notes:
                if note.agency == total.key:
                    out.append(Text(shown(note.message()), style="yellow"))
        out.append(Text(_("Enter shows its reports"), style="dim"))
        return out


class AgencyTotals(TotalsTable):
    PANE, KEY, NAME, KIND = "agencies", "2", N_("Per agency"), "agency"
    HELP = N_("Totals per agency, each report counted once (a second file of one report is not), the name variants "
              "of one agency together as the series checks pair them; forward is the latest year's, the rates are "
              "made from the sums, cross-year counts the findings across years. Enter shows the agency's reports.")


class YearTotals(TotalsTable):
    PANE, KEY, NAME, KIND = "years", "3", N_("Per year"), "year"
    HELP = N_("Totals per year over the agencies; the rates are made from the sums. Enter shows that year's reports.")


# --- the screen -----------------------------------------------------------------------------


class SummaryScreen(SubScreen):
    """Every report in a table, the totals per agency and per year, and charts."""

    DEFAULT_CSS = """
    #summary-views {
        height: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "focus_pane('reports')", N_("Reports"), show=False, id="summary.pane_reports"),
        Binding("2", "focus_pane('agencies')", N_("Per agency"), show=False, id="summary.pane_agencies"),
        Binding("3", "focus_pane('years')", N_("Per year"), show=False, id="summary.pane_years"),
        Binding("4", "focus_pane('charts')", N_("Charts"), show=False, id="summary.pane_charts"),
    ]
    PANE_ORDER = ("reports", "agencies", "years", "charts")
    PALETTE = (
        (N_("Reports"), "focus_pane('reports')", N_("one row per report")),
        (N_("Totals per agency"), "focus_pane('agencies')", N_("each agency over the years")),
        (N_("Totals per year"), "focus_pane('years')", N_("each year over the agencies")),
        (N_("Charts"), "focus_pane('charts')", N_("the key figures per agency and per year")),
        (N_("Filter reports"), "filter", N_("show only the reports whose file, agency or year match")),
        (N_("Back"), "back", N_("leave the summary")),
        (N_("Show keys"), "help", N_("every key of the focused pane")),
    )

    def __init__(self) -> None:
        super().__init__(id="summary-screen")
        self._rows: dict[str, ReportItem] = {}
        self._changed: set[str] = set()
        self._rows_timer = None
        self._generation = 0  # bumped by every change: totals made of an older one are stale
        self._totals_of = -1  # the generation the totals shown were made of
        self._totals_running = False
        self._totals_at = 0.0

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="summary-reports-view", id="summary-views"):
            with Vertical(id="summary-reports-view", classes="pane"):
                yield FilterInput(id="summary-filter")
                yield ReportsTable(id="summary-reports")
            yield pane(AgencyTotals(id="summary-agencies"))
            yield pane(YearTotals(id="summary-years"))
            yield pane(FigureChart(id="summary-charts"))
        yield StatusLine(id="summary-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(FilterInput).display = False
        self.query_one(ReportsTable).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # --- the data -----------------------------------------------------------------

    @property
    def reports(self) -> ReportsTable:
        return self.query_one(ReportsTable)

    def reload(self) -> None:
        """Every row anew from what the app holds (the screen is shown again, or the folder changed)."""
        app = self.app
        self._rows = {path: report_item(path, app.states.get(path)) for path in app.paths}  # type: ignore[attr-defined]
        self._changed.clear()
        self._generation += 1
        self.reports.set_rows(list(self._rows.values()))
        self._want_totals()

    def results_changed(self, paths: list[str]) -> None:
        """Files were read (or the folder changed): their rows fill in, a moment later."""
        self._changed.update(paths)
        self._generation += 1
        if self._rows_timer is None:
            self._rows_timer = self.set_timer(ROWS_EVERY, self._apply_changes)

    def _apply_changes(self) -> None:
        self._rows_timer = None
        app = self.app
        if set(self._changed) - set(self._rows) or len(self._rows) != len(app.paths):  # type: ignore[attr-defined]
            self.reload()  # files came or went
            return
        for path in self._changed:
            self._rows[path] = report_item(path, app.states.get(path))  # type: ignore[attr-defined]
        self._changed.clear()
        self.reports.set_rows(list(self._rows.values()))
        self._want_totals()

    def _want_totals(self) -> None:
        """Make the totals again if they are stale and in sight, at most every TOTALS_EVERY seconds."""
        if self._totals_of == self._generation or self._totals_running:
            return
        current = self.query_one("#summary-views", ContentSwitcher).current
        if current == "summary-reports-view":
            return  # made when a totals view or the charts are shown
        wait = TOTALS_EVERY - (time.monotonic() - self._totals_at)
        if wait > 0 and self._totals_of >= 0:
            self.set_timer(wait, self._want_totals)
            return
        app = self.app
        briefs = [(i, b) for i, path in enumerate(app.paths)  # type: ignore[attr-defined]
                  if (b := filedata.brief(app.states.get(path))) is not None]  # type: ignore[attr-defined]
        self._totals_running = True
        self._totals_at = time.monotonic()
        self._make_totals(briefs, self._generation, len(app.paths))  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="summary-totals")
    def _make_totals(self, briefs: list, generation: int, files: int) -> None:
        from ..series.summary import totals

        try:
            with filedata.collector(briefs) as collector:
                lines = collector.finish()
                agencies, years = totals(collector, lines)
                canonical = {stored.path: agency for stored, agency, _counted in collector.entries() if agency}
                notes = list(collector.notes)
        except Exception as e:  # noqa: BLE001 - a bug here must not take the inspector down
            self.app.call_from_thread(self._totals_failed, f"{type(e).__name__}: {e}")
            return
        self.app.call_from_thread(self._show_totals, agencies, years, notes, canonical, generation, (len(briefs), files))

    def _totals_failed(self, reason: str) -> None:
        self._totals_running = False
        self.notify(_("The totals could not be made: {reason}").format(reason=reason), severity="error", markup=False)

    def _show_totals(self, agencies: list[Total], years: list[Total], notes: list, canonical: dict[str, str],
                     generation: int, made_of: tuple[int, int]) -> None:
        self._totals_running = False
        self._totals_of = generation
        for table, rows in ((self.query_one(AgencyTotals), agencies), (self.query_one(YearTotals), years)):
            table.notes = notes
            table.made_of = made_of
            table.set_rows(rows)
        self.reports.canonical = canonical
        self.query_one(FigureChart).show_totals(agencies, years)
        if generation != self._generation:
            self._want_totals()

    def on_descendant_focus(self, event) -> None:
        super().on_descendant_focus(event)
        self._want_totals()  # a totals view or the charts came into sight

    # --- keys ----------------------------------------------------------------------

    def filtered_table(self) -> ReportsTable:
        return self.reports

    @on(SortedTable.Selected)
    def _selected(self, event: SortedTable.Selected) -> None:
        if isinstance(event.table, ReportsTable):
            self.app.show_report(event.row.path)  # type: ignore[attr-defined]
            return
        total: Total = event.row
        if total.kind == "agency":
            canonical = self.reports.canonical
            paths = frozenset(p for p, agency in canonical.items() if agency == total.key) if total.key else frozenset(
                item.path for item in self._rows.values() if item.row is not None and not item.row.agency)
            what = shown(total.key) if total.key else _("(no agency stated)")
        else:
            paths = frozenset(item.path for item in self._rows.values() if item.row is not None and item.row.year == total.key)
            what = str(total.key)
        table = self.reports
        table.scope = (what, paths)
        table.cursor_row = 0
        table.arrange()
        self.action_focus_pane("reports")
