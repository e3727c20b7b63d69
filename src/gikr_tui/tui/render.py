"""Report data as `rich.text.Text` for the widgets: never markup strings.

Text from a report (agency names, headings, cells) may hold `[`; building
Text objects keeps it literal.  It may also hold ESC sequences, C1 controls
and bidi overrides: `shown()` makes them visible symbols before any of it
reaches a widget.  Widths are measured in terminal cells, so CJK labels line
up and truncate with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rich.cells import cell_len
from rich.text import Text

from .. import template as T
from ..checks import Quote
from ..i18n import _, ngettext, pgettext
from ..model import Section, Value
from ..checks.finding import number
from ..msg import Msg
from ..safety import visible
from .session import FileState

LABEL_WIDTH = 16  # the least room for a row label in the grid; it widens with the pane

# Short column heads so table 3 fits an 80-column terminal; the detail line
# and the findings use the template's full labels.
COL_SHORT: dict[str, str] = {
    "natural": "自然人",
    "commercial": "商业",
    "research": "科研",
    "social": "公益",
    "legal": "法律",
    "other": "其他",
    "total": "总计",
}
T4_FIELD_SHORT: dict[str, str] = {
    "upheld": "维持",
    "corrected": "纠正",
    "other": "其他",
    "pending": "未结",
    "total": "总计",
}
T4_GROUP_SHORT: dict[str, str] = {
    "review": "行政复议",
    "litigation_direct": "诉讼·直接起诉",
    "litigation_after_review": "诉讼·复议后起诉",
}
T4_TITLE, T4_TITLE_SHORT = "四、行政复议、行政诉讼", "四、复议·诉讼"

# Row labels short enough for LABEL_WIDTH with their group kept in front:
# （三）1.国家秘密, not three rows that all read "1.…".
ROW_SHORT: dict[str, str] = {
    "received_new": "一、本年新收",
    "carried_over": "二、上年结转",
    "partial": "（二）部分公开",
    "denied_1": "1.国家秘密",
    "denied_2": "2.法规禁止",
    "denied_3": "3.三安一稳",
    "denied_4": "4.第三方",
    "denied_5": "5.内部事务",
    "denied_6": "6.过程信息",
    "denied_7": "7.执法案卷",
    "denied_8": "8.查询事项",
    "unable_1": "1.不掌握",
    "unable_2": "2.另行制作",
    "unable_3": "3.仍不明确",
    "not_processed_1": "1.信访举报",
    "not_processed_2": "2.重复申请",
    "not_processed_3": "3.出版物",
    "not_processed_4": "4.大量反复",
    "not_processed_5": "5.确认出具",
    "other_1": "1.不补正",
    "other_2": "2.未缴费",
    "other_3": "3.其他",
    "carried_forward": "四、结转下年度",
}

BLANK_MARK = "·"
FAIL_MARK = "!"
HINT_MARK = "?"  # a cell a hint names (a split number, a misplaced count): not a failure
EDIT_MARK = "*"
HIGHLIGHT = "reverse bold"  # the sentence a prose finding is about, in the Reader
UNSURE_MARK = "~"  # a value OCR read with a low score; on a badge, a report read by OCR


def shown(text: str | Msg | None, keep_lines: bool = False) -> str:
    """Text from a file (or a file name), or a message that may quote one (an error, a note,
    rendered in the language in use), as it may be shown: every control a visible symbol."""
    return visible("" if text is None else str(text), keep_lines)


def fit(text: str, width: int, style: str = "") -> Text:
    """`text` cut to `width` terminal cells, ending in an ellipsis when cut."""
    out = Text(text, style=style, no_wrap=True, overflow="ellipsis", end="")
    if cell_len(text) > width:
        out.truncate(width, overflow="ellipsis")
    return out


def _group_mark(row: str) -> str:
    group = T.ROW_SPECS[row].group
    return group[: group.index("）") + 1] if group and "）" in group else ""


def row_labels(row: str) -> tuple[str, str]:
    """A row's label in full and short, each led by its group's number: （三）1.属于国家秘密."""
    mark = _group_mark(row)
    full = T.ROW_SPECS[row].label
    return mark + full, mark + ROW_SHORT.get(row, full)


def row_label(row: str, width: int = LABEL_WIDTH) -> Text:
    """The longest form of a row's label that fits `width` cells."""
    full, short = row_labels(row)
    style = "bold" if T.ROW_SPECS[row].level == 0 else ""
    return fit(full if cell_len(full) <= width else short, width, style)


def longest(*texts: str) -> int:
    return max(cell_len(t) for t in texts)


def full_row_label(row: str) -> str:
    spec = T.ROW_SPECS[row]
    return f"{spec.group} {spec.label}" if spec.group else spec.label


