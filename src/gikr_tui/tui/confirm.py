"""A yes/no question before something that cannot be undone (edits dropped)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..i18n import N_, _


class ConfirmScreen(ModalScreen[bool]):
    """`question`, answered with y (the action) or n / Esc (nothing happens)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm.yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-body") as body:
            body.border_title = _("Are you sure?")
            yield Static(Text(self.question))
            yield Static(
                Text.assemble(("y", "bold"), " ", self.yes, "   ", ("n", "bold"), " / ", ("Esc", "bold"), " ", self.no),
                id="confirm-keys",
            )

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
