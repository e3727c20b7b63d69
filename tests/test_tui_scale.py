"""The inspector on large folders: a summary per file, the whole report only while it is open,
and a Files pane that draws only the rows on screen (issue 14, "10,000 files")."""

from __future__ import annotations

import csv
import os

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical

from gikr_tui import cache
from gikr_tui.settings import Settings
from gikr_tui.tui.app import GikrApp
from gikr_tui.tui.components.files import FileTree
from gikr_tui.tui.components.findings import FindingsList
from gikr_tui.tui.components.grid import ReportGrid
from gikr_tui.tui.session import T3, FileState, Summary
from test_tui import NATURAL, make_folder, notifications, press, run, settle, still, until


@pytest.mark.parametrize("use_cache", [True, False], ids=["cache", "no-cache"])
def test_a_file_keeps_a_summary_and_its_whole_report_only_while_open(tmp_path, monkeypatch, use_cache):
    folder = make_folder(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    good, broken = str(folder / "a-good.txt"), str(folder / "b-broken.txt")
    # a cache of its own, usable whatever an earlier test did to the shared one
    monkeypatch.setenv("GIKR_CACHE_DIR", str(tmp_path / "cache"))
    cache.reset()
    # files written moments ago are not stored (a rewrite could keep every stamp): these are older
    for path in (good, broken):
        os.utime(path, (os.path.getmtime(path) - 60,) * 2)

    async def go():
        app = GikrApp(folder, settings=Settings(use_cache=use_cache))
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(pilot, app)
            tree = app.query_one(FileTree)
            assert app.current == good and app.states[good].loaded
            # the file not open: its badge and its line from its summary, no report in memory
            assert not app.states[broken].loaded and app.states[broken].report is None
            assert app.states[broken].summary.failing == 2 and "2!" in tree.label_of(broken).plain
            # opened later from the cache, or, without one, from the bytes kept for it
            assert (app.states[broken].data is None) == use_cache
            await press(pilot, "j")  # the cursor opens b-broken: its report is read, a-good's goes
            await until(pilot, lambda: app.states[broken].loaded)
            assert not app.states[good].loaded
            findings = app.query_one(FindingsList)
            assert len([t for t in findings.targets if t is not None]) == 2  # the published findings, not an empty pane
            # keys typed with the one that focuses the grid act on the report once it is here
            await press(pilot, "k", "j", "3")
            grid = app.query_one(ReportGrid)
            assert app.focused is grid and grid.state is app.states[broken]
            grid.cursor_coordinate = grid.coordinate_of((T3, "received_new", "natural"))
            await press(pilot, "e", "2", "8", "enter")
            assert app.states[broken].dirty
            await press(pilot, "1", "k")  # away from the edited file: its edits stay in memory
            await until(pilot, lambda: app.states[good].loaded)
            assert app.states[broken].loaded and app.states[broken].dirty
            assert tree.label_of(broken).plain.lstrip().startswith("ok*")
            told = notifications(app)
            await press(pilot, "x")  # both files as published: one from memory, one read again
            await until(pilot, lambda: told and told[-1].startswith("Exported"))
            assert told[-1].startswith("Exported 2 findings from 2 files to"), told[-1]

    try:
        run(go())
    finally:
        cache.reset()
    rows = list(csv.DictReader((out / "gikr-findings.csv").open(encoding="utf-8")))
    assert sorted(r["rule"] for r in rows if r["path"] == broken and r["record"] == "report") == ["balance", "row_total"]
    assert [r["status"] for r in rows if r["path"] == good] == ["ok"]


class _Files(App):
    """The Files pane alone, as the inspector frames it."""

    def compose(self) -> ComposeResult:
        with Vertical(id="files-pane"):
            yield FileTree("reports/", id="files")


def _big_folder(count: int) -> tuple[list[str], dict[str, FileState]]:
    root = "/r"
    paths = [f"{root}/{i // 400:02}/{i // 20:04}/{i:05}.txt" for i in range(count)]
    states = {p: FileState(p) for p in paths}
    return paths, states


def _summary(i: int) -> Summary:
    broken = i % 10 == 3
    return Summary("violations" if broken else "ok", 2 if broken else 0, 0, "txt", 2021, 2020 + i % 4,
                   f"第{i % 250}局", None, None)


def test_files_pane_at_ten_thousand_files_draws_only_the_rows_on_screen(monkeypatch):
    paths, states = _big_folder(10_000)
    drawn: list[str] = []
    label_of = FileTree.label_of

    def counted(self, key):
        drawn.append(key)
        return label_of(self, key)

    monkeypatch.setattr(FileTree, "label_of", counted)

    async def go():
        app = _Files()
        async with app.run_test(size=(60, 20)) as pilot:
            tree = app.query_one(FileTree)
            tree.populate("/r", paths, states)
            await pilot.pause()
            # 10,000 files in 525 folders: every row is there, and a screen's worth is drawn
            assert len(tree.rows) == 1 + 25 + 500 + 10_000
            assert 0 < len(drawn) <= 2 * 20, len(drawn)
            # every badge fills (as the cache hands them over): only lines on screen are drawn again
            drawn.clear()
            for i, path in enumerate(paths):
                states[path].set_summary(_summary(i))
            tree.refresh_badges(paths)
            await pilot.pause()
            assert len(drawn) <= 2 * 20, len(drawn)
            assert tree.counts()["violations"] == 1000 and tree.counts()["ok"] == 9000
            assert "1000!" in str(tree.frame.border_subtitle)
            # the keys reach the far end and come back
            tree.focus()
            await pilot.press("G")
            assert tree.current_path == paths[-1] and tree.scroll_offset.y > 10_000 - 20
            await pilot.press("g")
            assert tree.cursor_line == 0 and tree.scroll_offset.y == 0
            # a folded folder counts its files; the cursor on a file inside goes to the fold
            tree.select_path(paths[25])
            sub = os.path.dirname(paths[25])
            tree.fold(sub)
            assert tree.cursor_folder == sub and tree.label_of(sub).plain == "0001/ 18 ok · 2!"
            assert len(tree.rows) == 10_526 - 20
            # sorting by findings and filtering by agency rebuild the rows, the folds kept
            tree.sort = "findings"
            tree.populate("/r", paths, states, pattern="第3局")
            assert tree.order == [p for i, p in enumerate(paths) if i % 250 == 3]
            assert tree.is_folded(sub)

    run(go())


# --- badges from a warm cache, looked up outside the app's process ---------------------

def _warm_folder(tmp_path, monkeypatch, count: int) -> list[str]:
    """`count` copies of the seed (every third one number off), each with its row in a cache of
    its own (stored from two parses, not `count`: the test stays fast)."""
    from dataclasses import replace

    from gikr_tui.pipeline import check_file
    from test_tui import SEED, broken_text

    monkeypatch.setenv("GIKR_CACHE_DIR", str(tmp_path / "cache"))
    cache.reset()
    folder = tmp_path / "many"
    folder.mkdir()
    good, broken = SEED.read_text(encoding="utf-8"), broken_text()
    paths = []
    for i in range(count):
        path = folder / f"{i:04}.txt"
        path.write_text(broken if i % 3 == 1 else good, encoding="utf-8")
        os.utime(path, (os.path.getmtime(path) - 60,) * 2)  # not written moments ago: storable
        paths.append(str(path))
    results = {text: check_file(paths[i]) for i, text in ((0, good), (1, broken))}
    for i, path in enumerate(paths):
        cache.store_result(path, replace(results[broken if i % 3 == 1 else good], path=path))
    return paths


class _Collected:
    """What a ParsePool delivers, taken as the app takes it (one batch at a time)."""

    def __init__(self, want: int) -> None:
        import threading

        self.reads: list = []
        self.batches: list[int] = []
        self.want = want
        self.done = threading.Event()
        self.pool = None

    def __call__(self, reads) -> None:
        self.reads.extend(reads)
        self.batches.append(len(reads))
        if len(self.reads) >= self.want:
            self.done.set()
        self.pool.taken()


def _pool(collected: _Collected, **settings):
    from gikr_tui.tui.parsing import ParsePool

    pool = collected.pool = ParsePool(Settings(jobs=1, **settings), collected)
    return pool


def test_badges_from_a_warm_cache_are_looked_up_outside_the_apps_process(tmp_path, monkeypatch):
    # Lookups on a thread of the app's process starved its thread of the GIL (keys waited
    # 0.2-0.7 s while 10,000 badges filled): they happen in a process of their own, and
    # the run loop here looks up only what that process did not find.
    from gikr_tui.tui.parsing import DELIVER_AT_MOST

    paths = _warm_folder(tmp_path, monkeypatch, 600)
    fresh = tmp_path / "many" / "zz-new.txt"  # not in the cache: a worker reads it
    fresh.write_text((tmp_path / "many" / "0000.txt").read_text(encoding="utf-8"), encoding="utf-8")
    junk = tmp_path / "many" / "zz-junk.txt"  # unreadable: its one-line error badge
    junk.write_bytes(b"\x00\x01 not a report \xff" * 8)
    for path in (fresh, junk):
        os.utime(path, (os.path.getmtime(path) - 60,) * 2)
    everything = [*paths, str(fresh), str(junk)]
    collected = _Collected(len(everything))
    pool = _pool(collected)
    try:
        pool.submit(everything)
        assert collected.done.wait(60), len(collected.reads)
        lookups = pool._lookups
        assert lookups is not None and lookups.process.pid != os.getpid() and lookups.process.is_alive()
        assert pool._loop.cached == 0  # not one hit found here (the two misses were looked up again)
    finally:
        pool.shutdown()
    assert not lookups.process.is_alive()  # ended with the pool
    got = {read.path: read.summary for read in collected.reads}
    assert len(collected.reads) == len(got) == len(everything)
    assert [got[p].status for p in paths[:3]] == ["ok", "violations", "ok"] and got[paths[1]].failing == 2
    assert got[str(fresh)].status == "ok" and got[str(junk)].status == "error" and got[str(junk)].error
    assert all(read.data is None for read in collected.reads)  # the cache holds each whole result
    assert max(collected.batches) <= DELIVER_AT_MOST
    cache.reset()


def test_the_opened_file_is_looked_up_ahead_of_the_folder(tmp_path, monkeypatch):
    from gikr_tui.tui import lookup

    paths = _warm_folder(tmp_path, monkeypatch, 3 * lookup.CHUNK)
    collected = _Collected(len(paths))
    pool = _pool(collected)
    try:
        pool.submit(paths)
        pool.prioritise(paths[-1])
        assert collected.done.wait(60), len(collected.reads)
    finally:
        pool.shutdown()
    order = [read.path for read in collected.reads]
    # at most the batches asked for ahead come before it
    assert order.index(paths[-1]) < lookup.AHEAD * lookup.CHUNK, order.index(paths[-1])
    cache.reset()


def test_closing_with_lookups_under_way_answers_every_file_at_once(tmp_path, monkeypatch):
    import time

    paths = _warm_folder(tmp_path, monkeypatch, 600)
    collected = _Collected(len(paths))
    pool = _pool(collected)
    pool.submit(paths)
    t = time.monotonic()
    pool.shutdown()
    assert time.monotonic() - t < 3
    assert collected.done.is_set() and {read.path for read in collected.reads} == set(paths)
    lookups = pool._lookups
    assert lookups is None  # (handed its unanswered files to the closing message, and ended)
    cache.reset()


def _looks(segments) -> list[tuple[str, object]]:
    """What a row of segments shows, character by character: the text and its style, without
    the mouse meta DataTable puts in its cells' styles (the grid's cells carry none)."""
    from rich.style import Style

    return [(ch, (seg.style or Style()).clear_meta_and_links()) for seg in segments for ch in seg.text]


@pytest.mark.parametrize("width", [120, 60])
def test_grid_cells_and_lines_drawn_by_the_short_path_are_datatables_own(tmp_path, width):
    # Opening a report draws ~200 new cells and ~30 lines while keys wait: the grid builds a
    # one-line cell from segments (`_one_line_cell`) rather than through Rich's general path,
    # and a line from its cells (`_body_line`) rather than through DataTable's per-row work.
    # What it builds must look as DataTable's would: every cell and line, text and styles, in
    # every cursor and hover state, scrolled or not.
    from functools import partial

    from rich.style import Style
    from textual.coordinate import Coordinate
    from textual.widgets import DataTable

    folder = make_folder(tmp_path)

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(width, 30)) as pilot:
            await settle(pilot, app)
            await press(pilot, "j", "3")  # the broken report: failing cells, its marks
            grid = app.query_one(ReportGrid)
            await until(pilot, lambda: grid.state is app.states[str(folder / "b-broken.txt")])
            grid.cursor_coordinate = grid.coordinate_of((T3, "received_new", "natural"))
            await press(pilot, "e", "2", "8", "enter", "c")  # an edited cell; computed sums beside values
            short, rendered = 0, grid._text_segments.misses
            for base in (Style(bgcolor="black"), Style(color="white", bgcolor="blue")):
                for cursor, hover in ((False, False), (True, False), (False, True), (True, True)):
                    for row in range(len(grid.rows)):
                        for col in range(len(grid.columns)):
                            w = grid.ordered_columns[col].get_render_width(grid)
                            built = grid._one_line_cell(row, col, base, w, cursor, hover)
                            if built is not None:
                                short += 1
                                (theirs,) = DataTable._render_cell(grid, row, col, base, w, cursor, hover)
                                assert _looks(built[0]) == _looks(theirs), (row, col)
            assert short >= 0.9 * 8 * len(grid.rows) * len(grid.columns)
            # a text's segments are made once for every cell showing it in that room ("0" in most)
            assert grid._text_segments.misses - rendered < short / 20
            # Lines: DataTable's own, its cells rendered its own way (with their meta)
            grid._render_line(1, 0, width, Style())  # (the widths the grid draws with)
            theirs_cells = partial(DataTable._render_cell, grid)
            lines = 0
            for cursor in ((3, 2), (0, 1), (len(grid.rows) - 1, len(grid.columns) - 1)):
                grid.cursor_coordinate = Coordinate(*cursor)
                grid.hover_coordinate = Coordinate(cursor[0] + 1, 3)
                for x1 in (0, 4, 13):
                    for row in range(len(grid.rows)):
                        ours = grid._body_line(row, x1, x1 + width, Style(bgcolor="black"))
                        grid._render_cell = theirs_cells
                        try:
                            grid._line_cache.clear()
                            grid._row_render_cache.clear()
                            theirs = DataTable._render_line(grid, row + 1, x1, x1 + width, Style(bgcolor="black"))
                        finally:
                            del grid._render_cell
                        assert _looks(ours) == _looks(theirs), (cursor, x1, row)
                        lines += 1
            assert lines == 9 * len(grid.rows)

    run(go())


