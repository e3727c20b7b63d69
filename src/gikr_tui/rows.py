"""Which of a report's rows is which row of table 3.

A row is recognised by its label where a keyword of the template's label
survives in it (本年新收, 国家秘密, 不掌握 …), the way most copies read.  Real
copies also damage labels: a typo, characters of a vertical label drawn
through the row glued on, a label cut short or split over two lines, a label
on one line and its values on the next.  The rows recognised by keyword, in
the template's order, anchor the rest: the rows between two anchors are
aligned (align.py) with the template rows between them, weighing how much of
a template label each still holds, its numbering and group, and its place in
the template's fixed order.  A row placed by anything but its keyword carries
a note that says how; a row the evidence does not settle, or whose label
names another row than its place, is left out with a note, and its template
row stays blank.  Nothing is guessed silently.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from . import template as T
from .align import align
from .msg import Msg, msg
from .labels import common_chars, norm, row_numbering, split_numbering
from .model import Cell, Note, Origin

# Words only table 3's column-header rows hold.
HEADER_WORDS = ("自然人", "商业企业", "申请人情况", "科研机构", "勾稽关系")
# Words that start table 4 (its groups, its five fields): table 3 ends before them.
T4_WORDS = ("行政复议", "行政诉讼", "结果维持", "尚未审结")
_HEADER = re.compile("|".join(HEADER_WORDS))
_T4_START = re.compile("|".join(T4_WORDS))

# --- The scores the alignment weighs (see align.py) -----------------------------
# A row holding values is worth placing; a row of blank cells less so (it may
# be the label line of the values below it); a label line alone never is.
WORTH_VALUES = 1.2
WORTH_BLANK = 0.6
KEYWORD = 4.0  # a keyword of the slot's label
PER_CHAR = 0.25  # each character of the label found, in order, in the slot's label
SPARE = 0.25  # each character of the label that is not
NUMBER_AGREES = 1.0
NUMBER_DIFFERS = -2.0
GROUP_AGREES = 0.5
GROUP_DIFFERS = -2.0
# An option must beat the next best by this to be taken: two characters of
# label, or a numbering, decide between two slots.
MARGIN = 0.5
# A label "says" a row when its evidence for that row beats every other by this.
LABEL_SAYS = 1.0
# More rows than this between two recognised ones are not aligned (a table 3 has 25).
ALIGN_MAX_ROWS = 200
_GROUP_ROWS = {"不予公开", "无法提供", "不予处理", "其他处理"}


class Row:
    """One row of table 3 as the report shows it."""

    # A plain class: a dataclass costs a millisecond of every start-up to build.
    __slots__ = ("index", "labels", "values", "has_values", "blank_cells", "texts", "borrowed", "inherited", "key", "group",
                 "written")

    def __init__(self, index: int, labels: list[Cell], values: list[Cell], has_values: bool, blank_cells: bool) -> None:
        self.index = index  # in the document stream
        self.labels = labels  # label cells, its own or those of the label line above it
        self.values = values
        self.has_values = has_values
        self.blank_cells = blank_cells  # no values, but the cells for them (a row of blanks)
        self.texts: list[str] = []  # label candidates, normalised
        self.borrowed = False  # its label is the line above it (values on the next line)
        self.inherited: Row | None = None  # the row of blanks just above a row of bare values
        self.key: str | None = None  # the row its label names by keyword
        self.group: str | None = None  # the group a label cell of the row names
        self.written = ""  # the label as the report writes it, for notes

    @property
    def origin(self) -> Origin | None:
        if self.labels:
            return self.labels[-1].origin
        return self.values[0].origin if self.values else None

    def label(self) -> str:
        return self.written or " ".join(c.text.strip() for c in self.labels if c.text.strip())

    def worth(self) -> float:
        if self.has_values:
            return WORTH_VALUES
        # a row of blanks with no label of its own says nothing, not even that it is a row
        return WORTH_BLANK if self.blank_cells and (self.labels or self.texts) else 0.0


class Placement:
    __slots__ = ("row", "key", "note")

    def __init__(self, row: Row, key: str, note: Msg | None) -> None:
        self.row, self.key = row, key
        self.note = note  # how it was placed, where a keyword did not place it


# --- Keywords ------------------------------------------------------------------


@lru_cache(maxsize=8192)
def keyword_row(text: str) -> str | None:
    for key, words in T.ROW_KEYWORDS:
        if any(w in text for w in words):
            return key
    return None


@lru_cache(maxsize=8192)
def group_of(text: str) -> str | None:
    for group, word in T.GROUP_KEYWORDS:
        if word in text:
            return group
    return None


class _Keywords:
    """Recognises rows by keyword, with the group and the label lines above as context."""

    def __init__(self) -> None:
        self.group: str | None = None
        self.last: str | None = None

    def see(self, texts: list[str]) -> str | None:
        """The group a label cell beside the row's own label names (remembered
        for 3.其他, where the row's own label may name it too)."""
        named = None
        for i, t in enumerate(texts):
            g = group_of(split_numbering(t)[1])
            if g:
                self.group = g
                if i < len(texts) - 1:
                    named = g
        return named

    def match(self, candidates: list[str]) -> str | None:
        for text in candidates:
            key = self._one(text)
            if key:
                self.last = key
                return key
        return None

    def _one(self, text: str) -> str | None:
        body = split_numbering(text)[1]
        key = keyword_row(body)
        if key:
            return key
        if body == "其他" and (self.group == "other" or self.last in ("other_1", "other_2")):
            return "other_3"
        if body == "其他处理":
            return "other"  # a row in 2019–2020; in 2021+ only the group's label
        return None


