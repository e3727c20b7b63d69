"""Mapping a neutral document onto the template.

The document is read as one stream of paragraphs and table rows, whatever
reader made it, so a table split by a page break, a page header inside a
table, or a table copied as several pieces reads the same as a whole one.
Rows are recognised by their labels, never by position; values are placed
from the right number of cells, and where that number is wrong the placement
says so in a note.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from . import template as T
from .align import align
from .errors import NoRequestTable
from .labels import norm, numbering_value, split_numbering
from .model import EMPTY, Cell, Document, Note, Origin, Paragraph, Passage, Report, Section, Table, Value
from .msg import Msg, both, msg
from .rows import HEADER_WORDS, collect, keyword_row, place_rows, vintage
from .values import MAX_DIGITS, kind, over_long_number, place_kind, to_value


@dataclass(slots=True)
class _Item:
    """One step of the document stream: a paragraph or a table row."""

    index: int
    para: Paragraph | None = None
    cells: list[Cell] | None = None
    _split: tuple[list[Cell], list[Cell]] | None = None

    def split(self) -> tuple[list[Cell], list[Cell]]:
        """(label cells, value cells), computed once: several passes ask."""
        if self._split is None:
            self._split = _split_row(self.cells or [])
        return self._split


def _stream(doc: Document) -> list[_Item]:
    items: list[_Item] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                items.append(_Item(len(items), cells=row))
        else:
            items.append(_Item(len(items), para=block))
    return items


def _split_row(cells: list[Cell]) -> tuple[list[Cell], list[Cell]]:
    """(label cells, value cells): values are the cells after the last text cell."""
    last_text = -1
    for i, cell in enumerate(cells):
        if place_kind(cell.text) == "text":
            last_text = i
    labels = [c for c in cells[: last_text + 1] if place_kind(c.text) == "text"]
    return labels, cells[last_text + 1:]


# --- Value placement ---------------------------------------------------------


def place(
    cells: list[Cell],
    n: int,
    holds: Callable[[list[Value]], bool],
    what: str,
) -> tuple[list[Value], Msg | None]:
    """Put a row's value cells into its n columns.

    Copies pad rows with empty cells (merged labels, trailing separators) and
    sometimes add or lose cells.  Padding is dropped silently; anything else
    is placed by the row's own arithmetic where that decides it, and the
    returned note says what was done.  `what` is `row` (a table-3 row: its
    total) or `group` (table 4: each group's total).
    """
    row = what == "row"
    values = [to_value(c.text, c.origin) for c in cells]  # each cell converted once
    lo, hi = 0, len(values)
    while hi - lo > n and values[hi - 1].blank:
        hi -= 1
    while hi - lo > n and values[lo].blank:
        lo += 1
    values = values[lo:hi]
    if len(values) == n:
        return values, None
    if len(values) > n:
        starts = range(len(values) - n + 1)
        good = [i for i in starts if holds(values[i: i + n])]
        distinct = {tuple(v.number for v in values[i: i + n]) for i in good}
        if len(distinct) == 1:
            i = good[0]
            if len(good) > 1:
                note = (msg("{count} values where {n} belong; every placement whose row total holds gives the same values",
                            count=len(values), n=n) if row else
                        msg("{count} values where {n} belong; every placement whose group totals hold gives the same values",
                            count=len(values), n=n))
            elif row:
                note = msg("{count} values where {n} belong; took cells {first}–{last}, the only placement whose row "
                           "total holds", count=len(values), n=n, first=i + 1, last=i + n)
            else:
                note = msg("{count} values where {n} belong; took cells {first}–{last}, the only placement whose group "
                           "totals hold", count=len(values), n=n, first=i + 1, last=i + n)
        else:  # a guess would put numbers in the wrong columns
            note = msg("{count} values where {n} belong; could not tell which {n}, so none were used", count=len(values), n=n)
            return [_noted(Value(None), note) for _i in range(n)], note
        return [_noted(v, note) for v in values[i: i + n]], note
    # Fewer cells than columns: trailing blanks carry no position.
    while values and values[-1].blank:
        values.pop()
    if not values:
        return _blanks(n), None
    if len(values) == 1 or all(v.blank for v in values[:-1]):
        kept = sum(not v.blank for v in values)
        note = (msg("only {count} of {n} values survived; placed in the last column (the row's total)", count=kept, n=n)
                if row else msg("only {count} of {n} values survived; placed in the last column (the group's total)",
                                count=kept, n=n))
        return _blanks(n - 1) + [_noted(values[-1], note)], note
    parts, last = values[:-1], values[-1]
    if last.number is not None and sum(v.amount() for v in parts) == last.number:
        note = msg("{count} of {n} values; the last equals the sum of the others, so it was placed as the total",
                   count=len(values), n=n)
        return [_noted(v, note) for v in parts] + _blanks(n - len(values)) + [_noted(last, note)], note
    note = msg("{count} of {n} values; placed from the left, the rest left blank", count=len(values), n=n)
    return [_noted(v, note) for v in values] + _blanks(n - len(values)), note


def _blanks(count: int) -> list[Value]:
    return [Value(None) for _ in range(count)]


def _noted(value: Value, note: Msg) -> Value:
    value.note = note
    return value


def _row_holds(values: list[Value]) -> bool:
    total = values[-1]
    return total.number is not None and sum(v.amount() for v in values[:-1]) == total.number


def _t4_holds(values: list[Value]) -> bool:
    for g in range(3):
        group = values[g * 5: g * 5 + 5]
        if group[-1].number is None or sum(v.amount() for v in group[:-1]) != group[-1].number:
            return False
    return True


# --- The interpreter ------------------------------------------------------------


class Interpreter:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.items = _stream(doc)
        self.notes: list[Note] = []

    # sections ---------------------------------------------------------------

    def sections(self) -> tuple[list[Section], dict[int, int]]:
        """The six sections and the stream index where each starts."""
        found: dict[int, Section] = {}
        starts: dict[int, int] = {}
        current = 0
        for item in self.items:
            text, origin = self._heading_candidate(item)
            if text is None:
                continue
            hit = match_section(text)
            if hit is None:
                continue
            number, numbering = hit
            written = numbering_value(numbering) if numbering else None
            if number <= current:
                # a title repeated by a page break, or an outline in prose; but a
                # section not seen yet, numbered as itself, came out of order
                if number in found or written != number:
                    continue
                status = "out_of_order"
            else:
                current = number
                status = "ok" if written == number else ("unnumbered" if not numbering else "misnumbered")
            found[number] = Section(number, T.SECTION_TITLES[number - 1], text.strip(), origin, numbering or None, status)
            starts[number] = item.index
        sections: list[Section] = []
        for number in range(1, 7):
            sec = found.get(number)
            if sec is None:
                sec = Section(number, T.SECTION_TITLES[number - 1], None, status="missing")
            sections.append(sec)
        self._fill_bodies(sections, starts)
        return sections, starts

    @staticmethod
    def _heading_candidate(item: _Item) -> tuple[str | None, Origin | None]:
        if item.para is not None:
            return item.para.text, item.para.origin
        filled = [c for c in item.cells or () if c.text.strip()]
        if len(filled) == 1 and kind(filled[0].text) == "text":
            return filled[0].text, filled[0].origin
        return None, None

    def _fill_bodies(self, sections: list[Section], starts: dict[int, int]) -> None:
        order = sorted(starts.items(), key=lambda kv: kv[1])
        for pos, (number, start) in enumerate(order):
            end = order[pos + 1][1] if pos + 1 < len(order) else len(self.items)
            sec = sections[number - 1]
            for item in self.items[start + 1: end]:
                if item.para is not None:
                    sec.body.append(Passage(item.para.text, item.para.origin))
                    child = _sub_item(item.para)
                    if child is not None:
                        sec.children.append(child)
                elif item.cells is not None:
                    sec.body.append(Passage(" | ".join(c.text for c in item.cells), item.cells[0].origin if item.cells else None, True))

    def preamble(self, starts: dict[int, int]) -> list[Passage]:
        """The paragraphs before the first section, after the title lines."""
        end = min(starts.values(), default=0)
        return [Passage(item.para.text, item.para.origin) for item in self.items[:end] if item.para is not None]

    # table 3 -----------------------------------------------------------------

    def table3_start(self, starts: dict[int, int]) -> int:
        """Where table 3 starts: its first row, else its column headers or any row its labels name."""
        begin = self._find_row(lambda t: "本年新收" in t, starts.get(3, 0))
        if begin is None:
            begin = self._find_row(lambda t: "本年新收" in t, 0)
        if begin is None:  # the first row's label is damaged
            begin = self._find_row(_table3_label, starts.get(3, 0))
        if begin is None:
            raise NoRequestTable()
        return begin

    def requests(self, begin: int, starts: dict[int, int], hint: int) -> tuple[dict[str, list[Value]], int | None, int]:
        """Table 3's rows by template row, the template they show (None: they do
        not say), and where the table ends.  `hint`: the template to align with
        when the rows do not say."""
        stop = starts.get(4, len(self.items))
        if stop <= begin:
            stop = len(self.items)
        rows, end = collect(self.items[begin:stop])
        tpl = vintage(rows)
        placements, notes = place_rows(rows, tpl or hint)
        order = T.rows_for(tpl or hint)
        placed: dict[str, list[Value]] = {}
        for placement in sorted(placements, key=lambda p: p.row.index):
            row, key = placement.row, placement.key
            if key not in order and not row.has_values:
                continue  # （六）其他处理 on a row of its own: the group's label in 2021+
            values, note = place(row.values, 7, _row_holds, "row")
            if placement.note:
                note = both(placement.note, note) if note else placement.note
                for v in values:
                    v.note = note
            if note:
                notes.append((row.index, Note(note, row=key, origin=row.origin)))
            placed[key] = values
        self.notes.extend(n for _i, n in sorted(notes, key=lambda n: n[0]))
        return placed, tpl, end if end is not None else begin

    def build_grid(self, placed: dict[str, list[Value]], tpl: int) -> dict[str, dict[str, Value]]:
        grid: dict[str, dict[str, Value]] = {}
        for key in T.rows_for(tpl):
            values = placed.get(key)
            if values is None:
                self.notes.append(Note(msg("row not found: {label}", label=T.ROW_SPECS[key].label), row=key))
                values = [EMPTY] * 7
            grid[key] = dict(zip(T.COLS, values))
        for key, values in placed.items():
            if key not in grid and any(not v.blank for v in values):
                self.notes.append(Note(msg("row {label} does not belong to the {template} template",
                                           label=T.ROW_SPECS[key].label, template=tpl), row=key))
        return grid

    def _find_row(self, test: Callable[[str], bool], start: int) -> int | None:
        for item in self.items[start:]:
            if item.cells is not None:
                labels, _ = item.split()
                if test(norm("".join(c.text for c in labels))):
                    return item.index
        return None

    # table 4 -----------------------------------------------------------------

    def review_litigation(self, after: int, starts: dict[int, int]) -> dict[str, dict[str, Value]]:
        start = max(after, starts.get(4, 0))
        stop = starts.get(5, len(self.items))
        if stop <= start:
            stop = len(self.items)
        header = None
        for item in self.items[start:stop]:
            if item.cells is not None and any("复议" in norm(c.text) or "结果维持" in norm(c.text) for c in item.cells):
                header = item.index
                break
        if header is not None:  # a caption just above the first small table names its group
            while header - 1 > start and self.items[header - 1].para is not None:
                if not _t4_group(norm(self.items[header - 1].para.text)):
                    break
                header -= 1
        chunks = self._t4_chunks(header, stop) if header is not None else []
        if not chunks:
            self.notes.append(Note(msg("table 4 (行政复议、行政诉讼) not found")))
            return {g: {f: EMPTY for f in T.T4_FIELDS} for g in T.T4_GROUPS}
        if all(len(_trailing_blanks_dropped(c)) <= _T4_GROUP_CELLS for c, _n in chunks) and (len(chunks) > 1 or chunks[0][1]):
            return self._t4_per_group(chunks)
        cells = chunks[0][0]
        values, note = place(cells, 15, _t4_holds, "group")
        if note:
            self.notes.append(Note(msg("table 4: {note}", note=note), origin=cells[0].origin))
        return {g: dict(zip(T.T4_FIELDS, values[i * 5: i * 5 + 5])) for i, g in enumerate(T.T4_GROUPS)}

    def _t4_chunks(self, header: int, stop: int) -> list[tuple[list[Cell], str | None]]:
        """Table 4's runs of value cells, each with the one group the text before
        it names (None: none, or several).  One run is the whole table; a table
        written as a small table per group gives a run per group."""
        chunks: list[tuple[list[Cell], str | None]] = []
        named: list[str] = []
        cells: list[Cell] = []
        under_fields = False  # the row above names the five fields: blanks below it are a group's values

        def close() -> None:
            nonlocal cells, named
            if cells:
                chunks.append((cells, named[0] if len(set(named)) == 1 else None))
                cells, named = [], []

        for item in self.items[header:stop]:
            if len(chunks) >= _T4_MAX_CHUNKS or chunks and len(_trailing_blanks_dropped(chunks[0][0])) > _T4_GROUP_CELLS:
                break  # enough, or the first run is the whole table
            if item.cells is None:
                text = norm(item.para.text)
                if len(text) > _T4_CAPTION_CHARS:
                    if chunks or cells:
                        break  # prose after the table
                    continue
                group = _t4_group(text)
                if group:
                    close()
                    named.append(group)
                continue  # a page header between a row's pieces
            kinds = [place_kind(c.text) for c in item.cells]
            fields_above, under_fields = under_fields, False
            if "text" in kinds:
                close()
                under_fields = any("总计" in c.text for c in item.cells)
                last_text = len(kinds) - 1 - kinds[::-1].index("text")
                labels = [c for c, k in zip(item.cells, kinds) if k == "text"]
                value_cells = item.cells[last_text + 1:]
                groups = [g for g in (_t4_group(norm(c.text)) for c in labels if "议" in c.text or "诉" in c.text) if g]
                if "number" in kinds[last_text:] or "dash" in kinds[last_text:]:
                    named += groups  # a group's label and its values on one row
                    cells = list(value_cells)
                    close()
                elif chunks and not groups and not any(w in norm(c.text) for c in labels for w in _T4_WORDS):
                    break  # another table
                else:
                    named += groups
                continue
            if not cells and "number" not in kinds and "dash" not in kinds and len(kinds) < 10 and not (
                fields_above and len(kinds) >= 5
            ):
                continue  # a spacer row, not an all-blank data row
            cells.extend(item.cells)
            if len(cells) >= 15:
                close()
        close()
        return chunks

    def _t4_per_group(self, chunks: list[tuple[list[Cell], str | None]]) -> dict[str, dict[str, Value]]:
        """Table 4 as a small table per group: each run goes to the group its
        caption names, else to the group its place in the template's order leaves."""
        groups = T.T4_GROUPS

        def score(a: int, b: int) -> float:
            name = chunks[a][1]
            return _T4_WORTH + (0.0 if name is None else _T4_NAMED if name == groups[b] else _T4_MISNAMED)

        out = {g: {f: EMPTY for f in T.T4_FIELDS} for g in groups}
        found: set[str] = set()
        for (cells, name), d in zip(chunks, align(len(chunks), len(groups), score, _T4_MARGIN)):
            if not d.sure or d.slot is None:
                shown = " ".join(c.text for c in cells).strip()[:40]
                message = (
                    msg("table 4: values not used: {cells} (they could be one of {groups})",
                        cells=shown, groups=" / ".join(T.T4_GROUP_LABELS[groups[s]] for s in d.rivals))
                    if d.rivals else msg("table 4: values not used: {cells}", cells=shown)
                )
                self.notes.append(Note(message, origin=cells[0].origin))
                continue
            group = groups[d.slot]
            values, note = place(cells, 5, _row_holds, "group")
            if name is None:
                how = msg("placed as {group} by its position among the per-group tables", group=T.T4_GROUP_LABELS[group])
                note = both(how, note) if note else how
                for v in values:
                    v.note = note
            if note:
                self.notes.append(Note(msg("table 4: {note}", note=note), origin=cells[0].origin))
            out[group] = dict(zip(T.T4_FIELDS, values))
            found.add(group)
        for g in groups:
            if g not in found:
                self.notes.append(Note(msg("table 4: group {group} not found", group=T.T4_GROUP_LABELS[g])))
        return out

    # table 2 -----------------------------------------------------------------

    def active_disclosure(self, starts: dict[int, int], t3_start: int) -> tuple[list[tuple], int | None]:
        """Table 2's rows as (row key, the header naming its columns or None,
        value cells, label cell), and the template its headers show."""
        start = starts.get(2, 0)
        stop = min(starts.get(3, t3_start), t3_start)
        if stop <= start:
            start = 0
        header: tuple[str, ...] | None = None
        votes = Counter()
        rows: list[tuple] = []
        seen: set[str] = set()
        for item in self.items[start:stop]:
            if item.cells is None:
                continue
            labels, value_cells = item.split()
            texts = [norm(c.text) for c in item.cells if place_kind(c.text) == "text"]
            fields = tuple(f for t in texts for f in _header_fields(t))
            if fields:
                header = fields
                for t in texts:
                    if any(m in t for m in T.T2_2019_MARKERS):
                        votes[T.T2019] += 1
                    if any(m in t for m in T.T2_2021_MARKERS):
                        votes[T.T2021] += 1
                continue
            if not labels:
                continue
            row = _t2_row(norm(labels[-1].text))
            if row is None or row in seen:
                continue
            seen.add(row)
            vals = list(value_cells)
            while vals and not vals[-1].text.strip():
                vals.pop()
            rows.append((row, header, vals, labels[-1]))
        vote = votes.most_common(1)[0][0] if votes else None
        return rows, vote

    def name_active_disclosure(self, rows: list[tuple], tpl: int) -> dict[str, dict[str, Value]]:
        """Values keyed by the columns their header names, else the template's."""
        out: dict[str, dict[str, Value]] = {}
        for row, header, vals, label in rows:
            names = header or T.T2_DEFAULT_FIELDS[tpl].get(row, ())
            if len(vals) > len(names) and names:
                self.notes.append(Note(msg("table 2 row {label}: {count} values for {n} columns",
                                           label=label.text.strip(), count=len(vals), n=len(names)), origin=label.origin))
            out[row] = {name: to_value(c.text, c.origin) for name, c in zip(names, vals)} if names else {
                f"col{i + 1}": to_value(c.text, c.origin) for i, c in enumerate(vals)
            }
        return out


