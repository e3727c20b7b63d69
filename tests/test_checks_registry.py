"""The registry: a check declared in one file reaches the CLI, the cache, the exports
and the inspector; --checks chooses; hints alone leave a report ok."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest

from audit_cases import BY_NAME
from audit_maker import text
from gikr_tui import cache, checks
from gikr_tui.checks import Finding, SelectionError, check, select, unregister
from gikr_tui.cli import check_main

# --- A throwaway check, declared here and nowhere else ------------------------------------------

THROWAWAY = dict(
    family="testing", severity="warning", title="Throwaway", title_zh="临时检查",
    summary="a check a test declares", example="throwaway: 6 sections",
    message=lambda f: f"throwaway: {f.reported} sections",
)
MARK = "临时检查局"  # the agency whose reports it fires on, so no other test sees it


def throwaway(report):
    if report.agency and MARK in report.agency:
        yield Finding("throwaway", "warning", reported=len(report.sections))


if multiprocessing.parent_process() is not None:
    # a worker process imports this file to load the checks the parent registered from it
    check("throwaway", **THROWAWAY)(throwaway)


@pytest.fixture
def registered():
    check("throwaway", **THROWAWAY)(throwaway)
    yield
    unregister("throwaway")


@pytest.fixture
def reports(tmp_path) -> Path:
    """Two reports of the throwaway's agency (two, so a pool of workers reads them)."""
    for name in ("a", "b"):
        a = BY_NAME["clean-2021"]
        (tmp_path / f"{name}.txt").write_text(text(a).replace(a.agency, MARK), encoding="utf-8")
    return tmp_path


