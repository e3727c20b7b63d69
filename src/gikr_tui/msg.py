"""A sentence for people, kept as data until it is shown: its English template and named values.

What a worker says about a file — why it could not be read, what the
interpreter was unsure of — is made where the file is read but shown later,
by another process, maybe from the cache, maybe in the other language.  So
it travels and is stored as a `Msg`: the template as written in the code (the
catalog's msgid) and the values that fill it.  `str(msg)` renders it through
the catalog in the language in use, so one cached result serves Chinese and
English alike.

    raise DamagedFile(msg("truncated PDF (page {page} is missing)", page=3))
    Note(nmsg("row not recognised", "{count} rows not recognised", count=2))

`msg` and `nmsg` are keywords of the catalog's extraction (`pybabel extract`,
see `scripts/catalog.py`): their templates must be string literals.  A value may be another `Msg` (rendered in
the same language) or a plain str/int/float (a file's own text is shown as it
is: the display escapes it, see `safety.visible`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# A message is shown in a table cell, a status line: one line, capped.
MAX_MESSAGE = 200


def one_line(message: str) -> str:
    """Collapse any whitespace run (newlines included) and cap the length."""
    line = " ".join(str(message).split())
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


@dataclass(frozen=True, slots=True)
class Msg:
    text: str  # the English template: the catalog's msgid
    args: dict[str, Union[str, int, float, "Msg"]] = field(default_factory=dict)
    plural: str | None = None  # the English plural template; `count` in args chooses

    def __str__(self) -> str:
        return render(self)

    def startswith(self, prefixes: str | tuple[str, ...]) -> bool:
        """Whether the English template starts so (what kind of message it is, in any language)."""
        return self.text.startswith(prefixes)


def msg(text: str, /, **args: Union[str, int, float, Msg]) -> Msg:
    """A message to show later: `text` (a string literal, English) with its named values."""
    return Msg(text, args)


def nmsg(singular: str, plural: str, /, count: int, **args: Union[str, int, float, Msg]) -> Msg:
    """A message whose English wording depends on `count` (1 row, 2 rows)."""
    return Msg(singular, {"count": count, **args}, plural)


def both(first: Msg, second: Msg) -> Msg:
    """Two notes about one thing, said one after the other."""
    return msg("{first}; {second}", first=first, second=second)


def render(message: Msg | str | None) -> str:
    """`message` in the language in use, on one line ("" for None; a str is taken as it is)."""
    if message is None:
        return ""
    if isinstance(message, str):
        return one_line(message)
    from .i18n import _, ngettext

    args = {k: (render(v) if isinstance(v, Msg) else v) for k, v in message.args.items()}
    if message.plural is not None:
        count = args.get("count", 0)
        template = ngettext(message.text, message.plural, count if isinstance(count, int) else 0)
    else:
        template = _(message.text)
    try:
        return one_line(template.format(**args))
    except (KeyError, IndexError, ValueError):  # a translation that names other fields: the English stands
        return one_line(message.text.format(**args))
