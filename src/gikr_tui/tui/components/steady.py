"""What a scrolling pane costs to draw again: less than Textual's defaults charge.

Opening another report refills the Grid, Sections and Findings panes, and every
key on the Files pane opens one.  Measured at 120x40 (benchmarks/tui_scale.py),
two things of Textual's made each refill cost a layout of the whole screen and
a redraw of every scrollbar on it:

* a scrolling widget's `virtual_size` (its rows, its widest line) is a reactive
  that asks for a layout of the whole screen whenever it changes, though for a
  pane whose size CSS fixes it changes nothing but the scrollbars;
* every layout pass tells every scrolling widget its size again, and Textual's
  ScrollView takes that as a change each time (the size it is told is its
  window, never equal to its content), so it redraws its scrollbars, every one
  on the screen, after any layout anywhere.

`SteadyScrollView` keeps both to what changed: a new virtual size updates the
pane's scrollbars in place, and a layout only when a scrollbar appears or goes
(Textual's own `show_*_scrollbar` reactives ask for it) or the pane's size
depends on its content (`width`/`height: auto`); a layout pass that changes
nothing of the pane leaves its scrollbars alone.

It also works out the pane's base style once per drawing rather than once a
line: DataTable walks every ancestor's styles for each line it draws
(half of a line's cost, measured).
"""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Size
from textual.reactive import Reactive


class QuietVirtualSize:
    """Mixin (before the widget class in the bases): a new virtual size asks for no layout of the
    whole screen.  Widget's own reactive does; for a widget whose size CSS fixes, or one with
    nothing inside it to place (a footer key), that layout changes nothing."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0))


class SteadyScrollView(QuietVirtualSize):
    """Mixin for a ScrollView subclass (before it in the bases): see watch_virtual_size."""
    _sized_as: tuple | None = None  # what the last layout pass told the pane
    _drawing_style: Style | None = None  # the base style, while the pane draws

    def watch_virtual_size(self, size: Size) -> None:
        if self.styles.auto_dimensions:  # type: ignore[attr-defined]
            self.refresh(layout=True)  # type: ignore[attr-defined]  # (its size follows its content)
            return
        self._sized_as = None  # (the next layout pass updates the scrollbars again, whatever it says)
        if self.is_mounted and self.container_size:  # type: ignore[attr-defined]
            # the scrollbars' sizes and the scroll offsets for the new size; a scrollbar that
            # appears or goes sets show_*_scrollbar, which asks for the layout that places it
            self._scroll_update(size)  # type: ignore[attr-defined]

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        styles = self.styles  # type: ignore[attr-defined]
        told = (size, virtual_size, container_size, self.virtual_size, styles.overflow_x, styles.overflow_y,
                styles.scrollbar_size_vertical, styles.scrollbar_size_horizontal, tuple(styles.gutter.totals))  # type: ignore[attr-defined]
        if told == self._sized_as:
            return self._container_size != container_size  # type: ignore[attr-defined]  # (as ScrollView answers, unchanged)
        self._sized_as = told
        return super()._size_updated(size, virtual_size, container_size, layout=layout)  # type: ignore[misc]

    def render_lines(self, crop):
        self._drawing_style = super().rich_style  # type: ignore[misc]
        try:
            return super().render_lines(crop)  # type: ignore[misc]
        finally:
            self._drawing_style = None

    @property
    def rich_style(self) -> Style:
        style = self._drawing_style
        return style if style is not None else super().rich_style  # type: ignore[misc]
