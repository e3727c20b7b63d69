"""`gikr check`'s series lines, `gikr summary` and `gikr compare` end to end; the jsonl shapes pinned.

The installed command runs as its own process where its exit status, stderr or raw bytes are what
a test is about; the other tests call the same `main` in the test's process (one interpreter's
start-up less for each of them).
"""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from gikr_tui.cli import main
from series_maker import blank_vs_zero_pair, chained, forward_of, prose, write

AGENCY = "淮安市洪泽区人民政府"


def command(*args):
    return subprocess.run([sys.executable, "-m", "gikr_tui", *map(str, args)], capture_output=True, text=True)


@pytest.fixture
def gikr(capsys):
    """`gikr ARGS` through `main` in this process: stdout, stderr and the exit status, as `command` gives them."""
    def run(*args):
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(["gikr", *map(str, args)], code, out, err)
    return run


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """洪泽区 2021–2023 (2022 copies 2021's 总体情况, 2023 carries over one too many), a lone
    agency, and an unreadable file."""
    root = tmp_path_factory.mktemp("series-cli")
    rng = random.Random(21)
    body = prose(rng)
    t21 = chained(rng, 2021)
    write(root / "a" / "2021.txt", AGENCY, 2021, t21, rng, prose_by_section={1: "2021年，" + body, 5: prose(rng, 6)})
    t22 = chained(rng, 2021, forward_of(t21))
    write(root / "a" / "2022.txt", "洪泽区人民政府", 2022, t22, rng, prose_by_section={1: "2022年，" + body, 5: prose(rng, 6)})
    carried = forward_of(t22)
    carried["natural"] += 1
    t23 = chained(rng, 2021, carried)
    write(root / "b" / "2023.md", AGENCY, 2023, t23, rng, layout="markdown")
    write(root / "b" / "other.txt", "盱眙县交通运输局", 2022, chained(rng, 2021), rng)
    (root / "empty.txt").write_bytes(b"")
    return root


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


CARRY_KEYS = ["rule", "severity", "col", "previous", "table", "reported", "computed", "difference", "cells", "message"]
REPEATED_KEYS = ["rule", "severity", "section", "previous", "similarity", "measure", "reported", "computed",
                 "difference", "cells", "text", "message"]


def test_check_jsonl_report_lines_then_series_lines(folder):
    got = command("check", folder, "--format", "jsonl", "--jobs", "1")
    records = _records(got.stdout)
    kinds = [r["record"] for r in records]
    assert kinds == ["report"] * 5 + ["series"] * 2
    assert all(list(r)[:2] == ["record", "path"] for r in records)  # `record` first on every line
    reports, series = records[:5], records[5:]
    # the report lines are the serialiser's, nothing else changed
    assert all(r["violations"] == [] or r["status"] == "error" for r in reports)
    by_path = {Path(s["path"]).name: s for s in series}
    assert list(by_path) == ["2022.txt", "2023.md"]
    for s in series:
        assert list(s) == ["record", "path", "agency", "year", "previous", "violations"]
    s22, s23 = by_path["2022.txt"], by_path["2023.md"]
    assert (s22["agency"], s22["year"], Path(s22["previous"]).name) == ("洪泽区人民政府", 2022, "2021.txt")
    [repeated] = s22["violations"]
    assert list(repeated) == REPEATED_KEYS
    assert repeated["rule"] == "repeated_text" and repeated["severity"] == "warning" and repeated["section"] == 1
    assert repeated["measure"] == "indel" and repeated["similarity"] >= 0.9 and repeated["cells"] == []
    assert repeated["text"]["section"] == 1 and repeated["text"]["quote"].startswith("2022年")
    assert (repeated["reported"], repeated["computed"], repeated["difference"]) == (None, None, None)
    assert [v["col"] for v in s23["violations"]] == ["natural", "total"]
    carry = s23["violations"][0]
    assert list(carry) == CARRY_KEYS
    assert carry["previous"] == s23["previous"] and carry["table"] == 3 and carry["difference"] == 1
    assert carry["cells"] == [["carried_over", "natural"]]
    # cross-year findings count in the exit status (the unreadable file makes it 2) and the summary
    assert got.returncode == 2
    assert ", 1 series, 2 reports with cross-year findings (" in got.stderr.splitlines()[-1]


