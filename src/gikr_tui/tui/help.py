"""The help screen: every binding of the focused pane, then the app's."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..i18n import N_, _
from .components.pane import Pane
from .words import paragraph

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "dollar_sign": "$",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "shift+tab": "Shift+Tab",
}


def key_text(keys: str) -> str:
    out = []
    for key in keys.split(","):
        key = key.strip()
        out.append(KEY_NAMES.get(key, key.replace("ctrl+", "Ctrl+")))
    return " ".join(out)


def binding_rows(node: object, keymap: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(keys, description, id) for every Binding a widget (or app/screen) declares, keymap applied."""
    rows = []
    seen = set()
    for cls in type(node).__mro__:
        for b in cls.__dict__.get("BINDINGS", []):
            if not isinstance(b, Binding) or b.id is None or b.id in seen:
                continue
            seen.add(b.id)
            keys = (keymap or {}).get(b.id, b.key)
            said = b.tooltip or b.description
            rows.append((key_text(keys), _(said) if said else b.action, b.id))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", N_("Close"), id="help.close"),
        Binding("down,j", "scroll('down')", N_("Down"), show=False, id="help.down"),
        Binding("up,k", "scroll('up')", N_("Up"), show=False, id="help.up"),
        Binding("pagedown,space", "scroll('page_down')", N_("Page down"), show=False, id="help.page_down"),
        Binding("pageup,b", "scroll('page_up')", N_("Page up"), show=False, id="help.page_up"),
        Binding("G,end", "scroll('bottom')", N_("Bottom"), show=False, id="help.bottom"),
        Binding("g,home", "scroll('top')", N_("Top"), show=False, id="help.top"),
    ]

    def __init__(self, pane: Pane | None, everywhere: object | None = None) -> None:
        """`everywhere`: whose keys follow the pane's (the app's; a screen of its own lists its own)."""
        super().__init__()
        self.pane = pane
        self.everywhere = everywhere
        self.rows: list[tuple[str, str, str]] = []

    def compose(self) -> ComposeResult:
        table = Table(show_edge=False, expand=True, box=None, padding=(0, 1))
        table.add_column(_("key"), style="bold", no_wrap=True)
        table.add_column(_("action"))
        if self.pane is not None:
            table.add_row(Text(self.pane.help_title(), style="bold underline"), paragraph(self.pane.help_text(), style="dim"))
            for keys, desc, binding_id in binding_rows(self.pane, getattr(self.app, 'user_keymap', None)):
                table.add_row(Text(keys), paragraph(desc))
                self.rows.append((keys, desc, binding_id))
            table.add_row(Text(""), Text(""))
        heading = _("Everywhere") if self.everywhere is None else _("On this screen")
        table.add_row(Text(heading, style="bold underline"), Text(""))
        for keys, desc, binding_id in binding_rows(self.everywhere or self.app, getattr(self.app, 'user_keymap', None)):
            table.add_row(Text(keys), paragraph(desc))
            self.rows.append((keys, desc, binding_id))
        with VerticalScroll(id="help-body", can_focus=False) as body:  # the screen's keys scroll it
            body.border_title = _("Keys (Esc closes)")
            yield Static(table)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        page = max(1, body.scrollable_content_region.height - 1)
        target = {
            "down": body.scroll_y + 1,
            "up": body.scroll_y - 1,
            "page_down": body.scroll_y + page,
            "page_up": body.scroll_y - page,
            "bottom": body.max_scroll_y,
            "top": 0,
        }[direction]
        body.scroll_to(y=target, animate=False, immediate=True)
