"""Scanned reports read by OCR (the `ocr` extra), and what is refused without it.

The scans in fixtures/scans are word-2021-basic.pdf printed to pictures (150
and 300 dpi black and white, and a degraded 150-dpi grayscale JPEG fed 0.7°
askew) plus a web page whose table 3 is a screenshot.  Every table 3 and
table 4 cell must come back as the text PDF holds it: blank and 0 may be
confused, a blank the reader notes as unreadable is allowed, a wrong value
is not.  OCR runs once per session (conftest.ocr_results); the tests that
need no OCR run without the extra too.
"""

from __future__ import annotations

import asyncio
import io
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SCANS, cached_result
from expected import load
from gikr_tui import progress
from gikr_tui.model import LOW_CONFIDENCE
from gikr_tui.readers.html_pictures import _beside
from gikr_tui.readers.pdf_layout import Line, drop_running
from gikr_tui.readers.pdf_pdfium import Char

ROOT = Path(__file__).resolve().parents[1]
TRUTH = load(ROOT / "fixtures" / "pdf")["word-2021-basic.pdf"]
PDF_SCANS = ["scan-150.pdf", "scan-300.pdf", "scan-degraded.pdf"]
ALL_SCANS = [*PDF_SCANS, "web-table-image.html"]


def _wrong_cells(record: dict) -> list[str]:
    """Cells whose value is not the truth: blank for 0 (or 0 for blank) and noted blanks aside."""
    unsure = {tuple(c) for c in record["ocr"]["uncertain"]}
    bad = []
    tables = (("requests", record["requests"]["rows"], TRUTH["grid"]), ("t4", record["review_litigation"], TRUTH["t4"]))
    for name, got, want in tables:
        for row, cols in want.items():
            for col, value in cols.items():
                read = got.get(row, {}).get(col, "missing")
                if read == value or {read, value} <= {0, None}:
                    continue
                if read is None and (row, col) in unsure:
                    continue  # a blank noted as holding marks OCR could not read
                bad.append(f"{name} {row}.{col}: want {value} read {read}")
    return bad


# --- every cell read right ---------------------------------------------------------


@pytest.mark.parametrize("name", ALL_SCANS)
def test_every_cell_of_tables_3_and_4_is_read_exactly(ocr_results, name):
    record = ocr_results[name]
    assert record["status"] == "ok", (record["error"], [v["message"] for v in record["violations"]])
    assert _wrong_cells(record) == []
    assert record["template"] == 2021


@pytest.mark.parametrize("name", ALL_SCANS)
def test_title_gives_agency_and_year(ocr_results, name):
    record = ocr_results[name]
    assert (record["agency"], record["year"]) == (TRUTH["agency"], TRUTH["year"])


def test_a_report_read_by_ocr_says_so_in_jsonl(ocr_results):
    for name in PDF_SCANS:
        ocr = ocr_results[name]["ocr"]
        assert ocr["pages"] == [1, 2, 3] and ocr["skipped"] == []
        assert ocr["engine"].startswith("rapidocr ") and ocr["threshold"] == LOW_CONFIDENCE
    assert ocr_results["scan-300.pdf"]["ocr"]["dpi"] == [150, 150, 150]  # read at 150, not the scan's 300
    assert ocr_results["web-table-image.html"]["ocr"]["pages"] == [1]  # its one picture


def test_the_askew_scan_is_straightened_before_reading(ocr_results):
    assert all(abs(a + 0.7) <= 0.1 for a in ocr_results["scan-degraded.pdf"]["ocr"]["skew"])
    assert ocr_results["scan-150.pdf"]["ocr"]["skew"] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("name", ALL_SCANS)
def test_each_value_carries_its_confidence_and_unsure_ones_a_note(ocr_results, name):
    record = ocr_results[name]
    sources = record["requests"]["sources"]
    scores = [s["confidence"] for cols in sources.values() for s in cols.values() if s["text"]]
    assert scores and all(0.0 <= c <= 1.0 for c in scores)
    noted = {(n["row"], n["col"]) for n in record["notes"] if "OCR" in n["message"]}
    unsure = {tuple(c) for c in record["ocr"]["uncertain"]}
    assert unsure <= noted
    for row, col in unsure:
        if row in sources and col in sources[row]:
            assert sources[row][col]["confidence"] < LOW_CONFIDENCE
            assert "OCR" in sources[row][col]["note"]


