"""The Findings pane: one line per failed identity (and the parser's notes)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...model import Note
from ...checks import Finding
from ..render import shown
from ..session import FileState, GridRef, finding_refs


class FindingsList(OptionList, inherit_bindings=False):
    HELP = "Each failed identity with reported and computed sums. Enter moves the grid cursor to its total cell."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="findings.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="findings.down"),
        Binding("g,home", "first", "First", show=False, id="findings.first"),
        Binding("G,end", "last", "Last", show=False, id="findings.last"),
        Binding("pageup", "page_up", "Page up", show=False, id="findings.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="findings.page_down"),
        Binding("enter,l", "select", "Go to cell", id="findings.goto"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.targets: list[GridRef | None] = []
        self.lines: list[str] = []

    def show_state(self, state: FileState | None) -> None:
        items: list[tuple[Text, GridRef | None]] = []
        if state is None:
            pass
        elif state.status == "pending":
            items.append((Text("parsing…", style="dim"), None))
        elif state.status == "error":
            items.append((Text.assemble(("unreadable: ", "bold yellow"), shown(state.error)), None))
        else:
            if not state.findings:
                items.append((Text("✓ consistent: every identity holds", style="green"), None))
            for finding in state.findings:
                refs = finding_refs(finding)
                items.append((_finding_text(finding), refs[0] if refs else None))
            report = state.report
            for note in report.notes if report is not None else []:
                items.append((_note_text(note), None))
        self._show(items)

    def _show(self, items: list[tuple[Text, GridRef | None]]) -> None:
        lines = [text.plain for text, _ in items]
        self.targets = [target for _, target in items]
        if len(items) == self.option_count:
            # as many entries as before (an edit that moved a sum): replaced in
            # place, the list keeps its height and the screen is not re-laid out
            for i, (text, _) in enumerate(items):
                if lines[i] != self.lines[i]:
                    self.replace_option_prompt_at_index(i, text)
            self.lines = lines
            return
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(text) for text, _ in items])
        self.lines = lines
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted


def _finding_text(finding: Finding) -> Text:
    message = shown(finding.message())
    out = Text.assemble(("! ", "bold red"))
    if not message.startswith(finding.rule):  # balance messages already name their rule
        out.append(finding.rule + " ", style="red")
    out.append(message)
    return out


def _note_text(note: Note) -> Text:
    where = f" ({note.origin.describe()})" if note.origin is not None else ""
    return Text.assemble(("~ note ", "yellow"), shown(note.message), (where, "dim"))