@pytest.mark.parametrize("width", [120, 60])
def test_the_mouse_finds_the_grid_cell_it_points_at(tmp_path, width):
    # The grid's cells carry no mouse meta (see above): a click or a hover finds its cell from
    # where it points, in the frozen columns and the scrolled ones alike.
    folder = make_folder(tmp_path)

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(width, 30)) as pilot:
            await settle(pilot, app)
            await press(pilot, "3")
            grid = app.query_one(ReportGrid)
            widths = [c.get_render_width(grid) for c in grid.ordered_columns]
            region = grid.content_region
            header = grid.header_height
            # (offsets from the grid's top left: its content starts inside the pane's frame)
            dx, dy = region.x - grid.region.x, region.y - grid.region.y

            def x_of(column: int, scroll_x: int = 0) -> int:
                start = sum(widths[:column])
                return start + 1 if column < grid.fixed_columns else start + 1 - scroll_x

            def scrolled_in_sight(scroll_x: int) -> list[int]:  # columns wholly in sight, right of the frozen
                fixed_width = sum(widths[:grid.fixed_columns])
                return [c for c in range(grid.fixed_columns, len(widths))
                        if fixed_width <= x_of(c, scroll_x) - 1 and x_of(c, scroll_x) - 1 + widths[c] <= region.width]

            await pilot.click(ReportGrid, offset=(dx + x_of(1), dy + header + 4))
            assert grid.cursor_coordinate == (4, 1)
            column = scrolled_in_sight(0)[0]
            await pilot.click(ReportGrid, offset=(dx + x_of(column), dy + header + 2))
            assert grid.cursor_coordinate == (2, column)
            await pilot.hover(ReportGrid, offset=(dx + x_of(column), dy + header + 6))
            assert grid.hover_coordinate == (6, column)
            if width == 60:  # scrolled right: the frozen columns stay, the others move
                grid.scroll_to(x=12, animate=False)
                await pilot.pause()
                scroll_x = int(grid.scroll_x)
                assert scroll_x > 0
                column = scrolled_in_sight(scroll_x)[-1]
                assert column > scrolled_in_sight(0)[-1]  # one not in sight before the scroll
                await pilot.click(ReportGrid, offset=(dx + x_of(column, scroll_x), dy + header + 1))
                assert grid.cursor_coordinate == (1, column)
                await pilot.click(ReportGrid, offset=(dx + x_of(1, scroll_x), dy + header + 3))
                assert grid.cursor_coordinate == (3, 1)
            # the header: DataTable's own meta, and the cursor stays
            before = grid.cursor_coordinate
            await pilot.click(ReportGrid, offset=(dx + x_of(2), dy))
            assert grid.cursor_coordinate == before

    run(go())


