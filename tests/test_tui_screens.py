"""Pilot tests of the summary, compare and pick screens: every binding, the pairing, the data.

One folder of a series serves them all: 淮安市洪泽区人民政府 states 2021 in x/2023.txt,
洪泽区人民政府 (the same agency, its city left out) states 2022 in y/report.txt (its 总体情况
copied from 2021), 淮安市洪泽区人民政府 states 2023 in z/2022.md (one too many carried
over); file names that say other years, so only pairing by what the reports state
finds the right year.  Beside them two other agencies, a report with arithmetic
findings, and an unreadable file.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from pathlib import Path

import pytest
from textual.coordinate import Coordinate

from gikr_tui.pipeline import check_file
from gikr_tui.records import brief
from gikr_tui.tui.app import GikrApp
from gikr_tui.tui.compare import CompareScreen, CrossYearList, DiffView, SectionList
from gikr_tui.tui.components.chart import FigureChart
from gikr_tui.tui.components.compare_grid import CompareGrid
from gikr_tui.tui.components.file_filter import FilterInput
from gikr_tui.tui.components.files import FileTree
from gikr_tui.tui.components.grid import ReportGrid
from gikr_tui.tui.components.status import StatusLine
from gikr_tui.tui.help import HelpScreen
from gikr_tui.tui.messages import ReportsRead
from gikr_tui.tui.parsing import Read
from gikr_tui.tui.pick import PickScreen, PickTable
from gikr_tui.tui.session import FileState
from gikr_tui.tui.summary import AgencyTotals, ReportsTable, SummaryScreen, YearTotals
from series_maker import blank_vs_zero_pair, chained, forward_of, prose, write
from test_tui import broken_text, keys_of, notifications, press, run, screen_text, settle, until

AGENCY = "淮安市洪泽区人民政府"


def make_series(root: Path) -> Path:
    folder = root / "series"
    rng = random.Random(21)
    body = prose(rng)
    t21 = chained(rng, 2021)
    write(folder / "x" / "2023.txt", AGENCY, 2021, t21, rng, prose_by_section={1: "2021年，" + body, 5: prose(rng, 6)})
    t22 = chained(rng, 2021, forward_of(t21))
    write(folder / "y" / "report.txt", "洪泽区人民政府", 2022, t22, rng, prose_by_section={1: "2022年，" + body, 5: prose(rng, 6)})
    carried = forward_of(t22)
    carried["natural"] += 1
    write(folder / "z" / "2022.md", AGENCY, 2023, chained(rng, 2021, carried), rng, layout="markdown")
    write(folder / "w" / "2022.txt", "盱眙县交通运输局", 2022, chained(rng, 2021), rng)
    write(folder / "w" / "qinghe.txt", "清河县人民政府办公室", 2022, chained(rng, 2021), rng)
    (folder / "v").mkdir()
    (folder / "v" / "broken.txt").write_text(broken_text(), encoding="utf-8")  # 相城区 2021, two findings
    (folder / "empty.txt").write_bytes(b"")
    return folder


# Written once per worker (a few small files, no test changes them), not once per module: a
# module-scoped fixture keeps its module to one worker (conftest), and this module's apps were
# the suite's longest run on one worker.
@pytest.fixture(scope="session")
def series(tmp_path_factory) -> Path:
    return make_series(tmp_path_factory.mktemp("screens"))


def status_text(app: GikrApp) -> str:
    """The bottom line of the screen in front (a screen of its own has its own)."""
    return app.screen.query_one(StatusLine).plain


def path_of(app: GikrApp, tail: str) -> str:
    return next(p for p in app.paths if p.endswith(tail))


def names(table) -> list[str]:
    return [os.path.relpath(item.path, table.app.root) for item in table.shown]


async def open_summary(pilot, app: GikrApp) -> SummaryScreen:
    await press(pilot, "S")
    await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
    return app.screen  # type: ignore[return-value]


async def totals_made(pilot, screen: SummaryScreen) -> None:
    await until(pilot, lambda: screen.query_one(AgencyTotals).made_of is not None and not screen._totals_running)


async def compare_of(pilot, app: GikrApp, tail: str, key: str = "C") -> CompareScreen:
    app.query_one(FileTree).select_path(path_of(app, tail))
    await pilot.pause()
    await press(pilot, key)
    # the screen, then its panes: on a loaded machine the first comes a frame before the second
    await until(pilot, lambda: isinstance(app.screen, CompareScreen) and bool(app.screen.query(CompareGrid)))
    return app.screen  # type: ignore[return-value]


# --- the summary ----------------------------------------------------------------------------


def test_summary_rows_sorting_filter_and_panes(series):
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            for key in keys_of("app.summary"):
                screen = await open_summary(pilot, app)
                await press(pilot, "escape")
                assert not isinstance(app.screen, SummaryScreen)
            screen = await open_summary(pilot, app)
            table = screen.query_one(ReportsTable)
            assert app.focused is table and len(table.shown) == 7
            # one row per report, as published: status, findings by severity, the key figures
            rows = {os.path.basename(item.path): item for item in table.rows}
            assert rows["empty.txt"].status == "error" and rows["empty.txt"].row.agency is None
            assert rows["broken.txt"].row.findings["error"] == 2
            assert rows["report.txt"].row.agency == "洪泽区人民政府" and rows["report.txt"].row.year == 2022
            text = screen_text(app)
            assert "洪泽区人民政府" in text and "unreadable" in text and "empty.txt" in text  # no agency: its file
            # the cursor moves, the first column stays, s sorts by the cursor's column
            for key in keys_of("table.down"):
                table.cursor_row = 0
                await press(pilot, key)
                assert table.cursor_row == 1
            for key in keys_of("table.up"):
                await press(pilot, key)
                assert table.cursor_row == 0
                table.cursor_row = 1
            for key in keys_of("table.last"):
                await press(pilot, key)
                assert table.cursor_row == 6
            for key in keys_of("table.first"):
                await press(pilot, key)
                assert table.cursor_row == 0
            for key in keys_of("table.page_down"):
                table.cursor_row = 0
                await press(pilot, key)
                assert table.cursor_row == 6  # (fewer rows than a page)
            for key in keys_of("table.page_up"):
                await press(pilot, key)
                assert table.cursor_row == 0
            for key in keys_of("table.right"):
                table.cursor_col = 0
                await press(pilot, key)
                assert table.current_column.key == "year"
            for key in keys_of("table.left"):
                await press(pilot, key)
                assert table.current_column.key == "agency"
                table.cursor_col = 1
            for key in keys_of("table.last_column"):
                await press(pilot, key)
                assert table.current_column.key == "correction_rate"
                # the agencies stay in sight while the last columns scroll in
                assert "洪泽区人民政府" in screen_text(app) and "corrected" in screen_text(app)
            for key in keys_of("table.first_column"):
                await press(pilot, key)
                assert table.current_column.key == "agency" and "corrected" not in screen_text(app)
            await press(pilot, "l")  # year
            for key in keys_of("table.sort"):
                await press(pilot, key)
                years = [item.row.year for item in table.shown if item.row is not None and item.row.year]
                assert years == sorted(years, reverse=True)  # a number: the largest first
                assert table.shown[-1].row.year is None  # nothing to sort by: last, whichever way
                await press(pilot, key)
                years = [item.row.year for item in table.shown if item.row is not None and item.row.year]
                assert years == sorted(years) and table.shown[-1].row.year is None
            assert "year↑" in screen_text(app) and "sorted by year" in screen_text(app)
            await press(pilot, "l", "l", "l", "l", "s")  # err: most first
            assert os.path.basename(table.shown[0].path) == "broken.txt"
            # / filters by file, agency or year; Enter keeps it, Esc on the table clears it
            for key in keys_of("summary.filter"):
                await press(pilot, key, "洪", "泽", "enter")
                assert app.focused is table
                assert sorted(names(table)) == ["x/2023.txt", "y/report.txt", "z/2022.md"]
                for back in keys_of("summary.step_back"):
                    await press(pilot, back)
                    assert len(table.shown) == 7 and isinstance(app.screen, SummaryScreen)
            await press(pilot, "/", "2", "0", "2", "2")
            box = screen.query_one(FilterInput)
            assert app.focused is box and box.matches == (len(table.shown), 7)
            for key in keys_of("filter.clear"):
                await press(pilot, key)
                assert not box.display and len(table.shown) == 7 and app.focused is table
                await press(pilot, "/", "q")
            for key in keys_of("filter.done"):
                await press(pilot, "/", key)
                assert app.focused is table and box.display
            await press(pilot, "escape")
            assert not box.display
            # the panes: 1-4, Tab and Shift+Tab
            for keys, kind in ((keys_of("summary.pane_agencies"), AgencyTotals), (keys_of("summary.pane_years"), YearTotals),
                              (keys_of("summary.pane_charts"), FigureChart), (keys_of("summary.pane_reports"), ReportsTable)):
                for k in keys:
                    await press(pilot, k)
                    assert isinstance(app.focused, kind)
            for key in keys_of("screen.focus_next"):
                await press(pilot, "1", key)
                assert isinstance(app.focused, AgencyTotals)
            for key in keys_of("screen.focus_previous"):
                await press(pilot, "1", key)
                assert isinstance(app.focused, FigureChart)
            for key in keys_of("screen.help"):
                await press(pilot, "1", key)
                assert isinstance(app.screen, HelpScreen)
                ids = {row[2] for row in app.screen.rows}
                assert {"table.sort", "summary.filter", "screen.back", "summary.pane_charts"} <= ids
                assert "app.export_csv" not in ids  # the main screen's keys do not work here
                await press(pilot, "G")
                assert "On this screen" in screen_text(app)
                await press(pilot, "escape")
            for key in keys_of("screen.back"):
                await press(pilot, "1", key)
                assert not isinstance(app.screen, SummaryScreen)
                await press(pilot, "S")
                assert app.screen is screen  # the same screen: sorted and filtered as it was left

    run(go())


def test_summary_totals_per_agency_and_per_year(series):
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            screen = await open_summary(pilot, app)
            await press(pilot, "2")
            await totals_made(pilot, screen)
            agencies = screen.query_one(AgencyTotals)
            by_name = {total.key: total for total in agencies.rows}
            # the name variants are one agency, as the series checks pair them
            assert set(by_name) == {AGENCY, "盱眙县交通运输局", "清河县人民政府办公室", "相城区人民政府办公室"}
            huaian = by_name[AGENCY]
            assert huaian.reports == 3 and huaian.years == {2021, 2022, 2023}
            assert huaian.cross_year == 3  # 2022's repeated text, 2023's two carry-overs
            assert by_name["相城区人民政府办公室"].findings["error"] == 2
            assert "2021–2023" in screen_text(app)
            years = screen.query_one(YearTotals)
            await press(pilot, "3")
            assert [t.key for t in years.rows] == [2021, 2022, 2023] and [t.reports for t in years.rows] == [2, 3, 1]
            # Enter on a total shows its reports; Esc on the reports shows them all again
            await press(pilot, "2")
            agencies.cursor_row = next(i for i, t in enumerate(agencies.shown) if t.key == AGENCY)
            for key in keys_of("table.select"):
                await press(pilot, key)
                reports = screen.query_one(ReportsTable)
                assert app.focused is reports
                assert sorted(names(reports)) == ["x/2023.txt", "y/report.txt", "z/2022.md"]  # 洪泽区人民政府 too
                assert f"only {AGENCY}" in screen_text(app)
                await press(pilot, "escape")
                assert len(reports.shown) == 7
            await press(pilot, "3", "G", "enter")
            assert sorted(names(screen.query_one(ReportsTable))) == ["z/2022.md"]

    run(go())


def test_summary_charts(series):
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(80, 14)) as pilot:  # room for three agencies' bars
            await settle(pilot, app)
            screen = await open_summary(pilot, app)
            await press(pilot, "4")
            await totals_made(pilot, screen)
            chart = screen.query_one(FigureChart)
            await until(pilot, lambda: chart.bars)
            agencies = {t.key: t for t in screen.query_one(AgencyTotals).rows}
            new = sorted(((k, t.figures.received_new) for k, t in agencies.items()), key=lambda kv: -kv[1])
            assert [value for _name, value in chart.bars] == [value for _name, value in new][:3]
            assert chart.bars[0][0] == new[0][0] and "new" in screen_text(app)
            for key in keys_of("chart.down"):
                chart.first = 0
                await press(pilot, key)
                assert chart.first == 1 and chart.bars[0][0] == new[1][0]
            for key in keys_of("chart.up"):
                await press(pilot, key)
                assert chart.first == 0
                chart.first = 1
            for key in keys_of("chart.bottom"):
                await press(pilot, key)
                assert chart.first == 1 and len(chart.bars) == 3  # the last three
            for key in keys_of("chart.top"):
                await press(pilot, key)
                assert chart.first == 0
            for key in keys_of("chart.page_down"):
                await press(pilot, "g", key)
                assert chart.first == 1
            for key in keys_of("chart.page_up"):
                await press(pilot, key)
                assert chart.first == 0
            for key in keys_of("chart.next_figure"):
                await press(pilot, key)
                assert "handled" in screen_text(app)
                assert [v for _n, v in chart.bars] == sorted((t.figures.results_total for t in agencies.values()), reverse=True)[:3]
            for key in keys_of("chart.previous_figure"):
                await press(pilot, key)
                assert "new" in chart.title().plain
            for key in keys_of("chart.switch"):
                await press(pilot, key)
                assert chart.per == "year" and [name for name, _v in chart.bars] == ["2021", "2022", "2023"]
                await press(pilot, key)
                assert chart.per == "agency"

    run(go())


def test_enter_on_a_summary_row_opens_that_report(series):
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await press(pilot, "2")  # the Sections pane has the focus
            await open_summary(pilot, app)
            table = app.screen.query_one(ReportsTable)
            target = path_of(app, "y/report.txt")
            table.cursor_row = next(i for i, item in enumerate(table.shown) if item.path == target)
            await press(pilot, "enter")
            await until(pilot, lambda: not isinstance(app.screen, SummaryScreen))
            await until(pilot, lambda: isinstance(app.focused, ReportGrid))
            assert app.current == target and app.query_one(FileTree).current_path == target
            assert "report.txt" in app.query_one(ReportGrid).title().plain
            # from a comparison over the summary too: every screen over the main one goes
            await press(pilot, "S", "C")
            await until(pilot, lambda: isinstance(app.screen, CompareScreen))
            for key in keys_of("screen.summary"):
                await press(pilot, key)
                assert isinstance(app.screen, SummaryScreen) and len(app.screen_stack) == 2  # back to it, not a second
            await press(pilot, "g", "enter")
            await until(pilot, lambda: len(app.screen_stack) == 1 and app.current == table.shown[0].path)

    run(go())


def test_summary_fills_in_as_files_are_read(series):
    """A file still being read shows its name and fills in when its result arrives (the app's
    own message for it), totals and all; nothing waits for a worker's timing."""
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            target = path_of(app, "w/2022.txt")
            read = app.states[target]
            app.states[target] = FileState(target)  # as when it is read again from the start
            screen = await open_summary(pilot, app)
            table = screen.query_one(ReportsTable)
            assert [item.status for item in table.rows if item.path == target] == ["pending"]
            assert "reading…" in screen_text(app) and "6 read" in table.title().plain
            await press(pilot, "2")
            await totals_made(pilot, screen)
            agencies = screen.query_one(AgencyTotals)
            assert agencies.made_of == (6, 7) and "盱眙县交通运输局" not in {t.key for t in agencies.rows}
            assert "of 6 of 7 files read" in screen_text(app)
            app.post_message(ReportsRead([Read(target, read.summary, read.data)]))
            await until(pilot, lambda: agencies.made_of == (7, 7))
            assert "盱眙县交通运输局" in {t.key for t in agencies.rows}
            assert [item.row.agency for item in table.rows if item.path == target] == ["盱眙县交通运输局"]

    run(go())


