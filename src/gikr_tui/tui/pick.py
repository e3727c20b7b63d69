"""Picking the report to compare a report with: every other report read, its agency's first.

A sortable table (the summary's), filtered with `/` as the Files pane is;
Enter picks, Esc goes back without one.
"""

from __future__ import annotations

import os
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from ..i18n import N_, _
from ..series import agency as names
from . import filedata
from .components.file_filter import FilterInput
from .components.files import matches
from .components.status import StatusLine
from .components.table import Column, SortedTable
from .render import shown
from .subscreen import SubScreen
from .words import Footer


class Choice:
    __slots__ = ("path", "name", "agency", "year", "related")

    def __init__(self, path: str, name: str, agency: str | None, year: int | None, related: bool) -> None:
        self.path, self.name, self.agency, self.year, self.related = path, name, agency, year, related


def _columns() -> tuple[Column, ...]:
    return (
        Column("agency", N_("agency"), 12, lambda c: Text(shown(c.agency or ""), style="bold" if c.related else ""),
               lambda c: c.agency.casefold() if c.agency else None, numeric=False, flexible=True),
        Column("year", N_("year"), 4, lambda c: Text(str(c.year or "")), lambda c: c.year),
        Column("file", N_("file"), 12, lambda c: Text(shown(c.name)), lambda c: c.name.casefold(), numeric=False, flexible=True),
    )


class PickTable(SortedTable):
    PANE, KEY, NAME = "pick", "1", N_("Compare with")
    HELP = N_("Every other report read, the same agency's first (in bold), the latest year first. "
              "Enter compares with it; / filters by file, agency or year.")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "screen.filter", N_("Filter"), id="pick.filter"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(_columns(), key=lambda c: c.path, id=id)
        self.pattern = ""
        self.keep = lambda c: matches(self.pattern, c.name, c.agency or "", str(c.year or ""))

    @property
    def frame(self):
        return self.parent

    def status(self) -> list[Text]:
        c = self.current_row
        if c is None:
            return [Text(_("no other report read yet") if not self.rows else _("no reports match"), style="dim")]
        return [Text(shown(c.name), style="bold"), Text(shown(c.agency or "—")), Text(str(c.year or "—")),
                Text(_("Enter compares with it"), style="dim")]


class PickScreen(SubScreen):
    """Dismissed with the chosen report's path, or None."""

    BINDINGS: ClassVar[list[BindingType]] = []
    PANE_ORDER = ("pick",)
    PALETTE = (
        (N_("Filter reports"), "filter", N_("show only the reports whose file, agency or year match")),
        (N_("Back"), "back", N_("compare with none")),
    )

    def __init__(self, path: str, root: str) -> None:
        super().__init__()
        self.path = path
        self.root = root

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-view", classes="pane"):
            yield FilterInput(id="pick-filter")
            yield PickTable(id="pick-table")
        yield StatusLine(id="pick-status")
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        mine = filedata.brief(app.states.get(self.path))  # type: ignore[attr-defined]
        record = mine.record if mine is not None else None
        own = names.parse(names.normalise(record.agency)) if record is not None and record.agency else None
        choices = []
        for path in app.paths:  # type: ignore[attr-defined]
            result = filedata.brief(app.states.get(path))  # type: ignore[attr-defined]
            if path == self.path or result is None or result.record is None:
                continue
            agency = result.record.agency
            related = own is not None and bool(agency) and names.related(own, names.parse(names.normalise(agency)))
            choices.append(Choice(path, os.path.relpath(path, self.root), agency, result.record.year, related))
        choices.sort(key=lambda c: (not c.related, -(c.year or 0)))
        self.query_one(FilterInput).display = False
        table = self.query_one(PickTable)
        table.set_rows(choices)
        frame = self.query_one("#pick-view")
        name = shown(os.path.basename(self.path))
        frame.border_subtitle = _("to compare with {name}").format(name=name)
        table.focus()

    def filtered_table(self) -> PickTable:
        return self.query_one(PickTable)

    @on(SortedTable.Selected)
    def _picked(self, event: SortedTable.Selected) -> None:
        self.dismiss(event.row.path)
