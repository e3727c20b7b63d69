"""Command palette entries (Ctrl+P) for the app's actions."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Export findings as CSV", "export('csv')", "write gikr-findings.csv in the current folder"),
    ("Export findings as JSON", "export('json')", "write gikr-findings.json in the current folder"),
    ("Next file with findings", "next_flagged(1)", "jump the Files pane to the next file with findings"),
    ("Previous file with findings", "next_flagged(-1)", "jump the Files pane to the previous file with findings"),
    ("Next failing cell", "next_failing", "move the grid cursor to the next cell marked !"),
    ("Previous failing cell", "previous_failing", "move the grid cursor to the previous cell marked !"),
    ("Toggle computed sums", "toggle_computed", "show what each total's parts add up to"),
    ("Edit cell", "edit_cell", "type a new value into the cell under the cursor"),
    ("Undo edit", "undo", "undo the last cell edit"),
    ("Revert to file", "revert", "drop every edit of this report"),
    ("Copy cell", "copy_cell", "copy the cell under the cursor (OSC 52)"),
    ("Copy table as TSV", "copy_table", "copy tables 3 and 4 as tab-separated text"),
    ("Reload file", "reload", "read the selected file from disk again"),
    ("Filter files by name", "filter_files", "type part of a file name"),
    ("Focus Files", "focus_pane('files')", "pane 1"),
    ("Focus Sections", "focus_pane('sections')", "pane 2"),
    ("Focus Grid", "focus_pane('grid')", "pane 3"),
    ("Focus Findings", "focus_pane('findings')", "pane 4"),
    ("Focus Reader", "focus_pane('reader')", "pane 5"),
    ("Maximize or restore pane", "toggle_maximize", "give the focused pane the whole screen"),
    ("Show keys", "help", "every key of the focused pane"),
)


class GikrCommands(Provider):
    async def _run(self, action: str) -> None:
        await self.app.run_action(action)

    async def discover(self) -> Hits:
        for name, action, help_text in COMMANDS:
            yield DiscoveryHit(name, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=help_text)
