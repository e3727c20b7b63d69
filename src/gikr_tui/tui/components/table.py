"""A table of many rows, sortable by any column: the summary's reports and totals.

Drawn line by line (Textual's line API): only the rows in sight are ever
laid out, so ten thousand reports cost what twenty do, and a re-sort is a
sort of a Python list.  The header stays at the top, the first column stays
at the left while the others scroll sideways with the cursor (h and l move
it between columns), and s sorts by the cursor's column (again: the other
way round).  A row's cells are made when it first shows and kept until its
data changes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ...i18n import N_, _
from .pane import Pane

UP, DOWN = "↑", "↓"  # the sort column's header: ascending, descending
SEPARATOR = 1  # cells between columns


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str  # N_(...): translated when shown
    width: int  # the least width in cells (its header, and the arrow beside it, may ask for more)
    text: Callable[[Any], Text | str]
    sort: Callable[[Any], Any]  # None sorts last, whichever way round
    numeric: bool = True  # right-aligned; sorted largest first at the first press
    flexible: bool = False  # as wide as its widest cell, up to a third of the table


class SortedTable(Pane, Widget, can_focus=True, inherit_bindings=False):
    """Rows are any objects; `columns` say how each shows and sorts; `key(row)` names a row across updates."""

    FROZEN = 1  # columns that stay at the left

    DEFAULT_CSS = """
    SortedTable {
        height: 1fr;
    }
    SortedTable > .sorted-table--header {
        text-style: bold;
        background: $panel;
    }
    SortedTable > .sorted-table--header-cursor {
        text-style: bold;
        background: $accent-darken-1;
    }
    SortedTable > .sorted-table--row-cursor {
        background: $boost;
    }
    SortedTable:focus > .sorted-table--row-cursor {
        background: $block-hover-background;
    }
    SortedTable > .sorted-table--cursor {
        background: $block-cursor-blurred-background;
    }
    SortedTable:focus > .sorted-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "sorted-table--header",
        "sorted-table--header-cursor",
        "sorted-table--row-cursor",
        "sorted-table--cursor",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", N_("Up"), show=False, id="table.up"),
        Binding("down,j", "move(1)", N_("Down"), show=False, id="table.down"),
        Binding("left,h", "column(-1)", N_("Left"), show=False, id="table.left"),
        Binding("right,l", "column(1)", N_("Right"), show=False, id="table.right"),
        Binding("g,home", "first", N_("First row"), show=False, id="table.first"),
        Binding("G,end", "last", N_("Last row"), show=False, id="table.last"),
        Binding("0", "first_column", N_("First column"), show=False, id="table.first_column"),
        Binding("dollar_sign", "last_column", N_("Last column"), show=False, id="table.last_column"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="table.page_down"),
        Binding("s", "sort", N_("Sort"), tooltip=N_("Sort by the cursor's column (again: the other way round)"), id="table.sort"),
        Binding("enter", "select", N_("Open"), id="table.select"),
    ]

    class Selected(Message):
        """Enter on a row."""

        def __init__(self, table: "SortedTable", row: Any) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(self, columns: tuple[Column, ...], key: Callable[[Any], Hashable], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = columns
        self.key = key
        self.rows: list[Any] = []  # every row, in the folder's order
        self.shown: list[Any] = []  # those the filter lets through, sorted
        self.keep: Callable[[Any], bool] | None = None  # the filter
        self.cursor_row = 0
        self.cursor_col = 0
        self.first_row = 0  # the first row in sight
        self.first_col = self.FROZEN  # the first scrolled column in sight
        self.sort_key: str | None = None
        self.descending = False
        self._cells: dict[Hashable, tuple[Any, list[Text]]] = {}
        self._flex: dict[str, int] = {}

    # --- data ---------------------------------------------------------------------

    def set_rows(self, rows: list[Any]) -> None:
        """Every row anew (new data for some, or the same objects): re-filtered, re-sorted, the cursor on its row."""
        self.rows = rows
        self.arrange()

    def arrange(self) -> None:
        keep = self.current_row
        rows = self.rows if self.keep is None else [r for r in self.rows if self.keep(r)]
        column = self.column_of(self.sort_key)
        if column is not None:
            values = [(column.sort(r), r) for r in rows]
            known = [pair for pair in values if pair[0] is not None]
            known.sort(key=lambda pair: pair[0], reverse=self.descending)
            rows = [r for _v, r in known] + [r for v, r in values if v is None]
        self.shown = rows
        live = {self.key(r) for r in self.rows}
        if len(self._cells) > 2 * len(live) + 64:
            self._cells = {k: v for k, v in self._cells.items() if k in live}
        self._measure()
        if keep is not None:
            wanted = self.key(keep)
            for i, row in enumerate(rows):
                if self.key(row) == wanted:
                    self.cursor_row = i
                    break
        self._clamp()
        self.refresh()
        self.show_title()
        self.status_changed()

    def _measure(self) -> None:
        for column in self.columns:
            if column.flexible:
                longest = max((cell_len(self._text(r, column).plain) for r in self.shown), default=0)
                self._flex[column.key] = max(column.width, longest)

    def column_of(self, key: str | None) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    @property
    def current_row(self) -> Any:
        return self.shown[self.cursor_row] if 0 <= self.cursor_row < len(self.shown) else None

    @property
    def current_column(self) -> Column:
        return self.columns[self.cursor_col]

    def _text(self, row: Any, column: Column) -> Text:
        return self.cells(row)[self.columns.index(column)]

    def cells(self, row: Any) -> list[Text]:
        key = self.key(row)
        cached = self._cells.get(key)
        if cached is None or cached[0] is not row:
            made = []
            for column in self.columns:
                text = column.text(row)
                made.append(text if isinstance(text, Text) else Text(text))
            cached = self._cells[key] = (row, made)
        return cached[1]

    # --- layout -------------------------------------------------------------------

    def widths(self) -> list[int]:
        room = max(12, self.size.width // 3)
        out = []
        for column in self.columns:
            head = cell_len(_(column.header)) + (column.key == self.sort_key)  # (and the sort arrow)
            width = min(self._flex.get(column.key, column.width), room) if column.flexible else column.width
            out.append(max(width, head))
        return out

    def _in_sight(self, widths: list[int]) -> list[int]:
        """The columns on screen: the frozen ones, then from `left` on as far as they fit."""
        width = self.size.width
        out = list(range(min(self.FROZEN, len(self.columns))))
        used = sum(widths[i] + SEPARATOR for i in out)
        for i in range(self.first_col, len(self.columns)):
            if out and used + widths[i] > width:
                break
            out.append(i)
            used += widths[i] + SEPARATOR
        return out

    def _clamp(self) -> None:
        self.cursor_row = max(0, min(self.cursor_row, len(self.shown) - 1))
        page = max(1, self.size.height - 1)
        if self.cursor_row < self.first_row:
            self.first_row = self.cursor_row
        elif self.cursor_row >= self.first_row + page:
            self.first_row = self.cursor_row - page + 1
        self.first_row = max(0, min(self.first_row, max(0, len(self.shown) - page)))
        self.cursor_col = max(0, min(self.cursor_col, len(self.columns) - 1))
        if self.cursor_col >= self.FROZEN:
            widths = self.widths()
            if self.cursor_col < self.first_col:
                self.first_col = self.cursor_col
            while self.first_col < self.cursor_col and self.cursor_col not in self._in_sight(widths):
                self.first_col += 1

    def on_resize(self) -> None:
        self._clamp()

    # --- drawing ------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        widths = self.widths()
        columns = self._in_sight(widths)
        if y == 0:
            return self._header(columns, widths, width, base)
        index = self.first_row + y - 1
        if index >= len(self.shown):
            return Strip.blank(width, base)
        row = self.shown[index]
        cells = self.cells(row)
        on_cursor = index == self.cursor_row
        row_style = base + self.get_component_rich_style("sorted-table--row-cursor") if on_cursor else base
        segments: list[Segment] = []
        for n, i in enumerate(columns):
            if n:
                segments.append(Segment(" " * SEPARATOR, row_style))
            style = row_style
            if on_cursor and i == self.cursor_col:
                style = base + self.get_component_rich_style("sorted-table--cursor")
            segments.extend(self._cell(cells[i], widths[i], self.columns[i].numeric, style))
        return Strip(segments).adjust_cell_length(width, row_style)

    def _cell(self, text: Text, width: int, right: bool, style: Style) -> list[Segment]:
        text = text.copy()
        text.no_wrap = True
        text.end = ""
        if text.cell_len > width:
            text.truncate(width, overflow="ellipsis")
        pad = " " * (width - text.cell_len)
        text = Text(pad) + text if right else text + Text(pad)
        return [Segment(s.text, style + s.style if s.style else style) for s in text.render(self.app.console, end="")]

    def _header(self, columns: list[int], widths: list[int], width: int, base: Style) -> Strip:
        head = base + self.get_component_rich_style("sorted-table--header")
        segments: list[Segment] = []
        for n, i in enumerate(columns):
            column = self.columns[i]
            if n:
                segments.append(Segment(" " * SEPARATOR, head))
            label = _(column.header)
            if column.key == self.sort_key:
                label += DOWN if self.descending else UP
            style = base + self.get_component_rich_style("sorted-table--header-cursor") if i == self.cursor_col else head
            segments.extend(self._cell(Text(label), widths[i], column.numeric, style))
        hidden = columns[-1] < len(self.columns) - 1 if columns else False
        strip = Strip(segments).adjust_cell_length(width, head)
        if hidden and width > 0:
            # more columns to the right: say so at the edge
            strip = strip.crop(0, width - 1).adjust_cell_length(width - 1, head)
            strip = Strip([*strip, Segment("›", head)])
        return strip

    # --- keys -----------------------------------------------------------------------

    def _moved(self) -> None:
        self._clamp()
        self.refresh()
        self.status_changed()

    def action_move(self, step: int) -> None:
        self.cursor_row += step
        self._moved()

    def action_page(self, step: int) -> None:
        self.cursor_row += step * max(1, self.size.height - 2)
        self._moved()

    def action_first(self) -> None:
        self.cursor_row = 0
        self._moved()

    def action_last(self) -> None:
        self.cursor_row = len(self.shown) - 1
        self._moved()

    def action_column(self, step: int) -> None:
        self.cursor_col += step
        self._moved()

    def action_first_column(self) -> None:
        self.cursor_col = 0
        self.first_col = self.FROZEN
        self._moved()

    def action_last_column(self) -> None:
        self.cursor_col = len(self.columns) - 1
        self._moved()

    def action_sort(self) -> None:
        column = self.current_column
        if self.sort_key == column.key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = column.key, column.numeric
        self.arrange()
        if column.numeric:
            order = _("largest first") if self.descending else _("smallest first")
        else:
            order = _("descending") if self.descending else _("ascending")
        self.notify(_("Sorted by {column}, {order}.").format(column=_(column.header), order=order), timeout=2, markup=False)

    def action_select(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    def title(self) -> Text:
        out = super().title()
        for part, style in self.title_parts():
            out.append(" · " + part, style=style)
        sort = self.sorted_by()
        if sort.plain:
            out.append(" · ")
            out.append_text(sort)
        return out

    def title_parts(self) -> list[tuple[str, str]]:
        """What the title says after the pane's name, before the sort: (words, style)."""
        return []

    def sorted_by(self) -> Text:
        column = self.column_of(self.sort_key)
        if column is None:
            return Text("")
        return Text(_("sorted by {column}").format(column=_(column.header)) + (DOWN if self.descending else UP), style="dim")