def test_series_findings_alone_fail_the_run(folder, tmp_path, gikr):
    for name in ("a/2021.txt", "a/2022.txt", "b/2023.md"):
        (tmp_path / Path(name).name).write_bytes((folder / name).read_bytes())
    got = gikr("check", tmp_path, "--format", "jsonl")
    assert [r["status"] for r in _records(got.stdout)[:3]] == ["ok", "ok", "ok"]
    assert got.returncode == 1
    off = gikr("check", tmp_path, "--no-series")
    assert off.returncode == 0 and "cross-year" not in off.stdout and "series" not in off.stderr


def test_checks_option_chooses_series_checks_too(folder, gikr):
    only = _records(gikr("check", folder, "--format", "jsonl", "--checks", "carry_over").stdout)
    assert [Path(r["path"]).name for r in only if r["record"] == "series"] == ["2023.md"]
    arithmetic = _records(gikr("check", folder, "--format", "jsonl", "--checks", "arithmetic").stdout)
    assert [r for r in arithmetic if r["record"] == "series"] == []


def test_check_table_and_csv_list_series_after_the_files(folder, gikr):
    table = gikr("check", folder).stdout
    head, tail = table.split("cross-year findings")
    assert "2023.md" in head and "carry_over" not in head and "repeated_text" not in head
    assert "carry_over" in tail and "repeated_text (warning)" in tail and "after " in tail
    rows = list(csv.DictReader(io.StringIO(gikr("check", folder, "--format", "csv").stdout)))
    kinds = [r["record"] for r in rows]
    assert kinds == sorted(kinds, key=lambda k: k == "series") and kinds.count("series") == 3
    series = [r for r in rows if r["record"] == "series"]
    assert {(Path(r["path"]).name, r["rule"], Path(r["previous"]).name) for r in series} == {
        ("2022.txt", "repeated_text", "2021.txt"), ("2023.md", "carry_over", "2022.txt")}
    assert all(r["previous"] == "" for r in rows if r["record"] == "report")


def test_jobs_do_not_change_the_series_lines(folder, gikr):
    one = gikr("check", folder, "--format", "jsonl", "--jobs", "1", "--no-cache")
    two = gikr("check", folder, "--format", "jsonl", "--jobs", "2", "--no-cache")
    assert one.stdout == two.stdout


# --- gikr summary ------------------------------------------------------------------------------


def test_summary_jsonl_shapes_and_totals(folder, gikr):
    got = gikr("summary", folder, "--format", "jsonl")
    records = _records(got.stdout)
    assert [r["record"] for r in records] == ["report"] * 5 + ["agency"] * 2 + ["year"] * 3
    row = records[0]
    assert list(row) == ["record", "path", "agency", "year", "template", "format", "status", "error", "findings", "figures"]
    assert list(row["figures"]) == ["received_new", "results_total", "carried_forward", "disclosure_rate", "review",
                                    "litigation", "correction_rate", "carried_over", "granted", "partial", "review_corrected"]
    assert list(row["findings"]) == ["error", "warning", "hint"]
    fig = row["figures"]
    assert fig["disclosure_rate"] == round((fig["granted"] + fig["partial"]) / fig["results_total"], 4)
    unreadable = next(r for r in records if r["record"] == "report" and r["status"] == "error")
    assert unreadable["figures"] is None and unreadable["error"] == "empty file"
    reports = [r for r in records if r["record"] == "report" and r["status"] != "error"]
    hongze = next(r for r in records if r["record"] == "agency" and "洪泽区" in r["agency"])
    assert list(hongze) == ["record", "agency", "years", "reports", "findings", "cross_year", "figures"]
    assert hongze["agency"] == AGENCY and hongze["years"] == [2021, 2022, 2023] and hongze["reports"] == 3
    own = [r for r in reports if "洪泽区" in r["agency"]]
    assert hongze["figures"]["received_new"] == sum(r["figures"]["received_new"] for r in own)
    # a stock, not a flow: the latest year's 结转下年度
    assert hongze["figures"]["carried_forward"] == next(r for r in own if r["year"] == 2023)["figures"]["carried_forward"]
    assert hongze["cross_year"] == 3  # repeated_text in 2022, carry_over ×2 in 2023
    y2022 = next(r for r in records if r["record"] == "year" and r["year"] == 2022)
    assert list(y2022) == ["record", "year", "agencies", "reports", "findings", "cross_year", "figures"]
    assert (y2022["agencies"], y2022["reports"]) == (2, 2)
    assert got.returncode == 2  # the empty file


