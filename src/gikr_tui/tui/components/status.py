"""The line at the bottom: what the focused pane says about its cursor.

A pane hands over phrases, most important first.  The line shows as many
whole phrases as fit its width and drops the rest, so it is never cut in the
middle of a phrase ("reported 41, columns sum to" and nothing after); only a
first phrase wider than the whole line is shortened, with an ellipsis.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

SEPARATOR = " · "
MORE = " …"


def fit_phrases(phrases: list[Text], width: int) -> Text:
    """Whole phrases joined by ` · ` within `width` cells; ` …` says some were left out."""
    out = Text(no_wrap=True, overflow="ellipsis", end="")
    phrases = [p for p in phrases if p.plain]
    for i, phrase in enumerate(phrases):
        sep = SEPARATOR if i else ""
        last = i == len(phrases) - 1
        room = width - out.cell_len - cell_len(sep) - (0 if last else cell_len(MORE))
        if phrase.cell_len <= room or (last and phrase.cell_len <= width - out.cell_len - cell_len(sep)):
            if sep:
                out.append(sep, style="dim")
            out.append_text(phrase)
            continue
        if i == 0:
            first = phrase.copy()
            first.truncate(max(1, width), overflow="ellipsis")
            out.append_text(first)
        else:
            out.append(MORE, style="dim")
        break
    return out


class StatusLine(Widget):
    DEFAULT_CSS = """
    StatusLine {
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.phrases: list[Text] = []

    def show(self, phrases: list[Text]) -> None:
        if phrases == self.phrases:
            return
        self.phrases = phrases
        # one line whatever it says: a repaint, never a layout pass of the whole screen
        self.refresh()

    @property
    def plain(self) -> str:
        """Every phrase, whatever the width (for tests and scripts)."""
        return SEPARATOR.join(p.plain for p in self.phrases if p.plain)

    def render(self) -> Text:
        return fit_phrases(self.phrases, self.content_region.width or self.size.width)
