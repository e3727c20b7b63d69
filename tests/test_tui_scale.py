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
from test_tui import make_folder, notifications, press, run, settle, until


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