def _jsonl(capsys, *args) -> tuple[int, list[dict]]:
    code = check_main([*map(str, args), "--format", "jsonl"])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_a_check_registered_in_one_file_reaches_the_workers_and_the_jsonl(registered, reports, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    cache.reset()
    code, records = _jsonl(capsys, reports, "--jobs", "2")
    assert code == 1  # a warning fails the report
    for record in records:
        assert record["status"] == "violations"
        assert [v for v in record["violations"] if v["rule"] == "throwaway"] == [{
            "rule": "throwaway", "severity": "warning", "reported": 6, "computed": None, "difference": None,
            "cells": [], "message": "throwaway: 6 sections",
        }]
    # from the cache now, the same
    assert _jsonl(capsys, reports, "--jobs", "2") == (code, records)
    cache.reset()


def test_a_check_unregistered_is_not_served_from_the_cache(reports, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV_DIR, str(tmp_path / "cache"))
    cache.reset()
    check("throwaway", **THROWAWAY)(throwaway)
    try:
        assert _jsonl(capsys, reports)[0] == 1
    finally:
        unregister("throwaway")
    code, records = _jsonl(capsys, reports)
    assert code == 0 and all(r["status"] == "ok" for r in records)
    cache.reset()


def test_a_registered_check_shows_in_the_findings_pane(registered, reports):
    from gikr_tui.tui.app import GikrApp
    from gikr_tui.tui.components.findings import FindingsList

    async def go():
        app = GikrApp(reports / "a.txt")
        async with app.run_test(size=(100, 30)) as pilot:
            while not app.all_parsed:
                await pilot.pause(0.05)
            await pilot.pause()
            lines = app.query_one(FindingsList).lines
            assert "warnings (1)" in lines
            assert any(line.endswith("throwaway: 6 sections") for line in lines)

    asyncio.run(go())


def test_register_refuses_a_bad_declaration():
    with pytest.raises(ValueError, match="severity"):
        check("bad_one", **{**THROWAWAY, "severity": "fatal"})(throwaway)
    with pytest.raises(ValueError, match="reserves"):
        check("hint", **THROWAWAY)(throwaway)
    with pytest.raises(ValueError, match="already registered"):
        checks.register(checks.Check("row_total", "x", "error", "report", "t", "t", "s", "e", throwaway, str, "elsewhere"))
    assert checks.get("bad_one") is None


def test_every_check_declares_titles_severity_scope_and_renders_its_example():
    for item in checks.all_checks():
        assert item.title and item.title_zh and item.summary and item.example
        assert item.severity in checks.SEVERITIES and item.scope in checks.SCOPES


# --- --checks -----------------------------------------------------------------------------------


def test_selection_words():
    every = {c.id for c in checks.all_checks()}
    assert select(None).everything and select("all").ids == every
    assert select("prose").ids == {"narrative_mismatch", "year_mismatch", "contradiction"}
    assert select("-hint").ids == every and select("-hint").severities == {"error", "warning"}
    assert select("error,warning").severities == {"error", "warning"}
    assert select("arithmetic,-unfilled_total").ids == {"row_total", "balance", "results_total", "t4_total"}
    assert select("-prose").ids == every - {"narrative_mismatch", "year_mismatch", "contradiction"}
    assert select("section_thin,hint").ids == {"section_thin"} and select("section_thin,hint").severities == {"hint"}
    with pytest.raises(SelectionError, match="unknown check, family or severity 'nonsense'"):
        select("prose,nonsense")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "gikr_tui", "check", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """A report with only a hint (a blank table-2 cell) and one with a warning (section 五 says 无)."""
    folder = tmp_path_factory.mktemp("mixed")
    hint = text(BY_NAME["clean-2021"]).replace("规章\t0\t0\t3", "规章\t0\t\t3")
    (folder / "hint.txt").write_text(hint, encoding="utf-8")
    (folder / "thin.txt").write_text(text(BY_NAME["thin-five"]), encoding="utf-8")
    return folder


def test_hints_alone_leave_the_report_ok_and_the_exit_status_0(mixed):
    got = _cli(mixed / "hint.txt", "--format", "jsonl", "--no-cache")
    assert got.returncode == 0
    record = json.loads(got.stdout)
    assert record["status"] == "ok"
    assert [(v["rule"], v["severity"]) for v in record["violations"]] == [("t2_value", "hint")]
    table = _cli(mixed / "hint.txt", "--no-cache")
    assert table.returncode == 0 and "consistent" in table.stdout and "t2_value (hint)" in table.stdout
    assert "0+1h" in table.stdout and "1 hint (" in table.stderr


def test_checks_option_chooses_what_is_reported(mixed):
    got = _cli(mixed, "--format", "jsonl", "--no-cache", "--checks=-form")  # = : argparse takes -form for an option
    assert got.returncode == 0  # the thin section's warning was not asked for
    records = {Path(r["path"]).name: r for r in map(json.loads, got.stdout.splitlines())}
    assert records["thin.txt"]["status"] == "ok" and records["thin.txt"]["violations"] == []
    assert [v["rule"] for v in records["hint.txt"]["violations"]] == ["t2_value"]
    got = _cli(mixed, "--format", "csv", "--no-cache", "--checks", "section_thin")
    assert got.returncode == 1
    assert "section_thin" in got.stdout and "t2_value" not in got.stdout
    got = _cli(mixed, "--checks", "error,warning", "--no-cache")
    assert got.returncode == 1 and "t2_value" not in got.stdout and "section_thin (warning)" in got.stdout


def test_checks_option_errors_and_list(mixed):
    got = _cli(mixed, "--checks", "nonsense")
    assert got.returncode == 2 and "unknown check, family or severity 'nonsense'" in got.stderr
    got = _cli("--list-checks")
    assert got.returncode == 0
    ids = [line.split()[0] for line in got.stdout.splitlines()]
    assert ids == [c.id for c in checks.all_checks()]
    assert "narrative_mismatch  error" in got.stdout


def test_readme_lists_every_rule_with_its_severity():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| rule | severity | what it checks | example |"):]
    table = table[: table.index("\n\n")]
    rows = {line.split("|")[1].strip().strip("`"): line.split("|")[2].strip() for line in table.splitlines()[2:]}
    package = [c for c in checks.all_checks() if c.module.startswith("gikr_tui.")]
    assert list(rows) == [c.id for c in package]
    for item in package:
        assert rows[item.id].split(",")[0] == item.severity