def test_a_lookup_process_that_dies_leaves_its_files_to_the_run_loop(tmp_path, monkeypatch):
    import signal
    import time

    paths = _warm_folder(tmp_path, monkeypatch, 600)
    collected = _Collected(len(paths))
    pool = _pool(collected)
    try:
        pool.submit(paths)
        deadline = time.monotonic() + 30
        while pool._lookups is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(pool._lookups.process.pid, signal.SIGKILL)  # as the OOM killer would
        assert collected.done.wait(60), len(collected.reads)
        assert pool._lookups is None and pool._loop.cached > 0  # the loop looked up what it had not answered
    finally:
        pool.shutdown()
    got = {read.path: read.summary.status for read in collected.reads}
    assert len(got) == len(paths) and {got[p] for p in paths} == {"ok", "violations"}
    cache.reset()


# --- keys while the badges fill: what opening a report and the listing cost the app's thread ---

def test_a_new_listing_s_rows_are_built_off_the_apps_thread(tmp_path, monkeypatch):
    # 10,000 files' rows and counts took ~60 ms of the app's thread just after the first
    # frame, and the keys typed then waited for them: they are built where the folder is
    # listed, and the pane takes them as they are.
    import threading

    from gikr_tui.tui.components.files import Rows
    from test_tui import make_triage_folder

    folder = make_triage_folder(tmp_path)
    built: list[tuple[str, bool]] = []  # (what, on the app's thread)

    def noted(name):
        original = getattr(Rows, name)

        def run_(self, *args, **kwargs):
            built.append((name, threading.current_thread() is threading.main_thread()))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Rows, name, run_)

    for name in ("_recount", "_arrange_files", "_build_rows"):
        noted(name)

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: app.scanned)
            await pilot.pause()
            tree = app.query_one(FileTree)
            assert sorted(name for name, _ in built) == ["_arrange_files", "_build_rows", "_recount"]
            assert not any(on_main for _, on_main in built), built
            # what it took is what it builds itself, from the same files and states
            rows, order, children = list(tree.rows), list(tree.order), dict(tree._children)
            assert len(rows) == 1 + 1 + 5 and sum(tree.counts().values()) == 5
            built.clear()
            tree.populate(app.root, list(app.paths), app.states)  # (another list: built here, in full)
            assert ("_build_rows", True) in built
            assert tree.rows == rows and tree.order == order and tree._children == children
            assert sum(tree.counts().values()) == 5
            # a sort or a filter chosen before the listing came would not be taken as built
            other = Rows.listed(app.root, tree.paths, app.states)
            assert other.built_as(tree) and not Rows.listed(app.root, tree.paths, dict(app.states)).built_as(tree)
            tree.sort = "findings"
            assert not other.built_as(tree)

    run(go())