def test_summary_at_ten_thousand_files_from_briefs(tmp_path):
    """Ten thousand files, each held as its brief (no tables): the rows, a sort, the totals."""
    seed = brief(check_file(make_series(tmp_path) / "y" / "report.txt"))
    assert seed.report.requests == {} and seed.record is not None
    empty = tmp_path / "empty-folder"
    empty.mkdir()

    async def go():
        app = GikrApp(empty)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.scanned)
            for i in range(10_000):
                path = f"{empty}/{i:05d}.txt"
                record = replace(seed.record, agency=f"第{i // 4}区人民政府", year=2020 + i % 4,
                                 figures=replace(seed.record.figures, received_new=i))
                app.paths.append(path)
                app.states[path] = FileState(path, replace(seed, path=path, record=record))
            screen = await open_summary(pilot, app)
            table = screen.query_one(ReportsTable)
            assert len(table.rows) == 10_000
            await press(pilot, *"l" * 8)
            assert table.current_column.key == "received_new"
            await press(pilot, "s")
            assert [item.row.figures.received_new for item in table.shown[:3]] == [9999, 9998, 9997]
            await press(pilot, "g")  # (the cursor kept to its row, now the last)
            assert "9999" in screen_text(app).split("\n")[2]
            await press(pilot, "2")
            await totals_made(pilot, screen)
            agencies = screen.query_one(AgencyTotals)
            assert len(agencies.rows) == 2500 and all(t.reports == 4 for t in agencies.rows)
            assert screen.query_one(YearTotals).rows[0].reports == 2500

    run(go())


