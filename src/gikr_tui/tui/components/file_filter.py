"""The file filter above the Files list (Escape clears it).  Cells are edited in the grid itself."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from textual.widgets import Input

from ...i18n import N_, _
from .pane import Pane


class FilterInput(Pane, Input):
    NAME = N_("File filter")
    HELP = N_("Type part of a file name, an agency or a year. Enter keeps the filter, Escape clears it.")
    OWNS_FRAME = False  # the Files pane's title stays

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", N_("Clear filter"), id="filter.clear"),
        Binding("down", "done", N_("To list"), show=False, id="filter.done"),
    ]

    class Closed(Message):
        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=_("filter: name, agency or year"), id=id, compact=True)
        self.matches: tuple[int, int] | None = None  # (shown, of all), set by whoever filters

    @property
    def frame(self) -> Widget:
        return self.parent

    def status(self) -> list[Text]:
        out = [Text(_("filter"), style="bold")]
        if self.matches is not None:
            shown, total = self.matches
            out.append(Text(_("{shown} of {total} files").format(shown=shown, total=total)))
        out.extend(Text(k, style="dim") for k in (_("Enter keeps it"), _("Esc clears it")))
        return out

    def action_clear_filter(self) -> None:
        self.value = ""
        self.post_message(self.Closed(cleared=True))

    def action_done(self) -> None:
        self.post_message(self.Closed(cleared=False))
