"""Text from a report is shown with every control character visible."""

from __future__ import annotations

from hypothesis import given, strategies as st

from gikr_tui.safety import csv_cell, visible

ESC = "\x1b"


def test_escape_sequences_become_visible_symbols():
    osc52 = f"{ESC}]52;c;ZXZpbA=={ESC}\\"
    shown = visible(f"淮安市{osc52}报告\x9b2J")
    assert ESC not in shown and "\x9b" not in shown
    assert shown.startswith("淮安市␛]52;c;") and shown.endswith("报告\\x9b2J")


def test_bidi_overrides_and_line_breaks_become_visible():
    assert visible("a\u202eb") == "a<U+202E>b"
    assert visible("a\nb\tc") == "a␊b␉c"
    assert visible("a\nb\tc", keep_lines=True) == "a\nb\tc"
    assert visible("a\rb", keep_lines=True) == "a␍b"


def test_bytes_of_a_file_name_that_are_not_utf8_become_visible():
    name = b"bad\x9b\xffname.txt".decode("utf-8", "surrogateescape")
    assert visible(name) == "bad\\x9b\\xffname.txt"


def test_plain_text_is_returned_unchanged():
    text = "一、本年新收政府信息公开申请数量 （七）总计 “三安全一稳定” 1,234"
    assert visible(text) is text


@given(st.text())
def test_nothing_unsafe_survives(text):
    shown = visible(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_csv_cells_that_start_like_a_formula_are_neutralised():
    for text in ("=HYPERLINK(\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_cell(text).startswith("'")
    assert csv_cell("淮安市司法局") == "淮安市司法局"
    assert csv_cell(-2) == -2  # a number is not a formula


@given(st.text())
def test_json_text_parses_back_to_the_same_string_with_nothing_raw(text):
    import json

    from gikr_tui.serialize import json_text

    dumped = json_text({"s": text})
    assert json.loads(dumped) == {"s": text}
    assert not any(0x7F <= ord(c) <= 0x9F or 0xD800 <= ord(c) <= 0xDFFF for c in dumped)
    assert not any(c in dumped for c in "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_lone_surrogates_from_file_names_round_trip_through_jsonl():
    import json
    import os

    from gikr_tui.serialize import json_text

    name = os.fsdecode(b"bad\x9b\xffname.txt")
    dumped = json_text({"path": name})
    assert dumped == '{"path": "bad\\udc9b\\udcffname.txt"}'
    assert os.fsencode(json.loads(dumped)["path"]) == b"bad\x9b\xffname.txt"