def test_summary_csv_opens_in_a_spreadsheet_as_is(folder):
    got = subprocess.run([sys.executable, "-m", "gikr_tui", "summary", str(folder), "--format", "csv"], capture_output=True)
    raw = got.stdout
    assert raw.startswith(b"\xef\xbb\xbfrecord,path,agency,year,")  # UTF-8 with BOM
    assert b"\r\n" in raw and raw.count(b"\r\n") == raw.count(b"\n")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["record"] for r in rows].count("agency") == 2
    agency = next(r for r in rows if r["record"] == "agency" and "洪泽区" in r["agency"])
    assert agency["years"] == "2021 2022 2023" and agency["reports"] == "3"
    assert 0 <= float(agency["disclosure_rate"]) <= 1


def test_summary_counts_one_report_once(folder, tmp_path, gikr):
    for name in ("a/2021.txt", "a/2022.txt"):
        (tmp_path / Path(name).name).write_bytes((folder / name).read_bytes())
    (tmp_path / "2021 副本.txt").write_bytes((folder / "a/2021.txt").read_bytes())
    records = _records(gikr("summary", tmp_path, "--format", "jsonl").stdout)
    [agency] = [r for r in records if r["record"] == "agency"]
    assert agency["reports"] == 2
    notes = [r for r in records if r["record"] == "note"]
    assert [n["kind"] for n in notes] == ["duplicate"] and len(notes[0]["paths"]) == 2
    table = gikr("summary", tmp_path)
    assert "per agency" in table.stdout and "per year" in table.stdout and "the same report" in table.stdout


# --- gikr compare --------------------------------------------------------------------------------


def test_compare_jsonl_shape(folder, gikr):
    got = gikr("compare", folder / "a" / "2022.txt", folder / "b" / "2023.md", "--format", "jsonl")
    [c] = _records(got.stdout)
    assert list(c) == ["record", "a", "b", "tables", "checked", "violations", "notes", "sections"]
    assert c["record"] == "compare" and list(c["a"]) == ["path", "status", "error", "format", "agency", "year", "template"]
    assert list(c["tables"]) == ["active_disclosure", "requests", "review_litigation"]
    cell = c["tables"]["requests"]["carried_over"]["natural"]
    assert list(cell) == ["a", "b", "change", "changed", "blank_vs_zero"] and cell["changed"] and cell["change"] == cell["b"] - cell["a"]
    assert c["checked"].endswith("2023.md") and [v["rule"] for v in c["violations"]] == ["carry_over", "carry_over"]
    assert [s["number"] for s in c["sections"]] == [1, 2, 3, 4, 5, 6]
    first = c["sections"][0]
    assert list(first) == ["number", "title", "a_length", "b_length", "similarity", "measure", "paragraphs"]
    assert first["measure"] == "indel" and 0 <= first["similarity"] < 0.9
    assert {p["op"] for p in first["paragraphs"]} <= {"equal", "delete", "insert", "replace"}
    assert got.returncode == 1