def test_the_pool_starts_after_the_frame_with_the_listing(tmp_path, monkeypatch):
    # The pool's start (its forkserver on the app's thread, then its thread handing every file
    # to the lookups) came in the same moment as the listing's frame: a key typed just after the
    # listing waited for both. The listing is drawn first.
    from textual.app import App

    from test_tui import make_triage_folder

    folder = make_triage_folder(tmp_path)
    events: list[str] = []
    display = App._display

    def counted(self, screen, renderable):
        if self.scanned and "listed" in events and "frame" not in events:
            events.append("frame")
        return display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", counted)
    scanned = GikrApp.on_folder_scanned

    def on_folder_scanned(self, message):
        events.append("listed")
        submit = self.pool.submit

        def submitted(*args, **kwargs):
            events.append("pool")
            return submit(*args, **kwargs)

        self.pool.submit = submitted
        return scanned(self, message)

    monkeypatch.setattr(GikrApp, "on_folder_scanned", on_folder_scanned)

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            assert events[:3] == ["listed", "frame", "pool"], events

    run(go())


def test_opening_a_report_with_the_same_sections_draws_none_of_their_lines_again(tmp_path, monkeypatch):
    # Tree keys its drawn lines by a counter every added node bumps: each report opened
    # drew every Sections line again (a key on Files waited for it).  Keyed by what a
    # line shows, a report with the same sections and marks draws from what was drawn.
    from textual.widgets import Tree

    from gikr_tui.tui.components.sections import SectionTree

    folder = make_folder(tmp_path)  # two reports with the same sections
    drawn: list[int] = []
    render_line = Tree._render_line

    def counted(self, y, *args):
        if y < len(self._tree_lines):  # (past the last: a blank line)
            drawn.append(y)
        return render_line(self, y, *args)

    monkeypatch.setattr(Tree, "_render_line", counted)

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            good, broken = str(folder / "a-good.txt"), str(folder / "b-broken.txt")
            sections = app.query_one(SectionTree)
            for key, path in (("j", broken), ("k", good)):
                await press(pilot, key)
                await until(pilot, lambda: app.states[path].loaded and sections.cursor_node is not None
                            and sections.cursor_node.data is app.states[path].report.sections[0])
                await pilot.pause()
            assert drawn  # (both were drawn once)
            lines = [sections.render_line(y).text for y in range(sections.size.height)]
            drawn.clear()
            await press(pilot, "j")
            await until(pilot, lambda: app.states[broken].loaded and sections.cursor_node is not None
                        and sections.cursor_node.data is app.states[broken].report.sections[0])
            await pilot.pause()
            assert drawn == []
            assert [sections.render_line(y).text for y in range(sections.size.height)] == lines
            # what a line shows is in the key: the cursor moved, its lines are drawn anew
            await press(pilot, "2", "j")
            await pilot.pause()
            assert drawn and sections.cursor_line == 1

    run(go())