def test_palette_lists_the_screens_own_commands(series):
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            await open_summary(pilot, app)
            for key in keys_of("screen.palette"):
                await press(pilot, key, *"per agency")
                await until(pilot, lambda: "Totals per agency" in screen_text(app))
                assert "Export findings" not in screen_text(app)
                await press(pilot, "enter")
                await until(pilot, lambda: isinstance(app.focused, AgencyTotals))
            await press(pilot, "escape", "ctrl+p", *"summary")
            await until(pilot, lambda: "Summary of every report" in screen_text(app))
            await press(pilot, "enter")
            await until(pilot, lambda: isinstance(app.screen, SummaryScreen))

    run(go())


# --- comparing -------------------------------------------------------------------------------


def test_compare_key_finds_the_previous_year_by_pairing(series):
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(80, 24)) as pilot:
            seen = notifications(app)
            await settle(pilot, app)
            for key in keys_of("app.compare"):
                # 2023 (in z/2022.md): its year before is 2022 as 洪泽区人民政府 states it in y/report.txt,
                # not w/2022.txt (another agency) nor x/2023.txt (2021)
                screen = await compare_of(pilot, app, "z/2022.md", key)
                c = screen.comparison
                assert (c.a.path, c.b.path) == (path_of(app, "y/report.txt"), path_of(app, "z/2022.md"))
                assert [(f.rule, f.col) for f in c.findings] == [("carry_over", "natural"), ("carry_over", "total")]
                head = screen_text(app)
                assert "A  y/report.txt  洪泽区人民政府 2022" in head and "B  z/2022.md  淮安市洪泽区人民政府 2023" in head
                await press(pilot, "escape")
            screen = await compare_of(pilot, app, "y/report.txt")
            assert screen.comparison.a.path == path_of(app, "x/2023.txt")  # it states 2021
            assert [f.rule for f in screen.comparison.findings] == ["repeated_text"]
            await press(pilot, "escape")
            # the first year has none before it; an unreadable file has nothing to compare
            app.query_one(FileTree).select_path(path_of(app, "x/2023.txt"))
            await press(pilot, "C")
            await until(pilot, lambda: any("No report of 淮安市洪泽区人民政府 for 2020" in s for s in seen))
            app.query_one(FileTree).select_path(path_of(app, "empty.txt"))
            await press(pilot, "C")
            await until(pilot, lambda: any("empty.txt could not be read" in s for s in seen))
            assert not isinstance(app.screen, CompareScreen)
            # from the summary, on its row
            await open_summary(pilot, app)
            table = app.screen.query_one(ReportsTable)
            table.cursor_row = next(i for i, item in enumerate(table.shown) if item.path.endswith("z/2022.md"))
            for key in keys_of("summary.compare"):
                await press(pilot, key)
                await until(pilot, lambda: isinstance(app.screen, CompareScreen))
                assert app.screen.comparison.a.path == path_of(app, "y/report.txt")
                await press(pilot, "escape")
                assert isinstance(app.screen, SummaryScreen)

    run(go())


