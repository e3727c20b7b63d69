"""The file-name filter (Escape clears it).  Cells are edited in the grid itself."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

class FilterInput(Input):
    HELP = "Type part of a file name. Enter keeps the filter, Escape clears it."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", id="filter.clear"),
        Binding("down", "done", "To list", show=False, id="filter.done"),
    ]

    class Closed(Message):
        def __init__(self, cleared: bool) -> None:
            super().__init__()
            self.cleared = cleared

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="filter by name", id=id, compact=True)

    def action_clear_filter(self) -> None:
        self.value = ""
        self.post_message(self.Closed(cleared=True))

    def action_done(self) -> None:
        self.post_message(self.Closed(cleared=False))