def test_opening_a_report_of_the_same_template_fills_the_panes_in_place_with_no_layout(tmp_path, monkeypatch):
    # Each key on Files that opened a report cleared the grid's rows and added them again,
    # cleared the sections, and changed the panes' virtual sizes: each of those re-laid the
    # whole screen out and redrew every scrollbar, twice a key (once emptied, once filled),
    # and the keys behind it waited (issue 14: no key waits more than 50 ms).
    from textual.screen import Screen

    from gikr_tui.tui.components.sections import SectionTree

    folder = make_folder(tmp_path)  # two reports of one template, with the same sections
    layouts: list[Screen] = []
    refresh_layout = Screen._refresh_layout

    def counted(self, *args, **kwargs):
        layouts.append(self)
        return refresh_layout(self, *args, **kwargs)

    monkeypatch.setattr(Screen, "_refresh_layout", counted)

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await still(pilot)
            good, broken = str(folder / "a-good.txt"), str(folder / "b-broken.txt")
            grid, sections = app.query_one(ReportGrid), app.query_one(SectionTree)
            rows, nodes = dict(grid.rows), list(sections.root.children)
            assert grid.get_row_at(0)[NATURAL].plain == "28" and app.states[good].report.sections
            layouts.clear()
            await press(pilot, "j")
            await until(pilot, lambda: grid.state is app.states[broken] and app.states[broken].loaded)
            await still(pilot)
            assert grid.get_row_at(0)[NATURAL].plain == "29!"  # b-broken's values, in a-good's rows
            assert grid.rows == rows and all(grid.rows[key] is row for key, row in rows.items())
            assert list(sections.root.children) == nodes  # the same lines, b-broken's sections under them
            assert sections.cursor_node.data is app.states[broken].report.sections[0]
            assert layouts == [], f"{len(layouts)} layouts of the screen for a report opened"
            # and while a report is read (a slow load), the grid keeps its rows, emptied, not another file's values
            grid.show_state(None, "a-good.txt", reading=True)
            await pilot.pause()
            assert grid.rows == rows and grid.get_row_at(0)[NATURAL].plain == "" and grid.state is None
            assert layouts == []

    run(go())


