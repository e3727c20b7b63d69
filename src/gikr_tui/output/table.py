"""`gikr check`'s human output: a table that streams, one line per file.

Each file's line (and its findings, indented under it) is printed as soon as
its result arrives, and only a small summary of it is ever kept, so a folder
of thousands of reports shows progress at once and needs no more memory than
a folder of ten.  Column widths are settled up front from the scanned paths.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from ..checks import FAILING
from ..i18n import N_, _, ngettext, pgettext
from ..msg import render
from ..pipeline import Result
from ..safety import visible
from .lines import Lines, fit
from .words import SEVERITY_STYLE, STATUS, quoted, rule_label, status_word

_AGENCY_WIDTH = 24
_NOTES_SHOWN = 3  # a report's notes listed under it; jsonl has them all
_FIXED = ((N_("status"), 10, "left"), (N_("tpl"), 4, "right"), (N_("year"), 4, "right"))


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
        cells = [fit(_("file"), self.path_width)] + [fit(_(n), w, a) for n, w, a in _FIXED]
        cells += [fit(_("agency"), _AGENCY_WIDTH), fit(_("findings"), 8, "right")]
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
            line.append(fit(path, self.path_width))
        line.append("  ")
        line.append(fit(label, 10), style=style)
        line.append("  " + fit(str(rep.template) if rep else "", 4, "right"))
        line.append("  " + fit(str(rep.year or "") if rep else "", 4, "right"))
        line.append("  " + fit(visible(rep.agency or "") if rep else "", _AGENCY_WIDTH))
        line.append("  " + fit(_count(r) if r.status != "error" else "", 8, "right"))
        self.print(line)
        if r.status == "error":
            self.print(Text.assemble("  ", (visible(render(r.error)), "yellow")))
        self._findings(r.findings)
        if rep is not None:
            self._doubts(rep)

    def _doubts(self, rep) -> None:
        """What the reading was unsure of, under the findings: that OCR read it, and its first
        notes (a consistent report read with doubts must not look like one read with none)."""
        if rep.ocr is not None and rep.ocr.pages:
            n = len(rep.ocr.pages)
            said = (ngettext("read by OCR ({count} page)", "read by OCR ({count} pages)", n) if rep.format == "pdf"
                    else ngettext("read by OCR ({count} picture)", "read by OCR ({count} pictures)", n))
            self.print(Text.assemble(("  ~ ", "yellow"), (said.format(count=n), "dim")))
        for note in rep.notes[:_NOTES_SHOWN]:
            self.print(Text.assemble(("  ~ " + _("note") + " ", "yellow"), (visible(render(note.message)) + note.where(), "dim")))
        more = len(rep.notes) - _NOTES_SHOWN
        if more > 0:
            self.print(Text.assemble(("  ~ ", "yellow"), (ngettext(
                "{count} more note (--format jsonl lists every one)",
                "{count} more notes (--format jsonl lists every one)", more).format(count=more), "dim")))

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
                row.append(fit(path, self.path_width))
            row.append("  " + fit(str(line.year or ""), 4, "right"))
            row.append("  " + fit(visible(line.agency or ""), _AGENCY_WIDTH))
            row.append("  " + _("after {previous}").format(previous=visible(line.previous)), style="dim")
            self.print(row)
            self._findings(line.violations)


def _count(r: Result) -> str:
    """Errors and warnings; hints after a +, as they do not fail the report."""
    failing = sum(f.severity in FAILING for f in r.findings)
    hints = len(r.findings) - failing
    return _("{failing}+{hints}h").format(failing=failing, hints=hints) if hints else str(failing)


def print_checks(registered) -> None:
    """`gikr check --list-checks`: each check's id, severity, scope and family (the words --checks
    takes: never translated), then its title and summary."""
    from .. import checks

    scopes = {"report": pgettext("scope", "report"), "series": pgettext("scope", "series"),
              "folder": pgettext("scope", "folder")}
    rows = [(c.id, c.severity, scopes.get(c.scope, c.scope), c.family, checks.title(c), _(c.summary))
            for c in registered]
    width = [max(cell_len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(r[i] + " " * (width[i] - cell_len(r[i])) for i in range(4)) + "  "
              + _("{title}: {summary}").format(title=visible(r[4]), summary=visible(r[5])))