def test_compare_screen_keys_and_findings(series):
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            screen = await compare_of(pilot, app, "z/2022.md")
            grid = screen.query_one(CompareGrid)
            assert app.focused is grid
            # the cursor starts on the first changed cell: shown a→b, given in full below
            place = grid.place_at(grid.cursor_coordinate)
            cell = grid.cell_of(place)
            assert cell.changed and f"{cell.a}→{cell.b}" in screen_text(app)
            assert f"2022: {cell.a}" in status_text(app) and f"2023: {cell.b}" in status_text(app)
            for key in keys_of("compare_grid.next_change"):
                here = grid.cursor_coordinate
                await press(pilot, key)
                assert grid.cursor_coordinate > here and grid.cell_of(grid.place_at(grid.cursor_coordinate)).changed
            for key in keys_of("compare_grid.previous_change"):
                await press(pilot, key)
                assert grid.cursor_coordinate == here
            for keys, check in (
                (keys_of("compare_grid.down"), lambda old, new: new.row == old.row + 1),
                (keys_of("compare_grid.up"), lambda old, new: new.row == old.row - 1),
                (keys_of("compare_grid.right"), lambda old, new: new.column == old.column + 1),
                (keys_of("compare_grid.left"), lambda old, new: new.column == old.column - 1),
                (keys_of("compare_grid.row_end"), lambda old, new: new.column == 7),
                (keys_of("compare_grid.row_start"), lambda old, new: new.column == 1),  # the labels are no cells
                (keys_of("compare_grid.bottom"), lambda old, new: new.row == grid.row_count - 1),
                (keys_of("compare_grid.top"), lambda old, new: new.row == 0),
                (keys_of("compare_grid.page_down"), lambda old, new: new.row > old.row + 5),
                (keys_of("compare_grid.page_up"), lambda old, new: new.row < old.row),
            ):
                for k in keys:
                    grid.cursor_coordinate = Coordinate(12, 3)
                    old = grid.cursor_coordinate
                    await press(pilot, k)
                    assert check(old, grid.cursor_coordinate), (k, old, grid.cursor_coordinate)
            # Enter on a carry_over finding: its cell in table 3
            findings = screen.query_one(CrossYearList)
            for key in keys_of("compare.pane_crossyear"):
                await press(pilot, "1", key)
                assert app.focused is findings and findings.highlighted == 0
            for key in keys_of("crossyear.down"):
                await press(pilot, "g", key)
                assert findings.highlighted == 1
            for key in keys_of("crossyear.up"):
                findings.highlighted = 1
                await press(pilot, key)
                assert findings.highlighted == 0
            for key in keys_of("crossyear.last"):
                await press(pilot, key)
                assert findings.highlighted == 1
            for key in keys_of("crossyear.first"):
                await press(pilot, key)
                assert findings.highlighted == 0
            for key in keys_of("crossyear.goto"):
                await press(pilot, "2", "g", key)
                assert app.focused is grid and grid.place_at(grid.cursor_coordinate) == (3, "carried_over", "natural")
            assert all(line.startswith("! carry_over 二、上年结转") for line in findings.lines)
            # the text: sections, each with its similarity, and the diff of the one under the cursor
            sections = screen.query_one(SectionList)
            diff = screen.query_one(DiffView)
            for key in keys_of("compare.pane_sections"):
                await press(pilot, "1", key)
                assert app.focused is sections and diff.diff is sections.sections[0]
            for key in keys_of("sections_diff.down"):
                await press(pilot, "g", key)
                assert diff.diff.number == 2
            for key in keys_of("sections_diff.up"):
                sections.highlighted = 1
                await press(pilot, key)
                assert diff.diff.number == 1
            for key in keys_of("sections_diff.last"):
                await press(pilot, key)
                assert diff.diff.number == 6
            for key in keys_of("sections_diff.first"):
                await press(pilot, key)
                assert diff.diff.number == 1
            text = screen_text(app)
            assert "一、总体情况" in text and "% the same" in text and "  - " in diff.text.plain
            for key in keys_of("sections_diff.open"):
                await press(pilot, "3", "g", key)
                assert app.focused is diff
            for key in keys_of("diff.sections"):
                await press(pilot, "4", key)
                assert app.focused is sections
            for key in keys_of("compare.pane_diff"):
                await press(pilot, "3", key)
                assert app.focused is diff
            for key in keys_of("compare.pane_tables"):
                await press(pilot, key)
                assert app.focused is grid
            await press(pilot, "escape")

            # y/report.txt copies 2021's 总体情况: Enter on repeated_text opens that section's diff
            screen = await compare_of(pilot, app, "y/report.txt")
            sections = screen.query_one(SectionList)
            assert sections.repeated == {1}
            await press(pilot, "2", "enter")
            diff = screen.query_one(DiffView)
            assert app.focused is diff and diff.diff.number == 1 and diff.diff.similarity >= 0.9
            assert "~ " in diff.text.plain or "= " in diff.text.plain  # what changed: only its year
            assert "202[-1-]{+2+}年" in diff.text.plain
            long = "，".join(["加强政务公开工作"] * 600)
            diff.show_diff(replace(diff.diff, paragraphs=[replace(diff.diff.paragraphs[0], op="insert", a=None, b=long)]))
            await pilot.pause()
            for keys, moved in ((keys_of("diff.down"), 1), (keys_of("diff.page_down"), 5), (keys_of("diff.bottom"), None)):
                for k in keys:
                    diff.scroll_home(animate=False, immediate=True)
                    await press(pilot, k)
                    assert diff.scroll_y >= (moved or diff.max_scroll_y) > 0
            for key in keys_of("diff.up"):
                await press(pilot, "G", key)
                assert diff.scroll_y == diff.max_scroll_y - 1
            for key in keys_of("diff.page_up"):
                await press(pilot, "G", key)
                assert diff.scroll_y < diff.max_scroll_y - 5
            for key in keys_of("diff.top"):
                await press(pilot, key)
                assert diff.scroll_y == 0
            # a long paragraph runs on from its mark, hanging under it; nothing is lost
            lines = screen_text(app).splitlines()
            start = next(i for i, line in enumerate(lines) if "  + 加强政务公开工作" in line)
            hanging = lines[start + 1].split("│")[1]  # (after the border: the padding, then the hang)
            assert hanging.startswith(" " * 5) and hanging[5] != " "

    run(go())


