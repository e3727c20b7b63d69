"""The jsonl line, rendered fast, is byte for byte what json.dumps writes.

A warm `gikr check --format jsonl` renders every line from cached data: the
report decoded into a light view (`records.SHOWN`, no prose bodies) and
written by msgspec rather than json.  Both shortcuts must be invisible: the
line is the same bytes as json.dumps of the whole result's record, for every
character, every float and every report.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gikr_tui import codec
from gikr_tui.pipeline import check_file
from gikr_tui.records import SHOWN, Outcome, parsed
from gikr_tui.safety import json_escaped
from gikr_tui.serialize import json_line, jsonl_line, result_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _json(record) -> str:
    return json.dumps(record, ensure_ascii=False)


def test_every_character_is_written_as_json_writes_it():
    points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(points), 8192):
        text = "".join(map(chr, points[start:start + 8192]))
        record = {"a": text, text[:5]: [text, 1, None, True, False, 2.5, {}, []]}
        assert json_line(record) == _json(record), hex(points[start])


def test_a_file_name_that_is_not_utf8_is_written_as_json_writes_it():
    # (msgspec refuses lone surrogates: json writes the line)
    record = {"path": "/r/\udcc4\udcea.txt", "n": 10**30, "m": -(2**70)}
    assert json_line(record) == _json(record)
    assert "\\udcc4" in json_escaped(json_line(record))


@settings(max_examples=1000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_float_is_written_as_json_writes_it(number):
    record = {"reported": number, "bbox": [number, -number], "rows": {"x": {"total": number}}}
    assert json_line(record) == _json(record)


@pytest.mark.parametrize("number", [1e16, 1.5e16, 1e-5, 9.9e-5, 1e-4, 5e-324, 1.7976931348623157e308, -0.0, 0.1, 1e15,
                                    9999999999999998.0, 123.4])
def test_floats_at_the_edges_of_reprs_forms(number):
    record = {"v": [number], "w": number}
    assert json_line(record) == _json(record)
    assert not math.isnan(number)


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".txt", ".md", ".docx", ".htm",
                                                                                       ".html", ".pdf"}),
                         ids=lambda p: str(p.relative_to(FIXTURES)))
def test_a_line_from_the_brief_and_the_shown_report_is_the_whole_results_line(path, fixture_result):
    result = fixture_result(path)  # (a scan's, from the session's one OCR run)
    outcome = Outcome.of(0, parsed(result, key=("k",)))  # the bytes a cache row holds
    expected = json_escaped(_json(result_json(result)))
    assert jsonl_line(outcome.brief, outcome.shown()) == expected
    assert jsonl_line(outcome.result()) == expected


def test_the_view_leaves_the_prose_out_and_still_checks_types():
    result = check_file(FIXTURES / "seeds" / "000_8a0178302d297c36.txt")
    view = codec.loads(SHOWN, codec.dumps(result)).report
    assert not hasattr(view, "preamble") and not hasattr(view.sections[0], "body")
    assert view.requests["received_new"]["total"].number == result.report.requests["received_new"]["total"].number
    assert view.sections[0].origin.describe() == result.report.sections[0].origin.describe()  # methods come along
    with pytest.raises(codec.CodecError):
        codec.loads(SHOWN, b'{"report":{"format":"text","template":2021,"requests":{"x":{"y":{"number":"1"}}}}}')