def value_text(value: Value | None) -> str:
    """The cell as written; blank shows as `·` so it never looks like 0."""
    if value is None or value.blank:
        return BLANK_MARK
    return shown(value.text)


def number_text(n: int | float | None) -> str:
    return "" if n is None else number(n)


def cell(value: Value | None, *, failing: bool, edited: bool, computed: int | float | None, hinted: bool = False) -> Text:
    """A cell as the grid shows it: `!` in a failed identity, `?` named by a hint (the
    likely culprit of a failure, so it takes the place of `!`), `~` read by OCR with a
    low score, `*` edited, `·` blank."""
    shown = value_text(value)
    blank = shown == BLANK_MARK
    # what the user typed is sure; what OCR read with a low score is not
    unsure = not edited and value is not None and value.uncertain
    marks = (HINT_MARK if hinted else FAIL_MARK if failing else "") + (EDIT_MARK if edited else "")
    style = "bold red" if failing else ("cyan" if hinted else "dim" if blank and not unsure else "")
    out = Text(justify="right", no_wrap=True, end="")
    out.append(shown, style=style)
    if unsure:
        out.append(UNSURE_MARK, style="bold magenta")
    if marks:
        out.append(marks, style="bold cyan" if hinted else "bold red" if failing else "bold yellow")
    if computed is not None and not (blank and computed == 0):
        same = value is not None and value.number == computed
        out.append(f" ={number_text(computed)}", style="green" if same else "magenta")
    if edited and not failing:
        out.stylize("underline")
    return out


# --- files ------------------------------------------------------------------

BADGE_WIDTH = 4


def badge(state: FileState | None) -> Text:
    """A fixed-width status mark that reads without colour too."""
    status = state.status if state is not None else "pending"
    if status == "pending":
        mark, style = "··", "dim"
        if state is not None and state.progress is not None:
            done, total = state.progress  # pages read by OCR so far
            mark = f"{done}/{total}" if len(f"{done}/{total}") <= BADGE_WIDTH else f"{done}p"
    elif status == "ok":
        mark, style = badge_word("ok"), "green"
    elif status == "error":
        mark, style = badge_word("error"), "bold yellow"
    else:
        mark, style = f"{state.counts()[0]}!", "bold red"
    if status != "pending" and state is not None and state.ocr_pages is not None:
        mark += UNSURE_MARK
    if state is not None and state.dirty:
        mark += EDIT_MARK
    return Text(" " * max(0, BADGE_WIDTH - cell_len(mark)) + mark, style=style, end="")


def badge_word(status: str) -> str:
    """The badge of a consistent report (ok) and of one that cannot be read (ERR): in
    Chinese 正常 and 异常, two characters that fill the badge's four columns."""
    return pgettext("badge", "ok") if status == "ok" else pgettext("badge", "ERR")


def status_words(state: FileState) -> str:
    if state.status == "pending":
        if state.progress is not None:
            return _("reading by OCR: page {done} of {total} done…").format(done=state.progress[0], total=state.progress[1])
        return _("parsing…")
    n, hints = state.counts()
    also = " · " + ngettext("{count} hint", "{count} hints", hints).format(count=hints) if hints else ""
    if state.status == "ok":
        words = pgettext("status", "consistent") + also
    elif state.status == "error":
        return _("unreadable: ") + shown(state.error)
    else:
        words = ngettext("{n} finding", "{n} findings", n).format(n=n) + also
    report = state.report
    if report is not None and report.ocr is not None:
        unsure = sum(v.uncertain for t in (report.requests, report.review_litigation) for f in t.values() for v in f.values())
        words += " · " + _("read by OCR ({pages} pages), {unsure} cells unsure (~)").format(
            pages=len(report.ocr.pages), unsure=unsure
        )
    elif state.ocr_pages is not None:  # not open: its cells are not at hand
        words += " · " + _("read by OCR ({pages} pages)").format(pages=state.ocr_pages)
    return words


REVIEWED_MARK = "✓"


def file_label(name: str, state: FileState | None, reviewed: bool = False) -> Text:
    mark = Text(REVIEWED_MARK if reviewed else " ", style="bold green", end="")
    return Text.assemble(badge(state), mark, " ", Text(shown(name), end=""), end="")


def folder_counts(counts, total: bool = False) -> Text:
    """A folder's files by status, in the badges' own marks: `3 ok · 2! · 1 ERR · 4 ··`."""
    out = Text(end="")
    if total:
        out.append(f"{sum(counts.values())} ")
        out.append(_("files: "), style="dim")
    parts = [
        (f"{counts['ok']} {badge_word('ok')}", "green", counts["ok"]),
        (f"{counts['violations']}!", "bold red", counts["violations"]),
        (f"{counts['error']} {badge_word('error')}", "bold yellow", counts["error"]),
        (f"{counts['pending']} ··", "dim", counts["pending"]),
    ]
    present = [(text, style) for text, style, n in parts if n] or [(parts[0][0], "dim")]
    for i, (text, style) in enumerate(present):
        if i:
            out.append(" · ", style="dim")
        out.append(text, style=style)
    return out


