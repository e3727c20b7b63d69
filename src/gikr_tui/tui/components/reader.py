"""The Reader pane: the selected section's text, a piece at a time.

Laying out text costs time in proportion to its length: a 15 MB section
shown whole froze the screen for 27 s.  The text is cut into pieces of
PIECE_CHARS characters (at paragraph ends where it can be); one piece is
laid out at a time, and scrolling past either end of a piece moves on to
the next or previous one, so the text still reads as one.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...checks import Quote
from ...i18n import N_, _
from ...model import Section
from ..render import HIGHLIGHT, Piece, pieces, section_segments
from .pane import Pane

# About 30 ms to lay out at 80 columns on this machine; a section of the
# usual few thousand characters is one piece.
PIECE_CHARS = 16_000


def _highlighted(pieces: list[Piece]) -> tuple[int, int] | None:
    """(piece, offset in it) where the highlighted sentence starts."""
    for index, piece in enumerate(pieces):
        offset = 0
        for text, style in piece:
            if style == HIGHLIGHT:
                return index, offset
            offset += len(text)
    return None


def _size(chars: int) -> str:
    if chars >= 1e6:
        return _("{size} MB").format(size=f"{chars / 1e6:.1f}")
    return _("{size} KB").format(size=f"{chars / 1e3:.0f}")


class Reader(Pane, VerticalScroll, inherit_bindings=False):
    PANE, KEY, NAME = "reader", "5", N_("Reader")
    HELP = N_(
        "The text under the selected section, as the report wrote it. A long section is shown in pieces: "
        "scrolling past the end of one shows the next, n and N jump a piece."
    )
    can_focus = True
    ALLOW_MAXIMIZE = True  # (a scroll container is not maximized by default)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "line(-1)", N_("Up"), show=False, id="reader.up"),
        Binding("down,j", "line(1)", N_("Down"), show=False, id="reader.down"),
        Binding("g,home", "top", N_("Top"), show=False, id="reader.top"),
        Binding("G,end", "bottom", N_("Bottom"), show=False, id="reader.bottom"),
        Binding("pageup,b", "page(-1)", N_("Page up"), show=False, id="reader.page_up"),
        Binding("pagedown,space", "page(1)", N_("Page down"), show=False, id="reader.page_down"),
        Binding("n", "piece(1)", N_("Next piece"), show=False, tooltip=N_("Show the next piece of a long section"), id="reader.next_piece"),
        Binding("N", "piece(-1)", N_("Previous piece"), show=False, tooltip=N_("Show the previous piece of a long section"), id="reader.previous_piece"),
        Binding("escape", "app.show_grid", N_("Back to grid"), id="reader.back"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.section: Section | None = None
        self.pieces: list[Piece] = [[]]
        self.piece = 0
        self.text = Text("")
        self.chars = 0
        self._text_put = True  # the Static shows self.text (else it waits to be shown)

    def compose(self):
        yield Static(Text(_("Select a section (pane 2) and press Enter to read it."), style="dim"), id="reader-text")

    def show_section(self, section: Section | None, highlight: Quote | None = None) -> None:
        """Show a section's text; with `highlight`, a prose finding's sentence, marked and scrolled to."""
        if section is self.section and section is not None and highlight is None:
            return
        self.section = section
        self.pieces = pieces(section_segments(section, highlight), PIECE_CHARS) if section is not None else [[]]
        self.chars = sum(len(t) for piece in self.pieces for t, _style in piece)
        where = _highlighted(self.pieces) if highlight is not None else None
        self._show(where[0] if where is not None else 0)
        if where is not None:
            self.call_after_refresh(self._scroll_to_offset, where[1])
        if len(self.pieces) > 1:
            self.notify(
                _("This section is {size} of text: shown in {n} pieces (scroll past the end, or n / N).").format(
                    size=_size(self.chars), n=len(self.pieces)
                ),
                timeout=4,
                markup=False,
            )

    def _scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the character at `offset` of the piece shows, a couple of lines from the top."""
        width = max(1, self.scrollable_content_region.width)
        lines = self.text[:offset].wrap(self.app.console, width)
        self.scroll_to(y=max(0, len(lines) - 3), animate=False, immediate=True)

    def _show(self, index: int, at_end: bool = False) -> None:
        self.piece = max(0, min(index, len(self.pieces) - 1))
        self.text = Text.assemble(*self.pieces[self.piece], end="")
        self._text_put = False
        if self.display:
            self._put_text()
        self.show_title()
        if at_end:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)
        else:
            self.scroll_home(animate=False, immediate=True)
        self.status_changed()

    def _put_text(self) -> None:
        # Hidden behind the grid (each key that opens a report shows its first section here),
        # the text waits to be shown: putting it in lays the whole screen out, ~10 ms a key.
        if not self._text_put:
            self._text_put = True
            self.query_one("#reader-text", Static).update(self.text)

    def reveal(self) -> str | None:
        self._put_text()  # (laid out with the switch that shows it, in the same frame)
        return super().reveal()

    # --- the pane -------------------------------------------------------------

    def title(self) -> Text:
        out = super().title()
        if len(self.pieces) > 1:
            out.append(" · " + _("piece {i} of {n}").format(i=self.piece + 1, n=len(self.pieces)))
        return out

    def status(self) -> list[Text]:
        if self.section is None:
            return [Text(_("no section selected"), style="dim")]
        out = [Text(self.section.title, style="bold")]
        if len(self.pieces) > 1:
            out.append(Text(_("piece {i} of {n}").format(i=self.piece + 1, n=len(self.pieces))))
            out.append(Text(_("{size} in all").format(size=_size(self.chars)), style="dim"))
        return out

    # --- moving ---------------------------------------------------------------

    def action_line(self, step: int) -> None:
        self._scroll(step)

    def action_page(self, step: int) -> None:
        self._scroll(step * max(1, self.scrollable_content_region.height - 1))

    def _scroll(self, lines: int) -> None:
        """Scroll by `lines`; past either end of a piece, on to the next or previous one."""
        if lines > 0 and self.scroll_y >= self.max_scroll_y and self.piece + 1 < len(self.pieces):
            self._show(self.piece + 1)
        elif lines < 0 and self.scroll_y <= 0 and self.piece > 0:
            self._show(self.piece - 1, at_end=True)
        else:
            self.scroll_to(y=self.scroll_y + lines, animate=False, immediate=True)

    def action_piece(self, step: int) -> None:
        target = self.piece + step
        if 0 <= target < len(self.pieces):
            self._show(target)
        else:
            self.app.bell()

    def action_top(self) -> None:
        if self.piece:
            self._show(0)
        else:
            self.scroll_home(animate=False, immediate=True)

    def action_bottom(self) -> None:
        if self.piece != len(self.pieces) - 1:
            self._show(len(self.pieces) - 1, at_end=True)
        else:
            self.scroll_end(animate=False, immediate=True)
