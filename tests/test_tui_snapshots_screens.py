"""The summary and compare screens at 80×24 and 120×40, in English and in Chinese.

One folder of a series (test_tui_screens.make_series): three years of one agency
under two name variants, two other agencies, a report with findings and an
unreadable file.  Update with `pytest tests/test_tui_snapshots_screens.py
--snapshot-update` after a deliberate change, and look at the SVGs before
committing them.
"""

from __future__ import annotations

import pytest

from gikr_tui import i18n
from gikr_tui.tui.app import GikrApp
from gikr_tui.tui.compare import CompareScreen
from gikr_tui.tui.components.chart import FigureChart
from gikr_tui.tui.components.files import FileTree
from gikr_tui.tui.summary import AgencyTotals, SummaryScreen
from test_tui import press, settle, still, until
from test_tui_screens import series  # noqa: F401 - the fixture
from test_tui_snapshots import SIZES


def _summary(*keys: str):
    """The summary, then `keys`, once the totals are made."""
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        await press(pilot, "S")
        await until(pilot, lambda: isinstance(app.screen, SummaryScreen))
        screen = app.screen
        await press(pilot, "2")
        await until(pilot, lambda: screen.query_one(AgencyTotals).made_of is not None and not screen._totals_running)
        await press(pilot, "1", *keys)
        if "4" in keys:
            await until(pilot, lambda: screen.query_one(FigureChart).bars)
        await still(pilot)

    return run_before


def _compare(tail: str, *keys: str):
    """`tail`'s report beside its agency's year before (C), then `keys`."""
    async def run_before(pilot) -> None:
        app = pilot.app
        await settle(pilot, app)
        app.query_one(FileTree).select_path(next(p for p in app.paths if p.endswith(tail)))
        await pilot.pause()
        await press(pilot, "C")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))
        await press(pilot, *keys)
        await still(pilot)

    return run_before


SCREENS = {
    # every report, the cursor on the first
    "summary": _summary(),
    # the totals per agency, the name variants of 洪泽区 as one
    "agencies": _summary("2"),
    # new 新收 per agency, the largest first
    "charts": _summary("4"),
    # 2023 beside 2022: tables 2–4 a→b, the two carry_over findings
    "compare": _compare("z/2022.md"),
    # 2022 beside 2021: the copied 总体情况 and its diff
    "compare-text": _compare("y/report.txt", "3"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", ["summary", "compare"])
def test_screen(snap_compare, series, screen, size):  # noqa: F811
    assert snap_compare(GikrApp(series), terminal_size=size, run_before=SCREENS[screen])


@pytest.mark.parametrize("screen", ["agencies", "charts", "compare-text"])
def test_screen_at_80x24(snap_compare, series, screen):  # noqa: F811
    # (the tightest size; the wide one of each screen is pinned above)
    assert snap_compare(GikrApp(series), terminal_size=(80, 24), run_before=SCREENS[screen])


@pytest.fixture
def zh():
    i18n.set_language("zh")
    try:
        yield
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize("screen", ["summary", "compare-text"])
def test_screen_in_chinese(snap_compare, series, zh, screen):  # noqa: F811
    # the app is made after the language is set: its keys are described in it
    assert snap_compare(GikrApp(series), terminal_size=(80, 24), run_before=SCREENS[screen])
