"""The `violations` entries of `gikr check --format jsonl`, one golden file per rule.

jsonl is an interface scripts depend on: keys are added, never renamed.  Each
rule's entries, for a small report that makes them, are a snapshot — what
changes here is a change to that contract, to be read in a diff rather than
found by a user.  One single-file snapshot per rule, compared as bytes
(pattern: harlequin's golden format tests).  A rule registered without a case
here fails `test_every_rule_has_a_golden_case`.

Regenerate with `pytest tests/test_golden_jsonl.py --snapshot-update` and read
the diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from audit_cases import BY_NAME
from audit_maker import Audit, Figures, default_prose, text
from gikr_tui.checks import all_checks
from gikr_tui.pipeline import check_file
from gikr_tui.serialize import result_json


class JsonlSnapshot(SingleFileSnapshotExtension):
    _file_extension = "jsonl"  # a reviewer opening the diff sees jsonl


def _edited(a: Audit, *swaps: tuple[str, str]) -> str:
    out = text(a)
    for old, new in swaps:
        assert old in out, old
        out = out.replace(old, new, 1)
    return out


def _with_cells(**cells: str) -> Audit:
    a = Audit("golden")
    a.cells = {tuple(k.rsplit("__", 1)): v for k, v in cells.items()}  # type: ignore[misc]
    return a


def _prose(**sections: list[str]) -> Audit:
    a = Audit("golden", fig=Figures(review=(1, 1, 0, 0), direct=(0, 0, 0, 1)))
    a.prose = default_prose(a)
    a.prose.update({int(k[1:]): v for k, v in sections.items()})
    return a


CASES: dict[str, callable] = {
    "row_total": lambda: text(_with_cells(granted__total="13")),
    "balance": lambda: text(_with_cells(carried_over__natural="4", carried_over__total="4")),
    "results_total": lambda: text(_with_cells(results_total__natural="40", results_total__total="42")),
    "t4_total": lambda: _edited(Audit("golden"), ("1\t1\t0\t0\t2\t", "1\t1\t0\t0\t3\t")),
    "unfilled_total": lambda: text(_with_cells(granted__total="", results_total__natural="")),
    "narrative_mismatch": lambda: text(_prose(
        s1=["全年新收政府信息公开申请41件，办结41件（含上年结转3件）。本年度共受理政府信息公开申请45件。"],
        s4=["本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。"],
    )),
    "year_mismatch": lambda: text(BY_NAME["year-opening"]),
    "contradiction": lambda: text(BY_NAME["contradiction"]),
    "section_missing": lambda: _edited(Audit("golden"), ("六、其他需要报告的事项\n", "")),
    "section_order": lambda: _edited(Audit("golden"), ("三、收到和处理政府信息公开申请情况", "四、收到和处理政府信息公开申请情况")),
    "section_thin": lambda: text(BY_NAME["thin-five"]),
    "t2_value": lambda: _edited(Audit("golden"), ("规章\t0\t0\t3", "规章\t0\t\t3"), ("行政规范性文件\t2\t1\t15", "行政规范性文件\t2\t-1\t15")),
    "split_number": lambda: _edited(
        Audit("golden"), ("（一）予以公开\t10\t2\t0\t0\t0\t0\t12", "（一）予以公开\t1\t0\t2\t0\t0\t0\t12")),
    "misplaced_column": lambda: text(_with_cells(
        granted__natural="11", granted__commercial="1", results_total__natural="40", results_total__commercial="1")),
}


def _violations(tmp_path: Path, rule: str) -> bytes:
    path = tmp_path / "golden.txt"
    path.write_text(CASES[rule](), encoding="utf-8")
    record = result_json(check_file(path))
    entries = [v for v in record["violations"] if v["rule"] == rule]
    assert entries, f"the {rule} case makes no {rule} finding"
    return "".join(json.dumps(v, ensure_ascii=False) + "\n" for v in entries).encode("utf-8")


@pytest.mark.parametrize("rule", sorted(CASES))
def test_violations_jsonl(rule, tmp_path, snapshot):
    assert _violations(tmp_path, rule) == snapshot(extension_class=JsonlSnapshot)


def test_every_rule_has_a_golden_case():
    assert {c.id for c in all_checks("report")} == set(CASES)


def test_every_entry_keeps_the_keys_it_always_had(tmp_path):
    for rule in CASES:
        for line in _violations(tmp_path, rule).decode().splitlines():
            entry = json.loads(line)
            assert {"rule", "severity", "reported", "computed", "difference", "cells", "message"} <= set(entry)
            assert ("table" in entry) == bool(entry["cells"])
            assert entry["severity"] in ("error", "warning", "hint")


def test_the_snapshots_were_checked_out_with_lf(request):
    """Compared byte for byte, so a CRLF checkout would differ on every line; .gitattributes pins LF."""
    if request.config.option.update_snapshots:
        pytest.skip("snapshots are rewritten at the end of this run")
    directory = Path(request.path).parent / "__snapshots__" / Path(request.path).stem
    snapshots = sorted(directory.iterdir())
    assert snapshots, f"no snapshots in {directory}"
    assert not [p.name for p in snapshots if b"\r\n" in p.read_bytes()]
