"""Command palette entries (Ctrl+P) for the app's actions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..i18n import N_, _

COMMANDS: tuple[tuple[str, str, str], ...] = (
    (N_("Export findings as CSV"), "export('csv')", N_("write gikr-findings.csv in the current folder")),
    (N_("Export findings as JSON"), "export('json')", N_("write gikr-findings.json in the current folder")),
    (N_("Next file with findings"), "next_flagged(1)", N_("jump the Files pane to the next file with findings")),
    (N_("Previous file with findings"), "next_flagged(-1)", N_("jump the Files pane to the previous file with findings")),
    (N_("Next failing cell"), "next_failing", N_("move the grid cursor to the next cell marked !")),
    (N_("Previous failing cell"), "previous_failing", N_("move the grid cursor to the previous cell marked !")),
    (N_("Toggle computed sums"), "toggle_computed", N_("show what each total's parts add up to")),
    (N_("Edit cell"), "edit_cell", N_("type a new value into the cell under the cursor")),
    (N_("Undo edit"), "undo", N_("undo the last cell edit")),
    (N_("Revert to file"), "revert", N_("drop every edit of this report")),
    (N_("Copy cell"), "copy_cell", N_("copy the cell under the cursor (OSC 52)")),
    (N_("Copy table as TSV"), "copy_table", N_("copy tables 3 and 4 as tab-separated text")),
    (N_("Reload file"), "reload", N_("read the selected file from disk again")),
    (N_("Filter files by name"), "filter_files", N_("type part of a file name")),
    (N_("Focus Files"), "focus_pane('files')", N_("pane 1")),
    (N_("Focus Sections"), "focus_pane('sections')", N_("pane 2")),
    (N_("Focus Grid"), "focus_pane('grid')", N_("pane 3")),
    (N_("Focus Findings"), "focus_pane('findings')", N_("pane 4")),
    (N_("Focus Reader"), "focus_pane('reader')", N_("pane 5")),
    (N_("Maximize or restore pane"), "toggle_maximize", N_("give the focused pane the whole screen")),
    (N_("Show keys"), "help", N_("every key of the focused pane")),
    (N_("Summary of every report"), "summary", N_("one row per report with its key figures, totals per agency and per year, charts")),
    (N_("Compare with the previous year"), "compare", N_("the selected report beside its agency's report of the year before")),
    (N_("Compare with a report you pick"), "compare_with", N_("the selected report beside any other report")),
)


class GikrCommands(Provider):
    """The main screen's commands; a screen of its own (summary, compare) lists its `PALETTE`
    instead, actions run on that screen."""

    def _commands(self) -> tuple[tuple[str, str, str], ...]:
        return getattr(self.screen, "PALETTE", COMMANDS)

    async def _run(self, action: str) -> None:
        await self.app.run_action(action, None if self.screen is self.app.screen_stack[0] else self.screen)

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(_(name), partial(self._run, action), help=_(help_text))

    async def search(self, query: str) -> Hits:
        # by the name shown (in the language in use) or by its English name, whichever fits better
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            shown = _(name)
            score = max(matcher.match(shown), matcher.match(name) if name != shown else 0)
            if score > 0:
                yield Hit(score, matcher.highlight(shown), partial(self._run, action), help=_(help_text))
