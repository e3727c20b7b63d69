"""The compact record of one report that cross-report work needs.

A worker makes it while it still holds the whole report, and it travels with
the result's brief (and sits in the cache with it), so pairing reports across
years, the series checks and `gikr summary` never need a report's tables or
prose again: a few numbers from tables 2–4, the key figures, and per section
the text the similarity measure compares (numbers, years, punctuation and
spaces already taken out).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from .. import template as T
from ..checks.series import STOCK_ROWS
from ..model import Report, Value

Number = int | float

_CN_YEAR = re.compile("[〇零○Ｏ一二三四五六七八九]{4}(?=\\s*年)")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile("[。！？；!?;]")
OPENING_CHARS = 80


def normalise(text: str) -> str:
    """The text the similarity measure compares: letters only.

    NFKC folds full-width forms; years written in Chinese numerals
    (二〇二二年) go first, then every digit, punctuation mark, symbol and
    space, so a report that only changed its numbers and its year reads
    the same as last year's.
    """
    text = unicodedata.normalize("NFKC", _CN_YEAR.sub("", text))
    return "".join(filter(str.isalpha, text)).casefold()


@dataclass(slots=True)
class SectionText:
    """One section's prose, as the similarity measure needs it."""

    number: int  # 1..6
    length: int  # characters of its prose as written, spaces not counted
    text: str  # normalise()d: what is compared
    opening: str  # its first sentence as written (cut at 80 characters): the finding's quote
    line: int | None = None  # where the section's heading is
    page: int | None = None


@dataclass(slots=True)
class Figures:
    """The key figures `gikr summary` shows; None where the report has no such row.

    Totals are the 总计 column, a blank total counting as its parts' sum
    (as the arithmetic checks fill it).
    """

    received_new: Number | None = None  # 新收
    carried_over: Number | None = None  # 上年结转
    results_total: Number | None = None  # 办结 （七）总计
    carried_forward: Number | None = None  # 结转下年度
    granted: Number | None = None  # 予以公开
    partial: Number | None = None  # 部分公开
    review: Number | None = None  # 行政复议 总计
    review_corrected: Number | None = None  # 行政复议 结果纠正
    litigation: Number | None = None  # 行政诉讼 总计 (both groups)

    @property
    def disclosure_rate(self) -> float | None:
        """公开率 = (予以公开 + 部分公开) / 办结."""
        return rate((self.granted or 0) + (self.partial or 0), self.results_total)

    @property
    def correction_rate(self) -> float | None:
        """复议纠错率 = 纠正 / 复议."""
        return rate(self.review_corrected or 0, self.review)


def rate(part: Number, whole: Number | None) -> float | None:
    return None if not whole else part / whole


@dataclass(slots=True)
class Record:
    """What cross-report work knows of one report.  The path travels beside it (a file has many names)."""

    agency: str | None  # as the report states it
    year: int | None
    template: int
    format: str
    # table 3's 二、上年结转 and 四、结转下年度 per column (blank 0, a blank total its parts' sum);
    # None when the report has no such row
    carried_over: dict[str, Number] | None = None
    carried_forward: dict[str, Number] | None = None
    # table 2's 规章 and 规范性文件 rows as the report's own columns name them
    stock: dict[str, dict[str, Number | None]] = field(default_factory=dict)
    figures: Figures = field(default_factory=Figures)
    sections: list[SectionText] = field(default_factory=list)
    digest: str = ""  # of tables 3 and 4's numbers: two files with the same digest may be one report

    def section(self, number: int) -> SectionText | None:
        for sec in self.sections:
            if sec.number == number:
                return sec
        return None

    @property
    def text(self) -> str:
        """Every section's compared text, in order (to tell one report in two files)."""
        return "".join(s.text for s in self.sections)


def _amount(value: Value | None) -> Number:
    return value.amount() if value is not None else 0


