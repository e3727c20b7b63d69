"""The summary's charts: a key figure per agency (largest first) or per year.

Drawn by plotext through textual-plotext, its Textual widget.  Both are
imported when the charts are first shown, never with the inspector: the
first frame does not wait for them.  plotext counts every character as one
cell, so a Chinese name would push its lines out of shape; the bars are
numbered instead and the names stand beside them, laid out by Textual, each
on its bar's line (plotext gives a horizontal bar two lines, the first under
the frame's top line).
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from ...checks.finding import number
from ...i18n import N_, _
from ..render import fit, shown
from .pane import Pane

LEGEND_WIDTH = 28  # cells for "rank name value" beside the bars
FRAME = 3  # the lines of a plot that hold no bar: the frame's top and bottom, the axis labels


def _figures() -> list[tuple[str, str]]:
    """(key, header) of the key figures, as the summary's columns name them."""
    from ...series.summary import FIGURES
    from ...output.summary_table import HEADERS

    return [(key, HEADERS[header]) for key, header in FIGURES]


def _ticks(top: float, rate: bool) -> tuple[list[float], list[str]]:
    """Five ticks from 0 to `top`, labelled as the figures are written (plotext's own read 20278.2 for a count)."""
    ticks = [top * i / 4 for i in range(5)]
    return ticks, [f"{t:.0f} %" if rate else number(round(t)) for t in ticks]


