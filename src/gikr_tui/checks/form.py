"""The report's form: its six sections present, in order, and the two that
must say something saying it.

Sections 二–四 are carried by their tables, and 六 may rightly say 无, so
only 一 (总体情况) and 五 (存在的主要问题及改进情况) can be thin.
"""

from __future__ import annotations

import re
from typing import Iterator

from .. import template as T
from ..i18n import N_, _
from ..labels import numbering_value
from ..model import Report, Section
from .finding import Finding, Quote
from .registry import check

CN_NUMBERS = "一二三四五六"
THIN_SECTIONS = (1, 5)
MIN_CHARS = 10  # of a thin section's own text, punctuation and spaces not counted
_PLENTY = 400  # characters of body beyond which a section cannot be thin
NONE_WORDS = frozenset({"无", "暂无", "没有", "无此情况", "无此项", "无相关情况", "不涉及"})

_NOT_TEXT = re.compile(r"[\W_]+")
_TITLE_REPEAT = re.compile(r"(?:政府)?信息公开(?:工作)?(?:年度)?报告$")
_HEAD_TAIL = re.compile(r"[:：](.*)$", re.S)


def _name(number: int) -> str:
    """五（存在的主要问题及改进情况）; in Chinese 第五部分（存在的主要问题及改进情况）."""
    return _("{number}（{title}）").format(number=CN_NUMBERS[number - 1], title=T.SECTION_TITLES[number - 1].split("、", 1)[1])


def _quote(section: Section, text: str, first: int | None) -> Quote:
    passage = section.body[first] if first is not None else None
    origin = (passage.origin if passage is not None else None) or section.origin
    return Quote(
        text, section.number,
        line=origin.line if origin is not None else None,
        page=origin.page if origin is not None else None,
        paragraph=first,
    )


# --- section_missing ------------------------------------------------------------------


@check(
    "section_missing", family="form", severity="warning",
    title=N_("Section missing"), title_zh="缺少部分",
    summary=N_("one of the six sections 一…六 of the national template is not in the report"),
    example=N_("section 五（存在的主要问题及改进情况） not found"),
    message=lambda f: _("section {section} not found").format(section=_name(f.section or 1)),
)
def section_missing(report: Report) -> Iterator[Finding]:
    for sec in report.sections:
        if sec.status == "missing":
            yield Finding("section_missing", "warning", section=sec.number)


# --- section_order -------------------------------------------------------------------


def _order_message(f: Finding) -> str:
    name = _name(f.section or 1)
    if f.phrase is None:
        return _("section {section} has no number").format(section=name)
    if numbering_value(f.phrase) == f.section:
        return _("section {section} comes after a later section").format(section=name)
    return _("section {section} is numbered “{numbering}”").format(section=name, numbering=f.phrase)


@check(
    "section_order", family="form", severity="warning",
    title=N_("Section numbering or order"), title_zh="部分编号或顺序",
    summary=N_("a section heading numbered as another section, not numbered, or placed after a later section"),
    example=N_("section 三（收到和处理政府信息公开申请情况） is numbered “四、”"),
    message=_order_message,
)
def section_order(report: Report) -> Iterator[Finding]:
    for sec in report.sections:
        if sec.status in ("misnumbered", "unnumbered", "out_of_order"):
            quote = Quote(sec.text or sec.title, sec.number,
                          line=sec.origin.line if sec.origin else None, page=sec.origin.page if sec.origin else None)
            yield Finding("section_order", "warning", section=sec.number, phrase=sec.numbering, text=quote)


# --- section_thin --------------------------------------------------------------------


def own_text(section: Section) -> tuple[str, int | None]:
    """What a section says itself: the heading's tail after a colon and its body,
    without a repeat of the report's title (a running header); and the index of
    its first paragraph."""
    parts: list[str] = []
    first: int | None = None
    tail = _HEAD_TAIL.search(section.text or "")
    if tail:
        parts.append(tail.group(1))
    for i, passage in enumerate(section.body):
        text = passage.text.strip()
        if not text or len(text) < 60 and _TITLE_REPEAT.search(text):
            continue
        parts.append(text)
        first = i if first is None else first
    return "\n".join(parts).strip(), first


def _thin_message(f: Finding) -> str:
    name = _name(f.section or 1)
    said = f.text.quote if f.text is not None else ""
    if not f.reported:
        return _("section {section} is empty").format(section=name)
    if _NOT_TEXT.sub("", said) in NONE_WORDS:
        return _("section {section} says only “{text}”").format(section=name, text=said)
    return _("section {section} has {count} characters of its own text (“{text}”), fewer than {least}").format(
        section=name, count=f.reported, text=said, least=MIN_CHARS,
    )


@check(
    "section_thin", family="form", severity="warning",
    title=N_("Section thin"), title_zh="内容过简",
    summary=N_("section 一 or 五 is empty, says only 无 / 暂无, or has under 10 characters of its own text"),
    example=N_("section 五（存在的主要问题及改进情况） says only “无。”"),
    message=_thin_message,
)
def section_thin(report: Report) -> Iterator[Finding]:
    for number in THIN_SECTIONS:
        if number > len(report.sections):
            continue
        sec = report.sections[number - 1]
        if sec.status == "missing":
            continue  # section_missing says so
        if sum(len(p.text) for p in sec.body) > _PLENTY:
            continue  # far past 10 characters, whatever its punctuation
        text, first = own_text(sec)
        count = len(_NOT_TEXT.sub("", text))
        if count < MIN_CHARS or _NOT_TEXT.sub("", text) in NONE_WORDS:
            yield Finding("section_thin", "warning", reported=count, section=number, text=_quote(sec, text, first))
