"""A screen of its own over the main one: the summary, a comparison.

Modal, so the main screen's keys (1–5, ], m, x …) never reach through it to
panes that are not in sight; the keys that make sense everywhere are bound
here again: Esc or q back, ? help, Ctrl+P the palette (the screen's own
commands, its `PALETTE`), Tab between its panes, S the summary.  Its panes
follow the main screen's Pane pattern, and the screen keeps its own bottom
line, which shows what the focused pane says.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget

from ..i18n import N_
from .components.pane import Pane
from .components.status import StatusLine


def pane(widget: Widget) -> Widget:
    """`widget`, drawn as a pane (a titled border)."""
    widget.add_class("pane")
    return widget


class SubScreen(ModalScreen[None]):
    # Panes as the main screen draws them (app.tcss): a rounded border titled with the pane's key,
    # the focused one in the accent colour; the bottom line over the footer.
    DEFAULT_CSS = """
    SubScreen {
        background: $background;
    }
    SubScreen .pane {
        border: round $panel-lighten-2;
        border-title-color: $text-muted;
        border-subtitle-color: $text-muted;
        background: $surface;
        height: 1fr;
    }
    SubScreen .pane:focus, SubScreen .pane:focus-within {
        border: round $accent;
        border-title-color: $accent;
        border-title-style: bold;
    }
    SubScreen StatusLine {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    SubScreen FilterInput {
        height: 1;
    }
    """
    PALETTE: ClassVar[tuple[tuple[str, str, str], ...]] = ()  # (name, screen action, help) for Ctrl+P

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", N_("Back"), tooltip=N_("Back to the screen before"), id="screen.back"),
        Binding("question_mark,f1", "help", N_("Help"), id="screen.help"),
        Binding("tab", "cycle_pane(1)", N_("Next pane"), show=False, id="screen.focus_next"),
        Binding("shift+tab", "cycle_pane(-1)", N_("Previous pane"), show=False, id="screen.focus_previous"),
        Binding("S", "app.summary", N_("Summary"), show=False, tooltip=N_("The summary of every report"), id="screen.summary"),
        Binding("ctrl+p", "app.command_palette", N_("Command palette"), show=False, id="screen.palette"),
    ]
    PANE_ORDER: ClassVar[tuple[str, ...]] = ()  # the panes Tab goes through, in order (some may be out of sight)

    # --- the panes and the bottom line --------------------------------------------

    def focused_pane(self) -> Pane | None:
        node = self.focused
        while node is not None and not isinstance(node, Pane):
            node = node.parent if isinstance(node.parent, Widget) else None
        return node

    def panes(self) -> dict[str, Pane]:
        return {node.PANE: node for node in self.walk_children(Widget) if isinstance(node, Pane) and node.PANE}

    def pane_status_changed(self, pane: Pane) -> None:
        if pane is self.focused:
            self.query_one(StatusLine).show(pane.status())

    def on_descendant_focus(self, event) -> None:
        event.stop()  # (the main screen's bottom line is the app's)
        pane = self.focused_pane()
        if pane is not None:
            self.query_one(StatusLine).show(pane.status())

    def action_focus_pane(self, name: str) -> None:
        pane = self.panes().get(name)
        if pane is None:
            return
        why = pane.reveal()
        if why is not None:
            self.notify(why, severity="warning", timeout=2, markup=False)
            return
        pane.focus()

    def action_cycle_pane(self, step: int) -> None:
        pane = self.focused_pane()
        names = list(self.PANE_ORDER)
        here = names.index(pane.PANE) if pane is not None and pane.PANE in names else -step
        self.action_focus_pane(names[(here + step) % len(names)])

    # --- keys -------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self.focused_pane(), everywhere=self))

    # --- a filter over a table (the summary's reports, the reports to pick from) -------------

    def filtered_table(self):
        """The SortedTable `/` filters (its `pattern`), or None."""
        return None

    def action_filter(self) -> None:
        from .components.file_filter import FilterInput

        table = self.filtered_table()
        if table is None:
            return
        table.reveal()
        box = self.query_one(FilterInput)
        box.display = True
        box.focus()

    def clear_filter(self) -> None:
        from .components.file_filter import FilterInput

        box = self.query_one(FilterInput)
        box.value = ""
        box.display = False
        self._filter(box)
        self.filtered_table().focus()

    def _filter(self, box) -> None:
        table = self.filtered_table()
        table.pattern = box.value
        table.arrange()
        box.matches = (len(table.shown), len(table.rows))
        box.status_changed()

    def on_input_changed(self, event) -> None:
        if self.filtered_table() is not None:
            self._filter(event.input)

    def on_input_submitted(self) -> None:
        table = self.filtered_table()
        if table is not None:
            table.focus()

    def on_filter_input_closed(self, event) -> None:
        if event.cleared:
            self.clear_filter()
        else:
            self.filtered_table().focus()