def _table3_label(text: str) -> bool:
    return any(w in text for w in HEADER_WORDS) or keyword_row(split_numbering(text)[1]) is not None


# Table 4 written per group: a run of at most this many cells is one group's.
_T4_GROUP_CELLS = 7
_T4_MAX_CHUNKS = 6
_T4_CAPTION_CHARS = 24
_T4_WORDS = ("结果", "维持", "纠正", "审结", "总计", "复议", "诉讼", "起诉")
_T4_WORTH, _T4_NAMED, _T4_MISNAMED, _T4_MARGIN = 1.2, 3.0, -5.0, 0.5


def _t4_group(text: str) -> str | None:
    """The table-4 group a caption or header cell names (行政诉讼 alone names two)."""
    if "直接起诉" in text or "未经复议" in text:
        return "litigation_direct"
    if "复议后" in text:
        return "litigation_after_review"
    if "行政复议" in text:
        return "review"
    return None


def _trailing_blanks_dropped(cells: list[Cell]) -> list[Cell]:
    end = len(cells)
    while end and not cells[end - 1].text.strip():
        end -= 1
    return cells[:end]


def _header_fields(text: str) -> list[str]:
    fields: list[str] = []
    for word, name in T.T2_HEADER_FIELDS:
        if word in text and name not in fields:
            fields.append(name)
            break
    return fields


