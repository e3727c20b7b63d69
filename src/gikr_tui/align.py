"""Order-preserving matching of a report's rows to the template's rows.

A report writes the template's rows in the template's order.  Where a row's
label is damaged, its place in that order still says which row it is: a
damaged row between 1.属于国家秘密 and 3.危及“三安全一稳定” is 2.  This module
finds, for `k` items (report rows, in the order the report shows them) and
`l` slots (template rows, in the template's order), the matching that keeps
both orders and scores highest, where `score(item, slot)` says how well an
item fits a slot (None: never) and leaving an item or a slot out scores 0.

It is a global sequence alignment (dynamic programming over items × slots)
computed forwards and backwards, so that each item's best score *with every
option* is known: put in each slot, or left out.  An item is decided only
where its best option beats every other by `margin`; otherwise it is
ambiguous and the caller leaves it out and says so.  Decided items agree
with each other: each holds in every matching within `margin` of the best.
"""

from __future__ import annotations

from typing import Callable


class Decision:
    __slots__ = ("slot", "sure", "rivals")

    def __init__(self, slot: int | None, sure: bool, rivals: tuple[int, ...] = ()) -> None:
        self.slot = slot  # the slot the item goes in; None: left out (or ambiguous)
        self.sure = sure  # False: no option won by the margin
        self.rivals = rivals  # when unsure, the slots within the margin of the best


def align(k: int, l: int, score: Callable[[int, int], float | None], margin: float) -> list[Decision]:
    scores = [[score(a, b) for b in range(l)] for a in range(k)]
    # before[a][b]: the best matching of items[:a] into slots[:b]
    before = [[0.0] * (l + 1) for _ in range(k + 1)]
    for a in range(1, k + 1):
        row, up, s_row = before[a], before[a - 1], scores[a - 1]
        for b in range(1, l + 1):
            best = up[b] if up[b] > row[b - 1] else row[b - 1]
            s = s_row[b - 1]
            if s is not None and up[b - 1] + s > best:
                best = up[b - 1] + s
            row[b] = best
    # after[a][b]: the best matching of items[a:] into slots[b:]
    after = [[0.0] * (l + 1) for _ in range(k + 1)]
    for a in range(k - 1, -1, -1):
        row, down, s_row = after[a], after[a + 1], scores[a]
        for b in range(l - 1, -1, -1):
            best = down[b] if down[b] > row[b + 1] else row[b + 1]
            s = s_row[b]
            if s is not None and down[b + 1] + s > best:
                best = down[b + 1] + s
            row[b] = best
    decisions: list[Decision] = []
    for a in range(k):
        left_out = max(before[a][b] + after[a + 1][b] for b in range(l + 1))
        options: list[tuple[float, int | None]] = [(left_out, None)]
        for b, s in enumerate(scores[a]):
            if s is not None:
                options.append((before[a][b] + s + after[a + 1][b + 1], b))
        best = max(v for v, _ in options)
        close = [slot for v, slot in options if v >= best - margin]
        if len(close) == 1:
            decisions.append(Decision(close[0], True))
        else:
            decisions.append(Decision(None, False, tuple(s for s in close if s is not None)))
    return decisions
