"""The inspector and the checks: findings by severity, a prose finding read in place, hint marks."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from audit_cases import BY_NAME
from audit_maker import text
from gikr_tui.tui.app import GikrApp
from gikr_tui.tui.components.findings import FindingsList
from gikr_tui.tui.components.grid import ReportGrid
from gikr_tui.tui.components.reader import Reader
from gikr_tui.tui.render import HIGHLIGHT
from gikr_tui.tui.session import T3
from test_tui import settle


@pytest.fixture
def mixed_report(tmp_path):
    """An error in the prose (新收 41, twice), a year copied from last year, a split number (a hint)."""
    a = BY_NAME["mismatch-new"]
    body = text(a).replace(f"{a.year}年，本机关坚持", f"{a.year - 1}年，本机关坚持")
    body = body.replace("（一）予以公开\t10\t2\t0", "（一）予以公开\t1\t0\t2")
    path = tmp_path / "report.txt"
    path.write_text(body, encoding="utf-8")
    return path


def test_findings_grouped_by_severity_and_a_prose_finding_opens_the_reader_at_its_sentence(mixed_report):
    async def go():
        app = GikrApp(mixed_report)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            findings = app.query_one(FindingsList)
            lines = findings.lines
            headings = [line for line in lines if line.split(" (")[0] in ("errors", "warnings", "hints")]
            assert [h.split(" (")[0] for h in headings] == ["errors", "warnings", "hints"]
            # errors first: narrative_mismatch (twice) and the split row's row_total; then the year; then the hint
            assert lines.index(headings[0]) < lines.index(headings[1]) < lines.index(headings[2])
            assert any("year_mismatch" in line for line in lines[lines.index(headings[1]):lines.index(headings[2])])
            assert any(line.startswith("? split_number") for line in lines[lines.index(headings[2]):])
            prose = next(i for i, line in enumerate(lines) if "narrative_mismatch" in line)
            await pilot.press("4")
            findings.highlighted = prose
            await pilot.press("enter")
            await pilot.pause()
            reader = app.query_one(Reader)
            assert app.focused is reader
            [span] = [s for s in reader.text.spans if s.style == HIGHLIGHT]
            assert reader.text.plain[span.start:span.end] == (
                "全年新收政府信息公开申请41件，比上年增加12件，办结41件（含上年结转3件），其中8件申请人主动撤回，结转下年度继续办理2件。"
            )
            # the second statement of the same fact, in section 三, opens that section
            await pilot.press("escape", "4")
            findings.highlighted = prose + 1
            await pilot.press("enter")
            await pilot.pause()
            [span] = [s for s in reader.text.spans if s.style == HIGHLIGHT]
            assert reader.text.plain.startswith("三、收到和处理政府信息公开申请情况")
            assert "共新收政府信息公开申请41件" in reader.text.plain[span.start:span.end]

    asyncio.run(go())


def test_a_hints_cells_get_their_own_mark(mixed_report):
    """The split number's two cells show ?, the rest of its failed row !."""
    async def go():
        app = GikrApp(mixed_report)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            grid = app.query_one(ReportGrid)
            state = grid.state
            split = {(T3, "granted", "natural"), (T3, "granted", "commercial")}
            assert state.hinted() == split and split < state.failing()

            def shown(col: str) -> str:
                return grid.get_cell("t3:granted", col).plain

            assert (shown("natural"), shown("commercial"), shown("research"), shown("total")) == ("1?", "0?", "2!", "12!")
            grid.focus()
            grid.cursor_coordinate = grid.coordinate_of((T3, "granted", "natural"))
            await pilot.pause()
            assert "a hint names it as the likely cause (?)" in app.query_one("#status").plain
            # the row made to hold, the hint and both marks go
            state.edit((T3, "granted", "natural"), "10")
            state.edit((T3, "granted", "commercial"), "2")
            state.edit((T3, "granted", "research"), "0")
            app._after_edit(state)
            await pilot.pause()
            assert state.hinted() == set() and (shown("natural"), shown("commercial")) == ("10*", "2*")

    asyncio.run(go())


def test_a_number_too_long_to_be_a_count_is_a_note_in_the_findings(tmp_path):
    seed = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "004_bca2272ab24a3735.txt"
    text = seed.read_text(encoding="utf-8").replace("规章\t0\t0\t0", "规章\t" + "1" * 16 + "\t0\t0")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")

    async def go():
        app = GikrApp(tmp_path / "r.txt")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            lines = app.query_one(FindingsList).lines
            assert any(line.startswith("~ note 表二 规章 / 本年制发件数: 1111111111111111 has more than 15 digits")
                       for line in lines), lines

    asyncio.run(go())
