"""The command line in the language in use: `--lang`, argparse's own words, help that fits.

Every `gikr` command takes `--lang zh|en`; it is read before any parser is
built, since the help texts are worded when the parser is made.  argparse's
own words ("usage:", "options:", "show this help message and exit", its
errors) come from Python's `gettext.gettext` in the default domain, which
no catalog of gikr's reaches: they are looked up in gikr's `argparse`
catalog instead (`i18n.argparse_gettext`).  And argparse wraps help by
characters, where a Chinese character takes two terminal columns: the
formatter here wraps by columns, so `--help` fits the terminal in Chinese too.
"""

from __future__ import annotations

import argparse
import re
from typing import Sequence

from rich.cells import cell_len

from . import i18n
from .i18n import _

LANG_CHOICES = ("zh", "en")

# East Asian wide characters and full-width punctuation: a line may break between any two
_WIDE = "\u2e80-\u303f\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKEN = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+|\s+")
# never at the start of a line (Chinese typesetting's 避头点), nor at its end (避尾点)
_NO_START = set("，。、；：？！）》」』”’】〕…%,.;:!?)]}")
_NO_END = set("（《「『“‘【〔([{")
# a section heading of the help, when it ends in a Chinese word (位置参数:)
_HEADING = re.compile(rf"(?m)^(\S[^\n]{{0,60}}[{_WIDE}]):$")


def lang_option(args: Sequence[str]) -> str | None:
    """The language `--lang` asks for in `args` (the last one given), or None."""
    lang = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.split("=", 1)[1]
    return lang if lang in LANG_CHOICES else None


def use_language(args: Sequence[str]) -> str:
    """Speak what `--lang` (or else the environment) asks, argparse included; the language."""
    lang = i18n.set_language(lang_option(args))
    argparse._ = i18n.argparse_gettext  # type: ignore[attr-defined]  # argparse's own words (see above)
    argparse.ngettext = i18n.argparse_ngettext  # type: ignore[attr-defined]
    return lang


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` terminal columns: breaking at spaces between
    Latin words and between any two Chinese characters, never before closing punctuation."""
    lines: list[list[str]] = [[]]
    used = 0
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            if lines[-1]:
                lines[-1].append(" ")
                used += 1
            continue
        size = cell_len(token)
        if used + size > width and lines[-1]:
            line = lines[-1]
            while line and line[-1] == " ":
                line.pop()
            carried: list[str] = []
            if token[0] in _NO_START and len(line) > 1:
                carried = [line.pop()]  # the character before goes down with the punctuation
            while len(line) > 1 and line[-1][-1] in _NO_END:
                carried.insert(0, line.pop())  # an opening bracket goes down with what it opens
            lines.append(carried)
            used = sum(cell_len(t) for t in carried)
        lines[-1].append(token)
        used += size
    return ["".join(line).rstrip() for line in lines if line]


class Formatter(argparse.HelpFormatter):
    """argparse's help, wrapped by terminal columns (a Chinese character takes two)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        if text.isascii():
            return super()._split_lines(text, width)
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.isascii():
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _format_action(self, action) -> str:
        # argparse pads an option's name to the help column by characters: take back the
        # columns its wide characters (a Chinese metavar) took, or start the help below it
        text = super()._format_action(action)
        invocation = self._format_action_invocation(action)
        extra = cell_len(invocation) - len(invocation)
        head = " " * self._current_indent + invocation
        first, newline, rest = text.partition("\n")
        if extra <= 0 or not first.startswith(head) or not first[len(head):].strip():
            return text
        tail = first[len(head):]
        gap = len(tail) - len(tail.lstrip(" "))
        if gap - extra >= 2:
            first = head + tail[extra:]
        else:
            first = head + "\n" + " " * (len(head) + gap) + tail.lstrip(" ")
        return first + newline + rest

    def format_help(self) -> str:
        text = super().format_help()
        # a heading argparse ends with ":" ends with "：" when it is Chinese (位置参数：)
        return _HEADING.sub("\\1：", text)

    def _format_usage(self, usage, actions, groups, prefix) -> str:
        # argparse measures by characters: shrink its width until every line fits in columns,
        # and indent the lines after the first by what the prefix takes on the screen
        width = self._width
        prefix_text = i18n.argparse_gettext("usage: ") if prefix is None else prefix
        shift = " " * (cell_len(prefix_text) - len(prefix_text))
        try:
            while True:
                text = super()._format_usage(usage, actions, groups, prefix)
                lines = text.rstrip("\n").split("\n")
                if shift:
                    lines = [lines[0]] + [shift + line if line.startswith(" ") else line for line in lines[1:]]
                over = max(cell_len(line) for line in lines) - (width - self._current_indent)
                if over <= 0 or self._width <= 30:
                    return "\n".join(lines) + text[len(text.rstrip("\n")):]
                self._width -= over
        finally:
            self._width = width


def percent(text: str) -> str:
    """Help text with its % signs as argparse wants them (it %-formats help)."""
    return text.replace("%", "%%")


def parser(prog: str, description: str) -> argparse.ArgumentParser:
    """An ArgumentParser in the language in use, with `--lang` (read earlier by `use_language`)."""
    p = argparse.ArgumentParser(prog=prog, description=description, formatter_class=Formatter)
    p.add_argument("--lang", choices=LANG_CHOICES, metavar="zh|en",
                   help=_("language of the output (default: GIKR_LANG, else the locale: zh* is Chinese)"))
    return p
