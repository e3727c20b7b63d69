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
