"""The identities as pure functions: what a finding carries."""

from gikr_tui import template as T
from gikr_tui.model import Report, Value
from gikr_tui.rules import balance, check, results_total, row_total, t4_total


def _grid(template=T.T2021, **cells):
    grid = {r: {c: Value(None) for c in T.COLS} for r in T.rows_for(template)}
    for key, number in cells.items():
        row, col = key.rsplit("__", 1)
        grid[row][col] = Value(number, "" if number is None else str(number))
    return grid


def test_row_total_finding_carries_reported_computed_difference_and_cells():
    grid = _grid(granted__natural=8, granted__commercial=2, granted__total=11)
    [f] = row_total(grid)
    assert (f.rule, f.row, f.reported, f.computed, f.difference) == ("row_total", "granted", 11, 10, 1)
    assert f.cells[0] == ("granted", "total") and len(f.cells) == 7
    assert f.to_json()["cells"][0] == ["granted", "total"]
    assert f.message() == "（一）予以公开 总计: reported 11, columns sum to 10, +1"


def test_results_total_and_balance_per_column():
    grid = _grid(
        received_new__natural=5, received_new__total=5,
        granted__natural=3, granted__total=3,
        results_total__natural=4, results_total__total=4,
        carried_forward__natural=1, carried_forward__total=1,
    )
    assert {(f.rule, f.col, f.reported, f.computed) for f in results_total(grid, T.T2021)} == {
        ("results_total", "natural", 4, 3), ("results_total", "total", 4, 3),
    }
    assert balance(grid, T.T2021) == []  # 5 + 0 = 4 + 1


def test_a_blank_total_is_unfilled_and_does_not_cascade():
    grid = _grid(
        received_new__natural=3, received_new__total=3,
        granted__natural=3, granted__total=3,
        results_total__natural=3,  # 总计 column of （七） left blank
    )
    findings = check(Report("text", T.T2021, requests=grid, review_litigation={}))
    assert [(f.rule, f.of, f.row, f.reported, f.computed) for f in findings] == [
        ("unfilled_total", "row_total", "results_total", None, 3)
    ]


def test_dashes_count_as_zero():
    grid = _grid(granted__natural=2, granted__total=2)
    grid["granted"]["commercial"] = Value(None, "—")
    assert row_total(grid) == []
    assert grid["granted"]["commercial"].dash


def test_t4_groups():
    table = {g: {f: Value(1, "1") for f in T.T4_PART_FIELDS} for g in T.T4_GROUPS}
    for g in T.T4_GROUPS:
        table[g]["total"] = Value(4, "4")
    table["litigation_direct"]["total"] = Value(5, "5")
    table["review"]["total"] = Value(None)
    assert [(f.rule, f.group, f.of) for f in t4_total(table)] == [
        ("unfilled_total", "review", "t4_total"),
        ("t4_total", "litigation_direct", None),
    ]