def test_compare_table_marks_what_changed(folder, gikr):
    got = gikr("compare", folder / "a" / "2021.txt", folder / "a" / "2022.txt")
    out = got.stdout
    assert "→" in out  # changed cells read a→b
    assert "repeated_text (warning)" in out
    assert "{+2022+}" in out or "{+2+}" in out  # the year changed inside the copied paragraph
    assert got.returncode == 1


def test_compare_counts_a_blank_against_a_0_apart(tmp_path, gikr):
    """A blank in one report and a 0 in the other is no change: counted apart and shown dim, while
    a count that changed, and a count left blank, still are changes."""
    a, b = blank_vs_zero_pair(tmp_path, AGENCY, prose(random.Random(3)))
    [c] = _records(gikr("compare", a, b, "--format", "jsonl").stdout)
    cells = [cell for cols in c["tables"]["requests"].values() for cell in cols.values()]
    changed = [cell for cell in cells if cell["changed"]]
    blank = [cell for cell in cells if cell["blank_vs_zero"]]
    assert len(changed) == 2 and len(blank) > 50
    assert {(x["a"], x["b"]) for x in blank} == {(0, None)} and not any(x["changed"] for x in blank)
    natural = c["tables"]["requests"]["received_new"]["natural"]
    assert natural["change"] == 1 and not natural["blank_vs_zero"]
    assert [(x["b"], x["change"]) for x in changed if x is not natural] == [(None, None)]  # a count left blank
    table = gikr("compare", a, b).stdout
    assert "table 3: 2 cells changed" in table
    assert f"{len(blank)} cells blank in one, 0 in the other (not counted as changed)" in table
    assert table.count("*") == 2  # only the two rows that changed are marked
    assert "0→·" in table


def test_compare_not_consecutive_years_and_unreadable(folder, gikr):
    got = gikr("compare", folder / "a" / "2021.txt", folder / "b" / "2023.md", "--format", "jsonl")
    [c] = _records(got.stdout)
    assert c["checked"] is None and c["violations"] == [] and [n["kind"] for n in c["notes"]] == ["not_consecutive"]
    assert got.returncode == 0
    bad = gikr("compare", folder / "a" / "2021.txt", folder / "empty.txt")
    assert bad.returncode == 2 and "empty file" in bad.stderr and bad.stdout == ""


def test_text_from_reports_reaches_no_terminal_raw(tmp_path, gikr):
    """An agency name holding escape codes is shown as visible symbols in every output for people,
    and escaped in jsonl (which parses back to the same name)."""
    rng = random.Random(5)
    hostile = "洪泽区\x1b[2J人民政府\x9b"
    first = chained(rng, 2021)
    write(tmp_path / "a.txt", hostile, 2021, first, rng)
    carried = forward_of(first)
    carried["other"] += 2
    write(tmp_path / "b.txt", hostile, 2022, chained(rng, 2021, carried), rng)
    outputs = [
        gikr("check", tmp_path).stdout, gikr("summary", tmp_path).stdout,
        gikr("summary", tmp_path, "--format", "csv").stdout,
        gikr("compare", tmp_path / "a.txt", tmp_path / "b.txt").stdout,
    ]
    for out in outputs:
        assert "\x1b" not in out and "\x9b" not in out and "␛" in out
    for args in (("check", tmp_path, "--format", "jsonl"), ("summary", tmp_path, "--format", "jsonl"),
                 ("compare", tmp_path / "a.txt", tmp_path / "b.txt", "--format", "jsonl")):
        raw = gikr(*args).stdout
        assert "\x1b" not in raw and "\\u001b" in raw
        agencies = {r.get("agency") for r in _records(raw) if "agency" in r} | {
            r["b"]["agency"] for r in _records(raw) if r.get("record") == "compare"}
        assert hostile in agencies
