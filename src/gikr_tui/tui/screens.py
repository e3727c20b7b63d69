"""The app's side of the summary and compare screens (a mixin of GikrApp).

`S` opens the summary from anywhere (the screen stays installed, so its
sort, filter and cursor are there when it comes back); `C` compares the
selected report with its agency's previous year, found exactly as the series
checks pair reports: by the agency and year each report states, name
variants being one agency, never by file name (series.collect); `V` compares
it with a report you pick.  The pairing and the comparison are made in a
worker thread, from the files' briefs and whole results (filedata).
"""

from __future__ import annotations

import os

from textual import work

from ..i18n import _, ngettext
from .render import shown

SUMMARY = "summary"


def screen_binding_owners() -> tuple[type, ...]:
    """The classes of these screens that declare bindings (keymap.toml may give any of them keys)."""
    from .compare import CompareScreen, CrossYearList, DiffView, SectionList
    from .components.chart import FigureChart
    from .components.compare_grid import CompareGrid
    from .components.table import SortedTable
    from .pick import PickScreen, PickTable
    from .subscreen import SubScreen
    from .summary import ReportsTable, SummaryScreen

    return (SubScreen, SummaryScreen, ReportsTable, SortedTable, FigureChart, CompareScreen, CompareGrid,
            CrossYearList, SectionList, DiffView, PickScreen, PickTable)


class Screens:
    """Mixed into GikrApp (which holds `paths`, `states`, `root` and the main screen's panes)."""

    # --- the summary ---------------------------------------------------------------

    def action_summary(self) -> None:
        from .summary import SummaryScreen

        for i, screen in enumerate(self.screen_stack):
            if isinstance(screen, SummaryScreen):
                for _above in self.screen_stack[i + 1:]:
                    self.pop_screen()
                return
        if not self.is_screen_installed(SUMMARY):
            self.install_screen(SummaryScreen(), SUMMARY)
        self.push_screen(SUMMARY)

    def tell_screens(self, paths: list[str]) -> None:
        """Files were read, or came: the screens over the main one that show them fill in."""
        for screen in self.screen_stack[1:]:
            changed = getattr(screen, "results_changed", None)
            if changed is not None:
                changed(paths)

    def show_report(self, path: str) -> None:
        """Open `path` in the main screen, leaving every screen over it (Enter on a summary row)."""
        from .components.files import FileTree

        while len(self.screen_stack) > 1:
            self.pop_screen()
        tree = self.query_one(FileTree)
        tree.select_path(path)
        if path != self.current:
            self._open(path)
        self.call_later(self.action_focus_pane, "grid")

    # --- comparing ---------------------------------------------------------------------

    def _chosen(self) -> str | None:
        """The report the keys act on: the Files pane's cursor when it has the focus, else the one open."""
        from .components.files import FileTree

        tree = self.query_one(FileTree)
        return (tree.current_path if self.focused is tree else None) or self.current

    def action_compare(self) -> None:
        path = self._chosen()
        if path is not None:
            self.compare_report(path)

    def action_compare_with(self) -> None:
        path = self._chosen()
        if path is not None:
            self.pick_comparison(path)

    def _comparable(self, path: str) -> bool:
        from . import filedata

        result = filedata.brief(self.states.get(path))
        name = shown(os.path.basename(path))
        if result is None:
            self.notify(_("{name} is still being read.").format(name=name), timeout=3, markup=False)
            return False
        if result.record is None:
            self.notify(_("{name} could not be read: there is nothing to compare.").format(name=name), severity="warning", timeout=3, markup=False)
            return False
        return True

    def compare_report(self, path: str, other: str | None = None) -> None:
        """`path` beside `other`, or beside its agency's report of the year before."""
        from . import filedata

        if not self._comparable(path) or (other is not None and not self._comparable(other)):
            return
        briefs = [] if other is not None else [
            (i, b) for i, p in enumerate(self.paths) if (b := filedata.brief(self.states.get(p))) is not None
        ]
        unread = sum(1 for s in self.states.values() if filedata.brief(s) is None)
        self._compare(path, self.paths.index(path) if path in self.paths else -1, other, briefs, unread)

    @work(thread=True, exclusive=True, group="compare")
    def _compare(self, path: str, index: int, other: str | None, briefs: list, unread: int) -> None:
        from ..series.compare import compare
        from . import filedata

        how = "picked"
        if other is None:
            with filedata.collector(briefs) as collector:
                previous, why = collector.previous(index)
            if previous is None:
                self.call_from_thread(self._no_previous, path, why, unread)
                return
            other, how = previous.path, "paired"
        mine, theirs = filedata.whole(self.states.get(path)), filedata.whole(self.states.get(other))
        if mine is None or theirs is None or mine.report is None or theirs.report is None:
            self.call_from_thread(self.notify, _("The report is no longer there to compare (read again?)."), severity="warning", markup=False)
            return
        a, b = theirs, mine  # the report chosen is b, the later year
        if a.report.year and b.report.year and a.report.year > b.report.year:
            a, b = b, a
        try:
            comparison = compare(a, b)
        except Exception as e:  # noqa: BLE001 - a bug in one comparison must not take the inspector down
            self.call_from_thread(self.notify, _("The comparison failed: {reason}").format(reason=f"{type(e).__name__}: {e}"),
                                  severity="error", markup=False)
            return
        self.call_from_thread(self._show_comparison, comparison, how)

    def _show_comparison(self, comparison, how: str) -> None:
        from .compare import CompareScreen

        names = tuple(shown(os.path.relpath(r.path, self.root)) for r in (comparison.a, comparison.b))
        self.push_screen(CompareScreen(comparison, names, how))

    def _no_previous(self, path: str, why: str, unread: int) -> None:
        from . import filedata

        result = filedata.brief(self.states.get(path))
        record = result.record if result is not None else None
        agency = shown(record.agency or "") if record is not None else ""
        year = record.year if record is not None else None
        name = shown(os.path.basename(path))
        if why == "unnamed":
            said = _("{name} states no agency or no year: it is paired with no other year.").format(name=name)
        elif why == "ambiguous":
            said = _("{agency} could be any of several agencies: {name} is paired with no other year.").format(agency=agency, name=name)
        elif why == "conflict":
            said = _("{agency} has two different reports for {year} or {before}: they are not paired.").format(
                agency=agency, year=year, before=(year or 1) - 1)
        else:
            said = _("No report of {agency} for {year} among the files read.").format(agency=agency, year=(year or 1) - 1)
            if unread:
                said += " " + ngettext("({n} file is still being read.)", "({n} files are still being read.)", unread).format(n=unread)
        self.notify(said + " " + _("V compares it with a report you pick."), severity="warning", timeout=6, markup=False)

    def pick_comparison(self, path: str) -> None:
        from .pick import PickScreen

        if not self._comparable(path):
            return

        def picked(other: str | None) -> None:
            if other is not None:
                self.compare_report(path, other)

        self.push_screen(PickScreen(path, self.root), picked)
