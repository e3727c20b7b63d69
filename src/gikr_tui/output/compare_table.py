"""`gikr compare`'s table: the two reports named, tables 2–4 cell by cell (a changed cell reads
`a→b`, a blank against a 0 dim and counted apart), the cross-year findings and notes, and per
section how alike the prose is, with the paragraphs that changed: `[-removed-]{+added+}` inside a
changed paragraph, `-` and `+` for whole paragraphs, so the marks read without colour too.  The
inspector's compare screen takes its words from here."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import template as T
from ..checks.finding import number
from ..i18n import _, ngettext
from ..safety import visible
from ..series.compare import Cell, Comparison, SectionDiff, TableDiff, note_message
from ..series.similarity import MEASURE_NAME
from .words import SEVERITY_STYLE, format_name, rule_label

LABEL_WIDTH = 18  # a row label is cut to this many cells; the grid fits 80 columns


def side_text(value, text: str | None) -> str:
    if text is None:
        return ""  # the report's template has no such cell
    if value is None:
        return visible(text) if text else "·"
    return number(value)


def _shown(cell: Cell) -> Text:
    a, b = side_text(cell.a, cell.a_text), side_text(cell.b, cell.b_text)
    if cell.blank_vs_zero:
        return Text(f"{a}→{b}", style="dim")  # in sight, but no change: the two usually mean the same
    if not cell.changed:
        return Text(b)
    change = cell.change
    tail = "" if change is None else f" {'+' if change > 0 else ''}{number(change)}"
    return Text(f"{a}→{b}{tail}", style="bold yellow")


def row_label(table: int, row: str) -> str:
    if table == 3:
        return T.ROW_SPECS[row].label
    if table == 4:
        return T.T4_GROUP_LABELS.get(row, row)
    return T.T2_ROW_LABELS.get(row, row)


def blank_vs_zero_line(n: int) -> str:
    """How many cells are blank in one report and 0 in the other ("" when none): shown apart from the changes."""
    if not n:
        return ""
    return ngettext("{n} cell blank in one, 0 in the other (not counted as changed)",
                    "{n} cells blank in one, 0 in the other (not counted as changed)", n).format(n=n)


def _grid(diff: TableDiff) -> Table:
    title = {2: _("table 2"), 3: _("table 3"), 4: _("table 4")}[diff.table]
    grid = Table(title=_("{table}: {changed} cells changed").format(table=title, changed=diff.changed),
                 title_justify="left", box=None, pad_edge=False, show_edge=False, padding=(0, 1),
                 caption=blank_vs_zero_line(diff.blank_vs_zero) or None, caption_justify="left", caption_style="dim")
    grid.add_column("", no_wrap=True, max_width=LABEL_WIDTH, overflow="ellipsis")
    if diff.table == 2:
        fields: list[str] = list(dict.fromkeys(f for cols in diff.rows.values() for f in cols))
        labels = [T.T2_FIELD_LABELS.get(f, f) for f in fields]
    elif diff.table == 3:
        fields, labels = list(T.COLS), [T.COL_LABELS[c] for c in T.COLS]
    else:
        fields, labels = list(T.T4_FIELDS), [T.T4_FIELD_LABELS[f] for f in T.T4_FIELDS]
    for label in labels:
        grid.add_column(label, justify="right")
    for row, cols in diff.rows.items():
        cells = [_shown(cols[f]) if f in cols else Text("") for f in fields]
        mark = "*" if any(c.changed for c in cols.values()) else " "
        grid.add_row(Text(mark + row_label(diff.table, row)), *cells)
    return grid


def diff_runs(change) -> list[tuple[str, str]]:
    """A changed paragraph as (text, style) runs: `[-removed-]` and `{+added+}` marked, so they read without colour."""
    out: list[tuple[str, str]] = []
    for piece in change.pieces:
        text = visible(piece.text)
        if piece.kind == "equal":
            out.append((text, ""))
        elif piece.kind == "delete":
            out.append(("[-" + text + "-]", "red strike"))
        else:
            out.append(("{+" + text + "+}", "green"))
    return out


def diff_text(change) -> Text:
    return Text.assemble(*diff_runs(change))


def section_heading(sec: SectionDiff) -> str:
    if sec.similarity is None:
        return _("{title}: no prose in either report").format(title=sec.title)
    return _("{title}: {percent} % the same ({measure}; numbers and years ignored), {a} → {b} characters").format(
        title=sec.title, percent=similarity_percent(sec.similarity), measure=_(MEASURE_NAME), a=sec.a_length, b=sec.b_length)


def similarity_percent(similarity: float) -> str:
    return f"{int(similarity * 1000) / 10:.1f}"  # rounded down: a text not quite the same never shows 100 %


def section_lines(sec: SectionDiff) -> list[list[tuple[str, str]]]:
    """A section's paragraph diff, a line of (text, style) runs per paragraph that changed; the
    paragraphs that did not, counted on a line of their own."""
    lines: list[list[tuple[str, str]]] = []
    same = 0
    for par in [*sec.paragraphs, None]:
        if par is not None and par.op == "equal":
            same += 1
            continue
        if same:
            kept = ngettext("{n} paragraph the same", "{n} paragraphs the same", same).format(n=same)
            lines.append([("  = " + kept, "dim")])
            same = 0
        if par is None:
            break
        if par.op == "delete":
            lines.append([("  - ", ""), (visible(par.a or ""), "red")])
        elif par.op == "insert":
            lines.append([("  + ", ""), (visible(par.b or ""), "green")])
        else:
            lines.append([("  ~ ", ""), *diff_runs(par)])
    return lines


def _section(console: Console, sec: SectionDiff) -> None:
    console.print(Text(section_heading(sec), style="bold"))
    if sec.similarity is None:
        return
    for runs in section_lines(sec):
        console.print(Text.assemble(*runs))


def side_line(label: str, result, name: str | None = None) -> Text:
    """`label` (a or b), the file (`name`, or its path) and what the report says it is."""
    rep = result.report
    line = Text(f"{label}  ", style="bold")
    line.append(visible(result.path if name is None else name))
    if rep is not None:
        facts = _("{agency} {year}, {template} template, {format}").format(
            agency=visible(rep.agency or "—"), year=rep.year or "—", template=rep.template, format=format_name(result.format))
        line.append("  " + facts, style="dim")
    return line


def print_table(c: Comparison, console: Console) -> None:
    console.print(side_line(_("A"), c.a))
    console.print(side_line(_("B"), c.b))
    for diff in c.tables:
        console.print()
        console.print(_grid(diff))
    console.print()
    if c.checked is not None:
        which = _("B") if c.checked == c.b.path else _("A")
        console.print(Text(_("cross-year findings on {which} (the later year): {n}").format(which=which, n=len(c.findings)), style="bold"))
        for f in c.findings:
            console.print(Text.assemble("  ", (rule_label(f), SEVERITY_STYLE.get(f.severity, "red")), "  ", visible(f.message())))
    for note in c.notes:
        console.print(Text(visible(note_message(note, c)), style="dim"))
    for sec in c.sections:
        console.print()
        _section(console, sec)


def stdout_console() -> Console:
    """The console the table is printed on: the terminal's width, or 200 columns in a file or a pipe."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=200)
    return console