def _t2_row(text: str) -> str | None:
    body = split_numbering(text)[1]
    if len(body) > 16:
        return None
    for key, words in T.T2_ROWS:
        if any(w in body for w in words):
            return key
    return None


# --- Sections -------------------------------------------------------------------

_DIGIT = re.compile(r"\d")
_TOP_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]{1,2}[、.]|\d{1,2}[、.]|第[一二三四五六七八九十\d]+部分[、.:]?)$")


@lru_cache(maxsize=8192)
def match_section(text: str) -> tuple[int, str] | None:
    """(section number, numbering as written) if text is one of the six headings."""
    n = norm(text)
    if not n or len(n) > 40:
        return None
    numbering, body = split_numbering(n)
    if numbering and not _TOP_NUMBERING.match(numbering):
        return None  # （一）… is a sub-item, never a section
    if not numbering and (_DIGIT.search(body) or body.endswith(("。", ";", "；"))):
        return None  # a short sentence of prose (“行政复议、行政诉讼案件均为0件。”), not a title
    body = body.rstrip("。:.")
    if len(body) > 26:
        return None
    for i, words in enumerate(T.SECTION_KEYWORDS):
        if any(w in body for w in words):
            return i + 1, numbering
    return None


_SUB_ITEM = re.compile(r"^\s*[(（]\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]")
_SUB_TITLE_END = re.compile(r"[。；;]")