def test_pick_a_report_to_compare_with(series):
    async def go():
        app = GikrApp(series)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            app.query_one(FileTree).select_path(path_of(app, "x/2023.txt"))
            await pilot.pause()
            for key in keys_of("app.compare_with"):
                await press(pilot, key)
                await until(pilot, lambda: isinstance(app.screen, PickScreen))
                table = app.screen.query_one(PickTable)
                # every other report read; the same agency's first, its latest year first
                assert [os.path.relpath(c.path, app.root) for c in table.shown[:2]] == ["z/2022.md", "y/report.txt"]
                assert len(table.shown) == 5 and "empty.txt" not in screen_text(app)
                await press(pilot, "escape")
                assert not isinstance(app.screen, (PickScreen, CompareScreen))
            await press(pilot, "V")
            await until(pilot, lambda: isinstance(app.screen, PickScreen))
            for key in keys_of("pick.filter"):
                await press(pilot, key, *"qinghe", "enter")
            assert [os.path.basename(c.path) for c in app.screen.query_one(PickTable).shown] == ["qinghe.txt"]
            await press(pilot, "enter")
            await until(pilot, lambda: isinstance(app.screen, CompareScreen))
            c = app.screen.comparison
            assert (c.a.path, c.b.path) == (path_of(app, "x/2023.txt"), path_of(app, "w/qinghe.txt"))  # the earlier first
            assert c.notes == ["agencies"] and "different agencies" in screen_text(app)
            # and from a summary row
            await press(pilot, "escape")
            await open_summary(pilot, app)
            table = app.screen.query_one(ReportsTable)
            table.cursor_row = next(i for i, item in enumerate(table.shown) if item.path.endswith("x/2023.txt"))
            for key in keys_of("summary.compare_with"):
                await press(pilot, key)
                await until(pilot, lambda: isinstance(app.screen, PickScreen))
                await press(pilot, "escape")

    run(go())


