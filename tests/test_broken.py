"""Broken and hostile files: never crash, never hang, never write, always say why.

The folder comes from `broken_files.make_broken_folder`; each file's expected
one-line reason is in `broken_files.CASES`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from broken_files import (
    BY_NAME,
    CASES,
    MISNAMED,
    SHARED_PDF,
    FOLDER_NAME,
    GOOD_NAME,
    SEED,
    aged,
    can_bypass_permissions,
    make_broken_folder,
    matches,
    snapshot,
)
from expected import differences, load
from gikr_tui import cache, errors
from gikr_tui.errors import BinaryFile, LimitExceeded, ReportError
from gikr_tui.limits import MAX_BLOCKS, MAX_ROW_CELLS, MAX_TABLE_CELLS, MAX_TABLE_ROWS, check_limits
from gikr_tui.model import Cell, Document, Paragraph, Table
from gikr_tui.msg import Msg
from gikr_tui.pipeline import check_file
from gikr_tui.readers.encoding import decode
from gikr_tui.runner import run
from gikr_tui.scan import scan

ROOT_SKIP = "running as root: chmod 000 does not stop root from reading"


def _skip_if_root(case_name: str) -> None:
    if case_name == "unreadable.txt" and can_bypass_permissions():
        pytest.skip(ROOT_SKIP)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """In-process runs keep their result cache in the test's tmp dir, not the user's."""
    monkeypatch.setenv("GIKR_CACHE_DIR", str(tmp_path / "own cache"))
    cache.reset()
    yield
    cache.reset()


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    return aged(make_broken_folder(tmp_path_factory.mktemp("broken")))


def _cli(args: list[str], cwd: Path, cache_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, COLUMNS="250", GIKR_CACHE_DIR=str(cache_dir), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "gikr_tui", "check", *args],
        cwd=cwd, env=env, capture_output=True, text=True, errors="replace", timeout=600,
    )


@pytest.fixture(scope="module")
def broken_cache(tmp_path_factory) -> Path:
    """The parse cache of the module's `gikr check` runs over the broken folder: what one run
    read (a .doc through LibreOffice, say) the next takes from it."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def cli_jsonl(broken, broken_cache):
    proc = _cli(["--format", "jsonl", broken.name], broken.parent, broken_cache)
    records = {Path(r["path"]).name: r for r in map(json.loads, proc.stdout.splitlines())}
    return proc, records


# --- the pipeline: one reason per file --------------------------------------


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_pipeline_gives_the_reason(broken, name):
    _skip_if_root(name)
    case = BY_NAME[name]
    result = check_file(broken / name)
    assert result.status == "error", result
    assert not str(result.error).startswith("internal error"), result.debug
    assert "\n" not in str(result.error)
    assert matches(case, str(result.error)), f"{name}: {result.error!r} does not match {case.reason!r}"


@pytest.mark.parametrize("name", sorted(MISNAMED))
def test_a_whole_report_under_the_wrong_extension_is_read_by_its_content(broken, name):
    result = check_file(broken / name)
    assert result.status != "error", result.error
    assert result.format == MISNAMED[name]
    assert any("read by its content" in str(n.message) for n in result.report.notes)


def test_misnamed_pdf_reads_exactly(broken):
    if not SHARED_PDF.exists():
        pytest.skip("the shared real PDF is not here")
    expected = load(SHARED_PDF.parent)[SHARED_PDF.name]
    assert differences(broken / "pdf named.txt", expected, strict=False) == []


def test_good_file_with_odd_name_reads_as_usual(broken):
    expected = load(SEED.parent)[SEED.name]
    assert differences(broken / GOOD_NAME, expected, strict=False) == []
    assert check_file(broken / GOOD_NAME).status != "error"


def test_folder_named_like_a_report(broken):
    assert str(check_file(broken / FOLDER_NAME).error) == "is a folder"
    assert str(broken / FOLDER_NAME) not in scan([broken])


# --- `gikr check` on the folder ---------------------------------------------


def test_cli_exit_code_and_no_traceback(cli_jsonl):
    proc, records = cli_jsonl
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr
    assert records[GOOD_NAME]["status"] in ("ok", "violations")


@pytest.mark.parametrize("name", [c.name for c in CASES])
def test_cli_says_why(cli_jsonl, name):
    """Each broken file gets its reason: a jsonl record, or a scanner line on stderr."""
    _skip_if_root(name)
    case = BY_NAME[name]
    proc, records = cli_jsonl
    if name in records:
        assert records[name]["status"] == "error"
        assert matches(case, records[name]["error"]), records[name]
        return
    said = [line for line in proc.stderr.splitlines() if name in line and matches(case, line.split(": ", 1)[-1])]
    assert said, f"{name} is neither checked nor reported by `gikr check` (stderr: {proc.stderr[-500:]!r})"


