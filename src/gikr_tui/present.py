"""`gikr check`'s human output: a table that streams, one line per file.

Each file's line (and its findings, indented under it) is printed as soon as
its result arrives, and only a small summary of it is ever kept, so a folder
of thousands of reports shows progress at once and needs no more memory than
a folder of ten.  Column widths are settled up front from the scanned paths.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.text import Text

from .checks import FAILING
from .i18n import N_, _, pgettext
from .msg import render
from .pipeline import Result
from .safety import visible

# a status's colour; its words are status_word's (jsonl and csv keep ok, violations, error)
STATUS = {"ok": "green", "violations": "red", "error": "yellow"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "hint": "cyan"}
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "hint": N_("hint")}
_AGENCY_WIDTH = 24
_FIXED = ((N_("status"), 10, "left"), (N_("tpl"), 4, "right"), (N_("year"), 4, "right"))


def _fit(text: str, width: int, align: str = "left") -> str:
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


class TablePrinter(Lines):
    def __init__(self, paths: list[str], console: Console | None = None) -> None:
        super().__init__(console)
        longest = max((cell_len(visible(p)) for p in paths), default=4)
        # Leave room for the other columns; a longer path gets a line of its own.
        room = max(20, self.console.width - (10 + 4 + 4 + _AGENCY_WIDTH + 8 + 5 * 2))
        if not self.console.is_terminal:
            room = longest  # a file or a pipe has no width to keep to
        self.path_width = max(4, min(longest, room))
        self.headed = False

    def header(self) -> None:
        # printed with the first row: a run that fails before any file (a cluster out of
        # reach) says only why, not a header over nothing
        self.headed = True
        cells = [_fit(_("file"), self.path_width)] + [_fit(_(n), w, a) for n, w, a in _FIXED]
        cells += [_fit(_("agency"), _AGENCY_WIDTH), _fit(_("findings"), 8, "right")]
        self.print("  ".join(cells), "bold")

    def row(self, r: Result) -> None:
        if not self.headed:
            self.header()
        label, style = status_word(r.status), STATUS[r.status]
        rep = r.report
        line = Text()
        path = visible(r.path)  # names, agencies, errors and messages may quote a hostile file
        if cell_len(path) > self.path_width:
            self.print(Text(path))
            line.append(" " * self.path_width)
        else:
            line.append(_fit(path, self.path_width))
        line.append("  ")
        line.append(_fit(label, 10), style=style)
        line.append("  " + _fit(str(rep.template) if rep else "", 4, "right"))
        line.append("  " + _fit(str(rep.year or "") if rep else "", 4, "right"))
        line.append("  " + _fit(visible(rep.agency or "") if rep else "", _AGENCY_WIDTH))
        line.append("  " + _fit(_count(r) if r.status != "error" else "", 8, "right"))
        self.print(line)
        if r.status == "error":
            self.print(Text.assemble("  ", (visible(render(r.error)), "yellow")))
        self._findings(r.findings)

    def _findings(self, findings) -> None:
        for f in findings:
            style = SEVERITY_STYLE.get(f.severity, "red")
            self.print(Text.assemble("  ", (rule_label(f), style), "  ", visible(f.message())))
            if f.text is not None:
                self.print(Text.assemble("    ", (quoted(f.text), "dim")))

    def series(self, lines) -> None:
        """The cross-year findings after the files: each later report, the earlier one it was held against, its findings."""
        self.print()
        self.print(_("cross-year findings"), "bold")
        for line in lines:
            row = Text()
            path = visible(line.path)
            if cell_len(path) > self.path_width:
                self.print(Text(path))
                row.append(" " * self.path_width)
            else:
                row.append(_fit(path, self.path_width))
            row.append("  " + _fit(str(line.year or ""), 4, "right"))
            row.append("  " + _fit(visible(line.agency or ""), _AGENCY_WIDTH))
            row.append("  " + _("after {previous}").format(previous=visible(line.previous)), style="dim")
            self.print(row)
            self._findings(line.violations)


def format_name(fmt: str | None) -> str:
    """A file format as people read it: pdf, docx, html, doc, and text and markdown in words."""
    if fmt == "text":
        return pgettext("format", "text")
    if fmt == "markdown":
        return pgettext("format", "markdown")
    return fmt or ""


def status_word(status: str) -> str:
    """A result's status as people read it: consistent, findings, unreadable."""
    if status == "ok":
        return pgettext("status", "consistent")
    if status == "violations":
        return pgettext("status", "findings")
    return pgettext("status", "unreadable")


def rule_label(f) -> str:
    """The rule id, and the severity when it is not an error: `section_thin (warning)`."""
    if f.severity == "error":
        return f.rule
    return _("{rule} ({severity})").format(rule=f.rule, severity=_(SEVERITY_WORDS.get(f.severity, f.severity)))


def quoted(quote) -> str:
    """A prose finding's sentence and where it is: “…” (section 一, page 3)."""
    return _("“{quote}” ({where})").format(quote=visible(quote.quote), where=where(quote))


def where(quote) -> str:
    """Where a quoted sentence is: section 一, page 3; section 五, line 82; before section 一."""
    section = _("section {number}").format(number="一二三四五六"[quote.section - 1]) if quote.section else _("before section 一")
    if quote.page is not None:
        return _("{section}, page {page}").format(section=section, page=quote.page)
    if quote.line is not None:
        return _("{section}, line {line}").format(section=section, line=quote.line)
    return section


def _count(r: Result) -> str:
    """Errors and warnings; hints after a +, as they do not fail the report."""
    failing = sum(f.severity in FAILING for f in r.findings)
    hints = len(r.findings) - failing
    return _("{failing}+{hints}h").format(failing=failing, hints=hints) if hints else str(failing)
