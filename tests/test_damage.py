"""Property tests: copies that damage table 3's labels and split table 4.

Random consistent reports in every text layout, with rows damaged the way
real copies damage them (report_maker.DAMAGES): typos, characters of a
vertical label glued on, labels cut short, values moved to the next line,
labels split over two lines; table 4 written as a small table per group.
Every value reads back, or its row is left blank with a note: a value is
never placed in a wrong row.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gikr_tui import template as T
from gikr_tui.interpret import interpret
from gikr_tui.readers.text import parse_text
from report_maker import DAMAGES, LAYOUTS, consistent_truth, render, write_cells

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

damaged = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**32 - 1),
        "template": st.sampled_from([T.T2021, T.T2019]),
        "layout": st.sampled_from(LAYOUTS),
        "blanks": st.sampled_from(["zeros", "blank", "dash", "mixed"]),
        "fancy": st.booleans(),
        "page_header": st.booleans(),
        "rows": st.integers(1, 12),
        "kinds": st.sets(st.sampled_from(DAMAGES), min_size=1),
        "t4_per_group": st.booleans(),
    }
)


def _damaged_report(case, rows: int | None = None):
    rng = random.Random(case["seed"])
    truth = consistent_truth(rng, case["template"])
    write_cells(truth, rng, case["blanks"])
    keys = rng.sample(list(T.rows_for(truth.template)), rows or case["rows"])
    damage = {key: rng.choice(sorted(case["kinds"])) for key in keys}
    text = render(
        truth, case["layout"], rng, fancy=case["fancy"], page_header=case["page_header"],
        damage=damage, t4_per_group=case["t4_per_group"],
    )
    return truth, damage, interpret(parse_text(text, "markdown" if case["layout"] == "markdown" else "text"))


def _lost(report, truth) -> tuple[set[str], set[str]]:
    """The table-3 rows and table-4 groups that did not read back; fails on a wrong value."""
    rows, groups = set(), set()
    for row, cols in truth.grid.items():
        got = report.requests[row]
        if all(got[c].number == want for c, want in cols.items()):
            continue
        assert all(v.blank for v in got.values()), f"{row}: {[v.text for v in got.values()]} != {list(cols.values())}"
        assert any(n.row == row for n in report.notes), f"{row} left blank without a note"
        rows.add(row)
    for g, fields in truth.t4.items():
        got = report.review_litigation[g]
        if all(got[f].number == want for f, want in fields.items()):
            continue
        assert all(v.blank for v in got.values()), f"table 4 {g}: {[v.text for v in got.values()]}"
        assert any(str(n.message).startswith("table 4") for n in report.notes), f"table 4 {g} blank without a note"
        groups.add(g)
    return rows, groups


@SETTINGS
@given(damaged)
def test_damaged_rows_read_back_or_stay_blank_with_a_note(case):
    truth, _damage, report = _damaged_report(case)
    assert report.template == truth.template
    _lost(report, truth)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged)
def test_one_damaged_row_between_intact_ones_always_reads_back(case):
    truth, damage, report = _damaged_report(case, rows=1)
    (row, kind), = damage.items()
    assert _lost(report, truth) == (set(), set()), (row, kind)
    # the intact rows are read by their labels: any note is about the damaged row
    assert {n.row for n in report.notes} <= {row}, [str(n.message) for n in report.notes]
    assert all(str(n.message) == str(report.requests[row]["total"].note) for n in report.notes)


def test_most_damaged_rows_read_back():
    """Not only noted blanks: over fixed seeds, heavy damage loses few rows."""
    lost = total = 0
    for seed in range(24):
        case = {
            "seed": seed, "template": (T.T2021, T.T2019)[seed % 2], "layout": LAYOUTS[seed % 4],
            "blanks": "mixed", "fancy": True, "page_header": seed % 3 == 0, "rows": 6,
            "kinds": set(DAMAGES), "t4_per_group": seed % 2 == 0,
        }
        truth, damage, report = _damaged_report(case)
        rows, groups = _lost(report, truth)
        assert not groups
        lost += len(rows & set(damage))
        total += len(damage)
    assert lost / total <= 0.1, f"{lost} of {total} damaged rows lost"