def _sub_item(para: Paragraph) -> Section | None:
    m = _SUB_ITEM.match(para.text)
    if not m:
        return None
    title = _SUB_TITLE_END.split(para.text, 1)[0].strip()
    if len(title) > 40:
        title = title[:39] + "…"
    numbering = m.group(0).strip()
    written = numbering_value(norm(numbering))
    status = "ok" if not m.group(1).isdigit() else "misnumbered"
    return Section(written or 0, title, para.text, para.origin, numbering, status)


# --- Title, agency and year ---------------------------------------------------

_TITLE = re.compile(r"^(.{2,40}?)(20\d\d)\s*年度?(?:政府)?信息公开(?:工作)?(?:年度)?报告")
_TITLE_YEAR_FIRST = re.compile(r"^(20\d\d)\s*年度?(.{2,40}?)(?:政府)?信息公开(?:工作)?(?:年度)?报告")
_PUBLISHES = re.compile(r"现(?:予)?公布(.{2,40}?)(20\d\d)\s*年度?(?:政府)?信息公开")
_YEAR = re.compile(r"(20\d\d)\s*年")
_WHITESPACE = re.compile(r"\s+")
# A site's field name in front of the title: 标题：, 信息名称:, 【标题】 … (a
# colon further on, as in a URL, is part of the text)
_FIELD_NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,6}[：:]|【[^】]{1,8}】)")


