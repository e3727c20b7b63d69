"""Nothing from a report reaches the terminal raw: escape codes in every field and the file name.

A report's title (agency), headings, body, cells and its file name carry OSC 52
(writes the clipboard), OSC 2 (sets the window title), CSI 2J (clears the
screen), the C1 CSI byte, a bidi override and a newline.  `gikr check`'s table
and csv show them as visible symbols, jsonl escapes them and parses back to
exactly the original strings, and what the inspector writes to the terminal
in a pilot run holds none of them.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from gikr_tui.safety import visible

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "000_8a0178302d297c36.txt"

OSC_52 = "\x1b]52;c;ZQ==\x07"
OSC_2 = "\x1b]2;x\x07"
CSI_2J = "\x1b[2J"
C1_CSI = "\x9b2J"
RLO = "\u202e"
EVERY = OSC_52 + OSC_2 + CSI_2J + C1_CSI + RLO
# a heading is one of the six only while it stays short
HEADING_CODES = OSC_2 + CSI_2J + C1_CSI + RLO
# A value cell holds a number and nothing else (the reader drops what spaces a
# number carries, NEL and U+2028 included): a cell with codes is a label cell,
# which reaches people in the note about the row it could not place.
BAD_LABEL = f"坏行{EVERY}"

AGENCY = f"相城区{EVERY}人民政府办公室"
HEADING = f"一、总体情况{HEADING_CODES}"
SUB_HEADING = f"（一）{EVERY}系统谋划工作"
BODY = f"BODY{EVERY}正文。"
# a name with all of them, a newline, and a byte that is not UTF-8 (0x9b, C1 CSI in Latin-1 terminals)
NAME = b"report " + EVERY.encode() + b"\nx\x9b.txt"
BROKEN_NAME = b"empty " + EVERY.encode() + b".txt"
FOLDER_NAME = b"dir" + CSI_2J.encode() + RLO.encode()

SHOWN_EVERY = visible(EVERY)


def hostile_report() -> str:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "相城区人民政府办公室2021年政府信息"
    lines[0] = f"{AGENCY}2021年政府信息"
    assert lines[82] == "\t28"  # 一、本年新收 / 自然人 (the row total says 31: now one off)
    lines[82] = "\t29"
    text = "\n".join(lines)
    for old, new in (
        ("  一、总体情况\n", f"  {HEADING}\n{BODY}\n"),
        ("（一）加强组织指导，系统谋划工作。", SUB_HEADING + "。"),
        ("\t二、上年结转政府信息公开申请数量\n", f"\t{BAD_LABEL}\n\t1\n\n\t二、上年结转政府信息公开申请数量\n"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    folder = os.path.join(os.fsencode(root), FOLDER_NAME)
    os.mkdir(folder)
    with open(os.path.join(folder, NAME), "w", encoding="utf-8") as fh:
        fh.write(hostile_report())
    open(os.path.join(folder, BROKEN_NAME), "wb").close()
    return root


def report_path(root: Path) -> str:
    return os.fsdecode(os.path.join(os.fsencode(root), FOLDER_NAME, NAME))


def gikr_check(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gikr_tui", "check", *args], capture_output=True, cwd=cwd)


def assert_nothing_raw(text: str, where: str) -> None:
    """No ESC, no C1 control, no bidi control or line separator: nothing a terminal acts on."""
    raw = sorted({f"U+{ord(c):04X}" for c in text if c == "\x1b" or 0x80 <= ord(c) <= 0x9F
                  or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029"})
    assert raw == [], f"{where}: {raw}"


def decoded(data: bytes, where: str) -> str:
    """Output bytes as text: valid UTF-8, so no byte of a file name got through unescaped."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AssertionError(f"{where}: raw bytes {data[e.start:e.end]!r} at {e.start}") from None


def test_the_hostile_report_reads_with_every_field_carrying_the_codes():
    from gikr_tui.interpret import interpret
    from gikr_tui.readers.text import read_text

    report = interpret(read_text(hostile_report().encode("utf-8")))
    assert report.agency == AGENCY
    assert report.sections[0].text == HEADING
    assert report.sections[0].children[0].text.startswith(SUB_HEADING)
    assert BODY in [p.text for p in report.sections[0].body]
    assert any(BAD_LABEL in str(n.message) for n in report.notes)


# --- gikr check ---------------------------------------------------------------------


def test_table_shows_every_code_as_a_visible_symbol(hostile_folder):
    missing = "missing " + EVERY + ".txt"
    got = gikr_check(str(hostile_folder), missing)
    assert got.returncode == 2  # the empty file and the missing path
    out, err = decoded(got.stdout, "stdout"), decoded(got.stderr, "stderr")
    assert_nothing_raw(out, "table")
    assert_nothing_raw(err, "stderr")
    shown_path = visible(report_path(hostile_folder))
    assert shown_path.endswith("report " + SHOWN_EVERY + "␊x\\x9b.txt")
    row = next(line for line in out.splitlines() if line.startswith(shown_path))
    assert "findings" in row and "相城区␛]52;c;ZQ==␇" in row  # one line: the name's newline split nothing
    assert "empty " + SHOWN_EVERY + ".txt" in out
    assert "\n  empty file\n" in out
    assert f"missing {SHOWN_EVERY}.txt: no such file or folder" in err