def test_opening_a_report_measures_the_grids_columns_without_rich(tmp_path, monkeypatch):
    # DataTable measured each cell through Rich (a console's options each time): on idle, the
    # whole column again for every cell that got narrower (update_cell(update_width=True): ~2,400
    # measures, ~20 of the ~40 ms of the app's CPU a key on Files cost), and every cell of each
    # row added (~230 for a report of another template). Issue 14: no key waits more than 50 ms.
    # The grid sizes its columns from its cells' text; the widths must stay DataTable's own.
    import random

    from textual.render import measure
    from textual.widgets import _data_table

    from report_maker import consistent_truth, render, write_cells

    folder = make_folder(tmp_path)  # two reports of the 2021 template, and one of 2019's
    rng = random.Random(2019)
    truth = consistent_truth(rng, 2019)
    write_cells(truth, rng, "zeros")
    (folder / "c-2019.txt").write_text(render(truth, "tab", rng, fancy=False), encoding="utf-8")
    measured: list[object] = []

    def counted(console, renderable, *args, **kwargs):
        measured.append(renderable)
        return measure(console, renderable, *args, **kwargs)

    monkeypatch.setattr(_data_table, "measure", counted)

    def datatables_widths(grid: ReportGrid) -> list[int]:
        console = grid.app.console
        return [max([measure(console, column.label, 1), *(measure(console, row[column.key], 1) for row in grid._data.values())])
                for column in grid.ordered_columns[1:]]

    def widths(grid: ReportGrid) -> list[int]:
        return [column.content_width for column in grid.ordered_columns[1:]]

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            good, broken, old = (str(folder / name) for name in ("a-good.txt", "b-broken.txt", "c-2019.txt"))
            grid = app.query_one(ReportGrid)
            before = widths(grid)
            assert before == datatables_widths(grid)
            measured.clear()
            for key, path, rows in (("j", broken, 29), ("k", good, 29), ("j", broken, 29), ("j", old, 27), ("k", broken, 29)):
                await press(pilot, key)
                await until(pilot, lambda: grid.state is app.states[path] and app.states[path].loaded)
                await still(pilot)
                assert grid.row_count == rows and widths(grid) == datatables_widths(grid), path
            # an edit that widens a cell widens its column, and undoing it narrows it, as DataTable would
            grid.cursor_coordinate = grid.coordinate_of((T3, "received_new", "natural"))
            await press(pilot, "3", "e", "1", "2", "3", "4", "5", "6", "7", "enter")
            await still(pilot)
            assert grid.get_row_at(0)[NATURAL].plain.startswith("1234567")
            widened = widths(grid)
            assert widened == datatables_widths(grid) and widened != before
            await press(pilot, "u")
            await still(pilot)
            assert widths(grid) == datatables_widths(grid) == before
            assert measured == []

    run(go())


