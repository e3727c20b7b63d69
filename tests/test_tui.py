"""Pilot tests of the inspector: every binding, edit → recompute → undo, reload, broken files.

Real parts only: the app parses real seed reports in its real process pool.
Waiting loops poll for a condition with a generous bound; nothing asserts
how long anything took.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import shutil
import signal
import unicodedata
from pathlib import Path

import pytest
from rich.console import Console
from textual import events
from textual.binding import Binding
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from gikr_tui.settings import Settings
from gikr_tui.tui.app import GikrApp
from gikr_tui.tui.commands import COMMANDS
from gikr_tui.tui.confirm import ConfirmScreen
from gikr_tui.tui.components.file_filter import FilterInput
from gikr_tui.tui.components.files import FileTree
from gikr_tui.tui.components.findings import FindingsList
from gikr_tui.tui.components.grid import ReportGrid
from gikr_tui.tui.components.reader import PIECE_CHARS, Reader
from gikr_tui.tui.components.sections import SectionTree
from gikr_tui.tui.help import HelpScreen
from gikr_tui.tui.screens import screen_binding_owners
from gikr_tui.tui.words import Footer
from gikr_tui.tui.session import T3, T4
from report_maker import with_long_prose

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"
SEED = SEEDS / "000_8a0178302d297c36.txt"
BROKEN_LINE = 83  # 一、本年新收 / 自然人 in the seed: 28 (row total 31)
TOTAL, NATURAL = 1, 2  # grid columns: 总计 frozen beside the labels, then 自然人 …

BINDING_CLASSES = (GikrApp, FileTree, SectionTree, ReportGrid, FindingsList, Reader, FilterInput, HelpScreen, ConfirmScreen,
                   *screen_binding_owners())


# --- helpers -------------------------------------------------------------------


def broken_text(seed: Path = SEED) -> str:
    """The seed with one number changed, so its first row no longer adds up."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    assert lines[BROKEN_LINE - 1].strip() == "28"
    lines[BROKEN_LINE - 1] = lines[BROKEN_LINE - 1].replace("28", "29")
    return "\n".join(lines)


def make_folder(root: Path) -> Path:
    """reports/a-good.txt (consistent) and reports/b-broken.txt (one number off)."""
    folder = root / "reports"
    folder.mkdir()
    shutil.copy(SEED, folder / "a-good.txt")
    (folder / "b-broken.txt").write_text(broken_text(), encoding="utf-8")
    return folder


def make_triage_folder(root: Path) -> Path:
    """a-good, b-broken (2 findings), c-empty (unreadable), sub/d-changchun (another agency), sub/e-old (2019, 3 findings)."""
    folder = make_folder(root)
    (folder / "c-empty.txt").write_bytes(b"")
    sub = folder / "sub"
    sub.mkdir()
    shutil.copy(SEEDS / "003_071553c8290f36c9.txt", sub / "d-changchun.txt")
    lines = broken_text().split("\n")
    lines[91] = lines[91].replace("2", "5")  # 二、上年结转 / 自然人: a third finding
    (sub / "e-old.txt").write_text("\n".join(lines).replace("2021年", "2019年"), encoding="utf-8")
    return folder


def names(paths) -> list[str]:
    return [os.path.basename(p) for p in paths]


@pytest.fixture
def folder(tmp_path) -> Path:
    return make_folder(tmp_path)


async def settle(pilot, app: GikrApp, bound: float = 60.0) -> None:
    """Wait until every file has its badge, then let the screen catch up."""
    loop = asyncio.get_running_loop()
    end = loop.time() + bound
    while not app.all_parsed and loop.time() < end:
        await pilot.pause(0.05)
    assert app.all_parsed, {p: s.status for p, s in app.states.items()}
    await pilot.pause()


async def still(pilot, bound: float = 15.0) -> None:
    """Wait until the screen stops changing: what a snapshot takes. A fixed pause was too short
    for the late layout (the Findings pane following the grid, a scrollbar coming and going,
    labels refitted) when the suite loads every core; one in ten 120x40 snapshots caught it."""
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    loop = asyncio.get_running_loop()
    end = loop.time() + bound
    shot = pilot.app.export_screenshot()
    while loop.time() < end:
        await pilot.pause(0.15)
        await pilot.wait_for_scheduled_animations()
        again = pilot.app.export_screenshot()
        if again == shot:
            return
        shot = again
    raise AssertionError(f"the screen still changes after {bound} s")