# --- Reading the rows ------------------------------------------------------------


class _Line:
    """A label on a line of its own: a paragraph, or a row with no value cells."""

    __slots__ = ("text", "written", "row")

    def __init__(self, text: str, written: str, row: Row | None = None) -> None:
        self.text = text  # normalised
        self.written = written
        self.row = row  # as a row (a row of a table with a label and no values)

    @property
    def key(self) -> str | None:
        return self.row.key if self.row is not None else None


def collect(items: list) -> tuple[list[Row], int | None]:
    """Table 3's rows from the stream items (paragraphs and table rows) it spans,
    and the stream index of the last one."""
    keywords = _Keywords()
    rows: list[Row] = []
    lines: list[_Line] = []  # label lines since the last row
    end = None
    for item in items:
        if item.cells is None:
            text = norm(item.para.text)
            if _T4_START.search(text):
                break  # table 4's caption, or section 4's title where it was not found
            if text and len(text) <= 80 and not _furniture(text):
                lines.append(_Line(text, item.para.text.strip()))
            continue
        labels, value_cells = item.split()
        texts = [norm(c.text) for c in labels]
        joined = "".join(texts)
        if _T4_START.search(joined):
            break
        if _HEADER.search(joined):
            continue  # the column headers, maybe repeated after a page break
        has_values = any(c.text.strip() for c in value_cells)
        if not labels and not has_values and len(value_cells) < 2:
            continue  # a spacer
        end = item.index
        row = Row(item.index, labels, value_cells, has_values, not has_values and len(value_cells) >= 3)
        if labels:
            row.group = keywords.see(texts)
            row.texts = [texts[-1], joined]
            if not has_values and len(value_cells) < 3:
                # a label line: a row's label alone, its values maybe on the next line
                row.key = keywords.match(row.texts)
                lines.append(_Line(texts[-1], row.label(), row))
                continue
            row.key = _match_with_lines(row, lines, keywords) if lines else keywords.match(row.texts)
        elif lines:  # bare values: the label is the line above (maybe split over two lines)
            last = lines.pop()
            row.texts = [last.text]
            row.key = keywords.match(row.texts)
            used = [last]
            if row.key is None and lines and (lines[-1].key is None or _continues(last.text, lines[-1].key)):
                row.texts.append(lines[-1].text + last.text)
                row.key = keywords.match(row.texts[1:])
                used.insert(0, lines.pop())
            row.borrowed = True
            row.written = " ".join(line.written for line in used)
            row.labels = [c for line in used if line.row is not None for c in line.row.labels]
        elif rows and rows[-1].blank_cells:  # bare values under a row of blanks: whose are they?
            row.inherited = rows[-1]  # only headers, spacers or a page's furniture between
        if lines:  # label lines that name a row by themselves are rows without values
            rows.extend(line.row for line in lines if line.key is not None)
            lines = []
        rows.append(row)
        if row.key == "carried_forward" and row.has_values:
            break
    rows.extend(line.row for line in lines if line.key is not None)
    if rows and any(a.index > b.index for a, b in zip(rows, rows[1:])):
        rows.sort(key=lambda r: r.index)
    return rows, end