def _agency(text: str) -> str | None:
    name = _FIELD_NAME.sub("", text)
    return name if len(name) >= 2 else None


def title_facts(items: list[_Item]) -> tuple[str | None, int | None]:
    """The agency and year from the title lines, or the body where it says so."""
    head: list[str] = []
    for item in items[:12]:
        if item.para is not None:
            head.append(item.para.text.strip())
        if len(head) >= 4:
            break
    joined = [h for h in head] + ["".join(head[i: i + 2]) for i in range(len(head) - 1)]
    for text in joined:
        compact = _WHITESPACE.sub("", text)
        m = _TITLE.match(compact)
        if m and "年" not in m.group(1)[-1:] and _agency(m.group(1)):
            return _agency(m.group(1)), int(m.group(2))
    body_year = None
    for item in items[:40]:
        if item.para is None:
            continue
        compact = _WHITESPACE.sub("", item.para.text)
        m = _PUBLISHES.search(compact)
        if m:
            return _agency(m.group(1)), int(m.group(2))
    for text in joined:
        m = _TITLE_YEAR_FIRST.match(_FIELD_NAME.sub("", _WHITESPACE.sub("", text)))
        if m:
            return _agency(m.group(2)), int(m.group(1))
    counts = Counter()
    for item in items:
        if item.para is not None:
            for y in _YEAR.findall(item.para.text):
                counts[int(y)] += 1
    if counts:
        body_year = counts.most_common(1)[0][0]
    return None, body_year


