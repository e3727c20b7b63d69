"""The compare screen: two reports side by side, as `gikr compare` shows them.

Made from the core's Comparison (series.compare: tables 2–4 cell by cell, the
cross-year findings when the two are consecutive years, each section's
similarity and paragraph diff); this module only lays it out for 80×24:

    1 Tables     tables 2–4, changed cells a→b          } one view
    2 Findings   the cross-year findings and notes       }
    3 Sections   each section's similarity               } the other
    4 Diff       the selected section's paragraph diff   }

Enter on a finding goes to its cell or its section's diff.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.containers import Vertical
from textual.widgets import ContentSwitcher, OptionList, Static
from textual.widgets.option_list import Option

from ..i18n import N_, _, ngettext
from .components.compare_grid import CompareGrid
from .components.findings import SEVERITY_MARKS
from .components.pane import Pane
from .components.reader import PIECE_CHARS, Reader
from .components.status import StatusLine
from .render import pieces, shown
from .subscreen import SubScreen, pane
from .words import Footer

_LIST_KEYS = [
    ("up,k", "cursor_up", N_("Up"), "up"),
    ("down,j", "cursor_down", N_("Down"), "down"),
    ("g,home", "first", N_("First"), "first"),
    ("G,end", "last", N_("Last"), "last"),
]


def _list_bindings(prefix: str) -> list[BindingType]:
    return [Binding(keys, action, desc, show=False, id=f"{prefix}.{name}") for keys, action, desc, name in _LIST_KEYS]


class _ListPane(Pane, OptionList, inherit_bindings=False):
    """A pane that is a list: g and G, and the bottom line follows the cursor."""

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        self.status_changed()

    def action_first(self) -> None:
        if self.option_count:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1


class CrossYearList(_ListPane, inherit_bindings=False):
    PANE, KEY, NAME = "crossyear", "2", N_("Cross-year")
    HELP = N_(
        "The checks across years on the later report (carried over, table 2 stock, repeated text), when the two are "
        "consecutive years, and notes on the pair. Enter goes to the finding's cell, or its section's diff."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *_list_bindings("crossyear"),
        Binding("enter,l", "select", N_("Go to"), id="crossyear.goto"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list = []  # per line: a Finding, or None (a note or a heading)
        self.lines: list[str] = []

    def show_comparison(self, comparison) -> None:
        from ..series.compare import note_message

        # the notes first: they say what the findings are worth (two agencies, years apart)
        entries: list[tuple[Text, object]] = [
            (Text.assemble(("~ ", "yellow"), shown(note_message(note, comparison))), None) for note in comparison.notes
        ]
        if comparison.checked is not None:
            later = comparison.b if comparison.checked == comparison.b.path else comparison.a
            year = later.report.year if later.report is not None else None
            if comparison.findings:
                for f in comparison.findings:
                    mark, style = SEVERITY_MARKS.get(f.severity, ("! ", "bold red"))
                    entries.append((Text.assemble((mark, style), (f.rule + " ", style.replace("bold ", "")), shown(f.message())), f))
            else:
                entries.append((Text(_("✓ no cross-year findings: {year} follows on from the year before").format(year=year or _("B")), style="green"), None))
        if not entries:
            entries.append((Text(_("no cross-year checks"), style="dim"), None))
        self.items = [item for _text, item in entries]
        self.lines = [text.plain for text, _item in entries]
        self.clear_options()
        self.add_options([Option(text) for text, _item in entries])
        self.show_title()

    def title(self) -> Text:
        out = super().title()
        found = sum(item is not None for item in self.items)
        out.append(" · " + ngettext("{n} finding", "{n} findings", found).format(n=found))
        return out

    def on_focus(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def status(self) -> list[Text]:
        i = self.highlighted
        if i is None or i >= len(self.items):
            return []
        item = self.items[i]
        if item is None:
            return [Text(self.lines[i])]
        _mark, style = SEVERITY_MARKS.get(item.severity, ("! ", "bold red"))
        return [Text(item.rule, style=style), *(Text(part) for part in shown(item.message()).split(", "))]

class SectionList(_ListPane, inherit_bindings=False):
    PANE, KEY, NAME = "sections", "3", N_("Sections")
    HELP = N_(
        "The six sections of the template, each with how alike its prose is in the two reports (the indel similarity, "
        "numbers and years ignored) and its length in characters. ! marks a section the repeated-text check names. "
        "The diff below follows the cursor; Enter goes into it."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        *_list_bindings("sections_diff"),
        Binding("enter,l,right", "select", N_("Read the diff"), id="sections_diff.open"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sections: list = []
        self.repeated: set[int] = set()

    def show_comparison(self, comparison) -> None:
        from ..output.compare_table import similarity_percent

        self.sections = list(comparison.sections)
        self.repeated = {f.section for f in comparison.findings if f.rule == "repeated_text"}
        options = []
        for sec in self.sections:
            mark = Text("! " if sec.number in self.repeated else "  ", style="bold yellow")
            line = mark + Text(sec.title)
            if sec.similarity is None:
                line.append("  " + _("no prose"), style="dim")
            else:
                line.append(f"  {similarity_percent(sec.similarity)} %", style="bold yellow" if sec.number in self.repeated else "bold")
                line.append(f"  {sec.a_length}→{sec.b_length}", style="dim")
            options.append(Option(line))
        self.clear_options()
        self.add_options(options)
        self.highlighted = 0 if options else None

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted is not None and highlighted < len(self.sections):
            self.post_message(self.Chosen(self.sections[highlighted]))

    class Chosen(Message):
        """The cursor is on a section: the diff shows it."""

        def __init__(self, section) -> None:
            super().__init__()
            self.section = section

    def status(self) -> list[Text]:
        i = self.highlighted
        if i is None or i >= len(self.sections):
            return []
        from ..output.compare_table import section_heading

        sec = self.sections[i]
        out = [Text(section_heading(sec), style="bold")]
        if sec.number in self.repeated:
            out.append(Text(_("named by the repeated-text check"), style="yellow"))
        return out

def hang(text: Text, width: int, indent: int = 4) -> Text:
    """`text` folded to `width` cells, a paragraph's continuation indented under its first line.

    Rich and Textual wrap at spaces, and Chinese has none: a paragraph after its
    `  - ` mark would start on a line of its own, leaving the mark alone.  Folded
    here character by character, it runs on from the mark, hanging under it.
    (A line without a mark, the heading, wraps at its spaces.)
    """
    if width <= indent + 4:
        return text
    out: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        if line.cell_len <= width:
            out.append(line)
            continue
        if not line.plain.startswith("  "):
            out.extend(line.wrap(_CONSOLE, width))
            continue
        offsets, used = [], 0
        for i, char in enumerate(line.plain):
            size = get_character_cell_size(char)
            if used + size > width:
                offsets.append(i)
                used = indent
            used += size
        first, *rest = line.divide(offsets)
        out.append(first)
        out.extend(Text(" " * indent) + part for part in rest)
    return Text("\n").join(out)


_CONSOLE = Console(width=1000, legacy_windows=False)  # (only measures: wrap() needs one)


class DiffView(Reader, inherit_bindings=False):
    """A section's paragraph diff, laid out a piece at a time as the Reader lays out a section."""

    PANE, KEY, NAME = "diff", "4", N_("Diff")
    HELP = N_(
        "The selected section's paragraphs: = paragraphs that did not change (counted), - a paragraph only the first "
        "report has, + one only the second has, ~ one that changed: what was taken out marked [-…-], what was put in {+…+}."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "line(-1)", N_("Up"), show=False, id="diff.up"),
        Binding("down,j", "line(1)", N_("Down"), show=False, id="diff.down"),
        Binding("g,home", "top", N_("Top"), show=False, id="diff.top"),
        Binding("G,end", "bottom", N_("Bottom"), show=False, id="diff.bottom"),
        Binding("pageup,b", "page(-1)", N_("Page up"), show=False, id="diff.page_up"),
        Binding("pagedown,space", "page(1)", N_("Page down"), show=False, id="diff.page_down"),
        Binding("h,left", "screen.focus_pane('sections')", N_("Sections"), show=False, tooltip=N_("Back to the list of sections"), id="diff.sections"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.diff = None

    def compose(self):
        yield Static(Text(""), id="reader-text")

    def show_diff(self, sec) -> None:
        if sec is self.diff:
            return
        from ..output.compare_table import section_heading, section_lines

        self.diff = sec
        runs: list[tuple[str, str]] = [(section_heading(sec), "bold"), ("\n", "")]
        if sec.similarity is not None:
            for line in section_lines(sec):
                runs += [("\n", ""), *line, ("\n", "")]
        self.pieces = pieces(runs, PIECE_CHARS)
        self.chars = sum(len(t) for piece in self.pieces for t, _style in piece)
        self._show(0)

    def _show(self, index: int, at_end: bool = False) -> None:
        super()._show(index, at_end)
        self._fold()

    def on_resize(self) -> None:
        self._fold()

    def _fold(self) -> None:
        width = self.scrollable_content_region.width
        if width > 0:
            self.query_one("#reader-text", Static).update(hang(self.text, width))

    def title(self) -> Text:
        out = Pane.title(self)
        if self.diff is not None:
            out.append(" · " + self.diff.title)
        if len(self.pieces) > 1:
            out.append(" · " + _("piece {i} of {n}").format(i=self.piece + 1, n=len(self.pieces)))
        return out

    def status(self) -> list[Text]:
        if self.diff is None:
            return [Text(_("no section selected"), style="dim")]
        from ..output.compare_table import section_heading

        out = [Text(section_heading(self.diff), style="bold")]
        if len(self.pieces) > 1:
            out.append(Text(_("piece {i} of {n}").format(i=self.piece + 1, n=len(self.pieces))))
        return out


class CompareScreen(SubScreen):
    """Two reports side by side; `a` is the earlier one when the years say which."""

    DEFAULT_CSS = """
    #compare-head {
        height: 2;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #compare-views, #compare-tables-view, #compare-text-view {
        height: 1fr;
    }
    #compare-crossyear {
        height: 6;
    }
    #compare-sections {
        height: 8;
    }
    #compare-diff {
        padding: 0 1;
        scrollbar-gutter: stable;
    }
    /* the diff folds its own lines (hang()) */
    #compare-diff > Static {
        text-wrap: nowrap;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "focus_pane('tables')", N_("Tables"), show=False, id="compare.pane_tables"),
        Binding("2", "focus_pane('crossyear')", N_("Cross-year findings"), show=False, id="compare.pane_crossyear"),
        Binding("3", "focus_pane('sections')", N_("Sections"), show=False, id="compare.pane_sections"),
        Binding("4", "focus_pane('diff')", N_("Diff"), show=False, id="compare.pane_diff"),
    ]
    PANE_ORDER = ("tables", "crossyear", "sections", "diff")
    PALETTE = (
        (N_("Tables"), "focus_pane('tables')", N_("tables 2–4 cell by cell")),
        (N_("Cross-year findings"), "focus_pane('crossyear')", N_("the checks across years on the later report")),
        (N_("Sections"), "focus_pane('sections')", N_("how alike each section's prose is")),
        (N_("Diff"), "focus_pane('diff')", N_("the selected section's paragraphs, what changed marked")),
        (N_("Summary of every report"), "app.summary", N_("one row per report, totals, charts")),
        (N_("Back"), "back", N_("leave the comparison")),
        (N_("Show keys"), "help", N_("every key of the focused pane")),
    )

    def __init__(self, comparison, names: tuple[str, str], how: str) -> None:
        """`names`: the two files as the inspector shows them; `how`: how b's partner was found (paired | picked)."""
        super().__init__()
        self.comparison = comparison
        self.names = names
        self.how = how

    def compose(self) -> ComposeResult:
        from ..output.compare_table import side_line

        c = self.comparison
        head = Text("\n").join([side_line(_("A"), c.a, self.names[0]), side_line(_("B"), c.b, self.names[1])])
        for line in head.split("\n"):
            line.no_wrap = True
        yield Static(head, id="compare-head")
        with ContentSwitcher(initial="compare-tables-view", id="compare-views"):
            with Vertical(id="compare-tables-view"):
                yield pane(CompareGrid(id="compare-tables"))
                yield pane(CrossYearList(id="compare-crossyear"))
            with Vertical(id="compare-text-view"):
                yield pane(SectionList(id="compare-sections"))
                yield pane(DiffView(id="compare-diff"))
        yield StatusLine(id="compare-status")
        yield Footer()

    def on_mount(self) -> None:
        grid = self.query_one(CompareGrid)
        grid.show_comparison(self.comparison)
        self.query_one(CrossYearList).show_comparison(self.comparison)
        self.query_one(SectionList).show_comparison(self.comparison)
        grid.focus()

    @on(SectionList.Chosen)
    def _section_chosen(self, event) -> None:
        self.query_one(DiffView).show_diff(event.section)

    @on(OptionList.OptionSelected, "#compare-sections")
    def _section_opened(self) -> None:
        self.action_focus_pane("diff")

    @on(OptionList.OptionSelected, "#compare-crossyear")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        items = self.query_one(CrossYearList).items
        finding = items[event.option_index] if event.option_index < len(items) else None
        if finding is None:
            return
        if finding.rule == "repeated_text" and finding.section is not None:
            sections = self.query_one(SectionList)
            index = next((i for i, s in enumerate(sections.sections) if s.number == finding.section), None)
            if index is not None:
                sections.highlighted = index
                self.query_one(DiffView).show_diff(sections.sections[index])
                self.action_focus_pane("diff")
            return
        grid = self.query_one(CompareGrid)
        if finding.cells:
            row, col = finding.cells[0]
            coordinate = grid.coordinate_of((finding.table or 3, row, col))
            if coordinate is not None:
                grid.cursor_coordinate = coordinate
                self.action_focus_pane("tables")