def test_while_the_next_report_is_read_the_panes_show_the_one_left_then_empty(tmp_path, monkeypatch):
    # Emptied at once, every pane was drawn twice for each key that opened a report (emptied,
    # then filled a few ms later from the cache): they now go on showing the report left, under
    # its name, and empty only if the next takes longer than BLANK_AFTER to read; never the
    # report left under the next one's name, nor "no findings" for a report not read yet.
    from concurrent.futures import Future

    from gikr_tui.tui import app as app_module

    folder = make_folder(tmp_path)

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            good, broken = str(folder / "a-good.txt"), str(folder / "b-broken.txt")
            grid, findings = app.query_one(ReportGrid), app.query_one(FindingsList)
            load, held = app.pool.load, []

            def held_load(path, data=None):  # the read, finished when the test says
                future = Future()
                held.append((path, data, future))
                return future

            def finish() -> None:
                path, data, future = held.pop()
                load(path, data).add_done_callback(lambda done: future.set_result(done.result()))

            monkeypatch.setattr(app.pool, "load", held_load)
            monkeypatch.setattr(app_module, "BLANK_AFTER", 30.0, raising=False)
            await press(pilot, "j")
            assert app.current == broken and held
            await pilot.pause(0.2)
            assert grid.file_name == "a-good.txt" and grid.get_row_at(0)[NATURAL].plain == "28"
            assert findings.lines[0] == "✓ consistent: every check holds"
            finish()
            await until(pilot, lambda: grid.state is app.states[broken] and grid.get_row_at(0)[NATURAL].plain == "29!")
            assert grid.file_name == "b-broken.txt" and "row_total" in " ".join(findings.lines)
            monkeypatch.setattr(app_module, "BLANK_AFTER", 0.01, raising=False)
            await press(pilot, "k")  # a slow read: the panes empty, named for the file being read
            await until(pilot, lambda: grid.state is None)
            assert grid.file_name == "a-good.txt" and grid.get_row_at(0)[NATURAL].plain == ""
            assert findings.option_count == 0
            finish()
            await until(pilot, lambda: grid.state is app.states[good] and grid.get_row_at(0)[NATURAL].plain == "28")

    run(go())
