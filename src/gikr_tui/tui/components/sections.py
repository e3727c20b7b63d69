"""The Sections pane: 一…六 and their sub-items, missing ones marked."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Tree

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
        labels = [(self.process_label(section_label(s)), [self.process_label(section_label(c)) for c in s.children])
                  for s in sections]
        shown = [(node._label, [c._label for c in node.children]) for node in self.root.children]
        if sections and _same_labels(labels, shown) and all(n.is_expanded for n in self.root.children if n.children):
            # Another report with the same sections (most reports, one after another): its
            # sections go in place of the last one's, and only the lines that change redraw.
            for node, section in zip(self.root.children, sections):
                node.data = section
                for leaf, child in zip(node.children, section.children):
                    leaf.data = child
        else:
            self.clear()
            # (the cursor on no line, as a drawing of the cleared tree would leave it: the line
            # restored below is a move, and says which section is under it)
            self.set_reactive(Tree.cursor_line, -1)
            self._cursor_node = None
            for (label, children), section in zip(labels, sections):
                node = self.root.add(label, data=section, expand=True, allow_expand=bool(section.children))
                for child_label, child in zip(children, section.children):
                    node.add_leaf(child_label, data=child)
            self.root.expand()
        if sections:
            before = self.cursor_line
            self._restore_line(line)  # (the lines are counted when asked: no frame to wait for)
            if self.cursor_line == before and self.cursor_node is not None:
                # the same line, another report's section under it: said as a move to it would
                self.post_message(self.NodeHighlighted(self.cursor_node))
            self.status_changed()

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


def _same_labels(new: list, old: list) -> bool:
    """Whether two lists of (label, child labels) draw the same (Text compares by identity)."""
    def key(text: Text) -> tuple:
        return text.plain, str(text.style), tuple((sp.start, sp.end, str(sp.style)) for sp in text.spans)

    return len(new) == len(old) and all(
        key(a) == key(b) and len(ac) == len(bc) and all(key(x) == key(y) for x, y in zip(ac, bc))
        for (a, ac), (b, bc) in zip(new, old)
    )