def test_cli_table_prints_each_reason_on_one_line(broken, cli_jsonl, broken_cache):
    proc = _cli([broken.name], broken.parent, broken_cache)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    lines = [line.strip() for line in proc.stdout.splitlines()]
    _, records = cli_jsonl
    for name, record in records.items():
        if record["status"] == "error":
            assert any(line.endswith(record["error"]) for line in lines), (name, record["error"])


# --- read-only: nothing written next to or into a report --------------------


def test_nothing_is_written_or_changed(tmp_path):
    folder = aged(make_broken_folder(tmp_path / "reports"))
    before = snapshot(folder)
    for entry in sorted(os.listdir(folder)):
        check_file(folder / entry)
    # every file read by the pool's workers, into the cache the command line then shares
    list(run(scan([folder]), jobs=2))
    for args in (["--format", "jsonl"], ["--format", "csv"], [], ["--jobs", "1", "--debug"]):
        proc = _cli([*args, str(folder)], tmp_path, tmp_path / "own cache")
        assert proc.returncode == 2
        # --debug prints the traceback of any internal error: there must be none
        assert "Traceback" not in proc.stdout + proc.stderr
    assert snapshot(folder) == before  # same names, types, modes, sizes, mtimes and hashes


# --- files that change under the scan ----------------------------------------