def _match_with_lines(row: Row, lines: list[_Line], keywords: _Keywords) -> str | None:
    """The row's key by keyword, its own label first, then joined to the label
    line(s) above: the first part of a label a page break or a narrow column cut
    off.  A line that names a row itself is only joined when the row's own text
    continues that row's label; joined lines are taken off `lines`."""
    leaf, whole = row.texts
    unnamed = [line for line in lines[-2:] if line.key is None]
    if unnamed and unnamed[-1] is lines[-1]:
        pending = "".join(line.text for line in unnamed)
        row.texts = [leaf, pending + leaf, whole, pending + whole]
        key = keywords.match(row.texts)
        if key and keywords.match([leaf, whole]) != key:
            del lines[-len(unnamed):]
        return key
    key = keywords.match(row.texts)
    if key is None and lines and lines[-1].key is not None and _continues(leaf, lines[-1].key):
        above = lines.pop()
        row.texts = [above.text + leaf, above.text + whole, leaf, whole]
        key = above.key
    return key


def _continues(text: str, key: str) -> bool:
    """Most of `text` is found, in order, in the label of `key`: the rest of that label."""
    style, _number, body = row_numbering(text)
    if style is not None or not body:
        return False  # its own numbering starts a row of its own
    wordings = _wordings(key)
    return max(common_chars(body, w) for w in wordings) >= max(2, 0.6 * len(body))


@lru_cache(maxsize=64)
def _wordings(key: str) -> tuple[str, ...]:
    spec = T.ROW_SPECS[key]
    return (row_numbering(norm(spec.label))[2], *(norm(w) for w in T.ROW_WORDINGS.get(key, ())))


_PAGE_NUMBER = re.compile(r"^[-—–_第]*\d{1,3}[-—–_页]*$")


def _furniture(text: str) -> bool:
    """A page's running title or number, printed amid a table a page break cuts."""
    return "报告" in text or bool(_PAGE_NUMBER.match(text))


def vintage(rows: list[Row]) -> int | None:
    """The template table 3 shows: （六） as one row is 2019–2020, three rows 2021+."""
    keys = {r.key for r in rows if r.key}
    if keys & {"other_1", "other_2", "other_3"}:
        return T.T2021
    if any(r.key == "other" and r.has_values for r in rows):
        return T.T2019
    return None


# --- Evidence from a damaged label ----------------------------------------------------


@lru_cache(maxsize=4)
def _template_labels(template: int) -> tuple[tuple[str, str | None, int | None, tuple[str, ...], str | None], ...]:
    """Per slot: (key, numbering style, number, wordings, group)."""
    out = []
    for key in T.rows_for(template):
        spec = T.ROW_SPECS[key]
        style, number, _body = row_numbering(norm(spec.label))
        group = group_of(norm(spec.group)) if spec.group else None
        out.append((key, style, number, _wordings(key), group))
    return tuple(out)


def _evidence(row: Row, template: int) -> list[float]:
    """How strongly the row's own label says each slot, one figure per slot."""
    slots = _template_labels(template)
    best = [float("-inf")] * len(slots)
    for text in dict.fromkeys(t for t in row.texts if t):
        style, number, body = row_numbering(text)
        for i, (_key, t_style, t_number, wordings, _group) in enumerate(slots):
            found = max(common_chars(body, w) for w in wordings) if body else 0
            e = PER_CHAR * max(0.0, (1 + SPARE) * found - SPARE * len(body))
            if style is not None and style == t_style:
                e += NUMBER_AGREES if number == t_number else NUMBER_DIFFERS
            if e > best[i]:
                best[i] = e
    if not row.texts or all(not t for t in row.texts):
        best = [0.0] * len(slots)
    if row.group:
        best = [e + (GROUP_AGREES if g == row.group else GROUP_DIFFERS) for e, (_k, _s, _n, _w, g) in zip(best, slots)]
    return best


def says(evidence: list[float], slot: int) -> bool:
    """The label alone names this slot: it beats every other slot by LABEL_SAYS."""
    others = max((e for i, e in enumerate(evidence) if i != slot), default=0.0)
    return evidence[slot] >= LABEL_SAYS and evidence[slot] - others >= LABEL_SAYS


