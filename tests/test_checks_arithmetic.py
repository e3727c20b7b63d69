"""The identities as pure functions: what a finding carries."""

from gikr_tui import template as T
from gikr_tui.checks import run
from gikr_tui.checks.arithmetic import balance, parts_sum, results_total, row_total, t4_total, unfilled_total
from gikr_tui.model import Report, Value

ARITHMETIC = {"row_total", "balance", "results_total", "t4_total", "unfilled_total"}


def _grid(template=T.T2021, **cells):
    grid = {r: {c: Value(None) for c in T.COLS} for r in T.rows_for(template)}
    for key, number in cells.items():
        row, col = key.rsplit("__", 1)
        grid[row][col] = Value(number, "" if number is None else str(number))
    return grid


def _report(grid=None, t4=None, template=T.T2021):
    return Report("text", template, requests=grid or {}, review_litigation=t4 or {})


def test_row_total_finding_carries_reported_computed_difference_and_cells():
    grid = _grid(granted__natural=8, granted__commercial=2, granted__total=11)
    [f] = row_total(_report(grid))
    assert (f.rule, f.severity, f.row, f.reported, f.computed, f.difference) == ("row_total", "error", "granted", 11, 10, 1)
    assert f.cells[0] == ("granted", "total") and len(f.cells) == 7 and f.table == 3
    assert f.to_json()["cells"][0] == ["granted", "total"]
    assert f.message() == "（一）予以公开 总计: reported 11, columns sum to 10, +1"


def test_results_total_and_balance_per_column():
    grid = _grid(
        received_new__natural=5, received_new__total=5,
        granted__natural=3, granted__total=3,
        results_total__natural=4, results_total__total=4,
        carried_forward__natural=1, carried_forward__total=1,
    )
    assert {(f.rule, f.col, f.reported, f.computed) for f in results_total(_report(grid))} == {
        ("results_total", "natural", 4, 3), ("results_total", "total", 4, 3),
    }
    assert list(balance(_report(grid))) == []  # 5 + 0 = 4 + 1


def test_a_blank_total_is_unfilled_and_does_not_cascade():
    grid = _grid(
        received_new__natural=3, received_new__total=3,
        granted__natural=3, granted__total=3,
        results_total__natural=3,  # 总计 column of （七） left blank
    )
    findings = run(_report(grid), only=ARITHMETIC)
    assert [(f.rule, f.of, f.row, f.reported, f.computed) for f in findings] == [
        ("unfilled_total", "row_total", "results_total", None, 3)
    ]
    assert findings[0].difference == -3
    assert findings[0].message() == "（七）总计: total left blank, its parts sum to 3"


def test_dashes_count_as_zero():
    grid = _grid(granted__natural=2, granted__total=2)
    grid["granted"]["commercial"] = Value(None, "—")
    assert list(row_total(_report(grid))) == []
    assert grid["granted"]["commercial"].dash


def test_t4_groups():
    table = {g: {f: Value(1, "1") for f in T.T4_PART_FIELDS} for g in T.T4_GROUPS}
    for g in T.T4_GROUPS:
        table[g]["total"] = Value(4, "4")
    table["litigation_direct"]["total"] = Value(5, "5")
    table["review"]["total"] = Value(None)
    report = _report(t4=table)
    assert [(f.rule, f.group, f.table) for f in t4_total(report)] == [("t4_total", "litigation_direct", 4)]
    assert [(f.rule, f.group, f.of) for f in unfilled_total(report)] == [("unfilled_total", "review", "t4_total")]


def test_parts_sum_is_what_the_grid_shows_beside_totals():
    grid = _grid(granted__natural=8, granted__commercial=2, granted__total=11, partial__natural=1)
    table = {"review": {"upheld": Value(2, "2"), "pending": Value(1, "1"), "total": Value(3, "3")}}
    report = _report(grid, table)
    assert parts_sum(report, 3, "granted", "total") == 10
    assert parts_sum(report, 3, "results_total", "natural") == 9  # its column's outcome rows
    assert parts_sum(report, 3, "granted", "natural") is None  # not a total
    assert parts_sum(report, 4, "review", "total") == 3
    assert parts_sum(report, 4, "review", "upheld") is None


def test_large_numbers_read_in_full_in_messages():
    grid = _grid(granted__natural=1234567, granted__total=1234568)
    [f] = row_total(_report(grid))
    assert "reported 1234568, columns sum to 1234567, +1" in f.message()
