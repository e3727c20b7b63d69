"""The compare screen's Tables pane: tables 2–4 of two reports, cell by cell.

A cell that did not change shows its value; one that did shows `a→b` in
bold (the arrow reads without colour too), and its row's label starts with
`*`, as `gikr compare` marks it.  Each table starts with a heading row that
names its columns (table 2's rows have columns of their own, so a heading
row comes wherever they change).  The label and the first value column stay
in sight while the others scroll; the bottom line gives the cursor's cell in
full: both years' values and the change.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from ... import template as T
from ...checks.finding import signed
from ...i18n import N_, _, ngettext
from ..render import COL_SHORT, LABEL_WIDTH, T4_FIELD_SHORT, T4_GROUP_SHORT, fit, full_row_label, row_label
from .pane import Pane

WIDEST = 7  # value columns: table 3's seven
TABLE_NAMES = {2: "表二", 3: "表三", 4: "表四"}
# table 2's columns, short enough for the grid (the bottom line names them in full)
T2_FIELD_SHORT = {
    "issued": "制发", "repealed": "废止", "in_force": "现行有效", "new_made": "新制作", "new_published": "新公开",
    "total_published": "公开总数", "previous_count": "上年数量", "change": "增/减", "decisions": "处理决定",
    "projects": "采购项目", "amount": "金额",
}
# the first value column is the total, as in the main grid
T3_ORDER = ("total", *T.PART_COLS)
T4_ORDER = ("total", *T.T4_PART_FIELDS)

Place = tuple[int, str, str]  # (table, row or group, column or field)


def _side(value, text: str | None) -> str:
    from ...output.compare_table import side_text

    shown = side_text(value, text)
    return shown or "·"


class CompareGrid(Pane, DataTable, inherit_bindings=False):
    PANE, KEY, NAME = "tables", "1", N_("Tables")
    HELP = N_(
        "Tables 2, 3 and 4 of both reports, cell by cell: a changed cell shows a→b (the first report's value, then the "
        "second's) and its row is marked *; · is a blank. A blank against a 0 shows dim, ·→0, and is not counted as a "
        "change (the two usually mean the same). n and N go to the next and previous changed cell; the bottom "
        "line gives the cell in full, with the change."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", N_("Up"), show=False, id="compare_grid.up"),
        Binding("down,j", "cursor_down", N_("Down"), show=False, id="compare_grid.down"),
        Binding("left,h", "cursor_left", N_("Left"), show=False, id="compare_grid.left"),
        Binding("right,l", "cursor_right", N_("Right"), show=False, id="compare_grid.right"),
        Binding("g", "scroll_top", N_("Top"), show=False, id="compare_grid.top"),
        Binding("G", "scroll_bottom", N_("Bottom"), show=False, id="compare_grid.bottom"),
        Binding("home,0", "scroll_home", N_("Row start"), show=False, id="compare_grid.row_start"),
        Binding("end,dollar_sign", "scroll_end", N_("Row end"), show=False, id="compare_grid.row_end"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="compare_grid.page_up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="compare_grid.page_down"),
        Binding("n", "next_change(1)", N_("Next change"), tooltip=N_("The next cell that changed"), id="compare_grid.next_change"),
        Binding("N", "next_change(-1)", N_("Previous change"), show=False, tooltip=N_("The previous cell that changed"), id="compare_grid.previous_change"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="cell", zebra_stripes=False, show_header=False, show_row_labels=False)
        self.fixed_columns = 2  # the labels and the first value
        self.comparison: Any = None
        self.places: list[list[Place | None]] = []  # per row, per value column: the cell it shows
        self.tables: list[int] = []  # per row: its table
        self.changed = 0
        self.years: tuple[str, str] = ("a", "b")

    def show_comparison(self, comparison) -> None:
        self.comparison = comparison
        a, b = comparison.a.report, comparison.b.report
        self.years = (str(a.year) if a and a.year else _("A"), str(b.year) if b and b.year else _("B"))
        self.clear(columns=True)
        self.add_column(Text(""), key="label", width=LABEL_WIDTH + 1)  # (and the * of a changed row)
        for i in range(WIDEST):
            self.add_column(Text(""), key=f"c{i}")
        self.places, self.tables = [], []
        self.changed = 0
        for diff in comparison.tables:
            self._table(diff)
        self.show_title()
        first = self.next_change_after(Coordinate(0, 0))
        self.cursor_coordinate = first or Coordinate(0, 1)

    def _heading(self, table: int, label: str, heads: list[str]) -> None:
        cells = [Text(h, style="bold", justify="right") for h in heads] + [Text("")] * (WIDEST - len(heads))
        self.add_row(Text(label, style="bold underline"), *cells)
        self.places.append([None] * WIDEST)
        self.tables.append(table)

    def _table(self, diff) -> None:
        table = diff.table
        name = TABLE_NAMES[table]
        if not diff.rows:
            self._heading(table, name, [_("(in neither report)")])
            return
        last_fields: tuple[str, ...] | None = None
        for row, cols in diff.rows.items():
            if table == 3:
                fields: tuple[str, ...] = T3_ORDER
                heads = [COL_SHORT[c] for c in fields]
                label = row_label(row)
            elif table == 4:
                fields = T4_ORDER
                heads = [T4_FIELD_SHORT[f] for f in fields]
                label = fit(T4_GROUP_SHORT.get(row, row), LABEL_WIDTH)
            else:
                fields = tuple(cols)
                heads = [T2_FIELD_SHORT.get(f, T.T2_FIELD_LABELS.get(f, f)) for f in fields]
                label = fit(T.T2_ROW_LABELS.get(row, row), LABEL_WIDTH)
            if fields != last_fields:
                self._heading(table, name if last_fields is None else "", heads)
                last_fields = fields
            changed = any(c.changed for c in cols.values())
            self.changed += sum(c.changed for c in cols.values())
            mark = Text("*" if changed else " ", style="bold yellow")
            cells = [self._cell(cols.get(f)) for f in fields] + [Text("")] * (WIDEST - len(fields))
            self.add_row(mark + label, *cells)
            self.places.append([(table, row, f) for f in fields] + [None] * (WIDEST - len(fields)))
            self.tables.append(table)

    @staticmethod
    def _cell(cell) -> Text:
        if cell is None:
            return Text("")
        b = _side(cell.b, cell.b_text)
        if cell.blank_vs_zero:  # shown, not counted: a blank and a 0 usually mean the same
            return Text(f"{_side(cell.a, cell.a_text)}→{b}", style="dim", justify="right")
        if not cell.changed:
            return Text(b, style="dim" if b == "·" else "", justify="right")
        return Text(f"{_side(cell.a, cell.a_text)}→{b}", style="bold yellow", justify="right")

    # --- where things are ------------------------------------------------------------

    def place_at(self, coordinate: Coordinate) -> Place | None:
        row, column = coordinate.row, coordinate.column - 1
        if 0 <= row < len(self.places) and 0 <= column < WIDEST:
            return self.places[row][column]
        return None

    def cell_of(self, place: Place):
        table, row, col = place
        for diff in self.comparison.tables if self.comparison is not None else []:
            if diff.table == table:
                return diff.rows.get(row, {}).get(col)
        return None

    def coordinate_of(self, place: Place) -> Coordinate | None:
        for i, places in enumerate(self.places):
            if place in places:
                return Coordinate(i, places.index(place) + 1)
        return None

    def _changes(self) -> list[Coordinate]:
        out = []
        for i, places in enumerate(self.places):
            for j, place in enumerate(places):
                if place is not None and (cell := self.cell_of(place)) is not None and cell.changed:
                    out.append(Coordinate(i, j + 1))
        return out

    def next_change_after(self, here: Coordinate, step: int = 1) -> Coordinate | None:
        changes = self._changes()
        if not changes:
            return None
        if step > 0:
            return next((c for c in changes if c > here), changes[0])
        return next((c for c in reversed(changes) if c < here), changes[-1])

    def action_next_change(self, step: int) -> None:
        target = self.next_change_after(self.cursor_coordinate, step)
        if target is None:
            self.app.bell()
            self.notify(_("No cell changed."), timeout=2, markup=False)
            return
        self.cursor_coordinate = target

    def validate_cursor_coordinate(self, value: Coordinate) -> Coordinate:
        value = super().validate_cursor_coordinate(value)
        if value.column == 0 and len(self.columns) > 1:
            value = Coordinate(value.row, 1)  # the labels are no cells
        return value

    # --- the pane -------------------------------------------------------------------------

    def title(self) -> Text:
        out = super().title()
        if self.comparison is not None:
            out.append(" · " + ngettext("{n} cell changed", "{n} cells changed", self.changed).format(n=self.changed))
        return out

    def watch_cursor_coordinate(self, old: Coordinate, value: Coordinate) -> None:
        super().watch_cursor_coordinate(old, value)
        self.status_changed()

    def status(self) -> list[Text]:
        if self.comparison is None:
            return []
        place = self.place_at(self.cursor_coordinate)
        row = self.cursor_coordinate.row
        if place is None:
            table = self.tables[row] if 0 <= row < len(self.tables) else None
            diff = next((d for d in self.comparison.tables if d.table == table), None)
            if diff is None:
                return []
            from ...output.compare_table import blank_vs_zero_line

            changed = ngettext("{n} cell changed", "{n} cells changed", diff.changed).format(n=diff.changed)
            blank = blank_vs_zero_line(diff.blank_vs_zero)
            return [Text(TABLE_NAMES[diff.table], style="bold"), Text(changed), *([Text(blank, style="dim")] if blank else [])]
        table, key, col = place
        if table == 3:
            where = f"{full_row_label(key)} / {T.COL_LABELS[col]}"
        elif table == 4:
            where = f"{T.T4_GROUP_LABELS.get(key, key)} / {T.T4_FIELD_LABELS.get(col, col)}"
        else:
            where = f"{T.T2_ROW_LABELS.get(key, key)} / {T.T2_FIELD_LABELS.get(col, col)}"
        cell = self.cell_of(place)
        head = Text(f"{TABLE_NAMES[table]} {where}", style="bold")
        if cell is None:
            return [head]
        a, b = self.years
        out = [head, Text(f"{a}: {_side(cell.a, cell.a_text)}"), Text(f"{b}: {_side(cell.b, cell.b_text)}")]
        if cell.blank_vs_zero:
            out.append(Text(_("blank in one, 0 in the other: not counted as changed"), style="dim"))
        elif cell.changed:
            change = cell.change
            out.append(Text(_("changed") if change is None else _("changed by {change}").format(change=signed(change)), style="bold yellow"))
        else:
            out.append(Text(_("the same"), style="dim"))
        return out