def says_other(evidence: list[float], slot: int) -> bool:
    """The label speaks against this slot: another slot beats it by LABEL_SAYS."""
    return max(evidence) - evidence[slot] >= LABEL_SAYS


# --- Placing -------------------------------------------------------------------------


def place_rows(rows: list[Row], template: int) -> tuple[list[Placement], list[tuple[int, Note]]]:
    """Each row's template row, or a note (with the row's stream index) saying why it has none."""
    order = T.rows_for(template)
    slot_of = _slot_of(template)
    if _all_named_in_order(rows, slot_of):
        return [Placement(r, r.key, None) for r in rows], []
    notes: list[tuple[int, Note]] = []
    placements: list[Placement] = []

    # keyword rows: one per key (the first holding values), placed by their labels
    chosen: dict[str, Row] = {}
    for row in rows:
        if row.key is None:
            continue
        have = chosen.get(row.key)
        if have is None or (row.has_values and not have.has_values):
            chosen[row.key] = row
        elif row.has_values:
            notes.append((row.index, Note(msg("row appears twice; kept the first"), row=row.key, origin=row.origin)))
    keyed = set(map(id, chosen.values()))
    # a row of blanks whose values may be the bare row below it is not fixed: the alignment decides
    loose = {id(r.inherited) for r in rows if r.inherited is not None and r.key is None}
    anchors = [r for r in rows if id(r) in keyed and r.key in slot_of and id(r) not in loose]
    anchors = _in_order(anchors, slot_of)
    anchor_ids = set(map(id, anchors))
    for row in rows:
        if id(row) in keyed and id(row) not in loose:
            placements.append(Placement(row, row.key, None))  # by its label, whatever its order
    by_label = {p.key for p in placements}
    # the rest, gap by gap between the anchors
    bounds = [(-1, -1)] + [(slot_of[r.key], rows.index(r)) for r in anchors] + [(len(order), len(rows))]
    for (slot_lo, row_lo), (slot_hi, row_hi) in zip(bounds, bounds[1:]):
        gap_rows = [
            r for r in rows[row_lo + 1: row_hi]
            if id(r) not in anchor_ids and (r.key is None or id(r) in loose) and (r.worth() > 0 or r.key)
            and not _group_label(r, template)
        ]
        if not gap_rows:
            continue
        if len(gap_rows) > ALIGN_MAX_ROWS:  # no table 3 has this many rows: not worth k x l work
            message = msg("{count} rows not recognised, their values were not used", count=len(gap_rows))
            notes.append((gap_rows[0].index, Note(message, origin=gap_rows[0].origin)))
            continue
        slots = [s for s in range(slot_lo + 1, slot_hi) if order[s] not in by_label]
        placed, gap_notes = _fill_gap(gap_rows, slots, order, template)
        placements += placed
        notes += gap_notes
    for row in rows:
        if row.has_values and row.key is None and _group_label(row, template):
            message = msg("row not recognised, its values were not used: {label}", label=row.label()[:40])
            notes.append((row.index, Note(message, origin=row.origin)))
    return placements, notes


@lru_cache(maxsize=4)
def _slot_of(template: int) -> dict[str, int]:
    return {key: i for i, key in enumerate(T.rows_for(template))}


def _all_named_in_order(rows: list[Row], slot_of: dict[str, int]) -> bool:
    """The common case, settled without alignment: every row named by its
    keyword, once, in the template's order (a group's label alone aside)."""
    last = -1
    for row in rows:
        if row.key is None or row.inherited is not None:
            return False
        slot = slot_of.get(row.key)
        if slot is None:
            if row.has_values:
                return False
            continue
        if slot <= last:
            return False
        last = slot
    return True


def _group_label(row: Row, template: int) -> bool:
    """A group's own label on a row of its own (（三）不予公开), which is no row of the table."""
    if not row.labels or row.key is not None or row.borrowed:
        return False
    body = split_numbering(norm(row.labels[-1].text))[1]
    return body in _GROUP_ROWS and not (template == T.T2019 and body == "其他处理")