def _filled_row(report: Report, row: str) -> dict[str, Number] | None:
    cols = report.requests.get(row)
    if cols is None:
        return None
    out = {c: _amount(cols.get(c)) for c in T.COLS}
    total = cols.get("total")
    if total is None or total.number is None:
        out["total"] = sum(out[c] for c in T.PART_COLS)
    return out


def _group_total(report: Report, group: str) -> Number | None:
    fields = report.review_litigation.get(group)
    if not fields:
        return None
    total = fields.get("total")
    if total is not None and total.number is not None:
        return total.number
    return sum(_amount(fields.get(f)) for f in T.T4_PART_FIELDS)


def figures_of(report: Report) -> Figures:
    def total(row: str) -> Number | None:
        filled = _filled_row(report, row)
        return None if filled is None else filled["total"]

    review = report.review_litigation.get("review") or {}
    direct = _group_total(report, "litigation_direct")
    after = _group_total(report, "litigation_after_review")
    return Figures(
        received_new=total("received_new"),
        carried_over=total("carried_over"),
        results_total=total("results_total"),
        carried_forward=total("carried_forward"),
        granted=total("granted"),
        partial=total("partial"),
        review=_group_total(report, "review"),
        review_corrected=_amount(review.get("corrected")) if review else None,
        litigation=None if direct is None and after is None else (direct or 0) + (after or 0),
    )


def _template_words() -> frozenset[str]:
    """The template's own labels: a table's caption or label read as a paragraph is not the agency's prose."""
    words = [spec.label for spec in T.ROW_SPECS.values()]
    words += [*T.GROUP_LABELS.values(), *T.COL_LABELS.values(), *T.T4_GROUP_LABELS.values(), *T.T4_FIELD_LABELS.values()]
    words += [kw for _row, kws in T.T2_ROWS for kw in kws] + [kw for kw, _field in T.T2_HEADER_FIELDS]
    words += ["三、本年度办理结果", "申请人情况", "信息内容", "法人或其他组织", "行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"]
    words += [f"第二十条第（{n}）项" for n in "一二三四五六七八九十"]
    return frozenset(normalise(w) for w in words)


_TEMPLATE_WORDS = _template_words()


def _section_text(sec) -> SectionText | None:
    prose = [p.text for p in sec.body if not p.row and p.text.strip() and normalise(p.text) not in _TEMPLATE_WORDS]
    if not prose:
        return None
    written = "".join(_SPACE.sub("", p) for p in prose)
    first = _SPACE.sub(" ", prose[0]).strip()
    end = _SENTENCE_END.search(first)
    opening = first[: end.end()] if end else first
    if len(opening) > OPENING_CHARS:
        opening = opening[: OPENING_CHARS - 1] + "…"
    origin = sec.origin
    return SectionText(
        sec.number, len(written), normalise("".join(prose)), opening,
        origin.line if origin is not None else None, origin.page if origin is not None else None,
    )


def _digest(report: Report) -> str:
    """Tables 3 and 4's values.  Not table 2: readers of different formats agree on it less
    often (its layout varies most), and two files of one report must read as one."""
    h = hashlib.blake2b(digest_size=8)
    for table in (report.requests, report.review_litigation):
        for row, cols in table.items():
            h.update(row.encode())
            for col, value in cols.items():
                h.update(f"{col}={_amount(value)!r};".encode())
    return h.hexdigest()


def record_of(report: Report) -> Record:
    stock = {
        row: {f: v.number for f, v in report.active_disclosure[row].items()}
        for row in STOCK_ROWS if row in report.active_disclosure
    }
    sections = [t for t in (_section_text(s) for s in report.sections if s.status != "missing") if t is not None]
    return Record(
        agency=report.agency,
        year=report.year,
        template=report.template,
        format=report.format,
        carried_over=_filled_row(report, "carried_over"),
        carried_forward=_filled_row(report, "carried_forward"),
        stock=stock,
        figures=figures_of(report),
        sections=sections,
        digest=_digest(report),
    )
