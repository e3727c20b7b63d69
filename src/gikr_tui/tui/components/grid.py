"""The Grid pane: table 3 (25 or 23 rows × 7 columns) with table 4 under it.

A keyboard-first DataTable subclass (posting's pattern): every key is a
Binding with an id, and the cursor can jump between failing cells.  Cells are
repainted by diffing what each one shows, so an edit updates only the cells
whose text changed.

A cell is edited in place, the way a spreadsheet does it: the grid keeps the
focus and types into the cell.  An editor widget would move the focus, and
each focus change re-lays the whole screen out (the footer recomposes):
measured, that made Enter take 170 ms to repaint instead of one frame.
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.containers import Lines
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual._segment_tools import line_crop
from textual.cache import LRUCache
from textual.color import Color
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets.data_table import ColumnKey
from textual.widgets import DataTable

from ... import template as T
from ...i18n import N_, _, colon
from ..render import (
    COL_SHORT,
    LABEL_WIDTH,
    T4_FIELD_SHORT,
    T4_GROUP_SHORT,
    T4_TITLE,
    T4_TITLE_SHORT,
    cell,
    fit,
    full_row_label,
    number_text,
    row_label,
    row_labels,
    shown,
)
from ..session import T3, T4, FileState, GridRef
from .pane import Pane
from .steady import SteadyScrollView

T4_HEAD = "t4:head"
LABEL_COL = "label"
# 总计 comes first, frozen beside the labels: however narrow the pane, a row's
# total stays in sight while its parts scroll.
GRID_T3: tuple[str, ...] = ("total", *T.PART_COLS)
GRID_T4: tuple[str, ...] = ("total", *T.T4_PART_FIELDS)


def _cols(table: str) -> tuple[str, ...]:
    return GRID_T3 if table == T3 else GRID_T4
# What a cell editor accepts: digits (both widths), signs, separators and the
# dashes agencies write for "nothing".
CELL_CHAR = re.compile(r"[0-9０-９,，.\-+—–－/／无 ]")
EDIT_CURSOR = "▏"
_NO_STYLE = Style.null()  # what rich's Padding pads with
_NEWLINE = Text("\n")


def _row_key(table: str, row: str) -> str:
    return f"{table}:{row}"


class ReportGrid(Pane, SteadyScrollView, DataTable, inherit_bindings=False):
    _batch = False  # set while repaint() updates cells (class-level: DataTable.__init__ refreshes already)
    _parked = None  # the cursor while no report is shown (class-level: DataTable.__init__ refreshes already)
    PANE, KEY, NAME = "grid", "3", N_("Grid")
    HELP = N_(
        "Table 3 and table 4. ! marks a cell in a failed identity, ? a cell a hint names as its likely cause, "
        "~ an unsure OCR reading, * an edited cell, · a blank cell. "
        "Enter or e edits the cell in place: type digits (or a dash), Backspace deletes, Ctrl+U clears, "
        "Enter applies, Escape cancels; an empty cell is blank. Edits never touch the file."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="grid.up"),
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="grid.down"),
        Binding("left,h", "cursor_left", N_("Left"), show=False, id="grid.left"),
        Binding("right,l", "cursor_right", N_("Right"), show=False, id="grid.right"),
        Binding("g", "scroll_top", N_("Top"), show=False, id="grid.top"),
        Binding("G", "scroll_bottom", N_("Bottom"), show=False, id="grid.bottom"),
        Binding("home,0", "scroll_home", N_("Row start"), show=False, id="grid.row_start"),
        Binding("end,dollar_sign", "scroll_end", N_("Row end"), show=False, id="grid.row_end"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="grid.page_up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="grid.page_down"),
        Binding("enter,e", "app.edit_cell", N_("Edit"), tooltip=N_("Edit the cell: digits, a dash, or empty for blank; Enter applies"), id="grid.edit"),
        Binding("escape", "cancel_edit", N_("Cancel edit"), show=False, tooltip=N_("Leave the cell as it was"), id="grid.cancel_edit"),
        Binding("backspace", "edit_backspace", N_("Delete"), show=False, tooltip=N_("Delete the last character typed (starts an edit of an empty cell)"), id="grid.edit_backspace"),
        Binding("n", "next_failing", N_("Next !"), tooltip=N_("Jump to the next cell marked ! (in a failed identity)"), id="grid.next_failing"),
        Binding("N", "previous_failing", N_("Prev !"), show=False, tooltip=N_("Jump to the previous cell marked !"), id="grid.previous_failing"),
        Binding("u,ctrl+z", "app.undo", N_("Undo"), tooltip=N_("Undo the last edit"), id="grid.undo"),
        Binding("R", "app.revert", N_("Revert"), show=False, tooltip=N_("Drop every edit: back to the file's values"), id="grid.revert"),
        Binding("c", "toggle_computed", N_("Computed"), tooltip=N_("Show what each total's parts add up to (=N)"), id="grid.computed"),
        Binding("y", "app.copy_cell", N_("Copy cell"), show=False, tooltip=N_("Copy the cell to the clipboard (OSC 52)"), id="grid.copy_cell"),
        Binding("Y", "app.copy_table", N_("Copy table"), show=False, tooltip=N_("Copy tables 3 and 4 as TSV (OSC 52)"), id="grid.copy_table"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=False, show_row_labels=False)
        self.editing: GridRef | None = None
        self.typed = ""
        self._rendered: LRUCache[tuple, object] = LRUCache(4096)
        self._text_segments: LRUCache[tuple, list] = LRUCache(4096)  # a cell text's segments (_one_line_cell)
        self._lines: LRUCache[tuple, object] = LRUCache(1024)
        self._row_style_cache: dict[tuple, tuple[Style, Style, Style]] = {}
        self._widths: tuple[int, ...] = ()
        self._replace = False  # the first character typed replaces the whole value
        self.fixed_columns = 2  # the labels and 总计
        self._cell_width: dict[tuple[str, str], int] = {}  # (row key, col key) -> cells its text takes
        self.state: FileState | None = None
        self.file_name = ""
        self.show_computed = False
        self._refs: list[GridRef | None] = []  # row index -> table/row, per data column below
        self._shown: dict[tuple[str, str], str] = {}  # (row key, col key) -> plain text + style, for diffing
        self._failing: set[GridRef] = set()
        self._hinted: set[GridRef] = set()
        self.label_width = LABEL_WIDTH
        self.add_column(Text("表三 / 表四"), key=LABEL_COL, width=LABEL_WIDTH)
        for col in GRID_T3:
            self.add_column(Text(COL_SHORT[col], justify="right"), key=col)

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        # the label column is not a cell: the cursor lives on values only;
        # table 4 has five values a row, the columns past them are empty
        value = super().validate_cursor_coordinate(value)
        if value.column == 0 and len(self.columns) > 1:
            value = Coordinate(value.row, 1)
        if 0 <= value.row < len(self._refs):
            base = self._refs[value.row]
            if base is not None and base[0] == T4 and value.column > len(GRID_T4):
                value = Coordinate(value.row, len(GRID_T4))
        return value

    # --- rendering ----------------------------------------------------------------

    def _render_cell(self, row_index, column_index, base_style, width, cursor=False, hover=False):
        # DataTable keys its cell cache by a counter that every update_cell
        # bumps, so one edit re-rendered all 260 cells through Rich (26 ms, most
        # of a repaint).  Keyed by what the cell shows, only changed cells render.
        key = (
            self._looks(row_index, column_index), column_index, base_style, width, cursor, hover,
            self._show_hover_cursor, self._pseudo_class_state, self.show_cursor,
        )
        lines = self._rendered.get(key)
        if lines is None:
            lines = self._one_line_cell(row_index, column_index, base_style, width, cursor, hover)
            if lines is None:
                lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
            self._rendered[key] = lines
        return lines

    def _one_line_cell(self, row_index, column_index, base_style, width, cursor, hover):
        """A body cell holding one line of Text, as DataTable renders it (its style sandwich:
        the cell's styles between the table's and the cursor's, padded each side), built from
        segments: Rich's general path (Styled, Padding, two passes of render_lines) took ~0.1 ms
        a cell, and opening a report draws some 200 new cells while keys wait.  None for any
        other cell (DataTable renders it).  A test holds it equal to DataTable's, cell by cell.

        Without DataTable's mouse meta (the cell's row and column in its style): a cell is then
        the same wherever it stands, so "0" in column 3 is built once for every row showing it,
        and the mouse's cell is found from where it points (`_mouse_cell`)."""
        if row_index < 0 or column_index < 0:
            return None
        row_key = self._row_locations.get_key(row_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if row is None or row.height != 1:
            return None
        cells = self._get_row_renderables(row_index).cells
        if column_index >= len(cells):
            return None
        text = cells[column_index]
        if type(text) is not Text or "\n" in text.plain or "\t" in text.plain or text.end != "":
            return None
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, column_index < self.fixed_columns or row_index < self.fixed_rows, hover, cursor,
            self.show_cursor, self._show_hover_cursor, self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + component_style
        pad = self.cell_padding
        inner = width - 2 * pad
        if inner <= 0:
            return None
        options = self.app.console_options
        justify = text.justify or options.justify or "default"
        overflow = text.overflow or options.overflow or "fold"
        # The text's own segments depend on what it says and its room alone, not on its row or
        # column (those come with pre_style, the mouse's meta): a grid of 260 cells holds a few
        # dozen texts ("0" in most), so the first report drawn renders those few.
        shape = (text.plain, text.style, tuple(text.spans), justify, overflow, inner)
        cropped = self._text_segments.get(shape)
        if cropped is None:
            console = self.app.console
            # (Text.wrap's steps for one line that does not wrap, without its copies and joins)
            line = text.copy()
            if overflow != "ignore":
                if justify:
                    Lines([line]).justify(console, inner, justify=justify, overflow=overflow)
                line.truncate(inner, overflow=overflow)
            # (joined as Text renders itself: the line's own style becomes a span, which render() keeps)
            (cropped,) = Segment.split_and_crop_lines(_NEWLINE.join([line]).render(console, end=""), inner, pad=True,
                                                      style=_NO_STYLE)
            self._text_segments[shape] = cropped
        space = Segment(" " * pad, _NO_STYLE)
        segments = [space, *cropped, space] if pad else cropped
        return [list(Segment.apply_style(segments, pre_style, post_style))]

    def render_lines(self, crop):
        self._widths = tuple(column.get_render_width(self) for column in self.ordered_columns)
        return super().render_lines(crop)

    def _render_line(self, y, x1, x2, base_style):
        # The same counter keys DataTable's line cache: after an edit every line
        # was rebuilt.  Keyed by what the row's cells look like (its label, which
        # names the row, among them), only changed rows are.
        # (Every row here is one line high, under a one-line header.)
        row = y - 1 if self.show_header else y
        if row < 0 or row >= len(self._refs):
            return super()._render_line(y, x1, x2, base_style)
        if len(self._widths) != len(self.columns):  # (a line asked for outside render_lines)
            self._widths = tuple(column.get_render_width(self) for column in self.ordered_columns)
        cursor, hover = self.cursor_coordinate, self.hover_coordinate
        key = (
            tuple(self._looks(row, c) for c in range(len(self._widths))), x1, x2, self.size.width, self._widths,
            cursor.row == row, cursor.column, hover.row == row, hover.column, base_style,
            self.cursor_type, self.show_cursor, self._show_hover_cursor, self._pseudo_class_state,
        )
        strip = self._lines.get(key)
        if strip is None:
            strip = self._body_line(row, x1, x2, base_style)
            self._lines[key] = strip
        return strip

    def _body_line(self, row: int, x1: int, x2: int, base_style: Style) -> Strip:
        """A body row's line, as DataTable lays it out (the frozen columns, then the others
        scrolled by x1, then the row's style to the pane's edge), without its per-row work:
        the component styles of the header and the frozen columns it looked up for each line
        (~0.2 ms a row, through every ancestor's background), the frozen columns rendered twice,
        the mouse meta of the row's end."""
        if self.cursor_type != "cell" or self.zebra_stripes or self.fixed_rows or self.show_row_labels:
            return super()._render_line(row + 1 if self.show_header else row, x1, x2, base_style)
        widths, fixed = self._widths, self.fixed_columns
        fixed_style, row_style, extend_style = self._row_styles(base_style)
        cursor, hover = self.cursor_coordinate, self.hover_coordinate
        cells = [
            self._render_cell(row, c, fixed_style if c < fixed else row_style, w,
                              cursor=cursor.row == row and cursor.column == c,
                              hover=hover.row == row and hover.column == c)[0]
            for c, w in enumerate(widths)
        ]
        width = self.size.width
        fixed_width = sum(widths[:fixed])
        table_width = sum(widths[fixed:])  # (DataTable's sum: the columns it scrolls, the frozen ones not counted)
        room = max(0, width - table_width)  # the row's style to the pane's edge
        scrollable = [segment for line in cells[fixed:] for segment in line]
        scrollable.append(Segment(" " * room, extend_style))
        segments = [segment for line in cells[:fixed] for segment in line]
        segments += line_crop(scrollable, x1, x2 - fixed_width, table_width + room)
        return Strip(segments).adjust_cell_length(width, base_style).simplify()

    def _row_styles(self, base_style: Style) -> tuple[Style, Style, Style]:
        """The frozen columns', a row's and the row's end's styles (DataTable's), once per
        pseudo-class state and theme rather than once per line."""
        key = (base_style, self._pseudo_class_state)
        styles = self._row_style_cache.get(key)
        if styles is None:
            # (without the {"fixed": True} meta DataTable adds: nothing reads it)
            fixed_style = self.get_component_styles("datatable--fixed").rich_style
            row_style = self._get_row_style(0, base_style)
            if row_style.bgcolor is not None:
                faded = Color.from_rich_color(row_style.bgcolor).blend(self.background_colors[1], factor=0.25)
                extend_style = Style.from_color(color=row_style.color, bgcolor=faded.rich_color)
            else:
                extend_style = Style.from_color(row_style.color, row_style.bgcolor)
            styles = self._row_style_cache[key] = (fixed_style, row_style, extend_style)
        return styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_style_cache.clear()  # (the component styles may have changed)

    # --- the mouse: its cell from where it points -------------------------------

    def _mouse_cell(self, event: events.MouseEvent) -> None:
        """Give a mouse event over a body cell DataTable's meta (row, column): the cells here
        carry none (see `_one_line_cell`), and one DataTable rendered is cached by how it looks,
        so its meta may name another row."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        header = self.header_height if self.show_header else 0
        if offset.y < header:
            return  # the header: DataTable's own meta
        row = offset.y - header + int(self.scroll_y)
        if not 0 <= row < len(self._refs):
            return
        widths, fixed = self._widths, self.fixed_columns
        fixed_width = sum(widths[:fixed])
        x = offset.x if offset.x < fixed_width else offset.x + int(self.scroll_x)
        start = 0
        for column, width in enumerate(widths):
            if start <= x < start + width:
                event.style = event.style + Style.from_meta({"row": row, "column": column})
                return
            start += width

    async def _on_click(self, event: events.Click) -> None:
        self._mouse_cell(event)
        await super()._on_click(event)

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._mouse_cell(event)
        super()._on_mouse_move(event)

    def _looks(self, row_index: int, column_index: int) -> str:
        """What a cell looks like, as a cache key: a value cell's text and styles (wherever it
        stands: cells carry no mouse meta), or what fixes them (a label: its row)."""
        if row_index < 0:
            return "head"
        if row_index >= len(self._refs):
            return f"row {row_index}"  # not laid out by show_state: never cached across contents
        base = self._refs[row_index]
        if base is None:
            return T4_HEAD if column_index else "t4 label"  # the table-4 heading row never changes
        table, row, _ = base
        key = _row_key(table, row)
        if column_index == 0:
            return key  # a row's label depends on its key alone
        cols = _cols(table)
        if column_index - 1 >= len(cols):
            return "empty"
        return self._shown[(key, cols[column_index - 1])]

    # --- the pane: title, bottom line -------------------------------------------

    def title(self) -> Text:
        out = super().title()
        if self.file_name:
            out.append(" · ")
            out.append(self.file_name)
        report = self.state.report if self.state is not None else None
        if report is not None:
            # the year the report covers; the template vintage is in the bottom line
            out.append(f" · {report.year}" if report.year else " · " + _("template {template}").format(template=report.template))
        return out

    def reveal(self) -> str | None:
        super().reveal()
        if self.display:
            return None
        from ..render import status_words

        return status_words(self.state) if self.state is not None else _("no report selected")

    def watch_cursor_coordinate(self, old: Coordinate, value: Coordinate) -> None:
        super().watch_cursor_coordinate(old, value)
        self.status_changed()

    def status(self) -> list[Text]:
        state = self.state
        ref = self.cursor_ref
        if state is None or ref is None:
            return [Text(_("table 4: 行政复议 / 行政诉讼") if state is not None else "", style="dim")]
        table, row, col = ref
        if table == T3:
            where = _("{row} / {col}").format(row=full_row_label(row), col=T.COL_LABELS[col])
        else:
            where = _("{row} / {col}").format(row=T.T4_GROUP_LABELS[row], col=T.T4_FIELD_LABELS[col])
        if self.editing == ref:
            head = Text.assemble((_("editing") + " ", "bold yellow"), (where, "bold"), " = ", (self.typed or _("(blank)"), "bold"))
            keys = (_("Enter applies"), _("Esc cancels"), _("Backspace deletes"), _("Ctrl+U clears"))
            return [head, *(Text(k, style="dim") for k in keys)]
        value = state.value(ref)
        head = Text.assemble((where, "bold"), colon())
        if value is None or value.blank:
            head.append(_("blank"), style="dim")
        elif value.number is None:
            head.append(_("“{text}” (no number, counts as 0)").format(text=shown(value.text)))
        else:
            head.append(shown(value.text))
        # most telling first: the line shows whole phrases only, as many as fit
        bits: list[str] = []
        original = state.original_value(ref)
        if state.is_edited(ref):
            was = _("blank") if original is None or original.blank else shown(original.text)
            bits.append(_("edited (file: {value})").format(value=was))
        if ref in self._hinted:
            bits.append(_("a hint names it as the likely cause (?)"))
        elif ref in self._failing:
            bits.append(_("in a failed identity (!)"))
        computed = state.computed(ref)
        if computed is not None:
            bits.append(_("parts sum to {sum}").format(sum=number_text(computed)))
        origin = (value.origin if value is not None else None) or (original.origin if original else None)
        bits.append(_("from {where}").format(where=origin.describe()) if origin is not None else _("not found in the file"))
        confidence = value.confidence if value is not None and not state.is_edited(ref) else None
        if confidence is not None:
            bits.append(_("read by OCR, confidence {confidence:.2f}").format(confidence=confidence))
        note = (value.note if value is not None else None) or (original.note if original else None)
        if note:
            bits.append(_("note: {note}").format(note=shown(note)))
        return [head, *(Text(b, style="dim") for b in bits)]

    # --- layout of rows ----------------------------------------------------

    def ref_at(self, coordinate: Coordinate) -> GridRef | None:
        """The report cell under a coordinate; None for labels and the table-4 heading."""
        if coordinate.column == 0 or not (0 <= coordinate.row < len(self._refs)):
            return None
        base = self._refs[coordinate.row]
        if base is None:
            return None
        table, row, _ = base
        cols = _cols(table)
        return (table, row, cols[coordinate.column - 1]) if coordinate.column - 1 < len(cols) else None

    def coordinate_of(self, ref: GridRef) -> Coordinate | None:
        table, row, col = ref
        for i, base in enumerate(self._refs):
            if base is not None and base[0] == table and base[1] == row:
                cols = _cols(table)
                if col in cols:
                    return Coordinate(i, cols.index(col) + 1)
        return None

    @property
    def cursor_ref(self) -> GridRef | None:
        return self.ref_at(self.cursor_coordinate)

    def show_state(self, state: FileState | None, file_name: str = "", *, reading: bool = False) -> None:
        """Lay the grid out for another file (or none); `reading`: the file's report is being read.

        Another report of the same template (the same rows) fills the rows in place, and while
        a report is read its rows stay, emptied: rows cleared and added again re-laid the whole
        screen out and redrew every row, twice for each key that opened a report.
        """
        self.editing = None
        report = state.report if state is not None else None
        if self._refs and ((report is None and reading) or (report is not None and self._refs == self._layout_of(report.template))):
            self.state, self.file_name = (state if report is not None else None), file_name
            self.show_title()
            self.repaint()
            self.status_changed()
            return
        # (a file shown without tables, or while its report is read, keeps the cell for the next)
        keep = self._parked if self._parked is not None else self.cursor_coordinate
        self._parked = None
        self.state = state
        self.file_name = file_name
        self.clear()
        for column in self.ordered_columns:
            # (DataTable's clear keeps each column as wide as any report shown before: sized again
            # from its header, the rows added widen it to this report's cells, as a report of the
            # same template filled in place does)
            if column.auto_width:
                column.content_width = _text_width(column.label)
        self._refs = []
        self._shown = {}
        self._cell_width = {}
        self._failing, self._hinted = set(), set()
        self.show_title()
        report = state.report if state is not None else None
        if report is None:
            self._parked = keep
            self.status_changed()
            return
        self._failing, self._hinted = state.failing(), state.hinted()
        rows = [(row, self._t3_cells(row)) for row in T.rows_for(report.template)]
        groups = [(group, self._t4_cells(group)) for group in T.T4_GROUPS]
        self._set_label_width(self._label_room())
        width = self.label_width
        for row, cells in rows:
            self.add_row(row_label(row, width), *cells, key=_row_key(T3, row))
            self._refs.append((T3, row, ""))
        heads = [Text(T4_FIELD_SHORT[f], style="bold", justify="right") for f in GRID_T4]
        self.add_row(self._t4_label(None), *heads, Text(""), Text(""), key=T4_HEAD)
        self._refs.append(None)
        for group, cells in groups:
            self.add_row(self._t4_label(group), *cells, key=_row_key(T4, group))
            self._refs.append((T4, group, ""))
        if self.is_valid_coordinate(keep):
            self.cursor_coordinate = keep
        # a grid that was empty (its report being read) gets its scrollbar with these rows: fit again then
        self.call_after_refresh(self._fit_labels)
        self.status_changed()

    @staticmethod
    def _layout_of(template: int) -> list[GridRef | None]:
        """What each row shows for a template: table 3's rows, the table-4 heading (None), table 4's."""
        return [*((T3, row, "") for row in T.rows_for(template)), None, *((T4, group, "") for group in T.T4_GROUPS)]

    def _render(self, ref: GridRef) -> Text:
        if self.state is None or self.state.report is None:
            return Text("")  # (its report being read: nothing claimed of it)
        if ref == self.editing:
            typed = Text(justify="right", no_wrap=True, end="")
            typed.append(self.typed, style="reverse" if self._replace else "bold")
            typed.append(EDIT_CURSOR, style="bold")
            return typed
        return cell(
            self.state.value(ref),
            failing=ref in self._failing,
            edited=self.state.is_edited(ref),
            computed=self.state.computed(ref) if self.show_computed else None,
            hinted=ref in self._hinted,
        )

    def _cells(self, table: str, row: str) -> list[Text]:
        out = []
        key = _row_key(table, row)
        for col in _cols(table):
            text = self._render((table, row, col))
            self._shown[(key, col)] = _signature(text)
            self._cell_width[(key, col)] = text.cell_len
            out.append(text)
        return out

    def _t3_cells(self, row: str) -> list[Text]:
        return self._cells(T3, row)

    def _t4_cells(self, group: str) -> list[Text]:
        return [*self._cells(T4, group), Text(""), Text("")]

    # --- the label column: as wide as the pane allows ---------------------------------

    def _label_room(self) -> int:
        """Cells left for labels once every value column has its width."""
        values = [
            max([cell_len(COL_SHORT[col]), *(w for (_, c), w in self._cell_width.items() if c == col)])
            for col in GRID_T3
        ]
        room = self.scrollable_content_region.width - sum(w + 2 * self.cell_padding for w in values)
        return room - 2 * self.cell_padding

    def _set_label_width(self, room: int) -> bool:
        """Labels as wide as they need, within `room` (at least LABEL_WIDTH); True if it changed."""
        report = self.state.report if self.state is not None else None
        rows = T.rows_for(report.template) if report is not None else ()
        longest_label = max(
            [LABEL_WIDTH, *(cell_len(row_labels(r)[0]) for r in rows), cell_len(T4_TITLE),
             *(cell_len(T.T4_GROUP_LABELS[g]) for g in T.T4_GROUPS)]
        )
        width = max(LABEL_WIDTH, min(room, longest_label))
        if width == self.label_width:
            return False
        self.label_width = width
        self.columns[ColumnKey(LABEL_COL)].width = width
        self._require_update_dimensions = True
        return True

    def _t4_label(self, group: str | None) -> Text:
        width = self.label_width
        if group is None:
            return fit(T4_TITLE if cell_len(T4_TITLE) <= width else T4_TITLE_SHORT, width, "bold")
        full = T.T4_GROUP_LABELS[group]
        return fit(full if cell_len(full) <= width else T4_GROUP_SHORT[group], width)

    def _fit_labels(self) -> None:
        """Re-fit the labels to the room there is now (a resize, or values grew)."""
        if not self._refs or not self._set_label_width(self._label_room()):
            return
        for base in self._refs:
            if base is None:
                self.update_cell(T4_HEAD, LABEL_COL, self._t4_label(None))
            elif base[0] == T3:
                self.update_cell(_row_key(T3, base[1]), LABEL_COL, row_label(base[1], self.label_width))
            else:
                self.update_cell(_row_key(T4, base[1]), LABEL_COL, self._t4_label(base[1]))

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_labels)

    def repaint(self, only: GridRef | None = None) -> None:
        """Update the cells whose text or style changed.

        `only`: the one cell that can have changed (typing in it edits nothing yet).
        """
        report = self.state.report if self.state is not None else None
        if not self._refs or (report is None and only is not None):
            return
        if only is None:
            self._failing, self._hinted = (self.state.failing(), self.state.hinted()) if report is not None else (set(), set())
            cells = [
                (index, (base[0], base[1], col), i)
                for index, base in enumerate(self._refs) if base is not None
                for i, col in enumerate(_cols(base[0]))
            ]
        else:
            where = self.coordinate_of(only)
            cells = [] if where is None else [(where.row, only, where.column - 1)]
        rows: set[int] = set()
        resized: set[str] = set()  # the columns where a cell's width changed
        self._batch = True  # update_cell repaints the whole table each time: the changed rows are enough
        try:
            for index, ref, i in cells:
                text = self._render(ref)
                sig = _signature(text)
                key = (_row_key(ref[0], ref[1]), ref[2])
                if self._shown.get(key) != sig:
                    self._shown[key] = sig
                    if self._cell_width.get(key) != text.cell_len:
                        resized.add(GRID_T3[i])
                    self._cell_width[key] = text.cell_len
                    # (not update_width: see _fit_columns)
                    self.update_cell(key[0], GRID_T3[i], text)
                    rows.add(index)
        finally:
            self._batch = False
        # (emptied while a report is read, the columns keep their widths for it)
        widened = bool(resized) and report is not None and self._fit_columns(resized)
        if widened:
            self.refresh()  # every column right of a changed one moved: each row is drawn again
        else:
            for index in rows:
                self.refresh_row(index)
        if resized and only is None and report is not None:
            self._fit_labels()  # values widened or narrowed: the labels get what is left

    def _fit_columns(self, columns: set[str]) -> bool:
        """Each of `columns` as wide as its widest cell or its header, as DataTable's
        update_cell(update_width=True) makes it; True if any width changed.

        DataTable measures a column again on idle for every narrower cell, each cell of the column
        through Rich's measure (a console's options each time): a key that opened another report
        of the same template spent ~20 ms of its ~40 there (measured at 120x40), most widths unchanged. A cell
        here is Text (measured as Text measures itself: its widest line), so this is its cells'
        plain text. (DataTable's private `columns`/`_data` layout is Textual 8's; the grid's tests
        hold the widths equal to DataTable's own.)"""
        changed = False
        for name in columns:
            column = self.columns.get(ColumnKey(name))
            if column is None or not column.auto_width:
                continue
            width = max(_text_width(column.label), self._widest(column.key, self._data.values()))
            if width != column.content_width:
                column.content_width = width
                changed = True
        if changed:
            self._require_update_dimensions = True  # the virtual size, on idle (DataTable's own step)
        return changed

    def _update_dimensions(self, new_rows) -> None:
        """DataTable's, with the new rows' columns widened from their cells' text (as _fit_columns):
        it measured each new cell through Rich, ~230 for a report of another template, ~4 ms of a
        key. Rows it sizes by rendering (a label, a height other than 1) and cells other than Text
        (a str may be markup) are left to it. (Textual 8's private step: the grid's tests hold the widths equal to
        DataTable's own.)"""
        rows = [self.rows[key] for key in new_rows if key in self.rows and key in self._row_locations]
        if rows and all(row.height == 1 and row.label is None and not row.auto_height
                        and all(type(cell) is Text for cell in self._data[row.key].values()) for row in rows):
            cells = [self._data[row.key] for row in rows]
            for column in self.ordered_columns:
                column.content_width = max(column.content_width, self._widest(column.key, cells))
            new_rows = ()
        super()._update_dimensions(new_rows)

    @staticmethod
    def _widest(key: ColumnKey, rows) -> int:
        """The widest of `rows`' cells in column `key` (each row: DataTable's column key -> Text)."""
        return max((_text_width(row[key]) for row in rows if key in row), default=0)

    def refresh(self, *regions, repaint=True, layout=False, recompose=False):
        if self._batch and not (regions or layout or recompose):
            return self
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    # --- actions -------------------------------------------------------------

    def _failing_coordinates(self) -> list[Coordinate]:
        if self.state is None:
            return []
        coords = [self.coordinate_of(ref) for ref in self.state.failing()]
        return sorted(c for c in coords if c is not None)

    def action_next_failing(self) -> None:
        self._jump(+1)

    def action_previous_failing(self) -> None:
        self._jump(-1)

    def _jump(self, step: int) -> None:
        coords = self._failing_coordinates()
        if not coords:
            self.app.bell()
            self.notify(_("No failing cells in this report."), timeout=2, markup=False)
            return
        here = self.cursor_coordinate
        if step > 0:
            target = next((c for c in coords if c > here), coords[0])
        else:
            target = next((c for c in reversed(coords) if c < here), coords[-1])
        self.cursor_coordinate = target

    def action_toggle_computed(self) -> None:
        self.show_computed = not self.show_computed
        self.repaint()
        self.notify(
            _("Showing computed sums beside totals (=N).") if self.show_computed else _("Computed sums hidden."),
            timeout=2,
            markup=False,
        )

    # --- editing in place ---------------------------------------------------------

    def start_edit(self, ref: GridRef, text: str, replace: bool = True) -> None:
        self.editing, self.typed, self._replace = ref, text, replace
        self._edit_changed(ref)

    def stop_edit(self) -> None:
        """Leave edit mode; the caller repaints and updates the status line once it has
        applied or dropped what was typed (a message here would cost another frame)."""
        self.editing = None

    def _edit_changed(self, ref: GridRef) -> None:
        self.repaint(only=ref)
        self.status_changed()

    def action_cancel_edit(self) -> None:
        ref = self.editing
        if ref is not None:
            self.stop_edit()
            self._edit_changed(ref)

    def action_edit_backspace(self) -> None:
        if self.editing is None:
            ref = self.cursor_ref
            if ref is not None and self.state is not None and self.state.report is not None:
                self.start_edit(ref, "", replace=False)
            return
        self.typed = "" if self._replace else self.typed[:-1]
        self._replace = False
        self._edit_changed(self.editing)

    async def on_key(self, event: events.Key) -> None:
        """While editing, characters go into the cell and nothing else fires."""
        if self.editing is None or event.key in ("escape", "backspace"):
            return  # those are bindings: cancel, delete
        event.stop()
        event.prevent_default()
        if event.key == "enter":
            # Enter applies whichever key opened the editor (a keymap may move that one)
            await self.run_action("app.edit_cell")
            return
        if event.key == "ctrl+u":
            self.typed, self._replace = "", False
        elif event.character and len(event.character) == 1 and CELL_CHAR.fullmatch(event.character):
            self.typed = event.character if self._replace else self.typed + event.character
            self._replace = False
        else:
            self.app.bell()
            return
        self._edit_changed(self.editing)

    def on_blur(self) -> None:
        self.action_cancel_edit()  # a click elsewhere: what was typed is dropped, as Escape would

    def on_data_table_cell_highlighted(self) -> None:
        # keys cannot move the cursor while editing, a click can: the edit stays with its cell
        if self.editing is not None and self.cursor_ref != self.editing:
            self.action_cancel_edit()

    def to_tsv(self) -> str:
        """Table 3 then table 4 as tab-separated text, blanks empty, labels in full."""
        if self.state is None or self.state.report is None:
            return ""
        lines = ["\t".join(["", *(T.COL_LABELS[c] for c in T.COLS)])]
        for row in T.rows_for(self.state.report.template):
            vals = [_plain(self.state.value((T3, row, c))) for c in T.COLS]
            lines.append("\t".join([T.ROW_SPECS[row].label, *vals]))
        lines.append("")
        lines.append("\t".join(["", *(T.T4_FIELD_LABELS[f] for f in T.T4_FIELDS)]))
        for group in T.T4_GROUPS:
            vals = [_plain(self.state.value((T4, group, f))) for f in T.T4_FIELDS]
            lines.append("\t".join([T.T4_GROUP_LABELS[group], *vals]))
        return "\n".join(lines) + "\n"


def _text_width(text: Text) -> int:
    """The cells a Text takes as DataTable measures a one-row cell (Text's widest line)."""
    return max((cell_len(line) for line in text.plain.splitlines()), default=0)


def _plain(value) -> str:
    return "" if value is None else value.text


def _signature(text: Text) -> str:
    return text.plain + "|" + "|".join(f"{s.start}:{s.end}:{s.style}" for s in text.spans)
