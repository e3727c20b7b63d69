"""The inspector's words in the language in use, Textual's own included.

Key descriptions are written in English in each widget's BINDINGS (marked
with `N_()`); Textual shows them in the footer, the command palette shows its
own placeholder and system commands, and neither goes through gettext.  Here
they are worded where they are shown: a footer that translates each key's
description and tooltip, a palette with a translated placeholder and "no
matches" line, and the system commands translated.  Both Textual internals
used below (Footer.compose's FooterKey children, the palette's no-matches
countdown) are those of Textual 8, which pyproject bounds.
"""

from __future__ import annotations

import errno
from typing import Iterable

from rich.align import Align
from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text
from textual.app import SystemCommand
from textual import command
from textual.command import CommandList
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey, FooterLabel
from textual.widgets.option_list import Option

from ..cli_words import wrap
from ..errors import system_error
from ..i18n import N_, _, language
from .components.steady import QuietVirtualSize

# Textual's own words that reach the screen: its system commands and the palette's keys
TEXTUAL_WORDS = (
    N_("Theme"), N_("Change the current theme"),
    N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide the keys and widget help panel"),
    N_("Maximize"), N_("Maximize the focused widget"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
    N_("Exit the command palette"), N_("Next command"), N_("Previous command"), N_("Next page"),
    N_("Previous page"), N_("Go to bottom"), N_("Go to top"),
)


_OS_REASONS = {
    errno.EACCES: N_("permission denied"), errno.EPERM: N_("permission denied"),
    errno.ENOENT: N_("no such file or folder"), errno.ENOSPC: N_("no space left on the disk"),
    errno.EROFS: N_("the disk is read-only"), errno.EDQUOT: N_("disk quota exceeded"),
    errno.EISDIR: N_("is a folder"), errno.ENAMETOOLONG: N_("file name too long"),
}


def os_reason(e: OSError) -> str:
    """Why writing or reading failed, in words: gikr's own reason, or the system's by errno
    (the C library's words are English only)."""
    if getattr(e, "said", False):
        return str(e.strerror)  # worded where it was raised (export.py)
    known = _OS_REASONS.get(e.errno or 0)
    if known is not None:
        return _(known)
    return str(system_error(e)) if e.errno else str(e)


class Prose:
    """A paragraph that breaks between Chinese characters as well as at spaces.

    Rich wraps only at whitespace, so a sentence of Chinese with a few Latin
    words in it breaks at those few spaces and leaves short ragged lines; this
    wraps by terminal columns the way `gikr --help` does (cli_words.wrap).
    """

    def __init__(self, text: str, style: str = "") -> None:
        self.text = text
        self.style = style

    def __rich_console__(self, console, options):
        for line in wrap(self.text, max(1, options.max_width)) or [""]:
            yield Text(line, style=self.style, no_wrap=True, end="\n")

    def __rich_measure__(self, console, options):
        longest = max((cell_len(w) for w in self.text.split()), default=1)
        return Measurement(min(longest, 8), cell_len(" ".join(self.text.split())))


def paragraph(text: str, style: str = "") -> Text | Prose:
    """`text` as a renderable that wraps well in the language it is in."""
    return Text(text, style=style) if text.isascii() else Prose(text, style)


def said(text: str | None) -> str | None:
    """`text` (an English description or tooltip) in the language in use."""
    return _(text) if text else text


class _FooterKey(QuietVirtualSize, FooterKey):
    """A footer key whose first layout is its only one.

    A layout pass sets the virtual size of every widget it placed, and Textual's
    asked for another layout of the whole screen for it: each rebuild of the footer
    (a focus change) laid the screen out twice, the second time for nothing.
    """


class Footer(TextualFooter):
    """Textual's footer, each key's description and tooltip in the language in use.

    Textual rebuilds the footer whenever the screen's bindings are refreshed (every focus
    change, twice), and mounting its keys again re-lays the whole screen out; here it is
    rebuilt only when what it shows changes (half of the rebuilds showed the same keys).
    """

    _shown: tuple | None = None

    def _showing(self) -> tuple:
        """Everything compose() reads: the keys shown, their words and state, the palette's key."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        keys = tuple((binding, enabled, tooltip, app.get_key_display(binding))
                     for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                     if binding.show or key == palette)
        return keys, self.show_command_palette, app.ENABLE_COMMAND_PALETTE, language()

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        showing = self._showing()
        if showing != self._shown:
            self._shown = showing
            # Removing the old keys and mounting the new each ask for a layout pass; the
            # screen ran two when the second request came after the first pass had started
            # (one focus change in three).  Asked for once, when both are done.
            self._rebuilding = True
            try:
                await self.recompose()
            finally:
                self._rebuilding = False
            self.refresh(layout=True)

    _rebuilding = False

    def refresh(self, *regions, repaint: bool = True, layout: bool = False, recompose: bool = False):
        return super().refresh(*regions, repaint=repaint, layout=layout and not self._rebuilding, recompose=recompose)

    def compose(self):
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.__class__ = _FooterKey  # (built by Textual's compose, data binding and all)
                widget.description = said(widget.description) or ""
                if widget.tooltip:
                    widget.tooltip = said(str(widget.tooltip))
            elif isinstance(widget, FooterLabel):
                widget.update(said(str(widget.render())) or "")
            yield widget


class CommandPalette(command.CommandPalette):
    """Textual's command palette with its placeholder and its "no matches" line translated
    (the same name: a test, or a user's CSS, that asks for the palette finds it)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("placeholder", _("Search for commands…"))
        super().__init__(**kwargs)

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual 8's own, but for the words
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(_("No matches found"), style="not bold")), disabled=True,
                           id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


def system_commands(commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """Textual's system commands (Theme, Quit, Keys…), titled and explained in the language in use."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))