def _in_order(rows: list[Row], slot_of: dict[str, int]) -> list[Row]:
    """The longest run of rows whose slots rise with their position (patience sorting)."""
    tails: list[int] = []  # slot of the last row of the best run of each length
    tail_rows: list[int] = []
    back: list[int] = []
    for i, row in enumerate(rows):
        s = slot_of[row.key]
        j = bisect_left(tails, s)
        back.append(tail_rows[j - 1] if j else -1)
        if j == len(tails):
            tails.append(s)
            tail_rows.append(i)
        else:
            tails[j] = s
            tail_rows[j] = i
    out: list[Row] = []
    i = tail_rows[-1] if tail_rows else -1
    while i >= 0:
        out.append(rows[i])
        i = back[i]
    return out[::-1]


def _fill_gap(
    rows: list[Row], slots: list[int], order: tuple[str, ...], template: int
) -> tuple[list[Placement], list[tuple[int, Note]]]:
    """Place the rows found between two recognised rows into the template rows between them."""
    evidence = {id(r): _evidence(r, template) for r in rows if r.key is None and r.texts}
    above = {id(r): _evidence_of(r.inherited, order, template) for r in rows if r.inherited is not None}

    def score(a: int, b: int) -> float | None:
        row, key = rows[a], order[slots[b]]
        if row.key is not None:  # a keyword row left loose: only its own slot
            return row.worth() + KEYWORD if key == row.key else None
        e = evidence.get(id(row))
        own = e[slots[b]] if e is not None else 0.0
        if id(row) in above:  # the label above may be this row's: evidence for, never against
            own = max(own, above[id(row)][slots[b]], 0.0)
        return row.worth() + own

    decisions = align(len(rows), len(slots), score, MARGIN)
    placements: list[Placement] = []
    notes: list[tuple[int, Note]] = []
    for row, d in zip(rows, decisions):
        shown: Msg | str = row.label()[:40] or msg("(no label)")
        e = evidence.get(id(row))
        if d.sure and d.slot is not None:
            slot = slots[d.slot]
            if row.key is not None:
                placements.append(Placement(row, row.key, None))
            elif e is not None and says_other(e, slot):
                if row.has_values:  # its place and its label disagree: neither is trusted
                    like = order[max(range(len(e)), key=e.__getitem__)]
                    message = msg(
                        "row not recognised, its values were not used: {label} (its label looks like {like}, its place is {row})",
                        label=shown, like=T.ROW_SPECS[like].label, row=T.ROW_SPECS[order[slot]].label)
                    notes.append((row.index, Note(message, origin=row.origin)))
            else:
                placements.append(Placement(row, order[slot], _how(row, e, above.get(id(row)), slot, order)))
        elif row.has_values:
            could = " / ".join(T.ROW_SPECS[order[slots[s]]].label for s in d.rivals[:3]) + (" …" if len(d.rivals) > 3 else "")
            message = (
                msg("row not recognised, its values were not used: {label} (it could be one of {rows})", label=shown, rows=could)
                if could else msg("row not recognised, its values were not used: {label}", label=shown)
            )
            notes.append((row.index, Note(message, origin=row.origin)))
    return placements, notes


def _evidence_of(row: Row, order: tuple[str, ...], template: int) -> list[float]:
    if row.key is not None:
        return [KEYWORD if k == row.key else 0.0 for k in order]
    return _evidence(row, template) if row.texts else [0.0] * len(order)


def _how(row: Row, evidence: list[float] | None, above: list[float] | None, slot: int, order: tuple[str, ...]) -> Msg:
    """The note of a row placed other than by a keyword: by its label's likeness,
    as the values of the label above it, or by its position."""
    target = T.ROW_SPECS[order[slot]].label
    if evidence is not None and says(evidence, slot):
        return msg("label “{label}” read as {row} (not the template's wording)", label=row.label(), row=target)
    if above is not None and says(above, slot):
        return msg("values on the line below the label “{label}”: read as that row's, {row}",
                   label=row.inherited.label(), row=target)
    before = T.ROW_SPECS[order[slot - 1]].label if slot > 0 else None
    after = T.ROW_SPECS[order[slot + 1]].label if slot + 1 < len(order) else None
    where = (
        msg("between {before} and {after}", before=before, after=after) if before and after
        else msg("after {before}", before=before) if before
        else msg("before {after}", after=after)
    )
    if row.label():
        return msg("placed as {row} by its position ({where}); its label reads “{label}”", row=target, where=where, label=row.label())
    return msg("placed as {row} by its position ({where}); it has no label", row=target, where=where)
