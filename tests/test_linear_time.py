"""Long adversarial lines cost time linear in their length, in every pattern and every reader.

A regular expression with two quantifiers that can trade characters
(`\\s*\\|?\\s*$`) backtracks quadratically when a long line almost matches:
`|--`, 60,000 spaces and `x` burned a file's whole time limit in the Markdown
rule pattern.  Every compiled pattern in gikr is timed on lines built to make
such patterns backtrack, and each reader on a file of them, against a budget
per character a quadratic pattern overruns by far.  Time is CPU time (a busy
machine stretches the wall clock, not the work), and what runs over its budget
is timed again on lines a quarter as long, the baseline measured in the same
test: linear work takes about a quarter as long there, quadratic a sixteenth,
so only work that grows faster than its input fails.
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
    """Every adversarial line `n` characters long (give or take its prefix and suffix)."""
    return [p + f * (n // len(f)) + s for p in PREFIXES for f in FILLS for s in SUFFIXES]


def _seconds(fn, *args, tries: int = 3, budget: float | None = None) -> float:
    """The fastest of `tries` runs in CPU seconds, stopping at the first within `budget`
    (or far over it: that is no noise)."""
    best = float("inf")
    for _ in range(tries):
        started = time.process_time()
        fn(*args)
        best = min(best, time.process_time() - started)
        if budget is not None and (best <= budget or best > 3 * budget):
            break
    return best


# Over its budget, work that takes more than this many times as long on a line four
# times as long grows faster than linearly (linear: about 4; quadratic: about 16).
SUPERLINEAR = 8


def _superlinear(took: float, quarter: float) -> bool:
    return took > SUPERLINEAR * quarter


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
    for line, short in zip(_lines(PATTERN_CHARS), _lines(PATTERN_CHARS // 4)):
        subject, quarter = (x.encode("utf-8") if isinstance(pattern.pattern, bytes) else x for x in (line, short))
        took = _seconds(_scan, pattern, subject, budget=budget)
        if took > budget and _superlinear(took, baseline := _seconds(_scan, pattern, quarter)):
            slow.append(f"{line[:16]!r}… ({len(line)} chars): {took * 1000:.0f} ms, "
                        f"a quarter as long {baseline * 1000:.1f} ms")
    assert slow == [], f"{name} over {budget * 1000:.0f} ms"


# --- whole readers on a file of 60 KB lines -------------------------------------------------

LONG = 60_000


def _adversarial_lines(n: int) -> list[str]:
    return [
        "|--" + " " * n + "x",  # the line
        "|" + " " * n + "x" + " " * n + "|",
        "| --" + " " * n + "|--" + " " * n + "x",
        "| " + "-" * n + " | " + "-" * n + ":x",
        "第1页" + " " * n + "x",
        "#" + " " * n + "#" * 100 + "x",
        "\t" + " " * n + "x",
        "（" + " " * n + "一" + " " * 100,
        "一" + " " * n + "x",
        "2020" + " " * n + "x",
        "现公布" * (n // 3),
        "[bookmark: " * (n // 11),
        "1" * n + "x",
        "1" + ",123" * (n // 4) + "x",
        "**" * (n // 2),
    ]


ADVERSARIAL_LINES = _adversarial_lines(LONG)
# (under the row-width limit, which would stop a reader before the last line)
TEXT = "\n".join(ADVERSARIAL_LINES) + "\n"


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text.replace("\t", " "))
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = paragraphs[0]
    table.rows[0].cells[1].text = paragraphs[-3]
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _html(paragraphs: list[str]) -> bytes:
    from html import escape

    body = "".join(f"<p class=\"{'nav ' * 100}\">{escape(p)}</p>" for p in paragraphs)
    cells = "".join(f"<td>{escape(p)}</td>" for p in paragraphs[:4])
    return f"<html><head><meta charset=utf-8></head><body>{body}<table><tr>{cells}</tr></table></body></html>".encode()


def _write(path: Path, lines: list[str]) -> Path:
    if path.suffix == ".docx":
        path.write_bytes(_docx(lines))
    elif path.suffix == ".html":
        path.write_bytes(_html(lines))
    else:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _read_seconds(path: Path, budget: float | None = None) -> float:
    def read() -> None:
        try:
            read_report(path)
        except ReportError:
            pass  # "no request-handling table found" is the right answer; the time is the point

    return _seconds(read, budget=budget)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".docx"])
def test_readers_are_linear_on_a_file_of_long_adversarial_lines(tmp_path, suffix):
    path = _write(tmp_path / f"long{suffix}", ADVERSARIAL_LINES)
    budget = READER_BUDGET_PER_CHAR * len(TEXT)
    took = _read_seconds(path, budget)
    if took > budget:
        quarter = _read_seconds(_write(tmp_path / f"quarter{suffix}", _adversarial_lines(LONG // 4)))
        assert not _superlinear(took, quarter), (
            f"{suffix}: {took:.2f} s for {len(TEXT)} characters (budget {budget:.2f} s), "
            f"{quarter:.2f} s for a quarter as many")
