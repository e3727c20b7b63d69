"""The Reader pane: the selected section's text."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...model import Section
from ..render import section_body


class Reader(VerticalScroll, inherit_bindings=False):
    HELP = "The text under the selected section, as the report wrote it."
    can_focus = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "scroll_up", "Up", show=False, id="reader.up"),
        Binding("down,j", "scroll_down", "Down", show=False, id="reader.down"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="reader.bottom"),
        Binding("pageup,b", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="reader.page_down"),
        Binding("escape", "app.show_grid", "Back to grid", id="reader.back"),
    ]

    def compose(self):
        yield Static(Text("Select a section (pane 2) and press Enter to read it.", style="dim"), id="reader-text")

    def show_section(self, section: Section | None) -> None:
        text = section_body(section) if section is not None else Text("")
        self.text = text
        self.query_one("#reader-text", Static).update(text)
        self.scroll_home(animate=False)

    text: Text = Text("")