def test_compare_screen_counts_a_blank_against_a_0_apart(tmp_path):
    """The compare screen counts, and n/N visit, only real changes: a blank against a 0 shows dim
    (·→0 or 0→·) and its bottom line says why it is not a change."""
    blank_vs_zero_pair(tmp_path, AGENCY, prose(random.Random(3)))

    async def go():
        app = GikrApp(tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            app.query_one(FileTree).select_path(path_of(app, "one.txt"))
            await pilot.pause()
            await press(pilot, "V")
            await until(pilot, lambda: isinstance(app.screen, PickScreen))
            await press(pilot, "enter")
            await until(pilot, lambda: isinstance(app.screen, CompareScreen))
            grid = app.screen.query_one(CompareGrid)
            cells = [(place, grid.cell_of(place)) for places in grid.places for place in places if place is not None]
            blank = [place for place, cell in cells if cell.blank_vs_zero]
            assert grid.changed == 2 and len(blank) > 50
            assert "2 cells changed" in screen_text(app)
            visited = set()
            for _ in range(3):
                await press(pilot, "n")
                place = grid.place_at(grid.cursor_coordinate)
                assert grid.cell_of(place).changed
                visited.add(place)
            assert len(visited) == 2
            grid.cursor_coordinate = grid.coordinate_of(blank[0])
            await pilot.pause()
            shown = grid.get_cell_at(grid.cursor_coordinate)
            assert shown.plain in ("0→·", "·→0") and shown.style == "dim"
            assert "blank in one, 0 in the other: not counted as changed" in status_text(app)

    run(go())
