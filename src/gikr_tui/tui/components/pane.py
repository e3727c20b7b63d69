"""What every pane owns: its key, its title, its help and its line at the bottom.

The pattern of frogmouth's navigation panes and posting's per-widget help
data: a pane declares what it is (KEY, NAME, HELP) and renders its own
status text; the app only asks the focused pane.  A pane whose cursor or
contents change calls `status_changed()`, and the app repaints the bottom
line if that pane has the focus.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.dom import NoScreen
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from ...i18n import _


class Pane:
    """Mixin for a focusable widget that is one of the inspector's panes."""

    PANE: ClassVar[str] = ""  # the name `focus_pane()` takes: files, sections, grid, findings, reader
    KEY: ClassVar[str] = ""  # the number key that focuses it
    NAME: ClassVar[str] = ""  # N_("Files"): shown in its border and in help
    HELP: ClassVar[str] = ""  # N_(...): one paragraph at the top of its help
    OWNS_FRAME: ClassVar[bool] = True  # False: a part of a pane whose frame another widget titles

    @property
    def frame(self) -> Widget:
        """The widget whose border carries the pane's title."""
        return self  # type: ignore[return-value]

    def title(self) -> Text:
        return Text(f"{self.KEY} {_(self.NAME)}")

    def help_title(self) -> str:
        return _(self.NAME)

    def help_text(self) -> str:
        return _(self.HELP)

    def show_title(self) -> None:
        if self.OWNS_FRAME:
            self.frame.border_title = self.title()

    def on_mount(self) -> None:
        self.show_title()

    def status(self) -> Text:
        """The bottom line while this pane has the focus."""
        return Text("")

    def status_changed(self) -> None:
        # a screen of its own (summary, compare) has its own bottom line; the main screen's is the app's
        try:
            screen = self.screen  # type: ignore[attr-defined]
        except NoScreen:
            return
        show = getattr(screen, "pane_status_changed", None) or getattr(self.app, "pane_status_changed", None)  # type: ignore[attr-defined]
        if show is not None:
            show(self)

    def reveal(self) -> str | None:
        """Make the pane visible before it takes the focus; say why it cannot, or None.

        A pane inside a ContentSwitcher (the Reader shares its place with the
        grid and findings) switches to the view that holds it.
        """
        node: Widget = self  # type: ignore[assignment]
        while node.parent is not None and isinstance(node.parent, Widget):
            if isinstance(node.parent, ContentSwitcher) and node.id is not None:
                node.parent.current = node.id
            node = node.parent
        return None
