"""The TUI's headless core: edits, recompute, undo and revert without Textual."""

from __future__ import annotations

from pathlib import Path

import pytest

from gikr_tui.pipeline import check_file
from gikr_tui.tui.session import T3, T4, EditRejected, FileState

SEED = Path(__file__).parent.parent / "fixtures" / "seeds" / "000_8a0178302d297c36.txt"


@pytest.fixture
def state() -> FileState:
    s = FileState(str(SEED))
    s.set_result(check_file(SEED))
    assert s.status == "ok"
    return s


def test_edit_recomputes_and_undo_restores_the_parsed_value(state):
    ref = (T3, "received_new", "natural")
    parsed = state.value(ref)
    assert parsed.number == 28
    state.edit(ref, "29")
    assert state.status == "violations"
    assert {f.rule for f in state.findings} == {"row_total", "balance"}
    assert ref in state.failing() and state.is_edited(ref)
    # the parsed report and its Value are untouched
    assert state.original.requests["received_new"]["natural"] is parsed
    assert parsed.number == 28 and parsed.text == "28"
    assert state.undo() == ref
    assert state.value(ref) is parsed
    assert state.status == "ok" and not state.dirty and not state.is_edited(ref)


def test_blank_and_dash_edits_and_rejected_text(state):
    ref = (T3, "carried_over", "natural")
    state.edit(ref, "")
    assert state.value(ref).blank and state.value(ref).number is None
    state.edit(ref, "—")
    assert state.value(ref).dash
    with pytest.raises(EditRejected, match="not a number"):
        state.edit(ref, "abc")
    with pytest.raises(EditRejected, match="more than 15 digits"):  # digits, but no count is that large
        state.edit(ref, "1" + "0" * 20)
    assert state.value(ref).dash  # a rejected edit changes nothing


def test_revert_drops_every_edit(state):
    state.edit((T3, "granted", "natural"), "100")
    state.edit((T4, "review", "upheld"), "5")
    assert state.status == "violations"
    assert any(f.rule == "t4_total" for f in state.findings)
    state.revert()
    assert state.status == "ok" and not state.dirty


def test_computed_sums_for_total_cells_only(state):
    assert state.computed((T3, "received_new", "total")) == 31
    assert state.computed((T3, "received_new", "natural")) is None
    assert state.computed((T3, "results_total", "natural")) == 26
    assert state.computed((T4, "review", "total")) == 1
    assert state.computed((T4, "review", "upheld")) is None


def test_current_result_carries_the_edits(state):
    state.edit((T3, "received_new", "natural"), "29")
    result = state.current_result()
    assert result.status == "violations"
    assert result.report.requests["received_new"]["natural"].number == 29
    assert state.result.report.requests["received_new"]["natural"].number == 28