# --- Values read by OCR ------------------------------------------------------------


def _uncertain_notes(*tables: dict[str, dict[str, Value]]) -> list[Note]:
    """A note for each value OCR read with a low score, or saw marks in but could not read.

    The value itself carries the note too, so the inspector's detail line
    shows it on the cell.
    """
    notes: list[Note] = []
    for table in tables:
        for row, fields in table.items():
            for col, value in fields.items():
                if not value.uncertain:
                    continue
                if value.blank:
                    message = msg("read as blank, but the picture shows marks there that OCR could not read")
                else:
                    message = msg("read by OCR as {text} with confidence {confidence}: it may be misread",
                                  text=value.text, confidence=f"{value.confidence:.2f}")
                value.note = both(value.note, message) if value.note else message
                notes.append(Note(message, row=row, col=col, origin=value.origin))
    return notes


# --- Numbers too long to be counts --------------------------------------------------

_TABLE_NAMES = {2: "表二", 3: "表三", 4: "表四"}


def _quoted_start(text: str, width: int = 24) -> str:
    """A cell's text as a note quotes it: its start, when thousands of digits would crowd out the note's words."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _over_long_notes(t2: dict[str, dict[str, Value]], grid: dict[str, dict[str, Value]],
                     t4: dict[str, dict[str, Value]]) -> list[Note]:
    """A note for each cell written as a number of more than MAX_DIGITS digits: it is read as
    text, so table 2 would drop it without a word and tables 3–4 would show only the arithmetic
    it breaks.  The value carries the note too, for the inspector's detail line."""
    labels = {
        2: (lambda r: T.T2_ROW_LABELS.get(r, r), lambda c: T.T2_FIELD_LABELS.get(c, c)),
        3: (lambda r: T.ROW_SPECS[r].label if r in T.ROW_SPECS else r, lambda c: T.COL_LABELS.get(c, c)),
        4: (lambda g: T.T4_GROUP_LABELS.get(g, g), lambda f: T.T4_FIELD_LABELS.get(f, f)),
    }
    notes: list[Note] = []
    for number, table in ((2, t2), (3, grid), (4, t4)):
        row_label, col_label = labels[number]
        for row, fields in table.items():
            for col, value in fields.items():
                if value.number is not None or not over_long_number(value.text):
                    continue
                message = msg("{table} {row} / {col}: {text} has more than {digits} digits, more than any count; "
                              "read as text, not as a number", table=_TABLE_NAMES[number], row=row_label(row),
                              col=col_label(col), text=_quoted_start(value.text), digits=MAX_DIGITS)
                value.note = both(value.note, message) if value.note else message
                notes.append(Note(message, row=row, col=col, origin=value.origin))
    return notes


