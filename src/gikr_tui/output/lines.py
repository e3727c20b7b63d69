"""Lines to a console, and a cell fitted to its width: what the streaming tables are drawn with."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.text import Text


def fit(text: str, width: int, align: str = "left") -> str:
    """`text` padded or cut (with …) to exactly `width` terminal cells."""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    pad = " " * (width - cell_len(text))
    return pad + text if align == "right" else text + pad


class Lines:
    """Lines to a console: through rich's renderer on a terminal; to a file or a pipe, which
    shows no styles, the plain text written directly (the same bytes, at half a line's cost)."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False, soft_wrap=True)
        self.plain = not self.console.is_terminal

    def print(self, text: str | Text = "", style: str | None = None) -> None:
        if self.plain:
            self.console.file.write((text.plain if isinstance(text, Text) else text) + "\n")
            return
        self.console.print(text if isinstance(text, Text) else Text(text, style=style or ""), crop=False, soft_wrap=True)