async def until(pilot, condition, bound: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + bound
    while not condition() and loop.time() < end:
        await pilot.pause(0.05)
    assert condition()


async def until_noticed(pilot, condition, change, bound: float = 30.0) -> None:
    """Make `change` until `condition` holds: a watcher starts watching a moment after the app
    (a poll takes the mtime it first sees as the file's), which on a busy machine can be after a
    test's first write; a change it never notices still fails."""
    loop = asyncio.get_running_loop()
    end = loop.time() + bound
    while not condition() and loop.time() < end:
        change()
        again = loop.time() + 1.5
        while not condition() and loop.time() < min(again, end):
            await pilot.pause(0.05)
    assert condition()


def run(coro) -> None:
    asyncio.run(coro)


def key_event(key: str) -> events.Key:
    """The Key event a terminal sends for `key` (a name, as pilot.press takes)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def press(pilot, *keys: str) -> None:
    """Keys as a user types them, each handled once the one before is done (the app's
    OrderedKeys), with one screen update at the end: pilot.press waits for the CPU to go
    idle after every key, which costs 60 ms a key and most of this file's run time."""
    await burst(pilot, *keys)


async def burst(pilot, *keys: str) -> None:
    """Keys arriving together, as over SSH: all are queued before the first is handled."""
    app = pilot.app
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        app.post_message(event)
    loop = asyncio.get_running_loop()
    end = loop.time() + 30
    await asyncio.sleep(0)
    def busy() -> bool:  # (a key that quits leaves the app before its marker is back)
        return getattr(app, "_key_busy", False) and app.return_code is None

    while busy() and loop.time() < end:
        await asyncio.sleep(0.005)
    assert not busy(), "keys still being handled"
    await pilot.pause()


def frames_drawn(app, what) -> list:
    """`what()` for every frame the app's screen draws from now on."""
    frames: list = []
    draw = app.screen._compositor_refresh

    def counted() -> None:
        frames.append(what())
        draw()

    app.screen._compositor_refresh = counted
    return frames


def screen_text(app) -> str:
    """The screen as plain text, rendered the way export_screenshot renders it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def notifications(app) -> list[str]:
    """Every notification the app shows from now on (recorded on its way to the screen)."""
    seen: list[str] = []
    show = app.notify

    def notify(message, *args, **kwargs):
        seen.append(str(message))
        return show(message, *args, **kwargs)

    app.notify = notify
    return seen


def all_bindings() -> dict[str, Binding]:
    out: dict[str, Binding] = {}
    for cls in BINDING_CLASSES:
        for b in cls.__dict__.get("BINDINGS", []):
            assert isinstance(b, Binding) and b.id, f"{cls.__name__}: {b!r} has no id"
            out[b.id] = b
    return out


def keys_of(binding_id: str) -> list[str]:
    """Every key of one binding: tests press each, so no alternative goes untested."""
    return [k.strip() for k in all_bindings()[binding_id].key.split(",")]


def grid_text(grid) -> str:
    return "\n".join(" ".join(c.plain for c in grid.get_row_at(i)) for i in range(grid.row_count))


def status_text(app) -> str:
    return app.query_one("#status").plain


def open_broken(app: GikrApp) -> str:
    return next(p for p in app.paths if p.endswith("b-broken.txt"))


# --- bindings ------------------------------------------------------------------


def test_every_binding_has_an_id_and_is_exercised_here():
    bindings = all_bindings()
    assert len(bindings) > 50
    # (the summary's and compare's keys are pressed in their own file)
    source = "".join(Path(__file__).with_name(name).read_text(encoding="utf-8") for name in ("test_tui.py", "test_tui_screens.py"))
    exercised = set(re.findall(r'keys_of\("([a-z_.0-9]+)"\)', source))
    missing = set(bindings) - exercised
    assert not missing, f"bindings no test presses: {sorted(missing)}"


def test_the_footer_shows_the_focused_panes_keys_and_is_rebuilt_only_when_they_change(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            footer = app.query_one(Footer)

            def shown() -> list[str]:
                return [key.description for key in footer.query(FooterKey)]

            await until(pilot, lambda: "Quit" in shown())
            assert "Edit" not in shown()  # the Files pane has the focus
            await press(pilot, "3")
            await until(pilot, lambda: "Edit" in shown() and "Next !" in shown())
            keys = list(footer.query(FooterKey))
            # the bindings refreshed, the same keys shown: the same widgets, not mounted again
            app.screen.refresh_bindings()
            await pilot.pause()
            await pilot.pause()
            assert list(footer.query(FooterKey)) == keys
            await press(pilot, "1")
            await until(pilot, lambda: "Edit" not in shown())

            # A focus change lays the screen out once, for the footer's new keys: the focused
            # pane's border changes its colour only (a repaint), and the footer's rebuild is one
            # layout pass (each new key asked for a second, for nothing, and removing the old
            # keys and mounting the new were two requests the screen could take apart).
            await still(pilot)
            layouts: list[list[str]] = []
            screen = app.screen
            lay_out = screen._refresh_layout

            def counted(size=None, scroll=False):
                if not (scroll and not screen._layout_widgets):  # (a scroll alone moves no widget)
                    layouts.append(sorted(f"{type(w).__name__}#{w.id}" for ws in screen._layout_widgets.values() for w in ws))
                return lay_out(size, scroll)

            screen._refresh_layout = counted
            for key, pane in (("3", ReportGrid), ("4", FindingsList), ("1", FileTree)):
                layouts.clear()
                await press(pilot, key)
                await still(pilot)
                assert isinstance(app.focused, pane)
                assert len(layouts) <= 1, (key, layouts)

    run(go())


def test_file_pane_keys(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            tree = app.query_one(FileTree)
            assert app.focused is tree
            good, broken = sorted(app.paths)
            for key in keys_of("files.down"):
                tree.select_path(good)
                await press(pilot, key)
                assert tree.current_path == broken and app.current == broken
            for key in keys_of("files.up"):
                await press(pilot, key)
                assert tree.current_path == good
                tree.select_path(broken)
            for key in keys_of("files.first"):
                await press(pilot, key)
                assert tree.cursor_line == 0  # the folder itself
            for key in keys_of("files.last"):
                await press(pilot, key)
                assert tree.current_path == broken
            for key in keys_of("files.page_up"):
                await press(pilot, key)
                assert tree.cursor_line == 0
            for key in keys_of("files.page_down"):
                tree.cursor_line = 0
                await press(pilot, key)
                assert tree.current_path == broken
            for key in keys_of("files.parent"):
                tree.select_path(broken)
                await press(pilot, key)
                assert tree.cursor_line == 0
            for key in keys_of("files.toggle"):
                tree.cursor_line = 0
                await press(pilot, key)
                assert tree.is_folded(tree.root_path) and len(tree.rows) == 1
                await press(pilot, key)
                assert not tree.is_folded(tree.root_path) and len(tree.rows) == 3
            for key in keys_of("files.open"):
                tree.select_path(good)
                await pilot.pause()
                tree.focus()
                await press(pilot, key)
                assert isinstance(app.focused, ReportGrid) and app.current == good

    run(go())


def test_filter_by_name(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            tree = app.query_one(FileTree)
            for key in keys_of("files.filter"):
                tree.focus()
                await press(pilot, key)
                assert isinstance(app.focused, FilterInput)
                await press(pilot, "b", "r", "o")
                await until(pilot, lambda: [os.path.basename(p) for p in tree.order] == ["b-broken.txt"])
                for done in keys_of("filter.done"):
                    await press(pilot, done)
                    assert app.focused is tree
                assert len(tree.order) == 1  # the filter stays while browsing
                await press(pilot, key)
                for clear in keys_of("filter.clear"):
                    await press(pilot, clear)
                assert app.focused is tree and len(tree.order) == 2
                assert not app.query_one(FilterInput).display

    run(go())


def test_triage_counts_sorting_showing_and_filtering(tmp_path):
    folder = make_triage_folder(tmp_path)

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            tree = app.query_one(FileTree)
            await pilot.pause()
            # the folder's counts, in the pane's bottom border and on the folder's line
            assert app.query_one("#files-pane")._border_subtitle.plain == "5 files: 2 ok · 2! · 1 ERR"
            tree.cursor_line = 0
            await pilot.pause()
            assert status_text(app) == "reports/ · 5 files · 2 consistent · 2 with findings · 1 unreadable · 0 being read"
            sub = str(folder / "sub")
            assert tree.label_of(sub).plain == "sub/"
            tree.fold(sub)
            await pilot.pause()
            assert tree.label_of(sub).plain == "sub/ 1 ok · 1!"  # a folded folder counts its own files
            assert "▶ sub/ 1 ok · 1!" in screen_text(app)
            tree.fold(sub, False)
            await pilot.pause()
            told = notifications(app)
            expected = [
                ("findings", ["b-broken.txt", "c-empty.txt", "a-good.txt", "e-old.txt", "d-changchun.txt"]),
                ("status", ["c-empty.txt", "b-broken.txt", "a-good.txt", "e-old.txt", "d-changchun.txt"]),
                ("agency", ["a-good.txt", "b-broken.txt", "c-empty.txt", "e-old.txt", "d-changchun.txt"]),
                ("year", ["a-good.txt", "b-broken.txt", "c-empty.txt", "d-changchun.txt", "e-old.txt"]),
                ("name", ["a-good.txt", "b-broken.txt", "c-empty.txt", "d-changchun.txt", "e-old.txt"]),
            ]
            for key in keys_of("files.sort"):
                for sort, order in expected:
                    tree.focus()
                    await press(pilot, key)
                    assert tree.sort == sort and names(tree.order) == order, (sort, names(tree.order))
                    assert told[-1].startswith("Files sorted by")
            for key in keys_of("files.show"):
                await press(pilot, key)
                assert names(tree.order) == ["b-broken.txt", "c-empty.txt", "e-old.txt"]
                assert told[-1] == "Showing files with findings or unreadable: 3 of 5."
                await press(pilot, key)
                assert names(tree.order) == ["c-empty.txt"]
                await press(pilot, key)
                assert len(tree.order) == 5
            # the filter matches the agency and the year as well as the name
            for words, expect in (("相城区", ["a-good.txt", "b-broken.txt", "e-old.txt"]), ("2019", ["e-old.txt"]), ("长春 2021", ["d-changchun.txt"])):
                tree.focus()
                await burst(pilot, "slash", *["space" if c == " " else c for c in words])
                assert names(tree.order) == expect, words
                assert f"{len(expect)} of 5 files" in status_text(app)
                await press(pilot, "escape")
            assert len(tree.order) == 5

    run(go())


def test_reviewed_marks_are_remembered_in_gikrs_data_never_in_the_report(tmp_path, monkeypatch):
    data = tmp_path / "gikr-data"
    monkeypatch.setenv("GIKR_DATA_DIR", str(data))
    folder = make_triage_folder(tmp_path)
    listing = sorted(p.name for p in folder.rglob("*"))
    broken = str(folder / "b-broken.txt")

    async def first_run():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            tree = app.query_one(FileTree)
            told = notifications(app)
            # ] and [ go through the files that need a look: findings and unreadable ones
            await press(pilot, "]")
            assert os.path.basename(app.current) == "b-broken.txt"
            await press(pilot, "]")
            assert os.path.basename(app.current) == "c-empty.txt"
            await press(pilot, "]", "]")
            assert os.path.basename(app.current) == "b-broken.txt"
            assert told[-1] == "Wrapped around to the top of the list."
            await press(pilot, "[")
            assert os.path.basename(app.current) == "e-old.txt" and told[-1] == "Wrapped around to the bottom of the list."
            await press(pilot, "]")
            for key in keys_of("app.reviewed"):
                await press(pilot, key)
                assert told[-1] == "Marked b-broken.txt reviewed."
                assert "2!✓ b-broken.txt" in tree.label_of(broken).plain
                await press(pilot, key)
                assert told[-1] == "b-broken.txt is no longer marked reviewed."
                await press(pilot, key)
            await press(pilot, "1")
            assert "reviewed" in status_text(app)
            # a reviewed file is skipped by ] and [
            await press(pilot, "[", "]")
            assert os.path.basename(app.current) == "c-empty.txt"

    async def second_run(changed: bool):
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            tree = app.query_one(FileTree)
            label = tree.label_of(broken).plain
            tree.select_path(broken)
            await pilot.pause()
            if changed:
                assert "✓" not in label and "reviewed, but the file changed since" in status_text(app)
            else:
                assert "2!✓ b-broken.txt" in label and "reviewed" in status_text(app)

    run(first_run())
    run(second_run(changed=False))
    assert sorted(p.name for p in folder.rglob("*")) == listing  # nothing written beside the reports
    assert (data / "reviewed.json").is_file() and broken.encode() not in (folder / "b-broken.txt").read_bytes()
    with open(folder / "b-broken.txt", "a", encoding="utf-8") as fh:
        fh.write("\n")
    run(second_run(changed=True))


def test_next_and_previous_file_with_findings(tmp_path):
    folder = make_folder(tmp_path)
    shutil.copy(SEEDS / "001_409f4fcd39a1998d.txt", folder / "c-good.txt")
    (folder / "d-broken.txt").write_text(broken_text(), encoding="utf-8")

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            names = lambda: os.path.basename(app.current)  # noqa: E731
            assert names() == "a-good.txt"
            for key in keys_of("app.next_flagged"):
                await press(pilot, key)
            assert names() == "b-broken.txt"
            for key in keys_of("app.next_flagged"):
                await press(pilot, key)
            assert names() == "d-broken.txt"
            await press(pilot, *keys_of("app.next_flagged"))
            assert names() == "b-broken.txt"  # wraps around
            for key in keys_of("app.previous_flagged"):
                await press(pilot, key)
            assert names() == "d-broken.txt"
            assert app.query_one(FileTree).current_path == app.current

    run(go())


def test_pane_keys_tab_and_maximize(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            expect = [
                (keys_of("app.pane_files"), FileTree),
                (keys_of("app.pane_sections"), SectionTree),
                (keys_of("app.pane_grid"), ReportGrid),
                (keys_of("app.pane_findings"), FindingsList),
                (keys_of("app.pane_reader"), Reader),
            ]
            for keys, cls in expect:
                for key in keys:
                    await press(pilot, key)
                    assert isinstance(app.focused, cls), key
            await press(pilot, "3", "1")  # back to the grid view: the reader is not a tab stop then
            order = []
            for key in keys_of("app.focus_next"):
                for _ in range(4):
                    await press(pilot, key)
                    order.append(type(app.focused))
            assert order == [SectionTree, ReportGrid, FindingsList, FileTree]
            for key in keys_of("app.focus_previous"):
                await press(pilot, key)
                assert isinstance(app.focused, FindingsList)
            status = app.query_one("#status")
            for key in keys_of("app.maximize"):
                # every pane takes the whole screen but the bottom line and the footer
                for pane in ("1", "2", "3", "4", "5"):
                    await press(pilot, pane, key)
                    assert app.screen.maximized is app.focused
                    await pilot.pause()
                    assert app.focused.region.height == 24 - 2, (pane, app.focused.region)
                    assert status.region.y == 22 and status.phrases[0].plain[:8] in screen_text(app).splitlines()[22]
                    await press(pilot, key)
                    assert app.screen.maximized is None

    run(go())


def test_sections_and_reader(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    # a section missing from the report must show as missing
    text = text.replace("五、存在的主要问题及改进情况", "存在的不足")
    (folder / "report.txt").write_text(text, encoding="utf-8")

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await press(pilot, "2")
            tree = app.query_one(SectionTree)
            sections = [n.data for n in tree.root.children]
            assert [s.number for s in sections] == [1, 2, 3, 4, 5, 6]
            missing = [s for s in sections if s.status != "ok"]
            assert missing and "!" in tree.root.children[sections.index(missing[0])].label.plain
            assert "! 五、存在的主要问题" in screen_text(app)
            assert "(missing)" in tree.root.children[4].label.plain
            for key in keys_of("sections.down"):
                tree.cursor_line = 0
                await press(pilot, key)
                assert tree.cursor_line == 1
            for key in keys_of("sections.up"):
                await press(pilot, key)
                assert tree.cursor_line == 0
                tree.cursor_line = 1
            for key in keys_of("sections.last"):
                await press(pilot, key)
                assert tree.cursor_node.data.number == 6
            for key in keys_of("sections.first"):
                await press(pilot, key)
                assert tree.cursor_line == 0
            for key in keys_of("sections.toggle"):
                tree.cursor_line = 0
                assert tree.cursor_node.children  # 一 has sub-items in this seed
                await press(pilot, key)
                assert not tree.cursor_node.is_expanded
                await press(pilot, key)
                assert tree.cursor_node.is_expanded
            for key in keys_of("sections.parent"):
                tree.cursor_line = 1
                await press(pilot, key)
                assert tree.cursor_line == 0
            reader = app.query_one(Reader)
            for key in keys_of("sections.read"):
                app.query_one(SectionTree).focus()
                tree.cursor_line = 0
                await press(pilot, key)
                assert app.focused is reader
                assert reader.text.plain.startswith("一、总体情况")
                assert "相城区人民政府办公室" in reader.text.plain
            # the missing section says so in the reader
            tree.focus()
            tree.cursor_line = tree.root.children[sections.index(missing[0])].line
            await press(pilot, "enter")
            assert "was not found" in reader.text.plain
            tree.focus()
            tree.cursor_line = 0
            await press(pilot, "enter")
            for key in keys_of("reader.bottom"):
                await press(pilot, key)
                assert reader.scroll_y == reader.max_scroll_y > 0
            for key in keys_of("reader.top"):
                await press(pilot, key)
                assert reader.scroll_y == 0
                await press(pilot, "G")
            for key in keys_of("reader.up"):
                await press(pilot, "G")
                await press(pilot, key)
                assert reader.scroll_y == reader.max_scroll_y - 1
            for key in keys_of("reader.down"):
                await press(pilot, "g")
                await press(pilot, key)
                assert reader.scroll_y == 1
            for key in keys_of("reader.page_down"):
                await press(pilot, "g")
                await press(pilot, key)
                assert reader.scroll_y > 1
            for key in keys_of("reader.page_up"):
                await press(pilot, "G")
                await press(pilot, key)
                assert reader.scroll_y < reader.max_scroll_y - 1
            for key in keys_of("reader.back"):
                await press(pilot, key)
                assert isinstance(app.focused, ReportGrid)
                await press(pilot, "5")

    run(go())


def test_a_huge_section_is_read_in_pieces(tmp_path):
    # 15 MB of prose under 一、总体情况: laid out whole, it froze the screen for 27 s
    folder = tmp_path / "reports"
    folder.mkdir()
    line = "本机关持续深化政务公开，回应社会关切。" * 40 + "\n"
    text = SEED.read_text(encoding="utf-8").replace("一、总体情况\n", "一、总体情况\n" + line * 6600, 1)
    (folder / "huge.txt").write_text(text, encoding="utf-8")
    assert (folder / "huge.txt").stat().st_size > 15_000_000

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot, app)
            await press(pilot, "2", "enter")
            reader = app.query_one(Reader)
            assert app.focused is reader
            n = len(reader.pieces)
            assert n > 300 and reader.piece == 0
            assert len(reader.text.plain) <= PIECE_CHARS and reader.text.plain.startswith("一、总体情况")
            assert f"5 Reader · piece 1 of {n}" == str(reader.border_title)
            await until(pilot, lambda: "shown in" in screen_text(app) and "pieces" in screen_text(app))
            # the pieces read back as the whole section, nothing lost or repeated
            section = app.query_one(SectionTree).cursor_node.data
            whole = "".join(t for piece in reader.pieces for t, _ in piece)
            assert whole.count(line.strip()) == 6600 and whole.startswith(section.text)
            for key in keys_of("reader.next_piece"):
                await press(pilot, key)
                assert reader.piece == 1 and reader.scroll_y == 0
            for key in keys_of("reader.previous_piece"):
                await press(pilot, key)
                assert reader.piece == 0
            # scrolling past the end of a piece shows the next one
            await press(pilot, "G")
            assert reader.piece == n - 1 and f"piece {n} of {n}" in status_text(app)
            await press(pilot, "g")
            assert reader.piece == 0
            reader.scroll_end(animate=False, immediate=True)
            await pilot.pause()
            await press(pilot, "space")
            assert reader.piece == 1 and reader.scroll_y == 0
            await press(pilot, "k")
            assert reader.piece == 0 and reader.scroll_y == reader.max_scroll_y > 0

    run(go())


def test_grid_shape_labels_and_marks(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            grid = app.query_one(ReportGrid)
            assert grid.row_count == 25 + 1 + 3  # table 3, the table-4 heading, table 4
            assert len(grid.columns) == 1 + 7
            # at 120 columns the labels have room to be read in full, each with its group (fitted
            # once the grid has its size, which on a busy machine can come after the report)
            await until(pilot, lambda: grid.get_row_at(0)[0].plain == "一、本年新收政府信息公开申请数量")
            labels = [grid.get_row_at(i)[0].plain for i in range(25)]
            assert labels[2] == "（一）予以公开"
            assert labels[4] == "（三）1.属于国家秘密" and labels[13] == "（四）2.没有现成信息需要另行制作"
            # blank is not zero: the seed has blanks (·) and written zeros in table 4
            assert grid.get_row_at(0)[4].plain == "·"
            t4_review = grid.get_row_at(26)
            assert [c.plain for c in t4_review[1:6]] == ["1", "1", "0", "0", "0"]  # 总计 first
            # the broken file: marks on failing cells
            await press(pilot, "]")
            assert os.path.basename(app.current) == "b-broken.txt"
            row = grid.get_row_at(0)
            assert row[NATURAL].plain == "29!" and row[TOTAL].plain == "31!"
            assert "red" in str(row[NATURAL].spans[0].style)
            findings = app.query_one(FindingsList)
            assert any("总计: reported 31, columns sum to 32, -1" in line for line in findings.lines)
            # the detail line: origin of the cell under the cursor
            await press(pilot, "3")
            grid.cursor_coordinate = grid.coordinate_of((T3, "received_new", "natural"))
            await pilot.pause()
            assert "from line 83" in status_text(app)
            assert "一、本年新收政府信息公开申请数量 / 自然人: 29" in status_text(app)

    run(go())


def test_at_80_columns_totals_and_groups_stay_in_sight(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await press(pilot, "]", "3")
            grid = app.query_one(ReportGrid)
            labels = [grid.get_row_at(i)[0].plain for i in range(25)]
            # short labels that keep their group: never three rows all reading "1.…"
            assert labels[4] == "（三）1.国家秘密" and labels[13] == "（四）2.另行制作" and labels[15] == "（五）1.信访举报"
            assert len(set(labels)) == len(labels)
            assert all(Console().measure(grid.get_row_at(i)[0]).maximum <= grid.label_width for i in range(25))

            def first_row() -> str:
                return next(line for line in screen_text(app).splitlines() if "一、本年新收" in line)

            # 总计 is frozen beside the labels: in sight at the row's start and at its end
            assert "31!" in first_row() and "其他" not in screen_text(app)
            await press(pilot, "dollar_sign")
            assert grid.cursor_ref == (T3, "received_new", "other")
            assert "31!" in first_row() and "其他" in screen_text(app)
            # table 4 has five values a row: $ stops at the last one, never an empty cell
            grid.cursor_coordinate = grid.coordinate_of((T4, "review", "upheld"))
            await press(pilot, "dollar_sign")
            assert grid.cursor_ref == (T4, "review", "pending")
            await press(pilot, "l")
            assert grid.cursor_ref == (T4, "review", "pending")
            # a wider terminal gives the labels their full text
            await pilot.resize_terminal(120, 40)
            await until(pilot, lambda: grid.get_row_at(4)[0].plain == "（三）1.属于国家秘密")
            assert grid.label_width > 16

    run(go())


def test_the_label_fit_never_races_the_scrollbar(folder):
    """The labels are fitted to the width beside the scrollbar; that width must be the same before
    the rows come (no scrollbar yet) as after, or a fit made a frame early leaves a horizontal
    scrollbar and 其他 cut off (one 120x40 start in four on a loaded machine)."""
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await press(pilot, "]", "3")
            grid = app.query_one(ReportGrid)
            await until(pilot, lambda: grid.row_count > 25)
            full = grid.scrollable_content_region.width
            state = grid.state
            grid.show_state(None)
            await pilot.pause()
            assert grid.row_count == 0
            assert grid.scrollable_content_region.width == full
            grid.show_state(state)
            await still(pilot)
            assert grid.max_scroll_x == 0 and "其他" in screen_text(app)

    run(go())


def test_a_huge_value_prints_as_written(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await press(pilot, "3", "l", "e", *"100000000000000", "enter")  # the most digits a cell takes
            findings = app.query_one(FindingsList)
            await until(pilot, lambda: any("columns sum to 100000000000003" in line for line in findings.lines))
            assert not any("e+" in line for line in findings.lines)
            await press(pilot, "c")
            assert "e+" not in grid_text(app.query_one(ReportGrid))

    run(go())


def test_2019_template_has_23_rows(tmp_path):
    import random

    from report_maker import consistent_truth, render, write_cells

    rng = random.Random(2019)
    truth = consistent_truth(rng, 2019)
    write_cells(truth, rng, "zeros")
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "r2019.txt").write_text(render(truth, "tab", rng, fancy=False), encoding="utf-8")

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            state = app.states[app.current]
            assert state.status == "ok" and state.report.template == 2019, state.error
            grid = app.query_one(ReportGrid)
            assert grid.row_count == 23 + 1 + 3
            labels = [grid.get_row_at(i)[0].plain.strip() for i in range(23)]
            assert "（六）其他处理" in labels and "3.其他" not in labels
            # the title gives the year the report covers, not its template's vintage
            assert state.report.year == 2020
            assert grid.border_title.endswith("r2019.txt · 2020") and "template 2019" in status_text(app)

    run(go())


def test_grid_navigation_keys(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await press(pilot, "3")
            grid = app.query_one(ReportGrid)
            assert grid.cursor_coordinate.column == 1  # never on the label column

            def at(r, c):
                grid.move_cursor(row=r, column=c, animate=False)

            for key in keys_of("grid.down"):
                at(0, 1)
                await press(pilot, key)
                assert grid.cursor_coordinate == (1, 1)
            for key in keys_of("grid.up"):
                await press(pilot, key)
                assert grid.cursor_coordinate == (0, 1)
                at(1, 1)
            for key in keys_of("grid.right"):
                at(0, 1)
                await press(pilot, key)
                assert grid.cursor_coordinate == (0, 2)
            for key in keys_of("grid.left"):
                await press(pilot, key)
                assert grid.cursor_coordinate == (0, 1)
                await press(pilot, key)
                assert grid.cursor_coordinate == (0, 1)  # the label column is skipped
                at(0, 2)
            for key in keys_of("grid.bottom"):
                at(0, 1)
                await press(pilot, key)
                assert grid.cursor_coordinate.row == grid.row_count - 1
            for key in keys_of("grid.top"):
                await press(pilot, key)
                assert grid.cursor_coordinate.row == 0
                at(5, 1)
            for key in keys_of("grid.row_end"):
                at(0, 1)
                await press(pilot, key)
                assert grid.cursor_coordinate.column == 7
            for key in keys_of("grid.row_start"):
                await press(pilot, key)
                assert grid.cursor_coordinate.column == 1
                at(0, 7)
            for key in keys_of("grid.page_down"):
                at(0, 1)
                await press(pilot, key)
                assert grid.cursor_coordinate.row > 3
            for key in keys_of("grid.page_up"):
                at(20, 1)
                await press(pilot, key)
                assert grid.cursor_coordinate.row < 17

    run(go())


def test_edit_recompute_undo_revert(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            good = app.current
            assert os.path.basename(good) == "a-good.txt"
            tree = app.query_one(FileTree)
            label = lambda: tree.label_of(good).plain  # noqa: E731
            assert "ok" in label()
            await press(pilot, "3")
            grid = app.query_one(ReportGrid)
            findings = app.query_one(FindingsList)
            state = app.states[good]
            ref = (T3, "received_new", "natural")
            parsed = state.value(ref)
            seen_values = []
            for key in keys_of("grid.edit"):
                grid.cursor_coordinate = grid.coordinate_of(ref)
                await press(pilot, key)
                # edited in place: the grid keeps the focus, the cell shows what is typed
                assert app.focused is grid and grid.editing == ref and grid.typed == "28"
                assert grid.get_row_at(0)[NATURAL].plain == "28▏"
                assert "editing 一、本年新收政府信息公开申请数量 / 自然人 = 28" in status_text(app)
                await press(pilot, "3", "0")  # the first key replaces the value
                assert grid.typed == "30" and grid.get_row_at(0)[NATURAL].plain == "30▏"
                assert state.value(ref) is parsed  # nothing applied before Enter
                await press(pilot, "enter")
                assert app.focused is grid and grid.editing is None
                seen_values.append(state.value(ref).number)
                # every total, finding and badge follows at once
                assert grid.get_row_at(0)[NATURAL].plain == "30!*"
                assert grid.get_row_at(0)[TOTAL].plain == "31!"
                # and the screen shows it: the grid caches rendered lines by what they show
                first_row = next(line for line in screen_text(app).splitlines() if "一、本年新收" in line)
                assert "30!*" in first_row and "3!" in first_row  # (总计 is off screen at 80 columns)
                assert "2!*" in label()
                await until(pilot, lambda: any("columns sum to 33" in line for line in findings.lines))  # (a frame later)
                assert "edited (file: 28)" in status_text(app)
                for undo in keys_of("grid.undo"):
                    await press(pilot, undo)
                    break
                assert state.value(ref) is parsed
                assert grid.get_row_at(0)[NATURAL].plain == "28"
                first_row = next(line for line in screen_text(app).splitlines() if "一、本年新收" in line)
                assert "30" not in first_row and "!" not in first_row and " 28 " in first_row
                assert "ok" in label() and "*" not in label()
            assert seen_values == [30, 30]
            # an edit that keeps the number of findings updates their texts in place
            grid.cursor_coordinate = grid.coordinate_of(ref)
            await press(pilot, "e", "3", "0", "enter")
            await until(pilot, lambda: any("columns sum to 33" in line for line in findings.lines))
            count = findings.option_count
            await press(pilot, "e", "3", "2", "enter")
            # (the Findings pane follows a frame after the grid: see GikrApp._after_edit)
            await until(pilot, lambda: any("columns sum to 35" in line for line in findings.lines))
            assert findings.option_count == count
            shown = [str(findings.get_option_at_index(i).prompt) for i in range(count)]
            assert any("columns sum to 35" in line for line in shown) and shown == findings.lines
            assert not any("columns sum to 33" in line for line in shown)
            await press(pilot, "u", "u")
            assert state.value(ref) is parsed
            # the remaining undo key, and undo with nothing to undo
            for undo in keys_of("grid.undo")[1:]:
                grid.cursor_coordinate = grid.coordinate_of(ref)
                await press(pilot, "e", "7", "enter")
                assert state.value(ref).number == 7
                await press(pilot, undo)
                assert state.value(ref) is parsed
            await press(pilot, "u")
            assert state.value(ref) is parsed
            # keys that are not part of a number do nothing while editing: not even their bindings
            await press(pilot, "e", "4", "n", "u", "j", "x", "2")
            assert grid.typed == "42" and grid.cursor_ref == ref and state.value(ref) is parsed
            # backspace deletes one character, ctrl+u clears; empty applies as blank
            for key in keys_of("grid.edit_backspace"):
                await press(pilot, key)
            assert grid.typed == "4"
            await press(pilot, "ctrl+u", "enter")
            assert state.value(ref).blank and grid.get_row_at(0)[NATURAL].plain == "·!*"
            # backspace on a cell starts an edit of an empty cell
            await press(pilot, "backspace", "5", "enter")
            assert state.value(ref).number == 5
            await press(pilot, "u")
            assert state.value(ref).blank
            # a dash is a value that holds no number
            await press(pilot, "e", "-", "enter")
            assert state.value(ref).text == "-" and state.value(ref).number is None
            await press(pilot, "u")
            # cancel: Escape, or moving the focus away
            for key in keys_of("grid.cancel_edit"):
                await press(pilot, "e", "9")
                await press(pilot, key)
                assert grid.editing is None and app.focused is grid and state.value(ref).blank
                assert grid.get_row_at(0)[NATURAL].plain == "·!*"
            await press(pilot, "e", "9", "tab")  # Tab is not part of a number either
            assert grid.editing == ref and app.focused is grid
            tree.focus()  # as a mouse click on another pane does
            await pilot.pause()
            assert grid.editing is None and state.value(ref).blank
            await press(pilot, "3")
            for key in keys_of("grid.revert"):
                await press(pilot, key, "y")  # (asked first: see test_edits_are_never_dropped_without_asking)
                assert not state.dirty and state.value(ref) is parsed
                assert grid.get_row_at(0)[NATURAL].plain == "28"
                assert "ok" in label()
            # the file itself never changes
            assert (folder / "a-good.txt").read_bytes() == SEED.read_bytes()

    run(go())


def test_keys_typed_ahead_go_to_the_editor_they_open(folder):
    # Every key after the one that opens an editor or the filter belongs to it,
    # however fast they arrive (over SSH keys bunch up exactly like this).
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await press(pilot, "3")
            grid = app.query_one(ReportGrid)
            state = app.states[app.current]
            ref = (T3, "received_new", "natural")
            grid.cursor_coordinate = grid.coordinate_of(ref)
            await pilot.pause()
            await burst(pilot, "enter", "3", "1", "enter")
            assert state.value(ref).number == 31 and grid.editing is None
            assert app.focused is grid  # `3` and `1` were digits, not pane keys
            await burst(pilot, "enter", "5", "enter")
            assert state.value(ref).number == 5 and app.focused is grid  # not the Reader
            # the burst goes on after the editor closes: these are pane keys again
            await burst(pilot, "e", "7", "escape", "1")
            assert state.value(ref).number == 5 and isinstance(app.focused, FileTree)
            await burst(pilot, "slash", "r", "0", "5")
            box = app.query_one(FilterInput)
            assert app.focused is box and box.value == "r05"
            await burst(pilot, "escape", "3", "enter", "1", "2", "enter")
            assert box.value == "" and not box.display
            assert state.value(ref).number == 12
            # a pane key then a key for that pane, from the Files pane
            await burst(pilot, "1", "G", "enter", "e", "4", "enter")
            broken = app.states[open_broken(app)]
            assert app.current == broken.path and broken.value(ref).number == 4
            # a key that opens a screen: what follows goes to it once it is up
            await burst(pilot, "ctrl+p", "t", "o", "g", "g")
            assert type(app.screen).__name__ == "CommandPalette" and app.screen.query_one("Input").value == "togg"
            await burst(pilot, "escape", "question_mark", "G")
            body = app.screen.query_one("#help-body")
            assert isinstance(app.screen, HelpScreen) and body.scroll_y == body.max_scroll_y > 0

    run(go())


def test_a_keys_effects_reach_the_screen_in_one_frame_drawn_when_its_work_is_done(folder):
    # Textual draws a frame at each idle moment of a key's work (the key, the cursor's message,
    # the report it opens), then skips one to two update periods before the next: the frame with
    # all the key did came up to 33 ms after the work. No frame is drawn while a key is in flight,
    # and the one drawn as its work ends shows all of it.
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            await press(pilot, "1", "G")
            first = app.current
            release = app._release
            releasing = [False]
            # (a key in flight, drawn as a key was released, the open file, the grid's title)
            frames = frames_drawn(app, lambda: (app._key_busy and not releasing[0], releasing[0], app.current,
                                                app.query_one(ReportGrid).border_title or ""))

            def released(token) -> None:  # (the key's frame is drawn as it is released)
                releasing[0] = True
                try:
                    release(token)
                finally:
                    releasing[0] = False

            app._release = released
            for key in "kjkj":
                await burst(pilot, key)
            assert frames and not [f for f in frames if f[0]], "frames drawn while a key was in flight"
            # each key's frame drawn as its work was done, not at the update timer's next tick
            assert [f[1] for f in frames].count(True) == 4, frames
            assert app.current == first and frames[-1][2] == first
            # the reports the keys opened were drawn (each read from the cache after its key)
            assert {str(f[3]).rsplit(" · ")[1] for f in frames} == {"a-good.txt", "b-broken.txt"}

    run(go())


def test_a_key_slow_to_come_back_lets_the_screen_update(folder, monkeypatch):
    # The screen waits for the key in flight at most keys.BATCH_LIMIT seconds.
    from gikr_tui.tui import keys

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            await press(pilot, "3")
            grid = app.query_one(ReportGrid)
            frames = frames_drawn(app, lambda: app._key_busy)
            slow = asyncio.Event()

            async def slow_key(self, event) -> None:  # a key whose handling waits on something
                self.refresh()
                await asyncio.sleep(keys.BATCH_LIMIT * 4)
                slow.set()

            monkeypatch.setattr(ReportGrid, "on_key", slow_key, raising=False)
            event = key_event("f8")
            event.set_sender(app)
            app.post_message(event)
            await asyncio.wait_for(slow.wait(), 10)
            assert True in frames, "the screen stood still while the key was in flight"
            monkeypatch.undo()
            await burst(pilot, "f8")

    run(go())


def test_edit_fixes_the_broken_report(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await press(pilot, "]", "3")
            grid = app.query_one(ReportGrid)
            state = app.states[app.current]
            assert state.status == "violations"
            for key in keys_of("grid.next_failing"):
                grid.cursor_coordinate = (24, 1)
                await press(pilot, key)
                assert grid.cursor_ref in state.failing()
            for key in keys_of("grid.previous_failing"):
                grid.cursor_coordinate = (0, 1)
                await press(pilot, key)
                assert grid.cursor_ref in state.failing() and grid.cursor_coordinate.row > 0
            grid.cursor_coordinate = grid.coordinate_of((T3, "received_new", "natural"))
            await press(pilot, "e", "2", "8", "enter")
            assert state.status == "ok" and not state.failing()
            assert grid.get_row_at(0)[NATURAL].plain == "28*"
            badge = app.query_one(FileTree).label_of(app.current).plain
            assert badge.lstrip().startswith("ok*")

    run(go())


def test_computed_toggle_copy_and_findings_jump(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            await press(pilot, "]", "3")
            grid = app.query_one(ReportGrid)
            for key in keys_of("grid.computed"):
                await press(pilot, key)
                assert grid.get_row_at(0)[TOTAL].plain == "31! =32"
                assert grid.get_row_at(0)[NATURAL].plain == "29!"  # not a total
                results = grid.get_row_at(T3_ROW_RESULTS)
                assert results[NATURAL].plain.endswith("=26")
                await press(pilot, key)
                assert grid.get_row_at(0)[TOTAL].plain == "31!"
            for key in keys_of("grid.copy_cell"):
                grid.cursor_coordinate = grid.coordinate_of((T3, "received_new", "natural"))
                await press(pilot, key)
                assert app.clipboard == "29"
                grid.cursor_coordinate = grid.coordinate_of((T3, "received_new", "research"))
                await press(pilot, key)
                assert app.clipboard == ""  # blank copies as empty
            for key in keys_of("grid.copy_table"):
                await press(pilot, key)
                lines = app.clipboard.splitlines()
                assert lines[0].split("\t")[1:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
                assert lines[1].split("\t") == ["一、本年新收政府信息公开申请数量", "29", "3", "", "", "", "", "31"]
                assert len(lines) == 1 + 25 + 1 + 1 + 3
                assert lines[-3].startswith("行政复议\t1\t0")
            await press(pilot, "4")
            findings = app.query_one(FindingsList)
            assert isinstance(app.focused, FindingsList)
            for key in keys_of("findings.last"):
                await press(pilot, key)
                assert findings.highlighted == findings.option_count - 1
            # findings are grouped by severity under a heading line
            assert findings.lines[0] == "errors (2)" and findings.targets[0] is None
            for key in keys_of("findings.first"):
                await press(pilot, key)
                assert findings.highlighted == 0
            for key in keys_of("findings.down"):
                findings.highlighted = 0
                await press(pilot, key)
                assert findings.highlighted == 1
            for key in keys_of("findings.up"):
                await press(pilot, key)
                assert findings.highlighted == 0
                findings.highlighted = 1
            for key in keys_of("findings.page_down"):
                findings.highlighted = 0
                await press(pilot, key)
                assert findings.highlighted == findings.option_count - 1
            for key in keys_of("findings.page_up"):
                await press(pilot, key)
                assert findings.highlighted == 0
            findings.highlighted = 1
            await pilot.pause()
            assert "reported 31 · columns sum to 32 · -1" in status_text(app)
            for key in keys_of("findings.goto"):
                findings.focus()
                findings.highlighted = 2  # balance / 自然人
                await press(pilot, key)
                assert isinstance(app.focused, ReportGrid)
                assert grid.cursor_ref == (T3, "received_new", "natural")

    run(go())


def test_findings_take_the_focus_on_their_first_entry_and_the_bottom_line_keeps_whole_phrases(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await press(pilot, "]", "3", "l", "e", "4", "1", "enter")
            grid = app.query_one(ReportGrid)

            def bottom_line() -> str:
                return screen_text(app).splitlines()[-2].strip()

            def whole_phrases() -> None:
                shown, full = bottom_line(), status_text(app)
                assert len(full) > len(shown)  # this test is about lines that do not fit
                assert shown.endswith(" …"), shown
                kept = shown[: -len(" …")]
                assert full.startswith(kept) and full[len(kept):].startswith(" · "), (kept, full)

            whole_phrases()  # the grid cell: value, edited, failing, …
            await press(pilot, "4")
            findings = app.query_one(FindingsList)
            assert findings.highlighted == 1 and findings.lines[0].startswith("errors")  # the first finding, not its heading
            whole_phrases()  # reported 31, columns sum to 44, -13: never "columns sum to" alone
            assert not bottom_line().endswith("columns sum to …")
            await press(pilot, "enter")
            assert app.focused is grid and grid.cursor_ref == (T3, "received_new", "total")

    run(go())


T3_ROW_RESULTS = 23  # （七）总计 in the 2021 template


def test_help_screen_lists_the_focused_panes_keys(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            for key in keys_of("app.help"):
                await press(pilot, "3")
                await press(pilot, key)
                assert isinstance(app.screen, HelpScreen)
                ids = {row[2] for row in app.screen.rows}
                grid_ids = {b.id for b in ReportGrid.BINDINGS}
                assert grid_ids <= ids and "app.quit" in ids
                assert not ({b.id for b in FileTree.BINDINGS} & ids)
                text = screen_text(app)
                assert "Edit the cell" in text and "Grid" in text and "Escape cancels" in text
                body = app.screen.query_one("#help-body")
                assert body.max_scroll_y > 0  # more keys than an 80×24 screen shows
                for bottom in keys_of("help.bottom"):
                    await press(pilot, bottom)
                    assert body.scroll_y == body.max_scroll_y
                    assert "Command palette" in screen_text(app)  # the last of the app's keys
                for top in keys_of("help.top"):
                    await press(pilot, top)
                    assert body.scroll_y == 0
                for down in keys_of("help.down"):
                    await press(pilot, "g", down)
                    assert body.scroll_y == 1
                for up in keys_of("help.up"):
                    await press(pilot, up)
                    assert body.scroll_y == 0
                    await press(pilot, "j")
                for page in keys_of("help.page_down"):
                    await press(pilot, "g", page)
                    assert body.scroll_y > 5
                for page in keys_of("help.page_up"):
                    await press(pilot, "g", "pagedown", page)
                    assert body.scroll_y == 0
                await press(pilot, "escape")
                assert not isinstance(app.screen, HelpScreen)
            for key in keys_of("help.close"):
                await press(pilot, "1", "?")
                assert isinstance(app.screen, HelpScreen)
                assert {b.id for b in FileTree.BINDINGS} <= {row[2] for row in app.screen.rows}
                await press(pilot, key)
                assert not isinstance(app.screen, HelpScreen)

    run(go())


def test_command_palette_runs_app_actions(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot, app)
            await press(pilot, "]", "3")
            grid = app.query_one(ReportGrid)
            for key in keys_of("app.palette"):
                await press(pilot, key)
                await pilot.pause()
                assert app.screen.__class__.__name__ == "CommandPalette"
                for ch in "toggle computed":
                    await press(pilot, "space" if ch == " " else ch)
                await until(pilot, lambda: "Toggle computed sums" in screen_text(app))
                await press(pilot, "enter")
                await until(pilot, lambda: grid.show_computed)
            # every command names a real action, and none is listed twice under two names
            for _, action, _ in COMMANDS:
                name = action.split("(")[0]
                assert hasattr(app, f"action_{name}"), name
            ours = {name for name, _, _ in COMMANDS}
            assert {"Previous failing cell", "Maximize or restore pane", "Show keys"} <= ours
            grid.focus()
            await pilot.pause()
            system = {command.title for command in app.get_system_commands(app.screen)}
            assert system and not system & {"Keys", "Maximize", "Minimize"}
            await press(pilot, "ctrl+p", *["space" if c == " " else c for c in "previous failing"])
            await until(pilot, lambda: "Previous failing cell" in screen_text(app))
            grid.cursor_coordinate = (5, 3)
            await press(pilot, "enter")
            await until(pilot, lambda: grid.cursor_ref in app.states[app.current].failing())

    run(go())


@pytest.fixture
def out(tmp_path, monkeypatch) -> Path:
    """An empty current folder for exports."""
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_export_csv_and_json_to_cwd(folder, out):

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(pilot, app)
            for key in keys_of("app.export_csv"):
                await press(pilot, key)
                # the notification says where the file went
                await until(pilot, lambda: "Exported 2 findings from 2 files to" in screen_text(app))
                assert app.last_export == str(out / "gikr-findings.csv")
            for key in keys_of("app.export_json"):
                await press(pilot, key)
            await press(pilot, "x")  # a second export never overwrites the first
            return app.last_export

    run(go())
    assert sorted(p.name for p in out.iterdir()) == ["gikr-findings-1.csv", "gikr-findings.csv", "gikr-findings.json"]
    rows = list(csv.DictReader((out / "gikr-findings.csv").open(encoding="utf-8")))
    broken = [r for r in rows if r["path"].endswith("b-broken.txt")]
    assert {r["rule"] for r in broken} == {"row_total", "balance"}
    assert [r["status"] for r in rows if r["path"].endswith("a-good.txt")] == ["ok"]
    data = json.loads((out / "gikr-findings.json").read_text(encoding="utf-8"))
    assert [d["status"] for d in data] == ["ok", "violations"]
    # nothing was written next to the reports
    assert sorted(p.name for p in folder.iterdir()) == ["a-good.txt", "b-broken.txt"]


def test_edits_are_never_dropped_without_asking(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            state = app.states[app.current]
            await press(pilot, "3", "l", "e", "9", "enter")  # 自然人 (总计 is the first column)
            assert state.dirty
            # R, r and q each ask; n and Escape keep everything as it was
            for keys, words in (("R", "Drop your edit to a-good.txt"), ("r", "Read a-good.txt again"), ("q", "Quit? Your edits to 1 file")):
                for no in keys_of("confirm.no"):
                    await press(pilot, keys)
                    assert isinstance(app.screen, ConfirmScreen)
                    await until(pilot, lambda: words in screen_text(app))
                    await press(pilot, no)
                    assert not isinstance(app.screen, ConfirmScreen)
                    assert state.dirty and app.return_code is None
            assert state.value((T3, "received_new", "natural")).number == 9
            # typed ahead with the question's answer, as over SSH
            await burst(pilot, "r", "y")
            await until(pilot, lambda: not state.dirty and state.status == "ok")
            await press(pilot, "e", "9", "enter")
            for yes in keys_of("confirm.yes"):
                await press(pilot, "q", yes)
            await pilot.pause()
        assert app.return_code == 0

    run(go())


def test_exports_hold_the_files_as_published_and_list_the_edits(folder, out):

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(pilot, app)
            await press(pilot, "]", "3")
            grid = app.query_one(ReportGrid)
            # fix the broken cell, and break another one: a what-if the files do not hold
            grid.cursor_coordinate = grid.coordinate_of((T3, "received_new", "natural"))
            await press(pilot, "e", "2", "8", "enter")
            grid.cursor_coordinate = grid.coordinate_of((T3, "granted", "natural"))
            await press(pilot, "e", "1", "0", "0", "enter")
            assert app.states[app.current].status == "violations"
            told = notifications(app)
            await press(pilot, "x")
            # (written on a thread of its own: told once the file is, which on a busy machine is after the key)
            await until(pilot, lambda: app.last_export is not None)
            assert told[-1].startswith("Exported 2 findings from 2 files to")
            assert told[-1].endswith("(as published; the edits to 1 file are listed apart)")
            await press(pilot, "X")
            await until(pilot, lambda: app.last_export is not None and app.last_export.endswith(".json"))

    run(go())
    rows = list(csv.DictReader((out / "gikr-findings.csv").open(encoding="utf-8")))
    broken = [r for r in rows if r["path"].endswith("b-broken.txt")]
    published = [r for r in broken if r["record"] == "report"]
    # the file as published: its own status and findings, nothing from the edits
    assert {r["status"] for r in broken} == {"violations"}
    assert sorted(r["rule"] for r in published) == ["balance", "row_total"]
    assert not any("100" in r["message"] for r in published)
    edits = [r for r in broken if r["record"] == "edit"]
    assert [(r["row"], r["col"], r["file_value"], r["edited_value"]) for r in edits] == [
        ("received_new", "natural", "29", "28"),
        ("granted", "natural", "8", "100"),
    ]
    only = [r for r in broken if r["record"] == "with_edits"]
    assert only and all(r["message"].startswith("only with the edits: ") for r in only)
    assert sorted((r["rule"], r["row"]) for r in only) == [("results_total", ""), ("row_total", "granted")]
    assert all(r["record"] == "report" and r["status"] == "ok" for r in rows if r["path"].endswith("a-good.txt"))
    data = {os.path.basename(d["path"]): d for d in json.loads((out / "gikr-findings.json").read_text(encoding="utf-8"))}
    assert data["b-broken.txt"]["status"] == "violations"
    assert {v["rule"] for v in data["b-broken.txt"]["violations"]} == {"row_total", "balance"}
    assert [(e["row"], e["file"], e["edited"]) for e in data["b-broken.txt"]["edits"]] == [
        ("received_new", "29", "28"), ("granted", "8", "100"),
    ]
    with_edits = data["b-broken.txt"]["violations_with_edits"]
    assert with_edits and all(v["only_with_edits"] for v in with_edits)  # the file's own two are fixed by the edits
    assert "edits" not in data["a-good.txt"]


def test_export_after_the_current_folder_is_deleted_or_its_name_is_a_dangling_link(folder, out, tmp_path, monkeypatch):
    (out / "gikr-findings.csv").symlink_to(tmp_path / "nowhere.csv")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(pilot, app)
            await press(pilot, "]", "3", "e", "2", "8", "enter")
            state = app.states[app.current]
            # a dangling link holds the name: the next free name is used, every time
            await press(pilot, "x")
            assert app.last_export == str(out / "gikr-findings-1.csv")
            await press(pilot, "x")
            assert app.last_export == str(out / "gikr-findings-2.csv")
            assert not (tmp_path / "nowhere.csv").exists()
            # the folder the export goes to is deleted: a question, not a crash
            shutil.rmtree(out)
            await press(pilot, "x")
            assert isinstance(app.screen, ConfirmScreen)
            await until(pilot, lambda: "current folder no longer exists" in screen_text(app))
            await press(pilot, "y")
            await until(pilot, lambda: app.last_export == str(home / "gikr-findings.csv"))
            assert app.return_code is None and state.dirty  # still running, edits kept
            await press(pilot, "x", "n")
            assert not isinstance(app.screen, ConfirmScreen) and app.last_export == str(home / "gikr-findings.csv")

    run(go())
    assert (home / "gikr-findings.csv").read_text(encoding="utf-8").count("b-broken.txt") >= 3


def test_keys_of_your_own_from_keymap_toml(folder, tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.mkdir()
    monkeypatch.setenv("GIKR_CONFIG_DIR", str(config))
    (config / "keymap.toml").write_text('[keys]\n"grid.edit" = "i"\n"grid.nothing" = "z"\n', encoding="utf-8")

    async def go():
        app = GikrApp(folder)
        told = notifications(app)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert any("no binding is called 'grid.nothing'" in t for t in told)
            await press(pilot, "3", "l")
            grid = app.query_one(ReportGrid)
            state = app.states[app.current]
            await press(pilot, "e")
            assert grid.editing is None  # e is no longer the edit key
            await press(pilot, "i", "7", "enter")
            assert state.value((T3, "received_new", "natural")).number == 7
            await press(pilot, "question_mark")
            assert ("i", "Edit the cell: digits, a dash, or empty for blank; Enter applies", "grid.edit") in app.screen.rows

    run(go())
    # a file that is not TOML costs a warning, never the session
    (config / "keymap.toml").write_text("[keys\n", encoding="utf-8")

    async def damaged():
        app = GikrApp(folder)
        told = notifications(app)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert any("keymap.toml" in t for t in told)
            await press(pilot, "3", "e")
            assert app.query_one(ReportGrid).editing is not None  # the default keys

    run(damaged())


def test_quit_key(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.return_code is None
            for key in keys_of("app.quit"):
                await press(pilot, key)
            await pilot.pause()
        assert app.return_code == 0

    run(go())


def test_first_frame_before_any_parse(folder):
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            # the screen is up and answers keys while the pool is still starting
            assert app.query_one(FileTree) is not None
            await press(pilot, "2", "1")
            assert isinstance(app.focused, FileTree)
            await settle(pilot, app)

    run(go())


@pytest.mark.parametrize("watch", ["auto", "poll"])
def test_reload_key_and_live_reload(folder, watch):
    async def go():
        app = GikrApp(folder, watch=watch)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            good = app.current
            state = app.states[good]
            assert state.status == "ok"
            await press(pilot, "3", "e", "1", "enter")
            assert state.dirty
            # the file changes on disk: the watcher asks before its edits are dropped, then re-reads it
            await until_noticed(pilot, lambda: "a-good.txt changed on disk" in screen_text(app),
                                lambda: Path(good).write_text(broken_text() + "\n", encoding="utf-8"))
            await press(pilot, "y")
            await until(pilot, lambda: app.states[good].status == "violations" and not app.states[good].dirty)
            grid = app.query_one(ReportGrid)
            await until(pilot, lambda: grid.row_count and grid.get_row_at(0)[NATURAL].plain == "29!")  # (empty while re-read)
            # and back, by the reload key
            shutil.copy(SEED, good)
            for key in keys_of("app.reload"):
                await press(pilot, key)
            await until(pilot, lambda: app.states[good].status == "ok")
            await until(pilot, lambda: grid.row_count and grid.get_row_at(0)[NATURAL].plain == "28")  # (empty while re-read)
            assert app.watch_mode == ("poll" if watch == "poll" else "inotify")
            if watch == "auto":
                # a report saved into the folder shows up with its badge
                (folder / "c-new.txt").write_text(broken_text(), encoding="utf-8")
                (folder / ".c-hidden.txt").write_text(broken_text(), encoding="utf-8")
                tree = app.query_one(FileTree)
                await until(pilot, lambda: [os.path.basename(p) for p in tree.order] == ["a-good.txt", "b-broken.txt", "c-new.txt"])
                new = str(folder / "c-new.txt")
                await until(pilot, lambda: app.states[new].status == "violations")
                await until(pilot, lambda: "2!" in tree.label_of(new).plain)

    run(go())


def test_brackets_in_report_text_stay_literal(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("相城区人民政府办公室2021年", "[bold]相城区[/bold]人民政府办公室2021年", 1)
    text = text.replace("一、总体情况\n", "一、总体情况\n[red]不是标记[/red] [link=x]y[/link] [\n", 1)
    (folder / "[b]weird[.txt").write_text(text, encoding="utf-8")

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await settle(pilot, app)
            state = app.states[app.current]
            assert state.status == "ok", state.error
            assert "[bold]相城区[/bold]" in (state.report.agency or "")
            assert "[b]weird[.txt" in screen_text(app)
            assert "[bold]相城区[/bold]" in status_text(app)
            await press(pilot, "2", "enter")
            reader = app.query_one(Reader)
            assert "[red]不是标记[/red] [link=x]y[/link] [" in reader.text.plain
            assert "[red]不是标记[/red]" in screen_text(app)
            # file names reach notifications literally too
            await press(pilot, "r")
            await until(pilot, lambda: "Reading [b]weird[.txt again" in screen_text(app))

    run(go())


def test_broken_files_get_error_badges_and_keys_keep_working(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "noise.pdf").write_bytes(os.urandom(4096))
    (folder / "noise.docx").write_bytes(os.urandom(4096))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / ".hidden.txt").write_text("skipped", encoding="utf-8")
    shutil.copy(SEED, folder / "z-good.txt")

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            tree = app.query_one(FileTree)
            # keys while parsing: moving around and switching panes never waits for a parse
            for key in ("down", "down", "2", "3", "1", "up", "j", "k", "tab", "shift+tab", "1"):
                await press(pilot, key)
            await settle(pilot, app)
            names = {os.path.basename(p): s for p, s in app.states.items()}
            assert sorted(names) == ["binary.txt", "empty.txt", "noise.docx", "noise.pdf", "z-good.txt"]
            for name in ("binary.txt", "empty.txt", "noise.docx", "noise.pdf"):
                assert names[name].status == "error", name
                assert names[name].error and "\n" not in names[name].error
                assert "ERR" in tree.label_of(names[name].path).plain
            assert names["z-good.txt"].status == "ok"
            # the reason shows in the detail line when the file is selected
            tree.focus()
            tree.select_path(names["empty.txt"].path)
            await pilot.pause()
            assert "unreadable: empty file" in status_text(app)
            assert "unreadable" in screen_text(app)
            # editing an unreadable file is refused, not crashed
            await press(pilot, "3", "e")
            assert app.query_one(ReportGrid).editing is None
            await press(pilot, "1", "G")
            assert os.path.basename(app.current) == "z-good.txt"

    run(go())


def test_the_file_on_screen_is_parsed_first(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    # each report carries pages of prose, so the sixteen take a second or two to
    # read: the queue is still long when the key arrives right after the scan
    text = SEED.read_text(encoding="utf-8") + "\n" + "本机关持续深化政务公开，回应社会关切。\n" * 6000
    for i in range(16):
        (folder / f"r{i:02d}.txt").write_text(text, encoding="utf-8")

    async def go():
        app = GikrApp(folder, jobs=1)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.scanned and app.query_one(FileTree).current_path == app.paths[0])
            last = app.paths[-1]
            await press(pilot, "G")  # the last file: queued behind fifteen others
            assert app.current == last
            await settle(pilot, app)
            # only a couple of files were already handed to the pool when it jumped the queue
            assert app.parsed_order.index(last) < 6, [os.path.basename(p) for p in app.parsed_order]
            assert sorted(app.parsed_order) == app.paths

    run(go())


def test_single_file_path(folder):
    async def go():
        app = GikrApp(folder / "b-broken.txt")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert [os.path.basename(p) for p in app.paths] == ["b-broken.txt"]
            assert app.states[app.current].status == "violations"

    run(go())


def test_ansi_theme_renders(folder):
    async def go():
        app = GikrApp(folder, theme="ansi-dark")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            await press(pilot, "]")
            assert app.theme == "ansi-dark"
            assert "29!" in screen_text(app)

    run(go())


async def _worker_reading(pilot, app: GikrApp, path: str) -> int:
    await until(pilot, lambda: any(held == path for _, held in app.pool.busy()))
    return next(pid for pid, held in app.pool.busy() if held == path)


@pytest.mark.parametrize("how", ["killed", "frozen"])
def test_a_worker_that_dies_or_hangs_fails_only_its_file(tmp_path, how, monkeypatch):
    # The TUI reads files in the pool `gikr check` uses: a worker killed as the
    # OOM killer would, or frozen as a C call that never returns, is blamed on
    # the file it held; the other files are read by its replacement.
    monkeypatch.setenv("GIKR_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a-large.txt").write_text(with_long_prose(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copy(SEED, folder / "b-good.txt")
    shutil.copy(SEED, folder / "c-good.txt")

    async def go():
        app = GikrApp(folder, settings=Settings(jobs=1, timeout=3, kill_grace=0.5))
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: app.scanned)
            large = str(folder / "a-large.txt")
            pid = await _worker_reading(pilot, app, large)
            os.kill(pid, signal.SIGKILL if how == "killed" else signal.SIGSTOP)
            await settle(pilot, app)
            error = app.states[large].error
            if how == "killed":
                assert error == "the worker reading this file was killed by signal 9 (out of memory?)"
            else:
                assert error == "time limit of 3 s reached (its worker stopped answering and was ended)"
            assert [app.states[str(folder / n)].status for n in ("b-good.txt", "c-good.txt")] == ["ok", "ok"]
            assert "ERR" in app.query_one(FileTree).label_of(large).plain

    run(go())


def test_a_damaged_cache_is_a_notification_and_the_folder_reads(tmp_path, folder, monkeypatch):
    # The cache's one line (here: rebuilt after damage) reaches the screen as a
    # notification; printed under Textual it would be lost or garble the screen.
    from gikr_tui import cache

    where = tmp_path / "cache"
    where.mkdir()
    (where / cache.FILE_NAME).write_bytes(b"not a database at all " * 100)
    monkeypatch.setenv("GIKR_CACHE_DIR", str(where))
    cache.reset()

    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await settle(pilot, app)
            await until(pilot, lambda: "damaged" in " ".join(screen_text(app).split()), bound=5)
            assert app.states[str(folder / "a-good.txt")].status == "ok"

    try:
        run(go())
        assert cache.on_warning is not None and cache.on_warning.__name__ == "_print_warning"
    finally:
        cache.reset()


def test_a_report_loaded_behind_another_screen_is_shown_on_coming_back(folder):
    """The whole report of the file just opened can arrive while another screen (help, the summary,
    a confirm) covers the panes: it is drawn all the same (the app's queries reach the panes under
    any screen; only a closing app, whose panes are gone, drops it)."""
    async def go():
        app = GikrApp(folder)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            grid = app.query_one(ReportGrid)
            other = next(p for p in app.paths if p != app.current)
            assert not app.states[other].loaded
            app.query_one(FileTree).select_path(other)
            app.push_screen(Screen())  # in the same tick: the load is still on its way
            await until(pilot, lambda: app.states[other].loaded)
            await pilot.pause()
            app.pop_screen()
            await until(pilot, lambda: grid.state is app.states[other] and grid.row_count > 25)
            assert grid.file_name == os.path.basename(other)

    run(go())
