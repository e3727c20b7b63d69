"""Long adversarial lines cost time linear in their length, in every pattern and every reader.

A regular expression with two quantifiers that can trade characters
(`\\s*\\|?\\s*$`) backtracks quadratically when a long line almost matches:
`|--`, 60,000 spaces and `x` burned a file's whole time limit in the Markdown
rule pattern.  Every compiled pattern in gikr is timed on lines built to make
such patterns backtrack, and each reader on a file of them, against a budget
per character a quadratic pattern overruns by far (generous: the machine is
shared and its speed swings).
"""

from __future__ import annotations

import ast
import importlib
import io
import pkgutil
import re
import time
from pathlib import Path

import pytest

import gikr_tui
from gikr_tui.errors import ReportError
from gikr_tui.pipeline import read_report

SRC = Path(gikr_tui.__file__).parent

# Pieces that the patterns' quantifiers and alternatives run over: spaces
# (ASCII, tab, ideographic), dashes and pipes of Markdown rules, digits and
# thousands groups, numbering marks, heading marks, and the starts of the
# things the patterns look for.
PREFIXES = ["", "|--", "|", "第1页", "第", "#", "1", "一", "（", "2020", "现公布", "[bookmark: ", "<?xml "]
FILLS = [" ", "\t", "-", "|", "|--", "1", "1 ", "#", ",123", "、", "\u3000", "a"]
SUFFIXES = ["x", ""]

# A linear pattern scans 8,000 characters in well under a millisecond; the
# Markdown rule pattern as it was took 150 ms on one such line, the page
# number pattern 50 ms.
PATTERN_CHARS = 8_000
PATTERN_BUDGET_PER_CHAR = 2e-6
# The readers take 0.02–0.1 µs a character on these lines (interpreting them
# included); the Markdown rule as it was took 17 s on one 60 KB line (2 shared cores).
READER_BUDGET_PER_CHAR = 3e-6


def _patterns() -> dict[str, re.Pattern]:
    found, seen = {}, set()
    for info in pkgutil.walk_packages(gikr_tui.__path__, "gikr_tui."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and id(value) not in seen:  # imported names count once
                seen.add(id(value))
                found[f"{info.name}.{name}"] = value
    return found


PATTERNS = _patterns()


def _lines(n: int) -> list[str]:
    return [p + f * (n // len(f)) + s for p in PREFIXES for f in FILLS for s in SUFFIXES]


def _seconds(fn, *args, tries: int = 3, budget: float) -> float:
    """The fastest of up to `tries` runs, stopping at the first within `budget`
    (or far over it: that is no noise)."""
    best = float("inf")
    for _ in range(tries):
        started = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - started)
        if best <= budget or best > 3 * budget:
            break
    return best


def _scan(pattern: re.Pattern, subject) -> None:
    for _ in pattern.finditer(subject):  # every start position: what search, sub, split and findall try
        pass


def test_every_pattern_is_found_by_this_test():
    """Every regex in gikr is a module-level compiled pattern, so the test below sees it."""
    assert len(PATTERNS) >= 30
    stray = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(node.value) for node in tree.body if isinstance(node, ast.Assign)}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and not (node.func.attr == "compile" and id(node) in top)
            ):
                stray.append(f"{path.relative_to(SRC)}:{node.lineno} re.{node.func.attr}")
    assert stray == []


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear_on_long_adversarial_lines(name):
    pattern = PATTERNS[name]
    budget = PATTERN_BUDGET_PER_CHAR * PATTERN_CHARS
    slow = []
    for line in _lines(PATTERN_CHARS):
        subject = line.encode("utf-8") if isinstance(pattern.pattern, bytes) else line
        took = _seconds(_scan, pattern, subject, budget=budget)
        if took > budget:
            slow.append(f"{line[:16]!r}… ({len(line)} chars): {took * 1000:.0f} ms")
    assert slow == [], f"{name} over {budget * 1000:.0f} ms"


# --- whole readers on a file of 60 KB lines -------------------------------------------------

LONG = 60_000
ADVERSARIAL_LINES = [
    "|--" + " " * LONG + "x",  # the line
    "|" + " " * LONG + "x" + " " * LONG + "|",
    "| --" + " " * LONG + "|--" + " " * LONG + "x",
    "| " + "-" * LONG + " | " + "-" * LONG + ":x",
    "第1页" + " " * LONG + "x",
    "#" + " " * LONG + "#" * 100 + "x",
    "\t" + " " * LONG + "x",
    "（" + " " * LONG + "一" + " " * 100,
    "一" + " " * LONG + "x",
    "2020" + " " * LONG + "x",
    "现公布" * (LONG // 3),
    "[bookmark: " * (LONG // 11),
    "1" * LONG + "x",
    "1" + ",123" * (LONG // 4) + "x",
    "**" * (LONG // 2),
]
# (under the row-width limit, which would stop a reader before the last line)
TEXT = "\n".join(ADVERSARIAL_LINES) + "\n"


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text.replace("\t", " "))
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = ADVERSARIAL_LINES[0]
    table.rows[0].cells[1].text = ADVERSARIAL_LINES[-3]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _html(paragraphs: list[str]) -> bytes:
    from html import escape

    body = "".join(f"<p class=\"{'nav ' * 100}\">{escape(p)}</p>" for p in paragraphs)
    cells = "".join(f"<td>{escape(p)}</td>" for p in paragraphs[:4])
    return f"<html><head><meta charset=utf-8></head><body>{body}<table><tr>{cells}</tr></table></body></html>".encode()


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".docx"])
def test_readers_are_linear_on_a_file_of_long_adversarial_lines(tmp_path, suffix):
    path = tmp_path / f"long{suffix}"
    if suffix == ".docx":
        path.write_bytes(_docx(ADVERSARIAL_LINES))
    elif suffix == ".html":
        path.write_bytes(_html(ADVERSARIAL_LINES))
    else:
        path.write_text(TEXT, encoding="utf-8")

    def read() -> None:
        try:
            read_report(path)
        except ReportError:
            pass  # "no request-handling table found" is the right answer; the time is the point

    budget = READER_BUDGET_PER_CHAR * len(TEXT)
    took = _seconds(read, budget=budget)
    assert took <= budget, f"{suffix}: {took:.2f} s for {len(TEXT)} characters (budget {budget:.2f} s)"
