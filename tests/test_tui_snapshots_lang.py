"""The main screen, the help and the findings in Chinese and in English, at 80×24 and 120×40.

A Chinese character takes two columns: these pin that every pane title, key,
bottom line and finding still fits (and that English did not move).  Update
with `pytest tests/test_tui_snapshots_lang.py --snapshot-update` after a
deliberate change, and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from gikr_tui import i18n
from gikr_tui.tui.app import GikrApp
from test_tui import make_folder
from test_tui_snapshots import SIZES, _waiting

LANGS = ["zh", "en"]


@pytest.fixture
def lang(request):
    i18n.set_language(request.param)
    try:
        yield request.param
    finally:
        i18n.set_language("en")


SCREENS = {
    # the broken report open on its failing cell: grid, findings, bottom line, footer
    "main": ("]", "3", "G", "n"),
    # the grid's keys, with its help paragraph
    "help": ("]", "3", "question_mark"),
    # the Findings pane focused: its entries and the finding's clauses in the bottom line
    "findings": ("]", "4"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", LANGS, indirect=True)
def test_screen_in_each_language(snap_compare, tmp_path, lang, screen, size):
    folder = make_folder(tmp_path)
    # the app is made after the language is set: its keys are described in it
    assert snap_compare(GikrApp(folder), terminal_size=size, run_before=_waiting(*SCREENS[screen]))
