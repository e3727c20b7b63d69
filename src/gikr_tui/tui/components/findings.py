"""The Findings pane: the checks' findings grouped by severity (and the parser's notes).

Enter on a finding goes where it is: a table finding puts the grid cursor on
its first cell, a prose finding opens the Reader at its sentence, highlighted,
and a section finding opens the Reader on that section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...checks import SEVERITIES, Finding, Quote, by_severity
from ...i18n import N_, _
from ...model import Note
from ..render import shown
from ..session import FileState, GridRef, finding_refs
from .pane import Pane
from .steady import SteadyScrollView

# mark and style per severity: errors and warnings fail the report (their cells are `!` in the grid), hints do not (`?`)
# where a message's clauses part, in English and in Chinese
_CLAUSES = re.compile(r", |，")
SEVERITY_MARKS = {"error": ("! ", "bold red"), "warning": ("! ", "bold yellow"), "hint": ("? ", "bold cyan")}
HEADINGS = {"error": N_("errors ({count})"), "warning": N_("warnings ({count})"), "hint": N_("hints ({count})")}


@dataclass(frozen=True, slots=True)
class Target:
    """Where Enter on a finding goes: a grid cell, or a section of the text (and a sentence in it)."""

    cell: GridRef | None = None
    section: int | None = None  # 0: the text before section 一
    quote: Quote | None = None


class FindingsList(Pane, SteadyScrollView, OptionList, inherit_bindings=False):
    PANE, KEY, NAME = "findings", "4", N_("Findings")
    HELP = N_(
        "The checks' findings, errors first, then warnings, then hints (? in the grid). Enter goes to the finding: "
        "the grid cell of a table finding, the sentence of a prose finding (in the Reader, highlighted)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="findings.up"),
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="findings.down"),
        Binding("g,home", "first", N_("First"), show=False, id="findings.first"),
        Binding("G,end", "last", N_("Last"), show=False, id="findings.last"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="findings.page_up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="findings.page_down"),
        Binding("enter,l", "select", N_("Go to"), id="findings.goto"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.targets: list[Target | None] = []
        self.lines: list[str] = []
        self.items: list[Finding | Note | None] = []  # what each entry says

    def status(self) -> list[Text]:
        i = self.highlighted
        if i is None or i >= len(self.items):
            return []
        item = self.items[i]
        if isinstance(item, Finding):
            # the message's clauses as phrases: the line drops whole clauses, never half of one
            _mark, style = SEVERITY_MARKS.get(item.severity, ("! ", "bold red"))
            return [Text(item.rule, style=style), *(Text(part) for part in _CLAUSES.split(shown(item.message())))]
        return [Text(self.lines[i])]

    def on_focus(self) -> None:
        # the first finding is selected as the pane gets the focus (not a heading): 4 then Enter goes to it
        if self.highlighted is None and self.option_count:
            first = next((i for i, where in enumerate(self.targets) if where is not None), 0)
            self.highlighted = first

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.status_changed()

    def show_state(self, state: FileState | None) -> None:
        # (line, where Enter goes, what it says: a finding or a note for the bottom line)
        items: list[tuple[Text, Target | None, Finding | Note | None]] = []
        if state is None:
            pass
        elif state.status == "pending":
            items.append((Text(_("parsing…"), style="dim"), None, None))
        elif state.status == "error":
            items.append((Text.assemble((_("unreadable: "), "bold yellow"), shown(state.error)), None, None))
        else:
            if not state.findings:
                items.append((Text(_("✓ consistent: every check holds"), style="green"), None, None))
            findings = by_severity(state.findings)
            for severity in SEVERITIES:
                group = [f for f in findings if f.severity == severity]
                if group:
                    # a heading line (a disabled option would trip OptionList's paging)
                    items.append((Text(_(HEADINGS[severity]).format(count=len(group)), style="bold underline"), None, None))
                    items += [(_finding_text(f), target(f), f) for f in group]
            report = state.report
            for note in report.notes if report is not None else []:
                items.append((_note_text(note), None, note))
        self.items = [said for _text, _target, said in items]
        self._show([(text, where) for text, where, _said in items])
        self.status_changed()

    def _show(self, items: list[tuple[Text, Target | None]]) -> None:
        lines = [text.plain for text, _target in items]
        self.targets = [target for _text, target in items]
        if len(items) == self.option_count:
            # as many entries as before (an edit that moved a sum): replaced in
            # place, the list keeps its height and the screen is not re-laid out
            for i, (text, _target) in enumerate(items):
                if lines[i] != self.lines[i]:
                    self.replace_option_prompt_at_index(i, text)
            self.lines = lines
            return
        highlighted = self.highlighted
        self.clear_options()
        self.add_options([Option(text) for text, _target in items])
        self.lines = lines
        if highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted


def target(finding: Finding) -> Target | None:
    """Where a finding is: its sentence (a prose finding), else its first grid cell, else its section."""
    if finding.text is not None:
        section = finding.text.section
        return Target(section=0 if section is None else section, quote=finding.text)
    refs = finding_refs(finding)
    if refs:
        return Target(cell=refs[0])
    if finding.section is not None:
        return Target(section=finding.section)
    return None


def _finding_text(finding: Finding) -> Text:
    message = shown(finding.message())
    mark, style = SEVERITY_MARKS.get(finding.severity, ("! ", "bold red"))
    out = Text.assemble((mark, style))
    if not message.startswith(finding.rule):  # balance messages already name their rule
        out.append(finding.rule + " ", style=style.replace("bold ", ""))
    out.append(message)
    return out


def _note_text(note: Note) -> Text:
    return Text.assemble(("~ " + _("note") + " ", "yellow"), shown(note.message), (note.where(), "dim"))
