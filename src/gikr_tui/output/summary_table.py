"""`gikr summary`'s table: one row per report as results arrive (its key figures), then the totals
per agency and per year, and the run's notes."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ..checks.finding import number
from ..i18n import N_, _
from ..safety import visible
from ..series.summary import FIGURES, RATES, Row, Total
from .lines import Lines, fit
from .words import STATUS, format_name, status_word

HEADERS = {
    "new": N_("new"), "handled": N_("handled"), "forward": N_("forward"), "disclosed": N_("disclosed"),
    "review": N_("review"), "lawsuits": N_("lawsuits"), "corrected": N_("corrected"),
}
FIGURE_WIDTH = {"received_new": 6, "results_total": 7, "carried_forward": 7, "disclosure_rate": 9,
                "review": 6, "litigation": 8, "correction_rate": 9}


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f} %"


def _width(header: str, least: int) -> int:
    """A column as wide as its figures need, or as its header in the language in use."""
    return max(least, cell_len(header))


def _figure_cells(figures, widths: list[int]) -> list[tuple[str, int]]:
    """The figures' cells; `widths` as `_figure_header()` gives them (worked out once per table:
    measuring the translated headers again for each of 10,000 rows was a tenth of a warm run)."""
    out = []
    for (key, _header), width in zip(FIGURES, widths):
        value = getattr(figures, key) if figures is not None else None
        text = percent(value) if key in RATES else ("" if value is None else number(value))
        out.append((text, width))
    return out


def _figure_header() -> list[tuple[str, int]]:
    return [(_(HEADERS[h]), _width(_(HEADERS[h]), FIGURE_WIDTH[key])) for key, h in FIGURES]


SEVERITY_HEADERS = ((N_("err"), 3), (N_("warn"), 4), (N_("hint"), 4))


def _severity_header() -> list[tuple[str, int]]:
    return [(_(h), _width(_(h), w)) for h, w in SEVERITY_HEADERS]


def _severity_cells(findings: dict[str, int], widths: list[int]) -> list[tuple[str, int]]:
    return [(str(findings.get(s, 0)), w) for s, w in zip(("error", "warning", "hint"), widths)]


def _right(cells: list[tuple[str, int]]) -> str:
    """Numbers and words of ASCII, right-aligned (no cell-width measuring needed)."""
    return "  ".join(text.rjust(width) for text, width in cells)


def _line(cells: list[tuple[str, int]], first: str, first_width: int) -> str:
    return fit(first, first_width) + "  " + "  ".join(fit(text, width, "right") for text, width in cells)


class SummaryTable(Lines):
    """The table format: report rows as they come, the totals at the end."""

    AGENCY = 20

    def __init__(self, paths: list[str], console: Console | None = None) -> None:
        super().__init__(console)
        longest = max((cell_len(visible(p)) for p in paths), default=4)
        room = max(20, self.console.width - 120) if self.console.is_terminal else longest
        self.path_width = max(4, min(longest, room))
        self.figure_widths = [w for _h, w in _figure_header()]
        self.severity_widths = [w for _h, w in _severity_header()]

    def header(self) -> None:
        cells = [(_("year"), 4), (_("agency"), self.AGENCY), (_("tpl"), 4), (_("format"), 8), (_("status"), 10),
                 *_severity_header(), *_figure_header()]
        head = [fit(_("file"), self.path_width)]
        for i, (text, width) in enumerate(cells):
            head.append(fit(text, width, "left" if 1 <= i <= 4 else "right"))
        self.print("  ".join(head), "bold")

    def row(self, row: Row) -> None:
        path = visible(row.path)
        if cell_len(path) > self.path_width:
            self.print(path)
            path = ""
        label, style = status_word(row.status), STATUS[row.status]
        head = "  ".join((fit(path, self.path_width), fit(str(row.year or ""), 4, "right"),
                          fit(visible(row.agency or ""), self.AGENCY), fit(str(row.template or ""), 4, "right"),
                          fit(format_name(row.format), 8), ""))
        status = fit(label, 10)
        tail = "" if row.status == "error" else "  " + _right(
            _severity_cells(row.findings, self.severity_widths) + _figure_cells(row.figures, self.figure_widths))
        if self.plain:  # (no styles to a file or a pipe: the line as it is)
            self.print(head + status + tail)
        else:
            self.print(Text.assemble(head, (status, style), tail))
        if row.status == "error":
            self.print(Text.assemble("  ", (visible(row.error or ""), "yellow")))

    def totals(self, agencies: list[Total], years: list[Total]) -> None:
        if agencies:
            width = max([cell_len(_("agency"))] + [cell_len(visible(t.key or "—")) for t in agencies])
            self.print("")
            self.print(_("per agency"), "bold")
            head = [(_("reports"), 7), (_("years"), 11), *_severity_header(),
                    (_("cross-year"), 10), *_figure_header()]
            self.print(_line(head, _("agency"), width), "bold")
            for t in agencies:
                cells = [(str(t.reports), 7), (years_text(t.years), 11), *_severity_cells(t.findings, self.severity_widths),
                         (str(t.cross_year), 10), *_figure_cells(t.figures, self.figure_widths)]
                self.print(_line(cells, visible(t.key or "—"), width))
        if years:
            self.print("")
            self.print(_("per year"), "bold")
            head = [(_("reports"), 7), (_("agencies"), 8), *_severity_header(),
                    (_("cross-year"), 10), *_figure_header()]
            self.print(_line(head, _("year"), 4), "bold")
            for t in years:
                cells = [(str(t.reports), 7), (str(len(t.agencies)), 8), *_severity_cells(t.findings, self.severity_widths),
                         (str(t.cross_year), 10), *_figure_cells(t.figures, self.figure_widths)]
                self.print(_line(cells, str(t.key), 4))

    def notes(self, notes) -> None:
        if notes:
            self.print("")
            self.print(_("notes"), "bold")
            for note in notes:
                self.print("  " + visible(note.message()))


def years_text(years: set[int]) -> str:
    if not years:
        return ""
    ordered = sorted(years)
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 1:
        return f"{ordered[0]}–{ordered[-1]}"
    return ",".join(str(y) for y in ordered)