def test_csv_shows_every_code_as_a_visible_symbol(hostile_folder):
    got = gikr_check(str(hostile_folder), "--format", "csv")
    out = decoded(got.stdout, "csv")
    assert_nothing_raw(out, "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    mine = [r for r in rows if r["path"] == visible(report_path(hostile_folder))]
    assert mine and all(r["agency"] == visible(AGENCY) for r in mine)
    assert {r["rule"] for r in mine} >= {"row_total"}


def test_jsonl_escapes_every_code_and_parses_back_to_the_original_strings(hostile_folder):
    got = gikr_check(str(hostile_folder), "--format", "jsonl")
    out = decoded(got.stdout, "jsonl")
    assert_nothing_raw(out, "jsonl")
    for escaped in ("\\u001b", "\\u009b", "\\u202e", "\\udc9b", "\\n"):
        assert escaped in out
    records = {os.fsencode(r["path"]): r for r in map(json.loads, out.splitlines())}
    record = records[os.fsencode(report_path(hostile_folder))]  # the name's exact bytes, 0x9b included
    assert record["path"].endswith("\nx\udc9b.txt")
    assert record["agency"] == AGENCY
    assert record["sections"][0]["text"] == HEADING
    assert record["sections"][0]["children"][0]["text"].startswith(SUB_HEADING)
    assert any(BAD_LABEL in note["message"] for note in record["notes"])
    broken = records[os.path.join(os.fsencode(hostile_folder), FOLDER_NAME, BROKEN_NAME)]
    assert broken["error"] == "empty file"


def test_csv_cells_that_start_like_a_formula_are_neutralised(tmp_path):
    text = SEED.read_text(encoding="utf-8").replace(
        "相城区人民政府办公室2021年", '=HYPERLINK("http://x")相城区2021年', 1)
    lines = text.split("\n")
    lines[82] = "\t29"  # a finding, so the row carries numbers: a negative difference stays a number
    (tmp_path / "@SUM(1).txt").write_text("\n".join(lines), encoding="utf-8")
    got = gikr_check("@SUM(1).txt", "--format", "csv", cwd=tmp_path)
    rows = list(csv.DictReader(io.StringIO(decoded(got.stdout, "csv"))))
    assert rows and all(r["path"] == "'@SUM(1).txt" for r in rows)
    assert all(r["agency"] == '\'=HYPERLINK("http://x")相城区' for r in rows)
    row_total = next(r for r in rows if r["rule"] == "row_total")
    assert (row_total["reported"], row_total["computed"], row_total["difference"]) == ("31", "32", "-1")


# --- the inspector ------------------------------------------------------------------


class _Recording:
    """A headless driver that keeps what the app writes to the terminal.

    Textual's headless driver writes nothing (the app does not even render
    frames for it); this one says it is not headless, so every frame, toast
    and clipboard write goes through `write` as it would to a real terminal.
    """

    @staticmethod
    def driver_class():
        from textual.drivers.headless_driver import HeadlessDriver

        class RecordingDriver(HeadlessDriver):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, **kwargs)
                self.written: list[str] = []

            @property
            def is_headless(self) -> bool:
                return False

            def write(self, data: str) -> None:
                self.written.append(data)

        return RecordingDriver


# What Textual itself writes: colours and styles (SGR), cursor moves, and the
# mouse pointer's shape (OSC 22, Kitty's protocol: a name such as `default`).
_TEXTUAL_OWN = re.compile(r"\x1b\[[0-9;]*[mH]|\x1b\]22;[a-z-]+\x07")


def test_what_the_inspector_writes_holds_no_code_from_the_report(hostile_folder, monkeypatch):
    from textual.drivers import headless_driver

    from gikr_tui.tui.app import GikrApp
    from gikr_tui.tui.components.files import FileTree
    from gikr_tui.tui.components.findings import FindingsList
    from gikr_tui.tui.components.reader import Reader
    from gikr_tui.tui.components.sections import SectionTree
    from test_tui import settle, status_text, until

    driver_class = _Recording.driver_class()
    monkeypatch.setattr(headless_driver, "HeadlessDriver", driver_class)
    folder = os.fsdecode(os.path.join(os.fsencode(hostile_folder), FOLDER_NAME))
    name = os.path.basename(report_path(hostile_folder))

    async def go() -> str:
        app = GikrApp(folder)
        async with app.run_test(size=(160, 50), notifications=True) as pilot:
            driver = app._driver
            assert isinstance(driver, driver_class)
            await settle(pilot, app)
            files = app.query_one(FileTree)
            files.select_path(report_path(hostile_folder))
            await until(pilot, lambda: app.current == report_path(hostile_folder))
            await pilot.pause()
            # the Files pane and the status line: the name and the agency
            assert files.label_of(files.current_path).plain.endswith(visible(name))
            assert status_text(app).startswith(visible(name) + ": 2 findings · " + visible(AGENCY) + " · 2021")
            # the Sections pane and the Reader: headings and body
            await pilot.press("2")
            sections = app.query_one(SectionTree)
            assert sections.root.children[0].label.plain == "  " + visible(HEADING)
            assert sections.root.children[0].children[0].label.plain.startswith("  " + visible(SUB_HEADING))
            await pilot.press("enter")
            reader = app.query_one(Reader).text.plain
            assert reader.startswith(visible(HEADING)) and visible(BODY) in reader
            # the Findings pane: a note quoting a label of the file
            await pilot.press("4")
            assert any(visible(BAD_LABEL) in line for line in app.query_one(FindingsList).lines)
            # notifications: the file read again
            await pilot.press("r")
            await until(pilot, lambda: any("again" in str(n.message) for n in app._notifications))
            await pilot.pause(0.2)
            return "".join(driver.written)

    written = asyncio.run(go())
    rest = _TEXTUAL_OWN.sub("", written)
    assert "\x07" not in rest
    assert_nothing_raw(rest, "the inspector's output")
    # and the report's text was on screen, shown
    name = visible(os.path.basename(report_path(hostile_folder)))
    for shown in (SHOWN_EVERY, visible(HEADING_CODES), "3 Grid · " + name, "dir␛[2J<U+202E>"):
        assert shown in rest, shown
