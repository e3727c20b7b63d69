"""The `record: series` lines of `gikr check --format jsonl`, one golden file per series rule,
and `gikr compare --format jsonl`'s line.

jsonl is an interface scripts depend on: keys are added, never renamed.  Each
rule's line, for a small pair of reports that makes it, is a snapshot compared
as bytes (as tests/test_golden_jsonl.py does for the report rules).  The
earlier report's path is written as PREVIOUS and the later one's as PATH, so
the lines do not depend on where the test runs.

Regenerate with `pytest tests/test_series_golden.py --snapshot-update` and
read the diff before committing it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension

from gikr_tui.checks import all_checks
from gikr_tui.pipeline import check_file
from gikr_tui.safety import json_escaped
from gikr_tui.series.compare import compare
from gikr_tui.series.collect import Collector
from series_maker import blank_vs_zero_pair, chained, forward_of, t2_2021, write

AGENCY = "淮安市洪泽区人民政府"


class JsonlSnapshot(SingleFileSnapshotExtension):
    _file_extension = "jsonl"
BODY = ("本机关坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央国务院关于政务公开的决策部署，"
        "健全政务公开工作机制，调整充实政务公开工作领导小组，明确分管领导和具体工作人员，深化重点领域信息公开，"
        "及时公开财政预决算和三公经费。")


def _pair(tmp: Path, *, carry=None, stock=None, prose=None) -> str:
    rng = random.Random(7)
    first = chained(rng, 2021)
    carried = dict(forward_of(first), **(carry or {}))
    second = chained(rng, 2021, carried)
    stock = stock or (((0, 0, 3), (0, 0, 15)), ((0, 0, 3), (0, 0, 15)))
    p1 = write(tmp / "one.txt", AGENCY, 2022, first, rng, t2=t2_2021(*stock[0]), prose_by_section=(prose or {}).get(2022, {}))
    p2 = write(tmp / "two.txt", AGENCY, 2023, second, rng, t2=t2_2021(*stock[1]), prose_by_section=(prose or {}).get(2023, {}))
    with Collector() as collector:
        collector.add(0, check_file(p1))
        collector.add(1, check_file(p2))
        lines = collector.finish()
    text = "".join(json.dumps(line.to_json(), ensure_ascii=False) + "\n" for line in lines)
    return text.replace(json.dumps(str(p1))[1:-1], "PREVIOUS").replace(json.dumps(str(p2))[1:-1], "PATH")


CASES = {
    "carry_over": dict(carry={"commercial": 40}),
    "t2_stock": dict(stock=(((0, 0, 3), (2, 1, 15)), ((1, 0, 3), (2, 1, 16)))),
    "repeated_text": dict(prose={2022: {1: "2022年，" + BODY}, 2023: {1: "2023年，" + BODY.replace("及时", "按时")}}),
}



@pytest.mark.parametrize("rule", sorted(CASES))
def test_series_line_jsonl(rule, tmp_path, snapshot):
    assert _pair(tmp_path, **CASES[rule]).encode("utf-8") == snapshot(extension_class=JsonlSnapshot)


def test_every_series_rule_has_a_golden_case():
    assert {c.id for c in all_checks("series")} == set(CASES)


def test_compare_line_jsonl(tmp_path, snapshot):
    """`gikr compare --format jsonl`'s line; a blank against a 0 is `blank_vs_zero`, not `changed`."""
    p1, p2 = blank_vs_zero_pair(tmp_path, AGENCY, "2022年，" + BODY)
    line = compare(check_file(p1), check_file(p2)).to_json()
    text = json_escaped(json.dumps(line, ensure_ascii=False)) + "\n"
    text = text.replace(json.dumps(str(p1))[1:-1], "PREVIOUS").replace(json.dumps(str(p2))[1:-1], "PATH")
    assert text.encode("utf-8") == snapshot(extension_class=JsonlSnapshot)