def test_models_come_from_the_wheel_and_nothing_is_downloaded(ocr_home):
    import sysconfig

    from gikr_tui.readers import ocr

    packages = Path(sysconfig.get_paths()["purelib"]).resolve()
    models = ocr._models()
    assert {"det", "rec"} <= set(models)
    assert all(packages in path.resolve().parents for path in models.values())
    # the run had an empty home and no way out: it wrote nothing there
    assert [p for p in Path(ocr_home).rglob("*")] == []


def test_text_pdfs_say_they_were_not_read_by_ocr():
    out = subprocess.run(
        [sys.executable, "-m", "gikr_tui", "check", "--format", "jsonl", "--no-cache",
         str(ROOT / "fixtures" / "pdf" / "word-2021-basic.pdf")],
        capture_output=True, text=True, timeout=120,
    )
    assert json.loads(out.stdout)["ocr"] is None


# --- findings on a report read by OCR ----------------------------------------------


def test_a_finding_on_an_ocr_report_says_a_cell_may_be_misread(ocr_cache):
    from gikr_tui.tui.session import T3, FileState

    result = cached_result(ocr_cache, SCANS / "scan-degraded.pdf")
    state = FileState(str(SCANS / "scan-degraded.pdf"))
    state.set_result(result)
    state.edit((T3, "granted", "natural"), "41")  # what a misread 40 would look like
    [finding] = [f for f in state.findings if f.rule == "row_total"]
    assert finding.misread is not None
    row, col, score = finding.misread
    assert (row, col) in finding.cells and 0 <= score <= 1
    assert (row, col) != ("granted", "natural")  # what the user typed is not in doubt
    assert "read by OCR, a cell may be misread" in finding.message()
    assert finding.to_json()["misread"]["cell"] == [row, col]


# --- the inspector -------------------------------------------------------------------


def test_inspector_marks_the_ocr_report_and_its_unsure_cells(ocr_cache, monkeypatch):
    from gikr_tui import cache as cache_module
    from gikr_tui.tui.app import GikrApp
    from gikr_tui.tui.components.files import FileTree
    from gikr_tui.tui.components.grid import ReportGrid
    from gikr_tui.tui.render import badge
    from gikr_tui.tui.session import T3

    monkeypatch.setenv(cache_module.ENV_DIR, ocr_cache)
    cache_module.reset()
    path = str(SCANS / "scan-degraded.pdf")

    async def go():
        app = GikrApp(path)
        async with app.run_test(size=(100, 30)) as pilot:
            loop = asyncio.get_running_loop()
            end = loop.time() + 30
            while not app.all_parsed and loop.time() < end:
                await pilot.pause(0.05)
            state = app.states[path]
            assert state.status == "ok" and state.report.ocr is not None
            assert badge(state).plain.strip() == "ok~"
            unsure = [(r, c) for r, cols in state.report.requests.items() for c, v in cols.items() if v.uncertain]
            assert unsure
            grid = app.query_one(ReportGrid)
            row, col = unsure[0]
            grid.cursor_coordinate = grid.coordinate_of((T3, row, col))
            grid.focus()
            await pilot.pause()
            rendered = grid._render((T3, row, col)).plain
            assert rendered.endswith("~")
            status = app.query_one("#status").plain
            assert "read by OCR, confidence" in status
            app.query_one(FileTree).focus()
            await pilot.pause()
            assert "read by OCR (3 pages)" in app.query_one("#status").plain

    try:
        asyncio.run(go())
    finally:
        cache_module.reset()


# --- refused, with the reason ----------------------------------------------------------

_WITHOUT_EXTRA = """
import sys
sys.modules["rapidocr"] = None  # as if `pip install 'gikr[ocr]'` had not been run
from gikr_tui.pipeline import check_file
print(check_file(sys.argv[1]).error)
"""