# --- Entry point ------------------------------------------------------------------

# what a file really is, when its name says otherwise
_FORMAT_WORDS = {
    "text": msg("a text file"), "markdown": msg("a Markdown file"), "pdf": msg("a PDF"), "html": msg("a web page"),
    "docx": msg("a DOCX document"), "doc": msg("a Word .doc document"),
}


def interpret(doc: Document) -> Report:
    it = Interpreter(doc)
    if doc.named_as:
        it.notes.append(Note(msg("the file is {format} named {suffix}; read by its content",
                                 format=_FORMAT_WORDS.get(doc.format, doc.format), suffix=doc.named_as)))
    it.notes.extend(Note(message) for message in doc.notes)
    sections, starts = it.sections()
    t3_start = it.table3_start(starts)
    agency, year = title_facts(it.items)
    t2_rows, tpl_t2 = it.active_disclosure(starts, t3_start)
    hint = tpl_t2 or (T.T2019 if year is not None and year <= 2020 else T.T2021)
    placed, tpl_t3, t3_end = it.requests(t3_start, starts, hint)
    tpl = tpl_t3 or hint
    if tpl_t3 and tpl_t2 and tpl_t3 != tpl_t2:
        it.notes.append(Note(msg("table 3 follows the {t3} template but table 2 the {t2} one", t3=tpl_t3, t2=tpl_t2)))
    grid = it.build_grid(placed, tpl)
    t2 = it.name_active_disclosure(t2_rows, tpl)
    t4 = it.review_litigation(t3_end, starts)
    it.notes.extend(_over_long_notes(t2, grid, t4))
    if doc.ocr is not None:
        it.notes.extend(_uncertain_notes(grid, t4, t2))
    return Report(
        format=doc.format,
        template=tpl,
        year=year,
        agency=agency,
        sections=sections,
        requests=grid,
        review_litigation=t4,
        active_disclosure=t2,
        notes=it.notes,
        preamble=it.preamble(starts),
        encoding=doc.encoding,
        layout=doc.layout,
        pages=doc.pages,
        ocr=doc.ocr,
    )

