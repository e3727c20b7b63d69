"""Property tests: random consistent tables, written in every text layout and
encoding, read back exactly; injected errors found by exactly the right rule."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gikr_tui import template as T
from gikr_tui.interpret import interpret
from gikr_tui.readers import read_bytes
from gikr_tui.checks import run, select
from report_maker import (
    ENCODINGS,
    LAYOUTS,
    T2_EXPECTED,
    consistent_truth,
    encode,
    render,
    set_cell,
    set_t4,
    write_cells,
)

ARITHMETIC = select("arithmetic").ids


def check(report):
    """The arithmetic's findings (what these tests are about)."""
    return run(report, only=ARITHMETIC)

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cases = st.fixed_dictionaries(
    {
        "seed": st.integers(0, 2**32 - 1),
        "template": st.sampled_from([T.T2021, T.T2019]),
        "layout": st.sampled_from(LAYOUTS),
        "encoding": st.sampled_from(ENCODINGS),
        "blanks": st.sampled_from(["zeros", "blank", "dash", "fullwidth", "mixed"]),
        "fancy": st.booleans(),
        "page_header": st.booleans(),
    }
)


def _parse(truth, case, rng):
    text = render(truth, case["layout"], rng, fancy=case["fancy"], page_header=case["page_header"])
    fmt = "markdown" if case["layout"] == "markdown" else "text"
    return interpret(read_bytes(encode(text, case["encoding"]), fmt))


def _make(case):
    rng = random.Random(case["seed"])
    truth = consistent_truth(rng, case["template"])
    write_cells(truth, rng, case["blanks"])
    return truth, rng


def _assert_reads_back(report, truth):
    assert report.template == truth.template
    assert list(report.requests) == list(T.rows_for(truth.template))
    for row, cols in truth.grid.items():
        for col, want in cols.items():
            cell = report.requests[row][col]
            assert cell.number == want, (row, col, cell)
            assert cell.text.translate(str.maketrans("０１２３４５６７８９", "0123456789")) == truth.written[(row, col)].translate(
                str.maketrans("０１２３４５６７８９", "0123456789")
            ), (row, col)
    for g, fields in truth.t4.items():
        for f, want in fields.items():
            assert report.review_litigation[g][f].number == want, (g, f)


@SETTINGS
@given(cases)
def test_consistent_tables_read_back_exactly(case):
    truth, rng = _make(case)
    report = _parse(truth, case, rng)
    _assert_reads_back(report, truth)
    assert check(report) == []
    assert report.notes == []
    assert report.year == (2020 if truth.template == T.T2019 else 2023)
    assert report.agency == "测试县人民政府办公室"
    assert [s.status for s in report.sections] == ["ok"] * 6
    got_t2 = {r: {f: v.number for f, v in fs.items()} for r, fs in report.active_disclosure.items()}
    assert got_t2 == T2_EXPECTED[truth.template]


# Each injection changes cells so that a known set of identities breaks; the
# set is derived from which identities contain the changed cells.
def _inject(truth, kind, rng):
    tpl = truth.template
    outcome = list(T.outcome_rows_for(tpl))
    col = rng.choice(T.PART_COLS)
    d = rng.randint(1, 9)

    def bump(row, c):
        set_cell(truth, row, c, (truth.grid[row][c] or 0) + d)

    # A total written blank with parts > 0 is an unfilled total, a different
    # finding; write the totals involved as numbers so each kind is one case.
    for r in T.rows_for(tpl):
        if truth.grid[r]["total"] is None:
            set_cell(truth, r, "total", 0)
    for c in T.COLS:
        if truth.grid["results_total"][c] is None:
            set_cell(truth, "results_total", c, 0)
    for g in T.T4_GROUPS:
        if truth.t4[g]["total"] is None:
            set_t4(truth, g, "total", 0)

    if kind == "outcome_part":
        row = rng.choice(outcome)
        bump(row, col)
        return {("row_total", row), ("results_total", col)}
    if kind == "outcome_total":
        row = rng.choice(outcome)
        bump(row, "total")
        return {("row_total", row), ("results_total", "total")}
    if kind == "received_part":
        bump("received_new", col)
        return {("row_total", "received_new"), ("balance", col)}
    if kind == "forward_total":
        bump("carried_forward", "total")
        return {("row_total", "carried_forward"), ("balance", "total")}
    if kind == "results_part":
        bump("results_total", col)
        return {("row_total", "results_total"), ("results_total", col), ("balance", col)}
    if kind == "balance_only":
        bump("received_new", col)
        bump("received_new", "total")
        return {("balance", col), ("balance", "total")}
    if kind == "results_only":
        row = rng.choice(outcome)
        bump(row, col)
        bump(row, "total")
        return {("results_total", col), ("results_total", "total")}
    if kind == "t4_total":
        g = rng.choice(T.T4_GROUPS)
        set_t4(truth, g, "total", (truth.t4[g]["total"] or 0) + d)
        return {("t4_total", g)}
    if kind == "t4_part":
        g = rng.choice(T.T4_GROUPS)
        f = rng.choice(T.T4_PART_FIELDS)
        set_t4(truth, g, f, (truth.t4[g][f] or 0) + d)
        return {("t4_total", g)}
    raise ValueError(kind)


KINDS = [
    "outcome_part", "outcome_total", "received_part", "forward_total", "results_part",
    "balance_only", "results_only", "t4_total", "t4_part",
]


@SETTINGS
@given(cases, st.sampled_from(KINDS))
def test_injected_errors_are_found_by_the_right_rule(case, kind):
    truth, rng = _make(case)
    expected = _inject(truth, kind, rng)
    report = _parse(truth, case, rng)
    _assert_reads_back(report, truth)
    found = {(f.rule, f.row or f.col or f.group) for f in check(report)}
    assert found == expected


@settings(max_examples=60, deadline=None)
@given(cases)
def test_a_blank_total_is_an_unfilled_total_not_an_arithmetic_error(case):
    truth, rng = _make(case)
    # make sure one outcome row has something in it, then blank its total
    row = rng.choice(list(T.outcome_rows_for(truth.template)))
    set_cell(truth, row, "natural", (truth.grid[row]["natural"] or 0) + 3)
    set_cell(truth, row, "total", (truth.grid[row]["total"] or 0) + 3)
    for r in ("results_total", "received_new"):
        for c in ("natural", "total"):
            set_cell(truth, r, c, (truth.grid[r][c] or 0) + 3)
    set_cell(truth, row, "total", None)
    report = _parse(truth, case, rng)
    findings = check(report)
    assert [(f.rule, f.row, f.of) for f in findings] == [("unfilled_total", row, "row_total")]
    assert findings[0].reported is None and findings[0].computed == sum(
        truth.grid[row][c] or 0 for c in T.PART_COLS
    )
