"""The Reader pane: the selected section's text."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...checks import Quote
from ...model import Section
from ..render import highlight_start, section_body


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

    def show_section(self, section: Section | None, highlight: Quote | None = None) -> None:
        """Show a section's text; with `highlight`, a prose finding's sentence, marked and scrolled to."""
        text = section_body(section, highlight) if section is not None else Text("")
        self.text = text
        self.query_one("#reader-text", Static).update(text)
        self.scroll_home(animate=False)
        start = highlight_start(text) if highlight is not None else None
        if start is not None:
            self.call_after_refresh(self._scroll_to_offset, start)

    def _scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the character at `offset` shows, a couple of lines from the top."""
        width = max(1, self.scrollable_content_region.width)
        lines = self.text[:offset].wrap(self.app.console, width)
        self.scroll_to(y=max(0, len(lines) - 3), animate=False)

    text: Text = Text("")
