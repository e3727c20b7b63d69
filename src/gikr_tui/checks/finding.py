"""What a check finds: plain data, rendered into words only when shown.

A Finding holds numbers, keys and quotes, never a sentence for people: the
message is built from these fields by the check that made it (through
`gikr_tui.i18n`), so the same cached finding reads in English or Chinese, and
a cache codec can store it field by field.  Every field is JSON-able: str,
int, float, None, tuples, or the nested `Quote`.
"""

from __future__ import annotations

from dataclasses import dataclass

CellRef = tuple[str, str]  # (row, col) in table 3; (group, field) in table 4; (row, field) in table 2

SEVERITIES = ("error", "warning", "hint")
# error and warning fail a report (exit status 1); a hint alone leaves it `ok`.
FAILING = frozenset({"error", "warning"})


@dataclass(frozen=True, slots=True)
class Quote:
    """Where in the prose a finding comes from: the sentence and its place."""

    quote: str  # the sentence, as the report wrote it
    section: int | None  # 1..6; None for text before section 一
    line: int | None = None  # the paragraph's line (text, HTML) or paragraph number (DOCX)
    page: int | None = None  # in a PDF
    paragraph: int | None = None  # index of the paragraph in the section's body where the sentence starts
    offset: int = 0  # where the sentence starts in that paragraph

    def to_json(self) -> dict:
        out: dict = {"quote": self.quote, "section": self.section}
        if self.page is not None:
            out["page"] = self.page
        elif self.line is not None:
            out["line"] = self.line
        return out


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str  # the id of the check that found it
    severity: str  # error | warning | hint
    reported: int | float | None = None  # what the report states (a total, a prose number, a year)
    computed: int | float | None = None  # what it should be (the parts' sum, the table's value)
    cells: tuple[CellRef, ...] = ()  # every table cell involved; for an identity, its total first
    table: int | None = None  # 2, 3 or 4 when cells are involved
    row: str | None = None
    col: str | None = None
    group: str | None = None  # table 4's group; `litigation` for both lawsuit groups together
    field: str | None = None  # table 2's column
    section: int | None = None  # 1..6
    of: str | None = None  # unfilled_total: the identity whose total is blank
    text: Quote | None = None  # prose findings: the sentence
    phrase: str | None = None  # the words the finding is about: 受理, 均已办结, the numbering as written…
    alternative: int | float | None = None  # another value the check accepted or proposes (受理: 新收 + 上年结转)
    pair: str | None = None  # the other column (or cell) a paired finding names
    previous: str | None = None  # series checks: the earlier report this one is compared with
    similarity: float | None = None  # repeated_text: how alike, 0..1
    measure: str | None = None  # repeated_text: by which measure (`indel`)
    # On a report read by OCR: the least sure cell the finding involves and its
    # score (misread.py); the arithmetic is the best alarm for a misread digit.
    misread: tuple[str, str, float] | None = None

    @property
    def difference(self) -> int | float | None:
        """reported − computed (a blank reported total counts as 0); None when nothing was computed."""
        if self.computed is None:
            return None
        return (self.reported or 0) - self.computed

    @property
    def failing(self) -> bool:
        """An error or a warning: it fails the report (a hint does not)."""
        return self.severity in FAILING

    def message(self) -> str:
        """The finding in words, in the language in use."""
        from .registry import render

        text = render(self)
        if self.misread is not None:
            from .misread import caveat

            text += caveat(self)
        return text

    def to_json(self) -> dict:
        """The `violations` entry of `gikr check --format jsonl` (a public interface:
        keys are added, never renamed; golden tests pin the shape)."""
        out: dict = {"rule": self.rule, "severity": self.severity}
        for key in ("row", "col", "group", "field", "section", "of", "pair", "previous", "similarity", "measure"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.cells and self.table is not None:
            out["table"] = self.table
        out["reported"] = self.reported
        out["computed"] = self.computed
        out["difference"] = self.difference
        out["cells"] = [list(c) for c in self.cells]
        if self.text is not None:
            out["text"] = self.text.to_json()
        if self.phrase is not None:
            out["phrase"] = self.phrase
        if self.alternative is not None:
            out["alternative"] = self.alternative
        if self.misread is not None:
            out["misread"] = {"cell": list(self.misread[:2]), "confidence": round(self.misread[2], 3)}
        out["message"] = self.message()
        return out


def number(value: int | float | None) -> str:
    """A number as people write it: 12, 12.5, 1234567 (never 1.23457e+06)."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if isinstance(value, int) else f"{value:.6g}" if abs(value) < 1e6 else f"{value:.2f}"


def signed(value: int | float | None) -> str:
    """A difference with its sign: +1, -2 (in Chinese −2, the minus sign of print)."""
    if value is None:
        return ""
    text = number(value)
    if not text.startswith("-"):
        return "+" + text
    from ..i18n import language

    return "\u2212" + text[1:] if language() == "zh" else text