# --- sections ---------------------------------------------------------------

_SECTION_MARKS = {
    "ok": (" ", ""),
    "missing": ("!", "bold red"),
    "misnumbered": ("?", "bold yellow"),
    "unnumbered": ("~", "yellow"),
    "out_of_order": ("<", "yellow"),
}


def section_label(section: Section) -> Text:
    mark, style = _SECTION_MARKS.get(section.status, ("?", "yellow"))
    out = Text(end="")
    out.append(mark + " ", style=style)
    out.append(shown(section.text or section.title), style=style)
    if section.status != "ok":
        out.append(" " + _("({status})").format(status=section_status(section.status)), style=style or "dim")
    return out


def section_status(status: str) -> str:
    """A section's status in words: missing, misnumbered, unnumbered, out of order."""
    words = {"missing": pgettext("section", "missing"), "misnumbered": pgettext("section", "misnumbered"),
             "unnumbered": pgettext("section", "unnumbered"), "out_of_order": pgettext("section", "out_of_order")}
    return words.get(status, status)


def section_segments(section: Section, highlight: Quote | None = None) -> Iterator[tuple[str, str]]:
    """The Reader's text of a section as (text, style) runs, heading first; `highlight`: a
    prose finding's sentence, in its own run styled HIGHLIGHT."""
    yield shown(section.text or section.title), "bold"
    if section.origin is not None:
        yield "  " + _("({where})").format(where=section.origin.describe()), "dim"
    yield "\n", ""
    if section.status == "missing":
        yield "\n" + _("This section ({title}) was not found in the report.").format(title=section.title) + "\n", "bold red"
    elif section.status != "ok":
        written = shown(section.numbering) or _("none")
        yield "\n" + _("{status}: numbering as written: {written}; template: {title}").format(
            status=section_status(section.status), written=written, title=section.title) + "\n", "yellow"
    marked = _highlighted(section, highlight) if highlight is not None else {}
    for i, para in enumerate(section.body):
        yield "\n", ""
        text = shown(para.text, keep_lines=True)
        if i in marked:
            start, end = marked[i]
            yield text[:start], ""
            yield text[start:end], HIGHLIGHT
            yield text[end:], ""
        else:
            yield text, ""
        yield "\n", ""
    for child in section.children:
        yield "\n", ""
        yield shown(child.text or child.title), "bold"
        yield "\n", ""
        for para in child.body:
            yield shown(para.text, keep_lines=True), ""
            yield "\n", ""


def _highlighted(section: Section, quote: Quote) -> dict[int, tuple[int, int]]:
    """paragraph index -> (start, end) of the quoted sentence in its shown text; one a page break cut runs on."""
    out: dict[int, tuple[int, int]] = {}
    if quote.paragraph is None or quote.paragraph >= len(section.body):
        return out
    left, index, offset = len(quote.quote), quote.paragraph, quote.offset
    while left > 0 and index < len(section.body):
        length = len(shown(section.body[index].text, keep_lines=True))
        take = min(left, max(0, length - offset))
        if take:
            out[index] = (offset, offset + take)
        left -= take
        index, offset = index + 1, 0
    return out


def section_body(section: Section, highlight: Quote | None = None) -> Text:
    """A section's heading and text; `highlight`: a prose finding's sentence, shown in reverse."""
    return Text.assemble(*section_segments(section, highlight), end="")


def highlight_start(text: Text) -> int | None:
    """Where the highlighted sentence starts in a section's text."""
    for span in text.spans:
        if span.style == HIGHLIGHT:
            return span.start
    return None


Piece = list[tuple[str, str]]


def pieces(segments: Iterable[tuple[str, str]], size: int) -> list[Piece]:
    """Runs of text cut into pieces of at most `size` characters.

    A piece ends at a paragraph's end when one falls in its second half, else
    at the last line break that fits, else mid-line; nothing is lost or
    repeated, so the pieces read back as the whole text.
    """
    out: list[Piece] = [[]]
    used = 0
    for text, style in segments:
        while text:
            room = size - used
            if len(text) <= room:
                out[-1].append((text, style))
                used += len(text)
                break
            if used > size // 2 and len(text) <= size:
                cut = 0  # the whole paragraph starts the next piece
            else:
                cut = text.rfind("\n", 0, room) + 1 or room
                out[-1].append((text[:cut], style))
            text = text[cut:]
            out.append([])
            used = 0
    if not out[-1] and len(out) > 1:
        out.pop()
    return out

