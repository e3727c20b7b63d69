"""The Sections pane: 一…六 and their sub-items, missing ones marked."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType

from ...i18n import N_, _
from ...model import Section
from ..render import section_label, section_status
from .fitted import FittedTree
from .pane import Pane


class SectionTree(Pane, FittedTree, inherit_bindings=False):
    PANE, KEY, NAME = "sections", "2", N_("Sections")
    HELP = N_("The report's sections. Marks: ! missing, ? misnumbered, ~ unnumbered, < out of order. Enter shows the text.")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="sections.up"),
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="sections.down"),
        Binding("g,home", "scroll_home", N_("First"), show=False, id="sections.first"),
        Binding("G,end", "scroll_end", N_("Last"), show=False, id="sections.last"),
        Binding("enter,l,right", "select_cursor", N_("Read"), id="sections.read"),
        Binding("space", "toggle_node", N_("Fold"), show=False, id="sections.toggle"),
        Binding("h,left", "cursor_parent", N_("Parent"), show=False, id="sections.parent"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text("sections"), id=id)
        self.show_root = False
        self.guide_depth = 2

    def show_sections(self, sections: list[Section], keep_line: bool = False) -> None:
        """Show a report's sections; `keep_line` keeps the cursor's place (a reload)."""
        line = max(0, self.cursor_line) if keep_line else 0
        self.clear()
        for section in sections:
            node = self.root.add(section_label(section), data=section, expand=True, allow_expand=bool(section.children))
            for child in section.children:
                node.add_leaf(section_label(child), data=child)
        self.root.expand()
        if sections:
            self.call_after_refresh(self._restore_line, line)

    def _restore_line(self, line: int) -> None:
        self.cursor_line = min(line, max(0, self.last_line))

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        super().watch_cursor_line(previous_line, line)
        self.status_changed()

    def status(self) -> list[Text]:
        node = self.cursor_node
        section = node.data if node is not None else None
        if section is None:
            return [Text(_("no sections"), style="dim")]
        where = section.origin.describe() if section.origin is not None else _("not in the report")
        return [Text(section.title, style="bold"), Text(section_status(section.status)), Text(where, style="dim")]
