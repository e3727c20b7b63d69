"""The words and styles every output shares (and the inspector too): a status, a format, a
rule with its severity, where a quoted sentence is."""

from __future__ import annotations

from ..i18n import N_, _, pgettext
from ..safety import visible

# a status's colour; its words are status_word's (jsonl and csv keep ok, violations, error)
STATUS = {"ok": "green", "violations": "red", "error": "yellow"}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "hint": "cyan"}
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "hint": N_("hint")}


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