class FigureChart(Pane, Horizontal, can_focus=True):
    PANE, KEY, NAME = "charts", "4", N_("Charts")
    HELP = N_(
        "A key figure per agency, the largest first (j and k scroll through the agencies), or per year. "
        "f and F choose the figure, v switches between per agency and per year. The figures are the totals' "
        "(rates made from the sums)."
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "figure(1)", N_("Next figure"), tooltip=N_("Chart the next key figure"), id="chart.next_figure"),
        Binding("F", "figure(-1)", N_("Previous figure"), show=False, tooltip=N_("Chart the previous key figure"), id="chart.previous_figure"),
        Binding("v", "switch", N_("Agency/year"), tooltip=N_("Per agency or per year"), id="chart.switch"),
        Binding("down,j", "scroll(1)", N_("Down"), show=False, tooltip=N_("The next agency"), id="chart.down"),
        Binding("up,k", "scroll(-1)", N_("Up"), show=False, tooltip=N_("The previous agency"), id="chart.up"),
        Binding("pagedown", "page(1)", N_("Page down"), show=False, id="chart.page_down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="chart.page_up"),
        Binding("g,home", "top", N_("Top"), show=False, tooltip=N_("The largest"), id="chart.top"),
        Binding("G,end", "bottom", N_("Bottom"), show=False, tooltip=N_("The smallest"), id="chart.bottom"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.agencies: list[Any] = []  # series.summary.Total per agency
        self.years: list[Any] = []
        self.made = False  # the totals have arrived
        self.figure = 0
        self.per = "agency"  # agency | year
        self.first = 0  # the first agency in sight
        self.bars: list[tuple[str, float | None]] = []  # (name, value) of the bars drawn, for tests and the bottom line
        self._plot = None

    def compose(self):
        yield Static(Text(_("adding up…"), style="dim"), id="chart-legend")

    # --- data ---------------------------------------------------------------------

    def show_totals(self, agencies: list[Any], years: list[Any]) -> None:
        self.agencies, self.years, self.made = agencies, years, True
        self.draw()

    def on_show(self) -> None:
        self.draw()

    def on_resize(self) -> None:
        self.draw()

    def _key(self) -> tuple[str, str]:
        figures = _figures()
        return figures[self.figure % len(figures)]

    def _ranked(self) -> list[tuple[str, float | None]]:
        from ...series.summary import RATES

        key, _header = self._key()
        scale = 100 if key in RATES else 1
        out = []
        for total in self.agencies if self.per == "agency" else self.years:
            value = getattr(total.figures, key)
            name = (shown(total.key) if total.key else _("(no agency stated)")) if self.per == "agency" else str(total.key)
            out.append((name, None if value is None else value * scale))
        if self.per == "agency":
            out.sort(key=lambda pair: -(pair[1] or 0))  # the largest first; stable: by name among equals
        return out

    def _room(self) -> int:
        """How many agencies' bars fit (two lines each)."""
        return max(1, (self.size.height - FRAME) // 2)

    # --- drawing ------------------------------------------------------------------

    def draw(self) -> None:
        if not self.display or not self.is_mounted or self.size.height == 0:
            return  # drawn when shown: plotext is imported only then
        legend = self.query_one("#chart-legend", Static)
        if not self.made:
            legend.update(Text(_("adding up…"), style="dim"))
            return
        if self._plot is None:
            from textual_plotext import PlotextPlot  # (30 ms: only once the charts are shown)

            self._plot = PlotextPlot(id="chart-plot")
            self.mount(self._plot)
            self.call_after_refresh(self.draw)
            return
        ranked = self._ranked()
        key, header = self._key()
        from ...series.summary import RATES

        rate = key in RATES
        plt = self._plot.plt
        plt.clear_data()
        plt.clear_figure()
        if self.per == "agency":
            room = self._room()
            self.first = max(0, min(self.first, max(0, len(ranked) - room)))
            window = ranked[self.first: self.first + room]
            self.bars = window
            lines = [Text("")]
            width = LEGEND_WIDTH
            for rank, (name, value) in enumerate(window, self.first + 1):
                figure = "" if value is None else (f"{value:.1f} %" if rate else number(value))
                head = f"{rank} "
                room_for_name = max(4, width - cell_len(head) - cell_len(figure) - 1)
                line = Text(head, style="dim")
                line.append_text(fit(name, room_for_name))
                line.append(" " * max(1, width - line.cell_len - cell_len(figure)))
                line.append(figure, style="bold")
                lines += [line, Text("")]
            legend.styles.width = LEGEND_WIDTH + 1
            legend.update(Text("\n").join(lines) if window else Text(_("no figures yet"), style="dim"))
            if window:
                labels = [str(rank) for rank in range(self.first + 1, self.first + 1 + len(window))]
                values = [value or 0 for _name, value in window]
                # plotext draws the first bar at the bottom: the largest goes last to be on top
                plt.bar(labels[::-1], values[::-1], orientation="horizontal", width=0.5, marker="sd")
                top = max(max(values), 1)
                plt.xlim(0, top)
                plt.xticks(*_ticks(top, rate))
                self._plot.styles.height = FRAME + 2 * len(window)
        else:
            self.bars = ranked
            lines = [Text(f"{name}  ", style="dim") + Text("" if value is None else (f"{value:.1f} %" if rate else number(value)), style="bold")
                     for name, value in ranked]
            legend.styles.width = max((line.cell_len for line in lines), default=8) + 2
            legend.update(Text("\n").join([Text(""), *lines]) if ranked else Text(_("no figures yet"), style="dim"))
            if ranked:
                plt.bar([name for name, _v in ranked], [value or 0 for _n, value in ranked], width=0.5, marker="sd")
                top = max(max(value or 0 for _n, value in ranked), 1)
                plt.ylim(0, top)
                plt.yticks(*_ticks(top, rate))
            self._plot.styles.height = "1fr"
        self._plot.refresh()
        self.show_title()
        self.status_changed()

    # --- the pane -------------------------------------------------------------------

    def title(self) -> Text:
        out = super().title()
        _key, header = self._key()
        out.append(" · ")
        out.append(_(header), style="bold")
        out.append(" · " + (_("per agency") if self.per == "agency" else _("per year")))
        if self.per == "agency" and self.agencies:
            shown_to = min(len(self.agencies), self.first + len(self.bars))
            out.append(" · " + _("{first}–{last} of {n}").format(first=self.first + 1, last=shown_to, n=len(self.agencies)))
        return out

    def status(self) -> list[Text]:
        key, header = self._key()
        out = [Text(_(header), style="bold"), Text(_("per agency, largest first") if self.per == "agency" else _("per year"))]
        out.append(Text(_("f next figure · v per agency or per year"), style="dim"))
        return out

    # --- keys -------------------------------------------------------------------------

    def action_figure(self, step: int) -> None:
        self.figure = (self.figure + step) % len(_figures())
        self.draw()

    def action_switch(self) -> None:
        self.per = "year" if self.per == "agency" else "agency"
        self.draw()

    def action_scroll(self, step: int) -> None:
        self.first += step
        self.draw()

    def action_page(self, step: int) -> None:
        self.first += step * self._room()
        self.draw()

    def action_top(self) -> None:
        self.first = 0
        self.draw()

    def action_bottom(self) -> None:
        self.first = len(self.agencies)
        self.draw()