@pytest.mark.parametrize(
    "name, reason",
    [
        ("scan-150.pdf", "no text layer (a scanned PDF); to read it by OCR: pip install 'gikr[ocr]'"),
        ("web-table-image.html", "the tables are pictures; to read them by OCR: pip install 'gikr[ocr]'"),
    ],
)
def test_without_the_extra_the_error_says_how_to_get_it(name, reason):
    out = subprocess.run([sys.executable, "-c", _WITHOUT_EXTRA, str(SCANS / name)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == reason, out.stderr


def test_a_coarse_scan_is_refused_before_any_ocr():
    out = subprocess.run(
        [sys.executable, "-m", "gikr_tui", "check", "--no-cache", str(ROOT / "fixtures" / "pdf" / "errors" / "scanned.pdf")],
        capture_output=True, text=True, timeout=60,
    )
    assert out.returncode == 2
    assert "scanned at 56 ppi, too coarse to read by OCR (it needs at least 100 ppi)" in out.stdout


# --- page numbers that OCR decorates ---------------------------------------------------


def _line(text: str, top: float, page: int) -> Line:
    chars = [Char(ch, 280 + i * 6, top, 286 + i * 6, top + 10, 10, top + 10, 0.5) for i, ch in enumerate(text)]
    return Line(chars, page, text, 280, top, 280 + 6 * len(text), top + 10, 10)


@pytest.mark.parametrize("footer", ["-4-", "-4-|", "一4一", "' -4- .", "— 4 —"])
def test_footers_read_with_stray_strokes_are_page_numbers(footer):
    body = _line("4.保护第三方合法权益", 400, 1)
    [kept] = drop_running([[body, _line(footer, 800, 1)]], [842.0])
    assert [line.text for line in kept] == ["4.保护第三方合法权益"]


# --- pictures beside a web page -----------------------------------------------------------


def test_only_pictures_saved_beside_the_page_are_read(tmp_path):
    page = tmp_path / "site" / "report.html"
    (page.parent / "report_files").mkdir(parents=True)
    (page.parent / "report_files" / "t3.png").write_bytes(b"x")
    (tmp_path / "secret.png").write_bytes(b"x")
    found = page.parent / "report_files" / "t3.png"
    assert _beside(page, "report_files/t3.png") == found.resolve()
    assert _beside(page, "http://www.gov.cn/images/t3.png") == found.resolve()  # saved by the browser
    assert _beside(page, "../secret.png") is None  # never outside the page's folder
    assert _beside(page, "/etc/passwd") is None
    assert _beside(page, "data:image/png;base64,AAAA") is None


# --- one OCR worker at a time ------------------------------------------------------------


def _hold_slot(lock: str, started, release, first: int = 0) -> None:
    progress.use_slots(lock, 1, first)
    with progress.ocr_slot():
        started.send("held")
        release.recv()


def _wait_slot(lock: str, events, first: int = 0) -> None:
    progress.use_slots(lock, 1, first)
    with progress.listening(lambda *event: events.send(event[0])):
        with progress.ocr_slot():
            events.send("held")


def _next(conn, seconds: float = 30.0) -> str:
    assert conn.poll(seconds), "nothing heard"
    return conn.recv()


def test_ocr_slot_is_held_by_one_worker_and_waiting_stops_the_clock(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    lock = str(tmp_path / "ocr.lock")
    first, other = progress.new_slots(), progress.new_slots()  # two pools' slots in one file
    assert first != other
    started_r, started_w = ctx.Pipe(duplex=False)
    release_r, release_w = ctx.Pipe(duplex=False)
    events_r, events_w = ctx.Pipe(duplex=False)
    holder = ctx.Process(target=_hold_slot, args=(lock, started_w, release_r, first))
    holder.start()
    assert _next(started_r) == "held"
    # another pool's worker is not held up by this pool's slot
    stranger = ctx.Process(target=_wait_slot, args=(lock, events_w, other))
    stranger.start()
    waiter = ctx.Process(target=_wait_slot, args=(lock, events_w, first))
    try:
        assert _next(events_r) == "held"
        stranger.join()
        waiter.start()
        assert _next(events_r) == "pause"  # waiting for the slot, off the clock
        assert not events_r.poll(0.3)  # and still waiting while it is held
        holder.kill()  # the kernel frees a dead worker's slot
        holder.join()
        assert _next(events_r) == "resume"
        assert _next(events_r) == "held"
    finally:
        for process in (holder, stranger, waiter):
            if process.pid is not None:
                process.kill()
                process.join()


_KILLED_RUN = """
import os, signal
from gikr_tui import progress
from gikr_tui.pool import ProcessExecutor
from gikr_tui.settings import Settings

for _ in range(2):
    settings = ProcessExecutor(Settings(), 1).settings
    progress.use_slots(settings.ocr_lock, 1, settings.ocr_slots_at)
    with progress.ocr_slot():  # what its worker does to read a page by OCR
        pass
os.kill(os.getpid(), signal.SIGKILL)  # as a run the user kills: nothing is closed
"""


def test_killed_runs_leave_no_ocr_lock_files(tmp_path):
    """Every pool of every run uses the one slots file of the user: runs that are killed
    (nothing closed, nothing removed) leave no lock file of their own in the temp folder."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp))
    for _ in range(2):
        run = subprocess.run([sys.executable, "-c", _KILLED_RUN], env=env, capture_output=True, text=True, timeout=60)
        assert run.returncode == -signal.SIGKILL, run.stderr
    assert [p.name for p in temp.iterdir() if p.name.startswith("gikr")] == [f"gikr-ocr-{os.getuid()}.lock"]


# --- progress on the way, and time allowed per page -----------------------------------------


def _one_page_scan(path: Path) -> None:
    from PIL import Image

    picture = Image.open(SCANS / "web-table-image_files" / "table3.png")
    picture = picture.crop((0, 0, picture.width, 260)).convert("L")
    buffer = io.BytesIO()
    picture.save(buffer, "PDF", resolution=150)
    path.write_bytes(buffer.getvalue())


def test_pages_read_by_ocr_reach_the_parent_and_earn_time(tmp_path):
    from conftest import ocr_installed

    if not ocr_installed():
        pytest.skip("the ocr extra is not installed")
    from gikr_tui.pool import ProcessExecutor
    from gikr_tui.settings import Settings

    scan = tmp_path / "one-page.pdf"
    _one_page_scan(scan)
    heard = []
    # a limit far below what OCR takes: the page's allowance must carry it
    executor = ProcessExecutor(Settings(timeout=1.0, use_cache=False, kill_grace=1.0), 1, formats={"pdf"})
    executor.on_progress = lambda path, done, total: heard.append((os.path.basename(path), done, total))
    try:
        executor.submit(0, str(scan))
        [(index, parsed)] = executor.collect()
    finally:
        executor.close()
    assert index == 0
    from gikr_tui.records import Outcome

    error = str(Outcome.of(index, parsed).brief.error or "")
    assert not error.startswith("time limit"), error
    assert heard[0] == ("one-page.pdf", 0, 1) and heard[-1] == ("one-page.pdf", 1, 1)


def test_badge_counts_pages_while_a_file_is_read_by_ocr():
    from gikr_tui.tui.render import badge, status_words
    from gikr_tui.tui.session import FileState

    state = FileState("scan.pdf")
    assert badge(state).plain.strip() == "··"
    state.progress = (1, 3)
    assert badge(state).plain.strip() == "1/3"
    assert status_words(state) == "reading by OCR: page 1 of 3 done…"
    state.progress = (12, 40)  # wider than the badge: pages done only
    assert badge(state).plain.strip() == "12p"


def test_a_giant_page_is_refused_before_it_is_rendered():
    import pypdfium2 as pdfium

    from conftest import ocr_installed
    from gikr_tui.errors import LimitExceeded
    from gikr_tui.readers.pdf import read_pdf

    if not ocr_installed():
        pytest.skip("the ocr extra is not installed")
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14400, 14400)  # 200 inches square, no text: at 150 dpi, 900 million pixels
    buffer = io.BytesIO()
    pdf.save(buffer)
    with pytest.raises(LimitExceeded, match=r"^page 1 is too large to read by OCR \(200 × 200 inches\)$"):
        read_pdf(buffer.getvalue())