def _two_reports(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    shutil.copy(SEED, a)
    shutil.copy(SEED, b)
    return a, b


@pytest.mark.parametrize("jobs", [1, 2])
def test_file_deleted_after_scan(tmp_path, jobs):
    a, b = _two_reports(tmp_path / "reports")
    paths = scan([tmp_path / "reports"])
    a.unlink()
    results = {Path(r.path).name: r for r in run(paths, jobs=jobs)}
    assert str(results["a.txt"].error) == "file disappeared before it could be read"
    assert results["b.txt"].status != "error"


def test_file_replaced_by_a_folder_after_scan(tmp_path):
    a, _ = _two_reports(tmp_path / "reports")
    paths = scan([tmp_path / "reports"])
    a.unlink()
    a.mkdir()
    results = {Path(r.path).name: r for r in run(paths, jobs=1)}
    assert str(results["a.txt"].error) == "is a folder"
    assert results["b.txt"].status != "error"


def test_file_replaced_by_a_fifo_after_scan_does_not_hang(tmp_path):
    a, _ = _two_reports(tmp_path / "reports")
    paths = scan([tmp_path / "reports"])
    a.unlink()
    os.mkfifo(a)
    results = {Path(r.path).name: r for r in run(paths, jobs=1)}
    assert str(results["a.txt"].error) == "not a regular file (a named pipe)"


def test_a_socket_named_like_a_report(tmp_path):
    import socket

    path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert str(check_file(path).error) in ("not a regular file (a socket)", "not a regular file")


def test_file_emptied_after_scan(tmp_path):
    a, _ = _two_reports(tmp_path / "reports")
    paths = scan([tmp_path / "reports"])
    a.write_bytes(b"")
    assert {Path(r.path).name: str(r.error) for r in run(paths, jobs=1)}["a.txt"] == "empty file"


def test_undecodable_file_name(tmp_path):
    """A name that is not valid UTF-8 (copied from an old GBK file system)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    name = os.fsdecode(b"\xc4\xea\xb1\xa8 report.txt")  # 年报 in GBK
    shutil.copy(SEED, folder / name)
    assert check_file(folder / name).status != "error"
    for args in (["--format", "jsonl"], []):
        proc = _cli([*args, str(folder)], tmp_path, tmp_path / "cache")
        assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr[-2000:]
        assert proc.returncode in (0, 1)


# --- limits -------------------------------------------------------------------


def _table(rows: int, cols: int) -> Table:
    return Table([[Cell("1") for _ in range(cols)] for _ in range(rows)])


def test_table_row_limit_is_named():
    with pytest.raises(LimitExceeded, match=rf"^table has {MAX_TABLE_ROWS + 1} rows, over the table-row limit of {MAX_TABLE_ROWS}$"):
        check_limits(Document([_table(MAX_TABLE_ROWS + 1, 1)], "docx"))
    check_limits(Document([_table(MAX_TABLE_ROWS, 1)], "docx"))  # at the limit: fine


def test_cell_limit_is_named():
    per_table = MAX_TABLE_CELLS // 4 + 1
    doc = Document([_table(per_table // 50 + 1, 50) for _ in range(4)], "html")
    with pytest.raises(LimitExceeded, match=rf"cells, over the cell limit of {MAX_TABLE_CELLS}$"):
        check_limits(doc)


def test_row_width_limit_is_named():
    with pytest.raises(LimitExceeded, match=rf"^a table row has {MAX_ROW_CELLS + 1} cells, over the row-width limit of {MAX_ROW_CELLS}$"):
        check_limits(Document([_table(2, MAX_ROW_CELLS + 1)], "html"))


def test_block_limit_is_named():
    doc = Document([Paragraph("x") for _ in range(MAX_BLOCKS + 1)], "pdf")
    with pytest.raises(LimitExceeded, match=rf"over the block limit of {MAX_BLOCKS}$"):
        check_limits(doc)


@pytest.mark.parametrize(
    "data, limit",
    [
        (b"\t" * (MAX_TABLE_CELLS + 1), "row-width limit"),
        (b"| " * (MAX_TABLE_CELLS + 2), "row-width limit"),
        (b"\tx\n" * (MAX_ROW_CELLS + 2), "row-width limit"),
        ((b"\t".join([b"1"] * 100) + b"\n") * (MAX_TABLE_CELLS // 100 + 2), "cell limit"),
        ((b"| 1 " * 100 + b"|\n") * (MAX_TABLE_CELLS // 100 + 2), "cell limit"),
        (b"a\tb\n" * (MAX_TABLE_ROWS + 2), "table-row limit"),
        (b"\tx\n\n" * (MAX_TABLE_ROWS + 2), "table-row limit"),
        (b"x\n" * (MAX_BLOCKS + 2), "block limit"),
    ],
    ids=[
        "one-row-of-tabs", "one-row-of-pipes", "one-cell-per-line-row", "tab-cells", "pipe-cells",
        "tab-rows", "cell-per-line-rows", "paragraphs",
    ],
)
def test_text_reader_stops_at_a_limit(tmp_path, data, limit):
    p = tmp_path / "big.txt"
    p.write_bytes(data)
    result = check_file(p)
    assert result.status == "error" and limit in str(result.error), result.error


# --- decoding -----------------------------------------------------------------


def test_utf8_cut_mid_character_still_decodes():
    text = "本年新收政府信息公开申请"
    data = text.encode("utf-8")[:-1]
    assert decode(data) == (text[:-1], "utf-8")


def test_gb18030_cut_mid_character_still_decodes():
    text = "本年新收政府信息公开申请，" * 20
    data = text.encode("gb18030")[:-1]
    decoded, encoding = decode(data)
    assert encoding == "gb18030" and decoded == text[:-1]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_utf16_with_an_odd_byte_count_still_decodes(codec):
    text = "一、总体情况\n本机关主动公开政府信息。\n" * 10
    data = text.encode(codec) + b"\x00"
    decoded, _ = decode(data)
    assert decoded == text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_chinese_without_a_bom(codec):
    """Chinese UTF-16 has few NULs (一 is 4E00), and on both byte positions."""
    text = "一、总体情况\n本机关主动公开政府信息一百一十一条。\n" * 10
    assert decode(text.encode(codec)) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_a_few_corrupt_bytes_do_not_make_a_report_unreadable(codec):
    text = "本年新收政府信息公开申请数量\t12\t0\n" * 200
    data = bytearray(text.encode(codec))
    data[100] = 0xFF  # never valid in either codec
    decoded, encoding = decode(bytes(data))
    assert encoding == codec
    assert 1 <= decoded.count("\ufffd") <= 3 and decoded.endswith(text[-200:])  # one character lost


def test_another_encoding_is_not_decoded_leniently_as_utf8():
    text = "本年新收政府信息公开申请数量，予以公开，不予公开。" * 50
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_zero_filled_tail_of_an_unfinished_download():
    text = "一、总体情况\n本年新收申请12件。\n" * 20
    decoded, _ = decode(text.encode("utf-8") + b"\x00" * 5000)
    assert decoded == text


def test_a_file_of_nul_bytes_says_so():
    with pytest.raises(BinaryFile, match=r"^file holds only NUL bytes \(4\.0 KB; an unfinished download\?\)$"):
        decode(b"\x00" * 4096)


def test_control_characters_in_valid_utf8_are_binary():
    with pytest.raises(BinaryFile, match=r"^file is 2\.0 KB of binary data$"):
        decode(bytes(range(1, 32)) * 66)


def test_bom_then_garbage_is_a_decode_error():
    with pytest.raises(ReportError, match="byte-order mark"):
        decode(b"\xef\xbb\xbf" + b"\xff\xfe\xfd" * 10)


# --- messages ------------------------------------------------------------------


def test_messages_are_one_short_line():
    assert str(ReportError(Msg("bad\n  {what}\r\n here", {"what": "thing\n"}))) == "bad thing here"
    long = str(ReportError(Msg("{x}", {"x": "x" * 1000})))
    assert len(long) == errors.MAX_MESSAGE and long.endswith("…")



@pytest.mark.parametrize(
    "name, error_type",
    [
        ("encrypted.pdf", errors.Encrypted),
        ("scanned.pdf", errors.NoTextLayer),
        ("truncated.pdf", errors.DamagedFile),
        ("random bytes.pdf", errors.DamagedFile),
        ("random bytes.docx", errors.DamagedFile),
        ("truncated.docx", errors.DamagedFile),
    ],
)
def test_readers_fail_with_the_typed_error_for_the_case(broken, name, error_type):
    from gikr_tui.pipeline import read_document

    with pytest.raises(error_type):
        read_document(broken / name)
